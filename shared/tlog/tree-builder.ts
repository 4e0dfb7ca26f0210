/**
 * Rebuilds a tiled log's Merkle tree from its entries, one tile of leaves at a time, in memory
 * bounded by the tile nodes above level 0: the roots at wanted tree sizes (checkpoints, proofs),
 * the leaf hashes at wanted indices, and every complete node at the tile levels (tree levels
 * H·L, L >= 1) so that hash tiles can be compared with what the entries imply.
 *
 * Tile n at level L holds the nodes at tree level H·L with indices [n·2^H, n·2^H + width)
 * (c2sp.org/tlog-tiles "Merkle Tree"; x/mod tlog tile.go for other heights H).
 */

import type { Sha256 } from '../crypto/hash.js';
import { bytesEqual, toHex } from '../encoding/bytes.js';
import { CompactRange } from './merkle/compact.js';
import { hashLeaf } from './merkle/hash.js';
import { merkleRoot } from './merkle/tree.js';
import { HASH_SIZE, type TileRef } from './tiles.js';

export type TileComparison =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'SIZE'; readonly expectedBytes: number; readonly actualBytes: number }
  | { readonly ok: false; readonly reason: 'NOT_COMPUTED' }
  | {
      readonly ok: false;
      readonly reason: 'MISMATCH';
      readonly position: number;
      readonly expected: string;
      readonly actual: string;
      readonly mismatches: number;
    };

/**
 * Complete nodes of one tile level, 32 bytes each, copied into one growing buffer. Copies, not
 * the arrays the hash function returned: node:crypto's digests are views of 8 KiB pool slabs,
 * and keeping a view keeps its whole slab (8 KiB per node, the growth issue 16 measured).
 */
class NodeList {
  #buf = new Uint8Array(64 * HASH_SIZE);
  count = 0;

  push(node: Uint8Array): void {
    if ((this.count + 1) * HASH_SIZE > this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    this.#buf.set(node, this.count * HASH_SIZE);
    this.count++;
  }

  /** Nodes [from, to) as one byte range (a view, valid until the next push). */
  bytes(from: number, to: number): Uint8Array {
    return this.#buf.subarray(from * HASH_SIZE, to * HASH_SIZE);
  }

  /** Node i as a view (valid until the next push). */
  at(i: number): Uint8Array {
    return this.#buf.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}

/** Views of the 32-byte hashes in `flat`. */
function viewsOf(flat: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < flat.length; off += HASH_SIZE) out.push(flat.subarray(off, off + HASH_SIZE));
  return out;
}

export class TreeBuilder {
  readonly #h: Sha256;
  readonly #height: number;
  readonly #width: number;
  readonly #acc: CompactRange;
  readonly #wantedSizes: ReadonlySet<number>;
  readonly #wantedLeaves: ReadonlySet<number>;
  readonly #roots = new Map<number, Uint8Array>();
  readonly #leaves = new Map<number, Uint8Array>();
  /** #levels[L - 1] = complete nodes at tree level height·L. */
  readonly #levels: NodeList[] = [];
  /** Leaf hashes of the tile of leaves appended last, 32 bytes each (for level-0 tile checks). */
  readonly #current: Uint8Array;
  #currentCount = 0;
  #currentIndex = -1;

  constructor(opts: {
    readonly hash: Sha256;
    readonly height?: number;
    readonly wantedSizes?: Iterable<number>;
    readonly wantedLeaves?: Iterable<number>;
  }) {
    this.#h = opts.hash;
    this.#height = opts.height ?? 8;
    this.#width = 2 ** this.#height;
    this.#acc = new CompactRange(0, opts.hash);
    this.#wantedSizes = new Set(opts.wantedSizes ?? []);
    this.#wantedLeaves = new Set(opts.wantedLeaves ?? []);
    this.#current = new Uint8Array(this.#width * HASH_SIZE);
    if (this.#wantedSizes.has(0)) this.#roots.set(0, this.#acc.root());
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.#acc.end;
  }

  /** Leaves per full tile (2^height). */
  get width(): number {
    return this.#width;
  }

  /**
   * Appends the entries of leaf tile `tileIndex` (which must be the next one: leaves
   * [tileIndex·2^H, …)). A full tile has 2^H entries; only the last tile may be shorter.
   * Returns the leaf hashes (views, valid until the next call).
   */
  appendTile(tileIndex: number, entries: readonly Uint8Array[]): readonly Uint8Array[] {
    if (entries.length > this.#width) throw new RangeError(`tile ${tileIndex} has more than ${this.#width} entries`);
    const flat = new Uint8Array(entries.length * HASH_SIZE);
    entries.forEach((e, k) => {
      flat.set(hashLeaf(e, this.#h), k * HASH_SIZE);
    });
    this.appendLeafHashes(tileIndex, flat);
    return viewsOf(this.#current.subarray(0, this.#currentCount * HASH_SIZE));
  }

  /**
   * appendTile with the leaf hashes already computed (RFC 9162 leaf hashes of the tile's
   * entries, 32 bytes each, in order): for callers that hash a tile's entries in one call.
   * `tileRoot`, when given for a full tile, is the root of its leaves as that caller computed
   * it (MTH of the 2^H leaf hashes); it is used where no wanted size falls inside the tile.
   * The bytes are copied; the caller may reuse both buffers.
   */
  appendLeafHashes(tileIndex: number, leafHashes: Uint8Array, tileRoot?: Uint8Array): void {
    const start = this.#acc.end;
    if (tileIndex * this.#width !== start) throw new RangeError(`tile ${tileIndex} does not follow leaf ${start}`);
    const n = leafHashes.length / HASH_SIZE;
    if (!Number.isInteger(n) || n > this.#width)
      throw new RangeError(`tile ${tileIndex}: ${leafHashes.length} bytes are not up to ${this.#width} leaf hashes`);
    this.#current.set(leafHashes);
    this.#currentCount = n;
    this.#currentIndex = tileIndex;
    const end = start + n;
    for (const i of this.#wantedLeaves)
      if (i >= start && i < end)
        this.#leaves.set(i, this.#current.slice((i - start) * HASH_SIZE, (i - start + 1) * HASH_SIZE));
    let inside = false;
    for (const s of this.#wantedSizes) if (s > start && s < end) inside = true;
    let root: Uint8Array | undefined;
    if (n === this.#width && !inside) {
      // A complete, aligned tile is one perfect subtree: merge its root.
      // A copy of the caller's root: the compact range keeps what it is given.
      root = tileRoot ? new Uint8Array(tileRoot) : merkleRoot(viewsOf(this.#current), this.#h);
      this.#acc.merge(CompactRange.fromHashes(start, end, [root], this.#h));
    } else {
      // Leaf by leaf, with copies (a compact range keeps what it is given by reference).
      const local = new CompactRange(start, this.#h);
      for (let k = 0; k < n; k++) {
        local.append(this.#current.slice(k * HASH_SIZE, (k + 1) * HASH_SIZE));
        // Sizes inside the tile: the root of everything before it joined with this tile's prefix.
        if (this.#wantedSizes.has(local.end) && local.end < end) {
          const snap = this.#acc.clone();
          snap.merge(local);
          this.#roots.set(local.end, snap.root());
        }
      }
      this.#acc.merge(local);
      if (n === this.#width) root = local.hashes()[0]!;
    }
    if (this.#wantedSizes.has(end)) this.#roots.set(end, this.#acc.root());
    if (root) this.#addNode(1, root);
  }

  /** Records a complete node at tile level `level` and carries full groups upwards. */
  #addNode(level: number, node: Uint8Array): void {
    const nodes = (this.#levels[level - 1] ??= new NodeList());
    nodes.push(node);
    if (nodes.count % this.#width === 0) {
      this.#addNode(level + 1, merkleRoot(viewsOf(nodes.bytes(nodes.count - this.#width, nodes.count)), this.#h));
    }
  }

  /** Root of the first `size` leaves, when `size` was wanted and has been reached. */
  root(size: number): Uint8Array | undefined {
    return this.#roots.get(size);
  }

  leafHash(index: number): Uint8Array | undefined {
    return this.#leaves.get(index);
  }

  /** Complete nodes at tile level `level` >= 1 (tree level H·level), in index order (copies). */
  nodes(level: number): readonly Uint8Array[] {
    return viewsOf(this.nodeBytes(level));
  }

  /** The same nodes as one byte string, 32 bytes each (a copy). */
  nodeBytes(level: number): Uint8Array {
    const l = this.#levels[level - 1];
    return l ? l.bytes(0, l.count).slice() : new Uint8Array(0);
  }

  /**
   * Compares a hash tile with the recomputed nodes. Level-0 tiles can be compared only for
   * the leaf tile appended last; higher levels at any time after their nodes are complete.
   */
  compareTile(t: TileRef, bytes: Uint8Array): TileComparison {
    if (bytes.length !== t.width * HASH_SIZE)
      return { ok: false, reason: 'SIZE', expectedBytes: t.width * HASH_SIZE, actualBytes: bytes.length };
    // The recomputed nodes the tile should hold, as one byte range.
    let have: Uint8Array;
    if (t.level === 0) {
      if (t.index !== this.#currentIndex || t.width > this.#currentCount) return { ok: false, reason: 'NOT_COMPUTED' };
      have = this.#current.subarray(0, t.width * HASH_SIZE);
    } else {
      const l = this.#levels[t.level - 1];
      const first = t.index * this.#width;
      if (!l || first + t.width > l.count) return { ok: false, reason: 'NOT_COMPUTED' };
      have = l.bytes(first, first + t.width);
    }
    if (bytesEqual(bytes, have)) return { ok: true };
    let bad = 0;
    let firstBad = -1;
    for (let i = 0; i < t.width; i++) {
      if (
        !bytesEqual(
          bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
          have.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
        )
      ) {
        bad++;
        if (firstBad < 0) firstBad = i;
      }
    }
    return {
      ok: false,
      reason: 'MISMATCH',
      position: firstBad,
      expected: toHex(have.subarray(firstBad * HASH_SIZE, (firstBad + 1) * HASH_SIZE)),
      actual: toHex(bytes.subarray(firstBad * HASH_SIZE, (firstBad + 1) * HASH_SIZE)),
      mismatches: bad,
    };
  }
}
