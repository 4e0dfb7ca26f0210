/**
 * The one reader of entry lines from a file region, for the tools that need entries in order
 * on the main thread (proof generation, diffs, the entry browser, case indexing). The line
 * rule is docs/bundle-format.md §3: a line ends at 0x0A; a trailing line without one is not an
 * entry. Memory is bounded by the read buffer plus the longest line handed out; lines longer
 * than `maxLineBytes` are reported (with their leaf hash, when hashing) but without their bytes.
 * (The verification workers split lines inside their own hashing loop, in
 * verify/bundle/range-verifier.ts; tests hold the two to the same rule.)
 */
import { closeSync, readSync } from 'node:fs';
import type { RegionRef } from '../../shared/protocol/worker.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { createHash, nodeSha256 } from './node-hash.js';
import { openRegion } from './open-regular.js';

export interface RawLine {
  readonly index: number;
  /** Region-relative offset of the line's first byte. */
  readonly offset: number;
  /** The line without its line feed; undefined when longer than maxLineBytes. Valid only during the callback. */
  readonly bytes?: Buffer;
  readonly length: number;
}

export interface LineVisit extends RawLine {
  /** RFC 9162 leaf hash of the line: SHA-256(0x00 || line). */
  readonly leafHash: Uint8Array;
}

export interface LineOptions {
  /** Region offset of a line start to begin at (default 0); its index is `firstIndex`. */
  readonly from?: number;
  readonly firstIndex?: number;
  readonly maxLineBytes?: number;
  /** Read buffer size; tests make it tiny so lines cross buffer boundaries. */
  readonly chunkBytes?: number;
}

const CHUNK = 4 * 1024 * 1024;

/**
 * Calls `visit` for every complete line starting at region offset `from` (a line start; its
 * index is `firstIndex`) with its leaf hash, until `visit` returns false (anything else goes on)
 * or the region ends.
 * Returns the index after the last line visited.
 */
export function forEachLine(region: RegionRef, visit: (v: LineVisit) => unknown, opts: LineOptions = {}): number {
  return scanLines(region, visit as (v: Scanned) => unknown, opts, true);
}

/** forEachLine without hashing, for readers that need positions and text only (the case's search index). */
export function forEachRawLine(region: RegionRef, visit: (v: RawLine) => unknown, opts: LineOptions = {}): number {
  return scanLines(region, visit, opts, false);
}

/** A line as scanned: with its leaf hash when hashing, else leafHash undefined. */
type Scanned = RawLine & { readonly leafHash: Uint8Array | undefined };

/**
 * The read window over the region: window bytes sit at buf[1 .. 1+len) so buf[0] (or the byte
 * before any line) can hold the leaf prefix 0x00 while hashing in place, without a copy.
 */
class LineWindow {
  len = 0;
  constructor(
    readonly fd: number,
    readonly region: RegionRef,
    readonly buf: Buffer,
    readonly cap: number,
    /** Region offset of the window's first byte. */
    public winStart: number,
  ) {}

  /** Reads until the buffer is full or the region ends. */
  fill(): void {
    const { fd, buf, region } = this;
    const want = Math.min(this.cap - this.len, region.size - (this.winStart + this.len));
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, 1 + this.len + got, want - got, region.offset + this.winStart + this.len + got);
      if (n <= 0) throw new ProofdeskError('INPUT_UNREADABLE', 'file ended early (was it modified?)');
      got += n;
    }
    this.len += got;
  }

  /** Drops the bytes before buffer position `ls` (the next line start) and refills. */
  slide(ls: number): void {
    this.buf.copy(this.buf, 1, ls, 1 + this.len);
    this.len -= ls - 1;
    this.winStart += ls - 1;
    this.fill();
  }
}

/** SHA-256(0x00 || buf[ls..nl)), borrowing the byte before the line for the prefix and restoring it. */
function leafHashInPlace(buf: Buffer, ls: number, nl: number): Uint8Array {
  const save = buf[ls - 1] ?? 0;
  buf[ls - 1] = 0;
  const leafHash = nodeSha256(buf.subarray(ls - 1, nl));
  buf[ls - 1] = save;
  return leafHash;
}

interface LongLine {
  readonly length: number;
  readonly leafHash: Uint8Array | undefined;
  /** Window position (from buf[1]) of the line feed that ends the line. */
  readonly end: number;
}

/**
 * A line longer than the buffer, starting at the window's start: hashes it streaming (or just
 * finds its end). Undefined when the region ends first (a trailing partial line).
 */
function streamLongLine(w: LineWindow, hash: boolean): LongLine | undefined {
  const h = hash ? createHash('sha256').update(Uint8Array.of(0)) : undefined;
  let length = 0;
  for (;;) {
    const v = w.buf.subarray(1, 1 + w.len);
    const found = v.indexOf(0x0a);
    if (found >= 0) {
      h?.update(v.subarray(0, found));
      return { length: length + found, leafHash: h?.digest(), end: found };
    }
    h?.update(v);
    length += w.len;
    w.winStart += w.len;
    w.len = 0;
    if (w.winStart >= w.region.size) return undefined;
    w.fill();
  }
}

function scanLines(region: RegionRef, visit: (v: Scanned) => unknown, opts: LineOptions, hash: boolean): number {
  const maxLine = opts.maxLineBytes ?? 1024 * 1024;
  const cap = Math.max(opts.chunkBytes ?? CHUNK, maxLine + 2);
  const buf = Buffer.allocUnsafe(cap + 1);
  const fd = openRegion(region);
  let index = opts.firstIndex ?? 0;
  try {
    const w = new LineWindow(fd, region, buf, cap, opts.from ?? 0);
    let ls = 1;
    w.fill();
    for (;;) {
      if (w.winStart + ls - 1 >= region.size) return index;
      const nl = buf.subarray(0, 1 + w.len).indexOf(0x0a, ls);
      if (nl >= 0) {
        const leafHash = hash ? leafHashInPlace(buf, ls, nl) : undefined;
        const length = nl - ls;
        // leafHash is undefined when not hashing; RawLine readers never look at it.
        const cont = visit({
          index,
          offset: w.winStart + ls - 1,
          leafHash,
          ...(length <= maxLine ? { bytes: buf.subarray(ls, nl) } : {}),
          length,
        });
        index++;
        ls = nl + 1;
        if (cont === false) return index;
        continue;
      }
      if (w.winStart + w.len >= region.size) return index; // trailing partial line
      if (ls > 1) {
        w.slide(ls);
        ls = 1;
        continue;
      }
      const offset = w.winStart;
      const long = streamLongLine(w, hash);
      if (long === undefined) return index;
      const cont = visit({ index, offset, leafHash: long.leafHash, length: long.length });
      index++;
      ls = long.end + 2;
      if (cont === false) return index;
    }
  } finally {
    closeSync(fd);
  }
}
