/**
 * Key validity for entry signatures (shared/keys/entry-validity.ts): the witness time that
 * dates each entry (the earliest cosignature over a checkpoint that covers it, and which
 * checkpoint that was), and the judgement of one valid entry signature for each outcome of the
 * rule in validity.ts: counted, counted thanks to a witness, revoked, outside the window,
 * undated, and an unreadable window.
 */
import { describe, expect, it } from 'vitest';
import { judgeEntrySignature, witnessLookup } from '../../../../shared/keys/entry-validity.js';
import { windowOf } from '../../../../shared/keys/validity.js';

const FP = 'ab'.repeat(32);
const R = Date.UTC(2026, 2, 1) / 1000; // 2026-03-01T00:00:00Z
const JAN = Date.UTC(2026, 0, 1) / 1000;

describe('witnessLookup', () => {
  it('gives each entry the earliest time among the checkpoints that contain it, and which one', () => {
    // Steps out of order; the largest checkpoint was cosigned first.
    const w = witnessLookup([
      { size: 10, time: 500 },
      { size: 5, time: 700 },
      { size: 20, time: 100 },
    ]);
    expect([0, 4, 5, 9, 10, 19].map((i) => w.at(i))).toEqual([
      { time: 100, step: 2, size: 20 },
      { time: 100, step: 2, size: 20 },
      { time: 100, step: 2, size: 20 },
      { time: 100, step: 2, size: 20 },
      { time: 100, step: 2, size: 20 },
      { time: 100, step: 2, size: 20 },
    ]);
    expect(w.at(20)).toBeUndefined();
  });

  it('keeps the smaller checkpoint when a larger one is later or cosigned at the same time', () => {
    const w = witnessLookup([
      { size: 5, time: 100 },
      { size: 10, time: 500 },
      { size: 15, time: 500 },
    ]);
    expect([w.at(4), w.at(5), w.at(9), w.at(10), w.at(14), w.at(15)]).toEqual([
      { time: 100, step: 0, size: 5 },
      { time: 500, step: 1, size: 10 },
      { time: 500, step: 1, size: 10 },
      { time: 500, step: 2, size: 15 },
      { time: 500, step: 2, size: 15 },
      undefined,
    ]);
    expect(witnessLookup([]).at(0)).toBeUndefined();
  });
});

describe('judgeEntrySignature', () => {
  const none = witnessLookup([]);
  const before = witnessLookup([{ size: 100, time: R - 3600 }]);
  const after = witnessLookup([{ size: 100, time: R + 3600 }]);
  const revoked = windowOf({ revokedAt: '2026-03-01T00:00:00Z' });

  it('a revoked key: a witness before the revocation dates the entry, and the count rests on that checkpoint', () => {
    expect(judgeEntrySignature(FP, revoked, 42, JAN, before)).toEqual({ counts: true, undated: false, witnessStep: 0 });
  });

  it('a revoked key without a witness, or with one after the revocation: undated, TIME_NOT_ESTABLISHED', () => {
    for (const w of [none, after, before]) {
      // Entry 100 lies outside the witnessed checkpoint of size 100.
      const j = judgeEntrySignature(FP, revoked, w === before ? 100 : 42, JAN, w);
      expect([j.counts, j.undated, j.finding?.code, j.witnessStep]).toEqual([
        false,
        true,
        'TIME_NOT_ESTABLISHED',
        undefined,
      ]);
      expect(j.finding?.evidence).toMatchObject({
        fingerprint: FP,
        bound: 'revokedAt',
        revokedAt: '2026-03-01T00:00:00.000Z',
        claimed: '2026-01-01T00:00:00.000Z',
      });
    }
    expect(judgeEntrySignature(FP, revoked, 42, JAN, after).finding?.evidence).toMatchObject({
      witnessed: '2026-03-01T01:00:00.000Z',
    });
  });

  it('an entry whose own ts is at or after the revocation: KEY_REVOKED (an error), whatever a witness says', () => {
    const j = judgeEntrySignature(FP, revoked, 42, R, before);
    expect([j.counts, j.undated, j.finding?.code]).toEqual([false, false, 'KEY_REVOKED']);
    expect(j.finding?.evidence).toMatchObject({ time: '2026-03-01T00:00:00.000Z', timeSource: 'claimed' });
  });

  it('a window with a start and an end: inside with a witness counts; a ts outside is KEY_NOT_VALID_AT_TIME', () => {
    const w = windowOf({ validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-03-01T00:00:00Z' });
    expect(judgeEntrySignature(FP, w, 0, JAN + 60, before)).toEqual({ counts: true, undated: false, witnessStep: 0 });
    for (const ts of [JAN - 1, R + 1]) {
      const j = judgeEntrySignature(FP, w, 0, ts, before);
      expect([j.counts, j.undated, j.finding?.code]).toEqual([false, false, 'KEY_NOT_VALID_AT_TIME']);
    }
    // A witness time before the start: the evidence names the checkpoint it came from.
    const early = judgeEntrySignature(FP, w, 0, JAN + 60, witnessLookup([{ size: 100, time: JAN - 60 }]));
    expect([early.finding?.code, early.finding?.evidence]).toEqual([
      'KEY_NOT_VALID_AT_TIME',
      expect.objectContaining({ timeSource: 'witnessed', witnessCheckpointSize: 100 }),
    ]);
    // The end met by nothing: undated.
    expect(judgeEntrySignature(FP, w, 0, JAN + 60, none)).toMatchObject({
      counts: false,
      undated: true,
      finding: { code: 'TIME_NOT_ESTABLISHED' },
    });
  });

  it('a start only: the ts is enough and no witness is relied on; without a ts the signature counts with a warning', () => {
    const w = windowOf({ validFrom: '2026-01-01T00:00:00Z' });
    expect(judgeEntrySignature(FP, w, 0, JAN, before)).toEqual({ counts: true, undated: false });
    const j = judgeEntrySignature(FP, w, 0, undefined, none);
    expect([j.counts, j.undated, j.finding?.code, j.finding?.evidence.bound]).toEqual([
      true,
      false,
      'TIME_NOT_ESTABLISHED',
      'validFrom',
    ]);
    // A start and a revocation, no ts: the start is unchecked, the end rests on the witness.
    const both = judgeEntrySignature(
      FP,
      windowOf({ validFrom: '2026-01-01T00:00:00Z', revokedAt: '2026-03-01T00:00:00Z' }),
      0,
      undefined,
      before,
    );
    expect([both.counts, both.witnessStep, both.finding?.code]).toEqual([true, 0, 'TIME_NOT_ESTABLISHED']);
  });

  it('a bound that is not a time: KEY_WINDOW_INVALID, the signature does not count, the entry is undated', () => {
    const j = judgeEntrySignature(FP, windowOf({ revokedAt: 'yesterday' }), 0, JAN, before);
    expect([j.counts, j.undated, j.finding?.code, j.finding?.evidence.bounds]).toEqual([
      false,
      true,
      'KEY_WINDOW_INVALID',
      'revokedAt',
    ]);
  });
});
