/**
 * Subtree hashes of one log's RFC 9162 Merkle tree, as a diff needs them: the root of any
 * perfect, aligned subtree on demand, and from those the roots of proof ranges, inclusion and
 * consistency proofs and compact ranges, without holding the leaves.
 *
 * BlockTree builds that view from what verification already produced: the roots of every
 * aligned block of 2^blockLevel leaves (electron/verify/bundle/verify.ts EntryIndex). Nodes at or
 * above the block level are hashed from block roots; nodes below it come from the leaf hashes
 * of one block, which the caller loads on request (reading ≤ 2^blockLevel entries).
 */

import { type Sha256, sha256 } from '../crypto/hash.js';
import { type NodeId, rangeNodes } from '../tlog/merkle/compact.js';
import { emptyRoot, hashChildren, MERKLE_HASH_SIZE } from '../tlog/merkle/hash.js';
import { consistencyProofRanges, inclusionProofRanges, type LeafRange } from '../tlog/merkle/proof.js';
import { bitLength, isNonNegativeSafeInteger } from '../tlog/merkle/tree.js';
import { ProofdeskError } from '../verdict/errors.js';

/** The hash of any perfect subtree of a tree of `size` leaves. */
export interface SubtreeSource {
  /** Number of leaves in the tree. */
  readonly size: number;
  /**
   * Root of the perfect subtree at `level` (0 = leaf hash) covering leaves
   * [index·2^level, (index+1)·2^level). Requires that range to lie within [0, size).
   */
  node(level: number, index: number): Uint8Array;
}

export interface BlockTreeOptions {
  readonly size: number;
  /** log2 of the block size (8 for Proofdesk's 256-entry index blocks). */
  readonly blockLevel: number;
  /** floor(size / 2^blockLevel) block roots, 32 bytes each, concatenated. */
  readonly blockRoots: Uint8Array;
  /**
   * Leaf hashes of block `block`: exactly min(2^blockLevel, size − block·2^blockLevel) of them.
   * Called at most once per block while the block stays cached.
   */
  readonly loadBlock: (block: number) => readonly Uint8Array[];
  readonly hash?: Sha256;
  /** Blocks of leaf hashes kept in memory (default 4096, i.e. 32 MiB for 256-leaf blocks). */
  readonly maxCachedBlocks?: number;
}

export interface BlockTreeStats {
  /** Interior-node hashes computed. */
  readonly hashes: number;
  /** Blocks whose leaves were loaded. */
  readonly blocksLoaded: number;
}

/** A SubtreeSource over block roots plus on-demand leaf blocks. Nodes are computed once and memoised. */
export class BlockTree implements SubtreeSource {
  readonly size: number;
  readonly #bl: number;
  readonly #blockRoots: Uint8Array;
  readonly #load: (block: number) => readonly Uint8Array[];
  readonly #h: Sha256;
  readonly #maxCached: number;
  /** Nodes at levels >= blockLevel, keyed by level − blockLevel, sparse. */
  readonly #upper: Array<Array<Uint8Array | undefined>> = [];
  /** Per loaded block: its mini-tree, level 0 = leaf hashes. */
  readonly #blocks = new Map<number, Uint8Array[][]>();
  #hashes = 0;
  #blocksLoaded = 0;

  /** Throws USAGE when blockRoots does not hold exactly floor(size / 2^blockLevel) hashes. */
  constructor(o: BlockTreeOptions) {
    if (!isNonNegativeSafeInteger(o.size))
      throw new ProofdeskError('USAGE', 'tree size must be a non-negative safe integer');
    if (!Number.isInteger(o.blockLevel) || o.blockLevel < 0 || o.blockLevel > 30)
      throw new ProofdeskError('USAGE', 'block level must be an integer in 0..30');
    const full = Math.floor(o.size / 2 ** o.blockLevel);
    if (o.blockRoots.length !== full * MERKLE_HASH_SIZE) {
      throw new ProofdeskError('USAGE', 'block roots do not match the tree size', {
        size: o.size,
        blockRoots: o.blockRoots.length / MERKLE_HASH_SIZE,
        want: full,
      });
    }
    this.size = o.size;
    this.#bl = o.blockLevel;
    this.#blockRoots = o.blockRoots;
    this.#load = o.loadBlock;
    this.#h = o.hash ?? sha256;
    this.#maxCached = o.maxCachedBlocks ?? 4096;
  }

  get stats(): BlockTreeStats {
    return { hashes: this.#hashes, blocksLoaded: this.#blocksLoaded };
  }

  node(level: number, index: number): Uint8Array {
    if (
      !Number.isInteger(level) ||
      level < 0 ||
      !isNonNegativeSafeInteger(index) ||
      (index + 1) * 2 ** level > this.size
    ) {
      throw new ProofdeskError('USAGE', 'subtree lies outside the tree', { level, index, size: this.size });
    }
    if (level >= this.#bl) return this.#upperNode(level - this.#bl, index);
    const perBlock = 2 ** (this.#bl - level);
    const block = Math.floor(index / perBlock);
    return this.#blockTree(block)[level]![index - block * perBlock]!;
  }

  /** A node made of whole blocks: level u above the block level. */
  #upperNode(u: number, index: number): Uint8Array {
    if (u === 0) return this.#blockRoots.subarray(index * MERKLE_HASH_SIZE, (index + 1) * MERKLE_HASH_SIZE);
    const row = (this.#upper[u] ??= []);
    let v = row[index];
    if (!v) {
      v = hashChildren(this.#upperNode(u - 1, 2 * index), this.#upperNode(u - 1, 2 * index + 1), this.#h);
      this.#hashes++;
      row[index] = v;
    }
    return v;
  }

  /** The mini-tree of one block: every perfect node inside it, level by level. */
  #blockTree(block: number): Uint8Array[][] {
    let t = this.#blocks.get(block);
    if (t) return t;
    const per = 2 ** this.#bl;
    const want = Math.min(per, this.size - block * per);
    const leaves = this.#load(block);
    if (leaves.length !== want || leaves.some((l) => l.length !== MERKLE_HASH_SIZE)) {
      throw new ProofdeskError(
        'INPUT_MALFORMED',
        `block ${block} has ${leaves.length} leaf hashes; ${want} expected (was the file changed?)`,
        { block },
      );
    }
    this.#blocksLoaded++;
    t = [leaves.slice()];
    for (let l = 1; l < this.#bl; l++) {
      const below = t[l - 1]!;
      const row: Uint8Array[] = [];
      for (let i = 0; 2 * i + 1 < below.length; i++) {
        row.push(hashChildren(below[2 * i]!, below[2 * i + 1]!, this.#h));
        this.#hashes++;
      }
      t.push(row);
    }
    if (this.#blocks.size >= this.#maxCached) this.#blocks.clear();
    this.#blocks.set(block, t);
    return t;
  }
}

/** The subtree roots covering [begin, end), left to right (compact range hashes). Requires 0 <= begin <= end <= src.size. */
export function rangeHashes(src: SubtreeSource, begin: number, end: number): Uint8Array[] {
  if (end > src.size) throw new ProofdeskError('USAGE', 'range lies outside the tree', { begin, end, size: src.size });
  return rangeNodes(begin, end).map((n: NodeId) => src.node(n.level, n.index));
}

/**
 * MTH(D[begin:end]) for a range that is a subtree of the RFC 9162 recursion, i.e. begin is a
 * multiple of the smallest power of two >= end − begin (every range of an inclusion or
 * consistency proof, and every prefix [0, n), is one). Such a range splits into aligned perfect
 * subtrees of decreasing size, which fold right to left into its root (RFC 9162 §2.1.1).
 * The empty range gives the empty-tree root. Throws USAGE for a range of any other shape.
 */
export function rangeRoot(src: SubtreeSource, begin: number, end: number, h: Sha256 = sha256): Uint8Array {
  if (!isNonNegativeSafeInteger(begin) || !isNonNegativeSafeInteger(end) || begin > end) {
    throw new ProofdeskError('USAGE', 'invalid leaf range', { begin, end });
  }
  if (begin === end) return emptyRoot(h);
  const span = 2 ** bitLength(end - begin - 1);
  if (begin % span !== 0)
    throw new ProofdeskError('USAGE', 'range is not a subtree of the RFC 9162 tree', { begin, end });
  return foldRange(rangeHashes(src, begin, end), h);
}

/** Folds compact-range hashes right to left into one root. Requires at least one hash. */
function foldRange(hashes: readonly Uint8Array[], h: Sha256 = sha256): Uint8Array {
  if (hashes.length === 0) throw new ProofdeskError('USAGE', 'nothing to fold');
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc, h);
  return acc === hashes[hashes.length - 1] ? acc.slice() : acc;
}

/** Root of the first `size` leaves. Requires 0 <= size <= src.size. RFC 9162 §2.1.1. */
export function prefixRoot(src: SubtreeSource, size: number, h: Sha256 = sha256): Uint8Array {
  return rangeRoot(src, 0, size, h);
}

function rootsOf(src: SubtreeSource, ranges: readonly LeafRange[], h: Sha256): Uint8Array[] {
  return ranges.map(([b, e]) => rangeRoot(src, b, e, h));
}

/** PATH(index, D[size]) from subtree hashes. Requires 0 <= index < size <= src.size. RFC 9162 §2.1.3.1. */
export function inclusionProofFrom(src: SubtreeSource, index: number, size: number, h: Sha256 = sha256): Uint8Array[] {
  if (size > src.size) throw new ProofdeskError('USAGE', 'proof size exceeds the tree', { size, have: src.size });
  return rootsOf(src, inclusionProofRanges(index, size), h);
}

/** PROOF(size1, D[size2]) from subtree hashes. Requires 1 <= size1 <= size2 <= src.size. RFC 9162 §2.1.4.1. */
export function consistencyProofFrom(
  src: SubtreeSource,
  size1: number,
  size2: number,
  h: Sha256 = sha256,
): Uint8Array[] {
  if (size2 > src.size) throw new ProofdeskError('USAGE', 'proof size exceeds the tree', { size2, have: src.size });
  return rootsOf(src, consistencyProofRanges(size1, size2), h);
}
