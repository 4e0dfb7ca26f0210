/**
 * PEM (RFC 7468): the one reader of `-----BEGIN <label>-----` blocks, for key files, public
 * keys of the other formats and the certificates inside Sigstore log entries.
 */
import { ProofdeskError } from '../verdict/errors.js';
import { tryFromBase64 } from './bytes.js';

export interface PemBlock {
  readonly label: string;
  /** The decoded body; undefined when it is not valid base64. */
  readonly der: Uint8Array | undefined;
}

const PEM_BEGIN = /^-----BEGIN ([A-Z0-9 ]*)-----$/;

function pemInvalid(
  reason: 'PEM_MALFORMED' | 'PEM_MULTIPLE_BLOCKS' | 'PEM_ENCRYPTED',
  message: string,
): ProofdeskError {
  return new ProofdeskError('KEY_INVALID', message, { reason });
}

/**
 * The single PEM block of `text`: label and DER. Text outside the block is ignored (RFC 7468
 * §2); a second block, RFC 1421 headers (legacy encrypted keys) or a body that is not base64
 * throw KEY_INVALID with reason PEM_MULTIPLE_BLOCKS, PEM_ENCRYPTED or PEM_MALFORMED.
 */
export function parsePem(text: string): { label: string; der: Uint8Array } {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const begins = lines.flatMap((l, i) => (l.startsWith('-----BEGIN') ? [i] : []));
  if (begins.length > 1)
    throw pemInvalid('PEM_MULTIPLE_BLOCKS', 'the text holds more than one PEM block; give one key');
  const b = begins[0];
  const m = b === undefined ? null : PEM_BEGIN.exec(lines[b] ?? '');
  if (b === undefined || !m) throw pemInvalid('PEM_MALFORMED', 'malformed PEM BEGIN line');
  const label = m[1] ?? '';
  const endLine = `-----END ${label}-----`;
  const e = lines.indexOf(endLine, b + 1);
  if (e < 0) throw pemInvalid('PEM_MALFORMED', `PEM block has no "${endLine}" line`);
  const body = lines.slice(b + 1, e);
  if (body.some((l) => l.includes(':'))) {
    // RFC 1421 headers: in practice "Proc-Type: 4,ENCRYPTED" from legacy OpenSSL.
    if (body.some((l) => /^Proc-Type:.*ENCRYPTED/.test(l)))
      throw pemInvalid('PEM_ENCRYPTED', 'the PEM key is encrypted; decrypt it first (openssl pkey)');
    throw pemInvalid('PEM_MALFORMED', 'PEM headers are not supported');
  }
  const der = tryFromBase64(body.join(''));
  if (!der || der.length === 0) throw pemInvalid('PEM_MALFORMED', 'PEM body is not valid base64');
  return { label, der };
}

/** Every `BEGIN`/`END` block of `text` with matching labels, in order; never throws. */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map((m) => ({
    label: m[1] ?? '',
    der: tryFromBase64((m[2] ?? '').replace(/\s+/g, '')),
  }));
}
