/**
 * The divergence verdict from measured facts: every verdict, which export departs from the
 * signed history, fork pairs of both kinds, and the pair chosen for a consistency proof.
 */
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../../../shared/diff/descent.js';
import { judgeDivergence, type SideTree, type SignedCheckpoint } from '../../../../shared/diff/judge.js';
import type { Side } from '../../../../shared/diff/model.js';
import { BlockTree, prefixRoot } from '../../../../shared/diff/subtree.js';
import { toHex } from '../../../../shared/encoding/bytes.js';
import { nodeSha256 } from '../tlog/merkle/support.js';

/** A log of n leaves; `changed` maps an index to a different leaf. */
function log(n: number, changed: Record<number, number> = {}): BlockTree {
  const leaves = Array.from({ length: n }, (_, i) => nodeSha256(Uint8Array.of(0, i & 255, i >> 8, changed[i] ?? 0)));
  return new BlockTree({
    size: n,
    blockLevel: 0,
    blockRoots: Uint8Array.from(Buffer.concat(leaves)),
    loadBlock: () => [],
    hash: nodeSha256,
  });
}

const side = (t: BlockTree): SideTree => ({ count: t.size, rootAt: (n) => prefixRoot(t, n, nodeSha256) });
const cp = (
  s: Side,
  t: BlockTree,
  size: number,
  file = `cp/${size}`,
  signers: readonly string[] = ['log-key'],
): SignedCheckpoint => ({ side: s, file, size, root: prefixRoot(t, size, nodeSha256), signers });

function judge(a: BlockTree, b: BlockTree, cps: SignedCheckpoint[]) {
  const n = Math.min(a.size, b.size);
  const d = firstDivergence(a, b, n).index;
  return judgeDivergence({
    counts: { A: a.size, B: b.size },
    ...(d !== undefined ? { divergence: d } : {}),
    checkpoints: cps,
    trees: { A: side(a), B: side(b) },
  });
}

describe('judgeDivergence', () => {
  it('IDENTICAL, with the shared signed head backed by both', () => {
    const a = log(100);
    const j = judge(a, log(100), [cp('A', a, 100), cp('B', a, 100)]);
    expect(j.verdict).toBe('IDENTICAL');
    expect(j.relations).toEqual([
      {
        size: 100,
        rootHash: toHex(prefixRoot(a, 100)),
        files: [
          { side: 'A', file: 'cp/100' },
          { side: 'B', file: 'cp/100' },
        ],
        backedBy: ['A', 'B'],
        contradictedBy: [],
        beyond: [],
      },
    ]);
    expect(j.consistencyPair).toBeUndefined();
    expect(j.findings).toEqual([]);
  });

  it('B_EXTENDS_A and A_EXTENDS_B, with the consistency pair taken from the longer export', () => {
    const a = log(100);
    const b = log(150);
    const j = judge(a, b, [cp('A', a, 100), cp('B', b, 150)]);
    expect(j.verdict).toBe('B_EXTENDS_A');
    expect(j.extension).toEqual({ longer: 'B', from: 100, to: 150, signedTo: 150 });
    expect(j.consistencyPair).toEqual({
      older: expect.objectContaining({ size: 100, side: 'A' }),
      newer: expect.objectContaining({ size: 150, side: 'B' }),
      tree: 'B',
    });
    const r = judge(b, a, [cp('A', b, 150), cp('B', a, 100)]);
    expect(r.verdict).toBe('A_EXTENDS_B');
    expect(r.consistencyPair?.tree).toBe('A');
    // An extension nobody signed is still an extension; signedTo says how far signatures reach.
    expect(judge(a, b, [cp('A', a, 100)]).extension).toEqual({ longer: 'B', from: 100, to: 150, signedTo: 100 });
  });

  it('TRUNCATED when the shorter export lacks entries its own signed head commits to', () => {
    const full = log(100);
    const short = log(80);
    const j = judge(full, short, [cp('A', full, 100), cp('B', full, 100)]);
    expect(j.verdict).toBe('TRUNCATED');
    expect(j.truncation).toEqual([{ side: 'B', held: 80, committed: 100 }]);
    expect(j.findings.map((f) => [f.code, f.location.range])).toEqual([['EXPORT_TRUNCATED', [80, 100]]]);
    // Without that head, the shorter export is merely older.
    expect(judge(full, short, [cp('A', full, 100), cp('B', short, 80)]).verdict).toBe('A_EXTENDS_B');
  });

  it('REWRITTEN, naming the export whose entries no longer match the signed heads', () => {
    const honest = log(100);
    const edited = log(100, { 40: 9 });
    const cps = [cp('A', honest, 100), cp('B', honest, 100)];
    expect(judge(honest, edited, cps)).toMatchObject({ verdict: 'REWRITTEN', rewritten: { index: 40, side: 'B' } });
    expect(judge(edited, honest, cps)).toMatchObject({ verdict: 'REWRITTEN', rewritten: { index: 40, side: 'A' } });
    // Signed heads that do not reach the divergence cannot say who changed what.
    expect(judge(honest, edited, [cp('A', honest, 30)])).toMatchObject({
      verdict: 'REWRITTEN',
      rewritten: { index: 40, side: 'unknown' },
    });
    expect(judge(honest, edited, [])).toMatchObject({ verdict: 'REWRITTEN', rewritten: { side: 'unknown' } });
  });

  it('FORKED: the same size signed with two roots', () => {
    const a = log(100);
    const b = log(100, { 40: 1 });
    const j = judge(a, b, [cp('A', a, 100), cp('B', b, 100)]);
    expect(j.verdict).toBe('FORKED');
    expect(j.forks).toEqual([
      expect.objectContaining({
        kind: 'same-size',
        smaller: expect.objectContaining({ size: 100 }),
        larger: expect.objectContaining({ size: 100 }),
      }),
    ]);
    expect(j.findings.map((f) => f.code)).toEqual(['CHECKPOINT_CONFLICT']);
    expect(j.consistencyPair).toBeUndefined();
  });

  it('FORKED: the larger signed tree is backed by an export that contradicts the smaller head', () => {
    const a = log(100);
    const b = log(160, { 40: 1 });
    const j = judge(a, b, [cp('A', a, 64), cp('A', a, 100), cp('B', b, 160)]);
    expect(j.verdict).toBe('FORKED');
    expect(j.forks).toEqual([
      {
        kind: 'not-a-prefix',
        smaller: expect.objectContaining({ size: 64, side: 'A' }),
        larger: expect.objectContaining({ size: 160, side: 'B' }),
        signers: ['log-key'],
        tree: 'B',
        prefixRoot: toHex(prefixRoot(b, 64)),
      },
      {
        kind: 'not-a-prefix',
        smaller: expect.objectContaining({ size: 100, side: 'A' }),
        larger: expect.objectContaining({ size: 160, side: 'B' }),
        signers: ['log-key'],
        tree: 'B',
        prefixRoot: toHex(prefixRoot(b, 100)),
      },
    ]);
    expect(j.findings.map((f) => f.code)).toEqual(['CHECKPOINTS_INCONSISTENT', 'CHECKPOINTS_INCONSISTENT']);
    // A head below the divergence is consistent with both and takes no part in the fork.
    const k = judge(a, b, [cp('A', a, 30), cp('B', b, 160)]);
    expect(k.verdict).toBe('REWRITTEN');
    expect(k.consistencyPair).toEqual({
      older: expect.objectContaining({ size: 30 }),
      newer: expect.objectContaining({ size: 160 }),
      tree: 'B',
    });
  });

  it('never FORKED when no one key signed both heads: each key said one history', () => {
    const a = log(100);
    const b = log(160, { 40: 1 });
    // Same size, two roots, two keys (e.g. the log and a witness or another log trusted as one).
    const same = judge(a, log(100, { 40: 1 }), [
      cp('A', a, 100, 'cp/100', ['log-key']),
      cp('B', log(100, { 40: 1 }), 100, 'cp/100', ['other-key']),
    ]);
    expect([same.verdict, same.forks, same.findings.map((f) => f.code)]).toEqual(['REWRITTEN', [], []]);
    // Not a prefix, two keys.
    const np = judge(a, b, [cp('A', a, 100, 'cp/100', ['log-key']), cp('B', b, 160, 'cp/160', ['other-key'])]);
    expect([np.verdict, np.forks]).toEqual(['REWRITTEN', []]);
    // One key behind both heads (beside another): a fork, held against that key.
    const held = judge(a, b, [
      cp('A', a, 100, 'cp/100', ['log-key', 'x']),
      cp('B', b, 160, 'cp/160', ['other-key', 'log-key']),
    ]);
    expect([held.verdict, held.forks.map((f) => f.signers)]).toEqual(['FORKED', [['log-key']]]);
  });

  it('caps the listed forks and counts the rest', () => {
    const a = log(100);
    const b = log(100, { 0: 1 });
    const cps = Array.from({ length: 10 }, (_, i) => [cp('A', a, 10 * (i + 1)), cp('B', b, 10 * (i + 1))]).flat();
    const j = judgeDivergenceWith(a, b, cps, 3);
    expect(j.forks).toHaveLength(3);
    // 10 same-size pairs, and each export's head of size s contradicts the other's next head: 9 + 9.
    expect(j.forksOmitted).toBe(10 + 9 + 9 - 3);
    expect(j.findings).toHaveLength(3);
  });

  it('is FORKED with no fork listed when the cap is 0: the cap limits the list, not the verdict', () => {
    const a = log(100);
    const b = log(100, { 40: 1 });
    const j = judgeDivergenceWith(a, b, [cp('A', a, 100), cp('B', b, 100)], 0);
    expect([j.verdict, j.forks, j.forksOmitted, j.findings]).toEqual(['FORKED', [], 1, []]);
    expect(j.consistencyPair).toBeUndefined();
  });

  it('works when one export has no readable entries', () => {
    const a = log(50);
    const j = judgeDivergence({ counts: { A: 50, B: 0 }, checkpoints: [cp('A', a, 50)], trees: { A: side(a) } });
    expect(j.verdict).toBe('A_EXTENDS_B');
    expect(j.relations[0]).toMatchObject({ backedBy: ['A'], beyond: ['B'] });
  });
});

function judgeDivergenceWith(a: BlockTree, b: BlockTree, cps: SignedCheckpoint[], maxForks: number) {
  const d = firstDivergence(a, b, Math.min(a.size, b.size)).index;
  return judgeDivergence({
    counts: { A: a.size, B: b.size },
    ...(d !== undefined ? { divergence: d } : {}),
    checkpoints: cps,
    trees: { A: side(a), B: side(b) },
    maxForks,
  });
}
