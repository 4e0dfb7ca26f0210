import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../../shared/encoding/bytes.js';
import { emptyRoot, hashChildren } from '../../../../../shared/tlog/merkle/hash.js';
import {
  bitLength,
  isNonNegativeSafeInteger,
  isPowerOfTwo,
  largestPowerOfTwoBelow,
  merkleRoot,
  merkleRootRange,
  trailingZeros,
} from '../../../../../shared/tlog/merkle/tree.js';
import { deterministicLeafHashes, prng } from './support.js';

const MAX = Number.MAX_SAFE_INTEGER;

describe('integer helpers agree with BigInt on 53-bit values', () => {
  it('bitLength, trailingZeros, isPowerOfTwo, largestPowerOfTwoBelow', () => {
    const rand = prng(3);
    const values = new Set<number>([
      1,
      2,
      3,
      4,
      5,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 32 + 1,
      2 ** 52,
      MAX - 1,
      MAX,
    ]);
    for (let k = 0; k < 53; k++)
      values
        .add(2 ** k)
        .add(2 ** k + 1)
        .add(Math.max(1, 2 ** k - 1));
    // Two draws per value: one 32-bit draw alone would leave the low bits of large values zero.
    while (values.size < 1200) values.add(Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32) || 1);
    for (const n of values) {
      const b = BigInt(n);
      const bits = b.toString(2);
      expect(bitLength(n), `bitLength(${n})`).toBe(bits.length);
      expect(trailingZeros(n), `trailingZeros(${n})`).toBe(bits.length - 1 - bits.lastIndexOf('1'));
      expect(isPowerOfTwo(n), `isPowerOfTwo(${n})`).toBe((b & (b - 1n)) === 0n);
      if (n >= 2) {
        const k = BigInt(largestPowerOfTwoBelow(n));
        expect(k < b && b <= 2n * k && (k & (k - 1n)) === 0n, `largestPowerOfTwoBelow(${n})`).toBe(true);
      }
    }
    expect(bitLength(0)).toBe(0);
    expect(isPowerOfTwo(0)).toBe(false);
    expect(values.size).toBe(1200);
  });

  it('isNonNegativeSafeInteger accepts exactly 0..2^53-1', () => {
    expect([0, 1, MAX].map(isNonNegativeSafeInteger)).toEqual([true, true, true]);
    const bad: unknown[] = [-1, 0.5, NaN, Infinity, -Infinity, MAX + 1, 2 ** 64, '1', 1n, null, undefined];
    expect(bad.map(isNonNegativeSafeInteger)).toEqual(bad.map(() => false));
  });
});

describe('merkleRoot (reference MTH)', () => {
  const leaves = deterministicLeafHashes(20);

  it('follows the RFC 9162 §2.1.1 recursion for n = 0..20', () => {
    // An independent reading of the definition: split the leaf list itself, not indices.
    const mth = (d: Uint8Array[]): Uint8Array => {
      if (d.length === 0) return emptyRoot();
      if (d.length === 1) return d[0]!;
      const k = 2 ** Math.floor(Math.log2(d.length - 1));
      return hashChildren(mth(d.slice(0, k)), mth(d.slice(k)));
    };
    for (let n = 0; n <= 20; n++) expect(toHex(merkleRoot(leaves.slice(0, n)))).toBe(toHex(mth(leaves.slice(0, n))));
  });

  it('returns a copy for one leaf, and merkleRootRange rejects bad bounds with USAGE', () => {
    const root = merkleRoot(leaves.slice(0, 1));
    expect(root).toEqual(leaves[0]);
    expect(root).not.toBe(leaves[0]);
    expect(merkleRootRange(leaves, 4, 12)).toEqual(merkleRoot(leaves.slice(4, 12)));
    const bad: Array<[number, number]> = [
      [-1, 2],
      [3, 2],
      [0, 21],
      [0.5, 2],
      [0, NaN],
    ];
    for (const [b, e] of bad)
      expect(() => merkleRootRange(leaves, b, e)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
