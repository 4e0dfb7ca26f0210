/**
 * The RFC 6962 reference tree (transparency-dev/merkle testonly/constants.go and
 * cmd/proofgen), read from ../shared/vectors/merkle/reference-tree-rfc6962.json.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../../shared/encoding/bytes.js';
import { CompactRange } from '../../../../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../../../../shared/tlog/merkle/hash.js';
import {
  consistencyProof,
  consistencyProofRanges,
  inclusionProof,
  inclusionProofRanges,
  rootFromInclusionProof,
  rootsFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../../shared/tlog/merkle/proof.js';
import { merkleRoot, merkleRootRange } from '../../../../../shared/tlog/merkle/tree.js';
import { readVectorJson } from '../../../../support/vectors.js';
import { consistencyMutations, inclusionMutations } from './support.js';

interface ReferenceTree {
  leafInputs: string[];
  leafHashes: string[];
  nodeHashes: { levels: string[][] };
  rootHashes: { values: string[] };
  inclusionProofs: Array<{
    leafIndex: number;
    treeSize: number;
    leafInput: string;
    leafHash: string;
    proof: string[];
    root: string;
    expected: string;
  }>;
  consistencyProofs: Array<{
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[];
    expected: string;
  }>;
}

const ref = readVectorJson<ReferenceTree>('merkle', 'reference-tree-rfc6962.json');
const leaves = ref.leafHashes.map(fromHex);
const hexes = (xs: readonly Uint8Array[]) => xs.map(toHex);

describe('RFC 6962 reference tree', () => {
  it('hashes the 8 leaf inputs to the listed leaf hashes', () => {
    expect(ref.leafInputs).toHaveLength(8);
    expect(ref.leafInputs.map((x) => toHex(hashLeaf(fromHex(x))))).toEqual(ref.leafHashes);
  });

  it('reproduces every root for n = 0..8 with merkleRoot and with CompactRange', () => {
    const roots = ref.rootHashes.values;
    expect(roots).toHaveLength(9);
    const range = new CompactRange(0);
    for (let n = 0; n <= 8; n++) {
      if (n > 0) range.append(leaves[n - 1]!);
      expect(toHex(merkleRoot(leaves.slice(0, n)))).toBe(roots[n]);
      expect(toHex(range.root())).toBe(roots[n]);
    }
  });

  it('reproduces every complete-subtree node hash', () => {
    // The vector lists all 15 nodes of the 8-leaf tree: 8 leaves, 4, 2 and the root.
    expect(ref.nodeHashes.levels.map((level) => level.length)).toEqual([8, 4, 2, 1]);
    ref.nodeHashes.levels.forEach((level, l) => {
      level.forEach((want, i) => {
        expect(toHex(merkleRootRange(leaves, i * 2 ** l, (i + 1) * 2 ** l))).toBe(want);
      });
    });
  });

  it('generates exactly the listed inclusion proofs, which verify and survive no mutation', () => {
    expect(ref.inclusionProofs).toHaveLength(5);
    for (const v of ref.inclusionProofs) {
      expect(v.expected).toBe('valid');
      const tree = leaves.slice(0, v.treeSize);
      const leafHash = fromHex(v.leafHash);
      const proof = v.proof.map(fromHex);
      const root = fromHex(v.root);
      expect(toHex(hashLeaf(fromHex(v.leafInput)))).toBe(v.leafHash);
      expect(hexes(inclusionProof(v.leafIndex, tree))).toEqual(v.proof);
      expect(inclusionProofRanges(v.leafIndex, v.treeSize).map(([b, e]) => toHex(merkleRootRange(tree, b, e)))).toEqual(
        v.proof,
      );
      const computed = rootFromInclusionProof(v.leafIndex, v.treeSize, leafHash, proof);
      expect(computed.ok && toHex(computed.root)).toBe(v.root);
      expect(verifyInclusion(v.leafIndex, v.treeSize, leafHash, proof, root)).toEqual({ ok: true });
      const c = { index: v.leafIndex, size: v.treeSize, leafHash, proof, root };
      for (const { desc, mutated: x } of inclusionMutations(c, fromHex(ref.rootHashes.values[0]!))) {
        expect(verifyInclusion(x.index, x.size, x.leafHash, x.proof, x.root).ok, desc).toBe(false);
      }
    }
  });

  it('generates exactly the listed consistency proofs, which verify and survive no mutation', () => {
    expect(ref.consistencyProofs).toHaveLength(5);
    for (const v of ref.consistencyProofs) {
      expect(v.expected).toBe('valid');
      const tree = leaves.slice(0, v.size2);
      const proof = v.proof.map(fromHex);
      const [root1, root2] = [fromHex(v.root1), fromHex(v.root2)];
      expect(hexes(consistencyProof(v.size1, tree))).toEqual(v.proof);
      expect(consistencyProofRanges(v.size1, v.size2).map(([b, e]) => toHex(merkleRootRange(tree, b, e)))).toEqual(
        v.proof,
      );
      const computed = rootsFromConsistencyProof(v.size1, v.size2, root1, proof);
      expect(computed.ok && [toHex(computed.root1), toHex(computed.root2)]).toEqual([v.root1, v.root2]);
      expect(verifyConsistency(v.size1, v.size2, root1, root2, proof)).toEqual({ ok: true });
      for (const { desc, mutated: x } of consistencyMutations({
        size1: v.size1,
        size2: v.size2,
        root1,
        root2,
        proof,
      })) {
        expect(verifyConsistency(x.size1, x.size2, x.root1, x.root2, x.proof).ok, desc).toBe(false);
      }
    }
  });
});
