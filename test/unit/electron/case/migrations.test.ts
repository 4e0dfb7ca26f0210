/**
 * Schema versioning on real database files: migrations from an empty file, a forward
 * migration from v1 that keeps every record and journals itself, and typed errors for files
 * that are not cases or come from a newer Proofdesk.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import { checkIdentity, migrate, openDatabase, schemaVersion, useWal } from '../../../../electron/case/db.js';
import { listEntrySets } from '../../../../electron/case/entry-index.js';
import { importEvidence } from '../../../../electron/case/evidence.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { CASE_DB } from '../../../../electron/case/layout.js';
import { CASE_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../../../electron/case/schema.js';
import { listTrust, trustedKeysFor, trustKey } from '../../../../electron/case/trust.js';
import { makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-migrate-');
afterAll(() => removeDir(tmp));

/** Undoes v3 on a file: the role column and the grant index over it (SQLite 3.35 DROP COLUMN). */
const UNDO_V3 =
  "DROP INDEX trusted_keys_grant; ALTER TABLE trusted_keys DROP COLUMN role; CREATE UNIQUE INDEX trusted_keys_grant ON trusted_keys (fingerprint, ifnull(origin, ''));";

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
  ).map((r) => r.name);
}

describe('migrations', () => {
  it('take an empty (zero-byte) file to the current schema, one version per transaction', () => {
    const path = join(tmp, 'empty.sqlite');
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(checkIdentity(db, path)).toEqual({ version: 0, empty: true });
    useWal(db, path);
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(db.pragma('application_id', { simple: true })).toBe(CASE_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'case_meta',
        'journal',
        'evidence',
        'evidence_files',
        'trusted_keys',
        'key_revocations',
        'runs',
        'run_inputs',
        'findings',
        'run_coverage',
        'reports',
        'report_files',
        'derived_tables',
        'derived_block_index',
        'derived_entry_sets',
      ]),
    );
    // Idempotent: nothing left to apply.
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    // Foreign keys are enforced.
    expect(() =>
      db.prepare("INSERT INTO run_inputs (run_id, role, evidence_id) VALUES (99, 'bundle', 99)").run(),
    ).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }) as Error);
    db.close();
  });

  it('createCase accepts a directory holding only an empty case.sqlite', () => {
    const dir = join(tmp, 'from-empty');
    mkdirSync(dir);
    writeFileSync(join(dir, CASE_DB), '');
    const cf = createCase(dir, { title: 'from an empty file' }, { actor: 't' });
    expect(schemaVersion(cf.db)).toBe(SCHEMA_VERSION);
    expect(readJournal(cf.db).map((r) => r.action)).toEqual(['case.created']);
    cf.close();
  });

  it('move a v1 case forward to the current version, keeping its records and journaling the migration', () => {
    const dir = join(tmp, 'v1');
    const cf0 = createCase(dir, { title: 'made at v1' }, { actor: 't' });
    const x = join(tmp, 'before-migration.txt');
    writeFileSync(x, 'exhibit one');
    importEvidence(cf0, x, { kind: 'other' });
    cf0.close();
    // Turn it into the file a v1 build wrote: v1 is everything but the derived tables of v2.
    const w = new Database(join(dir, CASE_DB));
    w.exec(`${UNDO_V3} DROP TABLE derived_tables; DROP TABLE derived_block_index; DROP TABLE derived_entry_sets;`);
    w.pragma('user_version = 1');
    w.close();

    // Read-only: opens at v1 and changes nothing.
    const ro = openCase(dir, { readonly: true });
    expect(schemaVersion(ro.db)).toBe(1);
    expect(listEntrySets(ro)).toEqual([]);
    expect(verifyCase(ro).ok).toBe(true);
    ro.close();

    // Writable: migrates to the current version and journals it.
    const cf = openCase(dir, { actor: 'migrator' });
    expect(schemaVersion(cf.db)).toBe(SCHEMA_VERSION);
    const rows = readJournal(cf.db);
    expect(rows.map((r) => r.action)).toEqual(['case.created', 'evidence.imported', 'case.migrated']);
    expect(rows[2]!.details).toMatchObject({ from: 1, to: SCHEMA_VERSION });
    const f = join(tmp, 'after-migration.txt');
    writeFileSync(f, 'exhibit');
    importEvidence(cf, f, { kind: 'other' });
    expect(verifyCase(cf).ok).toBe(true);
    cf.close();
  });

  it('v3 gives every grant of an older case the log role, and lets a key be trusted again in another role', () => {
    const dir = join(tmp, 'v2');
    const cf0 = createCase(dir, { title: 'made at v2' }, { actor: 't' });
    const k = testKey('migration-key');
    trustKey(cf0, { publicKey: k.publicKey, label: 'log key', origin: 'audit.example.com/prod' });
    trustKey(cf0, { publicKey: testKey('migration-any').publicKey, label: 'any origin' });
    cf0.close();
    const w = new Database(join(dir, CASE_DB));
    w.exec(UNDO_V3);
    w.pragma('user_version = 2');
    expect(
      (w.prepare('PRAGMA table_info(trusted_keys)').all() as Array<{ name: string }>).map((c) => c.name),
    ).not.toContain('role');
    w.close();

    // Read-only at v2: no role column, every grant reads as a log grant.
    const ro = openCase(dir, { readonly: true });
    expect(schemaVersion(ro.db)).toBe(2);
    expect(listTrust(ro).map((g) => g.role)).toEqual(['log', 'log']);
    ro.close();

    const cf = openCase(dir, { actor: 'migrator' });
    expect(schemaVersion(cf.db)).toBe(SCHEMA_VERSION);
    expect(readJournal(cf.db).at(-1)).toMatchObject({
      action: 'case.migrated',
      details: { from: 2, to: SCHEMA_VERSION },
    });
    expect(
      (cf.db.prepare('SELECT role FROM trusted_keys ORDER BY id').all() as Array<{ role: string }>).map((r) => r.role),
    ).toEqual(['log', 'log']);
    expect(verifyCase(cf).ok).toBe(true);
    // The same key, same origin, now as a witness: a second grant, not a duplicate; the first stays as it was.
    const g = trustKey(cf, {
      publicKey: k.publicKey,
      label: 'as witness',
      origin: 'audit.example.com/prod',
      role: 'witness',
    });
    expect(g.role).toBe('witness');
    expect(() =>
      trustKey(cf, { publicKey: k.publicKey, label: 'again', origin: 'audit.example.com/prod', role: 'witness' }),
    ).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    expect(trustedKeysFor(cf, 'audit.example.com/prod').find((x) => x.fingerprint === g.fingerprint)?.roles).toEqual([
      'log',
      'witness',
    ]);
    expect(verifyCase(cf).ok).toBe(true);
    // The column refuses anything but the three roles, and stays append-only.
    expect(() => cf.db.prepare("UPDATE trusted_keys SET role = 'entry' WHERE id = 1").run()).toThrow(/append-only/);
    cf.close();
  });

  it('refuse a database from a newer Proofdesk with UNSUPPORTED_FORMAT, without touching it', () => {
    const dir = join(tmp, 'future');
    const cf = createCase(dir, { title: 'future' }, { actor: 't' });
    cf.close();
    const db = new Database(join(dir, CASE_DB));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openCase(dir)).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }) as Error);
    expect(() => openCase(dir, { readonly: true })).toThrowError(
      expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }) as Error,
    );
    const after = new Database(join(dir, CASE_DB), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('refuse files that are not cases with typed errors', () => {
    const notSqlite = join(tmp, 'not-sqlite');
    mkdirSync(notSqlite);
    writeFileSync(
      join(notSqlite, CASE_DB),
      'this is not a database, just some text that is long enough to have a header'.repeat(20),
    );
    expect(() => openCase(notSqlite)).toThrowError(expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error);

    const otherApp = join(tmp, 'other-app');
    mkdirSync(otherApp);
    const db = new Database(join(otherApp, CASE_DB));
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    expect(() => openCase(otherApp)).toThrowError(expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error);

    const uninitialised = join(tmp, 'uninitialised');
    mkdirSync(uninitialised);
    writeFileSync(join(uninitialised, CASE_DB), '');
    expect(() => openCase(uninitialised)).toThrowError(expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error);

    expect(() => openCase(join(tmp, 'does-not-exist'))).toThrowError(
      expect.objectContaining({ code: 'INPUT_UNREADABLE' }) as Error,
    );
    expect(() => createCase(otherApp, { title: 'x' })).toThrowError(
      expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error,
    );
    expect(readdirSync(otherApp).sort()).toEqual([CASE_DB]);
    // Not even its journal mode was changed.
    const again = new Database(join(otherApp, CASE_DB), { readonly: true });
    expect(again.pragma('journal_mode', { simple: true })).toBe('delete');
    again.close();
  });
});
