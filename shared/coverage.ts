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
 * Requires: checkpoints are trusted and each size <= entryCount; failedEntries are sorted,
 * non-overlapping [from, to) ranges within [0, entryCount).
 *
 * A mismatching checkpoint of size s fails the entries between the largest matching
 * checkpoint below s and s: the entries below a matching signed root are exactly what the
 * log signed at that size, so the damage lies above it.
 */
export function computeCoverage(
  entryCount: number,
  checkpoints: readonly CoverageCheckpoint[],
  failedEntries: readonly (readonly [number, number])[],
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
    else if (from < maxSize) [status, reason] = ['verified', 'SIGNED_ROOT_MATCHES'];
    else [status, reason] = ['unverifiable', 'NO_TRUSTED_CHECKPOINT'];
    counts[status] += to - from;
    const last = ranges[ranges.length - 1];
    if (last && last.status === status && last.reason === reason && last.to === from) ranges[ranges.length - 1] = { ...last, to };
    else ranges.push({ from, to, status, reason });
  }
  return { ...counts, ranges };
}

/** Sorts and merges overlapping or touching [from, to) ranges. */
export function mergeRanges(ranges: readonly (readonly [number, number])[]): Array<[number, number]> {
  const s = ranges.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}
