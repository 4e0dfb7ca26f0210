/**
 * A minimal POSIX ustar reader and writer. Bundles use uncompressed tar because a member's
 * bytes are contiguous in the archive: the engine hashes and splits the entries file by
 * byte offset straight from the archive, in parallel, without extracting it.
 *
 * Reader rules (docs/bundle-format.md §1): header checksums are verified; regular files and
 * directories are indexed; PAX `path`/`size` records are honoured; links, devices and other
 * types are recorded as such so the caller can report them, never followed.
 */
import { closeSync, openSync, readSync, fstatSync, writeSync, type PathLike } from 'node:fs';
import { ProofdeskError } from '../../shared/errors.js';

const BLOCK = 512;

export interface TarMember {
  readonly name: string;
  /** '0' regular file, '5' directory, anything else is a type we never read. */
  readonly type: string;
  /** Absolute offset of the member's data within the archive. */
  readonly offset: number;
  readonly size: number;
}

function octal(buf: Buffer, off: number, len: number, what: string): number {
  const raw = buf.toString('latin1', off, off + len).replace(/\0.*$/s, '').trim();
  if (raw === '') return 0;
  if (!/^[0-7]+$/.test(raw)) throw new ProofdeskError('INPUT_MALFORMED', `tar header: ${what} is not an octal number`);
  const v = parseInt(raw, 8);
  if (!Number.isSafeInteger(v)) throw new ProofdeskError('INPUT_MALFORMED', `tar header: ${what} out of range`);
  return v;
}

function cstring(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.toString('latin1', i, sp));
    if (!Number.isSafeInteger(len) || len <= 0 || i + len > data.length) throw new ProofdeskError('INPUT_MALFORMED', 'tar: malformed PAX record');
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Lists the members of an uncompressed ustar archive. Throws ProofdeskError for a broken archive. */
export function readTarIndex(path: PathLike, maxMembers = 100_000): TarMember[] {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    const members: TarMember[] = [];
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let pax: Record<string, string> = {};
    for (;;) {
      if (pos + BLOCK > total) throw new ProofdeskError('INPUT_MALFORMED', 'tar: archive ends without the end-of-archive marker (truncated?)');
      readSync(fd, header, 0, BLOCK, pos);
      if (header.every((b) => b === 0)) break; // end-of-archive marker
      if (!checksumOk(header)) throw new ProofdeskError('INPUT_MALFORMED', `tar: bad header checksum at byte ${pos}`);
      const type = String.fromCharCode(header[156]!) === '\0' ? '0' : String.fromCharCode(header[156]!);
      let size = octal(header, 124, 12, 'size');
      const magic = header.toString('latin1', 257, 262);
      const prefix = magic === 'ustar' ? cstring(header, 345, 155) : '';
      let name = cstring(header, 0, 100);
      if (prefix) name = `${prefix}/${name}`;
      const dataStart = pos + BLOCK;
      if (type === 'x' || type === 'g') {
        if (size > 1024 * 1024) throw new ProofdeskError('INPUT_MALFORMED', 'tar: PAX header too large');
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, dataStart);
        if (type === 'x') pax = parsePax(data);
        pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
        continue;
      }
      if (pax.path !== undefined) name = pax.path;
      if (pax.size !== undefined) {
        if (!/^\d+$/.test(pax.size)) throw new ProofdeskError('INPUT_MALFORMED', 'tar: malformed PAX size');
        size = Number(pax.size);
      }
      pax = {};
      if (dataStart + size > total) throw new ProofdeskError('INPUT_MALFORMED', `tar: member ${JSON.stringify(name)} extends past the end of the archive (truncated?)`);
      if (name.startsWith('./')) name = name.slice(2);
      if (type === '5' && name.endsWith('/')) name = name.slice(0, -1);
      if (name !== '' && name !== '.') members.push({ name, type, offset: dataStart, size: type === '5' ? 0 : size });
      if (members.length > maxMembers) throw new ProofdeskError('INPUT_TOO_LARGE', `tar: more than ${maxMembers} members`);
      pos = dataStart + (type === '5' ? 0 : Math.ceil(size / BLOCK) * BLOCK);
    }
    return members;
  } finally {
    closeSync(fd);
  }
}

function writeOctal(h: Buffer, off: number, len: number, v: number): void {
  h.write(v.toString(8).padStart(len - 1, '0') + '\0', off, len, 'latin1');
}

/** A ustar header for a regular file or directory; deterministic (mtime 0, uid/gid 0). */
export function tarHeader(name: string, size: number, type: '0' | '5' = '0'): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new ProofdeskError('USAGE', `tar: path too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  writeOctal(h, 100, 8, type === '5' ? 0o755 : 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0);
  h.fill(32, 148, 156);
  h.write(type, 156, 1, 'latin1');
  h.write('ustar\u000000', 257, 8, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

/**
 * Writes a ustar archive from (name, source file path) pairs, streaming each file.
 * Deterministic: same inputs, same bytes.
 */
export function writeTar(out: string, files: ReadonlyArray<{ name: string; source: string }>): void {
  const fd = openSync(out, 'wx');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    for (const f of files) {
      const src = openSync(f.source, 'r');
      try {
        const size = fstatSync(src).size;
        writeSync(fd, tarHeader(f.name, size));
        let done = 0;
        while (done < size) {
          const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
          if (n <= 0) throw new ProofdeskError('INPUT_UNREADABLE', `${f.source} shrank while being archived`);
          writeSync(fd, buf, 0, n);
          done += n;
        }
        const pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (pad) writeSync(fd, Buffer.alloc(pad));
      } finally {
        closeSync(src);
      }
    }
    writeSync(fd, Buffer.alloc(BLOCK * 2));
  } finally {
    closeSync(fd);
  }
}
