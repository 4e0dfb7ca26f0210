/** Where a range's findings and failed-entry ranges are collected, bounded against hostile input. */
import {
  type EvidenceValue,
  type Finding,
  type FindingCode,
  finding,
  type Location,
} from '../../../../shared/verdict/findings.js';

/** Failed-entry ranges kept per job before coarsening (see RangeSet). */
export const MAX_FAILED_RANGES = 50_000;

/** Keeps the first `limit` findings of each code and counts the rest. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly omitted: Partial<Record<FindingCode, number>> = {};
  readonly #perCode = new Map<FindingCode, number>();
  constructor(readonly limit: number) {}

  add(code: FindingCode, location: Location, message: string, evidence?: Record<string, EvidenceValue>): void {
    const n = this.#perCode.get(code) ?? 0;
    this.#perCode.set(code, n + 1);
    if (n < this.limit) this.findings.push(finding(code, location, message, evidence));
    else this.omitted[code] = (this.omitted[code] ?? 0) + 1;
  }
}

/**
 * Sorted [from, to) ranges of failed entries, added in increasing order. Past `cap` ranges
 * the last one is stretched to cover new failures: this can only report more entries as
 * failed, never fewer, so coverage stays conservative under hostile input.
 */
export class RangeSet {
  readonly ranges: Array<[number, number]> = [];
  constructor(readonly cap: number) {}
  add(i: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && i < last[1]) return;
    if (last && (i === last[1] || this.ranges.length >= this.cap)) last[1] = i + 1;
    else this.ranges.push([i, i + 1]);
  }
}
