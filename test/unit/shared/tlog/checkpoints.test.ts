/**
 * Checkpoint rules beyond Ed25519 note keys (shared/tlog/checkpoints.ts): real Rekor v1
 * checkpoints (ECDSA P-256, key hint = SHA-256(SPKI)[:4]) from ../shared/vectors/sigstore and
 * static-CT checkpoints (RFC6962NoteSignature) signed here with a deterministic P-256 key. Key
 * validity windows are tested in shared/keys/validity.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256Node } from '../../../../electron/platform/crypto-node.js';
import { verifyEcdsaP256 } from '../../../../shared/crypto/ecdsa.js';
import { concatBytes, fromBase64, toHex, u64BE, utf8 } from '../../../../shared/encoding/bytes.js';
import { CT_VERSION_V1, treeHeadSignatureInput } from '../../../../shared/encoding/tls.js';
import { keyFingerprint, parseKey } from '../../../../shared/keys/keys.js';
import { type FormatPublicKey, parsePublicKeyDer } from '../../../../shared/keys/public-key.js';
import type { TrustedKey } from '../../../../shared/keys/trust.js';
import { formatCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import { verifyCheckpointNote } from '../../../../shared/tlog/checkpoint-verify.js';
import {
  checkpointOriginOf,
  type ExtraNoteKey,
  judgeCheckpoint,
  rfc6962NoteKeyId,
} from '../../../../shared/tlog/checkpoints.js';
import { merkleRoot } from '../../../../shared/tlog/merkle/tree.js';
import { formatNote, signNote } from '../../../../shared/tlog/note.js';
import type { FindingCode } from '../../../../shared/verdict/findings.js';
import { testKey } from '../../../support/fixtures.js';
import { digitallySigned, ecTestKey, staticCtCheckpoint } from '../../../support/formats-fixtures.js';
import { readVectorJson, vectorPath } from '../../../support/vectors.js';

type P256 = FormatPublicKey & { kind: 'ecdsa-p256' };
const codes = (c: { findings: readonly { code: FindingCode }[] }) => c.findings.map((f) => f.code);

const root = readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>(
  'sigstore',
  'trusted_root.public-good.json',
);
const rekorKey = parsePublicKeyDer(fromBase64(root.tlogs[0]!.publicKey.rawBytes)) as P256;
const rekorCheckpoints = ['happy-path-v0.3', 'happy-path-intoto-in-dsse-v3'].map((d) => {
  const b = readVectorJson<{
    verificationMaterial: { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> };
  }>('sigstore', 'conformance', d, 'bundle.sigstore.json');
  return utf8(b.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope);
});
const REKOR_ORIGIN = 'rekor.sigstore.dev - 2605736670972794746';
const rekor: ExtraNoteKey = { kind: 'rekor-ecdsa', key: rekorKey, label: 'rekor' };

const serverless = readVectorJson<{ origin: string; verifierKey: string; leafHashes: string[] }>(
  'signed-note',
  'serverless-log-testdata',
  'manifest.json',
);
const astraPk = parseKey(serverless.verifierKey).publicKey;
const astra: TrustedKey = { publicKey: astraPk, fingerprint: keyFingerprint(astraPk), roles: ['log'], name: 'astra' };
const checkpoint7 = new Uint8Array(
  readFileSync(vectorPath('signed-note', 'serverless-log-testdata', 'log', 'checkpoint.7')),
);

describe('judgeCheckpoint', () => {
  it('without extra keys is exactly verifyCheckpointNote', () => {
    const ctx = { origin: serverless.origin, trusted: [astra], bundleKeys: [] };
    expect(judgeCheckpoint('cp', checkpoint7, ctx)).toEqual({
      ...verifyCheckpointNote('cp', checkpoint7, ctx),
      signedTimesMs: [],
    });
    expect(judgeCheckpoint('cp', checkpoint7, { ...ctx, extraKeys: [rekor] })).toEqual({
      ...verifyCheckpointNote('cp', checkpoint7, ctx),
      signedTimesMs: [],
    });
  });

  it('trusts the real Rekor v1 checkpoints through the ECDSA key hint, on both ECDSA paths', () => {
    for (const ecdsa of [verifyEcdsaP256, verifyEcdsaP256Node]) {
      for (const bytes of rekorCheckpoints) {
        // Two log shards of rekor.sigstore.dev, each with its own origin line.
        const c = judgeCheckpoint('cp', bytes, {
          origin: checkpointOriginOf(bytes)!.origin,
          trusted: [],
          bundleKeys: [],
          extraKeys: [rekor],
          ecdsa,
        });
        expect(c.report.status).toBe('trusted');
        expect(c.findings).toEqual([]); // the Ed25519-only KEY_UNTRUSTED is withdrawn
        expect(c.report.signatures).toEqual([
          {
            name: 'rekor.sigstore.dev',
            keyId: 'c0d23d6a',
            kind: 'log',
            status: 'verified',
            fingerprint: rekorKey.fingerprint,
          },
        ]);
        expect(c.trusted?.size).toBe(c.report.size);
        expect(toHex(c.trusted!.root)).toBe(c.report.rootHash);
      }
    }
    // Without an ECDSA verifier the extra keys cannot be used: Ed25519 rules only.
    const none = judgeCheckpoint('cp', rekorCheckpoints[0]!, {
      origin: REKOR_ORIGIN,
      trusted: [],
      bundleKeys: [],
      extraKeys: [rekor],
    });
    expect([none.report.status, codes(none)]).toEqual(['untrusted', ['KEY_UNTRUSTED']]);
  });

  it('rejects a Rekor checkpoint whose ECDSA signature fails, and ignores a key whose hint differs', () => {
    const text = new TextDecoder().decode(rekorCheckpoints[0]!);
    const [head, sigLine] = [text.slice(0, text.lastIndexOf('— ')), text.slice(text.lastIndexOf('— '))];
    const [, name, b64] = sigLine.trim().split(' ');
    const sig = fromBase64(b64!);
    sig[sig.length - 1]! ^= 1;
    const bad = utf8(`${head}— ${name} ${Buffer.from(sig).toString('base64')}\n`);
    const c = judgeCheckpoint('cp', bad, {
      origin: REKOR_ORIGIN,
      trusted: [],
      bundleKeys: [],
      extraKeys: [rekor],
      ecdsa: verifyEcdsaP256,
    });
    expect([c.report.status, codes(c), c.trusted]).toEqual([
      'rejected',
      ['KEY_UNTRUSTED', 'SIGNATURE_INVALID'],
      undefined,
    ]);
    const other: ExtraNoteKey = { kind: 'rekor-ecdsa', key: parsePublicKeyDer(ecTestKey('other-rekor').spki) as P256 };
    const ignored = judgeCheckpoint('cp', rekorCheckpoints[0]!, {
      origin: REKOR_ORIGIN,
      trusted: [],
      bundleKeys: [],
      extraKeys: [other],
      ecdsa: verifyEcdsaP256,
    });
    expect([ignored.report.status, ignored.report.signatures[0]!.status]).toEqual(['untrusted', 'unknown-key']);
  });

  describe('static-CT checkpoints (c2sp.org/static-ct-api, note signature type 0x05)', () => {
    const ec = ecTestKey('static-ct-log');
    const key = parsePublicKeyDer(ec.spki) as P256;
    const ORIGIN = 'ct.example/2026h1';
    const log: ExtraNoteKey = { kind: 'rfc6962-note', key, name: ORIGIN };
    const rootHash = merkleRoot(serverless.leafHashes.map((h) => Uint8Array.from(Buffer.from(h, 'hex'))));
    const T = 1_780_000_123_456;
    const ctx = { origin: ORIGIN, trusted: [], bundleKeys: [], extraKeys: [log], ecdsa: verifyEcdsaP256 };

    it('trusts a tree head signed over the RFC 6962 input and reports its signed time', () => {
      const note = staticCtCheckpoint(formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash }), ec, T);
      const c = judgeCheckpoint('cp', note, ctx);
      expect([c.report.status, codes(c), c.signedTimesMs]).toEqual(['trusted', [], [T]]);
      expect(c.report.signatures[0]).toEqual({
        name: ORIGIN,
        keyId: rfc6962NoteKeyId(ORIGIN, ec.spki).toString(16).padStart(8, '0'),
        kind: 'log',
        status: 'verified',
        fingerprint: key.fingerprint,
        time: Math.floor(T / 1000),
      });
    });

    it('rejects extension lines, an origin other than the key name, and a malformed DigitallySigned', () => {
      const ext = staticCtCheckpoint(
        formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash, extensions: ['an extension'] }),
        ec,
        T,
      );
      expect(codes(judgeCheckpoint('cp', ext, ctx))).toEqual(['KEY_UNTRUSTED', 'SIGNATURE_INVALID']);
      // Signed correctly by the key named ORIGIN, but over a body whose origin is another log's.
      const text = formatCheckpointBody({ origin: 'ct.example/other', size: 15, rootHash });
      const sig = ec.sign(treeHeadSignatureInput(CT_VERSION_V1, T, 15, rootHash));
      const foreign = formatNote(text, [
        {
          name: ORIGIN,
          keyId: rfc6962NoteKeyId(ORIGIN, ec.spki),
          signature: concatBytes(u64BE(T), digitallySigned(sig)),
        },
      ]);
      const f = judgeCheckpoint('cp', foreign, { ...ctx, origin: 'ct.example/other' });
      expect([f.report.status, codes(f)]).toEqual(['rejected', ['KEY_UNTRUSTED', 'SIGNATURE_INVALID']]);
      const short = formatNote(formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash }), [
        {
          name: ORIGIN,
          keyId: rfc6962NoteKeyId(ORIGIN, ec.spki),
          signature: concatBytes(u64BE(T), Uint8Array.of(4, 3, 0, 9)),
        },
      ]);
      expect(judgeCheckpoint('cp', short, ctx).report.status).toBe('rejected');
    });

    it('an Ed25519 log key and a static-CT key on one checkpoint are both counted', () => {
      const ed = testKey('static-ct-ed');
      const text = formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash });
      const ctOnly = new TextDecoder().decode(staticCtCheckpoint(text, ec, T));
      const edLine = new TextDecoder()
        .decode(signNote(text, [{ name: ed.name, seed: ed.seed }]))
        .split('\n')
        .find((l) => l.startsWith('— '))!;
      const both = utf8(`${ctOnly}${edLine}\n`);
      const c = judgeCheckpoint('cp', both, { ...ctx, trusted: [ed.trusted] });
      expect([c.report.status, c.report.signatures.map((s) => s.status), codes(c)]).toEqual([
        'trusted',
        ['verified', 'verified'],
        [],
      ]);
    });
  });
});

describe('checkpointOriginOf', () => {
  it('reads origin, size and root of a checkpoint that parses, and nothing else', () => {
    expect(checkpointOriginOf(checkpoint7)).toEqual({
      origin: 'example.com/testdata',
      size: 7,
      root: toHex(merkleRoot(serverless.leafHashes.slice(0, 7).map((h) => Uint8Array.from(Buffer.from(h, 'hex'))))),
    });
    expect(checkpointOriginOf(rekorCheckpoints[0]!)?.origin).toBe(REKOR_ORIGIN);
    expect(checkpointOriginOf(checkpoint7.subarray(0, 40))).toBeUndefined();
    expect(checkpointOriginOf(utf8('not a note'))).toBeUndefined();
    expect(
      checkpointOriginOf(signNote('origin\nnot a size\nAAAA\n', [{ name: 'k', seed: testKey('origin-of').seed }])),
    ).toBeUndefined();
  });
});
