/**
 * diffDiagnosis on comparison facts made by hand: the ops (written A → B) seen from the side
 * that departs from the signed history, grouped into causes, and the headline.
 */
import { describe, expect, it } from 'vitest';
import { diffDiagnosis } from '../../../../shared/diff/diagnosis.js';
import type { EntryOp } from '../../../../shared/diff/entries.js';
import type { DiffResult } from '../../../../shared/diff/model.js';

const ref = (index: number) => ({ index, offset: index * 100, leafHash: '0'.repeat(64), key: String(index) });
const facts = (p: Partial<DiffResult>): Omit<DiffResult, 'headline' | 'diagnosis'> =>
  ({
    verdict: 'REWRITTEN',
    commonPrefix: 10,
    a: { entryCount: 20 },
    b: { entryCount: 20 },
    truncation: [],
    forks: [],
    forksOmitted: 0,
    ...p,
  }) as unknown as Omit<DiffResult, 'headline' | 'diagnosis'>;
const diff = (ops: EntryOp[], relinked: Array<{ a: [number, number]; b: [number, number]; fields: string[] }> = []) =>
  ({ ops, relinked }) as unknown as DiffResult['entryDiff'];

describe('diffDiagnosis', () => {
  it('B departs: removed, inserted and altered entries in B, neighbours grouped', () => {
    const ops: EntryOp[] = [
      { op: 'removed', a: ref(10) },
      { op: 'removed', a: ref(11) },
      { op: 'inserted', b: ref(14) },
      { op: 'changed', a: ref(16), b: ref(15), fields: ['$.event.verb'], fieldsOmitted: 0, representationOnly: false },
    ];
    const d = diffDiagnosis(facts({ rewritten: { index: 10, side: 'B' }, entryDiff: diff(ops) }));
    expect(d.diagnosis.map((c) => [c.cause, c.entries])).toEqual([
      ['ENTRIES_REMOVED', { from: 10, to: 10 }],
      ['ENTRIES_INSERTED', { from: 14, to: 15 }],
      ['ENTRY_ALTERED', { from: 15, to: 16 }],
    ]);
    expect(d.diagnosis[0]!.text).toBe(
      '2 entries of A (entries 10–11) are missing from B: removed between entries 9 and 10 of B.',
    );
    expect(d.headline).toMatch(/, and 2 other changes were found\. The exports agree on their first 10 entries\.$/);
  });

  it('A departs: what only B holds was removed from A, what only A holds was inserted into A', () => {
    const ops: EntryOp[] = [
      { op: 'inserted', b: ref(10) },
      { op: 'removed', a: ref(15) },
    ];
    const d = diffDiagnosis(facts({ rewritten: { index: 10, side: 'A' }, entryDiff: diff(ops) }));
    expect(d.diagnosis.map((c) => [c.cause, c.entries])).toEqual([
      ['ENTRIES_REMOVED', { from: 10, to: 10 }],
      ['ENTRIES_INSERTED', { from: 15, to: 16 }],
    ]);
  });

  it('re-chained runs, and a side no signed checkpoint shows, are said as such', () => {
    const d = diffDiagnosis(
      facts({
        rewritten: { index: 10, side: 'unknown' },
        entryDiff: diff([], [{ a: [10, 20], b: [10, 20], fields: ['$.seq', '$.prev'] }]),
      }),
    );
    expect(d.diagnosis.map((c) => [c.cause, c.entries])).toEqual([['HISTORY_REWRITTEN', { from: 10, to: 20 }]]);
    expect(d.diagnosis[0]!.text).toContain('which export departs from the log is not shown');
  });

  it('identical and extending exports have no cause; a fork is the log signing two histories', () => {
    expect(diffDiagnosis(facts({ verdict: 'IDENTICAL' }))).toEqual({
      headline: 'Both exports hold the same 20 entries.',
      diagnosis: [],
    });
    const fork = {
      kind: 'same-size' as const,
      smaller: { size: 8, rootHash: 'a'.repeat(64), side: 'A' as const, file: 'checkpoints/8' },
      larger: { size: 8, rootHash: 'b'.repeat(64), side: 'B' as const, file: 'checkpoints/8' },
      signers: ['f'.repeat(64)],
    };
    const d = diffDiagnosis(facts({ verdict: 'FORKED', forks: [fork], rewritten: { index: 5, side: 'unknown' } }));
    expect(d.diagnosis[0]).toMatchObject({
      cause: 'CHECKPOINTS_CONFLICT',
      checkpoints: [
        { file: 'A:checkpoints/8', size: 8 },
        { file: 'B:checkpoints/8', size: 8 },
      ],
    });
  });
});
