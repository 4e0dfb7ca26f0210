/**
 * A minimal POSIX ustar reader and writer. Bundles use uncompressed tar because a member's
 * bytes are contiguous in the archive: the engine hashes and splits the entries file by
 * byte offset straight from the archive, in parallel, without extracting it.
 *
 * Reader rules (docs/bundle-format.md §1.1): the name Proofdesk sees must be the name GNU tar
 * extracts, and no two members may extract to one file. So:
 *  - header checksums are verified; every member is a regular file ('0' or NUL) or a
 *    directory ('5'); pax extended headers ('x') and GNU long names ('L') are read exactly as
 *    GNU tar reads them; every other type (links, devices, FIFOs, pax global 'g', GNU long
 *    link 'K', sparse, multi-volume, ...) is an error naming the member;
 *  - the ustar `prefix` field is used only under the POSIX magic "ustar\0" (GNU tar ignores
 *    it under the GNU magic "ustar  \0", where those bytes hold other fields);
 *  - a name is at most MAX_NAME_BYTES long (PATH_MAX);
 *  - a name must be canonical once one leading "./" (and a directory's trailing "/") is
 *    removed: no empty, "." or ".." segment, not absolute, no backslash, valid UTF-8;
 *  - no two members may have the same name, names differing only in letter case or Unicode
 *    normalisation (one file on macOS and Windows file systems), or a file as the parent of
 *    another member.
 * Sources: POSIX.1-2017 pax "ustar Interchange Format" and "pax Extended Header"; GNU tar
 * manual §"Basic Tar Format" (GNUTYPE_LONGNAME, OLDGNU_MAGIC) and src/list.c read_header.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type FileIdentity, openRegular, readExactly } from './open-regular.js';

const BLOCK = 512;
/** POSIX ustar magic (6 bytes, NUL-terminated); the GNU magic is "ustar " + " \0". */
const USTAR_MAGIC = 'ustar\0';
/** Longest pax header or GNU long name we read: real paths are far shorter (bundle paths ≤ 1 KiB). */
const MAX_META_BYTES = 1024 * 1024;
/**
 * Longest member name: Linux's PATH_MAX, so no tool can extract a longer one there. It also
 * bounds a name's segments (at most 2,048) and with them every per-name check.
 */
export const MAX_NAME_BYTES = 4096;
/** pax keywords that change which bytes a member's data are (GNU sparse files): refused. */
const SPARSE_KEY = /^GNU\.sparse\./;

export interface TarMember {
  /** Canonical name: no leading "./", no trailing "/". */
  readonly name: string;
  /** '0' regular file, '5' directory. */
  readonly type: '0' | '5';
  /** Absolute offset of the member's data within the archive. */
  readonly offset: number;
  readonly size: number;
}

export interface TarIndex {
  readonly members: TarMember[];
  /** The archive file the index was read from (dev/ino). */
  readonly id: FileIdentity;
}

/**
 * Why an archive is refused (ProofdeskError.detail.reason), and the member concerned
 * (detail.member) when there is one.
 */
export type TarRefusal =
  | 'STRUCTURE' // checksum, truncation, numbers, pax syntax
  | 'MEMBER_TYPE' // not a regular file or directory
  | 'EXTENDED_HEADER' // an 'x' / 'L' header used in a way readers disagree on
  | 'NAME_NOT_CANONICAL' // a name that tools normalise differently
  | 'NAME_ENCODING' // a name that is not UTF-8
  | 'NAME_TOO_LONG' // a name longer than MAX_NAME_BYTES
  | 'DUPLICATE_NAME' // two members with one name
  | 'NAME_COLLISION' // names equal ignoring case / Unicode form
  | 'PARENT_IS_FILE'; // a member under a regular file

function malformed(message: string, reason: TarRefusal = 'STRUCTURE', member?: string): ProofdeskError {
  return new ProofdeskError('INPUT_MALFORMED', `tar: ${message}`, {
    reason,
    ...(member !== undefined ? { member } : {}),
  });
}

function numeric(buf: Buffer, off: number, len: number, what: string): number {
  // GNU base-256: the high bit of the first byte set; GNU tar writes sizes of 8 GiB and more so.
  if (buf[off]! & 0x80) {
    if (buf[off] !== 0x80) throw malformed(`header ${what} is negative or out of range`);
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + buf[i]!;
    if (!Number.isSafeInteger(v)) throw malformed(`header ${what} out of range`);
    return v;
  }
  const raw = buf
    .toString('latin1', off, off + len)
    .replace(/\0.*$/s, '')
    .trim();
  if (raw === '') return 0;
  if (!/^[0-7]+$/.test(raw)) throw malformed(`header ${what} is not an octal number`);
  const v = parseInt(raw, 8);
  if (!Number.isSafeInteger(v)) throw malformed(`header ${what} out of range`);
  return v;
}

/** A NUL-terminated field (or its whole length), as raw bytes. */
function cbytes(buf: Buffer, off: number, len: number): Buffer {
  const end = buf.indexOf(0, off);
  return buf.subarray(off, end < 0 || end > off + len ? off + len : end);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Names are compared as text: bytes that are not UTF-8 would all decode to U+FFFD and collide. */
function utf8Name(bytes: Uint8Array, where: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw malformed(`${where}: a member name is not valid UTF-8`, 'NAME_ENCODING');
  }
}

function checksumOk(h: Buffer): boolean {
  const stored = numeric(h, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

/** Parses pax extended header records ("<len> <key>=<value>\n"), strictly. */
function parsePax(data: Buffer, where: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < data.length) {
    // GNU tar pads the last block with NULs after the records.
    if (data[i] === 0 && data.subarray(i).every((b) => b === 0)) break;
    const sp = data.indexOf(0x20, i);
    const lenText = sp < 0 ? '' : data.toString('latin1', i, sp);
    const len = /^[1-9][0-9]*$/.test(lenText) ? Number(lenText) : NaN;
    if (!Number.isSafeInteger(len) || i + len > data.length || data[i + len - 1] !== 0x0a)
      throw malformed(`${where}: malformed pax record`);
    const rec = data.subarray(sp + 1, i + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw malformed(`${where}: malformed pax record`);
    const key = rec.toString('utf8', 0, eq);
    // Two values for one keyword: readers disagree on which wins.
    if (out.has(key)) throw malformed(`${where}: pax keyword ${JSON.stringify(key)} appears twice`);
    out.set(key, rec.subarray(eq + 1));
    i += len;
  }
  return out;
}

/**
 * The canonical form of a member name (one leading "./" and a directory's trailing "/"
 * removed), or undefined when the name is the archive root ("." or "./"). Throws when the rest
 * is not canonical: tools normalise such names differently, so their member could extract
 * under another name than the one Proofdesk would report.
 */
function canonicalName(raw: string, type: '0' | '5', where: string): string | undefined {
  let name = raw.startsWith('./') ? raw.slice(2) : raw;
  if (type === '5') {
    if (name === '' || name === '.') return undefined;
    if (name.endsWith('/')) name = name.slice(0, -1);
  }
  const bad =
    name === ''
      ? 'an empty name'
      : name.startsWith('/')
        ? 'an absolute name'
        : name.includes('\\')
          ? 'a backslash (a separator on Windows)'
          : name.split('/').some((s) => s === '')
            ? 'an empty path segment ("//" or a trailing "/")'
            : name.split('/').some((s) => s === '.' || s === '..')
              ? 'a "." or ".." segment'
              : undefined;
  if (bad)
    throw malformed(
      `${where}: member ${JSON.stringify(raw)} has ${bad}; such names extract differently in different tools`,
      'NAME_NOT_CANONICAL',
      raw,
    );
  return name;
}

/** The key two names collide under on a case-insensitive, normalisation-insensitive file system. */
function foldKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Lists the members of an uncompressed ustar archive. Throws ProofdeskError for a broken or refused archive. */
export function readTarIndex(path: string, maxMembers = 100_000): TarMember[] {
  return readTarIndexOf(path, maxMembers).members;
}

/**
 * Reads the index of an archive opened as a regular file (never a FIFO or device; a symbolic
 * link given as the archive itself is followed). The identity returned is the file read.
 */
export function readTarIndexOf(path: string, maxMembers = 100_000): TarIndex {
  const f = openRegular(path, { what: 'archive', follow: true });
  try {
    return { members: indexFd(f.fd, f.size, maxMembers), id: f.id };
  } finally {
    closeSync(f.fd);
  }
}

/** The 'x' / 'L' metadata read for the next member, and the byte of the header it came from. */
interface PendingMeta {
  pax: Map<string, Buffer> | undefined;
  longName: Buffer | undefined;
  at: number;
}

function indexFd(fd: number, total: number, maxMembers: number): TarMember[] {
  const members: TarMember[] = [];
  const header = Buffer.alloc(BLOCK);
  const meta: PendingMeta = { pax: undefined, longName: undefined, at: -1 };
  let pos = 0;
  for (;;) {
    if (pos + BLOCK > total) throw malformed('archive ends without the end-of-archive marker (truncated?)');
    readSync(fd, header, 0, BLOCK, pos);
    if (header.every((b) => b === 0)) {
      if (meta.pax || meta.longName)
        throw malformed(`the extended header at byte ${meta.at} is not followed by a member`, 'EXTENDED_HEADER');
      break; // end-of-archive marker
    }
    if (!checksumOk(header)) throw malformed(`bad header checksum at byte ${pos}`);
    const typeByte = header[156]!;
    const type = typeByte === 0 ? '0' : String.fromCharCode(typeByte);
    const size = numeric(header, 124, 12, 'size');
    const dataStart = pos + BLOCK;
    const where = `header at byte ${pos}`;
    if (dataStart + size > total)
      throw malformed(`${where}: member data extends past the end of the archive (truncated?)`);
    if (type === 'x' || type === 'L') {
      readExtendedHeader(fd, meta, type, size, dataStart, where);
      meta.at = pos;
      pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
      continue;
    }
    let nameBytes = headerName(header, meta.longName);
    let memberSize = size;
    if (meta.pax) {
      nameBytes = paxName(meta.pax, nameBytes, meta.longName, where);
      memberSize = paxSize(meta.pax, size, where);
    }
    meta.pax = undefined;
    meta.longName = undefined;
    const raw = memberRawName(nameBytes, where);
    assertStoredType(type, raw);
    const name = memberName(raw, type, memberSize, dataStart, total, where);
    // A directory's size was checked to be 0 above.
    if (name !== undefined) members.push({ name, type, offset: dataStart, size: memberSize });
    if (members.length > maxMembers)
      throw new ProofdeskError('INPUT_TOO_LARGE', `tar: more than ${maxMembers} members`);
    pos = dataStart + Math.ceil(memberSize / BLOCK) * BLOCK;
  }
  assertUnambiguous(members);
  return members;
}

/** Reads a pax ('x') or GNU long name ('L') header's data into `meta`, for the member after it. */
function readExtendedHeader(
  fd: number,
  meta: PendingMeta,
  type: 'x' | 'L',
  size: number,
  dataStart: number,
  where: string,
): void {
  // One extended header per member: a second one (x after x, L after x, ...) would leave
  // the name to whichever rule a reader applies.
  if (meta.pax || meta.longName)
    throw malformed(
      `${where}: two extended headers ('${type}' after the one at byte ${meta.at}) for one member`,
      'EXTENDED_HEADER',
    );
  if (size > MAX_META_BYTES) throw malformed(`${where}: extended header of ${size} bytes is too large`);
  const data = readExactly(fd, size, dataStart, 'archive');
  if (type === 'x') meta.pax = parsePax(data, where);
  // GNU tar takes the long name as a C string: up to the first NUL.
  else meta.longName = cbytes(data, 0, data.length);
}

/** The name a member's own header gives (prefix only under the POSIX magic), unless a GNU long name replaces it. */
function headerName(header: Buffer, longName: Buffer | undefined): Buffer {
  const magic = header.toString('latin1', 257, 263);
  let nameBytes: Buffer = cbytes(header, 0, 100);
  if (magic === USTAR_MAGIC) {
    const prefix = cbytes(header, 345, 155);
    if (prefix.length > 0) nameBytes = Buffer.concat([prefix, Buffer.from('/'), nameBytes]);
  }
  if (longName) nameBytes = longName;
  return nameBytes;
}

/**
 * The member's name once its pax header applies: refuses sparse files, other header charsets,
 * and a pax path that competes with a GNU long name or that C readers would cut short.
 */
function paxName(pax: Map<string, Buffer>, nameBytes: Buffer, longName: Buffer | undefined, where: string): Buffer {
  for (const key of pax.keys())
    if (SPARSE_KEY.test(key))
      throw malformed(
        `${where}: member ${JSON.stringify(utf8Name(nameBytes, where))} is a GNU sparse file (pax ${key}); not supported`,
        'MEMBER_TYPE',
        utf8Name(nameBytes, where),
      );
  const hdrcharset = pax.get('hdrcharset');
  if (hdrcharset !== undefined && hdrcharset.toString('utf8') !== 'ISO-IR 10646 2000 UTF-8')
    throw malformed(
      `${where}: pax hdrcharset ${JSON.stringify(hdrcharset.toString('utf8'))} is not supported`,
      'NAME_ENCODING',
    );
  const p = pax.get('path');
  if (p === undefined) return nameBytes;
  if (longName) throw malformed(`${where}: member has both a GNU long name and a pax path`, 'EXTENDED_HEADER');
  // An empty value would unset the keyword; a NUL would end the name early in C readers.
  if (p.length === 0 || p.includes(0))
    throw malformed(`${where}: pax path is empty or holds a NUL byte`, 'EXTENDED_HEADER');
  return p;
}

/** The member's size once its pax header applies (a pax size overrides the header's). */
function paxSize(pax: Map<string, Buffer>, size: number, where: string): number {
  const s = pax.get('size');
  if (s === undefined) return size;
  const t = s.toString('latin1');
  if (!/^(0|[1-9][0-9]*)$/.test(t) || !Number.isSafeInteger(Number(t))) throw malformed(`${where}: malformed pax size`);
  return Number(t);
}

/** The member's name as text, refused when longer than any tool can extract or not UTF-8. */
function memberRawName(nameBytes: Buffer, where: string): string {
  if (nameBytes.length > MAX_NAME_BYTES)
    throw malformed(
      `${where}: a member name of ${nameBytes.length} bytes; names longer than ${MAX_NAME_BYTES} bytes cannot be extracted`,
      'NAME_TOO_LONG',
    );
  return utf8Name(nameBytes, where);
}

/** Refuses every member type but a regular file ('0') or a directory ('5'). */
function assertStoredType(type: string, raw: string): asserts type is '0' | '5' {
  if (type !== '0' && type !== '5') {
    throw malformed(
      `member ${JSON.stringify(raw)} is of type '${type}' (${typeName(type)}); a bundle archive holds only regular files and directories`,
      'MEMBER_TYPE',
      raw,
    );
  }
}

/**
 * The member's canonical name (undefined for the archive root), after refusing names and sizes
 * that readers disagree on and data past the end of the archive.
 */
function memberName(
  raw: string,
  type: '0' | '5',
  memberSize: number,
  dataStart: number,
  total: number,
  where: string,
): string | undefined {
  // Old (pre-POSIX) readers treat a regular file whose name ends in "/" as a directory.
  if (type === '0' && raw.endsWith('/'))
    throw malformed(
      `${where}: regular file member ${JSON.stringify(raw)} has a name ending in "/"`,
      'NAME_NOT_CANONICAL',
      raw,
    );
  const name = canonicalName(raw, type, where);
  // Readers disagree on whether a directory's data blocks are skipped: the next header's position would differ.
  if (type === '5' && memberSize !== 0)
    throw malformed(`directory member ${JSON.stringify(raw)} has a non-zero size`, 'STRUCTURE', raw);
  if (dataStart + memberSize > total)
    throw malformed(`member ${JSON.stringify(raw)} extends past the end of the archive (truncated?)`, 'STRUCTURE', raw);
  return name;
}

function typeName(t: string): string {
  switch (t) {
    case '1':
      return 'hard link';
    case '2':
      return 'symbolic link';
    case '3':
      return 'character device';
    case '4':
      return 'block device';
    case '6':
      return 'FIFO';
    case '7':
      return 'contiguous file';
    case 'g':
      return 'pax global header';
    case 'K':
      return 'GNU long link name';
    case 'S':
      return 'GNU sparse file';
    case 'M':
      return 'GNU multi-volume continuation';
    case 'V':
      return 'GNU volume label';
    case 'D':
      return 'GNU directory dump';
    default:
      return 'unknown type';
  }
}

/** Refuses an archive in which two members would extract to one file (see the module comment). */
function assertUnambiguous(members: readonly TarMember[]): void {
  const byKey = new Map<string, TarMember>();
  const fileKeys: string[] = [];
  for (const m of members) {
    const k = foldKey(m.name);
    const other = byKey.get(k);
    // The same directory twice (tar given a directory and one inside it) holds no data: harmless.
    if (other && !(other.name === m.name && other.type === '5' && m.type === '5')) {
      throw other.name === m.name
        ? malformed(
            `archive holds two members named ${JSON.stringify(m.name)}; extraction tools disagree on which one wins`,
            'DUPLICATE_NAME',
            m.name,
          )
        : malformed(
            `members ${JSON.stringify(other.name)} and ${JSON.stringify(m.name)} differ only in letter case or Unicode form: one file on macOS and Windows file systems`,
            'NAME_COLLISION',
            m.name,
          );
    }
    byKey.set(k, m);
    if (m.type === '0') fileKeys.push(k);
  }
  // Building every parent prefix of every name costs the square of its segments (half a million
  // in a 1 MiB name). In sorted order, the names below a file form one run starting at the
  // first name not less than "<file>/": one binary search per file, no prefix ever built.
  const sorted = [...byKey.keys()].sort();
  for (const f of fileKeys) {
    const below = `${f}/`;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < below) lo = mid + 1;
      else hi = mid;
    }
    const child = sorted[lo];
    if (child?.startsWith(below)) {
      const name = byKey.get(child)!.name;
      throw malformed(
        `member ${JSON.stringify(name)} lies under ${JSON.stringify(byKey.get(f)!.name)}, which is a regular file`,
        'PARENT_IS_FILE',
        name,
      );
    }
  }
}

function writeOctal(h: Buffer, off: number, len: number, v: number): void {
  h.write(v.toString(8).padStart(len - 1, '0') + '\0', off, len, 'latin1');
}

/** A ustar header for a regular file or directory; deterministic (mtime 0, uid/gid 0). */
export function tarHeader(name: string, size: number, type: '0' | '5' = '0', mode?: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
      throw new ProofdeskError('USAGE', `tar: path too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  writeOctal(h, 100, 8, mode ?? (type === '5' ? 0o755 : 0o644));
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
 * Deterministic: same inputs, same bytes. `privateFiles`: the archive is created 0600 and its
 * members say 0600, so neither the archive nor what tar extracts from it is readable by others.
 */
export function writeTar(
  out: string,
  files: ReadonlyArray<{ name: string; source: string }>,
  opts: { privateFiles?: boolean } = {},
): void {
  const fd = openSync(out, 'wx', opts.privateFiles ? 0o600 : 0o666);
  const memberMode = opts.privateFiles ? 0o600 : undefined;
  try {
    const buf = Buffer.alloc(1024 * 1024);
    for (const f of files) {
      const { fd: src, size } = openRegular(f.source, { what: 'file to archive', follow: true });
      try {
        writeSync(fd, tarHeader(f.name, size, '0', memberMode));
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
