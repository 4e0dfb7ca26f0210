/**
 * shared/verdict/format-result.ts builds the one VerificationResult from what a format adapter found:
 * the verdict and coverage rules of docs/bundle-format.md §7, the finding order and per-code cap,
 * the check list, and a result that the attestation schema accepts (so any format can be signed
 * into a report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ED25519_RULESET } from '../../../../shared/crypto/ed25519.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { buildVerificationStatement, checkVerificationStatement } from '../../../../shared/report/predicate.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { FORMAT_IDS } from '../../../../shared/verdict/format-ids.js';
import { buildFormatResult, checkSummary, type FormatResultParts } from '../../../../shared/verdict/format-result.js';
import { RESULT_SCHEMA } from '../../../../shared/verdict/result.js';
import { REPO_ROOT } from '../../../support/vectors.js';

const H = (c: string) => c.repeat(64);

function parts(p: Partial<FormatResultParts>): FormatResultParts {
  return {
    format: { id: 'sigstore', layout: 'bundle v0.3', signatureRules: ['proofdesk-ecdsa-p256-sha256-v1'] },
    toolVersion: '9.9.9',
    name: 'in.json',
    container: 'directory',
    origin: 'rekor.example',
    entryCount: 0,
    entriesBytes: 0,
    files: [],
    trustedKeys: [],
    checkpoints: [],
    proofs: [],
    findings: [],
    checks: [],
    evidenceTime: {},
    findingsPerCode: 100,
    crossCheck: false,
    maxEntryBytes: 1024,
    ...p,
  };
}

describe('FORMAT_IDS', () => {
  it('are the --format values docs/formats.md lists, in its order, after the native bundle', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'formats.md'), 'utf8');
    const listed = /`--format` forces one of\n`([^`]+)`/.exec(doc)![1]!.split(' ');
    expect(listed).toEqual(['proofdesk-bundle', ...FORMAT_IDS]);
  });
});

describe('checkSummary', () => {
  it('fails with problems, passes with something checked, else is skipped, unless a status is given', () => {
    expect(checkSummary('proofs', 1, 5, { proofs: 5, failed: 1 })).toEqual({
      id: 'proofs',
      status: 'fail',
      counts: { proofs: 5, failed: 1 },
    });
    expect(checkSummary('proofs', 0, 5, { proofs: 5 })).toEqual({
      id: 'proofs',
      status: 'pass',
      counts: { proofs: 5 },
    });
    expect(checkSummary('proofs', 0, 0, {})).toEqual({ id: 'proofs', status: 'skipped', counts: {} });
    expect(checkSummary('chain', 0, 3, {}, 'inconclusive').status).toBe('inconclusive');
  });
});

describe('buildFormatResult', () => {
  it('one status per entry: runs of equal status become coverage ranges, and the verdict follows §7', () => {
    const v = { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' } as const;
    const f = { status: 'failed', reason: 'ENTRY_ERRORS' } as const;
    const u = { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' } as const;
    const r = buildFormatResult(
      parts({
        entryCount: 6,
        entryStatuses: [v, v, f, u, u, v],
        findings: [finding('TLOG_BODY_MISMATCH', { file: 'in.json', entry: 2 }, 'x')],
      }),
    );
    expect(r.coverage).toEqual({
      verified: 3,
      failed: 1,
      unverifiable: 2,
      ranges: [
        { from: 0, to: 2, ...v },
        { from: 2, to: 3, ...f },
        { from: 3, to: 5, ...u },
        { from: 5, to: 6, ...v },
      ],
    });
    expect(r.verdict).toBe('FAIL');
    expect(r.checks.find((c) => c.id === 'coverage')).toEqual({
      id: 'coverage',
      status: 'fail',
      counts: { verified: 3, failed: 1, unverifiable: 2 },
    });
    // No NO_CHECKPOINTS / UNSEALED_ENTRIES for entries judged one by one; the finding under its cause first.
    expect(r.findings.map((x) => x.code)).toEqual(['TLOG_BODY_MISMATCH', 'INPUT_FORMAT']);
    expect(r.diagnosis.map((c) => [c.cause, c.entries, c.findings])).toEqual([
      ['ENTRY_ALTERED', { from: 2, to: 3 }, [0]],
    ]);
  });

  it('checkpoint coverage: entries above the largest trusted checkpoint are unsealed, and the run inconclusive', () => {
    const cp = {
      file: 'checkpoint',
      origin: 'o',
      size: 4,
      rootHash: H('a'),
      status: 'trusted',
      rootStatus: 'match',
      signatures: [],
    } as const;
    const r = buildFormatResult(parts({ entryCount: 6, checkpoints: [cp] }));
    expect(r.coverage.ranges).toEqual([
      { from: 0, to: 4, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 4, to: 6, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
    ]);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.findings.map((x) => [x.code, x.location.range, x.evidence?.count])).toEqual([
      ['UNSEALED_ENTRIES', [4, 6], 2],
      ['INPUT_FORMAT', undefined, undefined],
    ]);
    expect(r.diagnosis.map((c) => c.cause)).toEqual(['UNSEALED_TAIL']);
    const none = buildFormatResult(parts({ entryCount: 2 }));
    expect([none.verdict, none.findings.map((x) => x.code)]).toEqual([
      'INCONCLUSIVE',
      ['NO_CHECKPOINTS', 'INPUT_FORMAT'],
    ]);
    const all = buildFormatResult(parts({ entryCount: 4, checkpoints: [cp] }));
    expect(all.verdict).toBe('PASS');
    expect(
      buildFormatResult(
        parts({
          entryCount: 4,
          checkpoints: [cp],
          inconclusive: true,
        }),
      ).verdict,
    ).toBe('INCONCLUSIVE');
  });

  it('records the format as INPUT_FORMAT, caps findings per code, and orders everything deterministically', () => {
    const many: Finding[] = [5, 3, 1, 4, 2].map((e) => finding('LOG_FILE_MISMATCH', { file: 'x', entry: e }, `m${e}`));
    const r = buildFormatResult(
      parts({
        entryCount: 6,
        entryStatuses: Array.from({ length: 6 }, () => ({ status: 'failed', reason: 'ENTRY_ERRORS' }) as const),
        findings: many,
        findingsPerCode: 3,
        files: [
          { path: 'b', size: 1, sha256: H('b'), role: 'checkpoint' },
          { path: 'a', size: 1, sha256: H('a'), role: 'entries' },
        ],
        trustedKeys: [{ fingerprint: H('f') }, { fingerprint: H('1') }],
        checks: [checkSummary('proofs', 0, 1, { proofs: 1 })],
      }),
    );
    // Under their cause first, then the rest, then the note on what the cap left out.
    expect(r.findings.map((x) => [x.code, x.location.entry])).toEqual([
      ['LOG_FILE_MISMATCH', 1],
      ['LOG_FILE_MISMATCH', 2],
      ['LOG_FILE_MISMATCH', 3],
      ['INPUT_FORMAT', undefined],
      ['FINDINGS_TRUNCATED', undefined],
    ]);
    expect(r.diagnosis.map((c) => [c.cause, c.findings])).toEqual([['ENTRY_ALTERED', [0, 1, 2]]]);
    expect(r.findingsOmitted).toEqual({ LOG_FILE_MISMATCH: 2 });
    expect(r.findings[4]!.evidence).toEqual({ code: 'LOG_FILE_MISMATCH', omitted: 2 });
    expect(r.findings[3]!.evidence).toEqual({
      format: 'sigstore',
      layout: 'bundle v0.3',
      signatureRules: 'proofdesk-ecdsa-p256-sha256-v1',
    });
    expect(r.bundle.files.map((f) => f.path)).toEqual(['a', 'b']);
    expect(r.trustedKeys.map((k) => k.fingerprint)).toEqual([H('1'), H('f')]);
    expect(r.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'manifest:skipped',
      'entries:skipped',
      'chain:skipped',
      'sequence:skipped',
      'timestamps:skipped',
      'entry-signatures:skipped',
      'checkpoint-signatures:skipped',
      'merkle-roots:skipped',
      'proofs:pass',
      'coverage:fail',
    ]);
    // The same parts in another order give the same result.
    const again = buildFormatResult(
      parts({
        entryCount: 6,
        entryStatuses: Array.from({ length: 6 }, () => ({ status: 'failed', reason: 'ENTRY_ERRORS' }) as const),
        findings: [...many].reverse(),
        findingsPerCode: 3,
        files: [
          { path: 'a', size: 1, sha256: H('a'), role: 'entries' },
          { path: 'b', size: 1, sha256: H('b'), role: 'checkpoint' },
        ],
        trustedKeys: [{ fingerprint: H('1') }, { fingerprint: H('f') }],
        checks: [checkSummary('proofs', 0, 1, { proofs: 1 })],
      }),
    );
    expect(canonicalJson(again)).toBe(canonicalJson(r));
  });

  it('is a VerificationResult of schema proofdesk-verification-result/v2 that an attestation can carry', () => {
    const r = buildFormatResult(
      parts({
        entryCount: 1,
        entryStatuses: [{ status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }],
        chainRule: 'aws-cloudtrail-digest-chain',
        files: [{ path: 'in.json', size: 10, sha256: H('c'), role: 'entries' }],
      }),
    );
    expect(RESULT_SCHEMA).toBe('proofdesk-verification-result/v2');
    expect(typeof r.headline).toBe('string');
    expect(r.schema).toBe(RESULT_SCHEMA);
    expect(r.rules).toEqual({
      ed25519: ED25519_RULESET,
      merkle: 'rfc9162-sha256',
      chain: 'aws-cloudtrail-digest-chain',
      checkpoint: 'bundle v0.3; proofdesk-ecdsa-p256-sha256-v1',
    });
    expect(r.bundle.formatVersion).toBe(0);
    expect(r.verdict).toBe('INCONCLUSIVE'); // no trusted checkpoint at all
    const statement = buildVerificationStatement(r, {
      examiner: { name: 'E', keyFingerprint: H('e') },
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
      toolBuild: { sha256: H('d'), scope: 'source', files: 1 },
      trustInputs: [],
    });
    expect(checkVerificationStatement(JSON.parse(canonicalJson(statement)))).toEqual([]);
  });
});
