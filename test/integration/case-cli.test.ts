/**
 * `proofdesk case …` and `proofdesk verify --case` end to end, in-process with captured
 * output: a case is created, keys trusted, a good and a tampered bundle verified into it,
 * entries queried, a report recorded (and later altered), a key revoked, and the case
 * exported, unpacked with the system tar and verified again where it landed.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNoteVerifierKey } from '../../shared/keys.js';
import { runCli } from '../../electron/cli/main.js';
import type { CliIO } from '../../electron/cli/io.js';
import { openCase } from '../../electron/store/case.js';
import { recordReport } from '../../electron/store/reports.js';
import type { CaseVerifyResult } from '../../electron/store/case-verify.js';
import type { QueryResult } from '../../electron/store/query.js';
import type { RunRecord } from '../../electron/store/runs.js';
import { ORIGIN, generateBundle, makeTempDir, removeDir, type GeneratedBundle } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-case-cli-');
let good: GeneratedBundle;
let bad: string;
let vkey: string;
const dir = join(tmp, 'case');
afterAll(() => removeDir(tmp));

beforeAll(() => {
  good = generateBundle(join(tmp, 'good'), 1200, { checkpointEvery: 400 });
  bad = join(tmp, 'bad');
  cpSync(good.dir, bad, { recursive: true });
  // One more line after the last checkpoint: entries the log never signed (unverifiable) and a count mismatch.
  appendFileSync(join(bad, 'entries.jsonl'), '{"seq":1200,"ts":"2026-01-01T00:20:00Z","prev":"' + '0'.repeat(64) + '","event":{"actor":"mallory@example.com","action":"delete"}}\n');
  vkey = join(tmp, 'log.vkey');
  writeFileSync(vkey, encodeNoteVerifierKey(good.logKey.name, good.logKey.publicKey) + '\n');
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), env: { PROOFDESK_EXAMINER: 'Jane Examiner' }, stdinIsTTY: false, stderrIsTTY: false, cwd: tmp };
  const code = await runCli(args, io);
  return { code, out, err };
}

async function json<T>(args: string[], expectCode = 0): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.code, r.err).toBe(expectCode);
  return JSON.parse(r.out) as T;
}

describe('proofdesk case', () => {
  it('new, trust, verify --case (PASS and FAIL), runs, query, journal', async () => {
    const created = await json<{ caseId: string; journalHead: { seq: number } }>(['case', 'new', dir, '--title', 'Incident 42', '--reference', 'INC-42']);
    expect(created.journalHead.seq).toBe(1);
    const t = await json<{ grant: { fingerprint: string; origin: string }; evidence: { kind: string } }>(['case', 'trust', dir, 'log.vkey', '--origin', ORIGIN, '--valid-from', '2025-01-01T00:00:00Z']);
    expect(t.grant.origin).toBe(ORIGIN);
    expect(t.evidence.kind).toBe('key');

    const pass = await cli(['verify', good.dir, '--case', dir, '--workers', '2']);
    expect(pass.code, pass.err).toBe(0);
    expect(pass.out).toMatch(/^PASS/);
    const fail = await cli(['verify', 'bad', '--case', dir, '--workers', '2', '--json']);
    expect(fail.code).toBe(1);
    expect((JSON.parse(fail.out) as { result: { verdict: string } }).result.verdict).toBe('FAIL');

    const runs = await json<RunRecord[]>(['case', 'runs', dir]);
    expect(runs.map((r) => [r.id, r.status, r.verdict, r.counts?.entries])).toEqual([
      [1, 'finished', 'PASS', 1200],
      [2, 'finished', 'FAIL', 1201],
    ]);
    expect(runs[1]!.trustedKeys).toEqual([expect.objectContaining({ fingerprint: t.grant.fingerprint, source: 'case', validFrom: '2025-01-01T00:00:00Z' })]);

    // Query across both bundles: the appended entry is found, with the break it causes.
    const q = await json<QueryResult>(['case', 'query', dir, 'mallory', '--count']);
    expect(q.total).toBe(1);
    expect(q.hits[0]).toMatchObject({ evidenceId: 3, entry: 1200, seq: 1200, actor: 'mallory@example.com', action: 'delete', status: 'failed', findings: ['CHAIN_BROKEN'], runId: 2 });
    const deletes = await json<QueryResult>(['case', 'query', dir, 'action:delete', '--from', '2026-01-01T00:05:00Z', '--to', '2026-01-01T00:06:00Z', '--evidence', '#2', '--limit', '100']);
    expect(deletes.hits.length).toBeGreaterThan(0);
    for (const h of deletes.hits) {
      expect(h).toMatchObject({ evidenceId: 2, action: 'delete', status: 'verified' });
      expect(h.entry).toBeGreaterThanOrEqual(300);
      expect(h.entry).toBeLessThanOrEqual(360);
    }

    const journal = await json<Array<{ seq: number; action: string; actor: string; hash: string; prevHash: string }>>(['case', 'journal', dir]);
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
    const reportDir = join(tmp, 'report');
    mkdirSync(reportDir);
    writeFileSync(join(reportDir, 'report.pdf'), '%PDF-1.7 stand-in for the report\n');
    writeFileSync(join(reportDir, 'attestation.dsse.json'), '{"payloadType":"application/vnd.in-toto+json"}\n');
    const cf = openCase(dir, { actor: 'Jane Examiner' });
    const head = cf.head();
    const rec = recordReport(cf, { runId: 1, files: [{ role: 'pdf', path: join(reportDir, 'report.pdf') }, { role: 'attestation', path: join(reportDir, 'attestation.dsse.json') }], examinerFingerprint: 'ab'.repeat(32), anchoredHead: head });
    expect(rec.anchoredHead).toEqual(head);
    expect(rec.files.find((f) => f.role === 'pdf')!.digest).toBe(execFileSync('openssl', ['dgst', '-sha256', '-r', join(reportDir, 'report.pdf')]).toString().slice(0, 64));
    // A head that is not in this journal is refused.
    expect(() => recordReport(cf, { files: [{ role: 'pdf', path: join(reportDir, 'report.pdf') }], anchoredHead: { seq: head.seq, hash: 'cd'.repeat(32) } })).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    cf.close();
    expect((await cli(['case', 'verify', dir])).code).toBe(0);

    writeFileSync(join(reportDir, 'report.pdf'), '%PDF-1.7 a different report\n');
    const v = await json<CaseVerifyResult>(['case', 'verify', dir], 1);
    // The stand-in attestation carries no case anchor: the recorded head rests on the case alone (information).
    expect(v.problems.map((p) => [p.code, p.location.table, p.location.id])).toEqual([
      ['REPORT_MODIFIED', 'report_files', 1],
      ['REPORT_NOT_ANCHORED', 'reports', 1],
    ]);
    writeFileSync(join(reportDir, 'report.pdf'), '%PDF-1.7 stand-in for the report\n');
  });

  it('verify --case --report: the signed report is recorded in the case with its digests', async () => {
    expect((await cli(['keygen', '--out', 'examiner', '--name', 'Jane Examiner', '--no-passphrase'])).code).toBe(0);
    const r = await cli(['verify', good.dir, '--case', dir, '--workers', '2', '--report', 'signed', '--examiner-key', 'examiner.key']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/report recorded as report #2 of run #3/);
    const journal = await json<Array<{ action: string; details: { runId?: number; files?: Array<{ role: string; digest: string; path: string }> } }>>(['case', 'journal', dir]);
    const signed = journal.at(-1)!;
    expect(signed.action).toBe('report.signed');
    expect(signed.details.runId).toBe(3);
    expect(signed.details.files!.map((f) => f.role).sort()).toEqual(['attestation', 'pdf', 'signature']);
    for (const f of signed.details.files!) expect(f.digest).toBe(execFileSync('openssl', ['dgst', '-sha256', '-r', f.path]).toString().slice(0, 64));
    // Report #2's attestation anchors the head it was recorded with; only the stand-in (#1) does not.
    expect((await json<CaseVerifyResult>(['case', 'verify', dir])).problems.map((p) => [p.code, p.location.id])).toEqual([['REPORT_NOT_ANCHORED', 1]]);
  });

  it('revoke: the next run in the case reports KEY_REVOKED', async () => {
    expect((await cli(['case', 'revoke', dir, 'not-a-fingerprint'])).code).toBe(2);
    const show = await json<{ trustedKeys: Array<{ fingerprint: string }> }>(['case', 'show', dir]);
    const fp = show.trustedKeys[0]!.fingerprint;
    expect((await cli(['case', 'revoke', dir, fp.slice(0, 10), '--at', '2026-01-01T00:10:00Z', '--reason', 'key compromise'])).code).toBe(0);
    const again = await cli(['verify', good.dir, '--case', dir, '--workers', '2', '--json']);
    expect(again.code).toBe(1);
    const result = (JSON.parse(again.out) as { result: { findings: Array<{ code: string; location: { checkpointSize?: number } }> } }).result;
    expect(result.findings.filter((f) => f.code === 'KEY_REVOKED').map((f) => f.location.checkpointSize)).toEqual([800, 1200]);
    // The bundle was already in the case: recognised by digest, not copied again.
    expect(again.err).toMatch(/already in the case as evidence #2/);
  });

  it('export: the archive unpacks with tar into a case that verifies, with the same journal head', async () => {
    const e = await json<{ path: string; sha256: string; journalHead: { seq: number; hash: string }; root: string }>(['case', 'export', dir, '--out', 'handover.tar']);
    expect(e.sha256).toBe(execFileSync('openssl', ['dgst', '-sha256', '-r', e.path]).toString().slice(0, 64));
    const unpack = join(tmp, 'unpacked');
    mkdirSync(unpack);
    execFileSync('tar', ['-xf', e.path, '-C', unpack]);
    const there = join(unpack, e.root);
    const manifest = JSON.parse(readFileSync(join(there, 'EXPORT.json'), 'utf8')) as { journalHead: unknown; files: Array<{ path: string; sha256: string }> };
    expect(manifest.journalHead).toEqual(e.journalHead);
    for (const f of manifest.files) expect(execFileSync('openssl', ['dgst', '-sha256', '-r', join(there, f.path)]).toString().slice(0, 64)).toBe(f.sha256);
    const v = await json<CaseVerifyResult>(['case', 'verify', there]);
    expect(v.ok).toBe(true);
    expect(v.journal.head).toEqual(e.journalHead);
    expect(v.problems.map((p) => [p.code, p.location.id])).toEqual([['REPORT_NOT_ANCHORED', 1]]);
    const journal = await json<Array<{ action: string }>>(['case', 'journal', there]);
    expect(journal.at(-1)!.action).toBe('case.exported');
    // The derived search index stays behind unless asked for; it can be rebuilt from the evidence.
    expect((await json<QueryResult>(['case', 'query', there, 'delete'])).notIndexed).toEqual([2, 3]);
    expect((await cli(['case', 'index', there, '#2'])).code).toBe(0);
    // Statuses come from the bundle's latest run (#4, after the revocation): entries under the
    // revoked checkpoints (800, 1200) are no longer covered by a trusted signature.
    expect((await json<QueryResult>(['case', 'query', there, 'action:delete seq:0..399', '--limit', '1'])).hits[0]).toMatchObject({ evidenceId: 2, runId: 4, status: 'verified' });
    expect((await json<QueryResult>(['case', 'query', there, 'action:delete seq:400..1199', '--limit', '1'])).hits[0]).toMatchObject({ evidenceId: 2, runId: 4, status: 'unverifiable' });
  });

  it('usage errors exit 2 and change nothing', async () => {
    const before = (await json<unknown[]>(['case', 'journal', dir])).length;
    expect((await cli(['case'])).code).toBe(2);
    expect((await cli(['case', 'frobnicate', dir])).code).toBe(2);
    expect((await cli(['case', 'query'])).code).toBe(2);
    expect((await cli(['case', 'import', dir, 'no-such-file'])).code).toBe(2);
    expect((await cli(['case', 'trust', dir, 'log.vkey', '--valid-from', 'tomorrow'])).code).toBe(2);
    expect((await cli(['case', 'new', dir, '--title', 'again'])).code).toBe(2);
    expect((await cli(['case', 'verify', join(tmp, 'nowhere')])).code).toBe(2);
    expect((await cli(['verify', good.dir])).code).toBe(2);
    expect((await json<unknown[]>(['case', 'journal', dir])).length).toBe(before);
  });
});
