/**
 * Failures of the machine, not of Proofdesk: a full disk, a folder without permission, an
 * output folder that does not exist, a device that fails a read, a busy port, a case database
 * SQLite cannot write. The command stopped where the system said no; what it had done is
 * intact (writes are atomic or journaled), and doing it again once the cause is gone works.
 * The examiner gets one line with the cause and exit 2, never "internal error" and a stack.
 */

const SYSTEM: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system or the process limit',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EXDEV: 'not on the same file system',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'file busy',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not available',
  EAFNOSUPPORT: 'address family not supported',
};

/** SQLite result codes that come from the machine (disk, permissions, another process), not from a bug. */
const SQLITE = /^SQLITE_(FULL|IOERR|CANTOPEN|READONLY|PERM|BUSY|LOCKED|NOTADB|CORRUPT)/;

/** One line describing a failure of the machine, or undefined when `e` is not one (a bug). */
export function ordinaryFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  const errno = e as NodeJS.ErrnoException;
  const what = SYSTEM[code];
  if (what !== undefined) {
    const where = [errno.path, (e as { dest?: unknown }).dest]
      .filter((p): p is string => typeof p === 'string')
      .join(' -> ');
    const addr = (e as { address?: unknown; port?: unknown }).address;
    const port = (e as { port?: unknown }).port;
    const at =
      where !== ''
        ? `: ${where}`
        : typeof addr === 'string'
          ? `: ${addr}${typeof port === 'number' ? `:${port}` : ''}`
          : '';
    return `${what}${at} (${code}${errno.syscall ? ` in ${errno.syscall}` : ''})`;
  }
  if (SQLITE.test(code)) return `the case database: ${e.message.split('\n')[0]} (${code})`;
  return undefined;
}
