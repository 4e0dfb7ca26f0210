import { describe, expect, it } from 'vitest';
import { causeSummary, headlineOf } from '../../../../shared/present/headline.js';
import type { Cause } from '../../../../shared/verdict/cause.js';
import type { Coverage } from '../../../../shared/verdict/result.js';

const cause = (c: Partial<Cause> & Pick<Cause, 'cause'>): Cause => ({
  severity: 'error',
  findings: [],
  text: 'Something happened. Details.',
  ...c,
});
const coverage = (ranges: Coverage['ranges']): Coverage => ({
  verified: ranges.filter((g) => g.status === 'verified').reduce((n, g) => n + g.to - g.from, 0),
  failed: ranges.filter((g) => g.status === 'failed').reduce((n, g) => n + g.to - g.from, 0),
  unverifiable: ranges.filter((g) => g.status === 'unverifiable').reduce((n, g) => n + g.to - g.from, 0),
  ranges,
});

describe('causeSummary', () => {
  it('names the exact entries or seq values of each kind of change', () => {
    expect(causeSummary(cause({ cause: 'ENTRY_ALTERED', entries: { from: 123456, to: 123457 } }))).toBe(
      'Entry 123,456 was altered',
    );
    expect(causeSummary(cause({ cause: 'ENTRY_ALTERED', entries: { from: 5, to: 8 } }))).toBe(
      'Entries 5–7 were altered',
    );
    expect(
      causeSummary(
        cause({ cause: 'ENTRIES_REMOVED', entries: { from: 77777, to: 77777 }, seq: { from: 77777, to: 77778 } }),
      ),
    ).toBe('1 entry (seq 77,777) was removed between entries 77,776 and 77,777');
    expect(
      causeSummary(cause({ cause: 'ENTRIES_INSERTED', entries: { from: 9, to: 10 }, seq: { from: 8, to: 9 } })),
    ).toBe('Entry 9 (seq 8) was inserted');
    expect(causeSummary(cause({ cause: 'HISTORY_REWRITTEN', entries: { from: 256, to: 384 } }))).toBe(
      'History was rewritten, starting within entries 256–383 (the chain was recomputed, so only the signed roots show it)',
    );
    expect(
      causeSummary(
        cause({
          cause: 'NO_TRUSTED_SIGNER',
          text: 'No checkpoint is signed by a key you trusted, so no entry can be verified. More.',
        }),
      ),
    ).toBe('No checkpoint is signed by a key you trusted, so no entry can be verified');
  });
});

describe('headlineOf', () => {
  it('says what happened first, then what still stands', () => {
    const h = headlineOf({
      verdict: 'FAIL',
      diagnosis: [
        cause({ cause: 'ENTRY_ALTERED', entries: { from: 150, to: 151 } }),
        cause({ cause: 'UNSEALED_TAIL', severity: 'warning' }),
      ],
      coverage: coverage([
        { from: 0, to: 100, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
        { from: 100, to: 150, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
        { from: 150, to: 151, status: 'failed', reason: 'ENTRY_CHANGED' },
        { from: 151, to: 200, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
        { from: 200, to: 210, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
      ]),
      entryCount: 210,
      checkpoints: [],
      provenPrefix: 100,
    });
    expect(h).toBe(
      'Entry 150 was altered, and 1 other problem was found. 100 of 210 entries are verified (up to the signed checkpoint of size 100); 1 failed; 99 are no longer proven by a signed root; 10 are not covered by a trusted checkpoint.',
    );
  });
  it('sums up many places of the same change', () => {
    const d = [10, 20, 30].map((e) => cause({ cause: 'ENTRY_ALTERED', entries: { from: e, to: e + 1 } }));
    const h = headlineOf({
      verdict: 'FAIL',
      diagnosis: d,
      coverage: coverage([{ from: 0, to: 40, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' }]),
      entryCount: 40,
      checkpoints: [],
      provenPrefix: 0,
    });
    expect(h).toBe(
      '3 entries were altered in 3 places (the first at entry 10). None of the 40 entries can be verified; 40 are no longer proven by a signed root.',
    );
  });
  it('a pass, and an empty log', () => {
    const cps = [{ file: 'c', size: 5, status: 'trusted', rootStatus: 'match', signatures: [] }] as const;
    expect(
      headlineOf({
        verdict: 'PASS',
        diagnosis: [],
        coverage: coverage([{ from: 0, to: 5, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }]),
        entryCount: 5,
        checkpoints: cps,
        provenPrefix: 5,
      }),
    ).toBe("All 5 entries are verified: they match the log's signed checkpoint of size 5.");
    expect(
      headlineOf({
        verdict: 'PASS',
        diagnosis: [],
        coverage: coverage([]),
        entryCount: 0,
        checkpoints: [],
        provenPrefix: 0,
      }),
    ).toBe("The export holds no entries, and the log's signed checkpoint of size 0 agrees.");
  });
});
