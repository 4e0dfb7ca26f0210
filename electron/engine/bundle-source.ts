/**
 * Opens a bundle (a directory or an uncompressed ustar archive) for reading, read-only, and
 * resolves bundle-relative paths to byte regions of physical files. Nothing outside the
 * bundle is ever opened: paths are checked lexically (shared/bundle/paths.ts), then every
 * component is lstat'ed so no symbolic link is followed, then the real path is confirmed to
 * lie inside the bundle root.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { checkBundlePath } from '../../shared/bundle/paths.js';
import { ProofdeskError } from '../../shared/errors.js';
import { readTarIndex, type TarMember } from './tar.js';

/** A byte range of a physical file: the whole file for a directory bundle, a member's data for tar. */
export interface FileRegion {
  readonly file: string;
  readonly offset: number;
  readonly size: number;
}

export interface BundleMember {
  readonly path: string;
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  readonly size: number;
}

export type Locate =
  | { readonly ok: true; readonly region: FileRegion }
  | { readonly ok: false; readonly reason: 'MISSING' | 'UNSAFE'; readonly detail: string };

export interface BundleSource {
  readonly container: 'directory' | 'tar';
  /** Base name of the bundle as given (never an absolute path: results must not depend on where evidence sits). */
  readonly name: string;
  readonly location: string;
  /** Everything the container holds, for FILE_UNLISTED detection. Bounded by MAX_MEMBERS. */
  members(): readonly BundleMember[];
  locate(path: string): Locate;
}

export const MAX_MEMBERS = 100_000;

/** Reads a whole region into memory; refuses regions above maxBytes. */
export function readRegion(region: FileRegion, maxBytes: number, what: string): Buffer {
  if (region.size > maxBytes) throw new ProofdeskError('INPUT_TOO_LARGE', `${what} is ${region.size} bytes; the limit is ${maxBytes}`);
  const fd = openSync(region.file, constants.O_RDONLY);
  try {
    const buf = Buffer.alloc(region.size);
    let done = 0;
    while (done < region.size) {
      const n = readSync(fd, buf, done, region.size - done, region.offset + done);
      if (n <= 0) throw new ProofdeskError('INPUT_UNREADABLE', `${what} ended early (file changed while reading?)`);
      done += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

export function openBundle(location: string): BundleSource {
  const abs = resolve(location);
  let st;
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
          if (out.length >= MAX_MEMBERS) throw new ProofdeskError('INPUT_TOO_LARGE', `bundle holds more than ${MAX_MEMBERS} files`);
          const rel = dir ? `${dir}/${d.name}` : d.name;
          if (d.isSymbolicLink()) out.push({ path: rel, kind: 'symlink', size: 0 });
          else if (d.isDirectory()) {
            out.push({ path: rel, kind: 'directory', size: 0 });
            walk(rel);
          } else if (d.isFile()) out.push({ path: rel, kind: 'file', size: lstatSync(join(realRoot, rel)).size });
          else out.push({ path: rel, kind: 'other', size: 0 });
        }
      };
      walk('');
      return out;
    },
    locate(path) {
      const reason = checkBundlePath(path);
      if (reason) return { ok: false, reason: 'UNSAFE', detail: `path ${JSON.stringify(path)} is not allowed (${reason})` };
      let cur = realRoot;
      const parts = path.split('/');
      for (let i = 0; i < parts.length; i++) {
        cur = join(cur, parts[i]!);
        let l;
        try {
          l = lstatSync(cur);
        } catch {
          return { ok: false, reason: 'MISSING', detail: `${path} is not in the bundle` };
        }
        if (l.isSymbolicLink()) return { ok: false, reason: 'UNSAFE', detail: `${path}: ${parts.slice(0, i + 1).join('/')} is a symbolic link; links are never followed` };
        const last = i === parts.length - 1;
        if (!last && !l.isDirectory()) return { ok: false, reason: 'MISSING', detail: `${path} is not in the bundle` };
        if (last && !l.isFile()) return { ok: false, reason: 'UNSAFE', detail: `${path} is not a regular file` };
      }
      const real = realpathSync(cur);
      const rel = relative(realRoot, real);
      if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') return { ok: false, reason: 'UNSAFE', detail: `${path} resolves outside the bundle` };
      // O_NOFOLLOW closes the window between the lstat above and the open.
      const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        return { ok: true, region: { file: real, offset: 0, size: fstatSync(fd).size } };
      } finally {
        closeSync(fd);
      }
    },
  };
}

function openTar(file: string): BundleSource {
  const index: TarMember[] = readTarIndex(file, MAX_MEMBERS);
  const byName = new Map<string, TarMember>();
  for (const m of index) {
    // Extraction tools disagree on which of two same-named members wins; evidence must not
    // be ambiguous, so such an archive is refused.
    if (byName.has(m.name)) throw new ProofdeskError('INPUT_MALFORMED', `archive holds two members named ${JSON.stringify(m.name)}`);
    byName.set(m.name, m);
  }
  return {
    container: 'tar',
    name: basename(file),
    location: file,
    members() {
      return [...byName.values()].map((m) => ({
        path: m.name,
        kind: m.type === '0' ? 'file' : m.type === '5' ? 'directory' : m.type === '2' || m.type === '1' ? 'symlink' : 'other',
        size: m.size,
      }));
    },
    locate(path) {
      const reason = checkBundlePath(path);
      if (reason) return { ok: false, reason: 'UNSAFE', detail: `path ${JSON.stringify(path)} is not allowed (${reason})` };
      const m = byName.get(path);
      if (!m) return { ok: false, reason: 'MISSING', detail: `${path} is not in the archive` };
      if (m.type !== '0') return { ok: false, reason: 'UNSAFE', detail: `${path} is a tar member of type '${m.type}', not a regular file` };
      return { ok: true, region: { file, offset: m.offset, size: m.size } };
    },
  };
}
