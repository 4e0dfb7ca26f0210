/**
 * Certificate Transparency evidence (shared/formats/ct/evidence.ts) and the RFC 6962 signing structures
 * (shared/encoding/tls.ts): the signed tree heads of ../shared/vectors/ct (one valid, five
 * mutated, from certificate-transparency-go) on the pure and the node:crypto ECDSA paths, an
 * RSA-signed tree head made with openssl's RSA through node:crypto, and malformed documents that
 * must give problems with JSON paths.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256Node, verifyRsaSha256Node } from '../../../../../electron/platform/crypto-node.js';
import { verifyEcdsaP256 } from '../../../../../shared/crypto/ecdsa.js';
import { concatBytes, fromBase64, toBase64 } from '../../../../../shared/encoding/bytes.js';
import {
  CT_VERSION_V1,
  parseDigitallySigned,
  TLS_SIG_ECDSA,
  TLS_SIG_RSA,
  treeHeadSignatureInput,
} from '../../../../../shared/encoding/tls.js';
import {
  formatSthJson,
  parseConsistencyFile,
  parseInclusionFile,
  parseSth,
  type SignedTreeHead,
  verifySthSignature,
} from '../../../../../shared/formats/ct/evidence.js';
import { parsePublicKeyDer, parsePublicKeyPem } from '../../../../../shared/keys/public-key.js';
import { CLOUDTRAIL_TEST_KEY } from '../../../../support/formats-fixtures.js';
import { readVectorJson, readVectorText } from '../../../../support/vectors.js';

interface SthCase {
  name: string;
  expected: 'valid' | 'reject';
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
  version?: number;
}
const vectors = readVectorJson<{ logKey: { logId_sha256_spki_b64: string }; cases: SthCase[] }>(
  'ct',
  'ctgo-sigtest-sth.json',
);
const ctKey = parsePublicKeyPem(readVectorText('ct', 'ctgo-sigtest-ec256-public.pem'));
const valid = vectors.cases.find((c) => c.expected === 'valid')!;

function sth(v: unknown): SignedTreeHead {
  const r = parseSth(v);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const paths = (r: { ok: boolean; problems?: readonly { path: string }[] }) =>
  r.ok ? [] : r.problems!.map((p) => p.path);

describe('TLS DigitallySigned and the RFC 6962 constants', () => {
  it('uses the registry values: SHA-256 = 4, RSA = 1, ECDSA = 3 (RFC 5246 §7.4.1.4.1), v1 = 0 (RFC 6962 §3.2)', () => {
    expect([TLS_SIG_RSA, TLS_SIG_ECDSA, CT_VERSION_V1]).toEqual([1, 3, 0]);
  });

  it('parses the vector tree head signature: SHA-256, ECDSA, a 72-byte DER signature', () => {
    const ds = parseDigitallySigned(fromBase64(valid.tree_head_signature));
    expect(typeof ds).toBe('object');
    if (typeof ds === 'string') return;
    expect([ds.hashAlgorithm, ds.signatureAlgorithm, ds.signature.length, ds.signature[0]]).toEqual([
      4,
      TLS_SIG_ECDSA,
      72,
      0x30,
    ]);
  });

  it('refuses short input, lengths that do not cover the rest exactly, and other algorithms', () => {
    const sig = fromBase64(valid.tree_head_signature);
    expect(parseDigitallySigned(sig.subarray(0, 3))).toBe('TOO_SHORT');
    expect(parseDigitallySigned(sig.subarray(0, sig.length - 1))).toBe('LENGTH_MISMATCH');
    expect(parseDigitallySigned(concatBytes(sig, Uint8Array.of(0)))).toBe('LENGTH_MISMATCH');
    expect(parseDigitallySigned(Uint8Array.of(4, 3, 0, 0))).toEqual({
      hashAlgorithm: 4,
      signatureAlgorithm: 3,
      signature: new Uint8Array(0),
    });
    for (const [h, s] of [
      [2, 3],
      [5, 3],
      [4, 2],
      [4, 0],
      [0, 0],
    ]) {
      const m = sig.slice();
      m[0] = h!;
      m[1] = s!;
      expect(parseDigitallySigned(m), `${h}/${s}`).toBe('UNSUPPORTED_ALGORITHM');
    }
    const rsa = sig.slice();
    rsa[1] = TLS_SIG_RSA;
    expect(parseDigitallySigned(rsa)).toMatchObject({ hashAlgorithm: 4, signatureAlgorithm: TLS_SIG_RSA });
  });
});

describe('parseSth and verifySthSignature on the certificate-transparency-go vectors', () => {
  it('parses all six tree heads, keeping a stated version as the signed version byte', () => {
    expect(vectors.cases).toHaveLength(6);
    for (const c of vectors.cases) {
      const h = sth(c);
      expect([h.treeSize, h.timestamp, h.version], c.name).toEqual([c.tree_size, c.timestamp, c.version ?? 0]);
      expect(h.rootHash).toEqual(fromBase64(c.sha256_root_hash));
    }
  });

  it('accepts exactly the valid case, on the pure and on the node:crypto path', () => {
    expect(ctKey.kind).toBe('ecdsa-p256');
    for (const ecdsa of [verifyEcdsaP256, verifyEcdsaP256Node]) {
      const verdicts = vectors.cases.map((c) => [c.name, verifySthSignature(sth(c), ctKey, { ecdsa })]);
      expect(verdicts).toEqual(vectors.cases.map((c) => [c.name, c.expected === 'valid']));
    }
  });

  it('never hands a signature to a verifier of another algorithm', () => {
    const h = sth(valid);
    const calls: string[] = [];
    const spy = { ecdsa: () => (calls.push('ecdsa'), true), rsa: () => (calls.push('rsa'), true) };
    const rsaKey = parsePublicKeyDer(
      new Uint8Array(
        createPublicKey(createPrivateKey(readFileSync(CLOUDTRAIL_TEST_KEY))).export({ type: 'spki', format: 'der' }),
      ),
    );
    expect(verifySthSignature(h, rsaKey, spy)).toBe(false); // ECDSA signature, RSA key
    expect(calls).toEqual([]);
    expect(verifySthSignature(h, ctKey, spy)).toBe(true);
    expect(calls).toEqual(['ecdsa']);
  });

  it('writes the get-sth JSON it reads: formatSthJson reproduces the vector byte for byte', () => {
    const h = sth(valid);
    const json = formatSthJson(h, toBase64);
    expect(JSON.parse(json)).toEqual({
      tree_size: valid.tree_size,
      timestamp: valid.timestamp,
      sha256_root_hash: valid.sha256_root_hash,
      tree_head_signature: valid.tree_head_signature,
    });
    expect(sth(JSON.parse(json))).toEqual(h);
  });
});

describe('an RSA-signed tree head (RFC 6962 allows RSA logs)', () => {
  const priv = createPrivateKey(readFileSync(CLOUDTRAIL_TEST_KEY));
  const key = parsePublicKeyDer(new Uint8Array(createPublicKey(priv).export({ type: 'spki', format: 'der' })));

  it('verifies through the RSA path, and only through it', () => {
    const root = fromBase64(valid.sha256_root_hash);
    const input = treeHeadSignatureInput(CT_VERSION_V1, 1_780_000_000_000, 1000, root);
    const sig = new Uint8Array(sign('sha256', input, priv));
    const ds = concatBytes(Uint8Array.of(4, TLS_SIG_RSA, sig.length >> 8, sig.length & 0xff), sig);
    const h = sth({
      tree_size: 1000,
      timestamp: 1_780_000_000_000,
      sha256_root_hash: valid.sha256_root_hash,
      tree_head_signature: toBase64(ds),
    });
    expect(key.kind).toBe('rsa');
    expect(verifySthSignature(h, key, { ecdsa: verifyEcdsaP256, rsa: verifyRsaSha256Node })).toBe(true);
    expect(
      verifySthSignature({ ...h, treeSize: 1001 }, key, { ecdsa: verifyEcdsaP256, rsa: verifyRsaSha256Node }),
    ).toBe(false);
    // Without an RSA verifier there is nothing to verify with: not verified.
    expect(verifySthSignature(h, key, { ecdsa: () => true })).toBe(false);
    expect(verifySthSignature(h, ctKey, { ecdsa: () => true, rsa: () => true })).toBe(false);
  });
});

describe('malformed CT documents give problems with JSON paths, never exceptions', () => {
  it('tree heads', () => {
    const v = {
      tree_size: valid.tree_size,
      timestamp: valid.timestamp,
      sha256_root_hash: valid.sha256_root_hash,
      tree_head_signature: valid.tree_head_signature,
    };
    const cases: Array<[unknown, string[]]> = [
      [null, ['$']],
      [[v], ['$']],
      ['{}', ['$']],
      [{}, ['$.tree_size', '$.timestamp', '$.sha256_root_hash', '$.tree_head_signature']],
      [{ ...v, tree_size: '42' }, ['$.tree_size']],
      [{ ...v, tree_size: -1 }, ['$.tree_size']],
      [{ ...v, timestamp: 1.5 }, ['$.timestamp']],
      [{ ...v, sha256_root_hash: toBase64(new Uint8Array(31)) }, ['$.sha256_root_hash']],
      [{ ...v, tree_head_signature: 'not base64!' }, ['$.tree_head_signature']],
      [{ ...v, tree_head_signature: toBase64(Uint8Array.of(4, 3, 0, 5, 1)) }, ['$.tree_head_signature']],
      [{ ...v, tree_head_signature: 'A'.repeat(16_388) }, ['$.tree_head_signature']],
      [{ ...v, version: 256 }, ['$.version']],
      [{ ...v, version: 'v1' }, ['$.version']],
    ];
    for (const [doc, want] of cases) expect(paths(parseSth(doc)), JSON.stringify(doc).slice(0, 60)).toEqual(want);
  });

  it('consistency proofs', () => {
    const h = toBase64(new Uint8Array(32).fill(1));
    expect(parseConsistencyFile({ first: 3, second: 7, consistency: [h, h] })).toEqual({
      ok: true,
      value: { first: 3, second: 7, proof: [fromBase64(h), fromBase64(h)] },
    });
    expect(parseConsistencyFile({ first: 7, second: 7, consistency: [] })).toEqual({
      ok: true,
      value: { first: 7, second: 7, proof: [] },
    });
    const cases: Array<[unknown, string[]]> = [
      [7, ['$']],
      [{ first: '3', second: 7, consistency: [] }, ['$.first']],
      [{ first: 3, consistency: [] }, ['$.second']],
      [{ first: 3, second: 7 }, ['$.consistency']],
      [{ first: 3, second: 7, consistency: h }, ['$.consistency']],
      [
        { first: 3, second: 7, consistency: [h, toBase64(new Uint8Array(33)), 5] },
        ['$.consistency[1]', '$.consistency[2]'],
      ],
      [{ first: 3, second: 7, consistency: new Array(129).fill(h) }, ['$.consistency']],
    ];
    for (const [doc, want] of cases)
      expect(paths(parseConsistencyFile(doc)), JSON.stringify(doc).slice(0, 60)).toEqual(want);
  });

  it('inclusion proofs, by leaf hash or by leaf input', () => {
    const h = toBase64(new Uint8Array(32).fill(2));
    const leaf = toBase64(Uint8Array.of(0, 0, 1, 2, 3));
    expect(parseInclusionFile({ tree_size: 9, leaf_index: 4, audit_path: [h], hash: h })).toEqual({
      ok: true,
      value: { treeSize: 9, leafIndex: 4, auditPath: [fromBase64(h)], hash: fromBase64(h) },
    });
    expect(parseInclusionFile({ tree_size: 9, leaf_index: 4, audit_path: [], leaf_input: leaf })).toEqual({
      ok: true,
      value: { treeSize: 9, leafIndex: 4, auditPath: [], leafInput: fromBase64(leaf) },
    });
    const cases: Array<[unknown, string[]]> = [
      [[], ['$']],
      [{ tree_size: 9, leaf_index: 4, audit_path: [] }, ['$']],
      [{ tree_size: 9, leaf_index: '4', audit_path: [], hash: h }, ['$.leaf_index']],
      [{ leaf_index: 4, audit_path: [], hash: h }, ['$.tree_size']],
      [{ tree_size: 9, leaf_index: 4, audit_path: [h.slice(4)], hash: h }, ['$.audit_path[0]']],
      [{ tree_size: 9, leaf_index: 4, audit_path: [], hash: toBase64(new Uint8Array(20)) }, ['$.hash']],
      [{ tree_size: 9, leaf_index: 4, audit_path: [], leaf_input: '***' }, ['$.leaf_input']],
    ];
    for (const [doc, want] of cases)
      expect(paths(parseInclusionFile(doc)), JSON.stringify(doc).slice(0, 60)).toEqual(want);
  });
});
