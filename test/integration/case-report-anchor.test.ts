/**
 * A report signed in a case carries the case's custody journal head in its signed attestation
 * (docs/report-format.md §3.1, docs/case-file.md §7), end to end through the CLI on real files:
 * `verify --case --report` writes and records it, `report verify` shows it and (with --case)
 * checks the journal against it, `case verify` compares the recorded and the attested anchor.
 * The journal is then tampered with through a raw SQLite connection, as someone with file
 * access could: an edited row, and a rewrite with every hash recomputed. The attestation keeps
 * verifying; the journal no longer matches it, and the checks say where.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerifyResult } from '../../electron/case/case-verify.js';
import { custodyHash } from '../../electron/case/custody.js';
import { nodeSha256 } from '../../electron/platform/node-hash.js';
import type { ReportVerification } from '../../electron/report/verify-report.js';
import { fromBase64 } from '../../shared/encoding/bytes.js';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { checkVerificationStatement } from '../../shared/report/predicate.js';
import { caseCli } from '../support/cli.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-case-anchor-');
const caseDir = join(tmp, 'case');
const reportDir = join(tmp, 'signed');
afterAll(() => removeDir(tmp));

const { cli, json } = caseCli(() => tmp);

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The statement inside the signed attestation. */
function attested(): {
  predicate: {
    case?: { caseId: string; reference?: string; runId?: number; journalHead: { seq: number; hash: string } };
  };
} {
  const env = JSON.parse(readFileSync(join(reportDir, 'attestation.dsse.json'), 'utf8')) as { payload: string };
  return JSON.parse(Buffer.from(fromBase64(env.payload)).toString('utf8'));
}

/** A copy of the case opened raw, as an attacker with file access would, with the journal's append-only triggers gone. */
function tamperedCopy(name: string, edit: (db: Database.Database) => void): string {
  const dir = join(tmp, name);
  cpSync(caseDir, dir, { recursive: true });
  const db = new Database(join(dir, 'case.sqlite'));
  db.pragma('foreign_keys = OFF');
  for (const t of ['journal', 'reports']) db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
  edit(db);
  db.close();
  return dir;
}

let caseId: string;
let head: { seq: number; hash: string };
/** The run and the report the signed verification recorded, as the case numbered them. */
let runId: number;
let reportId: number;
/** A journal row below the anchored head, which the tampering tests change. */
const EDITED_SEQ = 3;

beforeAll(async () => {
  const good = generateBundle(join(tmp, 'good'), 600, { checkpointEvery: 200 });
  writeFileSync(join(tmp, 'log.vkey'), encodeNoteVerifierKey(good.logKey.name, good.logKey.publicKey) + '\n');
  caseId = (await json<{ caseId: string }>(['case', 'new', caseDir, '--title', 'Incident 7', '--reference', 'INC-7']))
    .caseId;
  expect((await cli(['case', 'trust', caseDir, 'log.vkey', '--origin', ORIGIN])).code).toBe(0);
  expect((await cli(['keygen', '--out', 'examiner', '--name', 'Jane Examiner', '--no-passphrase'])).code).toBe(0);
  const r = await cli([
    'verify',
    good.dir,
    '--case',
    caseDir,
    '--workers',
    '2',
    '--report',
    reportDir,
    '--examiner-key',
    'examiner.key',
  ]);
  expect(r.code, r.err).toBe(0);
  head = attested().predicate.case!.journalHead;
  const runs = await json<Array<{ id: number }>>(['case', 'runs', caseDir]);
  expect(runs).toHaveLength(1);
  runId = runs[0]!.id;
  const signed = (
    await json<Array<{ action: string; details: { reportId?: number } }>>(['case', 'journal', caseDir])
  ).filter((j) => j.action === 'report.signed');
  expect(signed).toHaveLength(1);
  reportId = signed[0]!.details.reportId!;
  expect(EDITED_SEQ).toBeLessThan(head.seq);
});

describe('a report signed in a case', () => {
  it('carries the case, its run and the journal head in the signed attestation; the case records the same head', async () => {
    const c = attested().predicate.case!;
    expect(c).toEqual({ caseId, reference: 'INC-7', runId, journalHead: head });
    expect(checkVerificationStatement(attested())).toEqual([]);
    const journal = await json<
      Array<{ seq: number; action: string; hash: string; details: { anchoredHead?: unknown; reportId?: number } }>
    >(['case', 'journal', caseDir]);
    // The head is the row just before report.signed (after run.finished and index.built), with its real hash.
    const signed = journal.at(-1)!;
    expect(signed.action).toBe('report.signed');
    expect(signed.details.anchoredHead).toEqual(head);
    expect(head.seq).toBe(signed.seq - 1);
    expect(journal.find((j) => j.seq === head.seq)!.hash).toBe(head.hash);
    expect(journal.map((j) => j.action).slice(-4)).toEqual([
      'run.started',
      'run.finished',
      'index.built',
      'report.signed',
    ]);
    const v = await json<CaseVerifyResult>(['case', 'verify', caseDir]);
    expect(v).toMatchObject({ ok: true, problems: [] });
    // The printed report shows the anchored head (poppler reads it back).
    const text = execFileSync('pdftotext', ['-layout', join(reportDir, 'report.pdf'), '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, '');
    expect(text).toContain(head.hash);
    expect(text).toContain(caseId);
  });

  it('report verify shows the anchor, and with --case checks the journal against it', async () => {
    const plain = await json<ReportVerification>([
      'report',
      'verify',
      join(reportDir, 'report.pdf'),
      '--key',
      'examiner.pub',
    ]);
    expect(plain.verdict).toBe('PASS');
    expect(plain.attested?.case).toEqual({ caseId, reference: 'INC-7', runId, journalHead: head });
    expect(plain.checks.map((c) => c.id)).not.toContain('case-anchor');
    const human = await cli(['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub']);
    expect(human.out).toContain(head.hash);
    const withCase = await json<ReportVerification>([
      'report',
      'verify',
      join(reportDir, 'report.pdf'),
      '--key',
      'examiner.pub',
      '--case',
      caseDir,
    ]);
    expect(withCase.verdict).toBe('PASS');
    expect(withCase.checks.find((c) => c.id === 'case-anchor')).toEqual({ id: 'case-anchor', status: 'pass' });
  });

  it('an edited journal row: case verify finds it at that row; report verify --case fails and names it; the attestation still verifies', async () => {
    const dir = tamperedCopy('edited', (db) =>
      db.prepare("UPDATE journal SET actor = 'mallory' WHERE seq = ?").run(EDITED_SEQ),
    );
    const v = await json<CaseVerifyResult>(['case', 'verify', dir], 1);
    expect(v.journal.firstBreak).toBe(EDITED_SEQ);
    expect(v.problems.filter((p) => p.code.startsWith('JOURNAL_')).map((p) => [p.code, p.location.journalSeq])).toEqual(
      [['JOURNAL_HASH_MISMATCH', EDITED_SEQ]],
    );
    const r = await json<ReportVerification>(
      ['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub', '--case', dir],
      1,
    );
    expect(r.verdict).toBe('FAIL');
    expect(
      r.findings.map((f) => [f.code, f.evidence?.journalSeq, f.evidence?.firstChangedRow, f.evidence?.expected]),
    ).toEqual([['REPORT_ANCHOR_MISMATCH', head.seq, EDITED_SEQ, head.hash]]);
    expect(
      (await json<ReportVerification>(['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub']))
        .verdict,
    ).toBe('PASS');
  });

  it('a journal rewritten with every hash recomputed: only the anchor shows it, in case verify and in report verify --case', async () => {
    const dir = tamperedCopy('rewritten', (db) => {
      // Change one row, then recompute every later row, and make the report's records agree with
      // the new chain: the journal is internally consistent again.
      const rows = db.prepare('SELECT * FROM journal ORDER BY seq').all() as Row[];
      const from = rows.findIndex((r) => r.seq === EDITED_SEQ);
      let prev = rows[from - 1]!.hash;
      const newHash = new Map<number, string>();
      for (const r of rows.slice(from)) {
        const details = JSON.parse(r.details) as Record<string, unknown>;
        if (r.action === 'report.signed') details.anchoredHead = { seq: head.seq, hash: newHash.get(head.seq) };
        const actor = r.seq === EDITED_SEQ ? 'mallory' : r.actor;
        const hash = custodyHash(
          prev,
          { seq: r.seq, at: r.at, actor, action: r.action, subject: r.subject, details: details as never },
          nodeSha256,
        );
        db.prepare('UPDATE journal SET actor = ?, details = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
          actor,
          canonicalJson(details),
          prev,
          hash,
          r.seq,
        );
        newHash.set(r.seq, hash);
        prev = hash;
      }
      db.prepare('UPDATE reports SET anchored_hash = ? WHERE id = ?').run(newHash.get(head.seq), reportId);
    });
    const v = await json<CaseVerifyResult>(['case', 'verify', dir], 1);
    expect(v.journal.firstBreak).toBeUndefined();
    expect(v.problems.map((p) => [p.code, p.location.table, p.location.id, p.location.journalSeq])).toEqual([
      ['REPORT_ATTESTATION_MISMATCH', 'reports', reportId, head.seq],
      ['REPORT_ANCHOR_MISMATCH', 'reports', reportId, head.seq],
    ]);
    const anchorProblem = v.problems.find((p) => p.code === 'REPORT_ANCHOR_MISMATCH')!;
    expect(anchorProblem.expected).toBe(head.hash);
    expect(anchorProblem.actual).not.toBe(head.hash);
    const r = await json<ReportVerification>(
      ['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub', '--case', dir],
      1,
    );
    expect(r.findings.map((f) => [f.code, f.evidence?.journalSeq, f.evidence?.firstChangedRow])).toEqual([
      ['REPORT_ANCHOR_MISMATCH', head.seq, null],
    ]);
    expect(r.checks.find((c) => c.id === 'case-anchor')?.status).toBe('fail');
  });

  it('a journal cut below the anchored row fails report verify --case', async () => {
    const dir = tamperedCopy('cut', (db) => db.prepare('DELETE FROM journal WHERE seq >= ?').run(head.seq));
    const r = await json<ReportVerification>(
      ['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub', '--case', dir],
      1,
    );
    expect(r.findings.map((f) => [f.code, f.evidence?.actual])).toEqual([['REPORT_ANCHOR_MISMATCH', null]]);
  });

  it('another case, or a report not signed in a case, is named as such', async () => {
    const other = join(tmp, 'other-case');
    expect((await cli(['case', 'new', other, '--title', 'Another'])).code).toBe(0);
    const r = await json<ReportVerification>(
      ['report', 'verify', join(reportDir, 'report.pdf'), '--key', 'examiner.pub', '--case', other],
      1,
    );
    expect(r.findings.map((f) => f.code)).toEqual(['REPORT_CASE_MISMATCH']);
    // A report signed outside any case: nothing to compare, so not PASS.
    const loose = join(tmp, 'loose');
    expect(
      (
        await cli([
          'verify',
          join(tmp, 'good'),
          '--trust',
          'log.vkey',
          '--workers',
          '2',
          '--report',
          loose,
          '--examiner-key',
          'examiner.key',
        ])
      ).code,
    ).toBe(0);
    const n = await json<ReportVerification>(
      ['report', 'verify', join(loose, 'report.pdf'), '--key', 'examiner.pub', '--case', caseDir],
      3,
    );
    expect(n.verdict).toBe('INCONCLUSIVE');
    expect(n.findings.map((f) => f.code)).toEqual(['REPORT_NOT_ANCHORED']);
  });

  it('a malformed anchor in a statement is a schema problem with its path', () => {
    const s = attested() as { predicate: { case: { journalHead: { hash: string } } } };
    s.predicate.case.journalHead.hash = 'not-hex';
    expect(checkVerificationStatement(s).map((p) => p.path)).toEqual(['$.predicate.case.journalHead.hash']);
  });
});
