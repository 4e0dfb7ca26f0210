/**
 * Ed25519 public keys in the formats people already have, their encoders, and key
 * identifiers (fingerprints and C2SP note key IDs).
 *
 * Accepted by {@link parseKey}:
 *  - PEM SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----` (RFC 7468 §13, RFC 8410 §4).
 *  - PEM PKCS#8 private keys, `-----BEGIN PRIVATE KEY-----`, as `openssl genpkey -algorithm
 *    ed25519` writes them (RFC 8410 §7), and the RFC 5958 v2 OneAsymmetricKey form with the
 *    public key attached (checked against the seed).
 *  - OpenSSH public key lines, `ssh-ed25519 AAAA... [comment]` (RFC 4253 §6.6, RFC 8709 §4).
 *  - Raw 32-byte keys as 64 hex digits or as padded standard base64 (44 characters).
 *  - C2SP signed-note verifier keys, `<name>+<hex key ID>+<base64(type || key)>`, for type
 *    0x01 (Ed25519 note signatures) and 0x04 (tlog-cosignature v1 witness keys).
 *
 * Every parser is strict: one accepted spelling per DER structure, strict base64, exact
 * lengths. Parsed public keys must also pass the key rules of ED25519_RULESET (canonical,
 * on the curve, not of small order), since no signature could ever verify under any other.
 */

import {
  ED25519_PUBLIC_KEY_SIZE,
  ED25519_SEED_SIZE,
  type Ed25519Reject,
  precheckEd25519PublicKey,
  publicKeyFromSeed,
} from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import {
  bytesEqual,
  concatBytes,
  readU32BE,
  toBase64,
  toHex,
  tryFromBase64,
  tryFromHex,
  utf8,
} from '../encoding/bytes.js';
import { decodeOid, readChildren, readWhole, type Tlv } from '../encoding/der.js';
import { parsePem } from '../encoding/pem.js';
import { ProofdeskError } from '../verdict/errors.js';

// ── constants ────────────────────────────────────────────────────────────────────────────

/** C2SP signed-note signature type for Ed25519 note signatures (signed-note, "Signature types"). */
export const NOTE_SIG_ED25519 = 0x01;
/** C2SP signed-note signature type for timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature). */
export const NOTE_SIG_COSIGNATURE_V1 = 0x04;
/** Signed-note type of ECDSA signatures (Sigstore Rekor): key ID = SHA-256(DER SPKI)[:4]. */
export const NOTE_SIG_ECDSA = 0x02;
/** Signed-note type of RFC6962NoteSignature (c2sp.org/static-ct-api): key ID = SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]. */
export const NOTE_SIG_RFC6962 = 0x05;

/** Largest key text parseKey reads; real key files are well under 1 KiB. */
export const MAX_KEY_TEXT_LENGTH = 64 * 1024;

/** DER prefix of an Ed25519 SPKI: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits) } (RFC 8410 §4). */
const SPKI_ED25519_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
/** DER prefix of an RFC 8410 §7 v1 PKCS#8 Ed25519 key: version 0, algorithm, OCTET STRING { OCTET STRING (32) }. */
const PKCS8_ED25519_V1_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
/** AlgorithmIdentifier for Ed25519 (RFC 8410 §3: parameters MUST be absent). */
const ALG_ED25519 = Uint8Array.of(0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70);

const SSH_ED25519 = 'ssh-ed25519';

// ── types ────────────────────────────────────────────────────────────────────────────────

export type KeySource = 'pem-spki' | 'pem-pkcs8' | 'openssh' | 'raw-hex' | 'raw-base64' | 'note-vkey';

export interface ParsedKey {
  readonly algorithm: 'ed25519';
  /** The 32-byte RFC 8032 public key. */
  readonly publicKey: Uint8Array;
  readonly source: KeySource;
  /** Key name (note vkeys) or comment (OpenSSH lines), when present. */
  readonly name?: string;
  /** The 32-byte private key seed; only for PKCS#8 input. */
  readonly privateSeed?: Uint8Array;
  /** Note vkeys only: the key ID, checked against the name and key. */
  readonly noteKeyId?: number;
  /** Note vkeys only: the signature type byte (NOTE_SIG_ED25519 or NOTE_SIG_COSIGNATURE_V1). */
  readonly noteSigType?: number;
}

/** Why parseKey rejected its input; carried as `detail.reason` of the thrown KEY_INVALID error. */
export type KeyInvalidReason =
  | 'EMPTY'
  | 'UNRECOGNIZED'
  | 'PEM_MALFORMED'
  | 'PEM_MULTIPLE_BLOCKS'
  | 'PEM_ENCRYPTED'
  | 'PEM_UNSUPPORTED_LABEL'
  | 'DER_MALFORMED'
  | 'UNSUPPORTED_ALGORITHM'
  | 'PKCS8_PUBLIC_KEY_MISMATCH'
  | 'OPENSSH_MALFORMED'
  | 'OPENSSH_PRIVATE_KEY'
  | 'NOTE_SIGNER_KEY'
  | 'VKEY_MALFORMED'
  | 'VKEY_NAME_INVALID'
  | 'VKEY_KEY_ID_MISMATCH'
  | 'VKEY_UNKNOWN_TYPE'
  | 'VKEY_WRONG_TYPE'
  | 'RAW_LENGTH'
  | Exclude<Ed25519Reject, 'SIG_LENGTH' | 'S_NOT_CANONICAL' | 'R_NOT_CANONICAL' | 'R_SMALL_ORDER'>;

function invalid(reason: KeyInvalidReason, message: string, extra?: Record<string, string | number>): ProofdeskError {
  return new ProofdeskError('KEY_INVALID', message, { reason, ...extra });
}

// ── names and note key IDs ───────────────────────────────────────────────────────────────

// Unicode spaces as Go's unicode.IsSpace (which x/mod/sumdb/note uses) plus U+FEFF; control
// characters (never allowed in a note); lone surrogates (no UTF-8 encoding).
const NAME_FORBIDDEN =
  /[\s\u0085\u0000-\u001f\u007f+]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/**
 * Whether `name` is a valid C2SP note key name: non-empty, no Unicode spaces, no '+'
 * (signed-note "Format"). Control characters and ill-formed UTF-16 are refused as well, since
 * such a name can never appear in a valid note.
 */
export function isValidNoteKeyName(name: string): boolean {
  return name.length > 0 && !NAME_FORBIDDEN.test(name);
}

/**
 * C2SP note key ID: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || sigType || key)
 * (signed-note "Signatures"; tlog-cosignature "Format" for sigType 0x04).
 * Requires 0 <= sigType <= 255.
 */
export function noteKeyId(name: string, sigType: number, publicKey: Uint8Array): number {
  if (!Number.isInteger(sigType) || sigType < 0 || sigType > 255) {
    throw new ProofdeskError('USAGE', 'note signature type must be a byte');
  }
  return readU32BE(sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, sigType), publicKey)));
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Encodes a C2SP note verifier key `<name>+<hex key ID>+<base64(sigType || key)>`.
 * Throws ProofdeskError('USAGE') for an invalid name, KEY_INVALID for a key that is not 32 bytes.
 */
export function encodeNoteVerifierKey(name: string, publicKey: Uint8Array, sigType: number = NOTE_SIG_ED25519): string {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid note key name');
  assertPublicKeyLength(publicKey);
  const id = noteKeyId(name, sigType, publicKey);
  return `${name}+${hex8(id)}+${toBase64(concatBytes(Uint8Array.of(sigType), publicKey))}`;
}

// ── fingerprints and encoders ────────────────────────────────────────────────────────────

function assertPublicKeyLength(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw invalid('RAW_LENGTH', `an Ed25519 public key must be ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  }
}

/** The 44-byte DER SubjectPublicKeyInfo of an Ed25519 public key (RFC 8410 §4). */
export function spkiDer(publicKey: Uint8Array): Uint8Array {
  assertPublicKeyLength(publicKey);
  return concatBytes(SPKI_ED25519_PREFIX, publicKey);
}

/**
 * Key fingerprint: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. This is the
 * construction of RFC 6962 §3.2 CT log IDs and of Sigstore's log and key IDs
 * (SHA-256 of the DER-encoded PKIX public key), so it matches what those ecosystems print.
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  return toHex(sha256(spkiDer(publicKey)));
}

/** The SSH wire-format public key blob: string "ssh-ed25519", string key (RFC 8709 §4). */
export function opensshBlob(publicKey: Uint8Array): Uint8Array {
  assertPublicKeyLength(publicKey);
  return concatBytes(sshString(utf8(SSH_ED25519)), sshString(publicKey));
}

function sshString(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length, false);
  out.set(b, 4);
  return out;
}

/** OpenSSH fingerprint as `ssh-keygen -l` prints it: `SHA256:` + unpadded base64 of SHA-256(wire blob). */
export function opensshFingerprint(publicKey: Uint8Array): string {
  return 'SHA256:' + toBase64(sha256(opensshBlob(publicKey))).replace(/=+$/, '');
}

/**
 * OpenSSH public key line `ssh-ed25519 <base64 blob>[ <comment>]`, without a trailing newline.
 * With no comment argument there is no trailing space; a comment, even an empty one, follows
 * one space, as ssh-keygen writes it (`ssh-keygen -C ''` leaves a trailing space).
 * Throws ProofdeskError('USAGE') if the comment contains a line break.
 */
export function encodeOpenSsh(publicKey: Uint8Array, comment?: string): string {
  const line = `${SSH_ED25519} ${toBase64(opensshBlob(publicKey))}`;
  if (comment === undefined) return line;
  if (/[\r\n]/.test(comment)) throw new ProofdeskError('USAGE', 'an OpenSSH comment cannot contain a line break');
  return `${line} ${comment}`;
}

function pem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += b64.slice(i, i + 64) + '\n';
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** PEM SPKI (`-----BEGIN PUBLIC KEY-----`), byte-identical to `openssl pkey -pubout`. */
export function encodeSpkiPem(publicKey: Uint8Array): string {
  return pem('PUBLIC KEY', spkiDer(publicKey));
}

/** PEM PKCS#8 v1 private key, byte-identical to `openssl genpkey -algorithm ed25519` output. */
export function encodePkcs8Pem(seed: Uint8Array): string {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE) {
    throw invalid('RAW_LENGTH', `an Ed25519 private key seed must be ${ED25519_SEED_SIZE} bytes`);
  }
  return pem('PRIVATE KEY', concatBytes(PKCS8_ED25519_V1_PREFIX, seed));
}

// DER is read by shared/encoding/der.ts (X.690 DER: definite, minimal length encoding).

const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519 (a key-agreement key, not a signature key)',
  '1.3.101.111': 'X448 (a key-agreement key, not a signature key)',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};
const CURVE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
};

/** Names the algorithm of a DER AlgorithmIdentifier, for error messages. */
function describeAlgorithm(algId: Tlv): string | undefined {
  const parts = readChildren(algId.value);
  if (!parts || parts.length === 0 || parts[0]!.tag !== 0x06) return undefined;
  const oid = decodeOid(parts[0]!.value);
  if (oid === undefined) return undefined;
  let name = Object.hasOwn(ALGORITHM_NAMES, oid) ? ALGORITHM_NAMES[oid]! : `OID ${oid}`;
  if (oid === '1.2.840.10045.2.1' && parts[1]?.tag === 0x06) {
    const curve = decodeOid(parts[1].value);
    if (curve !== undefined)
      name += ` ${Object.hasOwn(CURVE_NAMES, curve) ? CURVE_NAMES[curve]! : `curve OID ${curve}`}`;
  }
  return name;
}

function unsupported(alg: string | undefined, what: string): ProofdeskError {
  return alg === undefined
    ? invalid('DER_MALFORMED', `${what}: malformed DER`)
    : invalid('UNSUPPORTED_ALGORITHM', `${what} holds a ${alg} key; only Ed25519 keys are supported`, {
        algorithm: alg,
      });
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** Parses a DER SubjectPublicKeyInfo; only the exact RFC 8410 Ed25519 encoding is accepted. */
function parseSpkiDer(der: Uint8Array): Uint8Array {
  if (der.length === SPKI_ED25519_PREFIX.length + 32 && startsWith(der, SPKI_ED25519_PREFIX)) {
    return der.slice(SPKI_ED25519_PREFIX.length);
  }
  const outer = readWhole(der, 0x30);
  const parts = outer && readChildren(outer.value);
  if (parts?.length !== 2 || parts[0]!.tag !== 0x30 || parts[1]!.tag !== 0x03) {
    throw invalid('DER_MALFORMED', 'PUBLIC KEY: not a DER SubjectPublicKeyInfo');
  }
  const alg = describeAlgorithm(parts[0]!);
  if (alg === 'Ed25519')
    throw invalid('DER_MALFORMED', 'PUBLIC KEY: Ed25519 SubjectPublicKeyInfo not in the RFC 8410 encoding');
  throw unsupported(alg, 'PUBLIC KEY');
}

/**
 * Parses a DER PKCS#8 / RFC 5958 OneAsymmetricKey holding an Ed25519 seed (RFC 8410 §7):
 * version 0 (v1) or 1 (v2), AlgorithmIdentifier Ed25519 without parameters, privateKey =
 * OCTET STRING { OCTET STRING (32) }, optional [0] attributes, optional [1] publicKey (v2
 * only), which must equal the key derived from the seed.
 */
function parsePkcs8Der(der: Uint8Array): { seed: Uint8Array; publicKey: Uint8Array } {
  if (der.length === PKCS8_ED25519_V1_PREFIX.length + 32 && startsWith(der, PKCS8_ED25519_V1_PREFIX)) {
    const seed = der.slice(PKCS8_ED25519_V1_PREFIX.length);
    return { seed, publicKey: publicKeyFromSeed(seed) };
  }
  const outer = readWhole(der, 0x30);
  const parts = outer && readChildren(outer.value);
  if (!parts || parts.length < 3 || parts[0]!.tag !== 0x02 || parts[1]!.tag !== 0x30 || parts[2]!.tag !== 0x04) {
    throw invalid('DER_MALFORMED', 'PRIVATE KEY: not a DER PKCS#8 structure');
  }
  const alg = describeAlgorithm(parts[1]!);
  if (alg !== 'Ed25519') throw unsupported(alg, 'PRIVATE KEY');
  const version = parts[0]!.value;
  if (version.length !== 1 || (version[0] !== 0 && version[0] !== 1)) {
    throw invalid('DER_MALFORMED', 'PRIVATE KEY: unsupported PKCS#8 version');
  }
  if (!bytesEqual(parts[1]!.value, ALG_ED25519.subarray(2))) {
    throw invalid('DER_MALFORMED', 'PRIVATE KEY: Ed25519 AlgorithmIdentifier must have no parameters');
  }
  const inner = readWhole(parts[2]!.value, 0x04);
  if (!inner || inner.value.length !== ED25519_SEED_SIZE) {
    throw invalid('DER_MALFORMED', 'PRIVATE KEY: the Ed25519 private key must be OCTET STRING of 32 bytes');
  }
  const seed = inner.value.slice();
  const publicKey = publicKeyFromSeed(seed);
  let i = 3;
  if (parts[i]?.tag === 0xa0) i++; // [0] attributes: not interpreted
  if (parts[i]?.tag === 0x81) {
    // [1] IMPLICIT BIT STRING publicKey (RFC 5958 §2): only in v2.
    const bits = parts[i]!.value;
    if (version[0] !== 1 || bits.length !== 33 || bits[0] !== 0) {
      throw invalid('DER_MALFORMED', 'PRIVATE KEY: malformed attached public key');
    }
    if (!bytesEqual(bits.subarray(1), publicKey)) {
      throw invalid(
        'PKCS8_PUBLIC_KEY_MISMATCH',
        'PRIVATE KEY: the attached public key does not belong to the private key',
      );
    }
    i++;
  }
  if (i !== parts.length) throw invalid('DER_MALFORMED', 'PRIVATE KEY: unexpected trailing fields');
  return { seed, publicKey };
}

// ── PEM (RFC 7468) ───────────────────────────────────────────────────────────────────────

// PEM blocks are read by shared/encoding/pem.ts.

function parsePemKey(text: string): ParsedKey {
  const { label, der } = parsePem(text);
  switch (label) {
    case 'PUBLIC KEY':
      return { algorithm: 'ed25519', publicKey: checkedPublicKey(parseSpkiDer(der)), source: 'pem-spki' };
    case 'PRIVATE KEY': {
      const { seed, publicKey } = parsePkcs8Der(der);
      return { algorithm: 'ed25519', publicKey, source: 'pem-pkcs8', privateSeed: seed };
    }
    case 'ENCRYPTED PRIVATE KEY':
      throw invalid(
        'PEM_ENCRYPTED',
        'the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)',
      );
    case 'OPENSSH PRIVATE KEY':
      throw invalid(
        'OPENSSH_PRIVATE_KEY',
        'this is an OpenSSH private key; give the public key line from the .pub file',
      );
    case 'RSA PUBLIC KEY':
    case 'RSA PRIVATE KEY':
      throw invalid('UNSUPPORTED_ALGORITHM', `${label} holds an RSA key; only Ed25519 keys are supported`, {
        algorithm: 'RSA',
      });
    case 'EC PRIVATE KEY':
    case 'EC PUBLIC KEY':
      throw invalid('UNSUPPORTED_ALGORITHM', `${label} holds an EC key; only Ed25519 keys are supported`, {
        algorithm: 'EC',
      });
    case 'DSA PRIVATE KEY':
      throw invalid('UNSUPPORTED_ALGORITHM', `${label} holds a DSA key; only Ed25519 keys are supported`, {
        algorithm: 'DSA',
      });
    default:
      throw invalid('PEM_UNSUPPORTED_LABEL', `unsupported PEM block "${label}"; expected PUBLIC KEY or PRIVATE KEY`, {
        label,
      });
  }
}

// ── OpenSSH ──────────────────────────────────────────────────────────────────────────────

const SSH_ALGORITHMS: Readonly<Record<string, string>> = {
  'ssh-rsa': 'RSA',
  'ssh-dss': 'DSA',
  'ecdsa-sha2-nistp256': 'ECDSA P-256',
  'ecdsa-sha2-nistp384': 'ECDSA P-384',
  'ecdsa-sha2-nistp521': 'ECDSA P-521',
  'ssh-ed448': 'Ed448',
  'sk-ssh-ed25519@openssh.com': 'Ed25519-SK (FIDO security key; its signatures are not plain Ed25519)',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK P-256',
};

function looksLikeOpenSsh(text: string): boolean {
  const type = text.split(/[ \t]/, 1)[0]!;
  return type === SSH_ED25519 || Object.hasOwn(SSH_ALGORITHMS, type) || type.endsWith('-cert-v01@openssh.com');
}

/** Parses `ssh-ed25519 <base64 blob>[ <comment>]`; the blob must be exactly string type, string key32. */
function parseOpenSsh(line: string): ParsedKey {
  const m = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) throw invalid('OPENSSH_MALFORMED', 'expected "ssh-ed25519 <base64> [comment]"');
  const [, type, b64, rawComment] = m;
  if (type !== SSH_ED25519) {
    const alg = Object.hasOwn(SSH_ALGORITHMS, type!)
      ? SSH_ALGORITHMS[type!]!
      : type!.endsWith('-cert-v01@openssh.com')
        ? 'an OpenSSH certificate'
        : type!;
    throw invalid('UNSUPPORTED_ALGORITHM', `OpenSSH key type ${type} (${alg}); only ssh-ed25519 keys are supported`, {
      algorithm: alg,
    });
  }
  const blob = tryFromBase64(b64!);
  const expectedType = utf8(SSH_ED25519);
  if (!blob || blob.length !== 4 + expectedType.length + 4 + 32)
    throw invalid('OPENSSH_MALFORMED', 'the ssh-ed25519 key blob has the wrong length or is not base64');
  if (
    readU32BE(blob, 0) !== expectedType.length ||
    !bytesEqual(blob.subarray(4, 4 + expectedType.length), expectedType)
  ) {
    throw invalid('OPENSSH_MALFORMED', 'the key blob does not start with the string "ssh-ed25519"');
  }
  const off = 4 + expectedType.length;
  if (readU32BE(blob, off) !== 32) throw invalid('OPENSSH_MALFORMED', 'the key blob does not hold a 32-byte key');
  const publicKey = checkedPublicKey(blob.slice(off + 4));
  const comment = rawComment?.trim();
  return comment
    ? { algorithm: 'ed25519', publicKey, source: 'openssh', name: comment }
    : { algorithm: 'ed25519', publicKey, source: 'openssh' };
}

// ── note verifier keys ───────────────────────────────────────────────────────────────────

const VKEY_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x02: 'ECDSA',
  0x05: 'RFC 6962 TreeHeadSignature',
  0x06: 'ML-DSA-44 cosignature',
};

/**
 * Parses a C2SP note verifier key `<name>+<hex key ID>+<base64(type || key)>`. Splits on the
 * first two '+' only (the base64 part may contain '+'); the key ID (8 hex digits, either case,
 * as x/mod accepts) must equal noteKeyId(name, type, key); types 0x01 (Ed25519) and 0x04
 * (Ed25519 cosignature) are accepted, and the key must pass the ED25519_RULESET key rules.
 * Throws ProofdeskError('KEY_INVALID') with `detail.reason` otherwise.
 */
export function parseNoteVerifierKey(text: string): ParsedKey {
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p2 < 0) throw invalid('VKEY_MALFORMED', 'expected "<name>+<key ID>+<base64 key>"');
  const name = text.slice(0, p1);
  const idHex = text.slice(p1 + 1, p2);
  const keyB64 = text.slice(p2 + 1);
  if (!isValidNoteKeyName(name))
    throw invalid(
      'VKEY_NAME_INVALID',
      'the verifier key name is empty or contains a space, "+" or a control character',
    );
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw invalid('VKEY_MALFORMED', 'the verifier key ID must be 8 hex digits');
  const raw = tryFromBase64(keyB64);
  if (!raw || raw.length < 1) throw invalid('VKEY_MALFORMED', 'the verifier key data is not valid base64');
  const keyId = parseInt(idHex, 16);
  const sigType = raw[0]!;
  const key = raw.subarray(1);
  if (sigType === NOTE_SIG_ECDSA || sigType === NOTE_SIG_RFC6962) {
    // Their key IDs follow other rules (public-key.ts parseEcdsaNoteVerifierKey), checked where they are used.
    throw invalid(
      'VKEY_UNKNOWN_TYPE',
      `a type 0x0${sigType} verifier key (${VKEY_TYPE_NAMES[sigType]}) signs other logs' checkpoints (signed notes, tiled logs: docs/formats.md); this needs an Ed25519 key (0x01 or 0x04)`,
      { sigType },
    );
  }
  if (noteKeyId(name, sigType, key) !== keyId) {
    throw invalid('VKEY_KEY_ID_MISMATCH', 'the verifier key ID does not match SHA-256(name || 0x0A || type || key)', {
      keyId: hex8(keyId),
    });
  }
  if (sigType !== NOTE_SIG_ED25519 && sigType !== NOTE_SIG_COSIGNATURE_V1) {
    const what = VKEY_TYPE_NAMES[sigType];
    throw invalid(
      'VKEY_UNKNOWN_TYPE',
      `unsupported verifier key type 0x${sigType.toString(16).padStart(2, '0')}${what ? ` (${what})` : ''}; only Ed25519 (0x01) and Ed25519 cosignature (0x04) keys are supported`,
      { sigType },
    );
  }
  if (key.length !== ED25519_PUBLIC_KEY_SIZE)
    throw invalid('VKEY_MALFORMED', 'an Ed25519 verifier key must hold 32 key bytes');
  return {
    algorithm: 'ed25519',
    publicKey: checkedPublicKey(key.slice()),
    source: 'note-vkey',
    name,
    noteKeyId: keyId,
    noteSigType: sigType,
  };
}

// ── entry point ──────────────────────────────────────────────────────────────────────────

/** Applies the key rules of ED25519_RULESET; a key failing them can never verify anything. */
function checkedPublicKey(publicKey: Uint8Array): Uint8Array {
  const reject = precheckEd25519PublicKey(publicKey);
  if (reject) {
    throw invalid(
      reject as KeyInvalidReason,
      `not a usable Ed25519 public key (${reject}): no signature can verify under it`,
    );
  }
  return publicKey;
}

/**
 * Parses an Ed25519 key in any supported format (see the module comment), detected from its
 * shape. Surrounding whitespace and a leading byte-order mark are ignored.
 * Throws ProofdeskError('KEY_INVALID') with `detail.reason` ({@link KeyInvalidReason}) and,
 * when the key is of another algorithm, `detail.algorithm`; INPUT_TOO_LARGE above
 * {@link MAX_KEY_TEXT_LENGTH} characters.
 */
export function parseKey(text: string): ParsedKey {
  if (typeof text !== 'string') throw invalid('UNRECOGNIZED', 'key text must be a string');
  if (text.length > MAX_KEY_TEXT_LENGTH)
    throw new ProofdeskError('INPUT_TOO_LARGE', 'key text is too large', { limit: MAX_KEY_TEXT_LENGTH });
  const t = text.replace(/^\ufeff/, '').trim();
  if (t === '') throw invalid('EMPTY', 'no key given');
  if (t.includes('-----BEGIN')) return parsePemKey(t);
  if (/[\r\n]/.test(t)) throw invalid('UNRECOGNIZED', 'expected a single key on one line');

  if (/^[0-9a-fA-F]+$/.test(t)) {
    const raw = tryFromHex(t);
    if (raw && raw.length === ED25519_PUBLIC_KEY_SIZE)
      return { algorithm: 'ed25519', publicKey: checkedPublicKey(raw), source: 'raw-hex' };
    if (t.length % 2 === 0 && t.length !== 44)
      throw invalid('RAW_LENGTH', `a raw hex key must be 64 hex digits (32 bytes), got ${t.length}`);
  }
  if (t.length === 44) {
    const raw = tryFromBase64(t);
    if (raw && raw.length === ED25519_PUBLIC_KEY_SIZE)
      return { algorithm: 'ed25519', publicKey: checkedPublicKey(raw), source: 'raw-base64' };
  }
  if (looksLikeOpenSsh(t)) return parseOpenSsh(t);
  if (t.startsWith('PRIVATE+KEY+'))
    throw invalid('NOTE_SIGNER_KEY', 'this is a note signer (private) key; give the verifier key');
  if (t.includes('+') && !/\s/.test(t)) return parseNoteVerifierKey(t);
  if (tryFromBase64(t) !== undefined) throw invalid('RAW_LENGTH', 'a raw base64 key must decode to 32 bytes');
  throw invalid(
    'UNRECOGNIZED',
    'unrecognized key format; expected PEM, an OpenSSH line, a note verifier key, or 32 raw bytes in hex or base64',
  );
}
