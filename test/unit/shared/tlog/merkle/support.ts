/**
 * Helpers for the Merkle tests: deterministic leaves, node:crypto's SHA-256 in the shape of
 * shared/hash's Sha256, and the mutation catalogue (STYLE.md convention 9) that turns one
 * valid proof into many that must be rejected.
 */
import { hash as nodeHash } from 'node:crypto';
import type { Sha256 } from '../../../../../shared/crypto/hash.js';
import { fromHex } from '../../../../../shared/encoding/bytes.js';
import { hashLeaf } from '../../../../../shared/tlog/merkle/hash.js';
import type { MerkleProofReason } from '../../../../../shared/tlog/merkle/proof.js';

/** node:crypto SHA-256, viewed as a plain Uint8Array so results compare equal to noble's. */
export const nodeSha256: Sha256 = (data) => {
  const b = nodeHash('sha256', data, 'buffer');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** mulberry32: a tiny seeded PRNG, so every "random" test input is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** n leaf hashes of leaves with random content and length 0..40, from a fixed seed. */
export function deterministicLeafHashes(n: number, seed = 0x5eed): Uint8Array[] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => hashLeaf(randomBytes(rand, Math.floor(rand() * 41))));
}

export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** Bits flipped in every proof element: first, one in the middle, last. */
const FLIP_BITS = [0, 131, 255];

const GARBAGE = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

export interface InclusionCase {
  readonly index: number;
  readonly size: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

export interface ConsistencyCase {
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** A mutated case and, where the reason is determined, the reason it must be rejected with. */
export interface Mutation<C> {
  readonly desc: string;
  readonly mutated: C;
  readonly reasons?: readonly MerkleProofReason[];
}

/*
 * Not in the catalogue: "size + 1". A proof does not bind the tree size: when the paths for
 * (index, n) and (index, n + 1) have the same shape, the same proof and root verify for
 * both (proof-ranges.test.ts pins one such case). The size is bound by the signed checkpoint.
 */

/**
 * Mutations of a valid inclusion proof. `otherRoot` is the root of some other tree (a
 * plausible but wrong root).
 */
export function inclusionMutations(c: InclusionCase, otherRoot: Uint8Array): Mutation<InclusionCase>[] {
  const m: Mutation<InclusionCase>[] = [];
  const add = (desc: string, patch: Partial<InclusionCase>, reasons?: MerkleProofReason[]) =>
    m.push({ desc, mutated: { ...c, ...patch }, ...(reasons ? { reasons } : {}) });
  const p = c.proof;
  p.forEach((el, i) => {
    for (const bit of FLIP_BITS)
      add(`proof[${i}] bit ${bit}`, { proof: p.map((x, j) => (j === i ? flipBit(el, bit) : x)) }, ['ROOT_MISMATCH']);
  });
  add('index + 1', { index: c.index + 1 });
  add('index - 1', { index: c.index - 1 });
  add('index ^ 2', { index: c.index ^ 2 });
  add('size * 2', { size: c.size * 2 }, ['PROOF_WRONG_LENGTH']);
  add('size / 2', { size: Math.floor(c.size / 2) }, ['PROOF_WRONG_LENGTH', 'INDEX_OUT_OF_RANGE']);
  if (p.length > 0) {
    add('last element dropped', { proof: p.slice(0, -1) }, ['PROOF_WRONG_LENGTH']);
    add('first element dropped', { proof: p.slice(1) }, ['PROOF_WRONG_LENGTH']);
  }
  add('garbage appended', { proof: [...p, GARBAGE] }, ['PROOF_WRONG_LENGTH']);
  add('garbage prepended', { proof: [GARBAGE, ...p] }, ['PROOF_WRONG_LENGTH']);
  add('root appended', { proof: [...p, c.root] }, ['PROOF_WRONG_LENGTH']);
  add('empty element appended', { proof: [...p, new Uint8Array(0)] }, ['PROOF_WRONG_LENGTH']);
  add('leaf hash bit flipped', { leafHash: flipBit(c.leafHash, 7) }, ['ROOT_MISMATCH']);
  add('leaf hash hashed again', { leafHash: hashLeaf(c.leafHash) }, ['ROOT_MISMATCH']);
  add('leaf hash truncated', { leafHash: c.leafHash.subarray(0, 31) }, ['HASH_WRONG_SIZE']);
  add('root bit flipped', { root: flipBit(c.root, 200) }, ['ROOT_MISMATCH']);
  add('root of another tree', { root: otherRoot }, ['ROOT_MISMATCH']);
  add('root extended', { root: Uint8Array.from([...c.root, 0]) }, ['HASH_WRONG_SIZE']);
  if (c.size > 1) add('leaf and root swapped', { leafHash: c.root, root: c.leafHash }, ['ROOT_MISMATCH']);
  return m;
}

/** Mutations of a valid consistency proof (size1 <= size2). */
export function consistencyMutations(c: ConsistencyCase): Mutation<ConsistencyCase>[] {
  const m: Mutation<ConsistencyCase>[] = [];
  const add = (desc: string, patch: Partial<ConsistencyCase>, reasons?: MerkleProofReason[]) =>
    m.push({ desc, mutated: { ...c, ...patch }, ...(reasons ? { reasons } : {}) });
  const p = c.proof;
  const roots: MerkleProofReason[] = ['ROOT1_MISMATCH', 'ROOT2_MISMATCH'];
  p.forEach((el, i) => {
    for (const bit of FLIP_BITS)
      add(`proof[${i}] bit ${bit}`, { proof: p.map((x, j) => (j === i ? flipBit(el, bit) : x)) }, roots);
  });
  add('size1 + 1', { size1: c.size1 + 1 });
  add('size1 - 1', { size1: c.size1 - 1 });
  add('size1 ^ 2', { size1: c.size1 ^ 2 });
  add('size2 * 2', { size2: c.size2 * 2 });
  add('size2 / 2', { size2: Math.floor(c.size2 / 2) });
  if (p.length > 0) {
    add('last element dropped', { proof: p.slice(0, -1) }, ['PROOF_WRONG_LENGTH', 'EMPTY_PROOF']);
    add('first element dropped', { proof: p.slice(1) }, ['PROOF_WRONG_LENGTH', 'EMPTY_PROOF']);
    add('empty proof', { proof: [] }, ['EMPTY_PROOF']);
    add('root1 prepended', { proof: [c.root1, ...p] }, ['PROOF_WRONG_LENGTH']);
    add('root2 appended', { proof: [...p, c.root2] }, ['PROOF_WRONG_LENGTH']);
    add('proof[0] repeated', { proof: [p[0]!, ...p] }, ['PROOF_WRONG_LENGTH']);
    add('garbage appended', { proof: [...p, GARBAGE] }, ['PROOF_WRONG_LENGTH']);
    add('empty element appended', { proof: [...p, new Uint8Array(0)] }, ['PROOF_WRONG_LENGTH']);
    add('roots swapped', { root1: c.root2, root2: c.root1 }, roots);
  } else {
    add('element added to an equal-size proof', { proof: [GARBAGE] }, ['SIZES_EQUAL_PROOF_NOT_EMPTY']);
  }
  add('root1 bit flipped', { root1: flipBit(c.root1, 9) }, roots);
  add('root2 bit flipped', { root2: flipBit(c.root2, 250) }, ['ROOT2_MISMATCH']);
  // For equal sizes the roots are only compared (as upstream), so a short root is a mismatch.
  const short: MerkleProofReason[] = c.size1 === c.size2 ? ['ROOT2_MISMATCH'] : ['HASH_WRONG_SIZE'];
  add('root1 truncated', { root1: c.root1.subarray(1) }, short);
  add('root2 truncated', { root2: c.root2.subarray(1) }, short);
  return m;
}
