/** Reading the report given: bounded, in pieces, never whole. */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { readRegular } from '../../platform/open-regular.js';
import type { ByteSource } from '../pdf/attachments.js';

/** The report is read in pieces of this size: never whole (500 MB appended to a report must not take 1 GB). */
const READ_CHUNK = 8 * 1024 * 1024;

/** A report file, bounded; a named pipe or device there is refused at once (it would block the read). */
export function readBounded(path: string, limit: number, what: string): Uint8Array {
  const buf = readRegular(path, { what, follow: true, maxBytes: limit });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** PDF or envelope, by extension first (a damaged PDF is still judged as a PDF), then by its first bytes. */
export function inputKind(path: string, bytes: Uint8Array): 'pdf' | 'attestation' {
  const ext = extname(path).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.json') return 'attestation';
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return 'pdf';
  if (/^\s*\{/.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'))) return 'attestation';
  throw new ProofdeskError('INPUT_MALFORMED', `${path} is neither a report PDF nor a DSSE attestation (JSON)`);
}

export function* chunksOf(src: ByteSource): Generator<Uint8Array> {
  for (let pos = 0; pos < src.size; pos += READ_CHUNK) yield src.read(pos, READ_CHUNK);
}

/** SHA-256 of the whole input, lowercase hex. */
export function sha256Of(src: ByteSource): string {
  const digest = createHash('sha256');
  for (const c of chunksOf(src)) digest.update(c);
  return digest.digest('hex');
}

/** Offset of the first byte where `a` and the file differ (the shorter length when one is a prefix of the other). */
export function firstDifference(a: Uint8Array, src: ByteSource): number {
  const n = Math.min(a.length, src.size);
  for (let pos = 0; pos < n; pos += READ_CHUNK) {
    const b = src.read(pos, Math.min(READ_CHUNK, n - pos));
    for (let i = 0; i < b.length; i++) if (a[pos + i] !== b[i]) return pos + i;
  }
  return n;
}
