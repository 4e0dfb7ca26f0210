/**
 * C2SP tlog-cosignature v1, the Ed25519 type (https://c2sp.org/tlog-cosignature): a witness's
 * timestamped signature over a checkpoint, carried as an ordinary note signature line.
 *
 *  - key ID: SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4] ("Format");
 *  - signature bytes: u64 big-endian timestamp (POSIX seconds) || 64-byte Ed25519 signature
 *    (`timestamped_signature`, RFC 8446 §3 serialization);
 *  - signed message: "cosignature/v1\n" || "time " || decimal timestamp (no leading zeros)
 *    || "\n" || the whole checkpoint note text including its final newline, without any
 *    signature lines ("Ed25519 signed message").
 *
 * The Ed25519 check is the pinned ED25519_RULESET (shared/crypto/ed25519.ts).
 *
 * Timestamps: the spec allows up to 2^63 - 1 and lets verifiers reject timestamps in the
 * future. Proofdesk represents them as JavaScript numbers and rejects any above 2^53 - 1
 * (year 285 million), which is necessarily in the future, instead of rounding it.
 */

import { ED25519_SIGNATURE_SIZE, publicKeyFromSeed, signEd25519, verifyEd25519 } from '../crypto/ed25519.js';
import { concatBytes, utf8 } from '../encoding/bytes.js';
import { isValidNoteKeyName, NOTE_SIG_COSIGNATURE_V1, noteKeyId, parseNoteVerifierKey } from '../keys/keys.js';
import { ProofdeskError } from '../verdict/errors.js';
import type { Ed25519VerifyFn, NoteSigner, NoteVerifier } from './note.js';

/** Domain-separation header line of v1 cosignatures, with its newline. */
const COSIGNATURE_V1_HEADER = 'cosignature/v1\n';
/** Size of a v1 Ed25519 cosignature after the key ID: 8-byte timestamp + 64-byte signature. */
export const COSIGNATURE_V1_SIZE = 8 + ED25519_SIGNATURE_SIZE;

export type CosignatureReason = 'LENGTH' | 'TIMESTAMP_OUT_OF_RANGE' | 'SIGNATURE_INVALID';

export type CosignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: CosignatureReason; readonly timestamp?: number };

/**
 * Splits a cosignature (without its key ID) into timestamp and Ed25519 signature.
 * Total: returns a reason for a wrong length or an out-of-range timestamp.
 */
export function parseCosignature(
  bytes: Uint8Array,
):
  | { readonly ok: true; readonly timestamp: number; readonly signature: Uint8Array }
  | { readonly ok: false; readonly reason: 'LENGTH' | 'TIMESTAMP_OUT_OF_RANGE' } {
  if (bytes.length !== COSIGNATURE_V1_SIZE) return { ok: false, reason: 'LENGTH' };
  const t = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
  if (t > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' };
  return { ok: true, timestamp: Number(t), signature: bytes.subarray(8) };
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ProofdeskError('USAGE', 'a cosignature timestamp must be a non-negative safe integer (POSIX seconds)');
  }
}

/**
 * The message a v1 cosignature signs: header, time line, then the checkpoint text.
 * Requires a non-negative safe-integer timestamp. tlog-cosignature "Ed25519 signed message".
 */
export function cosignatureMessage(timestamp: number, checkpointText: Uint8Array): Uint8Array {
  assertTimestamp(timestamp);
  return concatBytes(utf8(`${COSIGNATURE_V1_HEADER}time ${timestamp}\n`), checkpointText);
}

/**
 * Verifies one v1 cosignature (the bytes after the key ID: timestamp || Ed25519 signature)
 * by `publicKey` over a checkpoint note text, and reports the timestamp it carries.
 * Stateless and total: returns a reason instead of throwing. Matching the key ID to the
 * cosigner is the caller's job (see cosignatureVerifier / openNote).
 */
export function verifyCosignatureSignature(
  publicKey: Uint8Array,
  checkpointText: Uint8Array,
  signature: Uint8Array,
  verify: Ed25519VerifyFn = verifyEd25519,
): CosignatureCheck {
  const parsed = parseCosignature(signature);
  if (!parsed.ok) return parsed;
  const ok = verify(publicKey, cosignatureMessage(parsed.timestamp, checkpointText), parsed.signature);
  return ok
    ? { ok: true, timestamp: parsed.timestamp }
    : { ok: false, reason: 'SIGNATURE_INVALID', timestamp: parsed.timestamp };
}

export interface CosignatureVerifier extends NoteVerifier {
  readonly sigType: typeof NOTE_SIG_COSIGNATURE_V1;
  readonly publicKey: Uint8Array;
  /** Verifies and reports the timestamp; `verify` is `check(...).ok`. */
  check(message: Uint8Array, signature: Uint8Array): CosignatureCheck;
  /**
   * Timestamp of the signature most recently passed to `verify` or `check`, when it could
   * be read (also when the signature then failed); undefined otherwise. openNote calls
   * `verify`, so after a successful open this is the time the witness claims it cosigned.
   * Prefer `check` where the call is under your control.
   */
  readonly lastTimestamp: number | undefined;
}

/**
 * A note verifier for Ed25519 v1 cosignatures by `publicKey` under `name` (key ID with
 * signature type 0x04). `verify` defaults to the @noble path.
 * Throws ProofdeskError('USAGE') for an invalid name, KEY_INVALID for a key not of 32 bytes.
 */
export function cosignatureVerifier(
  name: string,
  publicKey: Uint8Array,
  verify: Ed25519VerifyFn = verifyEd25519,
): CosignatureVerifier {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid cosigner name');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new ProofdeskError('KEY_INVALID', 'an Ed25519 public key must be 32 bytes', { reason: 'RAW_LENGTH' });
  }
  const key = publicKey.slice();
  let lastTimestamp: number | undefined;
  const check = (message: Uint8Array, signature: Uint8Array): CosignatureCheck => {
    const r = verifyCosignatureSignature(key, message, signature, verify);
    lastTimestamp = r.timestamp;
    return r;
  };
  return {
    name,
    keyId: noteKeyId(name, NOTE_SIG_COSIGNATURE_V1, key),
    sigType: NOTE_SIG_COSIGNATURE_V1,
    publicKey: key,
    check,
    verify: (message, signature) => check(message, signature).ok,
    get lastTimestamp() {
      return lastTimestamp;
    },
  };
}

/**
 * A cosignature verifier from a vkey with signature type 0x04 (tlog-cosignature "Format":
 * "Ed25519 public keys MAY be encoded as vkeys with signature type 0x04").
 * Throws ProofdeskError('KEY_INVALID'), reason 'VKEY_WRONG_TYPE' for a type 0x01 vkey.
 */
export function cosignatureVerifierFromVkey(
  vkey: string,
  verify: Ed25519VerifyFn = verifyEd25519,
): CosignatureVerifier {
  const k = parseNoteVerifierKey(vkey);
  if (k.noteSigType !== NOTE_SIG_COSIGNATURE_V1) {
    throw new ProofdeskError('KEY_INVALID', 'not a cosignature verifier key (type 0x04)', {
      reason: 'VKEY_WRONG_TYPE',
      sigType: k.noteSigType!,
    });
  }
  return cosignatureVerifier(k.name!, k.publicKey, verify);
}

/**
 * Signs a checkpoint text as a v1 cosigner at `timestamp`; returns the 72 signature bytes
 * (timestamp || Ed25519 signature) that follow the key ID in the note signature line.
 * Throws ProofdeskError('USAGE') for a bad timestamp, KEY_INVALID for a bad seed.
 */
export function signCosignature(checkpointText: string | Uint8Array, seed: Uint8Array, timestamp: number): Uint8Array {
  const text = typeof checkpointText === 'string' ? utf8(checkpointText) : checkpointText;
  const message = cosignatureMessage(timestamp, text);
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timestamp), false);
  return concatBytes(ts, signEd25519(seed, message));
}

/** A note signer producing v1 cosignatures at a fixed timestamp, for shared/tlog/note.ts signNote. */
export function cosignatureSigner(name: string, seed: Uint8Array, timestamp: number): NoteSigner {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid cosigner name');
  assertTimestamp(timestamp);
  const key = seed.slice();
  return {
    name,
    keyId: noteKeyId(name, NOTE_SIG_COSIGNATURE_V1, publicKeyFromSeed(key)),
    sign: (message) => signCosignature(message, key, timestamp),
  };
}
