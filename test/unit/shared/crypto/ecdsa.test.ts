/**
 * ECDSA P-256 under proofdesk-ecdsa-p256-sha256-v1: the pure path (@noble/curves) and the
 * node:crypto path give the same verdict on every real signature in ../shared/vectors (CT tree
 * head, Rekor checkpoints, signed entry timestamps, artifact and DSSE signatures), on a
 * mutation catalogue of each, and on deterministic random keys and messages.
 */
import { createPublicKey } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { crossCheckEcdsaP256, verifyEcdsaP256Node } from '../../../../electron/platform/crypto-node.js';
import { checkEcdsaP256, P256_N, parseEcdsaP256Signature, verifyEcdsaP256 } from '../../../../shared/crypto/ecdsa.js';
import { concatBytes, fromBase64, toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  decodeUnsignedInteger,
  encodeTlv,
  encodeUnsignedInteger,
  readChildren,
  readWhole,
  TAG,
} from '../../../../shared/encoding/der.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { treeHeadSignatureInput } from '../../../../shared/encoding/tls.js';
import { dssePae } from '../../../../shared/formats/sigstore/verify.js';
import { parsePublicKeyDer, parsePublicKeyPem } from '../../../../shared/keys/public-key.js';
import { readCertificate } from '../../../../shared/keys/x509.js';
import { parseNote } from '../../../../shared/tlog/note.js';
import { prng } from '../../../support/fixtures.js';
import { readVectorJson, readVectorText } from '../../../support/vectors.js';

interface Vector {
  readonly name: string;
  readonly point: Uint8Array;
  readonly message: Uint8Array;
  readonly sig: Uint8Array;
  readonly valid: boolean;
}

function der(r: bigint, s: bigint): Uint8Array {
  return encodeTlv(
    TAG.SEQUENCE,
    concatBytes(encodeTlv(TAG.INTEGER, encodeUnsignedInteger(r)), encodeTlv(TAG.INTEGER, encodeUnsignedInteger(s))),
  );
}

function rs(sig: Uint8Array): { r: bigint; s: bigint } {
  const p = parseEcdsaP256Signature(sig);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

/** Every real ECDSA P-256 signature in the shared vectors, with the outcome its README states. */
function realVectors(): Vector[] {
  const out: Vector[] = [];
  // CT signed tree heads.
  const ctKey = parsePublicKeyPem(readVectorText('ct', 'ctgo-sigtest-ec256-public.pem'));
  if (ctKey.kind !== 'ecdsa-p256') throw new Error('CT key');
  const ct = readVectorJson<{
    cases: Array<{
      name: string;
      expected: string;
      tree_size: number;
      timestamp: number;
      sha256_root_hash: string;
      tree_head_signature: string;
      version?: number;
    }>;
  }>('ct', 'ctgo-sigtest-sth.json');
  for (const c of ct.cases) {
    out.push({
      name: `ct ${c.name}`,
      point: ctKey.point,
      message: treeHeadSignatureInput(c.version ?? 0, c.timestamp, c.tree_size, fromBase64(c.sha256_root_hash)),
      sig: fromBase64(c.tree_head_signature).subarray(4),
      valid: c.expected === 'valid',
    });
  }
  // Sigstore: Rekor v1 checkpoints, SETs, artifact and DSSE signatures.
  const root = readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>(
    'sigstore',
    'trusted_root.public-good.json',
  );
  const rekor = parsePublicKeyDer(fromBase64(root.tlogs[0]!.publicKey.rawBytes));
  if (rekor.kind !== 'ecdsa-p256') throw new Error('Rekor key');
  const artifact = utf8(readVectorText('sigstore', 'conformance', 'a.txt'));
  for (const dir of [
    'happy-path-v0.3',
    'happy-path-intoto-in-dsse-v3',
    'checkpoint-wrong-roothash_fail',
    'set-invalid-signature_fail',
  ]) {
    const b = readVectorJson<any>('sigstore', 'conformance', dir, 'bundle.sigstore.json');
    const e = b.verificationMaterial.tlogEntries[0];
    const note = parseNote(utf8(e.inclusionProof.checkpoint.envelope));
    if (!note.ok) throw new Error('note');
    out.push({
      name: `${dir} checkpoint`,
      point: rekor.point,
      message: note.textBytes,
      sig: note.signatures[0]!.signature,
      valid: true,
    });
    const set = canonicalJson({
      body: e.canonicalizedBody,
      integratedTime: Number(e.integratedTime),
      logID: toHex(fromBase64(e.logId.keyId)),
      logIndex: Number(e.logIndex),
    });
    out.push({
      name: `${dir} SET`,
      point: rekor.point,
      message: utf8(set),
      sig: fromBase64(e.inclusionPromise.signedEntryTimestamp),
      valid: dir !== 'set-invalid-signature_fail',
    });
    const certDer = fromBase64(
      (b.verificationMaterial.certificate ?? b.verificationMaterial.x509CertificateChain.certificates[0]).rawBytes,
    );
    const cert = readCertificate(certDer);
    if (typeof cert === 'string' || cert.publicKey.kind !== 'ecdsa-p256')
      throw new Error(`certificate: ${String(cert)}`);
    if (b.messageSignature)
      out.push({
        name: `${dir} artifact`,
        point: cert.publicKey.point,
        message: artifact,
        sig: fromBase64(b.messageSignature.signature),
        valid: true,
      });
    else
      out.push({
        name: `${dir} dsse`,
        point: cert.publicKey.point,
        message: dssePae(b.dsseEnvelope.payloadType, fromBase64(b.dsseEnvelope.payload)),
        sig: fromBase64(b.dsseEnvelope.signatures[0].sig),
        valid: true,
      });
  }
  return out;
}

/** The systematic mutations of a signature, each with what the rule set says about it. */
function mutations(v: Vector): Vector[] {
  const { r, s } = rs(v.sig);
  const m = (name: string, sig: Uint8Array, valid: boolean, message = v.message, point = v.point): Vector => ({
    name: `${v.name} / ${name}`,
    point,
    message,
    sig,
    valid,
  });
  const flipped = v.sig.slice();
  flipped[flipped.length - 1]! ^= 1;
  const msg = v.message.slice();
  msg[0]! ^= 0x80;
  const seq = readWhole(v.sig, TAG.SEQUENCE)!;
  const ints = readChildren(seq.value)!;
  const padInt = (t: Uint8Array) => encodeTlv(TAG.INTEGER, concatBytes(Uint8Array.of(0), t));
  const otherKey = p256.getPublicKey(p256.utils.randomSecretKey(new Uint8Array(48).fill(9)), false);
  return [
    m('last byte flipped', flipped, false),
    m('message bit flipped', v.sig, false, msg),
    m('s replaced by n - s (high/low S: both valid)', der(r, P256_N - s), v.valid),
    m('r and s swapped', der(s, r), false),
    m('r = 0', der(0n, s), false),
    m('s = 0', der(r, 0n), false),
    m('r = n', der(P256_N, s), false),
    m('s = n', der(r, P256_N), false),
    m('r + n', der(r + P256_N, s), false),
    m(
      'non-minimal integer (extra leading zero)',
      encodeTlv(TAG.SEQUENCE, concatBytes(padInt(ints[0]!.value), ints[1]!.raw)),
      false,
    ),
    m('trailing byte', concatBytes(v.sig, Uint8Array.of(0)), false),
    m('truncated', v.sig.subarray(0, v.sig.length - 1), false),
    m(
      'long-form length of a short sequence',
      concatBytes(Uint8Array.of(0x30, 0x81, seq.value.length), seq.value),
      false,
    ),
    m(
      'compact r || s instead of DER',
      concatBytes(p256.Signature.fromBytes(concatBytes(pad32(r), pad32(s)), 'compact').toBytes('compact')),
      false,
    ),
    m('another key', v.sig, false, v.message, otherKey),
  ];
}

function pad32(x: bigint): Uint8Array {
  const h = x.toString(16).padStart(64, '0');
  return Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
}

describe('ECDSA P-256: both verification paths agree', () => {
  const real = realVectors();

  it('covers every ECDSA signature in the shared vectors (6 CT, 4 checkpoints, 4 SETs, 4 content signatures)', () => {
    expect(real.length).toBe(18);
    expect(real.filter((v) => !v.valid).length).toBe(6);
  });

  it('gives each real vector the outcome its README states, on both paths', () => {
    for (const v of real) {
      expect({
        name: v.name,
        noble: verifyEcdsaP256(v.point, v.message, v.sig),
        node: verifyEcdsaP256Node(v.point, v.message, v.sig),
      }).toEqual({ name: v.name, noble: v.valid, node: v.valid });
    }
  });

  it('agrees on the mutation catalogue of every valid real vector', () => {
    let n = 0;
    for (const v of real.filter((x) => x.valid)) {
      for (const mu of mutations(v)) {
        expect({
          name: mu.name,
          noble: verifyEcdsaP256(mu.point, mu.message, mu.sig),
          node: verifyEcdsaP256Node(mu.point, mu.message, mu.sig),
        }).toEqual({ name: mu.name, noble: mu.valid, node: mu.valid });
        n++;
      }
    }
    expect(n).toBe(12 * 15);
  });

  it('names the rule each malformed signature breaks', () => {
    const v = real[0]!;
    const { r, s } = rs(v.sig);
    expect(checkEcdsaP256(v.point, v.message, der(0n, s))).toEqual({ ok: false, reason: 'SIG_RANGE' });
    expect(checkEcdsaP256(v.point, v.message, concatBytes(v.sig, Uint8Array.of(0)))).toEqual({
      ok: false,
      reason: 'SIG_ENCODING',
    });
    expect(checkEcdsaP256(v.point, utf8('other'), der(r, s))).toEqual({ ok: false, reason: 'EQUATION' });
    expect(checkEcdsaP256(v.point, v.message, v.sig)).toEqual({ ok: true });
  });

  it('agrees on 120 deterministic random keys, messages and signatures, valid and corrupted', () => {
    const rand = prng(8);
    for (let i = 0; i < 120; i++) {
      const seed = Uint8Array.from({ length: 48 }, () => Math.floor(rand() * 256));
      const sk = p256.utils.randomSecretKey(seed);
      const point = p256.getPublicKey(sk, i % 2 === 0); // compressed and uncompressed keys
      const msg = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
      const compact = p256.sign(msg, sk, { lowS: i % 3 !== 0, prehash: true });
      let sig = p256.Signature.fromBytes(compact, 'compact').toBytes('der');
      const valid = i % 4 !== 3;
      if (!valid) {
        sig = sig.slice();
        sig[5 + Math.floor(rand() * (sig.length - 6))]! ^= 1 << Math.floor(rand() * 8);
      }
      const a = verifyEcdsaP256(point, msg, sig);
      expect(crossCheckEcdsaP256(point, msg, sig)).toBe(a);
      if (valid) expect(a).toBe(true);
    }
  });

  it('refuses keys that are not on the curve when they are parsed, before any verifier sees them', () => {
    const spki = new Uint8Array(
      createPublicKey(readVectorText('ct', 'ctgo-sigtest-ec256-public.pem')).export({ format: 'der', type: 'spki' }),
    );
    expect(parsePublicKeyDer(spki).kind).toBe('ecdsa-p256');
    const off = spki.slice();
    off[off.length - 1]! ^= 1;
    expect(() => parsePublicKeyDer(off)).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID', detail: expect.objectContaining({ reason: 'EC_POINT_INVALID' }) }),
    );
    expect(decodeUnsignedInteger(Uint8Array.of(0, 1))).toBeUndefined();
  });
});
