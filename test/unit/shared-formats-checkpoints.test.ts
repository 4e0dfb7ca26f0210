/**
 * Checkpoint rules beyond Ed25519 note keys (shared/formats/checkpoints.ts) and key validity
 * windows (shared/formats/validity.ts): real Rekor v1 checkpoints (ECDSA P-256, key hint =
 * SHA-256(SPKI)[:4]) from ../shared/vectors/sigstore, static-CT checkpoints (RFC6962NoteSignature)
 * signed here with a deterministic P-256 key, and the window rule of docs/formats.md
 * "Key validity" on its boundaries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64, toHex, u64BE, utf8 } from '../../shared/bytes.js';
import { formatCheckpointBody } from '../../shared/checkpoint.js';
import { verifyCheckpointNote } from '../../shared/checkpoint-verify.js';
import type { FindingCode } from '../../shared/findings.js';
import { applyKeyWindows, checkpointOriginOf, judgeCheckpoint, rfc6962NoteKeyId, type ExtendedCheckpointCheck, type ExtraNoteKey } from '../../shared/formats/checkpoints.js';
import { verifyEcdsaP256 } from '../../shared/formats/ecdsa.js';
import { parsePublicKeyDer, type FormatPublicKey } from '../../shared/formats/public-key.js';
import { CT_VERSION_V1, treeHeadSignatureInput } from '../../shared/formats/tls.js';
import { judgeKeyWindow, windowOf, type KeyWindow } from '../../shared/formats/validity.js';
import { keyFingerprint, parseKey } from '../../shared/keys.js';
import { merkleRoot } from '../../shared/merkle/tree.js';
import { formatNote, signNote } from '../../shared/note.js';
import type { TrustedKey } from '../../shared/trust.js';
import { verifyEcdsaP256Node } from '../../electron/engine/formats/crypto-node.js';
import { testKey } from '../support/fixtures.js';
import { digitallySigned, ecTestKey, staticCtCheckpoint } from '../support/formats-fixtures.js';
import { readVectorJson, vectorPath } from '../support/vectors.js';

type P256 = FormatPublicKey & { kind: 'ecdsa-p256' };
const codes = (c: { findings: readonly { code: FindingCode }[] }) => c.findings.map((f) => f.code);

const root = readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>('sigstore', 'trusted_root.public-good.json');
const rekorKey = parsePublicKeyDer(fromBase64(root.tlogs[0]!.publicKey.rawBytes)) as P256;
const rekorCheckpoints = ['happy-path-v0.3', 'happy-path-intoto-in-dsse-v3'].map((d) => {
  const b = readVectorJson<{ verificationMaterial: { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> } }>('sigstore', 'conformance', d, 'bundle.sigstore.json');
  return utf8(b.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope);
});
const REKOR_ORIGIN = 'rekor.sigstore.dev - 2605736670972794746';
const rekor: ExtraNoteKey = { kind: 'rekor-ecdsa', key: rekorKey, label: 'rekor' };

const serverless = readVectorJson<{ origin: string; verifierKey: string; leafHashes: string[] }>('signed-note', 'serverless-log-testdata', 'manifest.json');
const astraPk = parseKey(serverless.verifierKey).publicKey;
const astra: TrustedKey = { publicKey: astraPk, fingerprint: keyFingerprint(astraPk), name: 'astra' };
const checkpoint7 = new Uint8Array(readFileSync(vectorPath('signed-note', 'serverless-log-testdata', 'log', 'checkpoint.7')));

describe('judgeCheckpoint', () => {
  it('without extra keys is exactly verifyCheckpointNote', () => {
    const ctx = { origin: serverless.origin, trusted: [astra], bundleKeys: [] };
    expect(judgeCheckpoint('cp', checkpoint7, ctx)).toEqual({ ...verifyCheckpointNote('cp', checkpoint7, ctx), signedTimesMs: [] });
    expect(judgeCheckpoint('cp', checkpoint7, { ...ctx, extraKeys: [rekor] })).toEqual({ ...verifyCheckpointNote('cp', checkpoint7, ctx), signedTimesMs: [] });
  });

  it('trusts the real Rekor v1 checkpoints through the ECDSA key hint, on both ECDSA paths', () => {
    for (const ecdsa of [verifyEcdsaP256, verifyEcdsaP256Node]) {
      for (const bytes of rekorCheckpoints) {
        // Two log shards of rekor.sigstore.dev, each with its own origin line.
        const c = judgeCheckpoint('cp', bytes, { origin: checkpointOriginOf(bytes)!.origin, trusted: [], bundleKeys: [], extraKeys: [rekor], ecdsa });
        expect(c.report.status).toBe('trusted');
        expect(c.findings).toEqual([]); // the Ed25519-only KEY_UNTRUSTED is withdrawn
        expect(c.report.signatures).toEqual([{ name: 'rekor.sigstore.dev', keyId: 'c0d23d6a', kind: 'log', status: 'verified', fingerprint: rekorKey.fingerprint }]);
        expect(c.trusted?.size).toBe(c.report.size);
        expect(toHex(c.trusted!.root)).toBe(c.report.rootHash);
      }
    }
    // Without an ECDSA verifier the extra keys cannot be used: Ed25519 rules only.
    const none = judgeCheckpoint('cp', rekorCheckpoints[0]!, { origin: REKOR_ORIGIN, trusted: [], bundleKeys: [], extraKeys: [rekor] });
    expect([none.report.status, codes(none)]).toEqual(['untrusted', ['KEY_UNTRUSTED']]);
  });

  it('rejects a Rekor checkpoint whose ECDSA signature fails, and ignores a key whose hint differs', () => {
    const text = new TextDecoder().decode(rekorCheckpoints[0]!);
    const [head, sigLine] = [text.slice(0, text.lastIndexOf('— ')), text.slice(text.lastIndexOf('— '))];
    const [, name, b64] = sigLine.trim().split(' ');
    const sig = fromBase64(b64!);
    sig[sig.length - 1]! ^= 1;
    const bad = utf8(`${head}— ${name} ${Buffer.from(sig).toString('base64')}\n`);
    const c = judgeCheckpoint('cp', bad, { origin: REKOR_ORIGIN, trusted: [], bundleKeys: [], extraKeys: [rekor], ecdsa: verifyEcdsaP256 });
    expect([c.report.status, codes(c), c.trusted]).toEqual(['rejected', ['KEY_UNTRUSTED', 'SIGNATURE_INVALID'], undefined]);
    const other: ExtraNoteKey = { kind: 'rekor-ecdsa', key: parsePublicKeyDer(ecTestKey('other-rekor').spki) as P256 };
    const ignored = judgeCheckpoint('cp', rekorCheckpoints[0]!, { origin: REKOR_ORIGIN, trusted: [], bundleKeys: [], extraKeys: [other], ecdsa: verifyEcdsaP256 });
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
      expect(c.report.signatures[0]).toEqual({ name: ORIGIN, keyId: rfc6962NoteKeyId(ORIGIN, ec.spki).toString(16).padStart(8, '0'), kind: 'log', status: 'verified', fingerprint: key.fingerprint, time: Math.floor(T / 1000) });
    });

    it('rejects extension lines, an origin other than the key name, and a malformed DigitallySigned', () => {
      const ext = staticCtCheckpoint(formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash, extensions: ['an extension'] }), ec, T);
      expect(codes(judgeCheckpoint('cp', ext, ctx))).toEqual(['KEY_UNTRUSTED', 'SIGNATURE_INVALID']);
      // Signed correctly by the key named ORIGIN, but over a body whose origin is another log's.
      const text = formatCheckpointBody({ origin: 'ct.example/other', size: 15, rootHash });
      const sig = ec.sign(treeHeadSignatureInput(CT_VERSION_V1, T, 15, rootHash));
      const foreign = formatNote(text, [{ name: ORIGIN, keyId: rfc6962NoteKeyId(ORIGIN, ec.spki), signature: concatBytes(u64BE(T), digitallySigned(sig)) }]);
      const f = judgeCheckpoint('cp', foreign, { ...ctx, origin: 'ct.example/other' });
      expect([f.report.status, codes(f)]).toEqual(['rejected', ['KEY_UNTRUSTED', 'SIGNATURE_INVALID']]);
      const short = formatNote(formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash }), [{ name: ORIGIN, keyId: rfc6962NoteKeyId(ORIGIN, ec.spki), signature: concatBytes(u64BE(T), Uint8Array.of(4, 3, 0, 9)) }]);
      expect(judgeCheckpoint('cp', short, ctx).report.status).toBe('rejected');
    });

    it('an Ed25519 log key and a static-CT key on one checkpoint are both counted', () => {
      const ed = testKey('static-ct-ed');
      const text = formatCheckpointBody({ origin: ORIGIN, size: 15, rootHash });
      const ctOnly = new TextDecoder().decode(staticCtCheckpoint(text, ec, T));
      const edLine = new TextDecoder().decode(signNote(text, [{ name: ed.name, seed: ed.seed }])).split('\n').find((l) => l.startsWith('— '))!;
      const both = utf8(`${ctOnly}${edLine}\n`);
      const c = judgeCheckpoint('cp', both, { ...ctx, trusted: [ed.trusted] });
      expect([c.report.status, c.report.signatures.map((s) => s.status), codes(c)]).toEqual(['trusted', ['verified', 'verified'], []]);
    });
  });
});

describe('checkpointOriginOf', () => {
  it('reads origin, size and root of a checkpoint that parses, and nothing else', () => {
    expect(checkpointOriginOf(checkpoint7)).toEqual({ origin: 'example.com/testdata', size: 7, root: toHex(merkleRoot(serverless.leafHashes.slice(0, 7).map((h) => Uint8Array.from(Buffer.from(h, 'hex'))))) });
    expect(checkpointOriginOf(rekorCheckpoints[0]!)?.origin).toBe(REKOR_ORIGIN);
    expect(checkpointOriginOf(checkpoint7.subarray(0, 40))).toBeUndefined();
    expect(checkpointOriginOf(utf8('not a note'))).toBeUndefined();
    expect(checkpointOriginOf(signNote('origin\nnot a size\nAAAA\n', [{ name: 'k', seed: testKey('origin-of').seed }]))).toBeUndefined();
  });
});

describe('judgeKeyWindow (docs/formats.md "Key validity")', () => {
  const F = 1000;
  const U = 2000;
  const R = 1500;
  it('with a time: from and until inclusive, revocation from its instant on, revocation first', () => {
    const cases: Array<[KeyWindow, number, string]> = [
      [{}, 0, 'ok'],
      [{ validFrom: F }, F - 1, 'not-yet-valid'],
      [{ validFrom: F }, F, 'ok'],
      [{ validUntil: U }, U, 'ok'],
      [{ validUntil: U }, U + 1, 'expired'],
      [{ validFrom: F, validUntil: U }, (F + U) / 2, 'ok'],
      [{ revokedAt: R }, R - 1, 'ok'],
      [{ revokedAt: R }, R, 'revoked'],
      [{ validFrom: F, validUntil: U, revokedAt: R }, U + 1, 'revoked'],
      [{ validFrom: F, revokedAt: R }, F - 1, 'not-yet-valid'],
      [{ validFrom: 2 * R, revokedAt: R }, 2 * R, 'revoked'],
    ];
    for (const [w, t, want] of cases) expect(judgeKeyWindow(w, t), `${JSON.stringify(w)} at ${t}`).toBe(want);
  });

  it('without a time: an end bound cannot be judged, a start bound alone is accepted with a warning', () => {
    expect(judgeKeyWindow({}, undefined)).toBe('ok');
    expect(judgeKeyWindow({ validFrom: F }, undefined)).toBe('no-time-open');
    expect(judgeKeyWindow({ validUntil: U }, undefined)).toBe('no-time-bounded');
    expect(judgeKeyWindow({ revokedAt: R }, undefined)).toBe('no-time-bounded');
    expect(judgeKeyWindow({ validFrom: F, validUntil: U }, undefined)).toBe('no-time-bounded');
  });

  it('windowOf turns a trust-store key\'s RFC 3339 bounds into seconds and leaves absent bounds absent', () => {
    expect(windowOf({})).toEqual({});
    expect(windowOf({ validFrom: '2026-01-01T00:00:00Z' })).toEqual({ validFrom: 1_767_225_600 });
    expect(windowOf({ validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-12-31T23:59:59+00:00', revokedAt: '2026-06-01T02:00:00+02:00' })).toEqual({
      validFrom: 1_767_225_600,
      validUntil: 1_798_761_599,
      revokedAt: 1_780_272_000,
    });
  });
});

describe('applyKeyWindows', () => {
  const ed = testKey('windows-log');
  const other = testKey('windows-other');
  const ORIGIN = 'windows.example/log';
  const text = formatCheckpointBody({ origin: ORIGIN, size: 1, rootHash: new Uint8Array(32).fill(9) });
  const judge = (signers: Array<typeof ed>): ExtendedCheckpointCheck =>
    judgeCheckpoint('cp', signNote(text, signers.map((s) => ({ name: s.name, seed: s.seed }))), { origin: ORIGIN, trusted: signers.map((s) => s.trusted), bundleKeys: [] });
  const T = 1_780_000_000;
  const fp = ed.trusted.fingerprint;

  it('leaves a checkpoint alone when its key has no window or the time lies inside it', () => {
    const c = judge([ed]);
    expect(applyKeyWindows(c, new Map(), T)).toEqual(c);
    expect(applyKeyWindows(c, new Map([[fp, { validFrom: T - 1, validUntil: T + 1 }]]), T)).toEqual(c);
  });

  it('a key valid only from a start, without a time: still trusted, with TIME_NOT_ESTABLISHED', () => {
    const r = applyKeyWindows(judge([ed]), new Map([[fp, { validFrom: T }]]), undefined);
    expect([r.report.status, codes(r), r.trusted?.size]).toEqual(['trusted', ['TIME_NOT_ESTABLISHED'], 1]);
    expect(r.findings[0]!.evidence).toEqual({ fingerprint: fp });
  });

  it('outside the window, or revoked, the signature no longer counts and the checkpoint is untrusted', () => {
    const cases: Array<[KeyWindow, number | undefined, FindingCode, string]> = [
      [{ validUntil: T - 1 }, T, 'KEY_NOT_VALID_AT_TIME', 'not-valid-at-time'],
      [{ validFrom: T + 1 }, T, 'KEY_NOT_VALID_AT_TIME', 'not-valid-at-time'],
      [{ validUntil: T + 1 }, undefined, 'KEY_NOT_VALID_AT_TIME', 'not-valid-at-time'],
      [{ revokedAt: T }, T, 'KEY_REVOKED', 'revoked'],
    ];
    for (const [w, time, code, status] of cases) {
      const r = applyKeyWindows(judge([ed]), new Map([[fp, w]]), time);
      expect([r.report.status, codes(r), r.report.signatures[0]!.status, r.trusted], JSON.stringify(w)).toEqual(['untrusted', [code], status, undefined]);
      expect(r.findings[0]!.location).toEqual({ file: 'cp', checkpointSize: 1 });
      expect(r.findings[0]!.evidence).toEqual(time === undefined ? { fingerprint: fp } : { fingerprint: fp, time });
    }
  });

  it('one valid key is enough when another has expired; an untrusted checkpoint is returned unchanged', () => {
    const r = applyKeyWindows(judge([ed, other]), new Map([[fp, { validUntil: T - 1 }]]), T);
    expect([r.report.status, codes(r), r.report.signatures.map((s) => s.status)]).toEqual(['trusted', ['KEY_NOT_VALID_AT_TIME'], ['not-valid-at-time', 'verified']]);
    const untrusted = judgeCheckpoint('cp', signNote(text, [{ name: ed.name, seed: ed.seed }]), { origin: ORIGIN, trusted: [], bundleKeys: [] });
    expect(applyKeyWindows(untrusted, new Map([[fp, { revokedAt: 0 }]]), T)).toBe(untrusted);
  });
});
