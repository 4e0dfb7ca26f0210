import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../../shared/crypto/hash.js';
import { concatBytes, fromHex, toHex } from '../../../../../shared/encoding/bytes.js';
import { CompactRange } from '../../../../../shared/tlog/merkle/compact.js';
import {
  emptyRoot,
  hashChildren,
  hashLeaf,
  LEAF_HASH_PREFIX,
  NODE_HASH_PREFIX,
} from '../../../../../shared/tlog/merkle/hash.js';
import {
  consistencyProof,
  inclusionProof,
  rootFromInclusionProof,
  rootsFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../../shared/tlog/merkle/proof.js';
import { merkleRoot } from '../../../../../shared/tlog/merkle/tree.js';
import { nodeSha256, prng, randomBytes } from './support.js';

describe('RFC 9162 §2.1.1 hashing', () => {
  it('uses the domain-separation prefixes 0x00 (leaf) and 0x01 (node)', () => {
    expect([LEAF_HASH_PREFIX, NODE_HASH_PREFIX]).toEqual([0x00, 0x01]);
  });

  it('hashes leaves, nodes and the empty tree as the spec defines, for 50 random inputs each', () => {
    expect(toHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const rand = prng(1);
    for (let i = 0; i < 50; i++) {
      const leaf = randomBytes(rand, i * 3);
      expect(hashLeaf(leaf)).toEqual(sha256(concatBytes(Uint8Array.of(0), leaf)));
      const [l, r] = [randomBytes(rand, 32), randomBytes(rand, 32)];
      expect(hashChildren(l, r)).toEqual(sha256(concatBytes(Uint8Array.of(1), l, r)));
      // Children that are not 32 bytes take the allocating path and give the same result.
      const [l2, r2] = [randomBytes(rand, i), randomBytes(rand, 50 - i)];
      expect(hashChildren(l2, r2)).toEqual(sha256(concatBytes(Uint8Array.of(1), l2, r2)));
    }
  });

  it('returns fresh node hashes that later calls do not overwrite (scratch buffer)', () => {
    const a = fromHex('11'.repeat(32));
    const b = fromHex('22'.repeat(32));
    const ab = hashChildren(a, b);
    const abHex = toHex(ab);
    const ba = hashChildren(b, a);
    expect(toHex(ab)).toBe(abHex);
    expect(toHex(ba)).not.toBe(abHex);
    expect(ab.buffer).not.toBe(ba.buffer);
    expect(hashChildren(ab, ab)).toEqual(sha256(concatBytes(Uint8Array.of(1), ab, ab)));
  });
});

describe('the hash parameter: node:crypto gives identical results', () => {
  it('for leaf, node and empty hashes, roots, compact ranges and proofs of a 100-leaf tree', () => {
    const rand = prng(2);
    const data = Array.from({ length: 100 }, (_, i) => randomBytes(rand, i));
    const leaves = data.map((d) => hashLeaf(d));
    expect(data.map((d) => hashLeaf(d, nodeSha256))).toEqual(leaves);
    expect(emptyRoot(nodeSha256)).toEqual(emptyRoot());
    expect(hashChildren(leaves[0]!, leaves[1]!, nodeSha256)).toEqual(hashChildren(leaves[0]!, leaves[1]!));

    const fast = new CompactRange(0, nodeSha256);
    for (let n = 1; n <= 100; n++) {
      fast.append(leaves[n - 1]!);
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      expect(merkleRoot(tree, nodeSha256)).toEqual(root);
      expect(fast.root()).toEqual(root);
      const index = n >> 1;
      const ip = inclusionProof(index, tree);
      expect(inclusionProof(index, tree, nodeSha256)).toEqual(ip);
      expect(rootFromInclusionProof(index, n, tree[index]!, ip, nodeSha256)).toEqual({ ok: true, root });
      expect(verifyInclusion(index, n, tree[index]!, ip, root, nodeSha256)).toEqual({ ok: true });
      const size1 = Math.max(1, n - 7);
      const cp = consistencyProof(size1, tree);
      expect(consistencyProof(size1, tree, nodeSha256)).toEqual(cp);
      const root1 = merkleRoot(leaves.slice(0, size1));
      expect(rootsFromConsistencyProof(size1, n, root1, cp, nodeSha256)).toEqual({ ok: true, root1, root2: root });
      expect(verifyConsistency(size1, n, root1, root, cp, nodeSha256)).toEqual({ ok: true });
    }
  });
});
