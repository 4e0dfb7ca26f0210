/**
 * A verification run recorded in a case (docs/case-file.md §6): the bundle is imported (or
 * found by digest), the trust material is the case trust store for the bundle's origin —
 * windows and revocations included — plus any keys given ad hoc, the engine verifies the
 * stored copy, and the run, its findings, coverage and EntryIndex are persisted; then the
 * entries are indexed for search (derived data).
 *
 * A key given ad hoc never overrides the case's grant for the same key: a key revoked or
 * windowed in the case stays so (the roles of both apply). Case grants are bound to their
 * origin: a grant for origin A is never used for a bundle of origin B, and a bundle whose
 * origin cannot be read gets no case grant at all.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { mergeTrustedKeys, type TrustedKey } from '../../shared/keys/trust.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { CaseFile } from '../case/case.js';
import type { JsonObject } from '../case/custody.js';
import { type BuildIndexResult, buildEntryIndex, type IndexProgress, saveBlockIndex } from '../case/entry-index.js';
import {
  type EvidenceRecord,
  type ImportProgress,
  importEvidence,
  resolveEvidence,
  storedPathOf,
} from '../case/evidence.js';
import { finishRun, type RunInput, startRun, VERIFY_RUN_KIND, verifyOutcome } from '../case/runs.js';
import { trustedKeysFor } from '../case/trust.js';
import { loadTrustedKey, type TrustArg, trustArgText } from '../keys/trust-files.js';
import { openBundle } from '../platform/bundle-source.js';
import { readManifest } from '../verify/bundle/manifest-reader.js';
import type { VerifyOptions, VerifyOutput } from '../verify/bundle/verify.js';
import { detectFormat } from '../verify/detect.js';
import { verify } from '../verify/verify.js';

export interface CaseVerifyOptions extends Omit<VerifyOptions, 'bundle' | 'trusted'> {
  /** A bundle path (imported if its content is not yet in the case) or an evidence reference ("#3"). */
  readonly bundle: string;
  /** Keys given ad hoc (--trust, --witness, --entry-key): file paths or inline keys, resolved against `cwd`. */
  readonly extraTrust?: readonly TrustArg[];
  readonly cwd?: string;
  /** Build the entry search index after the run (default true). */
  readonly index?: boolean;
  readonly onImportProgress?: (p: ImportProgress) => void;
  readonly onIndexProgress?: (p: IndexProgress) => void;
}

export interface CaseVerifyOutput extends VerifyOutput {
  readonly runId: number;
  readonly evidence: EvidenceRecord;
  /** The bundle was already in the case (same digest). */
  readonly alreadyInCase: boolean;
  readonly index?: VerifyOutput['index'];
  readonly searchIndex?: BuildIndexResult;
}

interface KeyUse {
  readonly key: TrustedKey;
  readonly source: 'case' | 'ad-hoc';
  readonly evidenceId?: number;
}

function keyJson(u: KeyUse): JsonObject {
  const k = u.key;
  return {
    fingerprint: k.fingerprint,
    source: u.source,
    label: k.label ?? null,
    name: k.name ?? null,
    roles: [...k.roles],
    validFrom: k.validFrom ?? null,
    validUntil: k.validUntil ?? null,
    revokedAt: k.revokedAt ?? null,
    evidenceId: u.evidenceId ?? null,
  };
}

/** The trust material of a run in a case: the keys, and how the run records them. */
export interface RunTrust {
  readonly trusted: TrustedKey[];
  /** Key files given ad hoc, imported as evidence: run inputs of role 'key'. */
  readonly keyInputs: RunInput[];
  /** The keys as run.started journals them, sorted by fingerprint. */
  readonly journaled: JsonObject[];
}

/**
 * The case's grants for `origin` (windows and revocations included), then the keys given ad
 * hoc (file paths or inline keys, resolved against `cwd`; key files are imported as evidence).
 * A key given ad hoc never replaces the case's grant for the same key.
 */
export function runTrust(
  cf: CaseFile,
  origin: string | undefined,
  extraTrust: readonly TrustArg[],
  cwd: string,
): RunTrust {
  const uses = new Map<string, KeyUse>();
  if (origin !== undefined)
    for (const k of trustedKeysFor(cf, origin)) uses.set(k.fingerprint, { key: k, source: 'case' });
  const keyInputs: RunInput[] = [];
  for (const ta of extraTrust) {
    const arg = trustArgText(ta);
    const k = loadTrustedKey(ta, cwd);
    let evidenceId: number | undefined;
    const p = resolve(cwd, arg);
    if (existsSync(p) && statSync(p).isFile()) {
      try {
        evidenceId = importEvidence(cf, p, { kind: 'key' }).evidence.id;
        keyInputs.push({ role: 'key', evidenceId });
      } catch (e) {
        // A private key file is used for its public half but not copied into the locker.
        if (!(e instanceof ProofdeskError && e.code === 'USAGE')) throw e;
      }
    }
    const prev = uses.get(k.fingerprint);
    if (!prev)
      uses.set(k.fingerprint, { key: k, source: 'ad-hoc', ...(evidenceId !== undefined ? { evidenceId } : {}) });
    // The same key given again in another role: the roles add up, the first grant's window stays.
    else uses.set(k.fingerprint, { ...prev, key: mergeTrustedKeys([prev.key, k])[0]! });
  }
  const sorted = [...uses.values()].sort((a, b) => (a.key.fingerprint < b.key.fingerprint ? -1 : 1));
  return { trusted: [...uses.values()].map((u) => u.key), keyInputs, journaled: sorted.map(keyJson) };
}

/**
 * A bundle argument: evidence already in the case ("#3", "3" or a digest prefix, when no such
 * file exists) or a path to import. A CLI may have resolved "#3" against its cwd.
 */
export function bundleArg(
  cf: CaseFile,
  ref: string,
  cwd: string,
): { readonly evidence: EvidenceRecord } | { readonly path: string } {
  const path = resolve(cwd, ref);
  const name = basename(path);
  if (!existsSync(path) && /^#\d+$/.test(name)) return { evidence: resolveEvidence(cf, name) };
  if (!existsSync(path) && /^\d+$|^[0-9a-f]{8,64}$/.test(ref)) return { evidence: resolveEvidence(cf, ref) };
  return { path };
}

/** The evidence a bundle argument names, importing it (as a bundle) when it is a path. */
export function locateBundle(
  cf: CaseFile,
  ref: string,
  cwd: string,
  onProgress?: (p: ImportProgress) => void,
): { evidence: EvidenceRecord; already: boolean } {
  const arg = bundleArg(cf, ref, cwd);
  if ('evidence' in arg) return { evidence: arg.evidence, already: true };
  const r = importEvidence(cf, arg.path, { kind: 'bundle', ...(onProgress ? { onProgress } : {}) });
  return { evidence: r.evidence, already: r.duplicate };
}

/** Verifies a bundle as a run of the case. Throws ProofdeskError for unusable input (the failed run is recorded). */
export async function verifyInCase(cf: CaseFile, o: CaseVerifyOptions): Promise<CaseVerifyOutput> {
  const cwd = o.cwd ?? process.cwd();
  const { evidence, already } = locateBundle(cf, o.bundle, cwd, o.onImportProgress);
  if (evidence.kind !== 'bundle')
    throw new ProofdeskError('USAGE', `evidence #${evidence.id} is not a bundle (${evidence.kind})`);
  const stored = storedPathOf(cf, evidence);

  let origin: string | undefined;
  let unusable: unknown;
  try {
    origin = readManifest(openBundle(stored)).manifest.origin;
  } catch (e) {
    unusable = e;
    // Input of another shape (a zip, a compressed or empty file) is better told by what it is.
    try {
      const d = detectFormat(stored);
      if (d.format !== 'proofdesk-bundle')
        unusable = new ProofdeskError(
          'USAGE',
          `${basename(o.bundle)} is ${d.format} evidence, not a Proofdesk bundle; a case records runs of Proofdesk bundles`,
        );
    } catch (d) {
      if (d instanceof ProofdeskError)
        unusable = new ProofdeskError(d.code, d.message.replace(stored, basename(o.bundle)));
    }
  }

  const trust = runTrust(cf, origin, o.extraTrust ?? [], cwd);
  const trusted = trust.trusted;
  if (trusted.length === 0 && unusable === undefined) {
    throw new ProofdeskError(
      'USAGE',
      `no trusted key for origin ${JSON.stringify(origin)}: trust one in the case (proofdesk case trust) or give --trust`,
    );
  }

  const parameters: JsonObject = {
    maxEntryBytes: o.maxEntryBytes ?? null,
    findingsPerCode: o.findingsPerCode ?? null,
    crossCheck: o.crossCheck ?? false,
    storedPath: evidence.storedPath,
  };
  const runId = startRun(cf, {
    kind: VERIFY_RUN_KIND,
    inputs: dedupeInputs([{ role: 'bundle', evidenceId: evidence.id }, ...trust.keyInputs]),
    parameters,
    trustedKeys: trust.journaled,
  });
  let out: VerifyOutput;
  try {
    if (unusable !== undefined) throw unusable;
    const { extraTrust: _x, cwd: _c, index: _i, onImportProgress: _p, onIndexProgress: _q, bundle: _b, ...engine } = o;
    // The one entry point, held to the bundle format: a case records Proofdesk bundles.
    const { format: _f, ...verified } = await verify(stored, { ...engine, format: 'proofdesk-bundle', trusted });
    out = verified;
  } catch (e) {
    const cancelled = e instanceof ProofdeskError && e.code === 'CANCELLED';
    finishRun(cf, runId, {
      status: cancelled ? 'cancelled' : 'failed',
      error: cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e),
    });
    throw e;
  }
  finishRun(cf, runId, verifyOutcome(out.run));
  if (out.index) saveBlockIndex(cf, evidence.id, runId, out.index);
  const searchIndex =
    o.index === false
      ? undefined
      : buildEntryIndex(cf, evidence.id, { runId, ...(o.onIndexProgress ? { onProgress: o.onIndexProgress } : {}) });
  return { ...out, runId, evidence, alreadyInCase: already, ...(searchIndex ? { searchIndex } : {}) };
}

export function dedupeInputs(inputs: readonly RunInput[]): RunInput[] {
  const seen = new Set<string>();
  return inputs.filter((i) => {
    const k = `${i.role}:${i.evidenceId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
