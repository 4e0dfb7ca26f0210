/**
 * The custody journal on real case files: the exact bytes hashed (checked with openssl), the
 * append-only triggers, and `case verify` finding edits made through a raw SQLite connection
 * (triggers dropped first) at the row where they were made.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaseFile, createCase, openCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import { custodyGenesis, custodyHash } from '../../../../electron/case/custody.js';
import { importEvidence } from '../../../../electron/case/evidence.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { trustKey } from '../../../../electron/case/trust.js';
import { nodeSha256 } from '../../../../electron/platform/node-hash.js';
import { concatBytes, fromHex, utf8 } from '../../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-journal-');
afterAll(() => removeDir(tmp));
let n = 0;

/** A clock that ticks one second per call, from a fixed start. */
function clock(): () => string {
  let t = Date.UTC(2026, 10, 1, 9, 0, 0);
  return () => new Date((t += 1000)).toISOString();
}

/** A case with five journal rows: created, imported, trusted, imported, trusted. */
function fiveRowCase(): { dir: string; cf: CaseFile } {
  const dir = join(tmp, `case-${n++}`);
  const cf = createCase(dir, { title: 'journal test', reference: 'J-1' }, { actor: 'examiner-a', now: clock() });
  const f1 = join(tmp, `file-${n}-a.txt`);
  writeFileSync(f1, 'first exhibit\n');
  importEvidence(cf, f1, { kind: 'other' });
  trustKey(cf, { publicKey: testKey('log').publicKey, label: 'log key', origin: 'audit.example.com/prod' });
  const f2 = join(tmp, `file-${n}-b.txt`);
  writeFileSync(f2, 'second exhibit\n');
  importEvidence(cf, f2, { kind: 'other' });
  trustKey(cf, { publicKey: testKey('witness').publicKey, label: 'witness' });
  return { dir, cf };
}

/** A raw connection, as an attacker with file access would use, with the append-only triggers gone. */
function raw(dir: string): Database.Database {
  const db = new Database(join(dir, 'case.sqlite'));
  db.pragma('foreign_keys = OFF');
  for (const t of ['journal', 'evidence', 'trusted_keys'])
    db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
  return db;
}

function check(dir: string) {
  const ro = openCase(dir, { readonly: true });
  try {
    return verifyCase(ro);
  } finally {
    ro.close();
  }
}

describe('hash chain definition', () => {
  it('row hashes are SHA-256("proofdesk-custody-v1\\n" || prev || JCS(record)), checked with openssl', () => {
    const { cf } = fiveRowCase();
    const rows = readJournal(cf.db);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.action)).toEqual([
      'case.created',
      'evidence.imported',
      'key.trusted',
      'evidence.imported',
      'key.trusted',
    ]);
    let prev = custodyGenesis(cf.caseId, nodeSha256);
    // Genesis: SHA-256 of the prefix, case id and newline, by openssl.
    const gfile = join(tmp, `genesis-${n}.bin`);
    writeFileSync(gfile, `proofdesk-custody-genesis-v1\n${cf.caseId}\n`);
    expect(execFileSync('openssl', ['dgst', '-sha256', '-r', gfile]).toString().slice(0, 64)).toBe(prev);
    for (const r of rows) {
      expect(r.prevHash).toBe(prev);
      const record = canonicalJson({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        details: r.details,
      });
      const file = join(tmp, `row-${n}-${r.seq}.bin`);
      writeFileSync(file, concatBytes(utf8('proofdesk-custody-v1\n'), fromHex(prev), utf8(record)));
      const byOpenssl = execFileSync('openssl', ['dgst', '-sha256', '-r', file]).toString().slice(0, 64);
      expect(r.hash).toBe(byOpenssl);
      // The stored details text is the canonical form itself.
      expect(r.detailsText).toBe(canonicalJson(r.details));
      prev = r.hash;
    }
    expect(cf.head()).toEqual({ seq: 5, hash: prev });
    cf.close();
  });

  it('the genesis value binds the chain to its case: the same rows in another case do not verify', () => {
    const a = custodyGenesis('case-a', nodeSha256);
    const b = custodyGenesis('case-b', nodeSha256);
    expect(a).not.toBe(b);
    const rec = {
      seq: 1,
      at: '2026-11-01T09:00:01.000Z',
      actor: 'x',
      action: 'case.created',
      subject: null,
      details: { caseId: 'case-a' },
    };
    expect(custodyHash(a, rec, nodeSha256)).not.toBe(custodyHash(b, rec, nodeSha256));
  });
});

describe('append-only triggers', () => {
  let dir: string;
  beforeEach(() => {
    const c = fiveRowCase();
    dir = c.dir;
    c.cf.close();
  });

  it('refuse UPDATE and DELETE on the journal and on records, even through a raw connection', () => {
    const db = new Database(join(dir, 'case.sqlite'));
    const attempt = (sql: string) => {
      try {
        db.exec(sql);
        return 'allowed';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(attempt("UPDATE journal SET actor = 'mallory' WHERE seq = 2")).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(attempt('DELETE FROM journal WHERE seq = 5')).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(attempt("UPDATE evidence SET digest = '00' WHERE id = 1")).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(attempt('DELETE FROM evidence_files')).toBe('allowed'); // no rows: nothing to refuse
    expect(attempt("UPDATE trusted_keys SET valid_until = '2030-01-01T00:00:00Z'")).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(attempt('DELETE FROM case_meta')).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect((db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n).toBe(5);
    db.close();
    expect(check(dir).ok).toBe(true);
  });
});

describe('case verify finds raw edits at the right row', () => {
  let dir: string;
  beforeEach(() => {
    const c = fiveRowCase();
    dir = c.dir;
    c.cf.close();
  });

  it('an intact case verifies with no problems', () => {
    const r = check(dir);
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.journal.rows).toBe(5);
    expect(r.journal.firstBreak).toBeUndefined();
  });

  it('editing a row: JOURNAL_HASH_MISMATCH at that row, nothing else in the chain', () => {
    const db = raw(dir);
    db.prepare("UPDATE journal SET actor = 'mallory' WHERE seq = 3").run();
    db.close();
    const r = check(dir);
    expect(r.ok).toBe(false);
    expect(r.journal.firstBreak).toBe(3);
    const chain = r.problems.filter((p) => p.code.startsWith('JOURNAL_'));
    expect(chain.map((p) => [p.code, p.location.journalSeq])).toEqual([['JOURNAL_HASH_MISMATCH', 3]]);
  });

  it('editing a row and recomputing its hash: the next row no longer links (JOURNAL_CHAIN_BROKEN at 4)', () => {
    const db = raw(dir);
    const row = db.prepare('SELECT * FROM journal WHERE seq = 3').get() as {
      at: string;
      action: string;
      subject: string | null;
      details: string;
      prev_hash: string;
    };
    const forged = custodyHash(
      row.prev_hash,
      {
        seq: 3,
        at: row.at,
        actor: 'mallory',
        action: row.action,
        subject: row.subject,
        details: JSON.parse(row.details) as Record<string, never>,
      },
      nodeSha256,
    );
    db.prepare("UPDATE journal SET actor = 'mallory', hash = ? WHERE seq = 3").run(forged);
    db.close();
    const r = check(dir);
    expect(r.journal.firstBreak).toBe(4);
    expect(r.problems.filter((p) => p.code.startsWith('JOURNAL_')).map((p) => [p.code, p.location.journalSeq])).toEqual(
      [['JOURNAL_CHAIN_BROKEN', 4]],
    );
    const p = r.problems.find((x) => x.code === 'JOURNAL_CHAIN_BROKEN')!;
    expect(p.actual).not.toBe(p.expected);
    expect(p.expected).toBe(forged);
  });

  it('deleting a row: JOURNAL_SEQUENCE_BROKEN and a broken link where it was', () => {
    const db = raw(dir);
    db.prepare('DELETE FROM journal WHERE seq = 2').run();
    db.close();
    const r = check(dir);
    expect(r.journal.firstBreak).toBe(2);
    expect(r.problems.filter((p) => p.code.startsWith('JOURNAL_')).map((p) => [p.code, p.location.journalSeq])).toEqual(
      [
        ['JOURNAL_SEQUENCE_BROKEN', 3],
        ['JOURNAL_CHAIN_BROKEN', 3],
      ],
    );
    // The evidence row the deleted journal row created is now unjournaled.
    expect(
      r.problems.some((p) => p.code === 'RECORD_UNJOURNALED' && p.location.table === 'evidence' && p.location.id === 1),
    ).toBe(true);
  });

  it('editing a record but not its journal row: RECORD_MISMATCH naming the field', () => {
    const db = raw(dir);
    db.prepare("UPDATE trusted_keys SET valid_until = '2030-01-01T00:00:00Z' WHERE id = 1").run();
    db.close();
    const r = check(dir);
    expect(r.ok).toBe(false);
    expect(r.problems.filter((p) => p.code.startsWith('JOURNAL_'))).toEqual([]);
    const m = r.problems.filter((p) => p.code === 'RECORD_MISMATCH');
    expect(m.map((p) => [p.location.table, p.location.id, p.location.journalSeq, p.actual, p.expected])).toEqual([
      ['trusted_keys', 1, 3, '2030-01-01T00:00:00Z', null],
    ]);
  });

  it('swapping an evidence digest in both the record and the journal details: the row no longer hashes', () => {
    const db = raw(dir);
    const j = db.prepare('SELECT details FROM journal WHERE seq = 2').get() as { details: string };
    const d = JSON.parse(j.details) as { digest: string; storedPath: string };
    const fake = 'f'.repeat(64);
    db.prepare('UPDATE journal SET details = ? WHERE seq = 2').run(canonicalJson({ ...d, digest: fake }));
    db.prepare('UPDATE evidence SET digest = ? WHERE id = 1').run(fake);
    db.close();
    const r = check(dir);
    expect(r.journal.firstBreak).toBe(2);
    expect(r.problems[0]).toMatchObject({ code: 'JOURNAL_HASH_MISMATCH', location: { journalSeq: 2 } });
    // And the locker no longer matches: the recorded path names another digest, and the real copy is unrecorded.
    expect(
      r.problems.some((p) => p.code === 'RECORD_MISMATCH' && p.location.table === 'evidence' && p.location.id === 1),
    ).toBe(true);
    expect(r.problems.filter((p) => p.code === 'EVIDENCE_UNEXPECTED_FILE').map((p) => p.location.path)).toEqual([
      `evidence/${d.storedPath.split('/')[1]}`,
    ]);
    // Recovery does not delete it (its record still names it): it is not a leftover of an interrupted import.
    const cf = openCase(dir, { actor: 'x' });
    expect(readJournal(cf.db).at(-1)!.action).not.toBe('case.recovered');
    cf.close();
  });

  it('a stored path edited to leave the locker is never followed', () => {
    const db = raw(dir);
    db.prepare("UPDATE evidence SET stored_path = 'evidence/../../../../etc/passwd' WHERE id = 1").run();
    db.close();
    const r = check(dir);
    expect(r.problems.filter((p) => p.location.table === 'evidence').map((p) => p.code)).toEqual([
      'RECORD_MISMATCH',
      'RECORD_MISMATCH',
    ]);
    expect(r.evidence.bytes).toBe('second exhibit\n'.length);
  });

  it('unparseable details: JOURNAL_DETAILS_INVALID at that row', () => {
    const db = raw(dir);
    db.prepare("UPDATE journal SET details = '{not json' WHERE seq = 4").run();
    db.close();
    const r = check(dir);
    expect(r.journal.firstBreak).toBe(4);
    expect(r.problems.filter((p) => p.code.startsWith('JOURNAL_')).map((p) => [p.code, p.location.journalSeq])).toEqual(
      [['JOURNAL_DETAILS_INVALID', 4]],
    );
  });

  it('journal rows are appended only inside a write transaction', () => {
    const cf = openCase(dir, { actor: 'x' });
    expect(() =>
      cf.journal({ action: 'case.exported', details: { destination: '/nowhere', withIndex: false } }),
    ).toThrowError(expect.objectContaining({ code: 'INTERNAL' }) as Error);
    cf.close();
  });
});
