/**
 * Systematic mutation catalogue (STYLE.md convention 9) over generated trees: every valid
 * proof verifies, and every mutation of it is rejected, with the expected reason where the
 * reason is determined.
 */
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  type ProofVerdict,
  verifyConsistency,
  verifyInclusion,
} from '../../../../../shared/tlog/merkle/proof.js';
import { merkleRoot } from '../../../../../shared/tlog/merkle/tree.js';
import {
  type ConsistencyCase,
  consistencyMutations,
  deterministicLeafHashes,
  type InclusionCase,
  inclusionMutations,
  type Mutation,
} from './support.js';

const MAX_ALL = 40; // every index and every size1 up to here
const LARGER = [63, 64, 65, 100, 127, 128, 129, 257];
const leaves = deterministicLeafHashes(Math.max(...LARGER) + 1);
const roots = Array.from({ length: leaves.length + 1 }, (_, n) => merkleRoot(leaves.slice(0, n)));

/** Values in [lo, hi] to probe: all of them in small trees, edges and a spread in larger ones. */
function sample(lo: number, hi: number): number[] {
  if (hi - lo < MAX_ALL) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const pts = [lo, lo + 1, 31, 32, 33, Math.floor((lo + hi) / 2), hi - 1, hi];
  return [...new Set(pts)].sort((a, b) => a - b);
}

const sizes = [...Array.from({ length: MAX_ALL }, (_, i) => i + 1), ...LARGER];

/*
 * The rejection reasons the catalogue reaches (shared/merkle/proof.ts MERKLE_PROOF_REASONS),
 * so a catalogue that stopped exercising a rejection path fails here. Not reachable by mutating
 * a valid proof: SIZE_INVALID (sizes stay non-negative integers) and, for consistency,
 * INDEX_INVALID; the inclusion-only and consistency-only reasons belong to their own verifier.
 */
const INCLUSION_REASONS = [
  'HASH_WRONG_SIZE',
  'INDEX_INVALID',
  'INDEX_OUT_OF_RANGE',
  'PROOF_WRONG_LENGTH',
  'ROOT_MISMATCH',
];
const CONSISTENCY_REASONS = [
  'EMPTY_PROOF',
  'HASH_WRONG_SIZE',
  'PROOF_WRONG_LENGTH',
  'ROOT1_MISMATCH',
  'ROOT2_MISMATCH',
  'SIZE1_ZERO',
  'SIZES_EQUAL_PROOF_NOT_EMPTY',
  'SIZE_ORDER',
];

/** Returns the problems found; adds the reason each mutation was rejected with to `seen`. */
function judge<C>(muts: Mutation<C>[], run: (c: C) => ProofVerdict, seen: Set<string>): string[] {
  const problems: string[] = [];
  for (const { desc, mutated, reasons } of muts) {
    const r = run(mutated);
    if (r.ok) problems.push(`${desc}: accepted`);
    else {
      seen.add(r.reason);
      if (reasons && !reasons.includes(r.reason)) problems.push(`${desc}: ${r.reason}, want ${reasons.join('|')}`);
    }
  }
  return problems;
}

describe('mutation catalogue: inclusion proofs', () => {
  it('accepts every generated proof and rejects every mutation', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const size of sizes) {
      const tree = leaves.slice(0, size);
      for (const index of sample(0, size - 1)) {
        const c: InclusionCase = {
          index,
          size,
          leafHash: tree[index]!,
          proof: inclusionProof(index, tree),
          root: roots[size]!,
        };
        const ok = verifyInclusion(c.index, c.size, c.leafHash, c.proof, c.root);
        if (!ok.ok) problems.push(`(${index}, ${size}) valid proof rejected: ${ok.reason}`);
        const muts = inclusionMutations(c, roots[size + 1]!);
        const run = (x: InclusionCase) => verifyInclusion(x.index, x.size, x.leafHash, x.proof, x.root);
        problems.push(...judge(muts, run, seen).map((p) => `(${index}, ${size}) ${p}`));
      }
    }
    expect(problems).toEqual([]);
    // The catalogue reaches every rejection path of verifyInclusion that a mutation can.
    expect([...seen].sort()).toEqual(INCLUSION_REASONS);
  });
});

describe('mutation catalogue: consistency proofs', () => {
  it('accepts every generated proof and rejects every mutation', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const size2 of sizes) {
      const tree = leaves.slice(0, size2);
      for (const size1 of sample(1, size2)) {
        const c: ConsistencyCase = {
          size1,
          size2,
          root1: roots[size1]!,
          root2: roots[size2]!,
          proof: consistencyProof(size1, tree),
        };
        const ok = verifyConsistency(c.size1, c.size2, c.root1, c.root2, c.proof);
        if (!ok.ok) problems.push(`(${size1}, ${size2}) valid proof rejected: ${ok.reason}`);
        const run = (x: ConsistencyCase) => verifyConsistency(x.size1, x.size2, x.root1, x.root2, x.proof);
        problems.push(...judge(consistencyMutations(c), run, seen).map((p) => `(${size1}, ${size2}) ${p}`));
      }
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(CONSISTENCY_REASONS);
  });
});
