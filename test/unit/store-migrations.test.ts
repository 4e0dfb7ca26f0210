/**
 * Schema versioning on real database files: migrations from an empty file, a forward
 * migration from v1 that keeps every record and journals itself, and typed errors for files
 * that are not cases or come from a newer Proofdesk.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../electron/store/case.js';
import { CASE_DB } from '../../electron/store/layout.js';
import { verifyCase } from '../../electron/store/case-verify.js';
import { checkIdentity, migrate, openDatabase, schemaVersion, useWal } from '../../electron/store/db.js';
import { importEvidence } from '../../electron/store/evidence.js';
import { listEntrySets } from '../../electron/store/entry-index.js';
import { readJournal } from '../../electron/store/journal.js';
import { CASE_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../electron/store/schema.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-migrate-');
afterAll(() => removeDir(tmp));

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
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
    expect(tables(db)).toEqual(expect.arrayContaining(['case_meta', 'journal', 'evidence', 'evidence_files', 'trusted_keys', 'key_revocations', 'runs', 'run_inputs', 'findings', 'run_coverage', 'reports', 'report_files', 'derived_tables', 'derived_block_index', 'derived_entry_sets']));
    // Idempotent: nothing left to apply.
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    // Foreign keys are enforced.
    expect(() => db.prepare("INSERT INTO run_inputs (run_id, role, evidence_id) VALUES (99, 'bundle', 99)").run()).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }) as Error);
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
    w.exec('DROP TABLE derived_tables; DROP TABLE derived_block_index; DROP TABLE derived_entry_sets;');
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

  it('refuse a database from a newer Proofdesk with UNSUPPORTED_FORMAT, without touching it', () => {
    const dir = join(tmp, 'future');
    const cf = createCase(dir, { title: 'future' }, { actor: 't' });
    cf.close();
    const db = new Database(join(dir, CASE_DB));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openCase(dir)).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }) as Error);
    expect(() => openCase(dir, { readonly: true })).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }) as Error);
    const after = new Database(join(dir, CASE_DB), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('refuse files that are not cases with typed errors', () => {
    const notSqlite = join(tmp, 'not-sqlite');
    mkdirSync(notSqlite);
    writeFileSync(join(notSqlite, CASE_DB), 'this is not a database, just some text that is long enough to have a header'.repeat(20));
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

    expect(() => openCase(join(tmp, 'does-not-exist'))).toThrowError(expect.objectContaining({ code: 'INPUT_UNREADABLE' }) as Error);
    expect(() => createCase(otherApp, { title: 'x' })).toThrowError(expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error);
    expect(readdirSync(otherApp).sort()).toEqual([CASE_DB]);
    // Not even its journal mode was changed.
    const again = new Database(join(otherApp, CASE_DB), { readonly: true });
    expect(again.pragma('journal_mode', { simple: true })).toBe('delete');
    again.close();
  });
});
