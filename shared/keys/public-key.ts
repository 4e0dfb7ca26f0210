/**
 * Public keys of the log formats: ECDSA P-256 (Rekor v1, Certificate Transparency, static CT),
 * Ed25519 (Rekor v2, C2SP logs) and RSA (CloudTrail digests), read from DER or PEM
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) or, for RSA, PKCS#1 RSAPublicKey (RFC 8017 §A.1.1,
 * the form `aws cloudtrail list-public-keys` returns).
 *
 * A key's fingerprint is the lowercase hex SHA-256 of its DER SPKI: the RFC 6962 §3.2 log ID,
 * the Sigstore trusted-root `logId.keyId`, and the Proofdesk key fingerprint
 * (docs/bundle-format.md §8) for Ed25519 keys — one construction everywhere.
 *
 * Every parser is total in the sense of STYLE.md §2: it throws a typed KEY_INVALID error with a
 * reason (unusable trust input), never a raw exception.
 */
import { p256 } from '@noble/curves/nist.js';
import { precheckEd25519PublicKey } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import { concatBytes, readU32BE, toHex, tryFromBase64, utf8 } from '../encoding/bytes.js';
import { decodeOid, decodeUnsignedInteger, encodeTlv, readChildren, readWhole, TAG } from '../encoding/der.js';
import { parsePem } from '../encoding/pem.js';
import { ProofdeskError } from '../verdict/errors.js';
import { isValidNoteKeyName, NOTE_SIG_ECDSA, NOTE_SIG_RFC6962 } from './keys.js';

const OID = {
  EC_PUBLIC_KEY: '1.2.840.10045.2.1',
  P256: '1.2.840.10045.3.1.7',
  P384: '1.3.132.0.34',
  ED25519: '1.3.101.112',
  RSA: '1.2.840.113549.1.1.1',
} as const;

/** Smallest RSA modulus accepted (NIST SP 800-131A: 2048 bits for signature verification after 2013). */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 16384;

interface KeyBase {
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** Lowercase hex SHA-256 of the DER SPKI. */
  readonly fingerprint: string;
}

export type FormatPublicKey =
  | (KeyBase & {
      readonly kind: 'ecdsa-p256' /** SEC 1 §2.3.3 point encoding, as in the SPKI. */;
      readonly point: Uint8Array;
    })
  | (KeyBase & { readonly kind: 'ed25519'; readonly publicKey: Uint8Array })
  | (KeyBase & {
      readonly kind: 'rsa' /** DER RSAPublicKey (RFC 8017 §A.1.1). */;
      readonly pkcs1: Uint8Array;
      readonly bits: number;
    })
  | (KeyBase & { readonly kind: 'ecdsa-p384'; readonly point: Uint8Array });

export type FormatKeyKind = FormatPublicKey['kind'];

function invalid(reason: string, message: string): ProofdeskError {
  return new ProofdeskError('KEY_INVALID', message, { reason });
}

/** SHA-256 of DER SPKI in hex: RFC 6962 §3.2 log ID / Sigstore key ID. */
function spkiFingerprint(spki: Uint8Array): string {
  return toHex(sha256(spki));
}

const RSA_ALG = encodeTlv(
  TAG.SEQUENCE,
  concatBytes(
    encodeTlv(TAG.OID, Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)),
    encodeTlv(TAG.NULL, new Uint8Array(0)),
  ),
);

/** Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (RFC 3279 §2.3.1). */
export function rsaSpkiFromPkcs1(pkcs1: Uint8Array): Uint8Array {
  return encodeTlv(TAG.SEQUENCE, concatBytes(RSA_ALG, encodeTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), pkcs1))));
}

function rsaKey(spki: Uint8Array, pkcs1: Uint8Array): FormatPublicKey {
  const seq = readWhole(pkcs1, TAG.SEQUENCE);
  const parts = seq && readChildren(seq.value);
  if (parts?.length !== 2 || parts[0]!.tag !== TAG.INTEGER || parts[1]!.tag !== TAG.INTEGER) {
    throw invalid('DER_MALFORMED', 'RSA public key: not a DER RSAPublicKey');
  }
  const n = decodeUnsignedInteger(parts[0]!.value);
  const e = decodeUnsignedInteger(parts[1]!.value);
  if (n === undefined || e === undefined) throw invalid('DER_MALFORMED', 'RSA public key: malformed INTEGER');
  const bits = n.toString(2).length;
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS)
    throw invalid('RSA_KEY_SIZE', `RSA modulus of ${bits} bits; ${RSA_MIN_BITS} to ${RSA_MAX_BITS} are accepted`);
  // RFC 8017 §3.1: 3 <= e <= n - 1, odd. A key outside that cannot verify anything meaningful.
  if (e < 3n || e % 2n === 0n || e >= n)
    throw invalid('RSA_EXPONENT', 'RSA public exponent must be odd and at least 3');
  return { kind: 'rsa', spki, fingerprint: spkiFingerprint(spki), pkcs1, bits };
}

/**
 * Parses a DER SubjectPublicKeyInfo holding an ECDSA P-256 or P-384, Ed25519 or RSA key, or
 * a bare DER RSAPublicKey. P-256 points are checked to lie on the curve (SEC 1 §3.2.2), so a
 * key that no implementation could use is refused here, before any verifier sees it.
 * Throws ProofdeskError('KEY_INVALID') with `detail.reason`.
 */
export function parsePublicKeyDer(der: Uint8Array): FormatPublicKey {
  const outer = readWhole(der, TAG.SEQUENCE);
  const parts = outer && readChildren(outer.value);
  if (!parts) throw invalid('DER_MALFORMED', 'public key: not DER');
  if (parts.length === 2 && parts[0]!.tag === TAG.INTEGER && parts[1]!.tag === TAG.INTEGER) {
    return rsaKey(rsaSpkiFromPkcs1(der), der.slice());
  }
  if (parts.length !== 2 || parts[0]!.tag !== TAG.SEQUENCE || parts[1]!.tag !== TAG.BIT_STRING) {
    throw invalid('DER_MALFORMED', 'public key: not a SubjectPublicKeyInfo');
  }
  const alg = readChildren(parts[0]!.value);
  if (!alg || alg.length === 0 || alg[0]!.tag !== TAG.OID)
    throw invalid('DER_MALFORMED', 'public key: malformed AlgorithmIdentifier');
  const oid = decodeOid(alg[0]!.value);
  const bits = parts[1]!.value;
  if (bits.length < 1 || bits[0] !== 0) throw invalid('DER_MALFORMED', 'public key: BIT STRING with unused bits');
  const keyBytes = bits.slice(1);
  const spki = der.slice();
  switch (oid) {
    case OID.EC_PUBLIC_KEY: {
      const curve = alg[1]?.tag === TAG.OID ? decodeOid(alg[1].value) : undefined;
      if (alg.length !== 2 || curve === undefined)
        throw invalid('DER_MALFORMED', 'EC public key: the curve must be a named curve OID');
      if (curve === OID.P256) {
        try {
          p256.Point.fromBytes(keyBytes).assertValidity();
        } catch {
          throw invalid('EC_POINT_INVALID', 'EC public key: not a point on P-256');
        }
        return { kind: 'ecdsa-p256', spki, fingerprint: spkiFingerprint(spki), point: keyBytes };
      }
      if (curve === OID.P384) {
        if (keyBytes.length !== 97 || keyBytes[0] !== 4)
          throw invalid('EC_POINT_INVALID', 'EC public key: not an uncompressed P-384 point');
        return { kind: 'ecdsa-p384', spki, fingerprint: spkiFingerprint(spki), point: keyBytes };
      }
      throw invalid('UNSUPPORTED_ALGORITHM', `EC public key on curve ${curve}; P-256 and P-384 are supported`);
    }
    case OID.ED25519: {
      if (alg.length !== 1 || keyBytes.length !== 32)
        throw invalid('DER_MALFORMED', 'Ed25519 public key: not the RFC 8410 encoding');
      const reject = precheckEd25519PublicKey(keyBytes);
      if (reject) throw invalid(reject, `not a usable Ed25519 public key (${reject})`);
      return { kind: 'ed25519', spki, fingerprint: spkiFingerprint(spki), publicKey: keyBytes };
    }
    case OID.RSA:
      // RFC 3279 §2.3.1: parameters MUST be NULL.
      if (alg.length !== 2 || alg[1]!.tag !== TAG.NULL || alg[1]!.value.length !== 0)
        throw invalid('DER_MALFORMED', 'RSA public key: parameters must be NULL');
      return rsaKey(spki, keyBytes);
    default:
      throw invalid('UNSUPPORTED_ALGORITHM', `public key algorithm ${oid ?? '(malformed OID)'} is not supported`);
  }
}

/**
 * Parses one PEM block `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1), RFC 7468 §13.
 * Text around the block is ignored; more than one block is refused (give one key per file).
 */
export function parsePublicKeyPem(text: string): FormatPublicKey {
  const { label, der } = parsePem(text);
  if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY')
    throw invalid('PEM_UNSUPPORTED_LABEL', `PEM block "${label}" is not a public key`);
  const key = parsePublicKeyDer(der);
  if (label === 'RSA PUBLIC KEY' && key.kind !== 'rsa')
    throw invalid('PEM_MALFORMED', 'RSA PUBLIC KEY block does not hold an RSA key');
  return key;
}

/** The 4-byte key hint of a key: the first 4 bytes of SHA-256(SPKI), as Rekor v1 note signatures use. */
export function spkiKeyHint(key: { readonly spki: Uint8Array }): number {
  const h = sha256(key.spki);
  return ((h[0]! << 24) >>> 0) + (h[1]! << 16) + (h[2]! << 8) + h[3]!;
}

/** A C2SP note verifier key of an ECDSA P-256 log key: type 0x02 (Rekor) or 0x05 (static CT). */
export interface EcdsaNoteVerifierKey {
  readonly name: string;
  readonly sigType: typeof NOTE_SIG_ECDSA | typeof NOTE_SIG_RFC6962;
  readonly keyId: number;
  readonly key: FormatPublicKey & { readonly kind: 'ecdsa-p256' };
}

/**
 * Parses `<name>+<hex key ID>+<base64(type || DER SPKI)>` when its type is 0x02 (ECDSA, as
 * Sigstore publishes Rekor's key: key ID = SHA-256(SPKI)[:4]) or 0x05 (RFC6962NoteSignature,
 * c2sp.org/static-ct-api: key ID = SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]); these key
 * IDs are not the Ed25519 formula. Returns undefined for text that is no verifier key of these
 * types; throws KEY_INVALID for one that is, but whose key or key ID is wrong.
 */
export function parseEcdsaNoteVerifierKey(text: string): EcdsaNoteVerifierKey | undefined {
  const t = text.replace(/^\ufeff/, '').trim();
  const p1 = t.indexOf('+');
  const p2 = p1 < 0 ? -1 : t.indexOf('+', p1 + 1);
  if (p2 < 0) return undefined;
  const name = t.slice(0, p1);
  const idHex = t.slice(p1 + 1, p2);
  const raw = tryFromBase64(t.slice(p2 + 1));
  if (!/^[0-9a-fA-F]{8}$/.test(idHex) || !raw || raw.length < 2) return undefined;
  const sigType = raw[0];
  if (sigType !== NOTE_SIG_ECDSA && sigType !== NOTE_SIG_RFC6962) return undefined;
  if (!isValidNoteKeyName(name))
    throw invalid(
      'VKEY_NAME_INVALID',
      'the verifier key name is empty or contains a space, "+" or a control character',
    );
  const spki = raw.subarray(1);
  const key = parsePublicKeyDer(spki);
  if (key.kind !== 'ecdsa-p256')
    throw invalid('VKEY_MALFORMED', `a type 0x0${sigType} verifier key must hold an ECDSA P-256 public key`);
  const expected =
    sigType === NOTE_SIG_ECDSA
      ? spkiKeyHint(key)
      : readU32BE(sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, NOTE_SIG_RFC6962), sha256(key.spki))));
  if (Number.parseInt(idHex, 16) !== expected)
    throw invalid(
      'VKEY_KEY_ID_MISMATCH',
      sigType === NOTE_SIG_ECDSA
        ? 'the key ID of an ECDSA (0x02) verifier key must be the first 4 bytes of SHA-256(SPKI)'
        : 'the key ID of an RFC 6962 (0x05) verifier key must be SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]',
    );
  return { name, sigType, keyId: expected, key };
}
