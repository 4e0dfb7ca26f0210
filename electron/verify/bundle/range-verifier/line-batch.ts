/**
 * One batch of lines: where they are, what reading them gave, and their hashes. Lines are read
 * (fields) first, then hashed in batched calls (leaves, links), then judged in order. The arrays
 * are reused batch after batch.
 */
import { isUtf8 } from 'node:buffer';
import { type EntryFields, entryFieldsDiffer, parseEntryLine, readEntryLine } from '../../../../shared/bundle/entry.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';

/**
 * Lines read, hashed and judged together (the hashing is batched per call). Small enough that a
 * batch's fields die young: 4096 lines kept them alive past the young generation, and peak RSS
 * with two workers went from 136 to 205 MB at 1M entries; 128 lines keep it at 136 MB, and the
 * addon's per-call cost is still paid once per 128 lines.
 */
export const BATCH = 128;
/** What reading a line gave, when not its fields or a JSON error: too large to parse, not UTF-8. */
export const TOO_LARGE = 1;
export const NOT_UTF8 = 2;

/** A line's fields, its JSON error, or TOO_LARGE / NOT_UTF8. */
export type LineRead = EntryFields | string | number;

export class LineBatch {
  readonly starts = new Int32Array(BATCH);
  readonly ends = new Int32Array(BATCH);
  /** Region offset of each line. */
  readonly offsets = new Float64Array(BATCH);
  readonly reads: LineRead[] = new Array(BATCH).fill(0);
  readonly leaves = Buffer.alloc(BATCH * 32);
  /** prev of line k as bytes at 32k, where has[k] is 1. */
  readonly prevs = Buffer.alloc(BATCH * 32);
  readonly has = new Uint8Array(BATCH);
  readonly links = Buffer.alloc(BATCH * 32);

  constructor(
    readonly maxEntryBytes: number,
    readonly crossCheck: boolean,
  ) {}

  /** Reads the lines [0, count) of the batch in buf; line 0 is entry `firstIndex`. */
  readAll(buf: Buffer, count: number, firstIndex: number): void {
    // Lines are split at line feeds, which no UTF-8 sequence contains: when the batch's bytes
    // are valid UTF-8 as a whole, every line is, and only a batch that is not checks line by line.
    const batchUtf8 = isUtf8(buf.subarray(this.starts[0]!, this.ends[count - 1]!));
    for (let k = 0; k < count; k++) this.readLine(buf, k, batchUtf8, firstIndex);
  }

  /** Line 0 is a line too long to hold, hashed streaming (leaf hash `leaf`): not read. */
  setOverlong(offset: number, leaf: Buffer): void {
    leaf.copy(this.leaves, 0);
    this.reads[0] = TOO_LARGE;
    this.has[0] = 0;
    this.offsets[0] = offset;
  }

  /** Reads line k (buf[starts[k], ends[k])): its fields, or why it has none. */
  private readLine(buf: Buffer, k: number, batchUtf8: boolean, firstIndex: number): void {
    const s = this.starts[k]!;
    const e = this.ends[k]!;
    let r: LineRead;
    if (e - s > this.maxEntryBytes) r = TOO_LARGE;
    else if (!batchUtf8 && !isUtf8(buf.subarray(s, e))) r = NOT_UTF8;
    else {
      const text = buf.toString('utf8', s, e);
      // The one-pass scan (the reference JSON.parse path for anything unusual); with
      // --cross-check both readings of every line, which must agree.
      r = readEntryLine(text);
      if (this.crossCheck) {
        const where = entryFieldsDiffer(r, parseEntryLine(text));
        if (where !== undefined)
          throw new ProofdeskError('INTERNAL', `the two entry readers disagree on ${where} of entry ${firstIndex + k}`);
      }
    }
    this.reads[k] = r;
    if (typeof r === 'object' && r.prev !== undefined) {
      this.prevs.write(r.prev, 32 * k, 32, 'hex');
      this.has[k] = 1;
    } else this.has[k] = 0;
  }
}
