/**
 * Random access to a verified export's entries for a diff: the Merkle tree over its index
 * blocks (shared/diff/subtree.ts BlockTree), and reads of single blocks, single entries and
 * windows of entries by byte offset from the index — never a scan of the whole file.
 */
import { closeSync } from 'node:fs';
import type { WindowEntry } from '../../../shared/diff/entries.js';
import { BlockTree } from '../../../shared/diff/subtree.js';
import type { EntryIndex } from '../../../shared/protocol/verify-output.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { FileRegion } from '../../platform/bundle-source.js';
import { forEachLine } from '../../platform/line-reader.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { openRegion, readExactly } from '../../platform/open-regular.js';

export interface ExportEntries {
  readonly count: number;
  readonly tree: BlockTree;
  /**
   * Up to `n` entries from index `from` on, with their bytes when not longer than maxLineBytes.
   * `complete` is true when the read reached the last entry. Requires 0 <= from <= count.
   */
  readWindow(from: number, n: number, maxLineBytes: number): { entries: WindowEntry[]; complete: boolean };
}

function log2(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l)) throw new ProofdeskError('INTERNAL', `index block size ${n} is not a power of two`);
  return l;
}

const DIRECT_READ_LIMIT = 8 * 1024 * 1024;

function readBytes(region: FileRegion, offset: number, length: number): Buffer {
  const fd = openRegion(region);
  try {
    return readExactly(fd, length, region.offset + offset, 'entries file');
  } finally {
    closeSync(fd);
  }
}

/** Leaf hashes of the first `want` LF-terminated lines of `buf` (RFC 9162 §2.1.1: HASH(0x00 || line)). */
function hashLines(buf: Buffer, want: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const scratch = Buffer.allocUnsafe(buf.length + 1);
  let start = 0;
  while (out.length < want) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    scratch[0] = 0x00;
    buf.copy(scratch, 1, start, nl);
    out.push(nodeSha256(scratch.subarray(0, nl - start + 1)));
    start = nl + 1;
  }
  return out;
}

/** Wraps an EntryIndex from verifyBundle. Reads go to the same file region verification read. */
export function exportEntries(index: EntryIndex): ExportEntries {
  const per = index.blockLeaves;
  const startOf = (from: number): { offset: number; first: number } => {
    const block = Math.floor(from / per);
    if (block >= index.blockOffsets.length) return { offset: index.region.size, first: index.count };
    return { offset: index.blockOffsets[block]!, first: block * per };
  };
  const loadBlock = (block: number): Uint8Array[] => {
    const end = Math.min(index.count, (block + 1) * per);
    const from = index.blockOffsets[block]!;
    const to = block + 1 < index.blockOffsets.length ? index.blockOffsets[block + 1]! : index.region.size;
    // A block's bytes are known from the index; read exactly them unless its lines are huge.
    if (to - from <= DIRECT_READ_LIMIT) return hashLines(readBytes(index.region, from, to - from), end - block * per);
    const leaves: Uint8Array[] = [];
    forEachLine(
      index.region,
      (v) => {
        leaves.push(v.leafHash);
        return v.index + 1 < end;
      },
      { from: index.blockOffsets[block]!, firstIndex: block * per, maxLineBytes: 0 },
    );
    return leaves;
  };
  const tree = new BlockTree({
    size: index.count,
    blockLevel: log2(per),
    blockRoots: index.blockRoots,
    loadBlock,
    hash: nodeSha256,
  });
  return {
    count: index.count,
    tree,
    readWindow(from, n, maxLineBytes) {
      if (!(from >= 0 && from <= index.count))
        throw new ProofdeskError('USAGE', 'window start outside the export', { from, count: index.count });
      const entries: WindowEntry[] = [];
      const end = Math.min(index.count, from + n);
      if (from < end) {
        const s = startOf(from);
        forEachLine(
          index.region,
          (v) => {
            if (v.index >= from) {
              entries.push({
                index: v.index,
                offset: v.offset,
                leafHash: v.leafHash,
                length: v.length,
                ...(v.bytes ? { bytes: Uint8Array.from(v.bytes) } : {}),
              });
            }
            return v.index + 1 < end;
          },
          { from: s.offset, firstIndex: s.first, maxLineBytes },
        );
      }
      return { entries, complete: end === index.count };
    },
  };
}
