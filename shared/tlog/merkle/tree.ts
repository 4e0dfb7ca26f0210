/**
 * The reference Merkle Tree Hash (MTH) of RFC 9162 §2.1.1, written as the spec reads, plus
 * the integer helpers the Merkle modules share.
 *
 * Tree sizes and indices are JavaScript numbers: non-negative safe integers up to 2^53 - 1.
 * JavaScript's bitwise operators truncate to 32 bits, so the helpers below split values
 * into 32-bit halves instead of using `>>` or `&` on the whole number.
 */

import { type Sha256, sha256 } from '../../crypto/hash.js';
import { ProofdeskError } from '../../verdict/errors.js';
import { emptyRoot, hashChildren } from './hash.js';

const TWO_32 = 2 ** 32;

/** True for the numbers this module accepts as sizes and indices: 0 <= n <= 2^53 - 1, integral. */
export function isNonNegativeSafeInteger(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

/** Number of bits needed to write n (0 for 0). Requires n to be a non-negative safe integer. */
export function bitLength(n: number): number {
  if (n < TWO_32) return 32 - Math.clz32(n);
  return 64 - Math.clz32(Math.floor(n / TWO_32));
}

/** Number of trailing zero bits of n. Requires n to be a positive safe integer. */
export function trailingZeros(n: number): number {
  const low = n >>> 0; // ToUint32 keeps exactly the low 32 bits of an integer.
  if (low !== 0) return 31 - Math.clz32(low & -low);
  const high = Math.floor(n / TWO_32);
  return 63 - Math.clz32(high & -high);
}

/** True when n is 2^k for some k >= 0. Requires n to be a non-negative safe integer. */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** (bitLength(n) - 1) === n;
}

/**
 * The largest power of two strictly less than n: the split point k of RFC 9162 §2.1.1
 * ("k < n <= 2k"). Requires n to be a safe integer >= 2.
 */
export function largestPowerOfTwoBelow(n: number): number {
  return 2 ** (bitLength(n - 1) - 1);
}

/**
 * MTH of the leaves whose hashes are leafHashes[begin:end]. The result is a new array.
 * This is the slow, recursive reference (O(n) hashes, nothing cached) used by tests and
 * by proof generation over small in-memory trees.
 * Requires 0 <= begin <= end <= leafHashes.length. RFC 9162 §2.1.1.
 */
export function merkleRootRange(
  leafHashes: readonly Uint8Array[],
  begin: number,
  end: number,
  h: Sha256 = sha256,
): Uint8Array {
  if (!isNonNegativeSafeInteger(begin) || !isNonNegativeSafeInteger(end) || begin > end || end > leafHashes.length) {
    throw new ProofdeskError('USAGE', 'merkleRootRange: requires 0 <= begin <= end <= leafHashes.length', {
      begin,
      end,
      leaves: leafHashes.length,
    });
  }
  return mth(leafHashes, begin, end, h);
}

/**
 * MTH of all leaves whose hashes are given: the tree root. MTH({}) is the hash of the empty
 * string. RFC 9162 §2.1.1.
 */
export function merkleRoot(leafHashes: readonly Uint8Array[], h: Sha256 = sha256): Uint8Array {
  return mth(leafHashes, 0, leafHashes.length, h);
}

function mth(leafHashes: readonly Uint8Array[], begin: number, end: number, h: Sha256): Uint8Array {
  const n = end - begin;
  if (n === 0) return emptyRoot(h);
  // The inputs are already leaf hashes (HASH(0x00 || d)); copy so callers never alias them.
  if (n === 1) return leafHashes[begin]!.slice();
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(mth(leafHashes, begin, begin + k, h), mth(leafHashes, begin + k, end, h), h);
}
