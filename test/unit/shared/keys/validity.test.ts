/**
 * Key validity (shared/keys/validity.ts, docs/formats.md "Key validity"): the rule on its
 * boundaries for each kind of time (claimed, key-signed, witnessed), trust-store windows that
 * do not parse, witness times from witnesses that are themselves out of their window, and the
 * rule applied to real checkpoints signed with real keys and cosigned by real witnesses.
 */
import { describe, expect, it } from 'vitest';
import {
  applyKeyValidity,
  boundIso,
  cosignedRange,
  counts,
  iso,
  judgeKeyWindow,
  type KeyWindow,
  type SigningTime,
  type WindowJudgement,
  windowFinding,
  windowOf,
  windowsOf,
  witnessedTime,
} from '../../../../shared/keys/validity.js';
import { formatCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import { verifyCheckpointNote } from '../../../../shared/tlog/checkpoint-verify.js';
import { cosignatureSigner } from '../../../../shared/tlog/cosignature.js';
import { signNote } from '../../../../shared/tlog/note.js';
import type { FindingCode } from '../../../../shared/verdict/findings.js';
import type { CheckpointReport, SignatureReport } from '../../../../shared/verdict/result.js';
import { testKey } from '../../../support/fixtures.js';

const codes = (c: { findings: readonly { code: FindingCode }[] }) => c.findings.map((f) => f.code);

describe('judgeKeyWindow', () => {
  const F = 1000;
  const U = 2000;
  const R = 1500;
  const cases: Array<[string, KeyWindow, SigningTime, WindowJudgement]> = [
    ['no window', {}, {}, { verdict: 'ok' }],
    ['no window, any time', {}, { claimed: 5, witnessed: 1 }, { verdict: 'ok' }],
    // revocation: only a witness before it meets it; a stated time at or after it is revocation
    [
      'revoked: claimed time at the revocation',
      { revokedAt: R },
      { claimed: R, witnessed: R - 1 },
      { verdict: 'revoked', time: R, source: 'claimed' },
    ],
    [
      'revoked: the key signed a time after the revocation',
      { revokedAt: R },
      { keySigned: R + 5, witnessed: R - 10 },
      { verdict: 'revoked', time: R + 5, source: 'key-signed' },
    ],
    [
      'forged early claimed time, no witness',
      { revokedAt: R },
      { claimed: R - 100 },
      { verdict: 'end-not-established', bound: 'revokedAt' },
    ],
    [
      "the key's own time before the revocation proves nothing",
      { revokedAt: R },
      { claimed: R - 100, keySigned: R - 1 },
      { verdict: 'end-not-established', bound: 'revokedAt' },
    ],
    [
      'witness one second before the revocation',
      { revokedAt: R },
      { claimed: R - 100, witnessed: R - 1 },
      { verdict: 'ok' },
    ],
    [
      'witness at the revocation',
      { revokedAt: R },
      { claimed: R - 100, witnessed: R },
      { verdict: 'end-not-established', bound: 'revokedAt' },
    ],
    [
      'witness after the revocation',
      { revokedAt: R },
      { claimed: R - 100, witnessed: R + 100 },
      { verdict: 'end-not-established', bound: 'revokedAt' },
    ],
    // validUntil: a witness or the key's own time, inclusive
    [
      'claimed time inside, nothing authenticated',
      { validUntil: U },
      { claimed: U },
      { verdict: 'end-not-established', bound: 'validUntil' },
    ],
    ['witness at validUntil', { validUntil: U }, { claimed: U, witnessed: U }, { verdict: 'ok' }],
    [
      'witness after validUntil',
      { validUntil: U },
      { claimed: U - 5, witnessed: U + 1 },
      { verdict: 'end-not-established', bound: 'validUntil' },
    ],
    ['key-signed time at validUntil', { validUntil: U }, { keySigned: U }, { verdict: 'ok' }],
    [
      'key-signed time after validUntil',
      { validUntil: U },
      { keySigned: U + 1, witnessed: U - 5 },
      { verdict: 'expired', time: U + 1, source: 'key-signed' },
    ],
    [
      'claimed time after validUntil',
      { validUntil: U },
      { claimed: U + 1, witnessed: U - 5 },
      { verdict: 'expired', time: U + 1, source: 'claimed' },
    ],
    // validFrom: any stated time at or after it; a witness before it proves the opposite
    ['start, no time at all', { validFrom: F }, {}, { verdict: 'start-not-established' }],
    ['start, only a witness after it', { validFrom: F }, { witnessed: F + 1 }, { verdict: 'start-not-established' }],
    ['start, claimed at it', { validFrom: F }, { claimed: F }, { verdict: 'ok' }],
    ['start, key-signed at it', { validFrom: F }, { keySigned: F }, { verdict: 'ok' }],
    [
      'start, claimed before it',
      { validFrom: F },
      { claimed: F - 1 },
      { verdict: 'not-yet-valid', time: F - 1, source: 'claimed' },
    ],
    [
      'start, witnessed before it',
      { validFrom: F },
      { claimed: F + 5, witnessed: F - 1 },
      { verdict: 'not-yet-valid', time: F - 1, source: 'witnessed' },
    ],
    // order: revocation first, then the start, then the end
    [
      'all bounds, claimed after the end',
      { validFrom: F, validUntil: U, revokedAt: R },
      { claimed: U + 1, witnessed: F },
      { verdict: 'revoked', time: U + 1, source: 'claimed' },
    ],
    [
      'revocation before the start',
      { validFrom: 2 * R, revokedAt: R },
      { claimed: 2 * R },
      { verdict: 'revoked', time: 2 * R, source: 'claimed' },
    ],
    [
      'all bounds, witnessed inside',
      { validFrom: F, validUntil: U, revokedAt: R },
      { claimed: F + 1, witnessed: R - 1 },
      { verdict: 'ok' },
    ],
    [
      'an unparseable bound',
      { validUntil: U, invalid: ['validFrom'] },
      { claimed: F, witnessed: F },
      { verdict: 'window-invalid', bounds: ['validFrom'] },
    ],
  ];
  it.each(cases)('%s', (_what, w, t, want) => {
    expect(judgeKeyWindow(w, t)).toEqual(want);
  });

  it('counts only ok and start-not-established', () => {
    expect(
      cases
        .filter(([, w, t]) => counts(judgeKeyWindow(w, t)))
        .map(([, , , j]) => j.verdict)
        .every((v) => v === 'ok' || v === 'start-not-established'),
    ).toBe(true);
    expect(counts({ verdict: 'end-not-established', bound: 'revokedAt' })).toBe(false);
  });
});

describe('windowOf and windowsOf', () => {
  it("turn a trusted key's RFC 3339 bounds into seconds and leave absent bounds absent", () => {
    expect(windowOf({})).toEqual({});
    expect(windowOf({ validFrom: '2026-01-01T00:00:00Z' })).toEqual({ validFrom: 1_767_225_600 });
    expect(
      windowOf({
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2026-12-31T23:59:59+00:00',
        revokedAt: '2026-06-01T02:00:00+02:00',
      }),
    ).toEqual({
      validFrom: 1_767_225_600,
      validUntil: 1_798_761_599,
      revokedAt: 1_780_272_000,
    });
    expect(windowsOf([{ fingerprint: 'a', revokedAt: '2026-01-01T00:00:00Z' }, { fingerprint: 'b' }])).toEqual(
      new Map<string, KeyWindow>([
        ['a', { revokedAt: 1_767_225_600 }],
        ['b', {}],
      ]),
    );
  });

  it('list a bound that does not parse instead of dropping it, so the key does not count', () => {
    const w = windowOf({
      validFrom: 'yesterday',
      revokedAt: '2026-01-01T00:00:00+99:99',
      validUntil: '2027-01-01T00:00:00Z',
    });
    expect(w).toEqual({ validUntil: 1_798_761_600, invalid: ['validFrom', 'revokedAt'] });
    expect(judgeKeyWindow(w, { claimed: 1_780_000_000, witnessed: 1_780_000_000 })).toEqual({
      verdict: 'window-invalid',
      bounds: ['validFrom', 'revokedAt'],
    });
  });
});

describe('iso and boundIso', () => {
  it('write seconds as RFC 3339 in UTC, fractions kept to the millisecond, and out-of-range times as numbers', () => {
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(1772323200.25)).toBe('2026-03-01T00:00:00.250Z');
    expect(iso(-1)).toBe('1969-12-31T23:59:59.000Z');
    // Beyond what Date holds (±8.64e15 ms): the number, never "Invalid Date" or a throw.
    expect(iso(8.64e12 + 1)).toBe('8640000000001 s');
  });
  it('give a window bound as RFC 3339, and null for a bound the window lacks', () => {
    const w = windowOf({ validFrom: '2026-01-01T00:00:00Z', revokedAt: '2026-03-01T12:00:00+02:00' });
    expect([boundIso(w, 'validFrom'), boundIso(w, 'validUntil'), boundIso(w, 'revokedAt')]).toEqual([
      '2026-01-01T00:00:00.000Z',
      null,
      '2026-03-01T10:00:00.000Z',
    ]);
  });
});

describe('windowFinding', () => {
  const fp = 'cd'.repeat(32);
  const w = windowOf({ validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-03-01T00:00:00Z' });
  const entry = {
    key: 'entry key',
    what: 'this entry',
    cosigned: 'a checkpoint covering this entry',
    keySignedCounts: false,
  };
  const checkpoint = { key: 'key', what: 'this checkpoint', cosigned: 'this checkpoint', keySignedCounts: true };
  it('gives each judgement its code and evidence, worded for what was signed', () => {
    const t = Date.UTC(2026, 3, 1) / 1000;
    const outside = windowFinding({ verdict: 'expired', time: t, source: 'claimed' }, w, fp, entry, {});
    expect(outside).toEqual({
      code: 'KEY_NOT_VALID_AT_TIME',
      message:
        'entry key cdcdcdcdcdcdcdcd… is trusted from 2026-01-01T00:00:00.000Z until 2026-03-01T00:00:00.000Z; the claimed time of this entry (2026-04-01T00:00:00.000Z) is outside that',
      evidence: {
        fingerprint: fp,
        time: '2026-04-01T00:00:00.000Z',
        timeSource: 'claimed',
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: '2026-03-01T00:00:00.000Z',
      },
    });
    // Where the time was a witness's, the evidence says where it came from.
    expect(
      windowFinding(
        { verdict: 'not-yet-valid', time: 5, source: 'witnessed' },
        w,
        fp,
        entry,
        {},
        { witnessCheckpointSize: 100 },
      ).evidence,
    ).toMatchObject({ timeSource: 'witnessed', witnessCheckpointSize: 100 });
    expect(
      windowFinding(
        { verdict: 'not-yet-valid', time: 5, source: 'claimed' },
        w,
        fp,
        entry,
        {},
        { witnessCheckpointSize: 100 },
      ).evidence.witnessCheckpointSize,
    ).toBeUndefined();
    const end = { verdict: 'end-not-established', bound: 'validUntil' } as const;
    expect(windowFinding(end, w, fp, checkpoint, { witnessed: null }).message).toContain(
      'neither a trusted witness nor the signature itself dates this checkpoint by then',
    );
    expect(windowFinding(end, w, fp, entry, { witnessed: null })).toMatchObject({
      code: 'TIME_NOT_ESTABLISHED',
      evidence: { bound: 'validUntil', validUntil: '2026-03-01T00:00:00.000Z', witnessed: null },
    });
    expect(windowFinding(end, w, fp, entry, {}).message).toContain(
      'no trusted witness cosigned a checkpoint covering this entry by then',
    );
    expect(windowFinding({ verdict: 'window-invalid', bounds: ['revokedAt'] }, w, fp, entry, {})).toMatchObject({
      code: 'KEY_WINDOW_INVALID',
      evidence: { bounds: 'revokedAt' },
    });
    expect(
      windowFinding(
        { verdict: 'revoked', time: t, source: 'key-signed' },
        windowOf({ revokedAt: '2026-03-01T00:00:00Z' }),
        fp,
        checkpoint,
        {},
      ).code,
    ).toBe('KEY_REVOKED');
  });
});

describe('witnessedTime and cosignedRange', () => {
  const cos = (time: number, fingerprint = 'w', status: SignatureReport['status'] = 'verified'): SignatureReport => ({
    name: 'w',
    keyId: '00000000',
    kind: 'cosignature',
    status,
    fingerprint,
    time,
  });
  const log: SignatureReport = {
    name: 'l',
    keyId: '00000001',
    kind: 'log',
    status: 'verified',
    fingerprint: 'l',
    time: 1,
  };

  it('take the earliest verified cosignature, and no log signature time', () => {
    expect(witnessedTime([log, cos(300), cos(200), cos(100, 'w', 'failed')], new Map())).toBe(200);
    expect(witnessedTime([log], new Map())).toBeUndefined();
  });

  it('ignore a witness whose own window does not admit the time it signed, and any witness with a revocation', () => {
    const windows = new Map<string, KeyWindow>([
      ['late', { validUntil: 150 }],
      ['revoked', { revokedAt: 10_000 }],
      ['ok', { validFrom: 50, validUntil: 500 }],
    ]);
    expect(witnessedTime([cos(200, 'late'), cos(100, 'revoked'), cos(300, 'ok')], windows)).toBe(300);
    expect(witnessedTime([cos(100, 'late')], windows)).toBe(100);
    expect(witnessedTime([cos(100, 'revoked')], windows)).toBeUndefined();
  });

  it('cosignedRange spans many cosignatures without a stack overflow', () => {
    // 200,000 arguments to Math.min(...times) exceed V8's stack; the range must be a loop.
    const cps: CheckpointReport[] = [];
    for (let c = 0; c < 2000; c++) {
      cps.push({
        file: `cp${c}`,
        status: 'trusted',
        rootStatus: 'not-checked',
        signatures: Array.from({ length: 100 }, (_, k) => cos(1_000_000 + c * 100 + k)),
      });
    }
    expect(cosignedRange(cps)).toEqual({ cosignedFrom: 1_000_000, cosignedTo: 1_000_000 + 199_999 });
    expect(
      cosignedRange([
        { file: 'x', status: 'trusted', rootStatus: 'not-checked', signatures: [log, cos(5, 'w', 'failed')] },
      ]),
    ).toBeUndefined();
  });
});

describe('applyKeyValidity on real checkpoints', () => {
  const logKey = testKey('validity-log', 'validity.example/log');
  const other = testKey('validity-other', 'validity.example/log');
  const witness = testKey('validity-witness', 'witness.example', 'witness');
  const ORIGIN = 'validity.example/log';
  const text = formatCheckpointBody({ origin: ORIGIN, size: 10, rootHash: new Uint8Array(32).fill(7) });
  const R = 1_780_000_000;
  const revoked = { ...logKey.trusted, revokedAt: new Date(R * 1000).toISOString() };
  const judge = (cosignedAt: number[], keys = [revoked, witness.trusted], signers = [logKey]) =>
    verifyCheckpointNote(
      'cp',
      signNote(text, [
        ...signers.map((s) => ({ name: s.name, seed: s.seed })),
        ...cosignedAt.map((t) => cosignatureSigner(witness.name, witness.seed, t)),
      ]),
      { origin: ORIGIN, trusted: keys, bundleKeys: [] },
    );

  it('a revoked key, a forged early claimed time and no witness: not counted, TIME_NOT_ESTABLISHED, untrusted', () => {
    const c = judge([]);
    expect(c.trusted).toBeDefined();
    const r = applyKeyValidity(c, { windows: windowsOf([revoked]), claimed: R - 86_400 });
    expect([r.report.status, r.trusted, r.timeLost, codes(r), r.report.signatures.map((s) => s.status)]).toEqual([
      'untrusted',
      undefined,
      true,
      ['TIME_NOT_ESTABLISHED'],
      ['validity-unknown'],
    ]);
    expect(r.findings[0]).toMatchObject({
      severity: 'warning',
      location: { file: 'cp', checkpointSize: 10 },
      evidence: { fingerprint: logKey.trusted.fingerprint, bound: 'revokedAt', witnessed: null },
    });
  });

  it('the same with a trusted witness cosignature before the revocation: still trusted', () => {
    const c = judge([R - 60]);
    const r = applyKeyValidity(c, { windows: windowsOf([revoked, witness.trusted]), claimed: R - 86_400 });
    expect([r.report.status, r.trusted?.size, r.timeLost, codes(r)]).toEqual([
      'trusted',
      10,
      undefined,
      ['COSIGNATURE_VALID'],
    ]);
  });

  it('a witness cosignature after the revocation does not date the signature; an untrusted witness does not either', () => {
    const late = applyKeyValidity(judge([R + 60]), { windows: windowsOf([revoked]), claimed: R - 86_400 });
    expect([late.report.status, codes(late)]).toEqual(['untrusted', ['COSIGNATURE_VALID', 'TIME_NOT_ESTABLISHED']]);
    // The same cosignature line, with the witness not trusted: not verified, so no time.
    const unknown = applyKeyValidity(judge([R - 60], [revoked]), {
      windows: windowsOf([revoked]),
      claimed: R - 86_400,
    });
    expect([unknown.report.status, codes(unknown)]).toEqual(['untrusted', ['TIME_NOT_ESTABLISHED']]);
    // A witness key that is itself revoked gives no time at all.
    const revokedWitness = { ...witness.trusted, revokedAt: new Date((R + 3600) * 1000).toISOString() };
    const byRevokedWitness = applyKeyValidity(judge([R - 60], [revoked, revokedWitness]), {
      windows: windowsOf([revoked, revokedWitness]),
      claimed: R - 86_400,
    });
    expect([byRevokedWitness.report.status, codes(byRevokedWitness)]).toEqual([
      'untrusted',
      ['COSIGNATURE_VALID', 'TIME_NOT_ESTABLISHED'],
    ]);
  });

  it('a claimed time at or after the revocation is KEY_REVOKED, whatever the witness says', () => {
    const r = applyKeyValidity(judge([R - 60]), { windows: windowsOf([revoked, witness.trusted]), claimed: R });
    expect([r.report.status, codes(r), r.report.signatures[0]!.status, r.timeLost]).toEqual([
      'untrusted',
      ['COSIGNATURE_VALID', 'KEY_REVOKED'],
      'revoked',
      true,
    ]);
    expect(r.findings[1]!.evidence).toMatchObject({ timeSource: 'claimed', time: new Date(R * 1000).toISOString() });
  });

  it('a key valid from a start only, without a claimed time: counted, with TIME_NOT_ESTABLISHED', () => {
    const from = { ...logKey.trusted, validFrom: '2026-01-01T00:00:00Z' };
    const r = applyKeyValidity(judge([], [from]), { windows: windowsOf([from]) });
    expect([r.report.status, r.trusted?.size, codes(r)]).toEqual(['trusted', 10, ['TIME_NOT_ESTABLISHED']]);
    expect(r.findings[0]!.evidence).toMatchObject({ bound: 'validFrom' });
  });

  it('an unparseable bound: KEY_WINDOW_INVALID, not counted', () => {
    const bad = { ...logKey.trusted, validUntil: '2026-13-01T00:00:00Z' };
    const r = applyKeyValidity(judge([R - 60], [bad, witness.trusted]), {
      windows: windowsOf([bad, witness.trusted]),
      claimed: R - 86_400,
    });
    expect([r.report.status, codes(r), r.report.signatures[0]!.status]).toEqual([
      'untrusted',
      ['COSIGNATURE_VALID', 'KEY_WINDOW_INVALID'],
      'validity-unknown',
    ]);
  });

  it('one counting key is enough; no window or an untrusted checkpoint leaves the check as it was', () => {
    const both = applyKeyValidity(judge([], [revoked, other.trusted], [logKey, other]), {
      windows: windowsOf([revoked, other.trusted]),
      claimed: R - 86_400,
    });
    expect([both.report.status, codes(both), both.report.signatures.map((s) => s.status)]).toEqual([
      'trusted',
      ['TIME_NOT_ESTABLISHED'],
      ['validity-unknown', 'verified'],
    ]);
    const plain = judge([], [logKey.trusted]);
    expect(applyKeyValidity(plain, { windows: windowsOf([logKey.trusted]), claimed: R })).toEqual(plain);
    const untrusted = judge([], []);
    expect(applyKeyValidity(untrusted, { windows: windowsOf([revoked]) })).toBe(untrusted);
  });
});
