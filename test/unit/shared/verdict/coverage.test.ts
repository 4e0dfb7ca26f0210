import { describe, expect, it } from 'vitest';
import {
  computeCoverage,
  countReason,
  coverageFromStatuses,
  mergeRanges,
} from '../../../../shared/verdict/coverage.js';

describe('computeCoverage', () => {
  it('verified under the proven prefix; changed and erroneous entries failed; the rest of the covered part no longer proven; the tail unsealed', () => {
    const c = computeCoverage({
      entryCount: 1000,
      trustedSizes: [200, 400, 600],
      provenPrefix: 200,
      changed: [[300, 301]],
      errors: [[50, 51]],
    });
    expect(c.ranges).toEqual([
      { from: 0, to: 50, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 50, to: 51, status: 'failed', reason: 'ENTRY_ERRORS' },
      { from: 51, to: 200, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 200, to: 300, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
      { from: 300, to: 301, status: 'failed', reason: 'ENTRY_CHANGED' },
      { from: 301, to: 600, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
      { from: 600, to: 1000, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
    ]);
    expect([c.verified, c.failed, c.unverifiable]).toEqual([199, 2, 799]);
    expect(countReason(c, 'ROOT_NO_LONGER_MATCHES')).toBe(399);
  });

  it('a checkpoint beyond the entries covers them all without proving any', () => {
    const c = computeCoverage({
      entryCount: 150,
      trustedSizes: [100, 200],
      provenPrefix: 100,
      changed: [],
      errors: [],
    });
    expect(c.ranges).toEqual([
      { from: 0, to: 100, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 100, to: 150, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
    ]);
  });

  it('precedence: changed, errors, unsealed, no longer proven, untrusted signer, undated, verified', () => {
    const c = computeCoverage({
      entryCount: 100,
      trustedSizes: [80],
      provenPrefix: 40,
      changed: [[60, 61]],
      errors: [
        [10, 11],
        [60, 62],
      ],
      signerUntrusted: [[20, 25]],
      undated: [
        [5, 15],
        [22, 30],
        [90, 95],
      ],
    });
    expect(c.ranges).toEqual([
      { from: 0, to: 5, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 5, to: 10, status: 'unverifiable', reason: 'SIGNATURE_TIME_NOT_ESTABLISHED' },
      { from: 10, to: 11, status: 'failed', reason: 'ENTRY_ERRORS' },
      { from: 11, to: 15, status: 'unverifiable', reason: 'SIGNATURE_TIME_NOT_ESTABLISHED' },
      { from: 15, to: 20, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 20, to: 25, status: 'unverifiable', reason: 'SIGNER_NOT_TRUSTED' },
      { from: 25, to: 30, status: 'unverifiable', reason: 'SIGNATURE_TIME_NOT_ESTABLISHED' },
      { from: 30, to: 40, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 40, to: 60, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
      { from: 60, to: 61, status: 'failed', reason: 'ENTRY_CHANGED' },
      { from: 61, to: 62, status: 'failed', reason: 'ENTRY_ERRORS' },
      { from: 62, to: 80, status: 'unverifiable', reason: 'ROOT_NO_LONGER_MATCHES' },
      // Past the last checkpoint the tail is unsealed, whatever its signatures.
      { from: 80, to: 100, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
    ]);
  });

  it('never reports anything verified without a trusted checkpoint', () => {
    expect(computeCoverage({ entryCount: 10, trustedSizes: [], provenPrefix: 0, changed: [], errors: [] })).toEqual({
      verified: 0,
      failed: 0,
      unverifiable: 10,
      ranges: [{ from: 0, to: 10, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' }],
    });
    expect(computeCoverage({ entryCount: 0, trustedSizes: [0], provenPrefix: 0, changed: [], errors: [] })).toEqual({
      verified: 0,
      failed: 0,
      unverifiable: 0,
      ranges: [],
    });
  });
});

describe('coverageFromStatuses', () => {
  it('runs of equal status and reason become ranges', () => {
    const c = coverageFromStatuses([
      { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { status: 'failed', reason: 'ENTRY_CHANGED' },
      { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
    ]);
    expect(c).toEqual({
      verified: 2,
      failed: 1,
      unverifiable: 1,
      ranges: [
        { from: 0, to: 2, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
        { from: 2, to: 3, status: 'failed', reason: 'ENTRY_CHANGED' },
        { from: 3, to: 4, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
      ],
    });
  });
});

describe('mergeRanges', () => {
  it('sorts and merges overlapping or touching ranges, dropping empty ones', () => {
    expect(
      mergeRanges([
        [5, 6],
        [1, 3],
        [3, 4],
        [10, 10],
        [2, 5],
      ]),
    ).toEqual([[1, 6]]);
  });
});
