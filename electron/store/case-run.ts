/**
 * A verification run recorded in a case (docs/case-file.md §6): the bundle is imported (or
 * found by digest), the trust material is the case trust store for the bundle's origin —
 * windows and revocations included — plus any keys given ad hoc, the engine verifies the
 * stored copy, and the run, its findings, coverage and EntryIndex are persisted; then the
 * entries are indexed for search (derived data).
 *
 * A key given ad hoc never overrides the case's grant for the same key: a key revoked or
 * windowed in the case stays so.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ProofdeskError } from '../../shared/errors.js';
import type { TrustedKey } from '../../shared/trust.js';
import { openBundle } from '../engine/bundle-source.js';
import { readManifest } from '../engine/manifest-reader.js';
import { verifyBundle, type VerifyOptions, type VerifyOutput } from '../engine/verify.js';
import { loadTrustedKey } from '../keys/trust-files.js';
import type { CaseFile } from './case.js';
import type { JsonObject } from './custody.js';
import { buildEntryIndex, saveBlockIndex, type BuildIndexResult, type IndexProgress } from './entry-index.js';
import { importEvidence, resolveEvidence, storedPathOf, type EvidenceRecord, type ImportProgress } from './evidence.js';
import { finishRun, startRun, verifyOutcome, type RunInput } from './runs.js';
import { trustedKeysFor } from './trust.js';

export interface CaseVerifyOptions extends Omit<VerifyOptions, 'bundle' | 'trusted'> {
  /** A bundle path (imported if its content is not yet in the case) or an evidence reference ("#3"). */
  readonly bundle: string;
  /** Keys given ad hoc (--trust): file paths or inline keys, resolved against `cwd`. */
  readonly extraTrust?: readonly string[];
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
    validFrom: k.validFrom ?? null,
    validUntil: k.validUntil ?? null,
    revokedAt: k.revokedAt ?? null,
    evidenceId: u.evidenceId ?? null,
  };
}

function locateBundle(cf: CaseFile, ref: string, cwd: string, onProgress?: (p: ImportProgress) => void): { evidence: EvidenceRecord; already: boolean } {
  const path = resolve(cwd, ref);
  // "#3" names evidence already in the case (a CLI may have resolved it against its cwd).
  const name = basename(path);
  if (!existsSync(path) && /^#\d+$/.test(name)) return { evidence: resolveEvidence(cf, name), already: true };
  if (!existsSync(path) && /^\d+$|^[0-9a-f]{8,64}$/.test(ref)) return { evidence: resolveEvidence(cf, ref), already: true };
  const r = importEvidence(cf, path, { kind: 'bundle', ...(onProgress ? { onProgress } : {}) });
  return { evidence: r.evidence, already: r.duplicate };
}

/** Verifies a bundle as a run of the case. Throws ProofdeskError for unusable input (the failed run is recorded). */
export async function verifyInCase(cf: CaseFile, o: CaseVerifyOptions): Promise<CaseVerifyOutput> {
  const cwd = o.cwd ?? process.cwd();
  const { evidence, already } = locateBundle(cf, o.bundle, cwd, o.onImportProgress);
  if (evidence.kind !== 'bundle') throw new ProofdeskError('USAGE', `evidence #${evidence.id} is not a bundle (${evidence.kind})`);
  const stored = storedPathOf(cf, evidence);

  let origin: string | undefined;
  let unusable: unknown;
  try {
    origin = readManifest(openBundle(stored)).manifest.origin;
  } catch (e) {
    unusable = e;
  }

  const uses = new Map<string, KeyUse>();
  if (origin !== undefined) for (const k of trustedKeysFor(cf, origin)) uses.set(k.fingerprint, { key: k, source: 'case' });
  const inputs: RunInput[] = [{ role: 'bundle', evidenceId: evidence.id }];
  for (const arg of o.extraTrust ?? []) {
    const k = loadTrustedKey(arg, cwd);
    let evidenceId: number | undefined;
    const p = resolve(cwd, arg);
    if (existsSync(p) && statSync(p).isFile()) {
      try {
        evidenceId = importEvidence(cf, p, { kind: 'key' }).evidence.id;
        inputs.push({ role: 'key', evidenceId });
      } catch (e) {
        // A private key file is used for its public half but not copied into the locker.
        if (!(e instanceof ProofdeskError && e.code === 'USAGE')) throw e;
      }
    }
    if (!uses.has(k.fingerprint)) uses.set(k.fingerprint, { key: k, source: 'ad-hoc', ...(evidenceId !== undefined ? { evidenceId } : {}) });
  }
  const trusted = [...uses.values()].map((u) => u.key);
  if (trusted.length === 0 && unusable === undefined) {
    throw new ProofdeskError('USAGE', `no trusted key for origin ${JSON.stringify(origin)}: trust one in the case (proofdesk case trust) or give --trust`);
  }

  const parameters: JsonObject = {
    maxEntryBytes: o.maxEntryBytes ?? null,
    findingsPerCode: o.findingsPerCode ?? null,
    crossCheck: o.crossCheck ?? false,
    storedPath: evidence.storedPath,
  };
  const runId = startRun(cf, {
    kind: 'verify',
    inputs: dedupeInputs(inputs),
    parameters,
    trustedKeys: [...uses.values()].sort((a, b) => (a.key.fingerprint < b.key.fingerprint ? -1 : 1)).map(keyJson),
  });
  let out: VerifyOutput;
  try {
    if (unusable !== undefined) throw unusable;
    const { extraTrust: _x, cwd: _c, index: _i, onImportProgress: _p, onIndexProgress: _q, bundle: _b, ...engine } = o;
    out = await verifyBundle({ ...engine, bundle: stored, trusted });
  } catch (e) {
    // The engine reports cancellation as CANCELLED, or (signal aborted before it started) as
    // the signal's AbortError: both are a cancelled run.
    const cancelled = (e instanceof ProofdeskError && e.code === 'CANCELLED') || o.signal?.aborted === true;
    finishRun(cf, runId, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e) });
    if (cancelled && !(e instanceof ProofdeskError)) throw new ProofdeskError('CANCELLED', 'verification was cancelled');
    throw e;
  }
  finishRun(cf, runId, verifyOutcome(out.run));
  if (out.index) saveBlockIndex(cf, evidence.id, runId, out.index);
  const searchIndex = o.index === false ? undefined : buildEntryIndex(cf, evidence.id, { runId, ...(o.onIndexProgress ? { onProgress: o.onIndexProgress } : {}) });
  return { ...out, runId, evidence, alreadyInCase: already, ...(searchIndex ? { searchIndex } : {}) };
}

function dedupeInputs(inputs: readonly RunInput[]): RunInput[] {
  const seen = new Set<string>();
  return inputs.filter((i) => {
    const k = `${i.role}:${i.evidenceId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
