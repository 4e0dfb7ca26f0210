/**
 * Finds private key material in bytes that are about to become evidence: only public keys
 * belong in a locker or a case export, whatever kind of item carries the private one. The
 * scan streams (a key may sit anywhere, not only in the first bytes) and recognises:
 *
 *   - PEM private keys of any algorithm, encrypted or not (`-----BEGIN PRIVATE KEY-----`,
 *     `ENCRYPTED PRIVATE KEY`, `RSA`, `EC`, `DSA`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY
 *     BLOCK`), and RFC 4716-style `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`;
 *   - PuTTY key files (`PuTTY-User-Key-File-<n>:`);
 *   - C2SP note signer keys (`PRIVATE+KEY+<name>+…`);
 *   - Proofdesk key files (a JSON object of format `proofdesk-key`, encrypted or not), when
 *     the whole file is at most 1 MiB (keyfile.ts reads at most 64 KiB).
 *
 * A PEM boundary counts where RFC 7468 §2 puts one: at the start of a line (indentation
 * allowed, as in YAML or a config file). A key quoted inside a JSON string, as an audit log may
 * record a leaked one, is data about the key; refusing it would keep that log out of the case.
 * A NUL also starts a "line": tar pads each header block with NULs, so a key file archived in
 * a tar begins right after one.
 */
import { closeSync, readSync } from 'node:fs';
import { openRegular } from '../platform/open-regular.js';
import { KEY_FILE_FORMAT } from './keyfile.js';

export interface PrivateKeyHit {
  /** Byte offset in the scanned stream where the key begins. */
  readonly offset: number;
  /** What was found, for messages: 'a PEM "RSA PRIVATE KEY" block'. */
  readonly what: string;
}

/** Bytes from a marker's start that decide what it is (the longest PEM label and its dashes). */
const CONTEXT = 96;
/** Indentation allowed before a marker (YAML, config files). */
const MAX_INDENT = 32;
/** A file this size or smaller is also checked as a whole (a Proofdesk key file is JSON). */
const WHOLE_FILE_MAX = 1024 * 1024;

/**
 * Needles of at most 7 bytes: Buffer.indexOf finds those at over 10 GB/s here, longer ones
 * at about 2 GB/s, so the scan stays well ahead of the copy. `back` is how far the marker
 * starts before its needle.
 */
const NEEDLES: ReadonlyArray<{
  readonly bytes: Buffer;
  readonly back: number;
  readonly judge: (text: string) => string | undefined;
}> = [
  {
    bytes: Buffer.from('BEGIN '),
    back: 5,
    judge: (t) => {
      const pem = /^-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/.exec(t);
      if (pem) return `a PEM "${pem[1]}" block`;
      return /^---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----/.test(t) ? 'an SSH2 private key' : undefined;
    },
  },
  {
    bytes: Buffer.from('PuTTY'),
    back: 0,
    judge: (t) => (/^PuTTY-User-Key-File-\d+:/.test(t) ? 'a PuTTY private key' : undefined),
  },
  {
    bytes: Buffer.from('PRIVATE'),
    back: 0,
    judge: (t) => (/^PRIVATE\+KEY\+[^+\s]+\+/.test(t) ? 'a note signer (private) key' : undefined),
  },
];
/** Bytes kept before the first unsearched needle position: its marker start and indentation. */
const KEEP = 5 + MAX_INDENT + 1;
/** A chunk at least this long is searched in place; shorter ones are gathered first. */
const IN_PLACE = 4 * CONTEXT + KEEP;

const isBlank = (b: number) => b === 0x20 || b === 0x09;
const isLineStart = (b: number) => b === 0x0a || b === 0x0d || b === 0x00;

/**
 * Feed it the bytes in order (push), then call finish(). The first key found is kept;
 * everything after it is only counted. Memory: a few hundred bytes, plus the first 1 MiB while
 * the stream may still be a whole Proofdesk key file.
 */
export class PrivateKeyScanner {
  private hit: PrivateKeyHit | undefined;
  /** The last bytes seen, from stream offset `pendingAt`; needle positions below `searched` are done. */
  private pending: Buffer = Buffer.alloc(0);
  private pendingAt = 0;
  private searched = 0;
  private total = 0;
  private whole: Buffer[] | undefined = [];

  get found(): PrivateKeyHit | undefined {
    return this.hit;
  }

  push(chunk: Uint8Array): void {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.whole) {
      if (this.total + c.length <= WHOLE_FILE_MAX) this.whole.push(Buffer.from(c));
      else this.whole = undefined;
    }
    this.total += c.length;
    if (this.hit) return;
    if (c.length < IN_PLACE) {
      this.pending = Buffer.concat([this.pending, c]);
      const limit = this.pending.length - CONTEXT;
      if (limit > this.searched) {
        this.search(this.pending, this.pendingAt, this.searched, limit);
        this.keepFrom(limit);
      }
      return;
    }
    // Needles in the pending bytes and the start of this chunk, read across the boundary.
    const joint = Buffer.concat([this.pending, c.subarray(0, 2 * CONTEXT)]);
    this.search(joint, this.pendingAt, this.searched, this.pending.length + CONTEXT);
    if (this.hit) return;
    const at = this.pendingAt + this.pending.length;
    this.search(c, at, CONTEXT, c.length - CONTEXT);
    if (this.hit) return;
    const keep = c.length - CONTEXT - KEEP;
    this.pending = Buffer.from(c.subarray(keep));
    this.pendingAt = at + keep;
    this.searched = KEEP;
  }

  finish(): PrivateKeyHit | undefined {
    if (!this.hit) this.search(this.pending, this.pendingAt, this.searched, this.pending.length);
    this.pending = Buffer.alloc(0);
    if (!this.hit && this.whole) {
      const what = proofdeskKeyFile(Buffer.concat(this.whole));
      if (what) this.hit = { offset: 0, what };
    }
    this.whole = undefined;
    return this.hit;
  }

  /** Drops pending bytes that no unsearched needle needs; needles below `limit` are searched. */
  private keepFrom(limit: number): void {
    const drop = Math.max(0, limit - KEEP);
    this.pending = Buffer.from(this.pending.subarray(drop));
    this.pendingAt += drop;
    this.searched = limit - drop;
  }

  /** Needles at indices [from, limit) of `buf`, whose first byte is at stream offset `at`. */
  private search(buf: Buffer, at: number, from: number, limit: number): void {
    let first: PrivateKeyHit | undefined;
    for (const n of NEEDLES) {
      for (let i = buf.indexOf(n.bytes, from); i >= 0 && i < limit; i = buf.indexOf(n.bytes, i + 1)) {
        const start = i - n.back;
        if (start < 0 || (first && at + start >= first.offset)) continue;
        const what = n.judge(buf.toString('latin1', start, Math.min(buf.length, start + CONTEXT)));
        if (!what || !this.atLineStart(buf, at, start)) continue;
        first = { offset: at + start, what };
        break;
      }
    }
    if (first && (!this.hit || first.offset < this.hit.offset)) this.hit = first;
  }

  /** True when only blanks (at most MAX_INDENT) separate `start` from a line start or the stream's start. */
  private atLineStart(buf: Buffer, at: number, start: number): boolean {
    let j = start - 1;
    while (j >= 0 && start - j <= MAX_INDENT && isBlank(buf[j]!)) j--;
    if (j < 0) return at === 0;
    return isLineStart(buf[j]!);
  }
}

/** 'a Proofdesk key file' when `bytes` are one (a JSON object of format proofdesk-key), else undefined. */
export function proofdeskKeyFile(bytes: Uint8Array): string | undefined {
  if (bytes.length > WHOLE_FILE_MAX) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\ufeff/, '');
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as { format?: unknown; secret?: unknown } | null;
    return v !== null && typeof v === 'object' && v.format === KEY_FILE_FORMAT && 'secret' in v
      ? 'a Proofdesk key file (private key)'
      : undefined;
  } catch {
    return undefined;
  }
}

/** The first private key in `bytes`, if any. */
export function findPrivateKey(bytes: Uint8Array): PrivateKeyHit | undefined {
  const s = new PrivateKeyScanner();
  s.push(bytes);
  return s.finish();
}

const SCAN_CHUNK = 8 * 1024 * 1024;

/** The first private key in a regular file, read in chunks (bounded memory) without touching its access time. */
export function scanFileForPrivateKey(path: string): PrivateKeyHit | undefined {
  const { fd } = openRegular(path, { what: 'file', follow: false });
  try {
    const s = new PrivateKeyScanner();
    const buf = Buffer.allocUnsafe(SCAN_CHUNK);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      s.push(buf.subarray(0, n));
      if (s.found) break;
      pos += n;
    }
    return s.finish();
  } finally {
    closeSync(fd);
  }
}
