/**
 * `case export`: packs a case into one uncompressed ustar archive that can be handed over
 * with the evidence (docs/case-file.md §10). The export is journaled first (case.exported),
 * so the archived journal ends with the export itself and its head is the head printed to the
 * examiner. The archive holds, under one top-level directory:
 *
 *   EXPORT.json             what the archive holds: case id, journal head, every file's size and SHA-256
 *   case.sqlite             a consistent snapshot (VACUUM INTO), derived search tables dropped unless --with-index
 *   evidence/<digest>/…     the locker, byte for byte
 *   reports/<digest>/…      the recorded reports' copies
 *
 * Extracted anywhere, the directory is a case: `proofdesk case verify` checks it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { scanFileForPrivateKey } from '../keys/private-key-scan.js';
import { writeTar } from '../platform/tar.js';
import type { CaseFile } from './case-file.js';
import { openDatabase } from './db.js';
import { entriesTable, ftsTable } from './entry-index.js';
import { evidenceFiles, listEvidence, storedPathOf } from './evidence.js';
import type { JournalHead } from './journal.js';
import { CASE_DB, STAGING_DIR } from './layout.js';
import { digestFile, listReports, storedReportPath } from './reports.js';

export const EXPORT_FORMAT = 'proofdesk-case-export';
export const EXPORT_MANIFEST = 'EXPORT.json';

export interface ExportOptions {
  /** The archive to write (must not exist). */
  readonly out: string;
  /** Keep the derived search index in the snapshot (large; it can be rebuilt from the evidence). */
  readonly withIndex?: boolean;
  /** Called when the snapshot is in staging and when the archive is written (crash tests stop the process there). */
  readonly onStep?: (step: 'snapshot' | 'archive') => void;
}

export interface ExportResult {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly journalHead: JournalHead;
  readonly files: number;
  readonly root: string;
}

/** Drops the per-bundle search tables from a snapshot (and their rows in derived_entry_sets). */
function dropSearchIndex(path: string): void {
  const db = openDatabase(path, { mustExist: true });
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'derived_entry_sets'").get()) {
      for (const { id } of db.prepare('SELECT id FROM derived_entry_sets').all() as Array<{ id: number }>) {
        db.exec(`DROP TABLE IF EXISTS ${ftsTable(id)}; DROP TABLE IF EXISTS ${entriesTable(id)};`);
      }
      db.exec('DELETE FROM derived_entry_sets');
    }
    db.pragma('journal_mode = DELETE');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function exportCase(cf: CaseFile, o: ExportOptions): ExportResult {
  const out = exportPath(o.out);
  const withIndex = o.withIndex ?? false;
  refusePrivateKeys(cf);
  cf.write(() => cf.journal({ action: 'case.exported', details: { destination: out, withIndex } }));
  const head = cf.head();

  const tag = randomBytes(6).toString('hex');
  // Named like an import's staging (owner and random tag): when this process dies, the next
  // writable open of the case removes the folder (recoverLocker), as it does an import's.
  const staging = cf.path(STAGING_DIR, `export-${hostname()}-${process.pid}-${tag}`);
  mkdirSync(staging);
  const snapshot = join(staging, CASE_DB);
  const manifestPath = join(staging, EXPORT_MANIFEST);
  const partial = join(dirname(out), `.${basename(out)}.${tag}.partial`);
  try {
    cf.db.prepare('VACUUM INTO ?').run(snapshot);
    if (!withIndex) dropSearchIndex(snapshot);
    o.onStep?.('snapshot');
    const root = basename(cf.dir) || 'case';
    const list = listExportFiles(cf, root, snapshot);
    writeManifestFile(manifestPath, {
      format: EXPORT_FORMAT,
      version: 1,
      caseId: cf.caseId,
      exportedAt: cf.now(),
      exportedBy: cf.actor,
      journalHead: { seq: head.seq, hash: head.hash },
      withIndex,
      files: list.listed,
    });
    // The export carries the locker: as private as the case it comes from.
    writeTar(partial, [{ name: `${root}/${EXPORT_MANIFEST}`, source: manifestPath }, ...list.members], {
      privateFiles: true,
    });
    fsyncFile(partial);
    o.onStep?.('archive');
    renameSync(partial, out);
    fsyncFile(dirname(out));
    const d = digestFile(out);
    return {
      path: out,
      size: statSync(out).size,
      sha256: d.digest,
      journalHead: head,
      files: list.members.length + 1,
      root,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

/** The archive's absolute path: a .tar that does not exist yet, in a directory that does. */
function exportPath(given: string): string {
  const out = resolve(given);
  if (!out.endsWith('.tar'))
    throw new ProofdeskError('USAGE', 'the export is an uncompressed tar archive: give a path ending in .tar');
  if (existsSync(out)) throw new ProofdeskError('USAGE', `${given} already exists; not overwriting it`);
  if (!existsSync(dirname(out))) throw new ProofdeskError('USAGE', `directory ${dirname(out)} does not exist`);
  return out;
}

/** The archive's members (under `root`) and the manifest's list of them, in the same order. */
class ExportList {
  readonly members: Array<{ name: string; source: string }> = [];
  readonly listed: Array<{ path: string; size: number; sha256: string }> = [];
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Adds a file; its size and digest are computed unless the case already records them. */
  add(rel: string, source: string, d?: { size: number; digest: string }): void {
    const x = d ?? digestFile(source);
    this.members.push({ name: `${this.root}/${rel}`, source });
    this.listed.push({ path: rel, size: x.size, sha256: x.digest });
  }
}

/** The snapshot, every stored evidence file, and every recorded report copy (each once). */
function listExportFiles(cf: CaseFile, root: string, snapshot: string): ExportList {
  const list = new ExportList(root);
  list.add(CASE_DB, snapshot);
  for (const e of listEvidence(cf)) {
    const stored = storedPathOf(cf, e);
    if (e.container === 'file') list.add(e.storedPath, stored, { size: e.size, digest: e.digest });
    else
      for (const f of evidenceFiles(cf, e.id))
        list.add(`${e.storedPath}/${f.path}`, join(stored, ...f.path.split('/')), { size: f.size, digest: f.digest });
  }
  // The reports' copies, so `case verify` of the unpacked case checks them too.
  const seen = new Set<string>();
  for (const r of listReports(cf))
    for (const f of r.files) {
      const abs = storedReportPath(cf.dir, f);
      if (abs === undefined || seen.has(f.path)) continue;
      seen.add(f.path);
      list.add(f.path, abs, { size: f.size, digest: f.digest });
    }
  return list;
}

function writeManifestFile(path: string, manifest: object): void {
  const fd = openSync(path, 'wx');
  try {
    // Canonical JSON: the manifest's bytes are reproducible from its content.
    writeAll(fd, canonicalJson(manifest) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Cases made before imports refused private keys may hold one: it must not leave the machine
 * in an export. Checked before anything is journaled, so a refused export leaves no trace.
 */
function refusePrivateKeys(cf: CaseFile): void {
  for (const e of listEvidence(cf)) {
    const stored = storedPathOf(cf, e);
    const paths =
      e.container === 'file'
        ? [{ rel: e.storedPath, abs: stored }]
        : evidenceFiles(cf, e.id).map((f) => ({
            rel: `${e.storedPath}/${f.path}`,
            abs: join(stored, ...f.path.split('/')),
          }));
    for (const p of paths) {
      const hit = scanFileForPrivateKey(p.abs);
      if (hit)
        throw new ProofdeskError(
          'USAGE',
          `evidence #${e.id} (${p.rel}) holds ${hit.what}; a case export never carries private keys: nothing was exported`,
          { reason: 'PRIVATE_KEY', evidenceId: e.id, file: p.rel },
        );
    }
  }
}

function writeAll(fd: number, text: string): void {
  const b = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}
