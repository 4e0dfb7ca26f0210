/**
 * Compact ranges: the O(log n) summary of a contiguous run of leaves [begin, end) that
 * lets a log be hashed in pieces. Workers append leaf hashes for their slice, the
 * orchestrator merges the slices left to right and asks for the root at checkpoint sizes.
 *
 * A range holds the roots of the maximal aligned perfect subtrees covering [begin, end),
 * left to right (see rangeNodes). The idea follows transparency-dev/merkle's
 * compact.Range (docs/compact_ranges.md); the code here is our own.
 */

import { type Sha256, sha256 } from '../../crypto/hash.js';
import { ProofdeskError } from '../../verdict/errors.js';
import { emptyRoot, hashChildren, MERKLE_HASH_SIZE } from './hash.js';
import { bitLength, isNonNegativeSafeInteger, trailingZeros } from './tree.js';

/** A perfect subtree: the node at `level` (0 = leaf) covering leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Splits [begin, end) into the fewest perfect subtrees whose leaf ranges are aligned to
 * their size, left to right. Their sizes first grow, then shrink. For begin = 0 these are
 * the subtrees the RFC 9162 §2.1.1 recursion bottoms out in, largest first.
 * Requires begin and end to be non-negative safe integers with begin <= end.
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  assertRange(begin, end);
  const nodes: NodeId[] = [];
  let pos = begin;
  while (pos < end) {
    // The largest subtree that starts at pos is limited by pos's alignment and by what
    // is left of the range.
    let level = bitLength(end - pos) - 1;
    if (pos !== 0) level = Math.min(level, trailingZeros(pos));
    const size = 2 ** level;
    nodes.push({ level, index: pos / size });
    pos += size;
  }
  return nodes;
}

/**
 * A mergeable Merkle accumulator for the leaves [begin, end). Memory is O(log(end)):
 * at most two hashes per tree level. Hashes handed to it (appended leaf hashes, hashes
 * passed to fromHashes, hashes of merged ranges) are kept by reference and must not be
 * modified afterwards. Two ranges that are merged must use the same hash function.
 */
export class CompactRange {
  readonly #begin: number;
  #end: number;
  readonly #hashes: Uint8Array[] = [];
  readonly #h: Sha256;

  /** An empty range [begin, begin). Requires begin to be a non-negative safe integer. */
  constructor(begin: number, h: Sha256 = sha256) {
    assertRange(begin, begin);
    this.#begin = begin;
    this.#end = begin;
    this.#h = h;
  }

  /**
   * A range rebuilt from its subtree roots, e.g. one sent back by a worker.
   * Throws INPUT_MALFORMED unless hashes holds exactly one 32-byte hash per node of
   * rangeNodes(begin, end). Requires begin <= end, both non-negative safe integers.
   */
  static fromHashes(begin: number, end: number, hashes: readonly Uint8Array[], h: Sha256 = sha256): CompactRange {
    const want = rangeNodes(begin, end).length;
    if (hashes.length !== want) {
      throw new ProofdeskError('INPUT_MALFORMED', 'compact range has the wrong number of hashes', {
        begin,
        end,
        got: hashes.length,
        want,
      });
    }
    for (const [i, hash] of hashes.entries()) {
      if (hash.length !== MERKLE_HASH_SIZE) {
        throw new ProofdeskError('INPUT_MALFORMED', 'compact range hash is not 32 bytes', {
          index: i,
          length: hash.length,
        });
      }
    }
    const r = new CompactRange(begin, h);
    r.#end = end;
    r.#hashes.push(...hashes);
    return r;
  }

  /** First leaf index covered (inclusive). */
  get begin(): number {
    return this.#begin;
  }

  /** One past the last leaf index covered (exclusive). */
  get end(): number {
    return this.#end;
  }

  /** The subtree roots covering [begin, end), left to right, matching rangeNodes(begin, end). */
  hashes(): readonly Uint8Array[] {
    return this.#hashes.slice();
  }

  /**
   * Appends the hash of leaf number `end`. Amortised O(1) hashes; allocates nothing but the
   * merged node hashes. Requires leafHash.length === 32 (throws USAGE otherwise).
   */
  append(leafHash: Uint8Array): void {
    if (leafHash.length !== MERKLE_HASH_SIZE) {
      throw new ProofdeskError('USAGE', 'leaf hash is not 32 bytes', { length: leafHash.length });
    }
    const index = this.#end;
    if (index === Number.MAX_SAFE_INTEGER) throw new ProofdeskError('USAGE', 'compact range is full');
    this.#push(leafHash, 0, index);
    this.#end = index + 1;
  }

  /**
   * Extends this range by the adjacent range to its right, which is left unchanged.
   * Requires other.begin === this.end (throws USAGE otherwise).
   */
  merge(other: CompactRange): void {
    if (other.#begin !== this.#end) {
      throw new ProofdeskError('USAGE', 'compact ranges are not adjacent', {
        end: this.#end,
        otherBegin: other.#begin,
      });
    }
    const nodes = rangeNodes(other.#begin, other.#end);
    const theirs = other.#hashes.slice(); // other may be this when both are empty
    for (let i = 0; i < nodes.length; i++) this.#push(theirs[i]!, nodes[i]!.level, nodes[i]!.index);
    this.#end = other.#end;
  }

  /**
   * The tree root MTH(leaves[0:end]): the subtree roots folded right to left, which is
   * the RFC 9162 §2.1.1 recursion read bottom-up. The empty range gives the empty-tree
   * root. Requires begin === 0 (throws USAGE otherwise).
   */
  root(): Uint8Array {
    if (this.#begin !== 0)
      throw new ProofdeskError('USAGE', 'root of a compact range requires begin = 0', { begin: this.#begin });
    const hs = this.#hashes;
    if (hs.length === 0) return emptyRoot(this.#h);
    let acc = hs[hs.length - 1]!;
    if (hs.length === 1) return acc.slice();
    for (let i = hs.length - 2; i >= 0; i--) acc = hashChildren(hs[i]!, acc, this.#h);
    return acc;
  }

  /** An independent copy (the hash arrays themselves are shared; they are never modified). */
  clone(): CompactRange {
    return CompactRange.fromHashes(this.#begin, this.#end, this.#hashes, this.#h);
  }

  /**
   * Pushes the root of the perfect subtree (level, index), which starts at this.#end,
   * then merges it with its left sibling for as long as that sibling lies inside the
   * range: the sibling is then necessarily the last hash held.
   */
  #push(hash: Uint8Array, level: number, index: number): void {
    let node = hash;
    let idx = index;
    let span = 2 ** level;
    while (idx % 2 === 1 && (idx - 1) * span >= this.#begin) {
      node = hashChildren(this.#hashes.pop()!, node, this.#h);
      idx = (idx - 1) / 2;
      span *= 2;
    }
    this.#hashes.push(node);
  }
}

function assertRange(begin: number, end: number): void {
  if (!isNonNegativeSafeInteger(begin) || !isNonNegativeSafeInteger(end) || begin > end) {
    throw new ProofdeskError('USAGE', 'invalid leaf range: requires 0 <= begin <= end <= 2^53 - 1', { begin, end });
  }
}
