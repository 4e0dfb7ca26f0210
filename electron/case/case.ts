/**
 * A case: one directory holding `case.sqlite` and the evidence locker (docs/case-file.md §1).
 *
 *   <case>/case.sqlite        the case database (WAL: also -wal and -shm while open)
 *   <case>/evidence/<sha256>/  one read-only directory per evidence item, named by its digest
 *   <case>/tmp/                staging area for imports in progress (never evidence)
 *
 * createCase initialises a directory; openCase opens one, migrating its schema and recovering
 * interrupted imports and runs when opened for writing. Read-only handles never modify
 * anything (case verify, journal, runs, query use them).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { TOOL_VERSION } from '../platform/version.js';
import { CaseFile, type CaseOptions, defaultActor, EXAMINER_ENV, systemClock } from './case-file.js';

import { checkIdentity, migrate, openDatabase, schemaVersion, useWal } from './db.js';
import { assertLockerLayout, recoverLocker } from './evidence.js';
import { appendJournal, readJournal } from './journal.js';
import { CASE_DB, EVIDENCE_DIR, REPORTS_DIR, STAGING_DIR } from './layout.js';
import { recoverRuns } from './runs.js';
import { SCHEMA_VERSION } from './schema.js';

export { CaseFile, type CaseOptions, defaultActor, EXAMINER_ENV };

export interface OpenCaseOptions extends CaseOptions {
  readonly readonly?: boolean;
}

export interface NewCase {
  readonly title: string;
  readonly reference?: string;
}

/**
 * A case holds originals that may be private (a log export, a disk image): only its owner may
 * read it. The umask can only narrow this further (mkdir applies it).
 */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes the case directory 0700: created so (its parents as usual), or, when the examiner made
 * it empty beforehand, narrowed to the owner's bits of its current mode.
 */
function makePrivateDir(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
    return;
  }
  chmodSync(dir, statSync(dir).mode & PRIVATE_DIR_MODE);
}

/**
 * Creates a case in `dir`, which must not exist, be empty, or hold only an empty case.sqlite.
 * Schema, case record and the first journal row (case.created) are written in one transaction.
 */
export function createCase(dirArg: string, c: NewCase, opts: CaseOptions = {}): CaseFile {
  const dir = resolve(dirArg);
  if (c.title.trim() === '') throw new ProofdeskError('USAGE', 'a case needs a title');
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ProofdeskError('USAGE', `${dirArg} exists and is not a directory`);
    const left = readdirSync(dir).filter((n) => n !== CASE_DB);
    if (left.length > 0)
      throw new ProofdeskError('USAGE', `${dirArg} is not empty; a case is created in a new or empty directory`);
  }
  makePrivateDir(dir);
  const dbPath = join(dir, CASE_DB);
  const db = openDatabase(dbPath);
  try {
    const id = checkIdentity(db, dbPath);
    if (!id.empty) throw new ProofdeskError('USAGE', `${dirArg} already holds a case`);
    useWal(db, dbPath);
    // SQLite creates the file 0644; its -wal and -shm files copy the database file's mode.
    chmodSync(dbPath, 0o600);
    mkdirSync(join(dir, EVIDENCE_DIR), { mode: PRIVATE_DIR_MODE });
    mkdirSync(join(dir, STAGING_DIR), { mode: PRIVATE_DIR_MODE });
    mkdirSync(join(dir, REPORTS_DIR), { mode: PRIVATE_DIR_MODE });
    migrate(db);
    const actor = opts.actor ?? defaultActor();
    const at = (opts.now ?? systemClock)();
    const caseId = randomUUID();
    db.transaction(() => {
      if ((db.prepare('SELECT count(*) AS n FROM case_meta').get() as { n: number }).n > 0)
        throw new ProofdeskError('USAGE', `${dirArg} already holds a case`);
      db.prepare(
        'INSERT INTO case_meta (singleton, case_id, title, reference, created_at, created_by, tool_version) VALUES (1, ?, ?, ?, ?, ?, ?)',
      ).run(caseId, c.title, c.reference ?? null, at, actor, TOOL_VERSION);
      appendJournal(
        db,
        caseId,
        {
          action: 'case.created',
          details: {
            caseId,
            title: c.title,
            reference: c.reference ?? null,
            toolVersion: TOOL_VERSION,
            schemaVersion: SCHEMA_VERSION,
          },
        },
        { at, actor },
      );
    }).immediate();
    return new CaseFile(dir, db, false, opts);
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Opens an existing case. Writable handles migrate the schema (journaling case.migrated) and
 * run recovery (interrupted imports and runs); read-only handles change nothing and accept
 * any schema version this build knows.
 */
export function openCase(dirArg: string, opts: OpenCaseOptions = {}): CaseFile {
  const dir = resolve(dirArg);
  const dbPath = join(dir, CASE_DB);
  if (!existsSync(dbPath))
    throw new ProofdeskError('INPUT_UNREADABLE', `${dirArg} is not a case: ${CASE_DB} not found`);
  const ro = opts.readonly ?? false;
  const db = openDatabase(dbPath, { readonly: ro, mustExist: true });
  try {
    const id = checkIdentity(db, dbPath);
    if (id.empty)
      throw new ProofdeskError(
        'INPUT_MALFORMED',
        `${dirArg}: the case database is empty (the case was never initialised)`,
      );
    if (ro) return new CaseFile(dir, db, true, opts);
    useWal(db, dbPath);
    const m = migrate(db);
    const cf = new CaseFile(dir, db, false, opts);
    if (m.to !== m.from)
      cf.write(() =>
        cf.journal({ action: 'case.migrated', details: { from: m.from, to: m.to, toolVersion: TOOL_VERSION } }),
      );
    // Before anything is created or removed in them: a linked evidence/ or tmp/ refuses the case.
    assertLockerLayout(cf);
    mkdirSync(cf.path(STAGING_DIR), { recursive: true, mode: PRIVATE_DIR_MODE });
    mkdirSync(cf.path(EVIDENCE_DIR), { recursive: true, mode: PRIVATE_DIR_MODE });
    mkdirSync(cf.path(REPORTS_DIR), { recursive: true, mode: PRIVATE_DIR_MODE });
    recover(cf);
    return cf;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Repairs what a killed process can leave behind, under the case's write lock (so no live
 * import is between placing its copy and committing its row): staging directories of dead
 * importers, copies in the locker that no committed row names, and runs whose process died.
 * Anything repaired is journaled as case.recovered. Recovery deletes only what an import made
 * (recoverLocker): a link or foreign file there makes it throw PATH_UNSAFE, and the case is
 * not opened.
 */
function recover(cf: CaseFile): void {
  cf.write(() => {
    const locker = recoverLocker(cf);
    const runs = recoverRuns(cf);
    if (locker.removedStaging.length + locker.removedUnrecorded.length + runs.length > 0) {
      cf.journal({ action: 'case.recovered', details: { ...locker, interruptedRuns: runs } });
    }
  });
}

export interface CaseMeta {
  readonly caseId: string;
  readonly title: string;
  readonly reference: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly toolVersion: string;
  readonly schemaVersion: number;
}

/** The case record (title, reference, creation) and the schema version of the file. */
export function caseMeta(cf: CaseFile): CaseMeta {
  const r = cf.db.prepare('SELECT * FROM case_meta WHERE singleton = 1').get() as Record<string, unknown>;
  return {
    caseId: r.case_id as string,
    title: r.title as string,
    reference: (r.reference as string | null) ?? null,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    toolVersion: r.tool_version as string,
    schemaVersion: schemaVersion(cf.db),
  };
}

/** Journal rows, oldest first (with the exact stored details text). */
export function journalRows(
  cf: CaseFile,
  opts: { fromSeq?: number; limit?: number } = {},
): ReturnType<typeof readJournal> {
  return readJournal(cf.db, opts);
}

/** Opens a case, runs `fn`, closes it. */
export async function withCase<T>(
  dir: string,
  opts: OpenCaseOptions,
  fn: (cf: CaseFile) => T | Promise<T>,
): Promise<T> {
  const cf = openCase(dir, opts);
  try {
    return await fn(cf);
  } finally {
    cf.close();
  }
}
