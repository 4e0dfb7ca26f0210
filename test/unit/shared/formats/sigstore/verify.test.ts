/**
 * Sigstore bundle verification (shared/formats/sigstore), pure: the conformance bundles and a
 * catalogue of mutations of them — proof elements, indices, sizes, checkpoints, bodies, trust
 * windows, media types, malformed JSON — each rejected with its finding code and JSON path.
 */
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256 } from '../../../../../shared/crypto/ecdsa.js';
import { verifyEd25519 } from '../../../../../shared/crypto/ed25519.js';
import { sha256 } from '../../../../../shared/crypto/hash.js';
import { fromBase64, toBase64, utf8 } from '../../../../../shared/encoding/bytes.js';
import { parseSigstoreBundle } from '../../../../../shared/formats/sigstore/bundle.js';
import { parseTrustedRoot } from '../../../../../shared/formats/sigstore/trusted-root.js';
import { type SigstoreVerification, verifySigstore } from '../../../../../shared/formats/sigstore/verify.js';
import type { FindingCode } from '../../../../../shared/verdict/findings.js';
import { readVectorJson, readVectorText } from '../../../../support/vectors.js';

const publicGood = readVectorJson<any>('sigstore', 'trusted_root.public-good.json');
const staging = readVectorJson<any>('sigstore', 'conformance', 'rekor2-happy-path', 'trusted_root.json');
const artifact = utf8(readVectorText('sigstore', 'conformance', 'a.txt'));
const load = (dir: string) => readVectorJson<any>('sigstore', 'conformance', dir, 'bundle.sigstore.json');
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function check(
  bundleJson: unknown,
  rootJson: unknown = publicGood,
  withArtifact = true,
): { problems: readonly { path: string }[]; v?: SigstoreVerification } {
  const parsed = parseSigstoreBundle(bundleJson, utf8);
  if (!parsed.bundle) return { problems: parsed.problems };
  const v = verifySigstore(parsed.bundle, {
    name: 'b.json',
    roots: [parseTrustedRoot(rootJson, 'root')],
    ed25519: verifyEd25519,
    ecdsa: verifyEcdsaP256,
    sha256,
    ...(withArtifact ? { artifact } : {}),
  });
  return { problems: [], v };
}
const codes = (v: SigstoreVerification | undefined): FindingCode[] =>
  (v?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.code);

describe('Sigstore bundles, pure verification', () => {
  it('the three valid conformance bundles verify with no error, on the pure paths', () => {
    for (const [dir, root] of [
      ['happy-path-v0.3', publicGood],
      ['happy-path-intoto-in-dsse-v3', publicGood],
      ['rekor2-happy-path', staging],
    ] as const) {
      const { v } = check(load(dir), root);
      expect({ dir, errors: codes(v), statuses: v!.statuses.map((s) => s.status) }).toEqual({
        dir,
        errors: [],
        statuses: ['verified'],
      });
    }
  });

  it('every proof element, the index ±1 and the stated size ×2 are rejected (mutation catalogue)', () => {
    const b = load('happy-path-v0.3');
    const hashes: string[] = b.verificationMaterial.tlogEntries[0].inclusionProof.hashes;
    for (let k = 0; k < hashes.length; k++) {
      const m = clone(b);
      const h = fromBase64(hashes[k]!);
      h[k % 32]! ^= 1;
      m.verificationMaterial.tlogEntries[0].inclusionProof.hashes[k] = toBase64(h);
      expect(codes(check(m).v)).toEqual(['PROOF_INVALID']);
    }
    for (const d of [-1, 1]) {
      const m = clone(b);
      const p = m.verificationMaterial.tlogEntries[0].inclusionProof;
      p.logIndex = String(Number(p.logIndex) + d);
      expect(codes(check(m).v)).toEqual(['PROOF_INVALID']);
    }
    const m = clone(b);
    m.verificationMaterial.tlogEntries[0].inclusionProof.treeSize = String(
      2 * Number(m.verificationMaterial.tlogEntries[0].inclusionProof.treeSize),
    );
    // The size the proof states is not the signed one: reported, and the proof is judged against the checkpoint (and holds).
    expect(codes(check(m).v)).toEqual(['PROOF_CHECKPOINT_MISMATCH']);
  });

  it('a checkpoint whose signature was altered rejects the entry; so does a checkpoint of another origin', () => {
    const b = load('happy-path-v0.3');
    const m = clone(b);
    m.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope =
      m.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope.replace('\n75408393\n', '\n75408394\n');
    expect(codes(check(m).v)).toEqual(expect.arrayContaining(['SIGNATURE_INVALID', 'PROOF_INVALID']));
    const o = clone(b);
    o.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope =
      o.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope.replace(
        'rekor.sigstore.dev - ',
        'evil.example - ',
      );
    expect(codes(check(o).v)).toEqual(expect.arrayContaining(['CHECKPOINT_ORIGIN_MISMATCH']));
  });

  it('a body that does not describe the bundle: another digest, another signature', () => {
    const m = clone(load('happy-path-v0.3'));
    m.messageSignature.messageDigest.digest = toBase64(sha256(utf8('something else')));
    const { v } = check(m, publicGood, false);
    const f = v!.findings.find((x) => x.code === 'TLOG_BODY_MISMATCH')!;
    expect(f.evidence?.bodyPath).toBe('$.spec.data.hash.value');
    expect(f.location.path).toBe('$.verificationMaterial.tlogEntries[0].canonicalizedBody');
    const s = clone(load('rekor2-happy-path'));
    s.messageSignature.signature = load('happy-path-v0.3').messageSignature.signature;
    expect(codes(check(s, staging, false).v)).toContain('TLOG_BODY_MISMATCH');
    const d = clone(load('happy-path-intoto-in-dsse-v3'));
    d.dsseEnvelope.payload = toBase64(utf8('{"_type":"https://in-toto.io/Statement/v1","subject":[]}'));
    expect(codes(check(d, publicGood, false).v)).toEqual(
      expect.arrayContaining(['TLOG_BODY_MISMATCH', 'ARTIFACT_MISMATCH']),
    );
  });

  it('the trusted root decides: a log key window that ended before the integrated time, an unknown log', () => {
    const root = clone(publicGood);
    root.tlogs[0].publicKey.validFor.end = '2022-01-01T00:00:00Z';
    expect(codes(check(load('happy-path-v0.3'), root).v)).toEqual(expect.arrayContaining(['KEY_NOT_VALID_AT_TIME']));
    // A log no trusted root lists: not an error (nothing contradicts a trusted key), the entry unverifiable.
    const unknownLog = check(load('happy-path-v0.3'), staging).v;
    expect(codes(unknownLog)).toEqual([]);
    expect(unknownLog?.findings.map((f) => f.code)).toContain('KEY_UNTRUSTED');
    const broken = clone(publicGood);
    broken.tlogs[0].logId.keyId = toBase64(sha256(utf8('x')));
    expect(() => parseTrustedRoot(broken, 'r')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('a Rekor v2 log key whose window ends: no verified time dates the checkpoint, so the entry is unverifiable, not failed', () => {
    const root = clone(staging);
    for (const t of root.tlogs) t.publicKey.validFor.end = '2099-01-01T00:00:00Z';
    const { v } = check(load('rekor2-happy-path'), root);
    expect(codes(v)).toEqual([]);
    // The log key's window end, and the certificate's window (no authenticated time at all).
    expect(
      v!.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.evidence?.bound ?? f.location.path),
    ).toEqual(['validUntil', '$.verificationMaterial']);
    expect(v!.inconclusive).toBe(true);
    expect([
      v!.statuses.map((s) => s.status),
      v!.checkpoints.map((c) => c.status),
      v!.proofs.map((p) => p.status),
    ]).toEqual([['unverifiable'], ['untrusted'], ['failed']]);
  });

  it('the artifact signature is checked with the certificate key, and the certificate validity at the signed time', () => {
    const m = clone(load('happy-path-v0.3'));
    const sig = fromBase64(m.messageSignature.signature);
    sig[sig.length - 1]! ^= 1;
    m.messageSignature.signature = toBase64(sig);
    // The logged body still names the original signature, so the body check fails as well.
    expect(codes(check(m).v)).toEqual(expect.arrayContaining(['ARTIFACT_MISMATCH', 'TLOG_BODY_MISMATCH']));
    const t = clone(load('happy-path-v0.3'));
    t.verificationMaterial.tlogEntries[0].integratedTime = String(
      Number(t.verificationMaterial.tlogEntries[0].integratedTime) + 3600,
    );
    // The SET no longer verifies for the moved time, so no certificate-time judgement is made on it.
    expect(codes(check(t).v)).toEqual(['SIGNATURE_INVALID']);
  });

  it('malformed bundles give problems with JSON paths, never exceptions', () => {
    const cases: Array<[unknown, string]> = [
      [[], '$'],
      [
        { ...load('happy-path-v0.3'), mediaType: 'application/vnd.dev.sigstore.bundle+json;version=9.9' },
        '$.mediaType',
      ],
      [
        (() => {
          const m = clone(load('happy-path-v0.3'));
          delete m.verificationMaterial.tlogEntries[0].inclusionProof;
          return m;
        })(),
        '$.verificationMaterial.tlogEntries[0].inclusionProof',
      ],
      [
        (() => {
          const m = clone(load('happy-path-v0.3'));
          m.verificationMaterial.tlogEntries[0].logIndex = '-4';
          return m;
        })(),
        '$.verificationMaterial.tlogEntries[0].logIndex',
      ],
      [
        (() => {
          const m = clone(load('happy-path-v0.3'));
          m.verificationMaterial.tlogEntries[0].inclusionProof.hashes[2] = 'AAAA';
          return m;
        })(),
        '$.verificationMaterial.tlogEntries[0].inclusionProof.hashes[2]',
      ],
      [
        (() => {
          const m = clone(load('happy-path-v0.3'));
          delete m.messageSignature;
          return m;
        })(),
        '$',
      ],
    ];
    for (const [json, path] of cases) {
      const r = check(json);
      expect(r.v).toBeUndefined();
      expect(r.problems.map((p) => p.path)).toContain(path);
    }
  });
});
