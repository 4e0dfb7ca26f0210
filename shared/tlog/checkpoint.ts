/**
 * C2SP tlog-checkpoint note bodies (https://c2sp.org/tlog-checkpoint, "Note text"):
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*
 *
 * The body is the text of a signed note (shared/tlog/note.ts); this module only reads and writes
 * the text. Rules, with reason codes:
 *  - the text ends with a newline (`MISSING_FINAL_NEWLINE`) and has at least three lines
 *    (`TOO_FEW_LINES`); no control characters except newline (`CONTROL_CHARACTER`), as in
 *    any signed note;
 *  - origin: non-empty (`ORIGIN_EMPTY`); equal to the expected origin when one is given
 *    (`ORIGIN_MISMATCH`). Its form is not checked further: the spec says clients MUST NOT
 *    assume the recommended URL form;
 *  - tree size: ASCII decimal, no sign, no leading zeros except "0" itself (`SIZE_INVALID`),
 *    at most 2^53 - 1 (`SIZE_TOO_LARGE`): sizes and leaf indices are JavaScript numbers in
 *    Proofdesk, exact only up to 2^53 - 1; that is 9 * 10^15 leaves, beyond any real log, so
 *    a larger size is refused rather than silently rounded;
 *  - root hash: strict standard base64 (`ROOT_HASH_INVALID`) of exactly 32 bytes
 *    (`ROOT_HASH_LENGTH`): an RFC 6962 / RFC 9162 SHA-256 tree root. transparency-dev/formats
 *    accepts any length; a SHA-256 log verifier must not;
 *  - extension lines: any number, each non-empty (`EXTENSION_EMPTY`).
 */

import { SHA256_SIZE } from '../crypto/hash.js';
import { toBase64, tryFromBase64 } from '../encoding/bytes.js';
import { ProofdeskError } from '../verdict/errors.js';

export interface CheckpointBody {
  readonly origin: string;
  /** Tree size; a safe integer (<= 2^53 - 1). */
  readonly size: number;
  /** The 32-byte RFC 9162 root hash. */
  readonly rootHash: Uint8Array;
  /** Extension lines, without their newlines. */
  readonly extensions: readonly string[];
}

export type CheckpointReason =
  | 'MISSING_FINAL_NEWLINE'
  | 'CONTROL_CHARACTER'
  | 'TOO_FEW_LINES'
  | 'ORIGIN_EMPTY'
  | 'ORIGIN_MISMATCH'
  | 'SIZE_INVALID'
  | 'SIZE_TOO_LARGE'
  | 'ROOT_HASH_INVALID'
  | 'ROOT_HASH_LENGTH'
  | 'EXTENSION_EMPTY';

export type CheckpointParseResult =
  | ({ readonly ok: true } & CheckpointBody)
  | { readonly ok: false; readonly reason: CheckpointReason; readonly detail: string };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function fail(reason: CheckpointReason, detail: string): CheckpointParseResult {
  return { ok: false, reason, detail };
}

/**
 * Parses a checkpoint body (the text of a signed note, including its final newline).
 * Total: returns a reason for malformed input. `expectedOrigin`, when given, must equal the
 * origin line exactly. c2sp.org/tlog-checkpoint "Note text".
 */
export function parseCheckpointBody(
  text: string,
  options: { readonly expectedOrigin?: string } = {},
): CheckpointParseResult {
  if (typeof text !== 'string' || !text.endsWith('\n'))
    return fail('MISSING_FINAL_NEWLINE', 'checkpoint text must end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    return fail('CONTROL_CHARACTER', 'control character in checkpoint text');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return fail('TOO_FEW_LINES', 'a checkpoint has at least three lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') return fail('ORIGIN_EMPTY', 'the origin line is empty');
  if (options.expectedOrigin !== undefined && origin !== options.expectedOrigin) {
    return fail('ORIGIN_MISMATCH', 'the origin line differs from the expected origin');
  }
  if (!DECIMAL.test(sizeLine))
    return fail('SIZE_INVALID', 'the tree size must be a decimal number without sign or leading zeros');
  // Compare as strings before converting so that a huge size cannot round to a safe value.
  if (sizeLine.length > 16 || Number(sizeLine) > Number.MAX_SAFE_INTEGER) {
    return fail('SIZE_TOO_LARGE', 'the tree size exceeds 2^53 - 1');
  }
  const rootHash = tryFromBase64(rootLine);
  if (rootHash === undefined) return fail('ROOT_HASH_INVALID', 'the root hash is not valid standard base64');
  if (rootHash.length !== SHA256_SIZE)
    return fail('ROOT_HASH_LENGTH', `the root hash is ${rootHash.length} bytes, not ${SHA256_SIZE}`);
  if (extensions.some((e) => e === '')) return fail('EXTENSION_EMPTY', 'extension lines must be non-empty');
  return { ok: true, origin, size: Number(sizeLine), rootHash, extensions };
}

/**
 * Formats a checkpoint body; the inverse of parseCheckpointBody.
 * Throws ProofdeskError('USAGE') for a value that parseCheckpointBody would reject.
 */
export function formatCheckpointBody(body: {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}): string {
  if (!Number.isSafeInteger(body.size) || body.size < 0)
    throw new ProofdeskError('USAGE', 'tree size must be a safe non-negative integer');
  if (/\n/.test(body.origin) || (body.extensions ?? []).some((e) => /\n/.test(e))) {
    throw new ProofdeskError('USAGE', 'checkpoint lines cannot contain a newline');
  }
  const text = [body.origin, String(body.size), toBase64(body.rootHash), ...(body.extensions ?? [])].join('\n') + '\n';
  const check = parseCheckpointBody(text);
  if (!check.ok) throw new ProofdeskError('USAGE', `invalid checkpoint: ${check.detail}`, { reason: check.reason });
  return text;
}
