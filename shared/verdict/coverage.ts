/**
 * Three-way coverage (docs/bundle-format.md §7): every entry is verified, failed or
 * unverifiable, each with a reason. Unsealed data is never reported as verified, and an entry
 * is failed only when the evidence shows that entry to be bad; entries that merely lost their
 * proof because a signed root no longer matches are unverifiable (ROOT_NO_LONGER_MATCHES).
 */
import type { Coverage, CoverageRange, CoverageReason, CoverageStatus } from './result.js';

/** [from, to) entry ranges. */
export type Ranges = readonly (readonly [number, number])[];

export interface CoverageInput {
  readonly entryCount: number;
  /** Sizes of the trusted checkpoints, whatever their root status. */
  readonly trustedSizes: readonly number[];
  /** [0, provenPrefix) is proven by a trusted root that matches. */
  readonly provenPrefix: number;
  /** Entries the diagnosis shows changed, inserted or moved. */
  readonly changed: Ranges;
  /** Entries with errors of their own (malformed, bad signature, outside their key's window, defects). */
  readonly errors: Ranges;
  /** Entries signed by a key not trusted as an event source: their signatures were not checked. */
  readonly signerUntrusted?: Ranges;
  /** Entries whose signature's key window the evidence does not show was met. */
  readonly undated?: Ranges;
}

/** In precedence order: the first rule that holds for an entry gives its status. */
const RULES: ReadonlyArray<readonly [CoverageStatus, CoverageReason]> = [
  ['failed', 'ENTRY_CHANGED'],
  ['failed', 'ENTRY_ERRORS'],
  ['unverifiable', 'NO_TRUSTED_CHECKPOINT'],
  ['unverifiable', 'ROOT_NO_LONGER_MATCHES'],
  ['unverifiable', 'SIGNER_NOT_TRUSTED'],
  ['unverifiable', 'SIGNATURE_TIME_NOT_ESTABLISHED'],
  ['verified', 'SIGNED_ROOT_MATCHES'],
];

/** Whether x lies in one of the sorted, non-overlapping ranges (binary search). */
function inRanges(x: number, ranges: Ranges): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid] as readonly [number, number];
    if (x < a) hi = mid - 1;
    else if (x >= b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Requires: every range within [0, entryCount). Ranges may overlap and come in any order.
 * The covered part is [0, min(largest trusted size, entryCount)); above it nothing signed
 * speaks for the entries. Inside it, [0, provenPrefix) is proven by a matching root; the rest
 * is under a trusted root that no longer matches the export (or commits to entries it lacks).
 */
export function computeCoverage(c: CoverageInput): Coverage {
  const covered = Math.min(
    c.trustedSizes.reduce((m, s) => Math.max(m, s), 0),
    c.entryCount,
  );
  const proven = Math.min(c.provenPrefix, covered);
  const sets: Ranges[] = [
    mergeRanges(c.changed),
    mergeRanges(c.errors),
    covered < c.entryCount ? [[covered, c.entryCount]] : [],
    proven < covered ? [[proven, covered]] : [],
    mergeRanges(c.signerUntrusted ?? []),
    mergeRanges(c.undated ?? []),
  ];
  const points = new Set<number>([0, c.entryCount]);
  for (const set of sets)
    for (const [a, b] of set)
      points.add(Math.max(0, Math.min(a, c.entryCount))).add(Math.max(0, Math.min(b, c.entryCount)));
  const cuts = [...points].sort((x, y) => x - y);

  const ranges: CoverageRange[] = [];
  const counts: Record<CoverageStatus, number> = { verified: 0, failed: 0, unverifiable: 0 };
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k] as number;
    const to = cuts[k + 1] as number;
    if (from === to) continue;
    const hit = sets.findIndex((set) => inRanges(from, set));
    const [status, reason] = RULES[hit < 0 ? RULES.length - 1 : hit] as readonly [CoverageStatus, CoverageReason];
    counts[status] += to - from;
    const last = ranges[ranges.length - 1];
    if (last && last.status === status && last.reason === reason && last.to === from)
      ranges[ranges.length - 1] = { ...last, to };
    else ranges.push({ from, to, status, reason });
  }
  return { ...counts, ranges };
}

/** Coverage from one status per entry (formats whose entries are judged one by one). */
export function coverageFromStatuses(
  statuses: ReadonlyArray<{ readonly status: CoverageStatus; readonly reason: CoverageReason }>,
): Coverage {
  const ranges: CoverageRange[] = [];
  const counts: Record<CoverageStatus, number> = { verified: 0, failed: 0, unverifiable: 0 };
  statuses.forEach((s, i) => {
    counts[s.status]++;
    const last = ranges[ranges.length - 1];
    if (last && last.status === s.status && last.reason === s.reason && last.to === i)
      ranges[ranges.length - 1] = { ...last, to: i + 1 };
    else ranges.push({ from: i, to: i + 1, status: s.status, reason: s.reason });
  });
  return { ...counts, ranges };
}

/** Sorts and merges overlapping or touching [from, to) ranges. */
export function mergeRanges(ranges: Ranges): Array<[number, number]> {
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

/** Entries of a coverage with the given reason. */
export function countReason(c: Coverage, reason: CoverageReason): number {
  return c.ranges.filter((g) => g.reason === reason).reduce((a, g) => a + (g.to - g.from), 0);
}
