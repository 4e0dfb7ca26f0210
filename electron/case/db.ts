/**
 * Opening the SQLite file of a case: connection settings, identification and migrations.
 *
 * Every connection runs in WAL mode (readers never block the writer and see a consistent
 * snapshot), with foreign keys enforced, synchronous=FULL (a committed journal row survives
 * power loss) and a busy timeout so that two writers queue instead of failing.
 */
import { closeSync, lstatSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { openRegular } from '../platform/open-regular.js';
import { CASE_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

/** How long a writer waits for another writer's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 30_000;

export interface OpenDbOptions {
  readonly readonly?: boolean;
  /** The file must exist (always true for read-only connections). */
  readonly mustExist?: boolean;
}

/**
 * Opens a connection with the case settings. Does not migrate and does not yet switch to WAL
 * (useWal, after checkIdentity: a file that is not a case is never changed).
 */
export function openDatabase(path: string, opts: OpenDbOptions = {}): Db {
  assertRegularFiles(path);
  let db: Db;
  try {
    db = new Database(path, {
      readonly: opts.readonly ?? false,
      fileMustExist: (opts.mustExist ?? false) || (opts.readonly ?? false),
    });
  } catch (e) {
    throw new ProofdeskError('INPUT_UNREADABLE', `cannot open case database ${path}: ${(e as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reading the schema is the first access: a file that is not SQLite fails here.
    db.pragma('schema_version', { simple: true });
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    return db;
  } catch (e) {
    db.close();
    if (e instanceof ProofdeskError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new ProofdeskError('INPUT_MALFORMED', `${path} is not a SQLite database`);
    throw new ProofdeskError('INPUT_UNREADABLE', `cannot open case database ${path}: ${(e as Error).message}`);
  }
}

/**
 * SQLite opens the database, and its -wal, -shm and -journal files, without O_NONBLOCK: a
 * named pipe in their place (a case someone handed over) would block the open forever, a
 * device would be read as a database. Each that exists must be a regular file (checked on an
 * O_NONBLOCK descriptor, which never blocks), before SQLite touches any of them.
 */
function assertRegularFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (!lexists(p)) continue;
    try {
      closeSync(openRegular(p, { what: 'case database file', follow: true }).fd);
    } catch (e) {
      if (e instanceof ProofdeskError) throw new ProofdeskError('INPUT_UNREADABLE', e.message, e.detail);
      throw e;
    }
  }
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Switches a writable connection to WAL (persistent in the file). */
export function useWal(db: Db, path: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal')
    throw new ProofdeskError('INPUT_UNREADABLE', `cannot switch ${path} to WAL mode (got ${String(mode)})`);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Checks that a database is a Proofdesk case this build can read: application_id matches and
 * the schema version is not newer than SCHEMA_VERSION. A database with version 0 and no
 * tables is an empty file (not yet a case).
 */
export function checkIdentity(db: Db, path: string): { version: number; empty: boolean } {
  const version = schemaVersion(db);
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  if (version === 0) {
    if (tables > 0 || appId !== 0)
      throw new ProofdeskError('INPUT_MALFORMED', `${path} is a SQLite database but not a Proofdesk case`);
    return { version, empty: true };
  }
  if (appId !== CASE_APPLICATION_ID)
    throw new ProofdeskError(
      'INPUT_MALFORMED',
      `${path} is a SQLite database but not a Proofdesk case (application_id ${appId})`,
    );
  if (version > SCHEMA_VERSION) {
    throw new ProofdeskError(
      'UNSUPPORTED_FORMAT',
      `${path} has case schema version ${version}; this Proofdesk reads up to ${SCHEMA_VERSION}: use a newer Proofdesk`,
      { version, supported: SCHEMA_VERSION },
    );
  }
  return { version, empty: false };
}

/**
 * Applies the migrations after the current user_version, up to `target` (default: all), each
 * in one IMMEDIATE transaction together with its user_version bump, so a crash leaves the file
 * at a whole version. Returns the versions before and after.
 */
export function migrate(db: Db, target = SCHEMA_VERSION): { from: number; to: number } {
  if (target < 0 || target > SCHEMA_VERSION) throw new ProofdeskError('INTERNAL', `no schema version ${target}`);
  const from = schemaVersion(db);
  for (let v = from; v < target; v++) {
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (schemaVersion(db) !== v) return;
      if (v === 0) db.pragma(`application_id = ${CASE_APPLICATION_ID}`);
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return { from, to: Math.max(from, schemaVersion(db)) };
}

/** The id the next row of `table` gets: ids are chosen before the journal row that names them. Requires the write lock. */
export function nextId(db: Db, table: 'evidence' | 'trusted_keys' | 'key_revocations' | 'runs' | 'reports'): number {
  return (db.prepare(`SELECT ifnull(max(id), 0) + 1 AS id FROM ${table}`).get() as { id: number }).id;
}
