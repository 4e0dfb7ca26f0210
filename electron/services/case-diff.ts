/**
 * A comparison of two exports recorded as a run of a case (docs/case-file.md §6, docs/diff.md):
 * both exports are imported (or found by digest), the trust material is the case's trust store
 * for their origin plus any keys given ad hoc (as for verify runs), the diff engine compares
 * the **stored copies**, and the run is recorded with the generic startRun / finishRun: inputs
 * of role `old` (export A, the first given) and `new` (export B), the DiffResult as the run's
 * digested result, its findings (the comparison's own, then each export's), and the divergence
 * verdict. Evidence files the comparison wrote can then be imported with importDiffEvidence.
 */
import { basename, extname } from 'node:path';
import { alignByLabel } from '../../shared/diff/entries.js';
import type { DiffRun, Side } from '../../shared/diff/model.js';
import { diffRunFindings } from '../../shared/diff/run-findings.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { CaseFile } from '../case/case.js';
import type { JsonObject } from '../case/custody.js';
import { type EvidenceRecord, type ImportProgress, importEvidence, storedPathOf } from '../case/evidence.js';
import { DIFF_RUN_KIND, finishRun, type RunOutcome, startRun } from '../case/runs.js';
import { DEFAULT_DIFF_WINDOW, type DiffOptions, diffBundles } from '../diff/diff.js';
import type { TrustArg } from '../keys/trust-files.js';
import { openBundle } from '../platform/bundle-source.js';
import { readManifest } from '../verify/bundle/manifest-reader.js';
import { bundleArg, dedupeInputs, locateBundle, runTrust } from './case-run.js';

/** Input roles of a comparison (run_inputs.role). */
export const DIFF_ROLES: Readonly<Record<Side, string>> = { A: 'old', B: 'new' };

export interface CaseDiffOptions extends Omit<DiffOptions, 'a' | 'b' | 'trusted'> {
  /** Export A and B: paths (imported unless their content is in the case) or evidence references ("#3"). */
  readonly a: string;
  readonly b: string;
  /** Keys given ad hoc (--trust, --witness, --entry-key): file paths or inline keys, resolved against `cwd`. */
  readonly extraTrust?: readonly TrustArg[];
  readonly cwd?: string;
  readonly onImportProgress?: (side: Side, p: ImportProgress) => void;
}

export interface CaseDiffOutput {
  readonly run: DiffRun;
  readonly runId: number;
  readonly evidence: Readonly<Record<Side, EvidenceRecord>>;
  /** Each export was already in the case (same digest). */
  readonly alreadyInCase: Readonly<Record<Side, boolean>>;
}

/** The origin a bundle argument declares (its manifest), before anything is imported. */
function originOf(cf: CaseFile, ref: string, cwd: string): string {
  const arg = bundleArg(cf, ref, cwd);
  return readManifest(openBundle('evidence' in arg ? storedPathOf(cf, arg.evidence) : arg.path)).manifest.origin;
}

/**
 * Compares two exports as a run of the case. Exports of different logs, unreadable manifests
 * and missing trust are refused (USAGE, INPUT_…) before the case is touched; a comparison that
 * fails or is cancelled once started is recorded as such and its error rethrown.
 */
export async function diffInCase(cf: CaseFile, o: CaseDiffOptions): Promise<CaseDiffOutput> {
  const cwd = o.cwd ?? process.cwd();
  // Refuse a comparison across logs (and unreadable manifests) before importing anything.
  const origins = { A: originOf(cf, o.a, cwd), B: originOf(cf, o.b, cwd) };
  if (origins.A !== origins.B) {
    throw new ProofdeskError(
      'USAGE',
      `the exports are of different logs: ${JSON.stringify(origins.A)} and ${JSON.stringify(origins.B)}; a diff compares two exports of one log`,
      {
        reason: 'ORIGIN_MISMATCH',
        originA: origins.A,
        originB: origins.B,
      },
    );
  }
  const located = {
    A: locateBundle(cf, o.a, cwd, o.onImportProgress && ((p) => o.onImportProgress!('A', p))),
    B: locateBundle(cf, o.b, cwd, o.onImportProgress && ((p) => o.onImportProgress!('B', p))),
  };
  for (const s of ['A', 'B'] as const) {
    const e = located[s].evidence;
    if (e.kind !== 'bundle') throw new ProofdeskError('USAGE', `evidence #${e.id} is not a bundle (${e.kind})`);
  }
  const trust = runTrust(cf, origins.A, o.extraTrust ?? [], cwd);
  if (trust.trusted.length === 0)
    throw new ProofdeskError(
      'USAGE',
      `no trusted key for origin ${JSON.stringify(origins.A)}: trust one in the case (proofdesk case trust) or give --trust`,
    );

  const stored = { A: storedPathOf(cf, located.A.evidence), B: storedPathOf(cf, located.B.evidence) };
  const parameters: JsonObject = {
    alignBy: alignByLabel(o.alignBy ?? { kind: 'seq' }),
    window: o.window ?? DEFAULT_DIFF_WINDOW,
    maxEntryBytes: o.maxEntryBytes ?? null,
    storedPaths: { A: located.A.evidence.storedPath, B: located.B.evidence.storedPath },
  };
  const runId = startRun(cf, {
    kind: DIFF_RUN_KIND,
    inputs: dedupeInputs([
      { role: DIFF_ROLES.A, evidenceId: located.A.evidence.id },
      { role: DIFF_ROLES.B, evidenceId: located.B.evidence.id },
      ...trust.keyInputs,
    ]),
    parameters,
    trustedKeys: trust.journaled,
  });
  let run: DiffRun;
  try {
    const { a: _a, b: _b, extraTrust: _x, cwd: _c, onImportProgress: _p, ...engine } = o;
    run = await diffBundles({ ...engine, a: stored.A, b: stored.B, trusted: trust.trusted });
  } catch (e) {
    const cancelled = e instanceof ProofdeskError && e.code === 'CANCELLED';
    finishRun(cf, runId, {
      status: cancelled ? 'cancelled' : 'failed',
      error: cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e),
    });
    throw e;
  }
  finishRun(cf, runId, diffOutcome(run));
  return {
    run,
    runId,
    evidence: { A: located.A.evidence, B: located.B.evidence },
    alreadyInCase: { A: located.A.already, B: located.B.already },
  };
}

/** The outcome of a finished comparison, in the form finishRun stores (the result holds no timings). */
export function diffOutcome(run: DiffRun): RunOutcome {
  const findings = diffRunFindings(run.result);
  return {
    status: 'finished',
    verdict: run.result.verdict,
    result: run.result,
    findings,
    counts: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
    stats: run.stats,
  };
}

/**
 * Imports the proof files a comparison wrote (`--out-dir`: consistency and misbehaviour
 * proofs) as evidence of kind `other`, labelled with the run they came from. Other files
 * (diff.json: the result, already stored in the run) are skipped.
 */
export function importDiffEvidence(cf: CaseFile, runId: number, written: readonly string[]): EvidenceRecord[] {
  return written
    .filter((p) => extname(p) === '.proof')
    .map((p) => importEvidence(cf, p, { kind: 'other', label: `run #${runId}: ${basename(p)}` }).evidence);
}

/** The proof files a comparison yields (consistency proof, proof of misbehaviour), named as `diff --out-dir` names them. */
export function diffProofFiles(r: DiffRun['result']): Array<{ readonly name: string; readonly text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  if (r.consistency)
    out.push({
      name: `consistency-${r.consistency.older.size}-${r.consistency.newer.size}.proof`,
      text: r.consistency.file,
    });
  if (r.misbehaviour)
    out.push({
      name: `misbehaviour-${r.misbehaviour.fork.smaller.size}-${r.misbehaviour.fork.larger.size}.proof`,
      text: r.misbehaviour.file,
    });
  return out;
}
