/**
 * Opens a bundle (a directory or an uncompressed ustar archive) for reading, read-only, and
 * resolves bundle-relative paths to byte regions of physical files. Nothing outside the
 * bundle is ever opened: paths are checked lexically (shared/bundle/paths.ts), then every
 * component is lstat'ed so no symbolic link is followed, then the file is opened with
 * O_NOFOLLOW and the descriptor's (dev, ino) must be the one the walk saw — a component
 * swapped for a link between the walk and the open is caught there. Every region carries that
 * identity, and every later read (this thread or a worker) reopens the file through
 * electron/platform/open-regular.ts openRegion, which refuses a different file.
 */
import { type BigIntStats, closeSync, lstatSync, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkBundlePath } from '../../shared/bundle/paths.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import {
  type CheckedRegion,
  identityOf,
  openRegion,
  openRegular,
  type RegularFile,
  readExactly,
  sameIdentity,
} from './open-regular.js';
import { readTarIndexOf, type TarMember } from './tar.js';

/** A byte range of a physical file: the whole file for a directory bundle, a member's data for tar. */
export type FileRegion = CheckedRegion;

/** What a container holds at a path (no size: listing a directory does not stat every file). */
export interface BundleMember {
  readonly path: string;
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
}

export type Locate =
  | { readonly ok: true; readonly region: FileRegion }
  | { readonly ok: false; readonly reason: 'MISSING' | 'UNSAFE'; readonly detail: string };

/** A file read whole through the same path rules as locate (BundleSource.read). */
export type Read =
  | { readonly ok: true; readonly region: FileRegion; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: 'MISSING' | 'UNSAFE'; readonly detail: string }
  | { readonly ok: false; readonly reason: 'TOO_LARGE'; readonly size: number };

export interface BundleSource {
  readonly container: 'directory' | 'tar';
  /** Base name of the bundle as given (never an absolute path: results must not depend on where evidence sits). */
  readonly name: string;
  readonly location: string;
  /** Everything the container holds, for FILE_UNLISTED detection. Bounded by MAX_MEMBERS. */
  members(): readonly BundleMember[];
  locate(path: string): Locate;
  /**
   * locate and read in one: the whole file when it is at most maxBytes (TOO_LARGE, unread,
   * otherwise). A directory bundle reads through the descriptor the check opened. With `into`
   * (large enough), the bytes are read into it and returned as a view of it: for callers that
   * read many files one after another and keep none (a tiled log's tiles).
   */
  read(path: string, maxBytes: number, into?: Buffer): Read;
}

export const MAX_MEMBERS = 100_000;

/** Reads a whole region into memory (into `into` when given and large enough); refuses regions above maxBytes. */
export function readRegion(region: FileRegion, maxBytes: number, what: string, into?: Buffer): Buffer {
  if (region.size > maxBytes)
    throw new ProofdeskError('INPUT_TOO_LARGE', `${what} is ${region.size} bytes; the limit is ${maxBytes}`);
  const fd = openRegion(region);
  try {
    return readExactly(fd, region.size, region.offset, what, into);
  } finally {
    closeSync(fd);
  }
}

export function openBundle(location: string): BundleSource {
  const abs = resolve(location);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `bundle not found: ${location}`);
  }
  if (st.isDirectory()) return openDirectory(abs);
  if (st.isFile()) return openTar(abs);
  throw new ProofdeskError('INPUT_UNREADABLE', `not a bundle directory or .tar file: ${location}`);
}

function openDirectory(root: string): BundleSource {
  const realRoot = realpathSync(root);
  return {
    container: 'directory',
    name: basename(root),
    location: root,
    members() {
      const out: BundleMember[] = [];
      const walk = (dir: string) => {
        for (const d of readdirSync(join(realRoot, dir), { withFileTypes: true })) {
          if (out.length >= MAX_MEMBERS)
            throw new ProofdeskError('INPUT_TOO_LARGE', `bundle holds more than ${MAX_MEMBERS} files`);
          // join: one flat string (a concatenation would keep a rope per path of a large listing).
          const rel = dir ? [dir, d.name].join('/') : d.name;
          if (d.isSymbolicLink()) out.push({ path: rel, kind: 'symlink' });
          else if (d.isDirectory()) {
            out.push({ path: rel, kind: 'directory' });
            walk(rel);
          } else if (d.isFile()) out.push({ path: rel, kind: 'file' });
          else out.push({ path: rel, kind: 'other' });
        }
      };
      walk('');
      return out;
    },
    locate(path) {
      const c = openChecked(realRoot, path);
      if (!c.ok) return c;
      closeSync(c.fd);
      return { ok: true, region: c.region };
    },
    read(path, maxBytes, into) {
      const c = openChecked(realRoot, path);
      if (!c.ok) return c;
      try {
        if (c.region.size > maxBytes) return { ok: false, reason: 'TOO_LARGE', size: c.region.size };
        return { ok: true, region: c.region, bytes: readExactly(c.fd, c.region.size, 0, path, into) };
      } finally {
        closeSync(c.fd);
      }
    },
  };
}

/**
 * The path rules of a directory bundle, ending in an open descriptor (the caller closes it).
 * Every component is lstat'ed: none may be a symbolic link, every one but the last must be a
 * directory and the last a regular file. Walked from the real root through components that
 * are not links, the path is then its own real path, so it lies inside the bundle (the lexical
 * check refused "..", "." and absolute paths). The file is opened with O_NOFOLLOW and the
 * descriptor must be the file the walk saw (dev, ino): a component swapped for a link between
 * the walk and the open leads the open elsewhere, and is caught there.
 */
function openChecked(
  realRoot: string,
  path: string,
): { readonly ok: true; readonly region: FileRegion; readonly fd: number } | Exclude<Locate, { ok: true }> {
  const reason = checkBundlePath(path);
  if (reason) return { ok: false, reason: 'UNSAFE', detail: `path ${JSON.stringify(path)} is not allowed (${reason})` };
  let cur = realRoot;
  let last: BigIntStats | undefined;
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]!);
    const isLast = i === parts.length - 1;
    // Identity (dev, ino) is needed of the last component only: the others are checked for kind.
    let l: Stats | BigIntStats | undefined;
    try {
      l = isLast ? lstatSync(cur, { bigint: true, throwIfNoEntry: false }) : lstatSync(cur, { throwIfNoEntry: false });
    } catch {
      l = undefined; // unreadable: as missing
    }
    if (l === undefined) return { ok: false, reason: 'MISSING', detail: `${path} is not in the bundle` };
    if (l.isSymbolicLink())
      return {
        ok: false,
        reason: 'UNSAFE',
        detail: `${path}: ${parts.slice(0, i + 1).join('/')} is a symbolic link; links are never followed`,
      };
    if (!isLast && !l.isDirectory()) return { ok: false, reason: 'MISSING', detail: `${path} is not in the bundle` };
    if (isLast && !l.isFile()) return { ok: false, reason: 'UNSAFE', detail: `${path} is not a regular file` };
    if (isLast) last = l as BigIntStats;
  }
  let f: RegularFile;
  try {
    f = openRegular(cur, { what: 'bundle file' });
  } catch (e) {
    if (e instanceof ProofdeskError && e.detail?.reason === 'MISSING')
      return { ok: false, reason: 'MISSING', detail: `${path} is not in the bundle` };
    if (e instanceof ProofdeskError && e.detail?.reason !== 'UNREADABLE')
      return { ok: false, reason: 'UNSAFE', detail: `${path}: ${e.message}` };
    throw e;
  }
  if (!sameIdentity(f.id, identityOf(last!))) {
    closeSync(f.fd);
    return { ok: false, reason: 'UNSAFE', detail: `${path} was replaced while it was being checked` };
  }
  return { ok: true, region: { file: cur, offset: 0, size: f.size, id: f.id }, fd: f.fd };
}

function openTar(file: string): BundleSource {
  // Regions name the archive by its real path: later reopens refuse links (O_NOFOLLOW), and an
  // archive given through a link is still the file it was when indexed (dev/ino).
  const real = realpathSync(file);
  const index = readTarIndexOf(real, MAX_MEMBERS);
  // The reader already refuses duplicate names and types other than files and directories.
  const byName = new Map<string, TarMember>(index.members.map((m) => [m.name, m]));
  return {
    container: 'tar',
    name: basename(file),
    location: file,
    members() {
      return index.members.map((m) => ({ path: m.name, kind: m.type === '0' ? 'file' : 'directory' }));
    },
    locate(path) {
      const reason = checkBundlePath(path);
      if (reason)
        return { ok: false, reason: 'UNSAFE', detail: `path ${JSON.stringify(path)} is not allowed (${reason})` };
      const m = byName.get(path);
      if (!m) return { ok: false, reason: 'MISSING', detail: `${path} is not in the archive` };
      if (m.type !== '0')
        return { ok: false, reason: 'UNSAFE', detail: `${path} is a directory in the archive, not a regular file` };
      return { ok: true, region: { file: real, offset: m.offset, size: m.size, id: index.id } };
    },
    read(path, maxBytes, into) {
      const loc = this.locate(path);
      if (!loc.ok) return loc;
      if (loc.region.size > maxBytes) return { ok: false, reason: 'TOO_LARGE', size: loc.region.size };
      return { ok: true, region: loc.region, bytes: readRegion(loc.region, maxBytes, path, into) };
    },
  };
}
