/**
 * What the verification says about one entry: its coverage range and status, the diagnosis's
 * cause that holds it, and the entries the findings index lists. Pure.
 */
import type { EntryStatus } from '../../../../shared/protocol/ipc.js';
import type { Cause } from '../../../../shared/verdict/cause.js';
import type { CoverageRange, VerificationResult } from '../../../../shared/verdict/result.js';

export const STATUS_TEXT: Record<EntryStatus, string> = {
  verified: 'verified',
  failed: 'failed',
  'no-longer-proven': 'no longer proven',
  unverifiable: 'unverifiable',
};

/** Entries the findings index lists at most, from the diagnosis (error findings are added). */
const CAUSE_ENTRIES_MAX = 10_000;

export function rangeAt(ranges: readonly CoverageRange[], i: number): CoverageRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (i < r.from) hi = mid - 1;
    else if (i >= r.to) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** An entry's status, with "no longer proven" apart from never proven (as the timeline draws it). */
export function statusAt(ranges: readonly CoverageRange[], i: number): EntryStatus {
  const r = rangeAt(ranges, i);
  if (!r) return 'unverifiable';
  if (r.status === 'unverifiable' && r.reason === 'ROOT_NO_LONGER_MATCHES') return 'no-longer-proven';
  return r.status;
}

/** The diagnosis's cause for entry i: one whose entries hold it, or a removal just before it. */
export function causeAt(r: VerificationResult, i: number): Cause | undefined {
  return r.diagnosis.find((c) => {
    if (!c.entries || c.severity !== 'error') return false;
    if (c.ranges) return c.ranges.some((x) => (x.from === x.to ? x.from === i : i >= x.from && i < x.to));
    return c.entries.from === c.entries.to ? c.entries.from === i : i >= c.entries.from && i < c.entries.to;
  });
}

/** Entries the diagnosis names, for the findings index (bounded). */
function causeEntries(r: VerificationResult, limit: number): number[] {
  const out: number[] = [];
  for (const c of r.diagnosis) {
    if (!c.entries || c.severity !== 'error') continue;
    for (const x of c.ranges ?? [c.entries]) {
      const to = Math.max(x.to, x.from + 1);
      for (let i = x.from; i < to && out.length < limit; i++) if (i < r.bundle.entryCount) out.push(i);
    }
  }
  return out;
}

/** Every entry with an error (a cause of the diagnosis or an error finding), in order, each once. */
export function findingEntriesOf(result: VerificationResult): number[] {
  const s = new Set<number>(causeEntries(result, CAUSE_ENTRIES_MAX));
  for (const f of result.findings)
    if (f.severity === 'error' && f.location.entry !== undefined) s.add(f.location.entry);
  return [...s].sort((a, b) => a - b);
}
