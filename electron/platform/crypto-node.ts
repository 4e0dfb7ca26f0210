/**
 * node:crypto fast paths for the signature algorithms of the log formats, with exactly the
 * verdicts of the pure paths in shared/crypto/ecdsa.ts: the same rule-set pre-checks run first
 * (strict DER, 1 <= r, s < n), then OpenSSL checks the equation. RSA (CloudTrail) has no pure
 * path; its rules are PKCS#1 v1.5 (RFC 8017 §8.2.2) with SHA-256 and a key of at least 2048 bits
 * (checked when the key is parsed, shared/keys/public-key.ts).
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  checkEcdsaP256,
  type EcdsaVerifyFn,
  parseEcdsaP256Signature,
  type RsaVerifyFn,
} from '../../shared/crypto/ecdsa.js';
import { concatBytes } from '../../shared/encoding/bytes.js';
import { rsaSpkiFromPkcs1 } from '../../shared/keys/public-key.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';

// Bounded: a run sees a handful of keys; the bound only stops hostile input from growing it.
const CACHE_MAX = 256;
const cache = new Map<string, KeyObject | null>();

/** DER SPKI prefix for an uncompressed P-256 point (RFC 5480 §2). */
const P256_SPKI_PREFIX = Uint8Array.of(
  0x30,
  0x59,
  0x30,
  0x13,
  0x06,
  0x07,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x02,
  0x01,
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
  0x03,
  0x42,
  0x00,
);
/** DER SPKI prefix for a compressed P-256 point. */
const P256_SPKI_PREFIX_COMPRESSED = Uint8Array.of(
  0x30,
  0x39,
  0x30,
  0x13,
  0x06,
  0x07,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x02,
  0x01,
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
  0x03,
  0x22,
  0x00,
);

function keyObject(id: string, spki: () => Uint8Array): KeyObject | null {
  let k = cache.get(id);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: Buffer.from(spki()), format: 'der', type: 'spki' });
    } catch {
      k = null;
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(id, k);
  }
  return k;
}

/** ECDSA P-256/SHA-256 under ECDSA_P256_RULESET through OpenSSL. Same verdict as verifyEcdsaP256; never throws. */
export const verifyEcdsaP256Node: EcdsaVerifyFn = (point, message, derSignature) => {
  if (typeof parseEcdsaP256Signature(derSignature) === 'string') return false;
  if (!(point.length === 65 && point[0] === 4) && !(point.length === 33 && (point[0] === 2 || point[0] === 3)))
    return false;
  const key = keyObject('ec:' + Buffer.from(point).toString('latin1'), () =>
    concatBytes(point.length === 65 ? P256_SPKI_PREFIX : P256_SPKI_PREFIX_COMPRESSED, point),
  );
  if (!key) return false;
  try {
    return cryptoVerify('sha256', message, { key, dsaEncoding: 'der' }, derSignature);
  } catch {
    return false;
  }
};

/** Runs both ECDSA paths and returns their common verdict; throws INTERNAL if they disagree (a Proofdesk bug). */
export const crossCheckEcdsaP256: EcdsaVerifyFn = (point, message, derSignature) => {
  const viaNode = verifyEcdsaP256Node(point, message, derSignature);
  const viaNoble = checkEcdsaP256(point, message, derSignature).ok;
  if (viaNode !== viaNoble) {
    throw new ProofdeskError('INTERNAL', 'ECDSA P-256 verifiers disagree', {
      node: viaNode,
      noble: viaNoble,
      point: Buffer.from(point).toString('hex'),
      signature: Buffer.from(derSignature).toString('hex'),
    });
  }
  return viaNode;
};

/** RSA PKCS#1 v1.5 / SHA-256 (RFC 8017 §8.2.2) through OpenSSL. Never throws. */
export const verifyRsaSha256Node: RsaVerifyFn = (pkcs1, message, signature) => {
  const key = keyObject('rsa:' + Buffer.from(pkcs1).toString('latin1'), () => rsaSpkiFromPkcs1(pkcs1));
  if (!key) return false;
  try {
    return cryptoVerify('sha256', message, key, signature);
  } catch {
    return false;
  }
};
