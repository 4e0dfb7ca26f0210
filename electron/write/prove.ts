/**
 * Proof generation from a bundle, streaming: each RFC 9162 proof element is the root of a
 * contiguous leaf range (shared/merkle/proof.ts gives the ranges), so one pass over the
 * entries computes them all in O(log n) memory.
 */

import type { RegionRef } from '../../shared/protocol/worker.js';
import { CompactRange } from '../../shared/tlog/merkle/compact.js';
import { consistencyProofRanges, inclusionProofRanges, type LeafRange } from '../../shared/tlog/merkle/proof.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { forEachLine } from '../platform/line-reader.js';
import { nodeSha256 } from '../platform/node-hash.js';

/** Roots of the given disjoint leaf ranges, plus the bytes of the entry at `wantLine` if asked. */
export function rangeRoots(
  region: RegionRef,
  ranges: readonly LeafRange[],
  wantLine?: number,
): { roots: Uint8Array[]; line?: Uint8Array } {
  const order = ranges.map((r, k) => ({ r, k })).sort((a, b) => a.r[0] - b.r[0]);
  const roots: Uint8Array[] = new Array(ranges.length);
  let cur = 0;
  let acc: CompactRange | undefined;
  let line: Uint8Array | undefined;
  const end = Math.max(0, ...ranges.map((r) => r[1]), wantLine !== undefined ? wantLine + 1 : 0);
  const seen = forEachLine(region, (v) => {
    if (v.index === wantLine) {
      if (!v.bytes) throw new ProofdeskError('INPUT_TOO_LARGE', `entry ${wantLine} is too large to embed in a proof`);
      line = Uint8Array.from(v.bytes);
    }
    while (cur < order.length && v.index >= order[cur]!.r[1]) cur++;
    const o = order[cur];
    if (o && v.index >= o.r[0]) {
      if (!acc) acc = new CompactRange(0, nodeSha256);
      acc.append(v.leafHash);
      if (v.index === o.r[1] - 1) {
        roots[o.k] = acc.root();
        acc = undefined;
      }
    }
    return v.index + 1 < end;
  });
  if (seen < end)
    throw new ProofdeskError('INPUT_MALFORMED', `the entries file holds ${seen} entries; ${end} are needed`);
  return { roots, ...(line ? { line } : {}) };
}

export function inclusionProofFromRegion(
  region: RegionRef,
  index: number,
  size: number,
): { hashes: Uint8Array[]; line: Uint8Array } {
  if (!(index >= 0 && index < size))
    throw new ProofdeskError('USAGE', `index ${index} is not below the tree size ${size}`);
  const { roots, line } = rangeRoots(region, inclusionProofRanges(index, size), index);
  return { hashes: roots, line: line! };
}

export function consistencyProofFromRegion(region: RegionRef, size1: number, size2: number): Uint8Array[] {
  if (!(size1 > 0 && size1 <= size2))
    throw new ProofdeskError('USAGE', `a consistency proof needs 0 < old size <= new size (got ${size1} → ${size2})`);
  return rangeRoots(region, consistencyProofRanges(size1, size2)).roots;
}
