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
import { randomBytes, randomUUID } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { TOOL_VERSION } from '../platform/version.js';
import { CaseFile, type CaseOptions, defaultActor, EXAMINER_ENV, systemClock } from './case-file.js';

import { checkIdentity, migrate, openDatabase, schemaVersion, useWal } from './db.js';
import { assertLockerLayout, recoverLocker, removeTree } from './evidence.js';
import { appendJournal, readJournal } from './journal.js';
import { CASE_DB, EVIDENCE_DIR, REPORTS_DIR, STAGING_DIR } from './layout.js';
import { ownerDead } from './owner.js';
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
 * read it. The umask can only narrow this further (mkdir applies it). The case is built in a
 * folder of this mode and renamed into place, so the case folder has it too.
 */
export const PRIVATE_DIR_MODE = 0o700;

/** The points case creation passes, in order (for crash tests: a kill at any of them leaves no half case). */
export type CreateStep = 'staging' | 'database' | 'recorded' | 'synced' | 'placed';

export interface CreateCaseOptions extends CaseOptions {
  /** Called at each step; a test's child process blocks here so that a SIGKILL lands there. */
  readonly onStep?: (step: CreateStep) => void;
}

/** Prefix of the folder a case is built in, beside its final place: `.<name>.creating-<host>-<pid>-<random>`. */
const CREATING = '.creating-';

function creatingPattern(name: string): RegExp {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${esc}\\.creating-(.+)-(\\d+)-[0-9a-f]{12}$`);
}

/** Folders of creations of `name` in `parent` whose process died (interrupted before they were placed). */
export function deadCreations(parent: string, name: string): string[] {
  if (!existsSync(parent)) return [];
  const re = creatingPattern(name);
  return readdirSync(parent).filter((n) => {
    const m = re.exec(n);
    return m !== null && ownerDead(`${m[1]}:${m[2]}`);
  });
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Is `dir` what an interrupted creation by an older Proofdesk left behind (which built the case
 * in place): at most a case.sqlite without a case record, its -wal/-shm/-journal files, and
 * empty evidence/ and tmp/ folders? Such a folder is no case and holds nothing else, so a new
 * case may replace it.
 */
function unfinishedCase(dir: string): boolean {
  const names = readdirSync(dir);
  const allowed = new Set([
    CASE_DB,
    `${CASE_DB}-wal`,
    `${CASE_DB}-shm`,
    `${CASE_DB}-journal`,
    EVIDENCE_DIR,
    STAGING_DIR,
    REPORTS_DIR,
  ]);
  if (!names.every((n) => allowed.has(n))) return false;
  for (const n of [EVIDENCE_DIR, STAGING_DIR, REPORTS_DIR]) {
    if (!names.includes(n)) continue;
    const st = lstatSync(join(dir, n));
    if (!st.isDirectory() || readdirSync(join(dir, n)).length > 0) return false;
  }
  if (!names.includes(CASE_DB)) return true;
  const dbPath = join(dir, CASE_DB);
  if (!lstatSync(dbPath).isFile()) return false;
  const db = openDatabase(dbPath, { mustExist: true });
  try {
    if (checkIdentity(db, dbPath).empty) return true;
    const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_meta'").get();
    return meta === undefined || db.prepare('SELECT 1 FROM case_meta').get() === undefined;
  } finally {
    db.close();
  }
}

/**
 * Creates a case in `dir`, which must not exist or be an empty directory (or what an
 * interrupted creation of an older Proofdesk left: see unfinishedCase). The case is built
 * beside it, in a folder of its own, and renamed into place in one step: `dir` is either no case
 * or the whole case, whenever the process is stopped. Building folders of creations whose
 * process died are removed by the next creation of the same case. Where the examiner may write
 * the empty `dir` but not its parent (a folder an administrator made for them), the case is built
 * in place: an interruption then leaves what unfinishedCase recognises, which the next creation
 * replaces.
 */
export function createCase(dirArg: string, c: NewCase, opts: CreateCaseOptions = {}): CaseFile {
  const dir = resolve(dirArg);
  if (c.title.trim() === '') throw new ProofdeskError('USAGE', 'a case needs a title');
  const parent = dirname(dir);
  const name = basename(dir);
  emptyCaseDir(dir, dirArg);
  mkdirSync(parent, { recursive: true });
  if (existsSync(dir) && !writable(parent)) {
    chmodSync(dir, statSync(dir).mode & PRIVATE_DIR_MODE);
    writeCase(dir, c, opts);
    return openCase(dir, opts);
  }
  for (const n of deadCreations(parent, name)) removeTree(join(parent, n));
  const stage = join(parent, `.${name}${CREATING}${hostname()}-${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(stage, { mode: PRIVATE_DIR_MODE });
  try {
    writeCase(stage, c, opts);
    placeCase(stage, dir, dirArg);
    opts.onStep?.('placed');
  } catch (e) {
    if (existsSync(stage)) removeTree(stage);
    throw e;
  }
  return openCase(dir, opts);
}

/** Refuses a `dir` that is not a directory or holds anything but an unfinished case, which it empties. */
function emptyCaseDir(dir: string, dirArg: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new ProofdeskError('USAGE', `${dirArg} exists and is not a directory`);
  if (readdirSync(dir).length === 0) return;
  if (!unfinishedCase(dir)) {
    const holdsCase = existsSync(join(dir, CASE_DB));
    throw new ProofdeskError(
      'USAGE',
      holdsCase
        ? `${dirArg} already holds a case`
        : `${dirArg} is not empty; a case is created in a new or empty directory`,
    );
  }
  for (const n of readdirSync(dir)) removeTree(join(dir, n));
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a whole case into the folder `root`: schema, case record and the first journal row
 * (case.created) in one transaction, the locker folders, every file fsynced.
 */
function writeCase(root: string, c: NewCase, opts: CreateCaseOptions): void {
  opts.onStep?.('staging');
  const dbPath = join(root, CASE_DB);
  const db = openDatabase(dbPath);
  try {
    checkIdentity(db, dbPath);
    useWal(db, dbPath);
    // SQLite creates the file 0644; its -wal and -shm files copy the database file's mode.
    chmodSync(dbPath, 0o600);
    for (const d of [EVIDENCE_DIR, STAGING_DIR, REPORTS_DIR]) mkdirSync(join(root, d), { mode: PRIVATE_DIR_MODE });
    migrate(db);
    opts.onStep?.('database');
    recordCreation(db, c, opts);
    opts.onStep?.('recorded');
  } finally {
    // The last connection's close checkpoints the WAL into case.sqlite.
    db.close();
  }
  for (const p of [
    join(root, EVIDENCE_DIR),
    join(root, STAGING_DIR),
    join(root, REPORTS_DIR),
    ...[dbPath].filter(existsSync),
    root,
  ])
    fsyncPath(p);
  opts.onStep?.('synced');
}

function recordCreation(db: ReturnType<typeof openDatabase>, c: NewCase, opts: CreateCaseOptions): void {
  const actor = opts.actor ?? defaultActor();
  const at = (opts.now ?? systemClock)();
  const caseId = randomUUID();
  db.transaction(() => {
    db.prepare(
      'INSERT INTO case_meta (singleton, case_id, title, reference, created_at, created_by, tool_version) VALUES (1, ?, ?, ?, ?, ?, ?)',
    ).run(caseId, c.title, c.reference ?? null, at, actor, TOOL_VERSION);
    const details = {
      caseId,
      title: c.title,
      reference: c.reference ?? null,
      toolVersion: TOOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
    };
    appendJournal(db, caseId, { action: 'case.created', details }, { at, actor });
  }).immediate();
}

/** Renames the built case onto `dir` (missing or empty: rename(2) replaces an empty directory). */
function placeCase(stage: string, dir: string, dirArg: string): void {
  try {
    renameSync(stage, dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw new ProofdeskError('USAGE', `${dirArg} is not empty; a case is created in a new or empty directory`);
    throw e;
  }
  fsyncPath(dirname(dir));
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
        `${dirArg}: the case database is empty (the case was never initialised): create it again with \`proofdesk case new\`, which replaces the unfinished one`,
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
