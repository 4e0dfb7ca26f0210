/**
 * The evidence locker: crash-safe, content-addressed import of files and bundle directories
 * (docs/case-file.md §3).
 *
 * Import protocol, in this order:
 *   1. the original is opened read-only (never written, never renamed) and copied into a
 *      private staging directory under <case>/tmp/, hashing the bytes as they are written;
 *      the original's size and mtime are checked again afterwards (a file that changed while
 *      being copied is refused);
 *   2. every staged file and directory is fsynced and made read-only;
 *   3. the case write lock is taken (BEGIN IMMEDIATE); if the digest is already in the case
 *      the staging copy is dropped and the new presentation is journaled;
 *   4. the staging directory is renamed to evidence/<digest> (atomic) and the parent fsynced;
 *   5. the evidence row(s) and the journal row are inserted and committed together.
 * A crash before 4 leaves only staging; between 4 and 5 a copy no row names. Both are removed
 * by recovery (recoverLocker) under the write lock the next time the case is opened for
 * writing, so the case holds either the whole import or none of it.
 */
import { randomBytes } from 'node:crypto';
import {
  type BigIntStats,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type TreeFile as SharedTreeFile, treeDigest as sharedTreeDigest } from '../../shared/bundle/tree-digest.js';
import type { EvidenceContainer, EvidenceKind, EvidenceRecord } from '../../shared/protocol/case-records.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type PrivateKeyHit, PrivateKeyScanner, proofdeskKeyFile } from '../keys/private-key-scan.js';
import { parseTrustedKeyText } from '../keys/trust-files.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { openRegular } from '../platform/open-regular.js';
import { readTarIndex, type TarMember } from '../platform/tar.js';
import type { CaseFile } from './case-file.js';
import { nextId } from './db.js';
import { copyAndHash } from './hashing-copy.js';
import { EVIDENCE_DIR, REPORTS_DIR, STAGING_DIR } from './layout.js';
import { ownerDead } from './owner.js';

/**
 * Stored evidence is read-only and private to the case's owner, whatever the original's mode:
 * an original readable only by its owner must not become readable by everyone in the locker.
 */
export const STORED_FILE_MODE = 0o400;
export const STORED_DIR_MODE = 0o500;
export const MAX_TREE_FILES = 100_000;
const MAX_KEY_BYTES = 64 * 1024;
const STAGING_PREFIX = 'import-';

export type { EvidenceRecord };

export interface TreeFile extends SharedTreeFile {
  /** '/'-separated path relative to the directory. */
  readonly path: string;
  readonly originalMtime?: string | null;
}

export type ImportProgress =
  | { readonly stage: 'copy'; readonly bytesDone: number; readonly bytesTotal: number }
  | { readonly stage: 'staged'; readonly digest: string }
  | { readonly stage: 'placed'; readonly digest: string }
  | { readonly stage: 'committed'; readonly evidenceId: number; readonly duplicate: boolean };

export interface ImportOptions {
  /** What the item is; detected when absent (detectKind). */
  readonly kind?: EvidenceKind;
  readonly label?: string;
  /**
   * Called synchronously at each stage and during the copy (at most once per chunk). The
   * 'placed' call happens while the write transaction is open: the copy is in the locker and
   * its row is not yet committed.
   */
  readonly onProgress?: (p: ImportProgress) => void;
}

export interface ImportResult {
  readonly evidence: EvidenceRecord;
  /** The same content was already in the case: nothing was copied, the presentation was journaled. */
  readonly duplicate: boolean;
}

/** The digest of a directory (shared/bundle/tree-digest.ts), with node:crypto's SHA-256. */
export function treeDigest(files: readonly TreeFile[]): string {
  return sharedTreeDigest(files, nodeSha256);
}

/** RFC 3339 UTC with nanoseconds, from a bigint stat. */
export function mtimeOf(st: BigIntStats): string {
  const ns = st.mtimeNs;
  const sec = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${base}.${frac.toString().padStart(9, '0')}Z`;
}

/**
 * Guesses what an item is: a bundle (directory with manifest.json, or a tar holding one), a
 * public key, or other. Anything but a directory or a regular file (a named pipe, a device) is
 * refused here, before anything blocks reading it.
 */
export function detectKind(path: string): EvidenceKind {
  const st = statSync(path);
  if (st.isDirectory()) return existsSync(join(path, 'manifest.json')) ? 'bundle' : 'other';
  const { fd, size } = openRegular(path, { what: 'evidence', follow: true });
  closeSync(fd);
  if (size <= MAX_KEY_BYTES) {
    try {
      parseTrustedKeyText(readSmall(path, MAX_KEY_BYTES).toString('utf8'), basename(path));
      return 'key';
    } catch {
      // not a key; fall through
    }
  }
  try {
    if (readTarIndex(path, 100_000).some((m) => m.name === 'manifest.json')) return 'bundle';
  } catch {
    // not a tar
  }
  return 'other';
}

/** The first `max` bytes of a regular file (read from the descriptor that was checked). */
function readSmall(path: string, max: number): Buffer {
  const { fd } = openRegular(path, { what: 'evidence', follow: true, noatime: true });
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Private key material never enters a locker, whatever the item's kind: only public keys belong
 * in a case (and in its export). `where` names the file (and the archive member) for the examiner.
 */
function privateKeyRefusal(where: string, hit: PrivateKeyHit): ProofdeskError {
  return new ProofdeskError(
    'USAGE',
    `${where} holds ${hit.what}${hit.offset > 0 ? ` at byte ${hit.offset}` : ''}; private keys are never imported into a case (import or trust the public key instead); nothing was imported`,
    { reason: 'PRIVATE_KEY', file: where },
  );
}

/**
 * A private key in a staged tar archive: the member a scan hit lies in, or a member that is a
 * whole Proofdesk key file (JSON, so no marker for the scan). Not a tar: undefined.
 */
function privateKeyInTar(
  staged: string,
  hit: PrivateKeyHit | undefined,
): { member: string; hit: PrivateKeyHit } | undefined {
  let members: TarMember[];
  try {
    members = readTarIndex(staged);
  } catch {
    return undefined;
  }
  if (hit) {
    const m = members.find((x) => x.type === '0' && hit.offset >= x.offset && hit.offset < x.offset + x.size);
    return {
      member: m?.name ?? `(header at byte ${hit.offset})`,
      hit: { ...hit, offset: m ? hit.offset - m.offset : hit.offset },
    };
  }
  const { fd } = openRegular(staged, { what: 'staged copy' });
  try {
    const head = Buffer.alloc(16);
    for (const m of members) {
      if (m.type !== '0' || m.size === 0 || m.size > MAX_KEY_BYTES) continue;
      const n = readSync(fd, head, 0, Math.min(head.length, m.size), m.offset);
      if (!head.toString('latin1', 0, n).trimStart().startsWith('{')) continue;
      const bytes = Buffer.alloc(m.size);
      readSync(fd, bytes, 0, m.size, m.offset);
      const what = proofdeskKeyFile(bytes);
      if (what) return { member: m.name, hit: { offset: 0, what } };
    }
  } finally {
    closeSync(fd);
  }
  return undefined;
}

// ── staging ───────────────────────────────────────────────────────────────────────────────

interface Staged {
  readonly dir: string;
  readonly name: string;
  readonly container: EvidenceContainer;
  readonly digest: string;
  readonly size: number;
  readonly files: TreeFile[];
  readonly originalMtime: string;
}

/** True when something (even a dangling link) has this name. */
export function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function stagingName(): string {
  return `${STAGING_PREFIX}${hostname()}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies one open file to `dest` (hashing and scanning for private keys what is written),
 * fsyncs it and makes it read-only.
 */
function copyFile(
  srcFd: number,
  dest: string,
  expectedSize: number,
  progress: (n: number) => void,
): { digest: string; size: number; privateKey: PrivateKeyHit | undefined } {
  const scan = new PrivateKeyScanner();
  const r = copyAndHash(srcFd, dest, expectedSize, progress, (c) => scan.push(c));
  chmodSync(dest, STORED_FILE_MODE);
  return { ...r, privateKey: scan.finish() };
}

function sameStat(a: BigIntStats, b: BigIntStats): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
}

/**
 * Opens an original read-only: a regular file only (a named pipe would block the import), never
 * through a link inside a directory being imported (`follow` is for the path the examiner gave),
 * and with O_NOATIME where the kernel allows it, so even the access time stays unchanged.
 */
function openOriginal(path: string, follow: boolean): { fd: number; st: BigIntStats } {
  const f = openRegular(path, { what: 'original', follow, noatime: true });
  return { fd: f.fd, st: f.stat };
}

// Names are stored and hashed as text: refuse characters that would make that ambiguous.
const BAD_NAME = /[\u0000-\u001f\u007f]/;

/** Lists the regular files under `root` (sorted), refusing links, special files and odd names. */
function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const d of entries) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (BAD_NAME.test(d.name))
        throw new ProofdeskError(
          'INPUT_MALFORMED',
          `${JSON.stringify(p)} has a control character in its name; archive the directory (tar) and import the archive`,
        );
      if (d.isSymbolicLink())
        throw new ProofdeskError(
          'INPUT_MALFORMED',
          `${p} is a symbolic link; links are never followed or copied: archive the directory as tar (which records the link) and import the archive`,
        );
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) {
        out.push(p);
        if (out.length > MAX_TREE_FILES)
          throw new ProofdeskError('INPUT_TOO_LARGE', `${root} holds more than ${MAX_TREE_FILES} files`);
      } else throw new ProofdeskError('INPUT_MALFORMED', `${p} is not a regular file or directory`);
    }
  };
  walk('');
  return out;
}

function stage(cf: CaseFile, source: string, onProgress?: (p: ImportProgress) => void): Staged {
  const st = statSync(source);
  const name = basename(source) || 'root';
  const dir = cf.path(STAGING_DIR, stagingName());
  mkdirSync(dir, { mode: 0o700 });
  try {
    if (st.isFile()) return stageFile(source, dir, name, onProgress);
    if (!st.isDirectory()) throw new ProofdeskError('INPUT_UNREADABLE', `${source} is not a file or directory`);
    return stageDirectory(source, dir, name, onProgress);
  } catch (e) {
    removeTree(dir);
    throw withPath(e, source, cf.dir);
  }
}

/** Bytes copied so far in one import, reported after every chunk; one callback for every file copied. */
class CopyProgress {
  done = 0;
  readonly add: (n: number) => void;

  constructor(total: number, onProgress: ((p: ImportProgress) => void) | undefined) {
    this.add = (n) => {
      this.done += n;
      onProgress?.({ stage: 'copy', bytesDone: this.done, bytesTotal: total });
    };
  }
}

function changedWhileImported(path: string): ProofdeskError {
  return new ProofdeskError('INPUT_UNREADABLE', `${path} changed while it was being imported; nothing was imported`);
}

/** Copies one regular file into staging as `<dir>/<name>`, refusing it if it changed or holds a private key. */
function stageFile(
  source: string,
  dir: string,
  name: string,
  onProgress: ((p: ImportProgress) => void) | undefined,
): Staged {
  const { fd, st: before } = openOriginal(source, true);
  try {
    const total = Number(before.size);
    const copied = copyFile(fd, join(dir, name), total, new CopyProgress(total, onProgress).add);
    if (!sameStat(before, fstatSync(fd, { bigint: true })) || copied.size !== total) {
      throw changedWhileImported(source);
    }
    const inTar = privateKeyInTar(join(dir, name), copied.privateKey);
    if (inTar) throw privateKeyRefusal(`${source} (archive member ${inTar.member})`, inTar.hit);
    if (copied.privateKey) throw privateKeyRefusal(source, copied.privateKey);
    fsyncPath(dir);
    return {
      dir,
      name,
      container: 'file',
      digest: copied.digest,
      size: copied.size,
      files: [],
      originalMtime: mtimeOf(before),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies a directory's regular files into staging under `<dir>/<name>`, then seals the copy
 * read-only; refused if any file, or the set of files, changed meanwhile.
 */
function stageDirectory(
  source: string,
  dir: string,
  name: string,
  onProgress: ((p: ImportProgress) => void) | undefined,
): Staged {
  const rootSt = statSync(source, { bigint: true });
  const paths = listTree(source);
  if (paths.length === 0) throw new ProofdeskError('USAGE', `${source} holds no files`);
  // One file open at a time: a bundle directory may hold up to MAX_TREE_FILES files.
  let total = 0;
  for (const p of paths) total += statSync(join(source, p)).size;
  const progress = new CopyProgress(total, onProgress);
  const files: TreeFile[] = [];
  const madeDirs = new Set<string>();
  for (const p of paths) files.push(stageTreeFile(source, p, join(dir, name), madeDirs, progress));
  if (listTree(source).join('\n') !== paths.join('\n')) throw changedWhileImported(source);
  // Deepest first: a directory's entries are durable before the directory is sealed read-only.
  for (const d of [...madeDirs, join(dir, name)].sort((a, b) => b.length - a.length)) {
    fsyncPath(d);
    chmodSync(d, STORED_DIR_MODE);
  }
  fsyncPath(dir);
  return {
    dir,
    name,
    container: 'directory',
    digest: treeDigest(files),
    size: progress.done,
    files,
    originalMtime: mtimeOf(rootSt),
  };
}

/** Copies the file at `p` (relative to `source`) to the same path under `root`, making its directories once. */
function stageTreeFile(
  source: string,
  p: string,
  root: string,
  madeDirs: Set<string>,
  progress: CopyProgress,
): TreeFile {
  const { fd, st: before } = openOriginal(join(source, p), false);
  try {
    const destDir = join(root, ...p.split('/').slice(0, -1));
    if (!madeDirs.has(destDir)) {
      mkdirSync(destDir, { recursive: true, mode: 0o700 });
      madeDirs.add(destDir);
    }
    const c = copyFile(fd, join(root, ...p.split('/')), Number(before.size), progress.add);
    if (!sameStat(before, fstatSync(fd, { bigint: true })) || c.size !== Number(before.size)) {
      throw changedWhileImported(join(source, p));
    }
    if (c.privateKey) throw privateKeyRefusal(join(source, p), c.privateKey);
    return { path: p, size: c.size, digest: c.digest, originalMtime: mtimeOf(before) };
  } finally {
    closeSync(fd);
  }
}

/**
 * A read or write that failed in the copy carries no path (read(2) and write(2) name none):
 * a failed read names the original, anything else the case being written.
 */
function withPath(e: unknown, source: string, caseDir: string): unknown {
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') {
    const x = e as NodeJS.ErrnoException;
    x.path ??= x.syscall === 'read' ? source : caseDir;
  }
  return e;
}

/**
 * Removes a directory tree that may hold read-only directories, without following any link:
 * a link is removed as a name, never descended into, and nothing is chmod'ed through one.
 */
export function removeTree(path: string): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isDirectory()) {
    unlinkSync(path);
    return;
  }
  // fchmod on a descriptor opened with O_NOFOLLOW: a directory swapped for a link is not followed.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    fchmodSync(fd, 0o700);
  } finally {
    closeSync(fd);
  }
  for (const n of readdirSync(path)) removeTree(join(path, n));
  rmdirSync(path);
}

/**
 * Refuses a case whose evidence/ or tmp/ is a symbolic link, not a directory, or resolves
 * outside the case directory: recovery and import delete and create inside them, and through a
 * link they would do so in another directory (another case's locker).
 */
export function assertLockerLayout(cf: CaseFile): void {
  const realCase = realpathSync(cf.dir);
  for (const name of [EVIDENCE_DIR, STAGING_DIR, REPORTS_DIR]) {
    const p = cf.path(name);
    let l: Stats;
    try {
      l = lstatSync(p);
    } catch {
      continue; // created as a directory by the caller
    }
    if (l.isSymbolicLink())
      throw new ProofdeskError(
        'PATH_UNSAFE',
        `${p} is a symbolic link; a case's ${name}/ must be a directory inside the case (refused: nothing was changed)`,
        { reason: 'LOCKER_LINK' },
      );
    if (!l.isDirectory())
      throw new ProofdeskError('PATH_UNSAFE', `${p} is not a directory (refused: nothing was changed)`, {
        reason: 'LOCKER_NOT_DIRECTORY',
      });
    if (realpathSync(p) !== join(realCase, name))
      throw new ProofdeskError(
        'PATH_UNSAFE',
        `${p} resolves outside the case directory (refused: nothing was changed)`,
        { reason: 'LOCKER_OUTSIDE' },
      );
  }
}

/**
 * Requires `path` to look like something an import made: a real directory (not a link) inside
 * `parent`, holding only directories and regular files with one name each. A link, a named
 * pipe, a device or a hard-linked file there was put by someone else: recovery does not delete it.
 */
export function assertOwnTree(path: string, parent: string): void {
  const root = lstatSync(path);
  if (root.isSymbolicLink())
    throw new ProofdeskError(
      'PATH_UNSAFE',
      `${path} is a symbolic link, not a leftover of an interrupted import; recovery refused (nothing was removed)`,
      { reason: 'RECOVERY_LINK' },
    );
  if (!root.isDirectory())
    throw new ProofdeskError(
      'PATH_UNSAFE',
      `${path} is not a directory an import made; recovery refused (nothing was removed)`,
      { reason: 'RECOVERY_FOREIGN' },
    );
  if (realpathSync(path) !== join(realpathSync(parent), basename(path)))
    throw new ProofdeskError(
      'PATH_UNSAFE',
      `${path} resolves outside the case; recovery refused (nothing was removed)`,
      { reason: 'RECOVERY_OUTSIDE' },
    );
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      const l = lstatSync(p);
      if (l.isDirectory()) walk(p);
      else if (!l.isFile())
        throw new ProofdeskError(
          'PATH_UNSAFE',
          `${p} is ${l.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, which no import makes; recovery refused (nothing was removed)`,
          { reason: l.isSymbolicLink() ? 'RECOVERY_LINK' : 'RECOVERY_FOREIGN' },
        );
      else if (l.nlink > 1)
        throw new ProofdeskError(
          'PATH_UNSAFE',
          `${p} has other hard links, which no import makes; recovery refused (nothing was removed)`,
          { reason: 'RECOVERY_FOREIGN' },
        );
    }
  };
  walk(path);
}

// ── rows ──────────────────────────────────────────────────────────────────────────────────

interface EvidenceRow {
  id: number;
  kind: EvidenceKind;
  container: EvidenceContainer;
  digest: string;
  size: number;
  file_count: number;
  stored_path: string;
  original_path: string;
  original_mtime: string | null;
  imported_at: string;
  imported_by: string;
  label: string | null;
  journal_seq: number;
}

function toRecord(r: EvidenceRow): EvidenceRecord {
  return {
    id: r.id,
    kind: r.kind,
    container: r.container,
    digest: r.digest,
    size: r.size,
    fileCount: r.file_count,
    storedPath: r.stored_path,
    originalPath: r.original_path,
    originalMtime: r.original_mtime,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    label: r.label,
    journalSeq: r.journal_seq,
  };
}

export function listEvidence(cf: CaseFile): EvidenceRecord[] {
  return (cf.db.prepare('SELECT * FROM evidence ORDER BY id').all() as EvidenceRow[]).map(toRecord);
}

export function getEvidence(cf: CaseFile, id: number): EvidenceRecord | undefined {
  const r = cf.db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as EvidenceRow | undefined;
  return r && toRecord(r);
}

export function findEvidenceByDigest(cf: CaseFile, digest: string): EvidenceRecord | undefined {
  const r = cf.db.prepare('SELECT * FROM evidence WHERE digest = ?').get(digest) as EvidenceRow | undefined;
  return r && toRecord(r);
}

/** Members of a directory item, sorted by path. */
export function evidenceFiles(cf: CaseFile, evidenceId: number): TreeFile[] {
  return (
    cf.db
      .prepare('SELECT path, size, digest, original_mtime FROM evidence_files WHERE evidence_id = ? ORDER BY path')
      .all(evidenceId) as Array<{ path: string; size: number; digest: string; original_mtime: string | null }>
  ).map((r) => ({
    path: r.path,
    size: r.size,
    digest: r.digest,
    originalMtime: r.original_mtime,
  }));
}

/** Resolves an evidence reference given on a command line: an id ("3" or "#3") or a digest prefix of 8+ hex digits. */
export function resolveEvidence(cf: CaseFile, ref: string): EvidenceRecord {
  const m = /^#?(\d+)$/.exec(ref);
  if (m) {
    const e = getEvidence(cf, Number(m[1]));
    if (!e) throw new ProofdeskError('USAGE', `no evidence #${m[1]} in this case`);
    return e;
  }
  if (/^[0-9a-f]{8,64}$/.test(ref)) {
    const rows = cf.db
      .prepare('SELECT * FROM evidence WHERE digest LIKE ? ORDER BY id')
      .all(`${ref}%`) as EvidenceRow[];
    if (rows.length === 1) return toRecord(rows[0]!);
    if (rows.length > 1)
      throw new ProofdeskError('USAGE', `digest prefix ${ref} matches ${rows.length} evidence items`);
  }
  throw new ProofdeskError(
    'USAGE',
    `no evidence ${JSON.stringify(ref)} in this case (give its number or a digest prefix)`,
  );
}

// ── import ────────────────────────────────────────────────────────────────────────────────

/**
 * Imports a file or directory into the case (protocol in the module comment). The original is
 * only ever opened for reading. Same content already in the case: the existing record is
 * returned with `duplicate: true` and the new presentation is journaled.
 */
export function importEvidence(cf: CaseFile, sourceArg: string, opts: ImportOptions = {}): ImportResult {
  const source = resolve(sourceArg);
  if (!existsSync(source)) throw new ProofdeskError('INPUT_UNREADABLE', `not found: ${sourceArg}`);
  assertLockerLayout(cf);
  const kind = opts.kind ?? detectKind(source);
  const isDir = statSync(source).isDirectory();
  if (kind === 'key' && isDir) throw new ProofdeskError('USAGE', `${sourceArg} is a directory, not a key file`);
  const staged = stage(cf, source, opts.onProgress);
  opts.onProgress?.({ stage: 'staged', digest: staged.digest });
  let result: ImportResult | undefined;
  try {
    result = cf.write(() => {
      const existing = findEvidenceByDigest(cf, staged.digest);
      if (existing) return presentedAgain(cf, existing, source, staged);
      placeStaged(cf, staged, opts.onProgress);
      const id = recordImport(cf, staged, source, kind, opts.label ?? null);
      return { evidence: getEvidence(cf, id)!, duplicate: false };
    });
  } finally {
    // Only a duplicate (or a failure before the rename) leaves the staging copy behind.
    if (existsSync(staged.dir)) removeTree(staged.dir);
  }
  fsyncPath(cf.path(STAGING_DIR));
  opts.onProgress?.({ stage: 'committed', evidenceId: result.evidence.id, duplicate: result.duplicate });
  return result;
}

/** Content already in the case: the new presentation of it is journaled, nothing is stored. */
function presentedAgain(cf: CaseFile, existing: EvidenceRecord, source: string, staged: Staged): ImportResult {
  cf.journal({
    action: 'evidence.presented',
    details: {
      evidenceId: existing.id,
      digest: existing.digest,
      originalPath: source,
      originalMtime: staged.originalMtime,
    },
  });
  return { evidence: existing, duplicate: true };
}

/** Renames the staged copy to evidence/<digest> (under the write lock) and seals it read-only. */
function placeStaged(cf: CaseFile, staged: Staged, onProgress: ((p: ImportProgress) => void) | undefined): void {
  const target = cf.path(EVIDENCE_DIR, staged.digest);
  // A copy an interrupted import left (the lock we hold proves it is not live): replace it.
  // Anything else at that name is not ours to delete.
  if (lexists(target)) {
    if (!interruptedCopies(cf).includes(staged.digest))
      throw new ProofdeskError(
        'INPUT_MALFORMED',
        `${EVIDENCE_DIR}/${staged.digest} exists but is not a leftover of an interrupted import; run proofdesk case verify`,
      );
    assertOwnTree(target, cf.path(EVIDENCE_DIR));
    removeTree(target);
  }
  renameSync(staged.dir, target);
  fsyncPath(cf.path(EVIDENCE_DIR));
  chmodSync(target, STORED_DIR_MODE);
  onProgress?.({ stage: 'placed', digest: staged.digest });
}

/** Journals the import and inserts its evidence rows (in the open write transaction); returns the new id. */
function recordImport(cf: CaseFile, staged: Staged, source: string, kind: EvidenceKind, label: string | null): number {
  const storedPath = `${EVIDENCE_DIR}/${staged.digest}/${staged.name}`;
  const at = cf.now();
  const fileCount = staged.container === 'file' ? 1 : staged.files.length;
  const id = nextId(cf.db, 'evidence');
  const j = cf.journal(
    {
      action: 'evidence.imported',
      details: {
        evidenceId: id,
        kind,
        container: staged.container,
        digest: staged.digest,
        size: staged.size,
        fileCount,
        storedPath,
        originalPath: source,
        originalMtime: staged.originalMtime,
        label,
      },
    },
    at,
  );
  cf.db
    .prepare(
      'INSERT INTO evidence (id, kind, container, digest, size, file_count, stored_path, original_path, original_mtime, imported_at, imported_by, label, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      id,
      kind,
      staged.container,
      staged.digest,
      staged.size,
      fileCount,
      storedPath,
      source,
      staged.originalMtime,
      at,
      cf.actor,
      label,
      j.seq,
    );
  const ins = cf.db.prepare(
    'INSERT INTO evidence_files (evidence_id, path, size, digest, original_mtime) VALUES (?, ?, ?, ?, ?)',
  );
  for (const f of staged.files) ins.run(id, f.path, f.size, f.digest, f.originalMtime ?? null);
  return id;
}

const STORED_PATH = /^evidence\/([0-9a-f]{64})\/([^/]+)$/;

/**
 * Absolute path of an item's stored copy. The recorded path must have the locker's shape
 * (evidence/<its digest>/<one name>): a row edited to point elsewhere is never followed.
 */
export function storedPathOf(cf: CaseFile, e: EvidenceRecord): string {
  return storedPathIn(cf.dir, e);
}

/** storedPathOf for a case known by its directory (a handle already closed). */
export function storedPathIn(caseDir: string, e: Pick<EvidenceRecord, 'id' | 'digest' | 'storedPath'>): string {
  const m = STORED_PATH.exec(e.storedPath);
  if (!m || m[1] !== e.digest || m[2] === '.' || m[2] === '..') {
    throw new ProofdeskError(
      'INPUT_MALFORMED',
      `evidence #${e.id}: recorded path ${JSON.stringify(e.storedPath)} is not evidence/<digest>/<name> (the case was edited)`,
    );
  }
  return join(caseDir, EVIDENCE_DIR, m[1]!, m[2]!);
}

// ── recovery ──────────────────────────────────────────────────────────────────────────────

/** Staging directory names whose importer or exporter is known to be dead (same host, no such process). */
export function deadStaging(cf: CaseFile): string[] {
  const dir = cf.path(STAGING_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => {
    const m = /^(?:import|export)-(.+)-(\d+)-[0-9a-f]{12}$/.exec(n);
    return m !== null && ownerDead(`${m[1]}:${m[2]}`);
  });
}

/** Entries of evidence/ that no evidence row names. */
export function unrecordedCopies(cf: CaseFile): string[] {
  const dir = cf.path(EVIDENCE_DIR);
  if (!existsSync(dir)) return [];
  const known = new Set(
    (cf.db.prepare('SELECT digest FROM evidence').all() as Array<{ digest: string }>).map((r) => r.digest),
  );
  return readdirSync(dir).filter((n) => !known.has(n));
}

/**
 * Copies an interrupted import left in the locker: named by a digest (as import names them)
 * and mentioned nowhere in the database — no evidence row, no stored path, no journal row
 * (rows and journal are committed together, so an import that got either is not interrupted).
 * Anything else unrecorded is left alone for case verify to report: recovery never deletes
 * what it cannot show to be its own leftover. A caller that also reports the rest passes the
 * listing it already made: two listings of a live locker can disagree.
 */
export function interruptedCopies(cf: CaseFile, unrecorded: readonly string[] = unrecordedCopies(cf)): string[] {
  const mentioned = cf.db.prepare(
    'SELECT 1 FROM journal WHERE instr(details, ?) > 0 UNION ALL SELECT 1 FROM evidence WHERE instr(stored_path, ?) > 0 OR digest = ? LIMIT 1',
  );
  return unrecorded.filter((n) => /^[0-9a-f]{64}$/.test(n) && mentioned.get(n, n, n) === undefined);
}

/**
 * Removes dead staging directories and interrupted copies. Requires the write lock
 * (CaseFile.write). Everything it would remove is checked first (assertLockerLayout,
 * assertOwnTree): if any of it is not plainly an import's leftover, nothing is removed and
 * PATH_UNSAFE is thrown.
 */
export function recoverLocker(cf: CaseFile): { removedStaging: string[]; removedUnrecorded: string[] } {
  if (!cf.db.inTransaction) throw new ProofdeskError('INTERNAL', 'locker recovery needs the write lock');
  assertLockerLayout(cf);
  const removedStaging = deadStaging(cf);
  const removedEvidence = interruptedCopies(cf);
  const removedReports = interruptedReportCopies(cf);
  for (const n of removedStaging) assertOwnTree(cf.path(STAGING_DIR, n), cf.path(STAGING_DIR));
  for (const n of removedEvidence) assertOwnTree(cf.path(EVIDENCE_DIR, n), cf.path(EVIDENCE_DIR));
  for (const n of removedReports) assertOwnTree(cf.path(REPORTS_DIR, n), cf.path(REPORTS_DIR));
  for (const n of removedStaging) removeTree(cf.path(STAGING_DIR, n));
  for (const n of removedEvidence) removeTree(cf.path(EVIDENCE_DIR, n));
  for (const n of removedReports) removeTree(cf.path(REPORTS_DIR, n));
  if (removedEvidence.length) fsyncPath(cf.path(EVIDENCE_DIR));
  if (removedReports.length) fsyncPath(cf.path(REPORTS_DIR));
  return {
    removedStaging,
    removedUnrecorded: [...removedEvidence, ...removedReports.map((n) => `${REPORTS_DIR}/${n}`)],
  };
}

/** Entries of reports/ that no report file's recorded path names. */
export function unrecordedReportCopies(cf: CaseFile): string[] {
  const dir = cf.path(REPORTS_DIR);
  if (!existsSync(dir)) return [];
  const known = new Set(
    (cf.db.prepare('SELECT path FROM report_files').all() as Array<{ path: string }>).map((r) => r.path.split('/')[1]),
  );
  return readdirSync(dir).filter((n) => !known.has(n));
}

/** Report copies a recordReport left when interrupted between placing them and committing (as interruptedCopies). */
export function interruptedReportCopies(
  cf: CaseFile,
  unrecorded: readonly string[] = unrecordedReportCopies(cf),
): string[] {
  const mentioned = cf.db.prepare(
    'SELECT 1 FROM journal WHERE instr(details, ?) > 0 UNION ALL SELECT 1 FROM report_files WHERE instr(path, ?) > 0 LIMIT 1',
  );
  return unrecorded.filter((n) => /^[0-9a-f]{64}$/.test(n) && mentioned.get(n, n) === undefined);
}
