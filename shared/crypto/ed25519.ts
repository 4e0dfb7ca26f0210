/**
 * Ed25519 signatures under ONE verification rule set, used by every code path in Proofdesk.
 *
 * Ed25519 implementations disagree on edge cases (Chalkias, Garillot, Nikolaenko, "Taming the
 * many EdDSAs", SSR 2020, ePrint 2020/1244): whether S must be reduced, whether non-canonical
 * point encodings are accepted, whether small-order keys are allowed, and whether the
 * verification equation is multiplied by the cofactor 8. A forensic verdict must not depend on
 * which library checked it, so Proofdesk pins the rules below and applies them *before* handing
 * a signature to any library (this module's @noble/curves path, or the node:crypto/OpenSSL
 * fast path in electron/platform/ed25519-node.ts). Both paths are tested to agree on RFC 8032,
 * Wycheproof and a generated edge-case catalogue (test/unit/shared/crypto/ed25519.test.ts).
 *
 * ## Rule set `proofdesk-ed25519-strict-v1`
 *
 * Pure Ed25519 (RFC 8032 §5.1, no context, no prehash). Checks in this order; the first that
 * fails is the reason reported ({@link Ed25519Reject}, or `EQUATION`):
 *
 *  1. `SIG_LENGTH`: the signature is exactly 64 bytes (R || S). RFC 8032 §5.1.7 step 1.
 *  2. `KEY_LENGTH`: the public key A is exactly 32 bytes.
 *  3. `S_NOT_CANONICAL`: S, read little-endian, is < L = 2^252 + 27742317777372353535851937790883648493.
 *     RFC 8032 §5.1.7 step 1 (S is decoded "in the range 0 <= s < L"; a decoding failure,
 *     "including S being out of range", makes the signature invalid). Without it, S + L is a
 *     second valid signature for the same message (malleability; Wycheproof
 *     `SignatureMalleability`).
 *  4. `R_NOT_CANONICAL`: R is a canonical point encoding (RFC 8032 §5.1.3, which §5.1.7 step 1
 *     applies to R and A): y < p = 2^255 - 19 (step 1: "if the resulting value is >= p,
 *     decoding fails"), and not x = 0 with the sign bit set (step 4: "if x = 0, and x_0 = 1,
 *     decoding fails"; the only points with x = 0 are y = 1 and y = p - 1).
 *  5. `R_SMALL_ORDER`: R is not one of the 8 points of small order (the torsion subgroup). An
 *     honest signer's R = [r]B has order L; a small-order R is always crafted. libsodium rejects
 *     it as well.
 *  6. `A_NOT_CANONICAL`: A is a canonical encoding (same rule as 4).
 *  7. `A_NOT_ON_CURVE`: A decodes to a curve point (RFC 8032 §5.1.3: x² = (y²-1)/(dy²+1) has
 *     a square root).
 *  8. `A_SMALL_ORDER`: A is not one of the 8 small-order points. With a small-order A, [k]A
 *     takes at most 8 values, so one (R, S) verifies for a large fraction of all messages (for
 *     the identity, for every message): the signature no longer binds the message or the key
 *     ("strong binding" in Chalkias et al.). RFC 8032 does not require this check; libsodium,
 *     Chalkias et al.'s recommended formulation and noble's strict mode all make it.
 *  9. `EQUATION`: the cofactorless equation [S]B = R + [k]A holds, with
 *     k = SHA-512(R || A || M) mod L computed over the exact bytes of R and A. It is checked
 *     as OpenSSL, BoringSSL and Go do: compute R' = [S]B - [k]A and compare its canonical
 *     encoding with the 32 bytes of R. An R that is not a curve point can therefore never
 *     verify; it is not decoded separately (that would cost a square root per signature).
 *
 * Decisions, and why:
 *  - Cofactorless: RFC 8032 §5.1.7 step 3 states the cofactored equation
 *    [8][S]B = [8]R + [8][k]A and says it is "sufficient, but not required" to check
 *    [S]B = R + [k]A instead. We check the latter because it is what node:crypto (OpenSSL),
 *    Go crypto/ed25519, BoringSSL and libsodium check, so a signature Proofdesk accepts
 *    verifies with those standard tools (the two equations differ only when R or A carries
 *    a torsion component, which honest signers never produce). Chalkias et al. favour the cofactored equation for compatibility with batch
 *    verification; Proofdesk never batch-verifies. NOTE: @noble/curves' (and @noble/ed25519's)
 *    own `verify` are always cofactored, even with `{ zip215: false }`; this module therefore
 *    uses noble only for point arithmetic, hashing and signing, and checks the equation itself.
 *  - Mixed-order keys (A = prime-order point + non-zero torsion) are not rejected: detecting
 *    them costs a full scalar multiplication, honest key generation never produces them, and
 *    under the cofactorless equation a signature verifies only if the exact equation holds.
 *  - x = 0 with the sign bit set is non-canonical (rule 4/6), as RFC 8032 §5.1.3 says. For A,
 *    those two encodings denote small-order points and are rejected by rule 6 before rule 8.
 *
 * Consequence: every signature accepted under this rule set is also accepted by OpenSSL: its
 * checks (S < L, a lenient decoding of A, the encoding of [S]B - [k]A equal to R) are a subset
 * of ours; the tests confirm it on every vector. The same argument applies to Go
 * crypto/ed25519 and libsodium (not run here). OpenSSL alone additionally accepts signatures
 * under small-order or non-canonically encoded keys and with R = identity; the test catalogue
 * shows each such case.
 *
 * Cost: rules 1-6 are byte comparisons; rules 7-8 need a point decompression, so their
 * verdict is cached per public key (a bounded map), as a log has few keys and many signatures.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '../encoding/bytes.js';
import { ProofdeskError } from '../verdict/errors.js';

type Point = ReturnType<typeof ed25519.Point.fromBytes>;

/** Identifier of the verification rule set documented above; recorded in reports. */
export const ED25519_RULESET = 'proofdesk-ed25519-strict-v1';

export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;
export const ED25519_SEED_SIZE = 32;

/** Order of the prime subgroup, L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1). */
export const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

/** L as 32 little-endian bytes, for the byte-wise S < L check. */
const L_LE: Uint8Array = (() => {
  const out = new Uint8Array(32);
  let v = ED25519_L;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
})();

/**
 * Canonical encodings of the 8 points of small order (the torsion subgroup E[8]). Non-canonical
 * encodings of these points are caught by the canonical-encoding rule first. The test suite
 * re-derives this set with point arithmetic.
 */
export const ED25519_SMALL_ORDER_ENCODINGS: readonly string[] = Object.freeze([
  '0100000000000000000000000000000000000000000000000000000000000000', // identity, order 1
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // (0, -1), order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
]);
const SMALL_ORDER: readonly Uint8Array[] = ED25519_SMALL_ORDER_ENCODINGS.map((h) => {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return b;
});

/** Why a signature fails the structural pre-checks (rules 1-8 above). */
export type Ed25519Reject =
  | 'SIG_LENGTH'
  | 'KEY_LENGTH'
  | 'S_NOT_CANONICAL'
  | 'R_NOT_CANONICAL'
  | 'R_SMALL_ORDER'
  | 'A_NOT_CANONICAL'
  | 'A_NOT_ON_CURVE'
  | 'A_SMALL_ORDER';

/** Every reason a signature can fail under the rule set: a pre-check, or the equation (rule 9). */
export type Ed25519Failure = Ed25519Reject | 'EQUATION';

export type Ed25519Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: Ed25519Failure };

/**
 * Whether a 32-byte little-endian point encoding is canonical: y < p and not (x = 0 with the
 * sign bit set). Requires enc.length === 32. RFC 8032 §5.1.3 steps 1 and 4.
 */
function isCanonicalPointEncoding(enc: Uint8Array): boolean {
  // y >= p = 2^255 - 19 means bytes 1..30 are 0xff, byte 31 (sign bit masked) is 0x7f and
  // byte 0 >= 0xed. Those y values (p .. 2^255-1) are the only non-canonical ones.
  let allFF = (enc[31]! & 0x7f) === 0x7f;
  for (let i = 1; i < 31 && allFF; i++) allFF = enc[i] === 0xff;
  if (allFF && enc[0]! >= 0xed) return false;
  if (enc[31]! & 0x80) {
    // x = 0 exactly for y = 1 and y = p - 1; with the sign bit set these have no valid decoding.
    if (allFF && enc[0] === 0xec) return false; // y = p - 1
    if (enc[0] === 1 && (enc[31]! & 0x7f) === 0) {
      let zero = true;
      for (let i = 1; i < 31 && zero; i++) zero = enc[i] === 0;
      if (zero) return false; // y = 1
    }
  }
  return true;
}

/** Whether S (32 bytes, little-endian) is < L. Requires s.length === 32. RFC 8032 §5.1.7. */
function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_LE[i]!) return true;
    if (s[i]! > L_LE[i]!) return false;
  }
  return false; // S == L
}

/** Whether a canonical 32-byte encoding is one of the 8 small-order points. */
function isSmallOrderEncoding(enc: Uint8Array): boolean {
  // Early-exit comparison on purpose: the inputs are public, and this runs per signature.
  outer: for (const p of SMALL_ORDER) {
    for (let i = 0; i < 32; i++) if (enc[i] !== p[i]) continue outer;
    return true;
  }
  return false;
}

/**
 * Signature-only pre-checks (rules 1, 3, 4, 5): byte comparisons, no point arithmetic.
 * Returns the first failing rule, or undefined.
 */
export function precheckEd25519Signature(signature: Uint8Array): Ed25519Reject | undefined {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return 'SIG_LENGTH';
  if (!isCanonicalScalar(signature.subarray(32, 64))) return 'S_NOT_CANONICAL';
  const r = signature.subarray(0, 32);
  if (!isCanonicalPointEncoding(r)) return 'R_NOT_CANONICAL';
  if (isSmallOrderEncoding(r)) return 'R_SMALL_ORDER';
  return undefined;
}

type DecodedKey = { readonly point: Point } | { readonly reject: Ed25519Reject };

/** Uncached key checks (rules 2, 6, 7, 8) returning the decoded point when they pass. */
function decodeKey(publicKey: Uint8Array): DecodedKey {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return { reject: 'KEY_LENGTH' };
  if (!isCanonicalPointEncoding(publicKey)) return { reject: 'A_NOT_CANONICAL' };
  let point: Point;
  try {
    // Strict (non-ZIP-215) decoding; the canonical checks above already passed, so a failure
    // here means y has no matching x: the encoding is not a curve point.
    point = ed25519.Point.fromBytes(publicKey, false);
  } catch {
    return { reject: 'A_NOT_ON_CURVE' };
  }
  if (isSmallOrderEncoding(publicKey)) return { reject: 'A_SMALL_ORDER' };
  return { point };
}

// Bounded per-key cache of decode verdicts. A log has a handful of keys; the bound only
// protects against a hostile bundle that cycles through many keys.
const KEY_CACHE_MAX = 1024;
const keyCache = new Map<string, DecodedKey>();

function decodeKeyCached(publicKey: Uint8Array): DecodedKey {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return { reject: 'KEY_LENGTH' };
  // One UTF-16 unit per byte: an exact map key, much cheaper than hex.
  const id = String.fromCharCode.apply(null, publicKey as unknown as number[]);
  let entry = keyCache.get(id);
  if (entry === undefined) {
    entry = decodeKey(publicKey);
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, entry);
  }
  return entry;
}

/**
 * Public-key pre-checks (rules 2, 6, 7, 8). The verdict is cached per key, so this is cheap
 * after the first call for a key. Returns the first failing rule, or undefined.
 */
export function precheckEd25519PublicKey(publicKey: Uint8Array): Ed25519Reject | undefined {
  const d = decodeKeyCached(publicKey);
  return 'reject' in d ? d.reject : undefined;
}

/**
 * The structural pre-checks of {@link ED25519_RULESET} (rules 1-8), in the documented order.
 * Returns the first failing rule, or undefined if the signature may be handed to the
 * equation check (rule 9) of any implementation.
 */
export function precheckEd25519(publicKey: Uint8Array, signature: Uint8Array): Ed25519Reject | undefined {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return 'SIG_LENGTH';
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return 'KEY_LENGTH';
  return precheckEd25519Signature(signature) ?? precheckEd25519PublicKey(publicKey);
}

function bytesToBigIntLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/**
 * Verifies an Ed25519 signature under {@link ED25519_RULESET}, returning the failing rule.
 * Total on any byte strings: never throws for bad signatures, keys or lengths.
 * RFC 8032 §5.1.7 with the stricter checks documented at the top of this module.
 */
export function checkEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Ed25519Verdict {
  return checkEd25519Challenge(publicKey, signature, (r, a) =>
    sha512.create().update(r).update(a).update(message).digest(),
  );
}

/**
 * checkEd25519 for a message the caller cannot hold at once (a report file of hundreds of
 * megabytes): `challenge(R, A)` returns SHA-512(R || A || M) (RFC 8032 §5.1.7 step 2), hashed
 * as the caller reads M. It is called only once rules 1–8 have passed, so a signature refused on
 * its bytes costs no read of the message. Same rules, same verdicts as checkEd25519.
 */
export function checkEd25519Challenge(
  publicKey: Uint8Array,
  signature: Uint8Array,
  challenge: (r: Uint8Array, a: Uint8Array) => Uint8Array,
): Ed25519Verdict {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return { ok: false, reason: 'SIG_LENGTH' };
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return { ok: false, reason: 'KEY_LENGTH' };
  const sigReject = precheckEd25519Signature(signature);
  if (sigReject) return { ok: false, reason: sigReject };
  const key = decodeKeyCached(publicKey);
  if ('reject' in key) return { ok: false, reason: key.reject };

  const r = signature.subarray(0, 32);
  const s = bytesToBigIntLE(signature.subarray(32, 64)); // < L, checked above
  // k = SHA-512(R || A || M) mod L over the exact bytes (RFC 8032 §5.1.7 step 2).
  const h = challenge(r, publicKey);
  if (h.length !== 64) throw new ProofdeskError('INTERNAL', 'the Ed25519 challenge is a 64-byte SHA-512 digest');
  const k = bytesToBigIntLE(h) % ED25519_L;
  // Rule 9, cofactorless: R' = [S]B - [k]A must encode to exactly R. Variable-time
  // arithmetic is fine: every input to verification is public. multiplyUnsafe takes 0 <= n < L,
  // which S (checked above) and k (reduced) are.
  const rCheck = ed25519.Point.BASE.multiplyUnsafe(s).subtract(key.point.multiplyUnsafe(k));
  return bytesEqual(rCheck.toBytes(), r) ? { ok: true } : { ok: false, reason: 'EQUATION' };
}

/**
 * Verifies an Ed25519 signature under {@link ED25519_RULESET} with @noble/curves point
 * arithmetic. Never throws for untrusted input; returns false for any failure.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return checkEd25519(publicKey, message, signature).ok;
}

function assertSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE) {
    throw new ProofdeskError('KEY_INVALID', `an Ed25519 private key seed must be ${ED25519_SEED_SIZE} bytes`, {
      reason: 'RAW_LENGTH',
    });
  }
}

/**
 * Signs a message with a 32-byte RFC 8032 private key seed (deterministic, RFC 8032 §5.1.6).
 * Throws ProofdeskError('KEY_INVALID') if the seed is not 32 bytes.
 */
export function signEd25519(seed32: Uint8Array, message: Uint8Array): Uint8Array {
  assertSeed(seed32);
  return ed25519.sign(message, seed32);
}

/**
 * The 32-byte public key A = [s]B for a 32-byte private key seed (RFC 8032 §5.1.5).
 * Throws ProofdeskError('KEY_INVALID') if the seed is not 32 bytes.
 */
export function publicKeyFromSeed(seed32: Uint8Array): Uint8Array {
  assertSeed(seed32);
  return ed25519.getPublicKey(seed32);
}
