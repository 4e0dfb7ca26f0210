/**
 * A case someone hands over (an unpacked export, or a directory copied from elsewhere) is
 * hostile input: `case.sqlite` (or its -wal) replaced by a real FIFO, a million forged journal
 * rows, `evidence/` linked to another case's locker, report paths pointing anywhere on the
 * reader's machine. Each read-only command ends promptly with one line or a report, in bounded
 * memory, and follows nothing outside the case. Real processes, with deadlines.
 */
import { cpSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerifyResult } from '../../electron/case/case-verify.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { cliBounded, oneLine } from '../support/bounded.js';
import { caseCli } from '../support/cli.js';
import { generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';
import { makeFifo, PROMPT_MS, stopReleasers } from '../support/hostile-fs.js';

const tmp = makeTempDir('proofdesk-handover-');
const { cli, json } = caseCli(() => tmp);
let caseDir: string;
let startupMs = 0;
afterAll(() => {
  stopReleasers();
  removeDir(tmp);
});

beforeAll(async () => {
  const g = generateBundle(join(tmp, 'bundle'), 40, { checkpointEvery: 20 });
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey)}\n`);
  caseDir = join(tmp, 'case');
  expect((await cli(['case', 'new', caseDir, '--title', 'Handed over'])).code).toBe(0);
  expect((await cli(['case', 'trust', caseDir, 'log.vkey'])).code).toBe(0);
  expect((await cli(['keygen', '--out', 'examiner', '--name', 'Jane', '--no-passphrase'])).code).toBe(0);
  const r = await cli(['verify', g.dir, '--case', caseDir, '--report', 'signed', '--examiner-key', 'examiner.key']);
  expect(r.code, r.err).toBe(0);
  expect((await json<CaseVerifyResult>(['case', 'verify', caseDir])).problems).toEqual([]);
  startupMs = (await cliBounded(['--version'], { timeoutMs: 60_000 })).ms;
});

/** A copy of the case, as it was handed over. */
function copyOf(name: string): string {
  const dir = join(tmp, name);
  cpSync(caseDir, dir, { recursive: true });
  return dir;
}

/** The copy's database opened raw, as whoever forged it did, without the append-only triggers. */
function forge(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'case.sqlite'));
  db.pragma('foreign_keys = OFF');
  for (const t of ['journal', 'report_files'])
    db.exec(`DROP TRIGGER IF EXISTS ${t}_no_update; DROP TRIGGER IF EXISTS ${t}_no_delete;`);
  edit(db);
  db.close();
}

describe('a handed-over case', () => {
  for (const which of ['case.sqlite', 'case.sqlite-wal']) {
    it(`${which} replaced by a named pipe: every read-only command ends at once with one line, exit 2`, async () => {
      const dir = copyOf(`fifo-${which}`);
      rmSync(join(dir, which), { force: true });
      makeFifo(join(dir, which));
      for (const cmd of ['show', 'runs', 'journal', 'verify']) {
        const r = await cliBounded(['case', cmd, dir], { timeoutMs: 20_000 });
        expect(r.timedOut, `${cmd}: ${r.ms} ms`).toBe(false);
        expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`${which.replace('.', '\\.')} is a named pipe, not a regular file`));
        expect(oneLine(r.stderr), r.stderr).toBe(true);
        expect(r.ms, cmd).toBeLessThan(startupMs * 1.5 + PROMPT_MS);
      }
    });
  }

  it('300,000 forged journal rows: case verify streams them (bounded memory), lists 100 of each problem and counts the rest', async () => {
    const dir = copyOf('forged');
    const N = 300_000;
    forge(dir, (db) => {
      const start = (db.prepare('SELECT max(seq) AS m FROM journal').get() as { m: number }).m + 1;
      const ins = db.prepare(
        'INSERT INTO journal (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      db.transaction(() => {
        for (let i = start; i < start + N; i++)
          ins.run(
            i,
            '2026-01-01T00:00:00Z',
            'forger',
            'evidence.imported',
            `evidence:${i}`,
            JSON.stringify({ evidenceId: i, kind: 'other', digest: 'ab'.repeat(32), storedPath: `evidence/x/${i}` }),
            'cd'.repeat(32),
            'ef'.repeat(32),
          );
      })();
    });
    const r = await cliBounded(['case', 'verify', dir, '--json'], { timeoutMs: 120_000 });
    expect(r.timedOut, `${r.ms} ms`).toBe(false);
    expect(r.code, r.stderr).toBe(1);
    const v = JSON.parse(r.stdout) as CaseVerifyResult;
    expect(v.journal.rows).toBeGreaterThan(N);
    expect(v.problems.length).toBeLessThanOrEqual(300);
    expect(v.problemsOmitted).toEqual({
      JOURNAL_CHAIN_BROKEN: N - 100,
      JOURNAL_HASH_MISMATCH: N - 100,
      RECORD_MISMATCH: N - 100,
    });
    console.log(`case verify of ${N} forged rows: ${r.ms} ms, peak ${r.maxRssMiB} MiB`);
    expect(r.maxRssMiB).toBeLessThan(400);
  });

  it('evidence/ linked to another case’s locker, or one item linked: LOCKER_LINKED, not INTACT', async () => {
    const dir = copyOf('linked');
    renameSync(join(dir, 'evidence'), join(dir, 'evidence.own'));
    symlinkSync(join(caseDir, 'evidence'), join(dir, 'evidence'));
    const v = await json<CaseVerifyResult>(['case', 'verify', dir], 1);
    expect(v.problems.map((p) => p.code)).toContain('LOCKER_LINKED');
    expect(v.evidence.files).toBe(0);

    const one = copyOf('linked-item');
    const item = (await json<{ evidence: Array<{ digest: string }> }>(['case', 'show', one])).evidence[0]!.digest;
    const itemDir = join(one, 'evidence', item);
    rmSync(itemDir, { recursive: true, force: true });
    symlinkSync(join(caseDir, 'evidence', item), itemDir);
    const w = await json<CaseVerifyResult>(['case', 'verify', one], 1);
    expect(w.problems.map((p) => [p.code, p.location.path])).toContainEqual(['LOCKER_LINKED', `evidence/${item}`]);
  });

  it('report_files.path naming files outside the case (a FIFO, /etc/passwd) is never followed', async () => {
    const dir = copyOf('report-paths');
    const fifo = join(tmp, 'report.fifo');
    makeFifo(fifo);
    forge(dir, (db) => {
      const rows = db.prepare('SELECT report_id, role FROM report_files ORDER BY role').all() as Array<{
        report_id: number;
        role: string;
      }>;
      expect(rows.length).toBeGreaterThanOrEqual(2);
      const set = db.prepare('UPDATE report_files SET path = ? WHERE report_id = ? AND role = ?');
      set.run(fifo, rows[0]!.report_id, rows[0]!.role);
      set.run('/etc/passwd', rows[1]!.report_id, rows[1]!.role);
    });
    const r = await cliBounded(['case', 'verify', dir, '--json'], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.ms).toBeLessThan(startupMs * 1.5 + PROMPT_MS);
    const v = JSON.parse(r.stdout) as CaseVerifyResult;
    const outside = v.problems.filter((p) => p.code === 'REPORT_OUTSIDE_CASE').map((p) => p.location.path);
    expect(outside.sort()).toEqual(['/etc/passwd', fifo].sort());
    // The edit itself shows against the journal row that recorded the files.
    expect(v.problems.map((p) => p.code)).toContain('RECORD_MISMATCH');
    expect(v.problems.some((p) => p.code === 'REPORT_MODIFIED' || p.code === 'REPORT_MISSING')).toBe(false);
  });

  it('an export carries the reports’ copies: the unpacked case verifies them where it lands', async () => {
    const out = join(tmp, 'export.tar');
    expect((await cli(['case', 'export', caseDir, '--out', out])).code).toBe(0);
    const { execFileSync } = await import('node:child_process');
    const there = join(tmp, 'unpacked');
    execFileSync('mkdir', ['-p', there]);
    execFileSync('tar', ['-xf', out, '-C', there]);
    const v = await json<CaseVerifyResult>(['case', 'verify', join(there, 'case')]);
    expect(v).toMatchObject({ ok: true, problems: [], reports: { reports: 1, files: 3 } });
  });
});
