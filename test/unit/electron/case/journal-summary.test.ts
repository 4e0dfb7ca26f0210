import { describe, expect, it } from 'vitest';
import { journalSummary } from '../../../../electron/case/journal-summary.js';

const grant = {
  fingerprint: 'b353fe4817b90049aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00',
  label: 'export log key',
  role: 'log',
  origin: 'audit.example/log',
  validFrom: null,
  validUntil: null,
};

describe('journalSummary', () => {
  it('names a trusted key, its role and its log', () => {
    expect(journalSummary('key.trusted', grant)).toBe('b353fe4817b90049… export log key as log for audit.example/log');
  });

  it('shows the validity window a key was trusted with, open ends marked', () => {
    expect(
      journalSummary('key.trusted', {
        ...grant,
        validFrom: '2025-06-01T00:00:00Z',
        validUntil: '2026-02-01T00:00:00Z',
      }),
    ).toBe(
      'b353fe4817b90049… export log key as log for audit.example/log, valid 2025-06-01T00:00:00Z … 2026-02-01T00:00:00Z',
    );
    expect(journalSummary('key.trusted', { ...grant, validFrom: '2025-06-01T00:00:00Z' })).toBe(
      'b353fe4817b90049… export log key as log for audit.example/log, valid from 2025-06-01T00:00:00Z',
    );
    expect(journalSummary('key.trusted', { ...grant, origin: null, validUntil: '2026-02-01T00:00:00Z' })).toBe(
      'b353fe4817b90049… export log key as log for any origin, valid until 2026-02-01T00:00:00Z',
    );
  });

  it('says where a revocation starts and why', () => {
    expect(
      journalSummary('key.revoked', {
        fingerprint: grant.fingerprint,
        revokedAt: '2026-03-01T00:00:00Z',
        reason: 'leaked',
      }),
    ).toBe('b353fe4817b90049… from 2026-03-01T00:00:00Z: leaked');
  });
});
