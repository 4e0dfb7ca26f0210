/**
 * Ed25519 under ED25519_RULESET: known-answer vectors, Wycheproof, and a generated edge-case
 * catalogue, run through BOTH verifiers (shared/crypto/ed25519.ts on @noble/curves, and
 * electron/platform/ed25519-node.ts on node:crypto / OpenSSL). Every case also records what
 * OpenSSL and noble's stock `verify` say WITHOUT our pre-checks, which documents exactly where
 * the libraries disagree and why the pre-checks exist.
 *
 * Edge cases are built with @noble/curves point arithmetic from fixed seeds and deterministic
 * message searches; OpenSSL, which shares no code with noble, is the independent check.
 */
import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { ed25519 as curves } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  checkEd25519Chunks,
  checkEd25519Node,
  crossCheckVerify,
  verifyEd25519Node,
} from '../../../../electron/platform/ed25519-node.js';
import {
  checkEd25519,
  checkEd25519Challenge,
  ED25519_L,
  ED25519_PUBLIC_KEY_SIZE,
  ED25519_RULESET,
  ED25519_SEED_SIZE,
  ED25519_SIGNATURE_SIZE,
  ED25519_SMALL_ORDER_ENCODINGS,
  type Ed25519Failure,
  precheckEd25519,
  precheckEd25519PublicKey,
  precheckEd25519Signature,
  publicKeyFromSeed,
  signEd25519,
  verifyEd25519,
} from '../../../../shared/crypto/ed25519.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import { readVectorJson } from '../../../support/vectors.js';

const P = curves.Point;
const FIELD_P = (1n << 255n) - 19n;
const SPKI_PREFIX = fromHex('302a300506032b6570032100');

/** OpenSSL alone, no pre-checks: what `openssl pkeyutl -verify` would say. */
function rawOpenSsl(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, pub)), format: 'der', type: 'spki' });
  return opensslVerify(null, msg, key, sig);
}
/** noble's own verify (always cofactored), strict or ZIP-215 decoding. */
function nobleStock(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array, zip215: boolean): boolean {
  try {
    return curves.verify(sig, msg, pub, { zip215 });
  } catch {
    return false;
  }
}

/** Both of our paths: same reason, same boolean, crossCheck agrees. */
function ourVerdict(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): Ed25519Failure | 'OK' {
  const a = checkEd25519(pub, msg, sig);
  const b = checkEd25519Node(pub, msg, sig);
  expect(b).toEqual(a);
  // The streamed path (a report file read in chunks): same verdict, however the message is cut.
  const cut = Math.floor(msg.length / 3);
  expect(
    checkEd25519Chunks(pub, () => [msg.subarray(0, cut), msg.subarray(cut, 2 * cut), msg.subarray(2 * cut)], sig),
  ).toEqual(a);
  expect(verifyEd25519(pub, msg, sig)).toBe(a.ok);
  expect(verifyEd25519Node(pub, msg, sig)).toBe(a.ok);
  expect(crossCheckVerify(pub, msg, sig)).toBe(a.ok);
  return a.ok ? 'OK' : a.reason;
}

describe('checkEd25519Challenge (the message hashed by the caller)', () => {
  it('reads nothing for a signature refused on its bytes, and takes only a 64-byte digest', () => {
    const seed = new Uint8Array(32).fill(3);
    const pub = publicKeyFromSeed(seed);
    const msg = utf8('streamed');
    const sig = signEd25519(seed, msg);
    let calls = 0;
    const challenge = (r: Uint8Array, a: Uint8Array) => {
      calls++;
      return sha512(concatBytes(r, a, msg));
    };
    expect(checkEd25519Challenge(pub, sig, challenge)).toEqual({ ok: true });
    expect(checkEd25519Challenge(pub, new Uint8Array(64).fill(0xff), challenge)).toEqual({
      ok: false,
      reason: 'S_NOT_CANONICAL',
    });
    expect(calls).toBe(1);
    expect(() => checkEd25519Challenge(pub, sig, () => new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });
});

describe('rule set', () => {
  it('is named', () => {
    expect(ED25519_RULESET).toBe('proofdesk-ed25519-strict-v1');
  });
});

// ── RFC 8032 §7.1 ────────────────────────────────────────────────────────────────────────

interface RfcVector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}
const rfc = readVectorJson<{ vectors: RfcVector[] }>('ed25519', 'rfc8032-section-7.1.json').vectors;

describe('RFC 8032 §7.1 test vectors', () => {
  it('has all 5 vectors', () => {
    expect(rfc.map((v) => v.name)).toEqual(['TEST 1', 'TEST 2', 'TEST 3', 'TEST 1024', 'TEST SHA(abc)']);
  });
  it.each(rfc.map((v) => [v.name, v] as const))('%s: derive, sign, verify on both paths', (_n, v) => {
    const seed = fromHex(v.secretKey);
    const pub = fromHex(v.publicKey);
    const msg = fromHex(v.message);
    const sig = fromHex(v.signature);
    expect(toHex(publicKeyFromSeed(seed))).toBe(v.publicKey);
    expect(toHex(signEd25519(seed, msg))).toBe(v.signature);
    expect(ourVerdict(pub, msg, sig)).toBe('OK');
    expect(rawOpenSsl(pub, msg, sig)).toBe(true);
  });
  it('rejects single-bit flips of signature, message and key on both paths', () => {
    let runs = 0;
    for (const v of rfc) {
      const pub = fromHex(v.publicKey);
      const msg = fromHex(v.message);
      const sig = fromHex(v.signature);
      for (const bit of [0, 7, 100, 255, 256, 300, 511]) {
        const s = sig.slice();
        s[bit >> 3]! ^= 1 << (bit & 7);
        expect(ourVerdict(pub, msg, s)).not.toBe('OK');
        runs++;
      }
      for (const bit of [0, 9, 255]) {
        const k = pub.slice();
        k[bit >> 3]! ^= 1 << (bit & 7);
        expect(ourVerdict(k, msg, sig)).not.toBe('OK');
        runs++;
      }
      const m = msg.length > 0 ? msg.slice() : Uint8Array.of(0);
      m[0]! ^= 1;
      expect(ourVerdict(pub, m, sig)).not.toBe('OK');
      runs++;
    }
    expect(runs).toBe(5 * 11);
  });
  it('signing validates its seed', () => {
    expect(() => signEd25519(new Uint8Array(31), new Uint8Array())).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID', detail: { reason: 'RAW_LENGTH' } }),
    );
    expect(() => publicKeyFromSeed(new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID', detail: { reason: 'RAW_LENGTH' } }),
    );
  });
});

// ── Wycheproof ───────────────────────────────────────────────────────────────────────────

interface WycheproofFile {
  numberOfTests: number;
  testGroups: Array<{
    publicKey: { pk: string };
    tests: Array<{ tcId: number; comment: string; flags: string[]; msg: string; sig: string; result: string }>;
  }>;
}
const wycheproof = readVectorJson<WycheproofFile>('ed25519', 'wycheproof', 'ed25519_test.json');

describe('Wycheproof ed25519_test.json', () => {
  it('runs all 151 tests through both paths with the expected result', () => {
    let total = 0;
    let valid = 0;
    let invalid = 0;
    const reasons: Record<string, number> = {};
    for (const g of wycheproof.testGroups) {
      const pub = fromHex(g.publicKey.pk);
      for (const t of g.tests) {
        const msg = fromHex(t.msg);
        const sig = fromHex(t.sig);
        const verdict = ourVerdict(pub, msg, sig);
        expect({ tcId: t.tcId, ok: verdict === 'OK' }).toEqual({ tcId: t.tcId, ok: t.result === 'valid' });
        // OpenSSL without pre-checks agrees on every Wycheproof vector (lengths aside, which
        // Node rejects before OpenSSL): the pre-checks change nothing here.
        if (sig.length === 64) expect(rawOpenSsl(pub, msg, sig)).toBe(t.result === 'valid');
        reasons[verdict] = (reasons[verdict] ?? 0) + 1;
        total++;
        if (t.result === 'valid') valid++;
        else invalid++;
      }
    }
    expect(total).toBe(151);
    expect(wycheproof.numberOfTests).toBe(151);
    expect(valid).toBe(88);
    expect(invalid).toBe(63);
    expect(reasons.OK).toBe(88);
    // How the 63 invalid vectors are rejected under the rule set.
    expect(reasons).toEqual({
      OK: 88,
      SIG_LENGTH: 12,
      S_NOT_CANONICAL: 17,
      R_NOT_CANONICAL: 5,
      R_SMALL_ORDER: 7,
      EQUATION: 22,
    });
  });
});

// ── the small-order table ────────────────────────────────────────────────────────────────

/** 32 little-endian bytes. */
function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
function leToBig(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
const mulL = (pt: InstanceType<typeof P>) => pt.multiplyUnsafe(ED25519_L - 1n).add(pt); // [L]pt

/** A point of order 8, derived from an arbitrary curve point by killing its prime-order part. */
const T8 = (() => {
  for (let i = 0; ; i++) {
    try {
      const q = P.fromBytes(sha256(utf8(`proofdesk torsion ${i}`)));
      const t = mulL(q);
      if (!t.double().double().is0()) return t; // [4]t != 0: order exactly 8
    } catch {
      // not a point encoding; try the next
    }
  }
})();
const TORSION = Array.from({ length: 8 }, (_, i) => (i === 0 ? P.ZERO : T8.multiplyUnsafe(BigInt(i))));
function order(t: InstanceType<typeof P>): number {
  for (const n of [1, 2, 4, 8]) if (t.multiplyUnsafe(BigInt(n)).is0()) return n;
  throw new Error('not a torsion point');
}

describe('small-order encodings', () => {
  it('ED25519_SMALL_ORDER_ENCODINGS is exactly the torsion subgroup E[8]', () => {
    const derived = TORSION.map((t) => toHex(t.toBytes())).sort();
    expect(new Set(derived).size).toBe(8);
    expect([...ED25519_SMALL_ORDER_ENCODINGS].sort()).toEqual(derived);
    expect(TORSION.map(order).sort()).toEqual([1, 2, 4, 4, 8, 8, 8, 8]);
  });
});

// ── the edge-case catalogue ──────────────────────────────────────────────────────────────

const SIGNER = curves.utils.getExtendedPublicKey(sha256(utf8('proofdesk ed25519 edge-case signer')));
const a = SIGNER.scalar;
const A = SIGNER.pointBytes;

function kOf(rBytes: Uint8Array, aBytes: Uint8Array, msg: Uint8Array): bigint {
  return mod(leToBig(sha512(concatBytes(rBytes, aBytes, msg))), ED25519_L);
}
function nonce(label: string): bigint {
  return mod(leToBig(sha512(utf8(`nonce ${label}`))), ED25519_L);
}
/** First message `label i` whose k (for the given R and A bytes) satisfies pred. */
function findMessage(
  label: string,
  rBytes: (m: Uint8Array) => Uint8Array,
  aBytes: Uint8Array,
  pred: (k: bigint) => boolean,
): Uint8Array {
  for (let i = 0; i < 10_000; i++) {
    const m = utf8(`${label} ${i}`);
    if (pred(kOf(rBytes(m), aBytes, m))) return m;
  }
  throw new Error(`no message found for ${label}`);
}
function noncanonical(y: bigint, signBit = false): Uint8Array {
  const b = le32(y);
  if (signBit) b[31]! |= 0x80;
  return b;
}

interface EdgeCase {
  name: string;
  pub: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
  /** Verdict under ED25519_RULESET (both paths). */
  expected: Ed25519Failure | 'OK';
  /** What OpenSSL says without our pre-checks. */
  openssl: boolean;
  /** noble `verify(..., { zip215: false })` (strict decoding, cofactored equation). */
  nobleStrict: boolean;
  /** noble `verify` default (ZIP-215 decoding, cofactored equation). */
  nobleZip215: boolean;
}

function buildCatalogue(): EdgeCase[] {
  const cases: EdgeCase[] = [];
  const honest = (msg: Uint8Array, r = nonce(toHex(msg))) => {
    const R = P.BASE.multiply(r).toBytes();
    const S = mod(r + kOf(R, A, msg) * a, ED25519_L);
    return { R, S };
  };

  // Baseline: an honest signature.
  {
    const msg = utf8('baseline');
    const { R, S } = honest(msg);
    cases.push({
      name: 'honest signature',
      pub: A,
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'OK',
      openssl: true,
      nobleStrict: true,
      nobleZip215: true,
    });
  }
  // Malleability: S + L, S + 2L, S = L.
  {
    const msg = utf8('malleable');
    const { R, S } = honest(msg);
    cases.push({
      name: 'S + L',
      pub: A,
      msg,
      sig: concatBytes(R, le32(S + ED25519_L)),
      expected: 'S_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
    cases.push({
      name: 'S + 2L',
      pub: A,
      msg,
      sig: concatBytes(R, le32(S + 2n * ED25519_L)),
      expected: 'S_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
    cases.push({
      name: 'S = L',
      pub: A,
      msg,
      sig: concatBytes(R, le32(ED25519_L)),
      expected: 'S_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
    cases.push({
      name: 'S = 0',
      pub: A,
      msg,
      sig: concatBytes(R, le32(0n)),
      expected: 'EQUATION',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
  }
  // Non-canonical R encodings of the identity; S = k·a makes [S]B = R + [k]A hold for the
  // decoded point, so only the encoding rule rejects them.
  for (const [name, R] of [
    ['R = identity encoded with y = p + 1', noncanonical(FIELD_P + 1n)],
    ['R = identity encoded with x = 0 and sign bit set', noncanonical(1n, true)],
  ] as const) {
    const msg = utf8(name);
    const S = mod(kOf(R, A, msg) * a, ED25519_L);
    cases.push({
      name,
      pub: A,
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'R_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: true,
    });
  }
  // Non-canonical R of large order (y = p + 3): not a valid signature either way.
  {
    const msg = utf8('R non-canonical large order');
    const { S } = honest(msg);
    cases.push({
      name: 'R encoded with y = p + 3',
      pub: A,
      msg,
      sig: concatBytes(noncanonical(FIELD_P + 3n), le32(S)),
      expected: 'R_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
  }
  // Non-canonical A encodings of small-order points. With R = [r]B and S = r the equation
  // holds whenever [k]A = 0, for any message: a universal forgery that OpenSSL accepts.
  for (const [name, pubBytes, ord] of [
    ['A = identity encoded with y = p + 1', noncanonical(FIELD_P + 1n), 1],
    ['A = identity encoded with x = 0 and sign bit set', noncanonical(1n, true), 1],
    ['A = (0, -1) encoded with x = 0 and sign bit set', noncanonical(FIELD_P - 1n, true), 2],
    ['A = order-4 point encoded with y = p', noncanonical(FIELD_P), 4],
  ] as const) {
    const r = nonce(name);
    const R = P.BASE.multiply(r).toBytes();
    const msg = findMessage(
      name,
      () => R,
      pubBytes,
      (k) => k % BigInt(ord) === 0n,
    );
    cases.push({
      name,
      pub: pubBytes,
      msg,
      sig: concatBytes(R, le32(r)),
      expected: 'A_NOT_CANONICAL',
      openssl: true,
      nobleStrict: false,
      nobleZip215: true,
    });
  }
  // Non-canonical A of large order (y = p + 3).
  {
    const msg = utf8('A non-canonical large order');
    const { R, S } = honest(msg);
    cases.push({
      name: 'A encoded with y = p + 3',
      pub: noncanonical(FIELD_P + 3n),
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'A_NOT_CANONICAL',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
  }
  // All 8 small-order A, each with a signature the exact equation accepts ([k]A = 0).
  TORSION.forEach((T, i) => {
    const pubBytes = T.toBytes();
    const name = `small-order A #${i} (order ${order(T)})`;
    const r = nonce(name);
    const R = P.BASE.multiply(r).toBytes();
    const msg = findMessage(
      name,
      () => R,
      pubBytes,
      (k) => k % BigInt(order(T)) === 0n,
    );
    cases.push({
      name,
      pub: pubBytes,
      msg,
      sig: concatBytes(R, le32(r)),
      expected: 'A_SMALL_ORDER',
      openssl: true,
      nobleStrict: false,
      nobleZip215: true,
    });
  });
  // All 8 small-order R with S = k·a: [S]B = [k]A, so the exact equation holds only for
  // R = identity, the cofactored one for all 8.
  TORSION.forEach((T, i) => {
    const R = T.toBytes();
    const name = `small-order R #${i} (order ${order(T)})`;
    const msg = utf8(name);
    const S = mod(kOf(R, A, msg) * a, ED25519_L);
    cases.push({
      name,
      pub: A,
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'R_SMALL_ORDER',
      openssl: i === 0,
      nobleStrict: true,
      nobleZip215: true,
    });
  });
  // Mixed-order A = [a]B + T8. An honest-looking signature satisfies the exact equation iff
  // [k]T8 = 0, i.e. k ≡ 0 (mod 8).
  {
    const mixed = P.BASE.multiply(a).add(T8).toBytes();
    for (const [name, pred, expected, openssl] of [
      ['mixed-order A, k ≡ 0 (mod 8): exact equation holds', (k: bigint) => k % 8n === 0n, 'OK', true],
      [
        'mixed-order A, k ≢ 0 (mod 8): only the cofactored equation holds',
        (k: bigint) => k % 8n !== 0n,
        'EQUATION',
        false,
      ],
    ] as const) {
      const r = nonce(name);
      const R = P.BASE.multiply(r).toBytes();
      const msg = findMessage(name, () => R, mixed, pred);
      const S = mod(r + kOf(R, mixed, msg) * a, ED25519_L);
      cases.push({
        name,
        pub: mixed,
        msg,
        sig: concatBytes(R, le32(S)),
        expected,
        openssl,
        nobleStrict: true,
        nobleZip215: true,
      });
    }
  }
  // The cofactored-vs-cofactorless distinguishing case: R = [r]B + T8 (mixed order, not small
  // order), honest key. [S]B = R + [k]A - T8: only [8][S]B = [8]R + [8][k]A holds.
  {
    const msg = utf8('cofactored only');
    const r = nonce('cofactored only');
    const R = P.BASE.multiply(r).add(T8).toBytes();
    const S = mod(r + kOf(R, A, msg) * a, ED25519_L);
    cases.push({
      name: 'R = [r]B + T8: passes only the cofactored equation',
      pub: A,
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'EQUATION',
      openssl: false,
      nobleStrict: true,
      nobleZip215: true,
    });
  }
  // Encodings that are not curve points.
  {
    const msg = utf8('off curve');
    const { R, S } = honest(msg);
    cases.push({
      name: 'A not on the curve (y = 2)',
      pub: le32(2n),
      msg,
      sig: concatBytes(R, le32(S)),
      expected: 'A_NOT_ON_CURVE',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
    cases.push({
      name: 'R not on the curve (y = 2)',
      pub: A,
      msg,
      sig: concatBytes(le32(2n), le32(S)),
      expected: 'EQUATION',
      openssl: false,
      nobleStrict: false,
      nobleZip215: false,
    });
  }
  return cases;
}

const catalogue = buildCatalogue();

describe('edge-case catalogue (both paths agree, documented verdicts)', () => {
  it('has the expected number of cases', () => {
    expect(catalogue.length).toBe(34);
  });
  it.each(catalogue.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(ourVerdict(c.pub, c.msg, c.sig)).toBe(c.expected);
    expect(precheckEd25519(c.pub, c.sig) ?? 'PASS').toBe(
      c.expected === 'OK' || c.expected === 'EQUATION' ? 'PASS' : c.expected,
    );
    // What the libraries say on their own: where these differ from `expected`, the rule
    // set (pre-checks or our cofactorless equation) is what makes the paths agree.
    expect({
      openssl: rawOpenSsl(c.pub, c.msg, c.sig),
      nobleStrict: nobleStock(c.pub, c.msg, c.sig, false),
      nobleZip215: nobleStock(c.pub, c.msg, c.sig, true),
    }).toEqual({
      openssl: c.openssl,
      nobleStrict: c.nobleStrict,
      nobleZip215: c.nobleZip215,
    });
  });
  it('summarises where OpenSSL alone would have disagreed with the rule set', () => {
    const opensslOnly = catalogue.filter((c) => c.openssl !== (c.expected === 'OK')).map((c) => c.expected);
    // 4 non-canonical small-order keys, 8 small-order keys, R = identity.
    expect(opensslOnly.sort()).toEqual([
      ...Array(4).fill('A_NOT_CANONICAL'),
      ...Array(8).fill('A_SMALL_ORDER'),
      'R_SMALL_ORDER',
    ]);
  });
  it('rejects wrong lengths on both paths', () => {
    const msg = utf8('lengths');
    const sig = signEd25519(sha256(utf8('x')), msg);
    const pub = publicKeyFromSeed(sha256(utf8('x')));
    expect(ourVerdict(pub, msg, sig)).toBe('OK');
    expect(ourVerdict(pub, msg, sig.subarray(0, 63))).toBe('SIG_LENGTH');
    expect(ourVerdict(pub, msg, concatBytes(sig, Uint8Array.of(0)))).toBe('SIG_LENGTH');
    expect(ourVerdict(pub, msg, new Uint8Array(0))).toBe('SIG_LENGTH');
    expect(ourVerdict(pub.subarray(0, 31), msg, sig)).toBe('KEY_LENGTH');
    expect(ourVerdict(concatBytes(pub, Uint8Array.of(0)), msg, sig)).toBe('KEY_LENGTH');
    expect(ourVerdict(new Uint8Array(0), msg, new Uint8Array(0))).toBe('SIG_LENGTH');
  });
  it('verifies through subarray views (byteOffset != 0)', () => {
    const seed = sha256(utf8('views'));
    const msg = utf8('views');
    const buf = concatBytes(Uint8Array.of(9, 9, 9), publicKeyFromSeed(seed), signEd25519(seed, msg));
    expect(ourVerdict(buf.subarray(3, 35), msg, buf.subarray(35, 99))).toBe('OK');
  });
});

/*
 * The structural pre-checks of proofdesk-ed25519-strict-v1 (rules 1-8), called
 * on their own as the node:crypto fast path calls them: the RFC 8032 §7.1 vectors pass, and each
 * rule rejects exactly the encodings at its boundary (S = L - 1 / L, y = p - 1 / p, the eight
 * small-order points, a y with no x). Sizes are those of RFC 8032 §5.1.
 */
describe('the structural pre-checks on their own', () => {
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
        expect([fromHex(v.secretKey).length, fromHex(v.publicKey).length, fromHex(v.signature).length], v.name).toEqual(
          [ED25519_SEED_SIZE, ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE],
        );
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
});
