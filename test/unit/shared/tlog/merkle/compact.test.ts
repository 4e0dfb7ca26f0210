import { describe, expect, it } from 'vitest';
import { CompactRange, rangeNodes } from '../../../../../shared/tlog/merkle/compact.js';
import { merkleRoot, merkleRootRange } from '../../../../../shared/tlog/merkle/tree.js';
import { deterministicLeafHashes, nodeSha256, prng } from './support.js';

const MAX = Number.MAX_SAFE_INTEGER;
const leaves = deterministicLeafHashes(300);
const prefixRoots = Array.from({ length: leaves.length + 1 }, (_, n) => merkleRoot(leaves.slice(0, n)));
const usage = expect.objectContaining({ code: 'USAGE' });
const malformed = expect.objectContaining({ code: 'INPUT_MALFORMED' });

function popcount(x: bigint): number {
  return x.toString(2).replace(/0/g, '').length;
}

/** Node count of the minimal decomposition, computed as transparency-dev/merkle's compact.Decompose does. */
function decomposeCount(begin: number, end: number): number {
  if (begin === 0) return popcount(BigInt(end));
  const xbegin = BigInt(begin - 1);
  const d = (xbegin ^ BigInt(end)).toString(2).length - 1;
  const mask = (1n << BigInt(d)) - 1n;
  return popcount(~xbegin & mask) + popcount(BigInt(end) & mask);
}

function rangeOf(begin: number, end: number, h?: typeof nodeSha256): CompactRange {
  const r = new CompactRange(begin, h);
  for (let i = begin; i < end; i++) r.append(leaves[i]!);
  return r;
}

describe('rangeNodes', () => {
  it('splits every [begin, end) with end <= 70 into contiguous, aligned, maximal subtrees', () => {
    for (let b = 0; b <= 70; b++) {
      for (let e = b; e <= 70; e++) {
        const nodes = rangeNodes(b, e);
        let pos = b;
        for (const { level, index } of nodes) {
          expect(index * 2 ** level).toBe(pos);
          pos += 2 ** level;
        }
        expect(pos).toBe(e);
        expect(nodes.length, `[${b}, ${e})`).toBe(decomposeCount(b, e));
      }
    }
  });

  it('handles the largest sizes exactly', () => {
    expect(rangeNodes(0, MAX).map((n) => n.level)).toEqual(Array.from({ length: 53 }, (_, i) => 52 - i));
    expect(rangeNodes(MAX - 1, MAX)).toEqual([{ level: 0, index: MAX - 1 }]);
    expect(rangeNodes(2 ** 52, 2 ** 52 + 3)).toEqual([
      { level: 1, index: 2 ** 51 },
      { level: 0, index: 2 ** 52 + 2 },
    ]);
    expect(rangeNodes(2 ** 40 - 1, 2 ** 40 + 1)).toEqual([
      { level: 0, index: 2 ** 40 - 1 },
      { level: 0, index: 2 ** 40 },
    ]);
    const rand = prng(4);
    for (let i = 0; i < 200; i++) {
      const a = Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32);
      const b = Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32);
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(rangeNodes(lo, hi).length, `[${lo}, ${hi})`).toBe(decomposeCount(lo, hi));
    }
  });

  it('rejects invalid ranges with USAGE', () => {
    const bad: Array<[number, number]> = [
      [-1, 0],
      [2, 1],
      [0, NaN],
      [0, MAX + 1],
      [0.5, 1],
      [0, Infinity],
    ];
    for (const [b, e] of bad) expect(() => rangeNodes(b, e), `[${b}, ${e})`).toThrow(usage);
  });
});

describe('CompactRange', () => {
  it('holds the MTH of each rangeNodes subtree, for every [begin, end) with end <= 40', () => {
    for (let b = 0; b <= 40; b++) {
      const r = new CompactRange(b);
      for (let e = b; e <= 40; e++) {
        if (e > b) r.append(leaves[e - 1]!);
        expect([r.begin, r.end]).toEqual([b, e]);
        const want = rangeNodes(b, e).map(({ level, index }) =>
          merkleRootRange(leaves, index * 2 ** level, (index + 1) * 2 ** level),
        );
        expect(r.hashes()).toEqual(want);
      }
    }
  });

  it('gives the root of every prefix (n = 0..300), with either hash function', () => {
    const r = new CompactRange(0);
    const fast = new CompactRange(0, nodeSha256);
    expect(r.root()).toEqual(prefixRoots[0]);
    for (let n = 1; n <= 300; n++) {
      r.append(leaves[n - 1]!);
      fast.append(leaves[n - 1]!);
      expect(r.root(), `n = ${n}`).toEqual(prefixRoots[n]);
      expect(fast.root(), `n = ${n}`).toEqual(prefixRoots[n]);
    }
    expect(r.end).toBe(300);
  });

  it('merged from random split points equals merkleRoot, merging left to right or pairwise', () => {
    const rand = prng(5);
    // How many parts the random cuts gave: the pairwise reduction is only exercised by 3 or more.
    const partCounts = new Set<number>();
    for (let t = 0; t < 300; t++) {
      const n = Math.floor(rand() * 301);
      const cuts = [
        ...new Set(Array.from({ length: Math.floor(rand() * 8) }, () => Math.floor(rand() * (n + 1)))),
      ].sort((a, b) => a - b);
      const bounds = [0, ...cuts, n];
      const parts = bounds.slice(1).map((e, i) => rangeOf(bounds[i]!, e));
      partCounts.add(parts.length);

      const seq = parts[0]!.clone();
      for (const p of parts.slice(1)) seq.merge(p);
      expect(seq.root(), `n = ${n}, cuts = ${cuts.join(',')}`).toEqual(prefixRoots[n]);

      // Pairwise (like a reduction tree over workers): [a+b] + [c+d] + ...
      let level = parts.map((p) => p.clone());
      while (level.length > 1) {
        const next: CompactRange[] = [];
        for (let i = 0; i < level.length; i += 2) {
          if (i + 1 < level.length) level[i]!.merge(level[i + 1]!);
          next.push(level[i]!);
        }
        level = next;
      }
      expect(level[0]!.hashes()).toEqual(seq.hashes());
      expect(level[0]!.root()).toEqual(prefixRoots[n]);
      // Merging leaves its argument unchanged.
      expect(parts.map((p) => [p.begin, p.end])).toEqual(bounds.slice(1).map((e, i) => [bounds[i], e]));
    }
    expect([...partCounts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('merges ranges that do not start at 0, and empty ranges', () => {
    for (let b = 0; b <= 24; b++) {
      for (let m = b; m <= 24; m++) {
        for (let e = m; e <= 24; e++) {
          const left = rangeOf(b, m);
          left.merge(rangeOf(m, e));
          expect(left.hashes(), `[${b}, ${m}) + [${m}, ${e})`).toEqual(rangeOf(b, e).hashes());
        }
      }
    }
    const empty = new CompactRange(7);
    empty.merge(empty);
    expect([empty.begin, empty.end, empty.hashes().length]).toEqual([7, 7, 0]);
  });

  it('round-trips through fromHashes and clones independently', () => {
    const r = rangeOf(5, 77);
    const copy = CompactRange.fromHashes(r.begin, r.end, r.hashes());
    expect([copy.begin, copy.end]).toEqual([5, 77]);
    expect(copy.hashes()).toEqual(r.hashes());
    const clone = r.clone();
    clone.append(leaves[77]!);
    expect([r.end, clone.end]).toEqual([77, 78]);
    expect(clone.hashes()).toEqual(rangeOf(5, 78).hashes());
    expect(r.hashes()).toEqual(copy.hashes());
    // hashes() is a copy of the list: changing it does not change the range.
    (r.hashes() as Uint8Array[]).pop();
    expect(r.hashes()).toHaveLength(copy.hashes().length);
  });

  it('works at indices beyond 2^32', () => {
    const begin = 2 ** 40 - 3;
    const r = new CompactRange(begin);
    for (let i = 0; i < 6; i++) r.append(leaves[i]!);
    expect(r.hashes()).toEqual([leaves[0], merkleRootRange(leaves, 1, 3), merkleRootRange(leaves, 3, 5), leaves[5]]);
    expect(rangeNodes(begin, begin + 6).map((n) => n.level)).toEqual([0, 1, 1, 0]);
  });

  it('rejects misuse with USAGE and malformed hash lists with INPUT_MALFORMED', () => {
    const r = rangeOf(0, 5);
    const cases: Array<() => unknown> = [
      () => new CompactRange(-1),
      () => new CompactRange(NaN),
      () => new CompactRange(1.5),
      () => new CompactRange(MAX + 1),
      () => r.append(new Uint8Array(31)),
      () => r.append(new Uint8Array(33)),
      () => r.merge(rangeOf(6, 8)),
      () => r.merge(rangeOf(4, 8)),
      () => rangeOf(1, 3).root(),
      () => CompactRange.fromHashes(MAX, MAX, []).append(leaves[0]!),
      () => CompactRange.fromHashes(3, 1, []),
    ];
    for (const c of cases) expect(c).toThrow(usage);
    const hs = rangeOf(3, 10).hashes();
    const malformedCases: Array<() => unknown> = [
      () => CompactRange.fromHashes(3, 10, hs.slice(1)),
      () => CompactRange.fromHashes(3, 10, [...hs, leaves[0]!]),
      () => CompactRange.fromHashes(3, 10, [hs[0]!.subarray(1), ...hs.slice(1)]),
      () => CompactRange.fromHashes(0, 0, [leaves[0]!]),
    ];
    for (const c of malformedCases) expect(c).toThrow(malformed);
    expect([cases.length, malformedCases.length]).toEqual([11, 4]);
    expect(r.end).toBe(5); // a rejected call leaves the range as it was
    expect(r.root()).toEqual(prefixRoots[5]);
  });
});
