/**
 * Comparing two exports of one log (docs/diff.md): the one service behind `proofdesk diff` and
 * the app.
 *
 *   manifests (same origin, or a typed error) → verify A → verify B (verifyBundle, all workers)
 *   → descend both Merkle trees over the index block roots to the first divergent entry
 *   → pool the trusted checkpoints and judge (shared/diff/judge.ts)
 *   → evidence: consistency proof, proof of misbehaviour, entry diff around the divergence
 *
 * Only the blocks the descent and the proofs need are read after verification; the entries
 * themselves are never scanned a second time.
 */

import { DEFAULT_MAX_ENTRY_BYTES } from '../../shared/bundle/entry.js';
import { firstDivergence } from '../../shared/diff/descent.js';
import type { AlignBy } from '../../shared/diff/entries.js';
import type { DiffRun, DiffStats, Side } from '../../shared/diff/model.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { Finding } from '../../shared/verdict/findings.js';
import { consistencyEvidence } from './diff-bundles/consistency.js';
import { entriesAround } from './diff-bundles/entries-around.js';
import { judge } from './diff-bundles/judge-input.js';
import { buildMisbehaviour } from './diff-bundles/misbehaviour.js';
import type { DiffOptions } from './diff-bundles/options.js';
import { diffResult } from './diff-bundles/result.js';
import { assertSameLog, load, type Sides, throwIfCancelled, verifySides } from './diff-bundles/sides.js';

export type { DiffOptions, DiffProgress } from './diff-bundles/options.js';

export const DEFAULT_DIFF_WINDOW = 1000;
export const MAX_DIFF_WINDOW = 100_000;

/**
 * Verifies both exports and compares them. Throws ProofdeskError USAGE (detail.reason
 * ORIGIN_MISMATCH) when they are exports of different logs, and the errors of verifyBundle for
 * unusable input; everything the evidence shows is in the result.
 */
export async function diffBundles(opts: DiffOptions): Promise<DiffRun> {
  const t0 = Date.now();
  const window = opts.window ?? DEFAULT_DIFF_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1 || window > MAX_DIFF_WINDOW)
    throw new ProofdeskError('USAGE', `the diff window must be between 1 and ${MAX_DIFF_WINDOW} entries`);
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const alignBy: AlignBy = opts.alignBy ?? { kind: 'seq' };
  throwIfCancelled(opts.signal);

  // Refuse a comparison across logs before spending minutes verifying.
  const sides: Sides = { A: load('A', opts.a), B: load('B', opts.b) };
  assertSameLog(sides);
  const verifyMs = await verifySides(sides, opts, maxEntryBytes);
  throwIfCancelled(opts.signal);
  opts.onProgress?.({ stage: 'compare' });
  const tc = Date.now();

  const A = sides.A.entries;
  const B = sides.B.entries;
  const counts: Record<Side, number> = { A: A?.count ?? 0, B: B?.count ?? 0 };
  const compared = Math.min(counts.A, counts.B);
  const search = A && B ? firstDivergence(A.tree, B.tree, compared) : { comparisons: 0 };
  const k = search.index;
  const j = judge(sides, counts, k);
  const findings: Finding[] = [...j.findings];
  const around = k !== undefined && A && B ? entriesAround(A, B, k, { window, maxEntryBytes, alignBy }) : undefined;
  if (around) findings.push(around.finding);
  const consistency =
    j.consistencyPair && j.consistencyPair.older.size > 0 ? consistencyEvidence(sides, j.consistencyPair) : undefined;
  // The proof of misbehaviour is made for the first fork.
  const fork = j.forks[0];
  const misbehaviour = fork ? buildMisbehaviour(fork, sides, j.relations, k, opts.trusted, maxEntryBytes) : undefined;

  const result = diffResult({
    sides,
    counts,
    compared,
    comparisons: search.comparisons,
    k,
    judgement: j,
    findings,
    around,
    consistency,
    misbehaviour,
  });
  const ta = A?.tree.stats;
  const tb = B?.tree.stats;
  opts.onProgress?.({ stage: 'done' });
  const stats: DiffStats = {
    elapsedMs: Date.now() - t0,
    verifyMs: { a: verifyMs.A, b: verifyMs.B },
    compareMs: Date.now() - tc,
    hashes: (ta?.hashes ?? 0) + (tb?.hashes ?? 0),
    blocksRead: (ta?.blocksLoaded ?? 0) + (tb?.blocksLoaded ?? 0),
  };
  return { result, stats };
}
