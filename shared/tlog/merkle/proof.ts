/**
 * RFC 9162 inclusion and consistency proofs: generation (reference, over in-memory leaf
 * hashes), the leaf ranges each proof element covers (for streaming generation), and
 * verification. Verification computes first and judges second (rootFrom… / verify…), so a
 * failure can report the computed value next to the expected one.
 *
 * Verification never throws on bad input: sizes, indices and hashes may come straight from
 * an untrusted bundle, and every problem comes back as a reason code. Generation throws
 * USAGE when its preconditions are broken, because that is a bug in the caller.
 */

import { type Sha256, sha256 } from '../../crypto/hash.js';
import { bytesEqual, toHex } from '../../encoding/bytes.js';
import { ProofdeskError } from '../../verdict/errors.js';
import { hashChildren, MERKLE_HASH_SIZE } from './hash.js';
import { isNonNegativeSafeInteger, isPowerOfTwo, largestPowerOfTwoBelow, merkleRootRange } from './tree.js';

/**
 * Why a proof was rejected. Checks run in the order listed (numbers, then proof shape, then
 * hash sizes, then roots), so a proof with several problems reports the first. The
 * policies beyond RFC 9162 (32-byte hashes, no proof from size 0, size1 = size2 needs an
 * empty proof) follow transparency-dev/merkle; see ../shared/vectors/merkle/README.md.
 */
export const MERKLE_PROOF_REASONS = {
  SIZE_INVALID: 'A tree size is not a non-negative safe integer (NaN, negative, fractional or above 2^53 - 1).',
  INDEX_INVALID: 'The leaf index is not a non-negative safe integer.',
  INDEX_OUT_OF_RANGE: 'The leaf index is not below the tree size (RFC 9162 §2.1.3.2 step 1).',
  SIZE_ORDER: 'Consistency: size1 is larger than size2.',
  SIZE1_ZERO: 'Consistency from the empty tree: RFC 9162 defines no such proof, so it proves nothing.',
  SIZES_EQUAL_PROOF_NOT_EMPTY: 'Consistency with size1 = size2 must have an empty proof.',
  EMPTY_PROOF: 'Consistency with size1 < size2 and an empty proof (RFC 9162 §2.1.4.2 step 1).',
  PROOF_WRONG_LENGTH: 'The proof has more or fewer elements than the index and size(s) require.',
  HASH_WRONG_SIZE: 'A leaf hash, root or proof element is not exactly 32 bytes.',
  ROOT_MISMATCH: 'Inclusion: the root computed from the proof differs from the expected root.',
  ROOT1_MISMATCH: 'Consistency: the proof does not reproduce root1, the root of the smaller tree.',
  ROOT2_MISMATCH: 'Consistency: the root of the larger tree computed from the proof differs from root2.',
} as const;

export type MerkleProofReason = keyof typeof MERKLE_PROOF_REASONS;

/** A rejected proof. On a root mismatch, expected and computed hold the two roots in hex. */
export interface MerkleProofFailure {
  readonly ok: false;
  readonly reason: MerkleProofReason;
  readonly expected?: string;
  readonly computed?: string;
}

export type InclusionRootResult = { readonly ok: true; readonly root: Uint8Array } | MerkleProofFailure;
export type ConsistencyRootsResult =
  | { readonly ok: true; readonly root1: Uint8Array; readonly root2: Uint8Array }
  | MerkleProofFailure;
export type ProofVerdict = { readonly ok: true } | MerkleProofFailure;

/** A half-open leaf range [begin, end). */
export type LeafRange = [begin: number, end: number];

// ───────────────────────── generation: reference over leaf hashes ─────────────────────────

/**
 * The inclusion proof PATH(index, D[n]) for the tree whose leaf hashes are given.
 * Requires 0 <= index < leafHashes.length. RFC 9162 §2.1.3.1.
 */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[], h: Sha256 = sha256): Uint8Array[] {
  if (!isNonNegativeSafeInteger(index) || index >= leafHashes.length) {
    throw new ProofdeskError('USAGE', 'inclusionProof requires 0 <= index < tree size', {
      index,
      size: leafHashes.length,
    });
  }
  return path(index, leafHashes, 0, leafHashes.length, h);
}

function path(m: number, d: readonly Uint8Array[], begin: number, end: number, h: Sha256): Uint8Array[] {
  const n = end - begin;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...path(m, d, begin, begin + k, h), merkleRootRange(d, begin + k, end, h)];
  return [...path(m - k, d, begin + k, end, h), merkleRootRange(d, begin, begin + k, h)];
}

/**
 * The consistency proof PROOF(size1, D[size2]) between the first size1 leaves and all
 * leaves given (size2 = leafHashes.length); empty when size1 = size2.
 * Requires 1 <= size1 <= leafHashes.length. RFC 9162 §2.1.4.1.
 */
export function consistencyProof(size1: number, leafHashes: readonly Uint8Array[], h: Sha256 = sha256): Uint8Array[] {
  if (!isNonNegativeSafeInteger(size1) || size1 === 0 || size1 > leafHashes.length) {
    throw new ProofdeskError('USAGE', 'consistencyProof requires 1 <= size1 <= size2', {
      size1,
      size2: leafHashes.length,
    });
  }
  return subproof(size1, leafHashes, 0, leafHashes.length, true, h);
}

function subproof(
  m: number,
  d: readonly Uint8Array[],
  begin: number,
  end: number,
  b: boolean,
  h: Sha256,
): Uint8Array[] {
  const n = end - begin;
  if (m === n) return b ? [] : [merkleRootRange(d, begin, end, h)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...subproof(m, d, begin, begin + k, b, h), merkleRootRange(d, begin + k, end, h)];
  return [...subproof(m - k, d, begin + k, end, false, h), merkleRootRange(d, begin, begin + k, h)];
}

// ───────────────────────── generation: which leaves each element covers ─────────────────────────

/**
 * For the inclusion proof of leaf `index` in a tree of `size`, the leaf range whose MTH is
 * each proof element, in proof order (bottom up). Lets a streaming reader build proofs
 * from compact ranges without holding the tree. Requires 0 <= index < size.
 * RFC 9162 §2.1.3.1.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!isNonNegativeSafeInteger(index) || !isNonNegativeSafeInteger(size) || index >= size) {
    throw new ProofdeskError('USAGE', 'inclusionProofRanges requires 0 <= index < size', { index, size });
  }
  // Walk PATH top down, then reverse: the spec appends the upper siblings last.
  const out: LeafRange[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = largestPowerOfTwoBelow(end - begin);
    if (index < begin + k) {
      out.push([begin + k, end]);
      end = begin + k;
    } else {
      out.push([begin, begin + k]);
      begin += k;
    }
  }
  return out.reverse();
}

/**
 * For the consistency proof from size1 to size2, the leaf range whose MTH is each proof
 * element, in proof order. Empty when size1 = size2. Requires 1 <= size1 <= size2.
 * RFC 9162 §2.1.4.1.
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  if (!isNonNegativeSafeInteger(size1) || !isNonNegativeSafeInteger(size2) || size1 === 0 || size1 > size2) {
    throw new ProofdeskError('USAGE', 'consistencyProofRanges requires 1 <= size1 <= size2', { size1, size2 });
  }
  // Walk SUBPROOF top down, then reverse. `complete` is the spec's flag b: it stays true
  // while the old tree is a whole subtree of the current one, whose root the verifier
  // already has as root1.
  const out: LeafRange[] = [];
  let begin = 0;
  let end = size2;
  let complete = true;
  while (size1 !== end) {
    const k = largestPowerOfTwoBelow(end - begin);
    if (size1 - begin <= k) {
      out.push([begin + k, end]);
      end = begin + k;
    } else {
      out.push([begin, begin + k]);
      begin += k;
      complete = false;
    }
  }
  if (!complete) out.push([begin, end]);
  return out.reverse();
}

// ───────────────────────── verification ─────────────────────────

function fail(reason: MerkleProofReason): MerkleProofFailure {
  return { ok: false, reason };
}

function mismatch(reason: MerkleProofReason, expected: Uint8Array, computed: Uint8Array): MerkleProofFailure {
  return { ok: false, reason, expected: toHex(expected), computed: toHex(computed) };
}

function allHashSized(hashes: readonly Uint8Array[]): boolean {
  for (const x of hashes) if (x.length !== MERKLE_HASH_SIZE) return false;
  return true;
}

// Right shift for values up to 2^53 - 1 (`>>` would truncate to 32 bits).
const half = (x: number): number => Math.floor(x / 2);
const odd = (x: number): boolean => x % 2 === 1;

/**
 * The root that an inclusion proof for leafHash at `index` implies for a tree of `size`.
 * Rejects (without hashing) invalid numbers, index >= size, a proof of the wrong length and
 * any hash that is not 32 bytes. leafHash is the leaf hash HASH(0x00 || leaf), not the leaf.
 * RFC 9162 §2.1.3.2 steps 1-4.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  h: Sha256 = sha256,
): InclusionRootResult {
  if (!isNonNegativeSafeInteger(size)) return fail('SIZE_INVALID');
  if (!isNonNegativeSafeInteger(index)) return fail('INDEX_INVALID');
  if (index >= size) return fail('INDEX_OUT_OF_RANGE');
  if (proof.length !== inclusionProofRanges(index, size).length) return fail('PROOF_WRONG_LENGTH');
  if (leafHash.length !== MERKLE_HASH_SIZE || !allHashSized(proof)) return fail('HASH_WRONG_SIZE');

  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash.slice();
  for (const p of proof) {
    // Cannot happen after the length check; kept because it is the spec's own guard.
    if (sn === 0) return fail('PROOF_WRONG_LENGTH');
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r, h);
      // On the right border the path skips levels where the node has no right sibling.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p, h);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('PROOF_WRONG_LENGTH');
  return { ok: true, root: r };
}

/**
 * Verifies that leafHash is leaf number `index` of the tree of `size` with the given root.
 * Requires nothing: every bad input is a reason code. RFC 9162 §2.1.3.2.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  h: Sha256 = sha256,
): ProofVerdict {
  const computed = rootFromInclusionProof(index, size, leafHash, proof, h);
  if (!computed.ok) return computed;
  if (root.length !== MERKLE_HASH_SIZE) return fail('HASH_WRONG_SIZE');
  if (!bytesEqual(computed.root, root)) return mismatch('ROOT_MISMATCH', root, computed.root);
  return { ok: true };
}

/**
 * The two roots a consistency proof implies: root1 as recomputed from the proof (to be
 * compared with the given root1) and the root of the tree of size2. Rejects invalid sizes,
 * size1 > size2, size1 = 0, a non-empty proof for equal sizes, an empty or wrong-length
 * proof for size1 < size2, and any hash that is not 32 bytes. For size1 = size2 both
 * results are root1. RFC 9162 §2.1.4.2 steps 1-6.
 */
export function rootsFromConsistencyProof(
  size1: number,
  size2: number,
  root1: Uint8Array,
  proof: readonly Uint8Array[],
  h: Sha256 = sha256,
): ConsistencyRootsResult {
  if (!isNonNegativeSafeInteger(size1) || !isNonNegativeSafeInteger(size2)) return fail('SIZE_INVALID');
  if (size1 > size2) return fail('SIZE_ORDER');
  if (size1 === 0) return fail('SIZE1_ZERO');
  if (size1 === size2 && proof.length !== 0) return fail('SIZES_EQUAL_PROOF_NOT_EMPTY');
  if (size1 < size2 && proof.length === 0) return fail('EMPTY_PROOF');
  // Equal sizes: the trees must be identical, which is a plain comparison of the roots. As in
  // transparency-dev/merkle (and its probe sizes-are-equal-one-and-proof-is-empty), no hash
  // length is imposed here: nothing is hashed, so a short root cannot be misused.
  if (size1 === size2) return { ok: true, root1: root1.slice(), root2: root1.slice() };
  if (proof.length !== consistencyProofRanges(size1, size2).length) return fail('PROOF_WRONG_LENGTH');
  if (root1.length !== MERKLE_HASH_SIZE || !allHashSized(proof)) return fail('HASH_WRONG_SIZE');

  // Step 2: when the old tree is a complete subtree the proof omits its root, root1.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!.slice();
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return fail('PROOF_WRONG_LENGTH'); // unreachable after the length check
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr, h);
      sr = hashChildren(c, sr, h);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c, h);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('PROOF_WRONG_LENGTH');
  return { ok: true, root1: fr, root2: sr };
}

/**
 * Verifies that the tree of size1 with root1 is a prefix of the tree of size2 with root2.
 * Requires nothing: every bad input is a reason code. A root mismatch reports which root
 * failed, with expected and computed values. RFC 9162 §2.1.4.2.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
  h: Sha256 = sha256,
): ProofVerdict {
  const computed = rootsFromConsistencyProof(size1, size2, root1, proof, h);
  if (!computed.ok) return computed;
  if (size1 !== size2 && root2.length !== MERKLE_HASH_SIZE) return fail('HASH_WRONG_SIZE');
  if (!bytesEqual(computed.root1, root1)) return mismatch('ROOT1_MISMATCH', root1, computed.root1);
  if (!bytesEqual(computed.root2, root2)) return mismatch('ROOT2_MISMATCH', root2, computed.root2);
  return { ok: true };
}
