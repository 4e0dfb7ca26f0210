/**
 * The structural pre-checks of proofdesk-ed25519-strict-v1 (shared/ed25519.ts rules 1-8), called
 * on their own as the node:crypto fast path calls them: the RFC 8032 §7.1 vectors pass, and each
 * rule rejects exactly the encodings at its boundary (S = L - 1 / L, y = p - 1 / p, the eight
 * small-order points, a y with no x). Sizes are those of RFC 8032 §5.1.
 */
import { describe, expect, it } from 'vitest';
import {
  ED25519_L,
  ED25519_PUBLIC_KEY_SIZE,
  ED25519_SEED_SIZE,
  ED25519_SIGNATURE_SIZE,
  ED25519_SMALL_ORDER_ENCODINGS,
  precheckEd25519,
  precheckEd25519PublicKey,
  precheckEd25519Signature,
  publicKeyFromSeed,
  signEd25519,
} from '../../shared/crypto/ed25519.js';
import { fromHex, toHex } from '../../shared/encoding/bytes.js';
import { readVectorJson } from '../support/vectors.js';

interface Rfc8032 {
  vectors: Array<{ name: string; secretKey: string; publicKey: string; message: string; signature: string }>;
}
const rfc = readVectorJson<Rfc8032>('ed25519', 'rfc8032-section-7.1.json').vectors;

const P = 2n ** 255n - 19n;
const D = ((-121665n * modInverse(121666n)) % P) + P;

function modPow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b %= P;
  for (; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
function modInverse(a: bigint): bigint {
  return modPow(((a % P) + P) % P, P - 2n);
}
function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
/** Whether y is the y-coordinate of a curve point: (y² - 1) / (d·y² + 1) is a square mod p (RFC 8032 §5.1.3 step 2-3). */
function hasX(y: bigint): boolean {
  const u = (y * y - 1n + P) % P;
  const v = (D * y * y + 1n) % P;
  const x2 = (u * modInverse(v)) % P;
  return x2 === 0n || modPow(x2, (P - 1n) / 2n) === 1n;
}
const sig = (r: Uint8Array, s: Uint8Array) => {
  const out = new Uint8Array(64);
  out.set(r);
  out.set(s, 32);
  return out;
};

describe('sizes (RFC 8032 §5.1.5, §5.1.6)', () => {
  it('are 32-byte seeds and public keys and 64-byte signatures, as the RFC vectors have them', () => {
    expect([ED25519_SEED_SIZE, ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE]).toEqual([32, 32, 64]);
    for (const v of rfc) {
      expect([fromHex(v.secretKey).length, fromHex(v.publicKey).length, fromHex(v.signature).length], v.name).toEqual([
        ED25519_SEED_SIZE,
        ED25519_PUBLIC_KEY_SIZE,
        ED25519_SIGNATURE_SIZE,
      ]);
      expect(toHex(publicKeyFromSeed(fromHex(v.secretKey)))).toBe(v.publicKey);
    }
  });
});

describe('precheckEd25519Signature (rules 1, 3, 4, 5)', () => {
  const R = fromHex(rfc[0]!.signature).subarray(0, 32);

  it('passes every RFC 8032 signature', () => {
    expect(rfc.length).toBeGreaterThanOrEqual(5);
    for (const v of rfc) expect(precheckEd25519Signature(fromHex(v.signature)), v.name).toBeUndefined();
  });

  it('S must be below L: L - 1 passes, L and L + 1 and 2^256 - 1 do not', () => {
    expect(precheckEd25519Signature(sig(R, le32(ED25519_L - 1n)))).toBeUndefined();
    expect(precheckEd25519Signature(sig(R, le32(0n)))).toBeUndefined();
    for (const s of [ED25519_L, ED25519_L + 1n, 2n ** 256n - 1n, ED25519_L + (ED25519_L - 1n)])
      expect(precheckEd25519Signature(sig(R, le32(s))), s.toString(16)).toBe('S_NOT_CANONICAL');
  });

  it('R must be a canonical encoding: y < p, and not x = 0 with the sign bit set', () => {
    const s0 = le32(1n);
    expect(precheckEd25519Signature(sig(le32(P - 2n), s0))).toBeUndefined(); // y = p - 2: canonical (and on the curve or not, judged later)
    for (const y of [P, P + 1n, 2n ** 255n - 1n])
      expect(precheckEd25519Signature(sig(le32(y), s0)), y.toString(16)).toBe('R_NOT_CANONICAL');
    // y = 1 and y = p - 1 are the points with x = 0; their sign bit must be clear.
    for (const y of [1n, P - 1n])
      expect(precheckEd25519Signature(sig(le32(y | (1n << 255n)), s0)), y.toString(16)).toBe('R_NOT_CANONICAL');
  });

  it('R must not be one of the eight small-order points; the length comes first', () => {
    expect(ED25519_SMALL_ORDER_ENCODINGS).toHaveLength(8);
    for (const h of ED25519_SMALL_ORDER_ENCODINGS)
      expect(precheckEd25519Signature(sig(fromHex(h), le32(1n))), h).toBe('R_SMALL_ORDER');
    for (const n of [0, 63, 65]) expect(precheckEd25519Signature(new Uint8Array(n)), `${n} bytes`).toBe('SIG_LENGTH');
    // S is judged before R: a signature bad in both is reported for S.
    expect(precheckEd25519Signature(sig(le32(P), le32(ED25519_L)))).toBe('S_NOT_CANONICAL');
  });
});

describe('precheckEd25519PublicKey (rules 2, 6, 7, 8)', () => {
  it('passes every RFC 8032 key and keys made from seeds', () => {
    for (const v of rfc) expect(precheckEd25519PublicKey(fromHex(v.publicKey)), v.name).toBeUndefined();
    const pk = publicKeyFromSeed(new Uint8Array(32).fill(7));
    expect(precheckEd25519PublicKey(pk)).toBeUndefined();
    expect(precheckEd25519(pk, signEd25519(new Uint8Array(32).fill(7), new Uint8Array(0)))).toBeUndefined();
  });

  it('rejects wrong lengths, non-canonical encodings, small-order points, and a y with no x', () => {
    for (const n of [0, 31, 33]) expect(precheckEd25519PublicKey(new Uint8Array(n)), `${n} bytes`).toBe('KEY_LENGTH');
    for (const y of [P, P + 5n, 2n ** 255n - 1n])
      expect(precheckEd25519PublicKey(le32(y)), y.toString(16)).toBe('A_NOT_CANONICAL');
    expect(precheckEd25519PublicKey(le32(1n | (1n << 255n)))).toBe('A_NOT_CANONICAL');
    for (const h of ED25519_SMALL_ORDER_ENCODINGS)
      expect(precheckEd25519PublicKey(fromHex(h)), h).toBe('A_SMALL_ORDER');
    // Which small y values lie on the curve, computed here from the curve equation.
    for (let y = 2n; y < 40n; y++) {
      const want = hasX(y) ? undefined : 'A_NOT_ON_CURVE';
      expect(precheckEd25519PublicKey(le32(y)), `y = ${y}`).toBe(want);
      // The verdict is cached per key: asking again gives the same answer.
      expect(precheckEd25519PublicKey(le32(y)), `y = ${y}, cached`).toBe(want);
    }
    expect(hasX(2n)).toBe(false);
  });
});
