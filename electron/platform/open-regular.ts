/**
 * The one way Proofdesk opens a file it did not write: evidence, bundle members, key files,
 * report files. A path can name something other than a regular file (a named pipe blocks
 * open(2) and read(2) until a writer appears; a character device never ends) and can be
 * swapped between a check and a later read. So every open here:
 *
 *   1. uses O_RDONLY | O_NONBLOCK (open(2) of a FIFO returns at once instead of waiting for a
 *      writer) and, unless the caller follows links, O_NOFOLLOW (a symbolic link in the last
 *      component fails with ELOOP instead of being followed);
 *   2. fstat()s the descriptor it got — never the path — and requires a regular file;
 *   3. bounds the size before reading, and reads from that descriptor only;
 *   4. optionally requires the (dev, ino) an earlier check saw, so a path reopened later
 *      (another thread, another stage) is known to be the file that was checked;
 *   5. adds O_NOATIME where the system allows it: reading an original leaves its access time.
 *
 * O_NONBLOCK has no effect on reads of a regular file (POSIX open(2), "O_NONBLOCK"); on a
 * platform without O_NONBLOCK or O_NOFOLLOW (Windows) the flags are 0 and steps 2–4 still hold.
 */
import { type BigIntStats, closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { RegionRef } from '../../shared/protocol/worker.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { createHash } from './node-hash.js';

/** Which file a descriptor is: device and inode, as decimal strings (inode numbers can exceed 2^53). */
export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
}

export interface OpenRegularOptions {
  /** What the file is, for messages ("key file", "report signature"). */
  readonly what?: string;
  /** Follow a symbolic link in the last path component (a path the examiner typed). Default: refuse. */
  readonly follow?: boolean;
  /** Refuse a file larger than this many bytes (INPUT_TOO_LARGE). */
  readonly maxBytes?: number;
  /** The file must still be this one (dev and ino of an earlier check). */
  readonly expect?: FileIdentity;
  /**
   * O_NOATIME (Linux; allowed to the file's owner and to root, else the open is retried
   * without it), so reading leaves even the access time alone. Default: on. What Proofdesk
   * reads is evidence or the examiner's own material, and its access time is part of what an
   * examiner may be asked about.
   */
  readonly noatime?: boolean;
}

/** Why an open was refused; ProofdeskError.detail.reason, for callers that turn it into a finding. */
export type OpenRefusal = 'MISSING' | 'SYMLINK' | 'NOT_REGULAR' | 'TOO_LARGE' | 'CHANGED' | 'UNREADABLE';

export interface RegularFile {
  readonly fd: number;
  readonly size: number;
  readonly id: FileIdentity;
  readonly stat: BigIntStats;
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NOATIME = constants.O_NOATIME ?? 0;

export function identityOf(st: BigIntStats): FileIdentity {
  return { dev: st.dev.toString(), ino: st.ino.toString() };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function refuse(code: ProofdeskError['code'], reason: OpenRefusal, message: string): ProofdeskError {
  return new ProofdeskError(code, message, { reason });
}

function openFlags(path: string, flags: number, noatime: boolean): number {
  if (noatime && O_NOATIME) {
    try {
      return openSync(path, flags | O_NOATIME);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
  }
  return openSync(path, flags);
}

/**
 * Opens `path` read-only as described in the module comment and returns the descriptor with
 * what fstat says about it. The caller closes `fd`. Throws ProofdeskError whose
 * detail.reason is an OpenRefusal: MISSING and UNREADABLE (INPUT_UNREADABLE), SYMLINK
 * (PATH_UNSAFE), NOT_REGULAR and CHANGED (INPUT_UNREADABLE), TOO_LARGE (INPUT_TOO_LARGE).
 */
export function openRegular(path: string, opts: OpenRegularOptions = {}): RegularFile {
  const what = opts.what ?? 'file';
  let fd: number;
  try {
    fd = openFlags(path, constants.O_RDONLY | O_NONBLOCK | (opts.follow ? 0 : O_NOFOLLOW), opts.noatime ?? true);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw refuse('INPUT_UNREADABLE', 'MISSING', `${what} not found: ${path}`);
    // ELOOP: O_NOFOLLOW met a symbolic link (Linux, macOS); EMLINK is FreeBSD's answer.
    if (!opts.follow && (code === 'ELOOP' || code === 'EMLINK'))
      throw refuse('PATH_UNSAFE', 'SYMLINK', `${what} ${path} is a symbolic link; links are not followed`);
    throw refuse('INPUT_UNREADABLE', 'UNREADABLE', `cannot open ${what} ${path}: ${code ?? (e as Error).message}`);
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) {
      const kind = stat.isFIFO()
        ? 'a named pipe'
        : stat.isDirectory()
          ? 'a directory'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw refuse('INPUT_UNREADABLE', 'NOT_REGULAR', `${what} ${path} is ${kind}, not a regular file`);
    }
    const id = identityOf(stat);
    if (opts.expect && !sameIdentity(id, opts.expect))
      throw refuse('INPUT_UNREADABLE', 'CHANGED', `${what} ${path} was replaced after it was checked`);
    const size = Number(stat.size);
    if (opts.maxBytes !== undefined && size > opts.maxBytes)
      throw refuse('INPUT_TOO_LARGE', 'TOO_LARGE', `${what} ${path} is ${size} bytes; the limit is ${opts.maxBytes}`);
    return { fd, size, id, stat };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * Reads exactly `length` bytes at `position` from `fd`; a short file is an error (it changed).
 * Into `into` (a view of it is returned) when given and large enough, else into a new buffer.
 */
export function readExactly(fd: number, length: number, position: number, what: string, into?: Buffer): Buffer {
  // Not zero-filled: every byte is read below or the call fails. Not from the shared pool
  // either: a caller keeping a small file must not keep an 8 KiB slab with it.
  const buf = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n <= 0) throw refuse('INPUT_UNREADABLE', 'CHANGED', `${what} ended early (was it changed while being read?)`);
    done += n;
  }
  return buf;
}

/** The whole content of a regular file, bounded by opts.maxBytes. */
export function readRegular(path: string, opts: OpenRegularOptions = {}): Buffer {
  const f = openRegular(path, opts);
  try {
    return readExactly(f.fd, f.size, 0, `${opts.what ?? 'file'} ${path}`);
  } finally {
    closeSync(f.fd);
  }
}

const DIGEST_CHUNK = 4 * 1024 * 1024;

/** SHA-256 (hex) and size of everything readable from `fd`, from offset 0 to its end. */
function digestFd(fd: number): { size: number; sha256: string } {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(DIGEST_CHUNK);
  let size = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, size);
    if (n <= 0) break;
    h.update(buf.subarray(0, n));
    size += n;
  }
  return { size, sha256: h.digest('hex') };
}

/** SHA-256 and size of a regular file, streamed (the file is opened as in openRegular). */
export function digestRegular(path: string, opts: OpenRegularOptions = {}): { size: number; sha256: string } {
  const f = openRegular(path, opts);
  try {
    return digestFd(f.fd);
  } finally {
    closeSync(f.fd);
  }
}

/** A byte range of a file that was checked once: where, how much, and which file it must still be (absent only for regions built by hand in tests). */
export type CheckedRegion = RegionRef;

/**
 * Reopens a region's file for reading: never through a symbolic link, regular files only, and
 * (when the region carries one) the same dev/ino as when it was located. Returns the fd.
 */
export function openRegion(region: CheckedRegion): number {
  const f = openRegular(region.file, { what: 'bundle file', ...(region.id ? { expect: region.id } : {}) });
  if (region.offset + region.size > f.size) {
    closeSync(f.fd);
    throw refuse(
      'INPUT_UNREADABLE',
      'CHANGED',
      `${region.file} is shorter than when it was checked (was it changed while being verified?)`,
    );
  }
  return f.fd;
}
