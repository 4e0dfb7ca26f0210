/**
 * finish(): the one place a result is finished. Notes, the cap before anything reads the
 * findings, diagnosis, coverage, verdict, checks, the order of findings under their causes,
 * and the headline; the same parts in any order give the same result.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { CHECK_ORDER, capFindings, type FinishParts, finish, verdictOf } from '../../../../shared/verdict/finish.js';
import { type CheckpointReport, RESULT_SCHEMA } from '../../../../shared/verdict/result.js';

const H = (c: string) => c.repeat(64);
const cp = (size: number, rootStatus: CheckpointReport['rootStatus']): CheckpointReport => ({
  file: `checkpoints/${size}`,
  size,
  status: 'trusted',
  rootStatus,
  signatures: [],
});

function parts(p: Partial<FinishParts>): FinishParts {
  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'proofdesk', version: '0' },
    rules: { ed25519: 'r', merkle: 'rfc9162-sha256', chain: 'c', checkpoint: 'k' },
    parameters: { maxEntryBytes: 1, findingsPerCode: 2, crossCheck: false },
    bundle: {
      name: 'b',
      container: 'directory',
      origin: 'o',
      formatVersion: 1,
      entryCount: 100,
      entriesBytes: 1,
      files: [],
    },
    trustedKeys: [],
    checkpoints: [cp(50, 'match'), cp(100, 'match')],
    proofs: [],
    evidenceTime: {},
    findings: [],
    coverage: { kind: 'prefix', errors: [] },
    checks: () => [],
    noteFile: 'entries.jsonl',
    entriesFile: 'entries.jsonl',
    firstSeq: 0,
    ...p,
  };
}

const broken = (entry: number) =>
  finding('CHAIN_BROKEN', { file: 'entries.jsonl', entry }, 'b', { expected: H('1'), actual: H('2') });

describe('finish', () => {
  it('an intact export: PASS, no cause, every check in order, the headline', () => {
    const r = finish(parts({}));
    expect([r.verdict, r.diagnosis, r.headline]).toEqual([
      'PASS',
      [],
      "All 100 entries are verified: they match the log's signed checkpoint of size 100.",
    ]);
    expect(r.checks.map((c) => c.id)).toEqual([...CHECK_ORDER]);
    expect(r.checks.at(-1)).toEqual({
      id: 'coverage',
      status: 'pass',
      counts: { verified: 100, failed: 0, unverifiable: 0 },
    });
  });

  it('an altered entry: the cause first, its findings under it, numbered, and the honest coverage', () => {
    const r = finish(
      parts({
        checkpoints: [cp(50, 'match'), cp(100, 'mismatch')],
        findings: [finding('ROOT_MISMATCH', { file: 'checkpoints/100', checkpointSize: 100 }, 'r'), broken(71)],
        coverage: { kind: 'prefix', errors: [], anomalies: [[71, 72]] },
      }),
    );
    expect(r.verdict).toBe('FAIL');
    expect(r.diagnosis).toEqual([
      expect.objectContaining({ cause: 'ENTRY_ALTERED', entries: { from: 70, to: 71 }, findings: [0, 1] }),
    ]);
    expect(r.findings.map((f) => f.code)).toEqual(['CHAIN_BROKEN', 'ROOT_MISMATCH']);
    expect(r.coverage).toMatchObject({ verified: 50, failed: 1, unverifiable: 49 });
    expect(r.headline).toBe(
      'Entry 70 was altered. 50 of 100 entries are verified (up to the signed checkpoint of size 50); 1 failed; 49 are no longer proven by a signed root.',
    );
  });

  it('caps per code before diagnosing; anomalies past the cap count as failed; the same parts in any order give the same result', () => {
    const many: Finding[] = [80, 60, 90, 70].map(broken);
    const p = parts({
      checkpoints: [cp(50, 'match'), cp(100, 'mismatch')],
      findings: many,
      coverage: {
        kind: 'prefix',
        errors: [],
        anomalies: [
          [60, 61],
          [70, 71],
          [80, 81],
          [90, 91],
        ],
      },
    });
    const r = finish(p);
    expect(r.findingsOmitted).toEqual({ CHAIN_BROKEN: 2 });
    expect(r.findings.filter((f) => f.code === 'CHAIN_BROKEN').map((f) => f.location.entry)).toEqual([60, 70]);
    expect(r.findings.at(-1)).toMatchObject({
      code: 'FINDINGS_TRUNCATED',
      evidence: { code: 'CHAIN_BROKEN', omitted: 2 },
    });
    // 59 and 69 are located; 80 and 90, past the cap, fail where the break shows.
    expect(r.coverage.ranges.filter((g) => g.status === 'failed').map((g) => [g.from, g.to, g.reason])).toEqual([
      [59, 60, 'ENTRY_CHANGED'],
      [69, 70, 'ENTRY_CHANGED'],
      [80, 81, 'ENTRY_ERRORS'],
      [90, 91, 'ENTRY_ERRORS'],
    ]);
    expect(canonicalJson(finish({ ...p, findings: [...many].reverse() }))).toBe(canonicalJson(r));
  });

  it('notes: no checkpoint at all, an unsealed tail; none when no checkpoint is trusted (the trust is the cause)', () => {
    expect(finish(parts({ checkpoints: [] })).findings.map((f) => f.code)).toEqual(['NO_CHECKPOINTS']);
    const tail = finish(parts({ checkpoints: [cp(60, 'match')] }));
    expect([tail.verdict, tail.diagnosis.map((c) => c.cause)]).toEqual(['INCONCLUSIVE', ['UNSEALED_TAIL']]);
    const untrusted = finish(parts({ checkpoints: [{ ...cp(100, 'not-checked'), status: 'untrusted' }] }));
    expect(untrusted.findings.map((f) => f.code)).toEqual([]);
    expect(untrusted.verdict).toBe('INCONCLUSIVE');
  });
});

describe('verdictOf and capFindings', () => {
  const cov = (v: number, f: number, u: number) => ({ verified: v, failed: f, unverifiable: u, ranges: [] });
  it('FAIL on an error, INCONCLUSIVE when anything is not verified or nothing trusted, else PASS', () => {
    expect(verdictOf([broken(1)], cov(10, 0, 0), 10, 1)).toBe('FAIL');
    expect(verdictOf([finding('KEY_UNTRUSTED', {}, 'k')], cov(0, 0, 10), 10, 0)).toBe('INCONCLUSIVE');
    expect(verdictOf([], cov(10, 0, 0), 10, 0)).toBe('INCONCLUSIVE');
    expect(verdictOf([], cov(10, 0, 0), 10, 1, true)).toBe('INCONCLUSIVE');
    expect(verdictOf([], cov(10, 0, 0), 10, 1)).toBe('PASS');
    expect(verdictOf([], cov(0, 0, 0), 0, 1)).toBe('PASS');
  });
  it('keeps the first N of each code in the standard order and counts the rest, with what was already counted', () => {
    const { kept, omitted } = capFindings([broken(3), broken(1), broken(2)], 2, { SEQ_GAP: 4 });
    expect(kept.map((f) => f.location.entry)).toEqual([1, 2]);
    expect(omitted).toEqual({ CHAIN_BROKEN: 1, SEQ_GAP: 4 });
  });
});
