/**
 * Finding the first leaf at which two trees differ by descending their Merkle structure.
 *
 * The first `size` leaves of each tree split into the same aligned perfect subtrees
 * (rangeNodes(0, size)), largest first. Their roots are compared left to right; inside the first
 * pair that differs, the search compares left children and goes left when they differ, right
 * when they agree (then the right children must differ, unless SHA-256 collides, so they are not
 * compared). That is at most popcount(size) + log2(size) comparisons — 40 for a million
 * leaves — instead of one per leaf or per block.
 */
import { bytesEqual } from '../encoding/bytes.js';
import { rangeNodes } from '../tlog/merkle/compact.js';
import { isNonNegativeSafeInteger } from '../tlog/merkle/tree.js';
import { ProofdeskError } from '../verdict/errors.js';
import type { SubtreeSource } from './subtree.js';

export interface DivergenceSearch {
  /** First leaf index < size whose hashes differ; undefined when the first `size` leaves agree. */
  readonly index?: number;
  /** Subtree hashes compared (each a 32-byte constant-time comparison). */
  readonly comparisons: number;
}

/**
 * The first index below `size` where the leaf hashes of `a` and `b` differ.
 * Requires 0 <= size <= min(a.size, b.size).
 */
export function firstDivergence(a: SubtreeSource, b: SubtreeSource, size: number): DivergenceSearch {
  if (!isNonNegativeSafeInteger(size) || size > a.size || size > b.size) {
    throw new ProofdeskError('USAGE', 'firstDivergence requires 0 <= size <= both tree sizes', {
      size,
      a: a.size,
      b: b.size,
    });
  }
  let comparisons = 0;
  const same = (level: number, index: number): boolean => {
    comparisons++;
    return bytesEqual(a.node(level, index), b.node(level, index));
  };
  for (const top of rangeNodes(0, size)) {
    if (same(top.level, top.index)) continue;
    let level = top.level;
    let index = top.index;
    while (level > 0) {
      level--;
      index *= 2;
      if (same(level, index)) index++;
    }
    return { index, comparisons };
  }
  return { comparisons };
}
