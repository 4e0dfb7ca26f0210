/**
 * Three-way coverage (docs/bundle-format.md §7): every entry is verified, failed or
 * unverifiable. Unsealed data is never reported as verified.
 */
import type { Coverage, CoverageRange, CoverageReason, CoverageStatus } from './result.js';

export interface CoverageCheckpoint {
  readonly size: number;
  /** True when the recomputed root equals the signed root. */
  readonly matches: boolean;
}

/**
 * Requires: checkpoints are trusted and each size <= entryCount; failedEntries and
 * undatedEntries are sorted, non-overlapping [from, to) ranges within [0, entryCount).
 * An undated entry (its signature's key window not shown to be met) under a trusted checkpoint
 * is unverifiable: nothing shows it wrong, and nothing shows its signature valid. Failures and
 * the unsealed tail take precedence, so the tail keeps its own reason.
 *
 * A mismatching checkpoint of size s fails the entries between the largest matching
 * checkpoint below s and s: the entries below a matching signed root are exactly what the
 * log signed at that size, so the damage lies above it.
 */
export function computeCoverage(
  entryCount: number,
  checkpoints: readonly CoverageCheckpoint[],
  failedEntries: readonly (readonly [number, number])[],
  undatedEntries: readonly (readonly [number, number])[] = [],
): Coverage {
  const sorted = [...checkpoints].sort((a, b) => a.size - b.size);
  const maxSize = sorted.length ? sorted[sorted.length - 1]!.size : 0;
  const rootFailed: Array<[number, number]> = [];
  let lastGood = 0;
  for (const cp of sorted) {
    if (cp.matches) lastGood = Math.max(lastGood, cp.size);
    else if (cp.size > lastGood) rootFailed.push([lastGood, cp.size]);
  }
  // Build the status of each elementary interval between breakpoints.
  const points = new Set<number>([0, entryCount, Math.min(maxSize, entryCount)]);
  for (const [a, b] of rootFailed) points.add(a).add(b);
  for (const [a, b] of failedEntries) points.add(a).add(b);
  for (const [a, b] of undatedEntries) points.add(a).add(b);
  const cuts = [...points].filter((p) => p >= 0 && p <= entryCount).sort((a, b) => a - b);

  const inRanges = (x: number, ranges: readonly (readonly [number, number])[]) => {
    // Ranges are few for root failures; entry failures are sorted, so binary search.
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = ranges[mid]!;
      if (x < a) hi = mid - 1;
      else if (x >= b) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const rootFailedSorted = mergeRanges(rootFailed);

  const ranges: CoverageRange[] = [];
  const counts: Record<CoverageStatus, number> = { verified: 0, failed: 0, unverifiable: 0 };
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k]!;
    const to = cuts[k + 1]!;
    if (from === to) continue;
    let status: CoverageStatus;
    let reason: CoverageReason;
    if (inRanges(from, failedEntries)) [status, reason] = ['failed', 'ENTRY_ERRORS'];
    else if (inRanges(from, rootFailedSorted)) [status, reason] = ['failed', 'ROOT_MISMATCH'];
    else if (from >= maxSize) [status, reason] = ['unverifiable', 'NO_TRUSTED_CHECKPOINT'];
    else if (inRanges(from, undatedEntries)) [status, reason] = ['unverifiable', 'SIGNATURE_TIME_NOT_ESTABLISHED'];
    else [status, reason] = ['verified', 'SIGNED_ROOT_MATCHES'];
    counts[status] += to - from;
    const last = ranges[ranges.length - 1];
    if (last && last.status === status && last.reason === reason && last.to === from)
      ranges[ranges.length - 1] = { ...last, to };
    else ranges.push({ from, to, status, reason });
  }
  return { ...counts, ranges };
}

/** Sorts and merges overlapping or touching [from, to) ranges. */
export function mergeRanges(ranges: readonly (readonly [number, number])[]): Array<[number, number]> {
  const s = ranges
    .filter(([a, b]) => b > a)
    .map(([a, b]) => [a, b] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/**
 * Why a coverage's unverifiable entries cannot be verified, as the words that follow
 * "N of M entries" in a verdict sentence (the report's headline and the app's).
 */
export function unverifiableWhy(c: Coverage): string {
  const undated = c.ranges
    .filter((g) => g.reason === 'SIGNATURE_TIME_NOT_ESTABLISHED')
    .reduce((a, g) => a + (g.to - g.from), 0);
  if (undated === 0) return 'are not covered by a trusted signed checkpoint';
  if (undated === c.unverifiable)
    return 'are signed by a key whose validity at signing time the evidence does not establish';
  return 'are not covered by a trusted signed checkpoint, or are signed by a key whose validity at signing time the evidence does not establish';
}
