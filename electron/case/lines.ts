/**
 * Splits an entries region into lines for indexing, without hashing them (the verifier
 * already hashed every leaf; the index only needs positions and text). Same line rules as the
 * engine's reader (docs/bundle-format.md §3): a line ends at 0x0A, a trailing line without
 * one is not an entry. Memory is bounded by the read buffer.
 */
import { closeSync, readSync } from 'node:fs';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { FileRegion } from '../platform/bundle-source.js';
import { openRegion } from '../platform/open-regular.js';

const CHUNK = 8 * 1024 * 1024;

export interface RawLine {
  readonly index: number;
  /** Region-relative offset of the first byte. */
  readonly offset: number;
  readonly length: number;
  /** The line without its line feed, or undefined when longer than maxLineBytes. Valid during the callback only. */
  readonly bytes?: Buffer;
}

/** Calls `visit` for every complete line of `region`; returns the number of lines. `chunk` is for tests. */
export function forEachRawLine(
  region: FileRegion,
  maxLineBytes: number,
  visit: (l: RawLine) => void,
  chunk = CHUNK,
): number {
  const cap = Math.max(chunk, maxLineBytes + 1);
  const buf = Buffer.allocUnsafe(cap);
  const fd = openRegion(region);
  let index = 0;
  try {
    let bufStart = 0; // region offset of buf[0]
    let len = 0; // valid bytes in buf
    let pos = 0; // region offset read so far
    // A line too long for the buffer: its start and how much of it has been skipped.
    let longStart = -1;
    for (;;) {
      const want = Math.min(cap - len, region.size - pos);
      if (want > 0) {
        const n = readSync(fd, buf, len, want, region.offset + pos);
        if (n <= 0) throw new ProofdeskError('INPUT_UNREADABLE', 'entries file ended early (was it modified?)');
        len += n;
        pos += n;
      }
      let ls = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, ls);
        if (nl < 0 || nl >= len) break;
        if (longStart >= 0) {
          visit({ index: index++, offset: longStart, length: bufStart + nl - longStart });
          longStart = -1;
        } else {
          const length = nl - ls;
          visit({
            index: index++,
            offset: bufStart + ls,
            length,
            ...(length <= maxLineBytes ? { bytes: buf.subarray(ls, nl) } : {}),
          });
        }
        ls = nl + 1;
      }
      if (pos >= region.size) return index; // whatever is left has no line feed: not an entry
      if (ls === 0 && len === cap) {
        // No line feed in a full buffer: the line is longer than maxLineBytes; skip through it.
        if (longStart < 0) longStart = bufStart;
        bufStart += len;
        len = 0;
        continue;
      }
      buf.copy(buf, 0, ls, len);
      len -= ls;
      bufStart += ls;
    }
  } finally {
    closeSync(fd);
  }
}
