/**
 * Random access to a verified tiled log's entries, in the shape the diff engine reads exports
 * through (electron/diff/diff-entries.ts `ExportEntries`): the Merkle tree over its 256-leaf
 * blocks (whose roots verification computed) and windows of entries read tile by tile. With it,
 * a diff of two tiled logs needs no scan beyond the leaf tiles around the divergence.
 *
 * WindowEntry.offset is the byte offset of the entry inside its entry bundle, data tile or leaf
 * file (tiled logs have no single entries file).
 */

import type { WindowEntry } from '../../shared/diff/entries.js';
import { BlockTree } from '../../shared/diff/subtree.js';
import { bytesEqual, tryDecodeUtf8 } from '../../shared/encoding/bytes.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { merkleRoot } from '../../shared/tlog/merkle/tree.js';
import { parseDataTile, parseEntryBundle, serverlessLeafPath, tilePath } from '../../shared/tlog/tiles.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type BundleSource, openBundle, readRegion } from '../platform/bundle-source.js';
import { nodeSha256 } from '../platform/node-hash.js';
import type { ExportEntries } from '../verify/bundle/export-entries.js';
import type { TiledLogIndex } from '../verify/formats/common.js';

interface LeafTile {
  readonly entries: readonly Uint8Array[];
  /** Offset of each entry's bytes in its file. */
  readonly offsets: readonly number[];
}

const MAX_TILE_READ = 64 * 1024 * 1024;

/** Reads leaf tile `n` (entries n·256 … n·256 + width − 1) of a tiled log that verification read. */
export function readLeafTile(
  source: BundleSource,
  layout: TiledLogIndex['layout'],
  n: number,
  width: number,
): LeafTile {
  if (layout === 'serverless') {
    const entries: Uint8Array[] = [];
    for (let i = n * 256; i < n * 256 + width; i++) {
      const loc = source.locate(serverlessLeafPath(i));
      if (!loc.ok) throw new ProofdeskError('INPUT_UNREADABLE', `leaf ${i} can no longer be read: ${loc.detail}`);
      entries.push(readRegion(loc.region, MAX_TILE_READ, serverlessLeafPath(i)));
    }
    return { entries, offsets: entries.map(() => 0) };
  }
  const full = tilePath(layout, { kind: 'entries', level: 0, index: n, width: 256 });
  let path = full;
  let loc = source.locate(full);
  let available = 256;
  if (!loc.ok) {
    // The last tile: the narrowest partial bundle that holds `width` entries.
    for (let w = width; w < 256 && !loc.ok; w++) {
      path = tilePath(layout, { kind: 'entries', level: 0, index: n, width: w });
      loc = source.locate(path);
      available = w;
    }
  }
  if (!loc.ok) throw new ProofdeskError('INPUT_UNREADABLE', `leaf tile ${n} can no longer be read`);
  const bytes = readRegion(loc.region, MAX_TILE_READ, path);
  const parsed =
    layout === 'sumdb' ? parseDataTile(bytes, available, tryDecodeUtf8) : parseEntryBundle(bytes, available);
  if (!parsed.ok || parsed.entries.length < width)
    throw new ProofdeskError('INPUT_UNREADABLE', `leaf tile ${n} changed since it was verified`);
  const entries = parsed.entries.slice(0, width);
  return { entries, offsets: entries.map((e) => e.byteOffset - bytes.byteOffset) };
}

/** An ExportEntries over a tiled log verified by verifyAny (its `tiles` index). */
export function tiledExportEntries(input: string, index: TiledLogIndex): ExportEntries {
  const source = openBundle(input);
  const per = index.blockLeaves;
  const widthOf = (n: number) => Math.min(per, index.count - n * per);
  /** Leaf hashes of tile n; a complete tile must still have the root verification computed. */
  const leafHashes = (n: number, tile: LeafTile): Uint8Array[] => {
    const hs = tile.entries.map((e) => hashLeaf(e, nodeSha256));
    if (hs.length === per && !bytesEqual(merkleRoot(hs, nodeSha256), index.blockRoots.subarray(n * 32, n * 32 + 32))) {
      throw new ProofdeskError('INPUT_UNREADABLE', `leaf tile ${n} changed since it was verified`);
    }
    return hs;
  };
  const tree = new BlockTree({
    size: index.count,
    blockLevel: Math.log2(per),
    blockRoots: index.blockRoots,
    loadBlock: (n) => leafHashes(n, readLeafTile(source, index.layout, n, widthOf(n))),
    hash: nodeSha256,
  });
  return {
    count: index.count,
    tree,
    readWindow(from, n, maxLineBytes) {
      if (!(from >= 0 && from <= index.count))
        throw new ProofdeskError('USAGE', 'window start outside the export', { from, count: index.count });
      const end = Math.min(index.count, from + n);
      const entries: WindowEntry[] = [];
      for (let t = Math.floor(from / per); t * per < end; t++) {
        const tile = readLeafTile(source, index.layout, t, widthOf(t));
        const hs = leafHashes(t, tile);
        tile.entries.forEach((e, k) => {
          const i = t * per + k;
          if (i < from || i >= end) return;
          entries.push({
            index: i,
            offset: tile.offsets[k]!,
            leafHash: hs[k]!,
            length: e.length,
            ...(e.length <= maxLineBytes ? { bytes: Uint8Array.from(e) } : {}),
          });
        });
      }
      return { entries, complete: end === index.count };
    },
  };
}
