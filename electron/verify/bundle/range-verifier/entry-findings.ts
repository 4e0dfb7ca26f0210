/**
 * The findings of a range and the entry being judged: every finding about an entry is located at
 * it, and once judged the entry joins the ranges its findings put it in (failed, anomalous,
 * undated). Per-entry state lives in plain fields because this runs per entry.
 */
import type { EvidenceValue, FindingCode } from '../../../../shared/verdict/findings.js';
import { FindingSink, MAX_FAILED_RANGES, RangeSet } from './sinks.js';

export class EntryFindings {
  readonly sink: FindingSink;
  readonly failed = new RangeSet(MAX_FAILED_RANGES);
  readonly anomalies = new RangeSet(MAX_FAILED_RANGES);
  readonly signerUntrusted = new RangeSet(MAX_FAILED_RANGES);
  readonly undated = new RangeSet(MAX_FAILED_RANGES);
  /** The entry being judged: its index and its line's region offset. */
  entry = 0;
  offset = 0;
  failedHere = false;
  anomalousHere = false;
  undatedHere = false;

  constructor(
    readonly file: string,
    findingsPerCode: number,
  ) {
    this.sink = new FindingSink(findingsPerCode);
  }

  begin(entry: number, offset: number): void {
    this.entry = entry;
    this.offset = offset;
    this.failedHere = false;
    this.anomalousHere = false;
    this.undatedHere = false;
  }

  /** A fault of the entry itself: it fails. */
  fail(code: FindingCode, message: string, evidence?: Record<string, EvidenceValue>): void {
    this.sink.add(code, { file: this.file, entry: this.entry, offset: this.offset }, message, evidence);
    this.failedHere = true;
  }

  /** A chain, sequence or time rule broken here: which entry is to blame is the diagnosis's call. */
  anomaly(code: FindingCode, message: string, evidence?: Record<string, EvidenceValue>): void {
    this.sink.add(code, { file: this.file, entry: this.entry, offset: this.offset }, message, evidence);
    this.anomalousHere = true;
  }

  /** A finding that does not fail the entry (it counts, or it is unverifiable). */
  note(code: FindingCode, message: string, evidence?: Record<string, EvidenceValue>): void {
    this.sink.add(code, { file: this.file, entry: this.entry, offset: this.offset }, message, evidence);
  }

  /** Files the judged entry under the ranges its findings put it in. */
  end(): void {
    const i = this.entry;
    if (this.failedHere) this.failed.add(i);
    else if (this.undatedHere) this.undated.add(i);
    if (this.anomalousHere) this.anomalies.add(i);
  }
}
