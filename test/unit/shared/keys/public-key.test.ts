/**
 * Public keys of the log formats (shared/keys/public-key.ts) and Sigstore trusted-root
 * detection (shared/formats/sigstore/trusted-root.ts): SPKI wrapping checked against openssl,
 * the Rekor v1 key hint against the real trusted root and a real Rekor checkpoint, and
 * truncated, altered or oversized keys, which must fail with a typed KEY_INVALID only.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, fromBase64, readU32BE, toBase64, toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import { encodeTlv, encodeUnsignedInteger, TAG } from '../../../../shared/encoding/der.js';
import { isTrustedRootJson, parseTrustedRoot } from '../../../../shared/formats/sigstore/trusted-root.js';
import { NOTE_SIG_ECDSA, NOTE_SIG_RFC6962, spkiDer } from '../../../../shared/keys/keys.js';
import {
  parseEcdsaNoteVerifierKey,
  parsePublicKeyDer,
  parsePublicKeyPem,
  rsaSpkiFromPkcs1,
  spkiKeyHint,
} from '../../../../shared/keys/public-key.js';
import { parseNote } from '../../../../shared/tlog/note.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import { testKey } from '../../../support/fixtures.js';
import { CLOUDTRAIL_TEST_KEY, ecTestKey } from '../../../support/formats-fixtures.js';
import { readVectorJson, readVectorText } from '../../../support/vectors.js';

const openssl = (...args: string[]) =>
  new Uint8Array(execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] }));

interface TrustedRootJson {
  mediaType: string;
  tlogs: Array<{ baseUrl: string; logId: { keyId: string }; publicKey: { rawBytes: string; keyDetails: string } }>;
}
const publicGood = readVectorJson<TrustedRootJson>('sigstore', 'trusted_root.public-good.json');
const staging = readVectorJson<TrustedRootJson>('sigstore', 'conformance', 'rekor2-happy-path', 'trusted_root.json');

function keyInvalid(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ProofdeskError)) throw e;
    expect(e.code).toBe('KEY_INVALID');
    return String(e.detail?.reason);
  }
  return 'ACCEPTED';
}

describe('rsaSpkiFromPkcs1', () => {
  it('wraps a PKCS#1 RSAPublicKey exactly as openssl writes the SubjectPublicKeyInfo', () => {
    const pkcs1 = openssl('rsa', '-in', CLOUDTRAIL_TEST_KEY, '-RSAPublicKey_out', '-outform', 'DER');
    const spki = openssl('rsa', '-in', CLOUDTRAIL_TEST_KEY, '-pubout', '-outform', 'DER');
    expect(toHex(rsaSpkiFromPkcs1(pkcs1))).toBe(toHex(spki));
    // Both forms parse to the same key with the same fingerprint (SHA-256 of the SPKI).
    const a = parsePublicKeyDer(pkcs1);
    const b = parsePublicKeyDer(spki);
    expect([a.kind, a.fingerprint]).toEqual(['rsa', b.fingerprint]);
    expect(b.fingerprint).toBe(
      toHex(new Uint8Array(execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: spki }))),
    );
  });
});

describe('spkiKeyHint', () => {
  it('is the first 4 bytes of the Sigstore logId.keyId, for every ECDSA log of both trusted roots', () => {
    for (const root of [publicGood, staging]) {
      for (const t of root.tlogs.filter((x) => x.publicKey.keyDetails === 'PKIX_ECDSA_P256_SHA_256')) {
        const key = parsePublicKeyDer(fromBase64(t.publicKey.rawBytes));
        expect(spkiKeyHint(key), t.baseUrl).toBe(readU32BE(fromBase64(t.logId.keyId)));
      }
    }
  });

  it('matches the key hint of a real Rekor v1 checkpoint signature and the CT log ID of the vector key', () => {
    const b = readVectorJson<{
      verificationMaterial: { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> };
    }>('sigstore', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
    const note = parseNote(utf8(b.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope));
    if (!note.ok) throw new Error(note.reason);
    const rekor = parsePublicKeyDer(fromBase64(publicGood.tlogs[0]!.publicKey.rawBytes));
    expect(note.signatures[0]!.keyId).toBe(spkiKeyHint(rekor));
    const ct = readVectorJson<{ logKey: { logId_sha256_spki_b64: string } }>('ct', 'ctgo-sigtest-sth.json');
    const ctKey = parsePublicKeyPem(readVectorText('ct', 'ctgo-sigtest-ec256-public.pem'));
    expect(ctKey.fingerprint).toBe(toHex(fromBase64(ct.logKey.logId_sha256_spki_b64)));
    expect(spkiKeyHint(ctKey)).toBe(readU32BE(fromBase64(ct.logKey.logId_sha256_spki_b64)));
    // SHA-256("a") = ca978112…: a hint with the top bit set is read unsigned.
    expect(spkiKeyHint({ spki: utf8('a') })).toBe(0xca978112);
  });
});

describe('parseEcdsaNoteVerifierKey', () => {
  const rekorSpki = fromBase64(publicGood.tlogs[0]!.publicKey.rawBytes);
  const rekorVkey = `rekor.sigstore.dev+c0d23d6a+${toBase64(concatBytes(Uint8Array.of(0x02), rekorSpki))}`;

  it("reads Rekor's published ECDSA (0x02) verifier key: key ID = SHA-256(SPKI)[:4]", () => {
    const v = parseEcdsaNoteVerifierKey(rekorVkey)!;
    expect([v.name, v.sigType, v.keyId, v.key.kind]).toEqual(['rekor.sigstore.dev', 2, 0xc0d23d6a, 'ecdsa-p256']);
    expect(v.key.fingerprint).toBe(toHex(fromBase64(publicGood.tlogs[0]!.logId.keyId)));
    expect(v.sigType).toBe(NOTE_SIG_ECDSA);
  });

  it('reads a static-CT (0x05) verifier key: key ID = SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]', () => {
    const ec = ecTestKey('vkey-0x05');
    const name = 'ct.example/2026h1';
    const id = readU32BE(sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, 0x05), sha256(ec.spki))));
    const vkey = `${name}+${id.toString(16).padStart(8, '0')}+${toBase64(concatBytes(Uint8Array.of(0x05), ec.spki))}`;
    expect(parseEcdsaNoteVerifierKey(vkey)).toMatchObject({ name, sigType: 5, keyId: id });
    expect(NOTE_SIG_RFC6962).toBe(5);
    // The Ed25519 formula, or another name, gives another key ID: refused, not ignored.
    const other = vkey.replace(name, 'ct.example/2026h2');
    expect(() => parseEcdsaNoteVerifierKey(other)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('refuses a wrong key ID or a key of another curve; is silent on text that is no such verifier key', () => {
    const wrongId = rekorVkey.replace('c0d23d6a', 'c0d23d6b');
    expect(() => parseEcdsaNoteVerifierKey(wrongId)).toThrow(
      expect.objectContaining({ detail: expect.objectContaining({ reason: 'VKEY_KEY_ID_MISMATCH' }) }),
    );
    const ed = testKey('vkey-ed');
    const edSpki = concatBytes(fromBase64('MCowBQYDK2VwAyEA'), ed.publicKey);
    expect(() => parseEcdsaNoteVerifierKey(`x+00000000+${toBase64(concatBytes(Uint8Array.of(0x02), edSpki))}`)).toThrow(
      expect.objectContaining({ detail: expect.objectContaining({ reason: 'VKEY_MALFORMED' }) }),
    );
    for (const text of ['', 'abc', `x+00000000+${toBase64(concatBytes(Uint8Array.of(0x01), ed.publicKey))}`])
      expect(parseEcdsaNoteVerifierKey(text)).toBeUndefined();
  });
});

describe('parsePublicKeyDer on hostile input', () => {
  const spkis: Array<[string, Uint8Array]> = [
    ['P-256', ecTestKey('keys-unit').spki],
    ['Ed25519', spkiDer(testKey('keys-unit').publicKey)],
    ['RSA', openssl('rsa', '-in', CLOUDTRAIL_TEST_KEY, '-pubout', '-outform', 'DER')],
  ];

  it('every truncation and every byte flip either parses or throws KEY_INVALID, nothing else', () => {
    for (const [what, spki] of spkis) {
      expect(
        keyInvalid(() => parsePublicKeyDer(spki)),
        what,
      ).toBe('ACCEPTED');
      const reasons = new Set<string>();
      for (let i = 0; i < spki.length; i++) {
        reasons.add(keyInvalid(() => parsePublicKeyDer(spki.subarray(0, i))));
        for (const x of [0x01, 0x80]) {
          const m = spki.slice();
          m[i]! ^= x;
          reasons.add(keyInvalid(() => parsePublicKeyDer(m)));
        }
      }
      expect(reasons.has('DER_MALFORMED'), what).toBe(true);
    }
  });

  it('refuses RSA moduli outside 2048..16384 bits and even or tiny exponents', () => {
    const rsa = (nBits: number, e: bigint) => {
      const n = (1n << BigInt(nBits - 1)) | 1n;
      return encodeTlv(
        TAG.SEQUENCE,
        concatBytes(encodeTlv(TAG.INTEGER, encodeUnsignedInteger(n)), encodeTlv(TAG.INTEGER, encodeUnsignedInteger(e))),
      );
    };
    expect(keyInvalid(() => parsePublicKeyDer(rsa(2048, 65537n)))).toBe('ACCEPTED');
    expect(keyInvalid(() => parsePublicKeyDer(rsa(16384, 65537n)))).toBe('ACCEPTED');
    expect(keyInvalid(() => parsePublicKeyDer(rsa(2047, 65537n)))).toBe('RSA_KEY_SIZE');
    expect(keyInvalid(() => parsePublicKeyDer(rsa(16385, 65537n)))).toBe('RSA_KEY_SIZE');
    expect(keyInvalid(() => parsePublicKeyDer(rsa(2048, 65536n)))).toBe('RSA_EXPONENT');
    expect(keyInvalid(() => parsePublicKeyDer(rsa(2048, 1n)))).toBe('RSA_EXPONENT');
  });

  it('refuses a P-256 point off the curve and algorithms it does not support', () => {
    const ec = ecTestKey('keys-unit').spki.slice();
    ec[ec.length - 1]! ^= 1; // y no longer matches x
    expect(keyInvalid(() => parsePublicKeyDer(ec))).toBe('EC_POINT_INVALID');
    for (const alg of ['ed448', 'x25519']) {
      const priv = openssl('genpkey', '-algorithm', alg);
      const spki = new Uint8Array(
        execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], {
          input: priv,
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
      );
      expect(
        keyInvalid(() => parsePublicKeyDer(spki)),
        alg,
      ).toBe('UNSUPPORTED_ALGORITHM');
    }
  });
});

describe('isTrustedRootJson', () => {
  it('recognises both trusted roots of the vectors and nothing else', () => {
    expect(isTrustedRootJson(publicGood)).toBe(true);
    expect(isTrustedRootJson(staging)).toBe(true);
    const bundle = readVectorJson('sigstore', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
    for (const v of [
      bundle,
      null,
      [],
      'application/vnd.dev.sigstore.trustedroot',
      { mediaType: 7 },
      { mediaType: 'application/json' },
      { PublicKeyList: [] },
    ]) {
      expect(isTrustedRootJson(v), JSON.stringify(v).slice(0, 40)).toBe(false);
    }
  });
});

describe('parsePublicKeyPem on hostile text', () => {
  const pem = readVectorText('ct', 'ctgo-sigtest-ec256-public.pem');

  it('reads one PUBLIC KEY block with text around it, and refuses every other shape with a reason', () => {
    expect(keyInvalid(() => parsePublicKeyPem(`comment before\n${pem}\ncomment after`))).toBe('ACCEPTED');
    const cases: Array<[string, string]> = [
      ['', 'PEM_MALFORMED'],
      [pem.replace('-----END PUBLIC KEY-----', ''), 'PEM_MALFORMED'],
      [pem + pem, 'PEM_MULTIPLE_BLOCKS'],
      [pem.replace(/PUBLIC KEY/g, 'CERTIFICATE'), 'PEM_UNSUPPORTED_LABEL'],
      [pem.replace(/PUBLIC KEY/g, 'PRIVATE KEY'), 'PEM_UNSUPPORTED_LABEL'],
      [pem.replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY'), 'PEM_MALFORMED'], // an EC key under the PKCS#1 label
      [pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n!$1'), 'PEM_MALFORMED'],
      [pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n'), 'DER_MALFORMED'], // still base64, of 15 bytes fewer
    ];
    for (const [text, reason] of cases)
      expect(
        keyInvalid(() => parsePublicKeyPem(text)),
        reason,
      ).toBe(reason);
  });
});

describe('parseTrustedRoot on hostile input', () => {
  const clone = <T>(v: T): T => structuredClone(v);
  const reason = (v: unknown) => keyInvalid(() => parseTrustedRoot(v, 'root.json'));

  it('reads both roots of the vectors: every log with its host, key and log ID', () => {
    const r = parseTrustedRoot(publicGood, 'root.json');
    expect(r.tlogs.map((t) => [t.host, t.key.kind, toBase64(t.logId)])).toEqual(
      publicGood.tlogs.map((t) => [
        new URL(t.baseUrl).host,
        t.publicKey.keyDetails === 'PKIX_ED25519' ? 'ed25519' : 'ecdsa-p256',
        t.logId.keyId,
      ]),
    );
    expect(parseTrustedRoot(staging, 'staging.json').tlogs).toHaveLength(staging.tlogs.length);
  });

  it('refuses a document that cannot be trust material, with KEY_INVALID and a reason', () => {
    const mutate = (f: (r: any) => void) => {
      const r = clone(publicGood) as any;
      f(r);
      return r;
    };
    const cases: Array<[unknown, string]> = [
      [null, 'TRUSTED_ROOT_INVALID'],
      [[], 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => (r.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.3')), 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => delete r.tlogs), 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => (r.tlogs = [])), 'TRUSTED_ROOT_EMPTY'],
      [mutate((r) => (r.tlogs[0].baseUrl = 'ftp://rekor.sigstore.dev')), 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => (r.tlogs[0].hashAlgorithm = 'SHA2_384')), 'TRUSTED_ROOT_INVALID'],
      [
        mutate((r) => (r.tlogs[0].publicKey.rawBytes = r.tlogs[0].publicKey.rawBytes.slice(0, 40))),
        'TRUSTED_ROOT_INVALID',
      ],
      [mutate((r) => (r.tlogs[0].publicKey.validFor.start = 'yesterday')), 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => (r.tlogs[1].logId.keyId = r.tlogs[0].logId.keyId)), 'TRUSTED_ROOT_INVALID'], // the v2 log ID binds its host
      [mutate((r) => (r.tlogs[1].baseUrl = 'https://other.example')), 'TRUSTED_ROOT_INVALID'],
      [mutate((r) => (r.tlogs = new Array(1001).fill(r.tlogs[0]))), 'TRUSTED_ROOT_INVALID'],
    ];
    for (const [v, want] of cases) expect(reason(v), JSON.stringify(v)?.slice(0, 80)).toBe(want);
  });
});
