/**
 * The verification statement (shared/report/predicate.ts): built from a real verification run,
 * deterministic to the byte, its schema and consistency checks under a mutation catalogue, the
 * re-run comparison, the printed document's bounds, and the text helpers.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../../electron/verify/bundle/verify.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { compareVerificationResults } from '../../../../shared/report/compare.js';
import {
  buildVerificationStatement,
  checkVerificationStatement,
  policyDigest,
  VERIFICATION_PREDICATE_TYPE,
  type VerificationReportMeta,
  type VerificationStatement,
} from '../../../../shared/report/predicate.js';
import { csvField, formatLocation, formatUtc, groupThousands } from '../../../../shared/report/text.js';
import {
  findingsCsv,
  MAX_FINDINGS_PRINTED,
  verificationReportDocument,
} from '../../../../shared/report/verification-document.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_V1, type VerificationResult } from '../../../../shared/verdict/result.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';

const WITNESS_TIME = Date.UTC(2026, 10, 2) / 1000;
let tmp: string;
let result: VerificationResult;
const witness = testKey('report-witness', 'witness.example', 'witness');

const META: VerificationReportMeta = {
  examiner: { name: 'Dana Examiner', organisation: 'Example Forensics', keyFingerprint: 'e'.repeat(64) },
  caseReference: 'CASE-1',
  startedAt: '2026-11-26T10:00:00.000Z',
  finishedAt: '2026-11-26T10:00:05.000Z',
  toolBuild: { sha256: 'b'.repeat(64), scope: 'source', files: 3 },
  componentVersions: { pdfkit: '0.20.2' },
  trustInputs: [
    { name: 'witness.vkey', size: 90, sha256: '2'.repeat(64), fingerprint: witness.trusted.fingerprint },
    { name: 'log.vkey', size: 80, sha256: '1'.repeat(64), fingerprint: 'f'.repeat(64) },
  ],
};

beforeAll(async () => {
  tmp = makeTempDir();
  const b = generateBundle(join(tmp, 'bundle'), 300, {
    checkpointEvery: 128,
    witnesses: [{ name: witness.name, seed: witness.seed, time: WITNESS_TIME }],
  });
  result = (await verifyBundle({ bundle: b.dir, trusted: [b.logKey.trusted, witness.trusted], workers: 2 })).run.result;
});
afterAll(() => removeDir(tmp));

/** The same JSON value with every object's members in reverse order. */
function reversed<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversed) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    ) as T;
  return v;
}

describe('building the statement', () => {
  it('lists every bundle file and trusted-key file as a subject, by SHA-256', () => {
    const s = buildVerificationStatement(result, META);
    expect(result.verdict).toBe('PASS');
    expect(s.predicateType).toBe(VERIFICATION_PREDICATE_TYPE);
    const bundleSubjects = result.bundle.files.map((f) => ({ name: `bundle/${f.path}`, digest: { sha256: f.sha256 } }));
    expect(s.subject).toEqual([
      ...bundleSubjects,
      { name: 'trusted-keys/log.vkey', digest: { sha256: '1'.repeat(64) } },
      { name: 'trusted-keys/witness.vkey', digest: { sha256: '2'.repeat(64) } },
    ]);
    expect(s.predicate.inputs.filter((i) => i.role === 'trusted-key').map((i) => i.fingerprint)).toEqual([
      'f'.repeat(64),
      witness.trusted.fingerprint,
    ]);
    expect(s.subject.map((x) => x.name)).toContain('bundle/entries.jsonl');
  });

  it('gives equal bytes for equal results, whatever the member order of its input', () => {
    const a = canonicalJson(buildVerificationStatement(result, META));
    const b = canonicalJson(buildVerificationStatement(reversed(result), reversed(META)));
    expect(b).toBe(a);
  });

  it('maps the verdict to VSA PASSED/FAILED and keeps the verdict in the result', () => {
    for (const [verdict, vsa] of [
      ['PASS', 'PASSED'],
      ['FAIL', 'FAILED'],
      ['INCONCLUSIVE', 'FAILED'],
    ] as const) {
      const s = buildVerificationStatement({ ...result, verdict }, META);
      expect(s.predicate.verificationResult).toBe(vsa);
      expect(s.predicate.result.verdict).toBe(verdict);
    }
  });

  it('labels the examiner clock as untrusted and takes evidence time only from cosignatures and entries', () => {
    const p = buildVerificationStatement(result, META).predicate;
    expect(p.examinerClock).toEqual({
      source: 'examiner-machine-clock',
      trusted: false,
      startedAt: META.startedAt,
      finishedAt: META.finishedAt,
    });
    expect(p.timeVerified).toBe(META.finishedAt);
    expect(p.evidenceTime.source).toBe('evidence');
    expect(p.evidenceTime.firstEntryTs).toBe(result.evidenceTime.firstEntryTs);
    expect(p.evidenceTime.witnessed.map((w) => [w.size, w.time])).toEqual([
      [128, '2026-11-02T00:00:00Z'],
      [256, '2026-11-02T00:00:00Z'],
      [300, '2026-11-02T00:00:00Z'],
    ]);
  });

  it('records a policy digest that depends on the trusted keys, rules and parameters', () => {
    const d = policyDigest(result);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(policyDigest({ ...result, trustedKeys: result.trustedKeys.slice(1) })).not.toBe(d);
    expect(policyDigest({ ...result, parameters: { ...result.parameters, crossCheck: true } })).not.toBe(d);
    expect(policyDigest(reversed(result))).toBe(d);
  });
});

describe('checking an untrusted statement', () => {
  const good = () =>
    JSON.parse(canonicalJson(buildVerificationStatement(result, META))) as VerificationStatement &
      Record<string, unknown>;
  const pathsAfter = (mutate: (s: ReturnType<typeof good>) => void): string[] => {
    const s = good();
    mutate(s);
    return checkVerificationStatement(s).map((p) => p.path);
  };

  it('accepts what the builder makes', () => expect(checkVerificationStatement(good())).toEqual([]));

  it('reads results of both schemas: v2 with its headline and diagnosis, v1 (older reports) without', () => {
    expect(good().predicate.result.schema).toBe(RESULT_SCHEMA);
    const v1 = good();
    const r = v1.predicate.result as unknown as Record<string, unknown>;
    r.schema = RESULT_SCHEMA_V1;
    delete r.headline;
    delete r.diagnosis;
    (v1.predicate.policy.digest as { sha256: string }).sha256 = policyDigest(v1.predicate.result);
    expect(checkVerificationStatement(v1)).toEqual([]);
    // A v2 result without its diagnosis, or a v1 result with one, is not what either schema says.
    expect(pathsAfter((s) => delete (s.predicate.result as unknown as Record<string, unknown>).diagnosis)).toContain(
      '$.predicate.result',
    );
    const mixed = good();
    (mixed.predicate.result as unknown as Record<string, unknown>).schema = RESULT_SCHEMA_V1;
    (mixed.predicate.policy.digest as { sha256: string }).sha256 = policyDigest(mixed.predicate.result);
    expect(checkVerificationStatement(mixed).map((p) => p.path)).toContain('$.predicate.result');
  });

  it('reports each mutation at its path', () => {
    const cases: Array<[string, (s: any) => void, string]> = [
      ['predicate type', (s) => (s.predicateType = 'https://slsa.dev/verification_summary/v1'), '$.predicateType'],
      [
        'verdict disagrees with VSA result',
        (s) => (s.predicate.verificationResult = 'FAILED'),
        '$.predicate.verificationResult',
      ],
      ['policy digest', (s) => (s.predicate.policy.digest.sha256 = '0'.repeat(64)), '$.predicate.policy.digest.sha256'],
      [
        'a trusted key dropped (policy no longer matches)',
        (s) => s.predicate.result.trustedKeys.pop(),
        '$.predicate.policy.digest.sha256',
      ],
      ['timeVerified', (s) => (s.predicate.timeVerified = '2026-11-26T10:00:06.000Z'), '$.predicate.timeVerified'],
      ['subject digest', (s) => (s.subject[0].digest.sha256 = '0'.repeat(64)), '$.subject'],
      ['subject dropped', (s) => s.subject.pop(), '$.subject'],
      ['clock claimed trusted', (s) => (s.predicate.examinerClock.trusted = true), '$.predicate.examinerClock.trusted'],
      [
        'non-UTC time',
        (s) => (s.predicate.examinerClock.startedAt = '2026-11-26T11:00:00+01:00'),
        '$.predicate.examinerClock.startedAt',
      ],
      ['finding code', (s) => (s.predicate.result.findings[0].code = 'lower'), '$.predicate.result.findings[0].code'],
      [
        'finding entry index',
        (s) => (s.predicate.result.findings[0].location.entry = -1),
        '$.predicate.result.findings[0].location.entry',
      ],
      [
        'evidence value',
        (s) => (s.predicate.result.findings[0].evidence = { x: { nested: 1 } }),
        '$.predicate.result.findings[0].evidence.x',
      ],
      [
        'file digest',
        (s) => (s.predicate.result.bundle.files[0].sha256 = 'xyz'),
        '$.predicate.result.bundle.files[0].sha256',
      ],
      ['coverage count', (s) => (s.predicate.result.coverage.verified = 1.5), '$.predicate.result.coverage.verified'],
      ['examiner key', (s) => delete s.predicate.examiner.keyFingerprint, '$.predicate.examiner.keyFingerprint'],
      ['result schema', (s) => (s.predicate.result.schema = 'other'), '$.predicate.result.schema'],
    ];
    for (const [what, mutate, path] of cases) expect(pathsAfter(mutate), what).toContain(path);
  });

  it('survives garbage without throwing', () => {
    for (const v of [
      null,
      1,
      'x',
      [],
      {},
      { _type: 'https://in-toto.io/Statement/v1' },
      { ...good(), predicate: { result: [] } },
    ]) {
      expect(checkVerificationStatement(v).length).toBeGreaterThan(0);
    }
  });
});

describe('re-run comparison', () => {
  it('finds no difference between a result and itself, nor in wording, names or labels', () => {
    expect(compareVerificationResults(result, reversed(result))).toEqual([]);
    const relabelled: VerificationResult = {
      ...result,
      bundle: { ...result.bundle, name: 'renamed' },
      trustedKeys: result.trustedKeys.map((k) => ({ fingerprint: k.fingerprint })),
      findings: result.findings.map((f) => ({ ...f, message: 'other words' })),
    };
    expect(compareVerificationResults(result, relabelled)).toEqual([]);
  });

  it('reports what was judged differently, by path', () => {
    const changed: VerificationResult = {
      ...result,
      verdict: 'FAIL',
      coverage: { ...result.coverage, verified: result.coverage.verified - 1, failed: 1 },
      findings: [
        ...result.findings.slice(1),
        finding('CHAIN_BROKEN', { file: 'entries.jsonl', entry: 5 }, 'x', { expected: 'aa', actual: 'bb' }),
      ],
    };
    const paths = compareVerificationResults(result, changed).map((d) => d.path);
    expect(paths).toContain('$.verdict');
    expect(paths).toContain('$.coverage');
    expect(paths).toContain(`$.findings[${result.findings.length - 1}]`);
  });
});

describe('the printed document', () => {
  it('opens with the verdict and bounds the findings it prints', () => {
    const many: Finding[] = Array.from({ length: 1000 }, (_, i) =>
      finding('CHAIN_BROKEN', { file: 'entries.jsonl', entry: i, offset: i * 300 }, `entry ${i} does not link`, {
        expected: 'a'.repeat(64),
        actual: 'b'.repeat(64),
      }),
    );
    const r: VerificationResult = { ...result, verdict: 'FAIL', findings: [...result.findings, ...many] };
    const s = JSON.parse(canonicalJson(buildVerificationStatement(r, META))) as VerificationStatement;
    const doc = verificationReportDocument(s, new Uint8Array([1]), 'c'.repeat(64));
    expect(doc.blocks[0]).toMatchObject({ kind: 'banner', label: 'FAIL', tone: 'fail' });
    const items = doc.blocks
      .filter((b) => b.kind === 'findings')
      .flatMap((b) => (b.kind === 'findings' ? b.items : []));
    expect(items).toHaveLength(MAX_FINDINGS_PRINTED);
    // Printed in the result's own order (findings under their causes, shared/verdict/finish.ts).
    expect(items.map((i) => i.code)).toEqual(r.findings.slice(0, MAX_FINDINGS_PRINTED).map((f) => f.code));
    expect(doc.attachments.map((a) => a.name)).toEqual(['attestation.dsse.json', 'findings.csv']);
    const csv = Buffer.from(doc.attachments[1]!.bytes).toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + r.findings.length);
  });

  it('writes CSV that a spreadsheet cannot execute', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
    const csv = Buffer.from(findingsCsv([finding('FILE_UNLISTED', { file: '@evil.csv' }, 'line\nbreak')])).toString();
    expect(csv.split('\r\n')[1]).toBe(`0,warning,FILE_UNLISTED,'@evil.csv,,,,,,,"line\nbreak",`);
  });

  it('formats numbers, times and locations without the host locale', () => {
    expect([0, 999, 1000, 1234567, -4500].map(groupThousands)).toEqual(['0', '999', '1,000', '1,234,567', '-4,500']);
    expect(formatUtc('2026-11-26T15:52:43.120Z')).toBe('2026-11-26 15:52:43.120 UTC');
    expect(formatLocation({ file: 'entries.jsonl', entry: 17, offset: 4521 })).toBe(
      'entries.jsonl, entry 17, byte 4521',
    );
    expect(formatLocation({ file: 'c', checkpointSize: 500, range: [0, 500] })).toBe(
      'c, checkpoint size 500, entries 0..499',
    );
    expect(formatLocation({})).toBe('(bundle)');
  });
});
