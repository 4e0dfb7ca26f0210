/**
 * `proofdesk case …` and `proofdesk verify --case` end to end, in-process with captured
 * output: a case is created, keys trusted, a good and a tampered bundle verified into it,
 * entries queried, a report recorded (and later altered), a key revoked, and the case
 * exported, unpacked with the system tar and verified again where it landed. Each test builds
 * its own case in its own directory; ids are read back from the case, never assumed.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import type { CaseVerifyResult } from '../../electron/case/case-verify.js';
import type { QueryResult } from '../../electron/case/query.js';
import { recordReport } from '../../electron/case/reports.js';
import type { RunRecord } from '../../electron/case/runs.js';
import { encodeNoteVerifierKey, encodeSpkiPem } from '../../shared/keys/keys.js';
import { caseCli } from '../support/cli.js';
import { type GeneratedBundle, generateBundle, makeTempDir, ORIGIN, removeDir } from '../support/fixtures.js';

/** Bundles and the key file, written once and only read by the tests. */
const fixtures = makeTempDir('proofdesk-case-cli-');
let good: GeneratedBundle;
let bad: string;
let vkey: string;
afterAll(() => removeDir(fixtures));

beforeAll(() => {
  good = generateBundle(join(fixtures, 'good'), 1200, { checkpointEvery: 400 });
  bad = join(fixtures, 'bad');
  cpSync(good.dir, bad, { recursive: true });
  // One more line after the last checkpoint: entries the log never signed (unverifiable) and a count mismatch.
  appendFileSync(
    join(bad, 'entries.jsonl'),
    '{"seq":1200,"ts":"2026-01-01T00:20:00Z","prev":"' +
      '0'.repeat(64) +
      '","event":{"actor":"mallory@example.com","action":"delete"}}\n',
  );
  vkey = join(fixtures, 'log.vkey');
  writeFileSync(vkey, encodeNoteVerifierKey(good.logKey.name, good.logKey.publicKey) + '\n');
});

/** This test's working directory (the CLI's cwd, holding log.vkey) and its case directory. */
let work: string;
let dir: string;
beforeEach(() => {
  work = makeTempDir('proofdesk-case-cli-test-');
  dir = join(work, 'case');
  copyFileSync(vkey, join(work, 'log.vkey'));
});
afterEach(() => removeDir(work));

const { cli, json } = caseCli(() => work);

type Journal = Array<{
  seq: number;
  action: string;
  actor: string;
  hash: string;
  prevHash: string;
  details: Record<string, unknown>;
}>;

/** The bundle a run verified, as evidence id. */
const evidenceOf = (r: RunRecord) => r.inputs[0]!.evidenceId;

/** A new case with the log key trusted, the good bundle verified into it (PASS), then the tampered one (FAIL). */
async function caseWithTwoRuns() {
  const created = await json<{ caseId: string; journalHead: { seq: number } }>([
    'case',
    'new',
    dir,
    '--title',
    'Incident 42',
    '--reference',
    'INC-42',
  ]);
  const trust = await json<{ grant: { fingerprint: string; origin: string }; evidence: { id: number; kind: string } }>([
    'case',
    'trust',
    dir,
    'log.vkey',
    '--origin',
    ORIGIN,
    '--valid-from',
    '2025-01-01T00:00:00Z',
  ]);
  const pass = await cli(['verify', good.dir, '--case', dir, '--workers', '2']);
  expect(pass.code, pass.err).toBe(0);
  const fail = await cli(['verify', bad, '--case', dir, '--workers', '2', '--json']);
  expect(fail.code, fail.err).toBe(1);
  const runs = await json<RunRecord[]>(['case', 'runs', dir]);
  expect(runs).toHaveLength(2);
  return {
    created,
    trust,
    fail,
    runs,
    goodRun: runs.find((r) => r.verdict === 'PASS')!,
    badRun: runs.find((r) => r.verdict === 'FAIL')!,
  };
}

/** Revokes the log key from 00:10 and verifies the good bundle again; returns the new run. */
async function revokeAndRerun(): Promise<{
  rerun: RunRecord;
  findings: Array<{ code: string; location: { checkpointSize?: number } }>;
}> {
  const show = await json<{ trustedKeys: Array<{ fingerprint: string }> }>(['case', 'show', dir]);
  const fp = show.trustedKeys[0]!.fingerprint;
  expect(
    (await cli(['case', 'revoke', dir, fp.slice(0, 10), '--at', '2026-01-01T00:10:00Z', '--reason', 'key compromise']))
      .code,
  ).toBe(0);
  const before = new Set((await json<RunRecord[]>(['case', 'runs', dir])).map((r) => r.id));
  const again = await cli(['verify', good.dir, '--case', dir, '--workers', '2', '--json']);
  expect(again.code, again.err).toBe(1);
  const added = (await json<RunRecord[]>(['case', 'runs', dir])).filter((r) => !before.has(r.id));
  expect(added).toHaveLength(1);
  return {
    rerun: added[0]!,
    findings: (
      JSON.parse(again.out) as { result: { findings: Array<{ code: string; location: { checkpointSize?: number } }> } }
    ).result.findings,
  };
}

describe('proofdesk case', () => {
  it('new, trust, verify --case (PASS and FAIL), runs, query, journal', async () => {
    const { created, trust: t, runs, goodRun, badRun } = await caseWithTwoRuns();
    expect(created.journalHead.seq).toBe(1);
    expect(t.grant.origin).toBe(ORIGIN);
    expect(t.evidence.kind).toBe('key');

    // A fresh case numbers its runs from 1, in the order they were started.
    expect(runs.map((r) => [r.id, r.status, r.verdict, r.counts?.entries])).toEqual([
      [1, 'finished', 'PASS', 1200],
      [2, 'finished', 'FAIL', 1201],
    ]);
    expect(badRun.trustedKeys).toEqual([
      expect.objectContaining({ fingerprint: t.grant.fingerprint, source: 'case', validFrom: '2025-01-01T00:00:00Z' }),
    ]);
    expect(new Set([t.evidence.id, evidenceOf(goodRun), evidenceOf(badRun)]).size).toBe(3);

    // Query across both bundles: the appended entry is found, with the break it causes.
    const q = await json<QueryResult>(['case', 'query', dir, 'mallory', '--count']);
    expect(q.total).toBe(1);
    expect(q.hits[0]).toMatchObject({
      evidenceId: evidenceOf(badRun),
      entry: 1200,
      seq: 1200,
      actor: 'mallory@example.com',
      action: 'delete',
      status: 'failed',
      findings: ['CHAIN_BROKEN'],
      runId: badRun.id,
    });
    const deletes = await json<QueryResult>([
      'case',
      'query',
      dir,
      'action:delete',
      '--from',
      '2026-01-01T00:05:00Z',
      '--to',
      '2026-01-01T00:06:00Z',
      '--evidence',
      `#${evidenceOf(goodRun)}`,
      '--limit',
      '100',
    ]);
    expect(deletes.hits.length).toBeGreaterThan(0);
    for (const h of deletes.hits) {
      expect(h).toMatchObject({ evidenceId: evidenceOf(goodRun), action: 'delete', status: 'verified' });
      expect(h.entry).toBeGreaterThanOrEqual(300);
      expect(h.entry).toBeLessThanOrEqual(360);
    }

    const journal = await json<Journal>(['case', 'journal', dir]);
    expect(journal.map((j) => j.action)).toEqual([
      'case.created',
      'evidence.imported',
      'key.trusted',
      'evidence.imported',
      'run.started',
      'run.finished',
      'index.built',
      'evidence.imported',
      'run.started',
      'run.finished',
      'index.built',
    ]);
    expect(new Set(journal.map((j) => j.actor))).toEqual(new Set(['Jane Examiner']));
    for (let i = 1; i < journal.length; i++) expect(journal[i]!.prevHash).toBe(journal[i - 1]!.hash);

    const v = await json<CaseVerifyResult>(['case', 'verify', dir]);
    expect(v).toMatchObject({ ok: true, problems: [], journal: { rows: journal.length } });
  });

  it('records a signed report anchored to the journal head, and catches it being altered', async () => {
    const { goodRun } = await caseWithTwoRuns();
    const reportDir = join(work, 'report');
    mkdirSync(reportDir);
    writeFileSync(join(reportDir, 'report.pdf'), '%PDF-1.7 stand-in for the report\n');
    writeFileSync(join(reportDir, 'attestation.dsse.json'), '{"payloadType":"application/vnd.in-toto+json"}\n');
    const cf = openCase(dir, { actor: 'Jane Examiner' });
    const head = cf.head();
    const rec = recordReport(cf, {
      runId: goodRun.id,
      files: [
        { role: 'pdf', path: join(reportDir, 'report.pdf') },
        { role: 'attestation', path: join(reportDir, 'attestation.dsse.json') },
      ],
      examinerFingerprint: 'ab'.repeat(32),
      anchoredHead: head,
    });
    expect(rec.anchoredHead).toEqual(head);
    expect(rec.runId).toBe(goodRun.id);
    expect(rec.files.find((f) => f.role === 'pdf')!.digest).toBe(
      execFileSync('openssl', ['dgst', '-sha256', '-r', join(reportDir, 'report.pdf')])
        .toString()
        .slice(0, 64),
    );
    // A head that is not in this journal is refused.
    expect(() =>
      recordReport(cf, {
        files: [{ role: 'pdf', path: join(reportDir, 'report.pdf') }],
        anchoredHead: { seq: head.seq, hash: 'cd'.repeat(32) },
      }),
    ).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    cf.close();
    // The stand-in attestation carries no case anchor: the recorded head rests on the case alone (information).
    expect(
      (await json<CaseVerifyResult>(['case', 'verify', dir])).problems.map((p) => [
        p.code,
        p.location.table,
        p.location.id,
      ]),
    ).toEqual([['REPORT_NOT_ANCHORED', 'reports', rec.id]]);

    // The case holds its own copy: the original outside it is the examiner's to move or change.
    expect(rec.files.map((f) => f.path).every((p) => /^reports\/[0-9a-f]{64}\/[^/]+$/.test(p))).toBe(true);
    writeFileSync(join(reportDir, 'report.pdf'), '%PDF-1.7 a different report\n');
    expect((await json<CaseVerifyResult>(['case', 'verify', dir])).ok).toBe(true);
    const copy = join(dir, rec.files.find((f) => f.role === 'pdf')!.path);
    chmodSync(copy, 0o600);
    writeFileSync(copy, '%PDF-1.7 a different report\n');
    const v = await json<CaseVerifyResult>(['case', 'verify', dir], 1);
    expect(
      v.problems.map((p) => [
        p.code,
        p.location.table,
        p.location.table === 'reports' ? p.location.id : typeof p.location.id,
      ]),
    ).toEqual([
      ['REPORT_MODIFIED', 'report_files', 'number'],
      ['REPORT_NOT_ANCHORED', 'reports', rec.id],
    ]);
  });

  it('verify --case --report: the signed report is recorded in the case with its digests', async () => {
    const { runs } = await caseWithTwoRuns();
    expect((await cli(['keygen', '--out', 'examiner', '--name', 'Jane Examiner', '--no-passphrase'])).code).toBe(0);
    const r = await cli([
      'verify',
      good.dir,
      '--case',
      dir,
      '--workers',
      '2',
      '--report',
      'signed',
      '--examiner-key',
      'examiner.key',
    ]);
    expect(r.code, r.err).toBe(0);
    const after = await json<RunRecord[]>(['case', 'runs', dir]);
    const added = after.filter((x) => !runs.some((y) => y.id === x.id));
    expect(added.map((x) => x.verdict)).toEqual(['PASS']);
    const journal = await json<Journal>(['case', 'journal', dir]);
    const signed = journal.at(-1)! as Journal[number] & {
      details: { reportId?: number; runId?: number; files?: Array<{ role: string; digest: string; path: string }> };
    };
    expect(signed.action).toBe('report.signed');
    expect(signed.details.runId).toBe(added[0]!.id);
    expect((await json<{ reports: number }>(['case', 'show', dir])).reports).toBe(1);
    expect(signed.details.files!.map((f) => f.role).sort()).toEqual(['attestation', 'pdf', 'signature']);
    for (const f of signed.details.files!)
      expect(f.digest).toBe(
        execFileSync('openssl', ['dgst', '-sha256', '-r', join(dir, f.path)])
          .toString()
          .slice(0, 64),
      );
    // The report's attestation anchors the head it was recorded with: nothing to report.
    expect((await json<CaseVerifyResult>(['case', 'verify', dir])).problems).toEqual([]);
  });

  it('revoke: the next run in the case reports KEY_REVOKED', async () => {
    const { goodRun } = await caseWithTwoRuns();
    expect((await cli(['case', 'revoke', dir, 'not-a-fingerprint'])).code).toBe(2);
    const evidenceBefore = (await json<{ evidence: unknown[] }>(['case', 'show', dir])).evidence.length;
    const { rerun, findings } = await revokeAndRerun();
    expect(findings.filter((f) => f.code === 'KEY_REVOKED').map((f) => f.location.checkpointSize)).toEqual([800, 1200]);
    // The bundle was already in the case: recognised by digest, not copied again.
    expect(evidenceOf(rerun)).toBe(evidenceOf(goodRun));
    expect((await json<{ evidence: unknown[] }>(['case', 'show', dir])).evidence.length).toBe(evidenceBefore);
    const journal = await json<Journal>(['case', 'journal', dir]);
    expect(journal.filter((j) => j.action === 'evidence.presented').map((j) => j.details.evidenceId)).toEqual([
      evidenceOf(goodRun),
    ]);
  });

  it('export: the archive unpacks with tar into a case that verifies, with the same journal head', async () => {
    const { goodRun, badRun } = await caseWithTwoRuns();
    const { rerun } = await revokeAndRerun();
    const e = await json<{ path: string; sha256: string; journalHead: { seq: number; hash: string }; root: string }>([
      'case',
      'export',
      dir,
      '--out',
      'handover.tar',
    ]);
    expect(e.sha256).toBe(execFileSync('openssl', ['dgst', '-sha256', '-r', e.path]).toString().slice(0, 64));
    const unpack = join(work, 'unpacked');
    mkdirSync(unpack);
    execFileSync('tar', ['-xf', e.path, '-C', unpack]);
    const there = join(unpack, e.root);
    const manifest = JSON.parse(readFileSync(join(there, 'EXPORT.json'), 'utf8')) as {
      journalHead: unknown;
      files: Array<{ path: string; sha256: string }>;
    };
    expect(manifest.journalHead).toEqual(e.journalHead);
    for (const f of manifest.files)
      expect(
        execFileSync('openssl', ['dgst', '-sha256', '-r', join(there, f.path)])
          .toString()
          .slice(0, 64),
      ).toBe(f.sha256);
    const v = await json<CaseVerifyResult>(['case', 'verify', there]);
    expect(v.ok).toBe(true);
    expect(v.journal.head).toEqual(e.journalHead);
    expect(v.problems).toEqual([]);
    const journal = await json<Journal>(['case', 'journal', there]);
    expect(journal.at(-1)!.action).toBe('case.exported');
    // The derived search index stays behind unless asked for; it can be rebuilt from the evidence.
    expect((await json<QueryResult>(['case', 'query', there, 'delete'])).notIndexed).toEqual(
      [evidenceOf(goodRun), evidenceOf(badRun)].sort((a, b) => a - b),
    );
    expect((await cli(['case', 'index', there, `#${evidenceOf(goodRun)}`])).code).toBe(0);
    // Statuses come from the bundle's latest run (after the revocation): entries under the
    // revoked checkpoints (800, 1200) are no longer covered by a trusted signature, and neither
    // are those under checkpoint 400, which no witness dates before the revocation.
    expect(
      (await json<QueryResult>(['case', 'query', there, 'action:delete seq:0..399', '--limit', '1'])).hits[0],
    ).toMatchObject({ evidenceId: evidenceOf(goodRun), runId: rerun.id, status: 'unverifiable' });
    expect(
      (await json<QueryResult>(['case', 'query', there, 'action:delete seq:400..1199', '--limit', '1'])).hits[0],
    ).toMatchObject({ evidenceId: evidenceOf(goodRun), runId: rerun.id, status: 'unverifiable' });
  });

  it('case trust --role: the grant, its journal row and the listing carry the role', async () => {
    expect((await cli(['case', 'new', dir, '--title', 'roles'])).code).toBe(0);
    writeFileSync(join(work, 'source.pem'), encodeSpkiPem(good.logKey.publicKey));
    const g = await json<{ grant: { role: string } }>([
      'case',
      'trust',
      dir,
      'source.pem',
      '--role',
      'entry',
      '--origin',
      ORIGIN,
    ]);
    expect(g.grant.role).toBe('entry');
    // A key without a type of its own is a log key unless said otherwise; the same key, another role: another grant.
    expect(
      (await json<{ grant: { role: string } }>(['case', 'trust', dir, 'source.pem', '--origin', ORIGIN])).grant.role,
    ).toBe('log');
    expect((await cli(['case', 'trust', dir, 'source.pem', '--origin', ORIGIN])).code).toBe(2);
    const show = await cli(['case', 'show', dir]);
    expect(show.out).toMatch(/ entry +for audit\.example\.com\/prod/);
    const journal = await json<Journal>(['case', 'journal', dir]);
    expect(journal.filter((j) => j.action === 'key.trusted').map((j) => j.details.role)).toEqual(['entry', 'log']);
  });

  it('usage errors exit 2 and change nothing', async () => {
    expect((await cli(['case', 'new', dir, '--title', 'Incident 42'])).code).toBe(0);
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--origin', ORIGIN])).code).toBe(0);
    const before = (await json<unknown[]>(['case', 'journal', dir])).length;
    expect((await cli(['case'])).code).toBe(2);
    expect((await cli(['case', 'frobnicate', dir])).code).toBe(2);
    expect((await cli(['case', 'query'])).code).toBe(2);
    expect((await cli(['case', 'import', dir, 'no-such-file'])).code).toBe(2);
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--valid-from', 'tomorrow'])).code).toBe(2);
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--role', 'auditor'])).code).toBe(2);
    // A log verifier key (type 0x01) cannot be granted as a witness or an event source.
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--role', 'witness'])).code).toBe(2);
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--role', 'entry', '--origin', ORIGIN])).code).toBe(2);
    expect((await cli(['case', 'new', dir, '--title', 'again'])).code).toBe(2);
    expect((await cli(['case', 'verify', join(work, 'nowhere')])).code).toBe(2);
    expect((await cli(['verify', good.dir])).code).toBe(2);
    expect((await json<unknown[]>(['case', 'journal', dir])).length).toBe(before);
  });
});
