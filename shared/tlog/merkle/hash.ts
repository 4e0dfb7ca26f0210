/**
 * RFC 9162 Merkle hashing: domain-separated leaf and interior-node hashes over SHA-256.
 *
 * Every function takes the hash as an optional last parameter so Node code can pass
 * node:crypto's faster one-shot SHA-256, which must give identical results (the SHA-256
 * tests check both against NIST CAVS and each other). A hash passed here must consume its
 * input before returning (every synchronous hash does), because hashChildren reuses one
 * scratch buffer between calls.
 */
import { SHA256_SIZE, type Sha256, sha256 } from '../../crypto/hash.js';

/** Prefix of a leaf hash input, RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0)). */
export const LEAF_HASH_PREFIX = 0x00;

/** Prefix of an interior-node hash input, RFC 9162 §2.1.1: HASH(0x01 || left || right). */
export const NODE_HASH_PREFIX = 0x01;

/** Size in bytes of every Merkle hash (leaf hashes, node hashes, roots). */
export const MERKLE_HASH_SIZE = SHA256_SIZE;

// Interior nodes are hashed millions of times while a log is replayed. Hashing is
// synchronous, so one buffer can hold 0x01 || left || right for every call instead of
// allocating 65 bytes per node.
const scratch = new Uint8Array(1 + 2 * MERKLE_HASH_SIZE);
scratch[0] = NODE_HASH_PREFIX;

/**
 * Hashes one leaf: HASH(0x00 || leaf). Any length of leaf data is allowed.
 * RFC 9162 §2.1.1.
 */
export function hashLeaf(leaf: Uint8Array, h: Sha256 = sha256): Uint8Array {
  const input = new Uint8Array(1 + leaf.length);
  input[0] = LEAF_HASH_PREFIX;
  input.set(leaf, 1);
  return h(input);
}

/**
 * Hashes an interior node: HASH(0x01 || left || right). The result is a new array.
 * Children of any length are hashed as given (the fast path covers the usual 32 bytes);
 * verifiers check lengths before they get here. RFC 9162 §2.1.1.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array, h: Sha256 = sha256): Uint8Array {
  if (left.length === MERKLE_HASH_SIZE && right.length === MERKLE_HASH_SIZE) {
    scratch.set(left, 1);
    scratch.set(right, 1 + MERKLE_HASH_SIZE);
    return h(scratch);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_HASH_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return h(input);
}

/** The root of the empty tree: HASH() of the empty string. RFC 9162 §2.1.1. */
export function emptyRoot(h: Sha256 = sha256): Uint8Array {
  return h(new Uint8Array(0));
}
