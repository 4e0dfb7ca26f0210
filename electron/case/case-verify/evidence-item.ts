/**
 * One evidence item on disk (step 3 of `case verify`): its directory in the locker, nothing extra
 * in it, and every file against its recorded size and SHA-256 (a directory item's member list
 * against its tree digest too).
 */
import { existsSync, lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { CaseFile } from '../case-file.js';
import { type EvidenceRecord, evidenceFiles, storedPathOf, treeDigest } from '../evidence.js';
import { EVIDENCE_DIR } from '../layout.js';
import { digestFile } from '../reports.js';
import type { CaseProblem, CaseVerifyOptions } from './model.js';
import type { Problems } from './problems.js';

/** What one item's check needs at every file it hashes. */
interface ItemCheck {
  readonly P: Problems;
  readonly e: EvidenceRecord;
  readonly loc: CaseProblem['location'];
  readonly opts: CaseVerifyOptions;
}

export function checkEvidenceOnDisk(
  P: Problems,
  cf: CaseFile,
  e: EvidenceRecord,
  opts: CaseVerifyOptions,
): { files: number; bytes: number } {
  const item: ItemCheck = { P, e, loc: { table: 'evidence', id: e.id }, opts };
  const stored = itemToRead(item, cf);
  if (stored === undefined) return { files: 0, bytes: 0 };
  if (e.container === 'file') {
    return { files: 1, bytes: hashStoredFile(item, stored, e.storedPath, e.size, e.digest) };
  }
  return checkDirectoryItem(item, cf, stored);
}

/**
 * The item's stored path when it can be read: a locker path, not a link, present. Files in the
 * item's directory other than the stored one are reported. Undefined when the item is not read.
 */
function itemToRead(item: ItemCheck, cf: CaseFile): string | undefined {
  const { P, e, loc } = item;
  let stored: string;
  try {
    stored = storedPathOf(cf, e);
  } catch {
    P.add(
      'RECORD_MISMATCH',
      { ...loc, path: e.storedPath },
      `evidence #${e.id}: the recorded path is not a locker path; not followed`,
    );
    return undefined;
  }
  const itemDir = cf.path(EVIDENCE_DIR, e.digest);
  const linked = itemLinked(cf, e, stored);
  if (linked) {
    P.add(
      'LOCKER_LINKED',
      { ...loc, path: `${EVIDENCE_DIR}/${e.digest}` },
      `evidence #${e.id}: ${linked}; not followed`,
    );
    return undefined;
  }
  if (!existsSync(itemDir)) {
    P.add(
      'EVIDENCE_MISSING',
      { ...loc, path: `${EVIDENCE_DIR}/${e.digest}` },
      `evidence #${e.id} is missing from the locker`,
    );
    return undefined;
  }
  const name = e.storedPath.split('/').slice(2).join('/');
  for (const n of readdirSync(itemDir)) {
    if (n !== name)
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { ...loc, path: `${EVIDENCE_DIR}/${e.digest}/${n}` },
        `evidence #${e.id} holds ${n}, which it does not list`,
      );
  }
  return stored;
}

/** A directory item: its member list against its digest, nothing unlisted in it, every member hashed. */
function checkDirectoryItem(item: ItemCheck, cf: CaseFile, stored: string): { files: number; bytes: number } {
  const { P, e, loc } = item;
  const members = evidenceFiles(cf, e.id);
  const listed = new Set(members.map((m) => m.path));
  if (members.length !== e.fileCount || treeDigest(members) !== e.digest) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'evidence_files', id: e.id },
      `the member list of evidence #${e.id} does not produce its digest`,
      e.digest,
      treeDigest(members),
    );
  }
  if (!existsSync(stored)) {
    P.add('EVIDENCE_MISSING', { ...loc, path: e.storedPath }, `evidence #${e.id} is missing from the locker`);
    return { files: 0, bytes: 0 };
  }
  for (const p of walk(stored)) {
    if (!listed.has(p))
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { ...loc, path: `${e.storedPath}/${p}` },
        `${e.storedPath}/${p} is not a member of evidence #${e.id}`,
      );
  }
  let bytes = 0;
  for (const m of members)
    bytes += hashStoredFile(item, join(stored, ...m.path.split('/')), `${e.storedPath}/${m.path}`, m.size, m.digest);
  return { files: members.length, bytes };
}

/** Hashes one stored file against its recorded size and digest; returns the bytes hashed. */
function hashStoredFile(item: ItemCheck, abs: string, rel: string, size: number, digest: string): number {
  const { P, e, loc } = item;
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch {
    P.add('EVIDENCE_MISSING', { ...loc, path: rel }, `${rel} (evidence #${e.id}) is missing`);
    return 0;
  }
  if (!st.isFile()) {
    P.add('EVIDENCE_MODIFIED', { ...loc, path: rel }, `${rel} (evidence #${e.id}) is no longer a regular file`);
    return 0;
  }
  item.opts.onFile?.({ path: rel, size: st.size });
  const d = digestFile(abs);
  if (d.size !== size || d.digest !== digest)
    P.add(
      'EVIDENCE_MODIFIED',
      { ...loc, path: rel },
      `${rel} (evidence #${e.id}) differs from what was imported`,
      digest,
      d.digest,
    );
  return d.size;
}

/**
 * An item's directory (and a directory item's top folder) must be a real directory at its own
 * place in this case's locker: a link there would show another locker's copy.
 */
function itemLinked(cf: CaseFile, e: EvidenceRecord, stored: string): string | undefined {
  const itemDir = cf.path(EVIDENCE_DIR, e.digest);
  for (const p of e.container === 'directory' ? [itemDir, stored] : [itemDir]) {
    let l: Stats;
    try {
      l = lstatSync(p);
    } catch {
      return undefined; // missing: reported as such
    }
    if (l.isSymbolicLink()) return `${p} is a symbolic link`;
    if (!l.isDirectory() && p === itemDir) return `${p} is not a directory`;
  }
  const real = realpathSync(itemDir);
  if (real !== join(realpathSync(cf.path(EVIDENCE_DIR)), e.digest)) return `${itemDir} resolves to ${real}`;
  return undefined;
}

/** Lists every non-directory path under `root` (relative, '/'-separated), links included (never followed). */
function walk(root: string): string[] {
  const out: string[] = [];
  const rec = (rel: string) => {
    for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) rec(p);
      else out.push(p);
    }
  };
  rec('');
  return out;
}
