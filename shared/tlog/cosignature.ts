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
 * Timestamps: the spec allows up to 2^63 - 1. The signature is checked over the exact decimal
 * of whatever the line carries in that range (a timestamp of 2^63 or more is malformed). As a
 * time, Proofdesk uses only what an RFC 3339 timestamp can state, up to 9999-12-31T23:59:59Z: a
 * later one is necessarily in the future, so the cosignature is reported but dates nothing,
 * rather than being rounded to another time.
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

/** The last second an RFC 3339 timestamp can state (9999-12-31T23:59:59Z): the latest cosignature time used as a time. */
export const MAX_COSIGNATURE_TIME = 253_402_300_799;
/** Timestamps are below 2^63 (tlog-cosignature). */
const TIMESTAMP_LIMIT = 1n << 63n;

/**
 * `timestamp` is the time as a number when it is one Proofdesk uses (at most
 * MAX_COSIGNATURE_TIME); `timestampDecimal` is always the exact value signed.
 */
export type CosignatureCheck =
  | { readonly ok: true; readonly timestamp?: number; readonly timestampDecimal: string }
  | {
      readonly ok: false;
      readonly reason: CosignatureReason;
      readonly timestamp?: number;
      readonly timestampDecimal?: string;
    };

/**
 * Splits a cosignature (without its key ID) into timestamp and Ed25519 signature.
 * Total: returns a reason for a wrong length or a timestamp of 2^63 or more.
 */
export function parseCosignature(bytes: Uint8Array):
  | {
      readonly ok: true;
      readonly timestamp?: number;
      readonly timestampDecimal: string;
      readonly signature: Uint8Array;
    }
  | { readonly ok: false; readonly reason: 'LENGTH' | 'TIMESTAMP_OUT_OF_RANGE' } {
  if (bytes.length !== COSIGNATURE_V1_SIZE) return { ok: false, reason: 'LENGTH' };
  const t = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
  if (t >= TIMESTAMP_LIMIT) return { ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' };
  return {
    ok: true,
    ...(t <= BigInt(MAX_COSIGNATURE_TIME) ? { timestamp: Number(t) } : {}),
    timestampDecimal: t.toString(),
    signature: bytes.subarray(8),
  };
}

function timestampBig(timestamp: number | bigint): bigint {
  const t = typeof timestamp === 'bigint' ? timestamp : Number.isSafeInteger(timestamp) ? BigInt(timestamp) : -1n;
  if (t < 0n || t >= TIMESTAMP_LIMIT) {
    throw new ProofdeskError('USAGE', 'a cosignature timestamp must be an integer from 0 to 2^63 - 1 (POSIX seconds)');
  }
  return t;
}

/**
 * The message a v1 cosignature signs: header, time line, then the checkpoint text.
 * Requires an integer timestamp from 0 to 2^63 - 1 (a number must be a safe integer; larger
 * ones as a bigint). tlog-cosignature "Ed25519 signed message".
 */
export function cosignatureMessage(timestamp: number | bigint, checkpointText: Uint8Array): Uint8Array {
  const t = timestampBig(timestamp);
  return concatBytes(utf8(`${COSIGNATURE_V1_HEADER}time ${t.toString()}\n`), checkpointText);
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
  const ok = verify(publicKey, cosignatureMessage(BigInt(parsed.timestampDecimal), checkpointText), parsed.signature);
  const time = {
    ...(parsed.timestamp !== undefined ? { timestamp: parsed.timestamp } : {}),
    timestampDecimal: parsed.timestampDecimal,
  };
  return ok ? { ok: true, ...time } : { ok: false, reason: 'SIGNATURE_INVALID', ...time };
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
 * Signs a checkpoint text as a v1 cosigner at `timestamp` (0 to 2^63 - 1); returns the 72 signature bytes
 * (timestamp || Ed25519 signature) that follow the key ID in the note signature line.
 * Throws ProofdeskError('USAGE') for a bad timestamp, KEY_INVALID for a bad seed.
 */
export function signCosignature(
  checkpointText: string | Uint8Array,
  seed: Uint8Array,
  timestamp: number | bigint,
): Uint8Array {
  const text = typeof checkpointText === 'string' ? utf8(checkpointText) : checkpointText;
  const message = cosignatureMessage(timestamp, text);
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, timestampBig(timestamp), false);
  return concatBytes(ts, signEd25519(seed, message));
}

/** A note signer producing v1 cosignatures at a fixed timestamp, for shared/tlog/note.ts signNote. */
export function cosignatureSigner(name: string, seed: Uint8Array, timestamp: number | bigint): NoteSigner {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid cosigner name');
  timestampBig(timestamp);
  const key = seed.slice();
  return {
    name,
    keyId: noteKeyId(name, NOTE_SIG_COSIGNATURE_V1, publicKeyFromSeed(key)),
    sign: (message) => signCosignature(message, key, timestamp),
  };
}
