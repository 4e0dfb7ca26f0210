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

function scanLines(region: RegionRef, visit: (v: Scanned) => unknown, opts: LineOptions, hash: boolean): number {
  const maxLine = opts.maxLineBytes ?? 1024 * 1024;
  const cap = Math.max(opts.chunkBytes ?? CHUNK, maxLine + 2);
  const buf = Buffer.allocUnsafe(cap + 1);
  const fd = openRegion(region);
  let index = opts.firstIndex ?? 0;
  try {
    let winStart = opts.from ?? 0;
    let len = 0;
    let ls = 1;
    const fill = () => {
      const want = Math.min(cap - len, region.size - (winStart + len));
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, 1 + len + got, want - got, region.offset + winStart + len + got);
        if (n <= 0) throw new ProofdeskError('INPUT_UNREADABLE', 'file ended early (was it modified?)');
        got += n;
      }
      len += got;
    };
    fill();
    for (;;) {
      if (winStart + ls - 1 >= region.size) return index;
      const nl = buf.subarray(0, 1 + len).indexOf(0x0a, ls);
      if (nl >= 0) {
        let leafHash: Uint8Array | undefined;
        if (hash) {
          const save = buf[ls - 1] ?? 0;
          buf[ls - 1] = 0;
          leafHash = nodeSha256(buf.subarray(ls - 1, nl));
          buf[ls - 1] = save;
        }
        const length = nl - ls;
        // leafHash is undefined when not hashing; RawLine readers never look at it.
        const cont = visit({
          index,
          offset: winStart + ls - 1,
          leafHash,
          ...(length <= maxLine ? { bytes: buf.subarray(ls, nl) } : {}),
          length,
        });
        index++;
        ls = nl + 1;
        if (cont === false) return index;
        continue;
      }
      if (winStart + len >= region.size) return index; // trailing partial line
      if (ls > 1) {
        buf.copy(buf, 1, ls, 1 + len);
        len -= ls - 1;
        winStart += ls - 1;
        ls = 1;
        fill();
        continue;
      }
      // A line longer than the buffer: hash it streaming (or just find its end).
      const offset = winStart;
      const h = hash ? createHash('sha256').update(Uint8Array.of(0)) : undefined;
      let length = 0;
      let found = -1;
      for (;;) {
        const v = buf.subarray(1, 1 + len);
        found = v.indexOf(0x0a);
        if (found >= 0) {
          h?.update(v.subarray(0, found));
          length += found;
          break;
        }
        h?.update(v);
        length += len;
        winStart += len;
        len = 0;
        if (winStart >= region.size) return index;
        fill();
      }
      const cont = visit({ index, offset, leafHash: h?.digest(), length });
      index++;
      ls = found + 2;
      if (cont === false) return index;
    }
  } finally {
    closeSync(fd);
  }
}
