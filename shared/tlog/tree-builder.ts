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
  readonly #levels: Uint8Array[][] = [];
  /** Leaf hashes of the tile of leaves currently being appended (for level-0 tile checks). */
  #current: Uint8Array[] = [];
  #currentIndex = 0;

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
    if (this.#wantedSizes.has(0)) this.#roots.set(0, this.#acc.root());
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.#acc.end;
  }

  /**
   * Appends the entries of leaf tile `tileIndex` (which must be the next one: leaves
   * [tileIndex·2^H, …)). A full tile has 2^H entries; only the last tile may be shorter.
   * Returns the leaf hashes (valid until the next call).
   */
  appendTile(tileIndex: number, entries: readonly Uint8Array[]): readonly Uint8Array[] {
    if (tileIndex * this.#width !== this.#acc.end)
      throw new RangeError(`tile ${tileIndex} does not follow leaf ${this.#acc.end}`);
    const local = new CompactRange(this.#acc.end, this.#h);
    const hashes: Uint8Array[] = [];
    for (const e of entries) {
      const lh = hashLeaf(e, this.#h);
      const i = local.end;
      hashes.push(lh);
      local.append(lh);
      if (this.#wantedLeaves.has(i)) this.#leaves.set(i, lh);
      // Sizes inside the tile: the root of everything before it joined with this tile's prefix.
      if (this.#wantedSizes.has(local.end) && hashes.length < entries.length) {
        const snap = this.#acc.clone();
        snap.merge(local);
        this.#roots.set(local.end, snap.root());
      }
    }
    this.#acc.merge(local);
    if (this.#wantedSizes.has(this.#acc.end)) this.#roots.set(this.#acc.end, this.#acc.root());
    this.#current = hashes;
    this.#currentIndex = tileIndex;
    // A complete, aligned tile is one perfect subtree: its compact range holds just its root.
    if (hashes.length === this.#width) this.#addNode(1, local.hashes()[0]!);
    return hashes;
  }

  /** Records a complete node at tile level `level` and carries full groups upwards. */
  #addNode(level: number, node: Uint8Array): void {
    const nodes = (this.#levels[level - 1] ??= []);
    nodes.push(node);
    if (nodes.length % this.#width === 0) {
      this.#addNode(level + 1, merkleRoot(nodes.slice(nodes.length - this.#width), this.#h));
    }
  }

  /** Root of the first `size` leaves, when `size` was wanted and has been reached. */
  root(size: number): Uint8Array | undefined {
    return this.#roots.get(size);
  }

  leafHash(index: number): Uint8Array | undefined {
    return this.#leaves.get(index);
  }

  /** Complete nodes at tile level `level` >= 1 (tree level H·level), in index order. */
  nodes(level: number): readonly Uint8Array[] {
    return this.#levels[level - 1] ?? [];
  }

  /**
   * Compares a hash tile with the recomputed nodes. Level-0 tiles can be compared only for
   * the leaf tile appended last; higher levels at any time after their nodes are complete.
   */
  compareTile(t: TileRef, bytes: Uint8Array): TileComparison {
    if (bytes.length !== t.width * HASH_SIZE)
      return { ok: false, reason: 'SIZE', expectedBytes: t.width * HASH_SIZE, actualBytes: bytes.length };
    let have: readonly Uint8Array[];
    let first: number;
    if (t.level === 0) {
      if (t.index !== this.#currentIndex) return { ok: false, reason: 'NOT_COMPUTED' };
      have = this.#current;
      first = 0;
    } else {
      have = this.nodes(t.level);
      first = t.index * this.#width;
    }
    if (first + t.width > have.length) return { ok: false, reason: 'NOT_COMPUTED' };
    let bad = 0;
    let firstBad = -1;
    for (let i = 0; i < t.width; i++) {
      if (!bytesEqual(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), have[first + i]!)) {
        bad++;
        if (firstBad < 0) firstBad = i;
      }
    }
    if (bad === 0) return { ok: true };
    return {
      ok: false,
      reason: 'MISMATCH',
      position: firstBad,
      expected: toHex(have[first + firstBad]!),
      actual: toHex(bytes.subarray(firstBad * HASH_SIZE, (firstBad + 1) * HASH_SIZE)),
      mismatches: bad,
    };
  }
}
