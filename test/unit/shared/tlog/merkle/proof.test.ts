import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../../shared/encoding/bytes.js';
import {
  consistencyProof,
  consistencyProofRanges,
  inclusionProof,
  inclusionProofRanges,
  type LeafRange,
  MERKLE_PROOF_REASONS,
  rootFromInclusionProof,
  rootsFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../../shared/tlog/merkle/proof.js';
import { merkleRoot, merkleRootRange } from '../../../../../shared/tlog/merkle/tree.js';
import { deterministicLeafHashes, flipBit, prng } from './support.js';

const MAX = Number.MAX_SAFE_INTEGER;
const leaves = deterministicLeafHashes(70);
const roots = Array.from({ length: 71 }, (_, n) => merkleRoot(leaves.slice(0, n)));
const usage = expect.objectContaining({ code: 'USAGE' });
const mthOf = (tree: readonly Uint8Array[]) => (r: LeafRange) => toHex(merkleRootRange(tree, r[0], r[1]));

/** Proof lengths as transparency-dev/merkle derives them (decompInclProof), in BigInt. */
function bitLen(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}
function ones(x: bigint): number {
  return x.toString(2).replace(/0/g, '').length;
}
function inclusionLength(index: bigint, size: bigint): number {
  const inner = bitLen(index ^ (size - 1n));
  return inner + ones(index >> BigInt(inner));
}
function consistencyLength(size1: bigint, size2: bigint): number {
  if (size1 === size2) return 0;
  const inner = bitLen((size1 - 1n) ^ (size2 - 1n));
  const border = ones((size1 - 1n) >> BigInt(inner));
  const shift = bitLen(size1 & -size1) - 1;
  return inner - shift + border + ((size1 & (size1 - 1n)) === 0n ? 0 : 1);
}

function random53(rand: () => number): number {
  return Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32);
}

describe('proof ranges reproduce the reference proofs', () => {
  it('inclusion: every index < size <= 70', () => {
    for (let size = 1; size <= 70; size++) {
      const tree = leaves.slice(0, size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, tree);
        expect(inclusionProofRanges(index, size).map(mthOf(tree)), `(${index}, ${size})`).toEqual(proof.map(toHex));
        expect(proof).toHaveLength(inclusionLength(BigInt(index), BigInt(size)));
        expect(verifyInclusion(index, size, tree[index]!, proof, roots[size]!)).toEqual({ ok: true });
      }
    }
  });

  it('consistency: every 1 <= size1 <= size2 <= 70', () => {
    for (let size2 = 1; size2 <= 70; size2++) {
      const tree = leaves.slice(0, size2);
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = consistencyProof(size1, tree);
        expect(consistencyProofRanges(size1, size2).map(mthOf(tree)), `(${size1}, ${size2})`).toEqual(proof.map(toHex));
        expect(proof).toHaveLength(consistencyLength(BigInt(size1), BigInt(size2)));
        expect(verifyConsistency(size1, size2, roots[size1]!, roots[size2]!, proof)).toEqual({ ok: true });
      }
    }
  });

  it('cover the right leaves for sizes up to 2^53 - 1', () => {
    const rand = prng(6);
    const pairs: Array<[number, number]> = [
      [MAX - 1, MAX],
      [0, MAX],
      [2 ** 52, MAX],
      [2 ** 32, 2 ** 32 + 1],
      [2 ** 40 - 1, 2 ** 40],
    ];
    while (pairs.length < 400) {
      const [a, b] = [random53(rand), random53(rand)];
      if (a !== b) pairs.push(a < b ? [a, b] : [b, a]);
    }
    const sorted = (rs: LeafRange[]) => [...rs].sort((x, y) => x[0] - y[0]);
    for (const [a, b] of pairs) {
      // Inclusion of leaf a in a tree of size b: the ranges and [a, a+1) tile [0, b).
      const inc = inclusionProofRanges(a, b);
      expect(inc).toHaveLength(inclusionLength(BigInt(a), BigInt(b)));
      let pos = 0;
      for (const [s, e] of sorted([...inc, [a, a + 1]])) {
        expect(s).toBe(pos);
        pos = e;
      }
      expect(pos).toBe(b);
      // Consistency from a (> 0) to b: the ranges tile [0, b), or [a, b) when a is a power of two.
      if (a === 0) continue;
      const con = consistencyProofRanges(a, b);
      expect(con).toHaveLength(consistencyLength(BigInt(a), BigInt(b)));
      pos = (BigInt(a) & BigInt(a - 1)) === 0n ? a : 0;
      for (const [s, e] of sorted(con)) {
        expect(s).toBe(pos);
        pos = e;
      }
      expect(pos).toBe(b);
    }
  });
});

describe('verification reports reasons, never throws', () => {
  const tree = leaves.slice(0, 13);
  const root = roots[13]!;
  const proof = inclusionProof(6, tree);

  it('rejects invalid numbers', () => {
    const cases: Array<[number, number, string]> = [
      [0, NaN, 'SIZE_INVALID'],
      [0, -1, 'SIZE_INVALID'],
      [0, 13.5, 'SIZE_INVALID'],
      [0, MAX + 1, 'SIZE_INVALID'],
      [0, Infinity, 'SIZE_INVALID'],
      [NaN, 13, 'INDEX_INVALID'],
      [-1, 13, 'INDEX_INVALID'],
      [6.5, 13, 'INDEX_INVALID'],
      [2 ** 53, 13, 'INDEX_INVALID'],
      [13, 13, 'INDEX_OUT_OF_RANGE'],
      [0, 0, 'INDEX_OUT_OF_RANGE'],
      [MAX - 1, MAX, 'PROOF_WRONG_LENGTH'],
    ];
    for (const [index, size, reason] of cases) {
      expect(verifyInclusion(index, size, tree[6]!, proof, root), `(${index}, ${size})`).toEqual({ ok: false, reason });
    }
    const cons: Array<[number, number, string]> = [
      [NaN, 13, 'SIZE_INVALID'],
      [1, -13, 'SIZE_INVALID'],
      [1.5, 13, 'SIZE_INVALID'],
      [1, MAX + 1, 'SIZE_INVALID'],
      [14, 13, 'SIZE_ORDER'],
      [0, 13, 'SIZE1_ZERO'],
      [0, 0, 'SIZE1_ZERO'],
      [13, 13, 'SIZES_EQUAL_PROOF_NOT_EMPTY'],
      [5, MAX, 'PROOF_WRONG_LENGTH'],
    ];
    const cp = consistencyProof(5, tree);
    for (const [size1, size2, reason] of cons) {
      expect(verifyConsistency(size1, size2, roots[5]!, root, cp), `(${size1}, ${size2})`).toEqual({
        ok: false,
        reason,
      });
    }
    expect(cases.length + cons.length).toBe(21);
  });

  it('reports expected and computed roots on a mismatch', () => {
    const wrong = flipBit(root, 3);
    expect(verifyInclusion(6, 13, tree[6]!, proof, wrong)).toEqual({
      ok: false,
      reason: 'ROOT_MISMATCH',
      expected: toHex(wrong),
      computed: toHex(root),
    });
    const cp = consistencyProof(5, tree);
    const wrong1 = flipBit(roots[5]!, 0);
    expect(verifyConsistency(5, 13, wrong1, root, cp)).toEqual({
      ok: false,
      reason: 'ROOT1_MISMATCH',
      expected: toHex(wrong1),
      computed: toHex(roots[5]!),
    });
    expect(verifyConsistency(5, 13, roots[5]!, wrong, cp)).toEqual({
      ok: false,
      reason: 'ROOT2_MISMATCH',
      expected: toHex(wrong),
      computed: toHex(root),
    });
    // Equal sizes: the "computed" root2 is root1 itself.
    expect(verifyConsistency(13, 13, root, wrong, [])).toMatchObject({
      reason: 'ROOT2_MISMATCH',
      computed: toHex(root),
    });
    expect(rootFromInclusionProof(6, 13, tree[6]!, proof)).toEqual({ ok: true, root });
    expect(rootsFromConsistencyProof(5, 13, wrong1, cp)).toEqual({ ok: true, root1: roots[5], root2: root });
  });

  it('documents every reason it can return', () => {
    expect(Object.keys(MERKLE_PROOF_REASONS)).toEqual([
      'SIZE_INVALID',
      'INDEX_INVALID',
      'INDEX_OUT_OF_RANGE',
      'SIZE_ORDER',
      'SIZE1_ZERO',
      'SIZES_EQUAL_PROOF_NOT_EMPTY',
      'EMPTY_PROOF',
      'PROOF_WRONG_LENGTH',
      'HASH_WRONG_SIZE',
      'ROOT_MISMATCH',
      'ROOT1_MISMATCH',
      'ROOT2_MISMATCH',
    ]);
  });

  it('accepts a proof under a different size when the path shape is the same: sizes are bound by checkpoints', () => {
    // PATH(0, D[3]) and PATH(0, D[4]) are both "two right siblings", so the size-3 proof and
    // root also verify as size 4. A verifier must take the size from the signed checkpoint.
    const three = leaves.slice(0, 3);
    expect(verifyInclusion(0, 4, three[0]!, inclusionProof(0, three), roots[3]!)).toEqual({ ok: true });
    expect(verifyInclusion(0, 5, three[0]!, inclusionProof(0, three), roots[3]!)).toMatchObject({
      reason: 'PROOF_WRONG_LENGTH',
    });
  });
});

describe('proof generation rejects broken preconditions with USAGE', () => {
  it('for bad indices and sizes', () => {
    const tree = leaves.slice(0, 8);
    const cases: Array<() => unknown> = [
      () => inclusionProof(-1, tree),
      () => inclusionProof(8, tree),
      () => inclusionProof(0.5, tree),
      () => inclusionProof(0, []),
      () => consistencyProof(0, tree),
      () => consistencyProof(9, tree),
      () => consistencyProof(NaN, tree),
      () => inclusionProofRanges(3, 3),
      () => inclusionProofRanges(0, NaN),
      () => consistencyProofRanges(0, 3),
      () => consistencyProofRanges(4, 3),
      () => consistencyProofRanges(1, MAX + 1),
    ];
    for (const c of cases) expect(c).toThrow(usage);
    expect(consistencyProof(8, tree)).toEqual([]);
    expect(consistencyProofRanges(8, 8)).toEqual([]);
    expect(inclusionProofRanges(0, 1)).toEqual([]);
  });
});
