/**
 * The Merkle descent and the block-tree view it runs on: every node, range root and proof made
 * from block roots equals the RFC 9162 reference computed from all leaves, and the first
 * divergent leaf is found with O(log n) comparisons — counted, including for 1,000,000 leaves.
 */
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../../../shared/diff/descent.js';
import {
  BlockTree,
  consistencyProofFrom,
  inclusionProofFrom,
  prefixRoot,
  rangeHashes,
  rangeRoot,
} from '../../../../shared/diff/subtree.js';
import { CompactRange } from '../../../../shared/tlog/merkle/compact.js';
import { consistencyProof, inclusionProof } from '../../../../shared/tlog/merkle/proof.js';
import { merkleRoot, merkleRootRange } from '../../../../shared/tlog/merkle/tree.js';
import { deterministicLeafHashes, nodeSha256, prng } from '../tlog/merkle/support.js';

/** A BlockTree over in-memory leaf hashes, with block roots computed the way verification does. */
function treeOver(leaves: readonly Uint8Array[], blockLevel: number): BlockTree & { loads: number[] } {
  const per = 2 ** blockLevel;
  const full = Math.floor(leaves.length / per);
  const roots = new Uint8Array(full * 32);
  for (let b = 0; b < full; b++) roots.set(merkleRootRange(leaves, b * per, (b + 1) * per, nodeSha256), b * 32);
  const loads: number[] = [];
  const t = new BlockTree({
    size: leaves.length,
    blockLevel,
    blockRoots: roots,
    hash: nodeSha256,
    loadBlock: (b) => {
      loads.push(b);
      return leaves.slice(b * per, Math.min(leaves.length, (b + 1) * per));
    },
  });
  return Object.assign(t, { loads });
}

function bruteForce(a: readonly Uint8Array[], b: readonly Uint8Array[], n: number): number | undefined {
  for (let i = 0; i < n; i++) if (Buffer.compare(a[i]!, b[i]!) !== 0) return i;
  return undefined;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

describe('BlockTree', () => {
  const leaves = deterministicLeafHashes(1100);
  for (const blockLevel of [0, 3, 8]) {
    it(`reproduces the RFC 9162 reference for every prefix, proof and range (block level ${blockLevel})`, () => {
      for (const size of [0, 1, 2, 7, 8, 9, 255, 256, 257, 513, 1024, 1100]) {
        const t = treeOver(leaves.slice(0, size), blockLevel);
        expect(Buffer.from(prefixRoot(t, size, nodeSha256)).toString('hex')).toBe(
          Buffer.from(merkleRoot(leaves.slice(0, size), nodeSha256)).toString('hex'),
        );
        if (size === 0) continue;
        for (const index of [0, Math.floor(size / 2), size - 1]) {
          expect(inclusionProofFrom(t, index, size, nodeSha256).map((h) => Buffer.from(h).toString('hex'))).toEqual(
            inclusionProof(index, leaves.slice(0, size), nodeSha256).map((h) => Buffer.from(h).toString('hex')),
          );
        }
        for (const size1 of [1, Math.ceil(size / 3), size]) {
          expect(consistencyProofFrom(t, size1, size, nodeSha256).map((h) => Buffer.from(h).toString('hex'))).toEqual(
            consistencyProof(size1, leaves.slice(0, size), nodeSha256).map((h) => Buffer.from(h).toString('hex')),
          );
        }
      }
    });
  }

  it('gives compact ranges that merge into the tree root', () => {
    const t = treeOver(leaves, 4);
    const split = 700;
    const left = CompactRange.fromHashes(0, split, rangeHashes(t, 0, split), nodeSha256);
    left.merge(CompactRange.fromHashes(split, leaves.length, rangeHashes(t, split, leaves.length), nodeSha256));
    expect(Buffer.from(left.root()).toString('hex')).toBe(Buffer.from(merkleRoot(leaves, nodeSha256)).toString('hex'));
  });

  it('refuses nodes outside the tree, misaligned ranges and block roots of the wrong length', () => {
    const t = treeOver(leaves.slice(0, 100), 3);
    expect(() => t.node(0, 100)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => t.node(7, 0)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => rangeRoot(t, 3, 7)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(
      () => new BlockTree({ size: 100, blockLevel: 3, blockRoots: new Uint8Array(32), loadBlock: () => [] }),
    ).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('reports a block whose leaves do not match the index as malformed input, not a crash', () => {
    const t = new BlockTree({
      size: 10,
      blockLevel: 3,
      blockRoots: new Uint8Array(32),
      loadBlock: () => deterministicLeafHashes(5),
    });
    expect(() => t.node(0, 1)).toThrow(expect.objectContaining({ code: 'INPUT_MALFORMED' }));
  });
});

describe('firstDivergence', () => {
  it('agrees with a leaf-by-leaf scan for every size and position tried', () => {
    const rand = prng(42);
    const base = deterministicLeafHashes(1300, 7);
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(rand() * 1299);
      const other = base.slice();
      const mode = trial % 4;
      let expected: number | undefined;
      if (mode !== 0) {
        // mode 1: one leaf changed; 2: everything from k on changed; 3: the last leaf changed.
        const k = mode === 3 ? size - 1 : Math.floor(rand() * size);
        expected = k;
        for (let i = k; i < (mode === 2 ? base.length : k + 1); i++)
          other[i] = nodeSha256(Uint8Array.of(i & 255, i >> 8, 0xee));
      }
      const a = treeOver(base, trial % 2 === 0 ? 8 : 3);
      const b = treeOver(other, trial % 2 === 0 ? 8 : 3);
      const r = firstDivergence(a, b, size);
      expect(r.index).toBe(bruteForce(base, other, size));
      expect(r.index).toBe(expected);
      expect(r.comparisons).toBeLessThanOrEqual(popcount(size) + Math.ceil(Math.log2(size)) + 1);
    }
  });

  it('compares only the shared prefix: differences beyond `size` are not divergences', () => {
    const base = deterministicLeafHashes(600, 3);
    const other = base.slice();
    other[550] = nodeSha256(Uint8Array.of(1));
    expect(firstDivergence(treeOver(base, 8), treeOver(other, 8), 550).index).toBeUndefined();
    expect(firstDivergence(treeOver(base, 8), treeOver(other, 8), 551).index).toBe(550);
  });

  it('refuses a size beyond either tree', () => {
    const t = treeOver(deterministicLeafHashes(10), 2);
    expect(() => firstDivergence(t, treeOver(deterministicLeafHashes(9), 2), 10)).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });

  it('finds the divergence in a 1,000,000-leaf pair with fewer than 1,000 comparisons and reads one block per side', () => {
    const n = 1_000_000;
    const per = 256;
    // 1M honest leaf hashes in one buffer: leaf i = SHA-256(0x00 || uint32be(i)).
    const flat = Buffer.allocUnsafe(n * 32);
    const input = Buffer.alloc(5);
    for (let i = 0; i < n; i++) {
      input.writeUInt32BE(i, 1);
      flat.set(nodeSha256(input), i * 32);
    }
    const k = 612_345;
    const leafA = (i: number) => flat.subarray(i * 32, i * 32 + 32);
    const changed = nodeSha256(Buffer.from('\0entry rewritten'));
    const leafB = (i: number) => (i === k ? changed : leafA(i));
    const blockRoots = (leaf: (i: number) => Uint8Array, only?: number, reuse?: Uint8Array) => {
      const full = Math.floor(n / per);
      const out = reuse ? Uint8Array.from(reuse) : new Uint8Array(full * 32);
      for (let b = 0; b < full; b++) {
        if (only !== undefined && b !== only) continue;
        const r = new CompactRange(b * per, nodeSha256);
        for (let i = b * per; i < (b + 1) * per; i++) r.append(leaf(i));
        out.set(r.hashes()[0]!, b * 32);
      }
      return out;
    };
    const rootsA = blockRoots(leafA);
    const rootsB = blockRoots(leafB, Math.floor(k / per), rootsA);
    const loads = { A: 0, B: 0 };
    const mk = (roots: Uint8Array, leaf: (i: number) => Uint8Array, side: 'A' | 'B') =>
      new BlockTree({
        size: n,
        blockLevel: 8,
        blockRoots: roots,
        hash: nodeSha256,
        loadBlock: (b) => {
          loads[side]++;
          return Array.from({ length: Math.min(per, n - b * per) }, (_, j) => leaf(b * per + j));
        },
      });
    const a = mk(rootsA, leafA, 'A');
    const b = mk(rootsB, leafB, 'B');
    const r = firstDivergence(a, b, n);
    expect(r.index).toBe(k);
    expect(r.comparisons).toBeLessThan(1000);
    expect(r.comparisons).toBeLessThanOrEqual(popcount(n) + 20);
    expect(loads).toEqual({ A: 1, B: 1 });
    // Identical trees: one comparison per top-level subtree of the decomposition.
    expect(firstDivergence(a, mk(rootsA, leafA, 'A'), n)).toEqual({ comparisons: popcount(n) });
  });
});
