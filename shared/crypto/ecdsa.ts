/**
 * ECDSA P-256 with SHA-256 under one pinned rule set, `proofdesk-ecdsa-p256-sha256-v1`, applied
 * identically by the pure @noble/curves path here and the node:crypto fast path
 * (electron/platform/crypto-node.ts). test/unit/shared/crypto/ecdsa.test.ts shows both agree on
 * every real vector and a mutation catalogue.
 *
 * Rules (each with its reason code):
 *  1. The key is a P-256 point on the curve (checked when the key is parsed, public-key.ts).
 *  2. The signature is strict DER `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279 §2.2.3, X.690
 *     §10): minimal lengths and integers, no trailing bytes (`SIG_ENCODING`). Implementations
 *     differ on lax BER; refusing it gives one accepted encoding per signature.
 *  3. 1 <= r, s <= n - 1 (SEC 1 v2 §4.1.4 step 1, `SIG_RANGE`).
 *  4. Both s and n - s are accepted: ECDSA (FIPS 186-5 §6.4.2, SEC 1) has no low-S rule, and the
 *     logs that sign with it (Go crypto/ecdsa, OpenSSL) do not normalise s.
 *  5. e = SHA-256(message); the SEC 1 §4.1.4 verification equation (`EQUATION`).
 */
import { p256 } from '@noble/curves/nist.js';
import { decodeUnsignedInteger, readChildren, readWhole, TAG } from '../encoding/der.js';

export const ECDSA_P256_RULESET = 'proofdesk-ecdsa-p256-sha256-v1';

/** Order n of the P-256 base point (FIPS 186-5 / SP 800-186 §3.2.1.3). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export type EcdsaReject = 'SIG_ENCODING' | 'SIG_RANGE';
export type EcdsaVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: EcdsaReject | 'KEY' | 'EQUATION' };

/** ECDSA P-256/SHA-256 verification of a DER signature by a SEC 1 encoded point. */
export type EcdsaVerifyFn = (point: Uint8Array, message: Uint8Array, derSignature: Uint8Array) => boolean;

/**
 * Rules 2 and 3: the (r, s) of a strict DER signature, or the rule it breaks. Shared by both
 * verification paths so they judge the same bytes.
 */
export function parseEcdsaP256Signature(der: Uint8Array): { readonly r: bigint; readonly s: bigint } | EcdsaReject {
  const seq = readWhole(der, TAG.SEQUENCE);
  const parts = seq && readChildren(seq.value);
  if (parts?.length !== 2 || parts[0]!.tag !== TAG.INTEGER || parts[1]!.tag !== TAG.INTEGER) return 'SIG_ENCODING';
  const r = decodeUnsignedInteger(parts[0]!.value);
  const s = decodeUnsignedInteger(parts[1]!.value);
  if (r === undefined || s === undefined) return 'SIG_ENCODING';
  if (r < 1n || r >= P256_N || s < 1n || s >= P256_N) return 'SIG_RANGE';
  return { r, s };
}

function to32(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Verifies under ECDSA_P256_RULESET with @noble/curves, returning the failing rule. Total. */
export function checkEcdsaP256(point: Uint8Array, message: Uint8Array, derSignature: Uint8Array): EcdsaVerdict {
  const rs = parseEcdsaP256Signature(derSignature);
  if (typeof rs === 'string') return { ok: false, reason: rs };
  const compact = new Uint8Array(64);
  compact.set(to32(rs.r), 0);
  compact.set(to32(rs.s), 32);
  try {
    // prehash: SHA-256 of the message (rule 5); lowS: false accepts both s and n - s (rule 4).
    return p256.verify(compact, message, point, { prehash: true, lowS: false })
      ? { ok: true }
      : { ok: false, reason: 'EQUATION' };
  } catch {
    return { ok: false, reason: 'KEY' };
  }
}

/** Verifies under ECDSA_P256_RULESET with @noble/curves. Never throws. */
export const verifyEcdsaP256: EcdsaVerifyFn = (point, message, derSignature) =>
  checkEcdsaP256(point, message, derSignature).ok;

/** RSA PKCS#1 v1.5 with SHA-256 verification by a DER RSAPublicKey; node:crypto only (engine). */
export type RsaVerifyFn = (pkcs1: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export const RSA_RULESET = 'proofdesk-rsa-pkcs1v15-sha256-v1';
