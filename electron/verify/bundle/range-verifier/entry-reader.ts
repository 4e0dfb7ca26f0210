/**
 * Reads the entry lines that start in [job.start, job.end) of the region through a window of the
 * file, and has them judged a batch at a time. buf[0] is headroom: the byte before a line may be
 * overwritten with 0x00 while the line is hashed, so the RFC 9162 leaf input 0x00 || line is
 * hashed without copying the line.
 */
import { createHash } from '../../../platform/node-hash.js';
import { LF, READ_CHUNK, readAt, readBuffer } from './io.js';
import { judgeBatch } from './judge-line.js';
import { BATCH } from './line-batch.js';
import type { RangeRun } from './run.js';

export class EntryReader {
  readonly cap: number;
  readonly buf: Buffer;
  readonly end: number;
  readonly regionOffset: number;
  winStart: number; // region offset of buf[1]
  len = 0; // valid bytes in buf[1 .. 1+len)
  ls = 1; // buffer index of the current line start
  pending = 0; // lines of the current batch
  /** Bytes of the complete lines read. */
  bytesDone = 0;
  lastReport: number;

  constructor(
    readonly run: RangeRun,
    readonly fd: number,
    readonly progress: ((entries: number, bytes: number) => void) | undefined,
  ) {
    const job = run.job;
    this.cap = Math.max(READ_CHUNK, job.maxEntryBytes + 2);
    this.buf = readBuffer(this.cap + 1);
    this.end = job.end;
    this.regionOffset = job.region.offset;
    this.winStart = job.start;
    this.lastReport = Date.now();
  }

  /** Reads and judges every line, then reports bytes after the last line feed. */
  readAll(): void {
    this.fill();
    for (;;) {
      const lineOffset = this.winStart + this.ls - 1;
      if (lineOffset >= this.end) {
        this.flushPending();
        return;
      }
      if (this.takeLine(lineOffset)) continue;
      // No complete line left in the buffer: judge the batch before the buffer moves.
      this.flushPending();
      if (this.winStart + this.len >= this.end) {
        // Bytes after the last line feed: an incomplete line, not an entry.
        this.truncated(lineOffset, this.end - lineOffset);
        return;
      }
      if (this.ls > 1) this.shift();
      else if (!this.streamLongLine(lineOffset)) return;
    }
  }

  /** Adds the line at ls to the batch if the buffer holds all of it (judging a full batch). */
  private takeLine(lineOffset: number): boolean {
    const ls = this.ls;
    const nl = this.buf.indexOf(LF, ls);
    if (nl < 0 || nl >= 1 + this.len) return false;
    const batch = this.run.batch;
    const p = this.pending;
    batch.starts[p] = ls;
    batch.ends[p] = nl;
    batch.offsets[p] = lineOffset;
    this.pending = p + 1;
    this.bytesDone += nl - ls + 1;
    this.ls = nl + 1;
    if (p + 1 === BATCH) this.flushPending();
    return true;
  }

  private fill(): void {
    const want = Math.min(this.cap - this.len, this.end - (this.winStart + this.len));
    if (want > 0)
      this.len += readAt(this.fd, this.buf, 1 + this.len, want, this.regionOffset + this.winStart + this.len);
  }

  private flushPending(): void {
    judgeBatch(this.run, this.buf, this.pending, false);
    this.pending = 0;
    if (this.progress && Date.now() - this.lastReport > 100) {
      this.progress(this.run.counters.entries, this.bytesDone);
      this.lastReport = Date.now();
    }
  }

  /** Moves the partial line to the front and reads more after it. */
  private shift(): void {
    const ls = this.ls;
    this.buf.copy(this.buf, 1, ls, 1 + this.len);
    this.len -= ls - 1;
    this.winStart += ls - 1;
    this.ls = 1;
    this.fill();
  }

  /**
   * A line longer than the whole buffer: longer than maxEntryBytes by construction. Hashes it
   * streaming, never holding it in memory, and judges it alone. False when the region ends
   * inside it.
   */
  private streamLongLine(lineOffset: number): boolean {
    const h = createHash('sha256');
    h.update(Uint8Array.of(0));
    let lineLen = 0;
    let found = -1;
    for (;;) {
      const v = this.buf.subarray(1, 1 + this.len);
      found = v.indexOf(LF);
      if (found >= 0) {
        h.update(v.subarray(0, found));
        lineLen += found;
        break;
      }
      h.update(v);
      lineLen += this.len;
      this.winStart += this.len;
      this.len = 0;
      if (this.winStart >= this.end) break;
      this.fill();
    }
    if (found < 0) {
      this.truncated(lineOffset, lineLen);
      return false;
    }
    this.run.batch.setOverlong(lineOffset, h.digest());
    judgeBatch(this.run, this.buf, 1, true);
    this.bytesDone += lineLen + 1;
    this.ls = 1 + found + 1;
    return true;
  }

  /** The region ends inside a line; only the job holding the region's end reports it. */
  private truncated(lineOffset: number, trailingBytes: number): void {
    const run = this.run;
    if (!run.job.isLast) return;
    run.findings.sink.add(
      'ENTRIES_TRUNCATED',
      { file: run.job.entriesPath, offset: lineOffset, entry: run.index },
      `the entries file ends without a line feed: ${trailingBytes} trailing bytes are an incomplete line`,
      { trailingBytes },
    );
  }
}
