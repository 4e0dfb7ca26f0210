/**
 * The steps of Sigstore verification (shared/formats/sigstore/verify/*), each run on its own
 * against the sigstore-conformance bundles of ../shared/vectors/sigstore: a SigstoreRun is built
 * from a real trusted root, the step is run on the good bundle (no error, the expected status)
 * and on a tampered copy (the expected finding code, location and evidence).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256 } from '../../../../../shared/crypto/ecdsa.js';
import { verifyEd25519 } from '../../../../../shared/crypto/ed25519.js';
import { sha256 } from '../../../../../shared/crypto/hash.js';
import { toHex, utf8 } from '../../../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../../../shared/encoding/jcs.js';
import {
  parseSigstoreBundle,
  type SigstoreBundle,
  type TlogEntry,
} from '../../../../../shared/formats/sigstore/bundle.js';
import { parseTrustedRoot, type TlogInstance } from '../../../../../shared/formats/sigstore/trusted-root.js';
import { verifySignedContent } from '../../../../../shared/formats/sigstore/verify/artifact.js';
import { verifyEntry } from '../../../../../shared/formats/sigstore/verify/entry.js';
import { judgeEntryCheckpoint, judgeInclusion } from '../../../../../shared/formats/sigstore/verify/inclusion.js';
import {
  entryLocation,
  type LoggedEntry,
  type SigstoreContext,
  SigstoreRun,
} from '../../../../../shared/formats/sigstore/verify/run.js';
import { verifyWith } from '../../../../../shared/formats/sigstore/verify/signature.js';
import { type FormatPublicKey, parsePublicKeyDer } from '../../../../../shared/keys/public-key.js';
import { readCertificate } from '../../../../../shared/keys/x509.js';
import { parseNote } from '../../../../../shared/tlog/note.js';
import { finding } from '../../../../../shared/verdict/findings.js';
import { CLOUDTRAIL_TEST_KEY } from '../../../../support/formats-fixtures.js';
import { readVectorJson, readVectorText } from '../../../../support/vectors.js';

/** The part of a trusted root's JSON the tests change. */
interface RootJson {
  tlogs: Array<{ publicKey: { validFor: { end?: string } } }>;
}
const publicGoodJson = readVectorJson<RootJson>('sigstore', 'trusted_root.public-good.json');
const stagingJson = readVectorJson<RootJson>('sigstore', 'conformance', 'rekor2-happy-path', 'trusted_root.json');
const publicGood = parseTrustedRoot(publicGoodJson, 'public-good');
const staging = parseTrustedRoot(stagingJson, 'staging');
const artifact = utf8(readVectorText('sigstore', 'conformance', 'a.txt'));
const ARTIFACT_SHA256 = 'a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
const E0 = '$.verificationMaterial.tlogEntries[0]';
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function bundleOf(json: unknown): SigstoreBundle {
  const parsed = parseSigstoreBundle(json, utf8);
  if (!parsed.bundle) throw new Error(`vector does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.bundle;
}
const loadJson = (dir: string) => readVectorJson<unknown>('sigstore', 'conformance', dir, 'bundle.sigstore.json');
const load = (dir: string) => bundleOf(loadJson(dir));

function runFor(roots = [publicGood], extra: Partial<SigstoreContext> = {}): SigstoreRun {
  return new SigstoreRun({
    name: 'b.json',
    roots,
    ed25519: verifyEd25519,
    ecdsa: verifyEcdsaP256,
    sha256,
    ...extra,
  });
}
const tlogsOf = (roots = [publicGood]) => roots.flatMap((r) => r.tlogs);
function loggedOf(e: TlogEntry, roots = [publicGood]): LoggedEntry {
  const tlog = tlogsOf(roots).find((t) => toHex(t.logId) === toHex(e.logId))!;
  return { entry: e, index: 0, tlog, window: {} };
}
const flipLast = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  c[c.length - 1]! ^= 1;
  return c;
};
const codes = (run: SigstoreRun) => run.findings.map((f) => [f.code, f.severity]);
const reasons = (run: SigstoreRun) =>
  run.findings.filter((f) => f.code === 'ARTIFACT_MISMATCH').map((f) => f.evidence?.reason);

describe('SigstoreRun and entryLocation', () => {
  it('a run starts empty, keeps its context, and errorsSince counts errors only from the index given', () => {
    const run = runFor();
    expect(run.ctx.name).toBe('b.json');
    expect(run.result()).toEqual({
      statuses: [],
      checkpoints: [],
      proofs: [],
      findings: [],
      counters: { sets: 0, setsInvalid: 0, artifactChecks: 0, artifactProblems: 0, bodyProblems: 0 },
      times: [],
      inconclusive: false,
    });
    run.findings.push(finding('CONTENT_NOT_CHECKED', { file: 'b.json' }, 'a warning'));
    expect(run.errorsSince(0)).toBe(false);
    run.findings.push(finding('PROOF_INVALID', { file: 'b.json' }, 'an error'));
    expect([run.errorsSince(0), run.errorsSince(1), run.errorsSince(2)]).toEqual([true, true, false]);
    run.counters.sets++;
    run.times.push(7);
    run.inconclusive = true;
    const r = run.result();
    expect([r.findings.length, r.counters.sets, r.times, r.inconclusive]).toEqual([2, 1, [7], true]);
  });

  it('entryLocation names the file, entry and path, with any extra location fields', () => {
    expect(entryLocation('b.json', 3, '$.x')).toEqual({ file: 'b.json', entry: 3, path: '$.x' });
    expect(entryLocation('b.json', 0, '$.y', { checkpointSize: 9, range: [0, 1] })).toEqual({
      file: 'b.json',
      entry: 0,
      path: '$.y',
      checkpointSize: 9,
      range: [0, 1],
    });
  });
});

describe('verifyWith', () => {
  const ctx = runFor().ctx;

  it('an ECDSA P-256 key: the artifact signature by the certificate key (happy-path-v0.3)', () => {
    const b = load('happy-path-v0.3');
    const cert = readCertificate(b.certificate!);
    if (typeof cert === 'string') throw new Error(cert);
    if (b.content.kind !== 'message') throw new Error('message bundle expected');
    expect(verifyWith(cert.publicKey, artifact, b.content.signature, ctx)).toBe(true);
    expect(verifyWith(cert.publicKey, flipLast(artifact), b.content.signature, ctx)).toBe(false);
    expect(verifyWith(cert.publicKey, artifact, flipLast(b.content.signature), ctx)).toBe(false);
    // Another P-256 key (the Rekor log key) did not make it.
    expect(verifyWith(publicGood.tlogs[0]!.key, artifact, b.content.signature, ctx)).toBe(false);
  });

  it('an Ed25519 key: the Rekor v2 checkpoint signature, and only 64-byte signatures reach the verifier', () => {
    const b = load('rekor2-happy-path');
    const note = parseNote(b.tlogEntries[0]!.inclusionProof!.checkpoint);
    if (!note.ok) throw new Error(note.detail);
    const key = staging.tlogs.find((t) => t.key.kind === 'ed25519')!.key;
    const sig = note.signatures[0]!.signature;
    expect(sig.length).toBe(64);
    expect(verifyWith(key, note.textBytes, sig, ctx)).toBe(true);
    expect(verifyWith(key, note.textBytes, flipLast(sig), ctx)).toBe(false);
    const yes = { ...ctx, ed25519: () => true };
    expect(verifyWith(key, note.textBytes, sig.subarray(0, 63), yes)).toBe(false);
    expect(verifyWith(key, note.textBytes, sig.subarray(0, 64), yes)).toBe(true);
  });

  it('a key of another kind (RSA) verifies nothing, whatever the verifiers say', () => {
    const der = new Uint8Array(
      createPublicKey(readFileSync(CLOUDTRAIL_TEST_KEY)).export({ type: 'spki', format: 'der' }),
    );
    const rsa: FormatPublicKey = parsePublicKeyDer(der);
    expect(rsa.kind).toBe('rsa');
    const yes = { ...ctx, ed25519: () => true, ecdsa: () => true };
    expect(verifyWith(rsa, artifact, new Uint8Array(64), yes)).toBe(false);
  });
});

describe('verifyEntry', () => {
  it('happy-path-v0.3 (Rekor v1): verified, with the SET time, the trusted checkpoint and the proof', () => {
    const b = load('happy-path-v0.3');
    const e = b.tlogEntries[0]!;
    const run = runFor();
    verifyEntry(run, tlogsOf(), b, e, 0);
    expect(run.findings).toEqual([]);
    expect(run.statuses).toEqual([{ status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }]);
    expect(run.times).toEqual([e.integratedTime]);
    expect(run.counters).toMatchObject({ sets: 1, setsInvalid: 0, bodyProblems: 0 });
    expect(run.checkpoints.map((c) => [c.status, c.size])).toEqual([['trusted', 75408393]]);
    expect(run.proofs).toEqual([
      { file: `b.json#${E0}.inclusionProof`, kind: 'inclusion', index: 75408392, size: 75408393, status: 'verified' },
    ]);
  });

  it('rekor2-happy-path (Rekor v2, no SET): verified with no authenticated time', () => {
    const b = load('rekor2-happy-path');
    const run = runFor([staging]);
    verifyEntry(run, tlogsOf([staging]), b, b.tlogEntries[0]!, 0);
    expect(run.statuses).toEqual([{ status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }]);
    expect(codes(run)).toEqual([['TIME_NOT_ESTABLISHED', 'warning']]);
    expect([run.counters.sets, run.times]).toEqual([0, []]);
  });

  it('a log no trusted root lists: KEY_UNTRUSTED at logId.keyId, unverifiable, nothing else judged', () => {
    const b = load('happy-path-v0.3');
    const run = runFor([staging]);
    verifyEntry(run, tlogsOf([staging]), b, b.tlogEntries[0]!, 0);
    expect(run.findings.map((f) => [f.code, f.location])).toEqual([
      ['KEY_UNTRUSTED', { file: 'b.json', entry: 0, path: `${E0}.logId.keyId` }],
    ]);
    expect(run.findings[0]!.evidence).toEqual({ logId: toHex(b.tlogEntries[0]!.logId) });
    expect(run.statuses).toEqual([{ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' }]);
    expect([run.checkpoints, run.proofs, run.counters.sets]).toEqual([[], [], 0]);
  });

  it('set-invalid-signature_fail: SIGNATURE_INVALID on the SET, no time, the entry failed', () => {
    const b = load('set-invalid-signature_fail');
    const run = runFor();
    verifyEntry(run, tlogsOf(), b, b.tlogEntries[0]!, 0);
    const f = run.findings.find((x) => x.code === 'SIGNATURE_INVALID')!;
    expect(f.location).toEqual({ file: 'b.json', entry: 0, path: `${E0}.inclusionPromise.signedEntryTimestamp` });
    expect(f.evidence?.what).toBe('signed-entry-timestamp');
    expect([run.counters.sets, run.counters.setsInvalid, run.times]).toEqual([1, 1, []]);
    expect(run.statuses).toEqual([{ status: 'failed', reason: 'ENTRY_ERRORS' }]);
  });

  it('checkpoint-wrong-roothash_fail: the proof is judged against the signed checkpoint and fails', () => {
    const b = load('checkpoint-wrong-roothash_fail');
    const run = runFor();
    verifyEntry(run, tlogsOf(), b, b.tlogEntries[0]!, 0);
    expect(codes(run)).toEqual([
      ['PROOF_CHECKPOINT_MISMATCH', 'error'],
      ['PROOF_INVALID', 'error'],
    ]);
    expect(run.findings[0]!.evidence).toMatchObject({ expectedSize: 75610772, actualSize: 23083062 });
    expect(run.statuses).toEqual([{ status: 'failed', reason: 'ENTRY_CHANGED' }]);
  });

  it('a bundle digest the logged body does not describe: TLOG_BODY_MISMATCH, the proof still holds', () => {
    const b = load('happy-path-v0.3');
    if (b.content.kind !== 'message') throw new Error('message bundle expected');
    const other = { ...b, content: { ...b.content, digest: sha256(utf8('something else')) } };
    const run = runFor();
    verifyEntry(run, tlogsOf(), other, b.tlogEntries[0]!, 0);
    expect(codes(run)).toEqual([['TLOG_BODY_MISMATCH', 'error']]);
    expect(run.findings[0]!.location.path).toBe(`${E0}.canonicalizedBody`);
    expect(run.findings[0]!.evidence?.bodyPath).toBe('$.spec.data.hash.value');
    expect(run.counters.bodyProblems).toBe(1);
    expect(run.proofs.map((p) => p.status)).toEqual(['verified']);
    expect(run.statuses).toEqual([{ status: 'failed', reason: 'ENTRY_ERRORS' }]);
  });

  it('no inclusion proof: UNSEALED_ENTRIES, unverifiable — failed when the SET does not verify either', () => {
    const b = load('happy-path-v0.3');
    const e = { ...b.tlogEntries[0]!, inclusionProof: undefined };
    const run = runFor();
    verifyEntry(run, tlogsOf(), b, e, 0);
    expect(run.findings.map((f) => [f.code, f.location])).toEqual([
      ['UNSEALED_ENTRIES', { file: 'b.json', entry: 0, path: E0, range: [0, 1] }],
    ]);
    expect(run.statuses).toEqual([{ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' }]);
    expect([run.checkpoints, run.proofs]).toEqual([[], []]);
    const bad = runFor();
    verifyEntry(bad, tlogsOf(), b, { ...e, signedEntryTimestamp: flipLast(e.signedEntryTimestamp!) }, 0);
    expect(codes(bad)).toEqual([
      ['SIGNATURE_INVALID', 'error'],
      ['UNSEALED_ENTRIES', 'warning'],
    ]);
    expect(bad.statuses).toEqual([{ status: 'failed', reason: 'ENTRY_ERRORS' }]);
  });

  it('a SET with no integrated time, and a log key window that ended before the integrated time', () => {
    const b = load('happy-path-v0.3');
    const run = runFor();
    verifyEntry(run, tlogsOf(), b, { ...b.tlogEntries[0]!, integratedTime: undefined }, 0);
    // With no time, the checkpoint key's window start is not established either (a warning).
    expect(run.findings.map((f) => [f.code, f.location.path])).toEqual([
      ['DOCUMENT_INVALID', `${E0}.integratedTime`],
      ['TIME_NOT_ESTABLISHED', `${E0}.inclusionProof.checkpoint.envelope`],
    ]);
    expect([run.counters.setsInvalid, run.times]).toEqual([1, []]);
    const ended = clone(publicGoodJson);
    ended.tlogs[0]!.publicKey.validFor.end = '2022-01-01T00:00:00Z';
    const root = parseTrustedRoot(ended, 'ended');
    const late = runFor([root]);
    verifyEntry(late, tlogsOf([root]), b, b.tlogEntries[0]!, 0);
    const f = late.findings.find((x) => x.code === 'KEY_NOT_VALID_AT_TIME' && x.location.path?.endsWith('Timestamp'))!;
    expect(f.evidence).toMatchObject({ time: b.tlogEntries[0]!.integratedTime });
    expect(late.statuses[0]!.status).toBe('failed');
  });
});

describe('judgeEntryCheckpoint and judgeInclusion', () => {
  const b = load('happy-path-v0.3');
  const e = b.tlogEntries[0]!;
  const p = e.inclusionProof!;

  it('the Rekor v1 checkpoint is trusted, and the proof reaches its root', () => {
    const run = runFor();
    const logged = loggedOf(e);
    const judged = judgeEntryCheckpoint(run, logged, p, e.integratedTime);
    expect(judged.trusted?.size).toBe(75408393);
    expect(toHex(judged.trusted!.root)).toBe(toHex(p.rootHash));
    expect(run.checkpoints.map((c) => [c.status, c.origin])).toEqual([
      ['trusted', 'rekor.sigstore.dev - 2605736670972794746'],
    ]);
    expect(run.findings).toEqual([]);
    expect(judgeInclusion(run, logged, p, judged, 0)).toEqual({ status: 'verified', reason: 'SIGNED_ROOT_MATCHES' });
    expect(run.proofs).toEqual([
      { file: `b.json#${E0}.inclusionProof`, kind: 'inclusion', index: 75408392, size: 75408393, status: 'verified' },
    ]);
  });

  it('a flipped checkpoint signature byte: SIGNATURE_INVALID at the envelope, then PROOF_INVALID', () => {
    const text = new TextDecoder().decode(p.checkpoint);
    const at = text.lastIndexOf(' ') + 1;
    const sig = Buffer.from(text.slice(at).trim(), 'base64');
    sig[sig.length - 1]! ^= 1;
    const tampered = { ...p, checkpoint: utf8(`${text.slice(0, at)}${sig.toString('base64')}\n`) };
    const run = runFor();
    const logged = loggedOf(e);
    const judged = judgeEntryCheckpoint(run, logged, tampered, e.integratedTime);
    expect(judged.trusted).toBeUndefined();
    expect(run.checkpoints.map((c) => c.status)).toEqual(['rejected']);
    // The Ed25519-only judgement's KEY_UNTRUSTED stays on a rejected checkpoint; both are relocated to the envelope.
    expect(run.findings.map((f) => [f.code, f.location.file, f.location.entry, f.location.path])).toEqual([
      ['KEY_UNTRUSTED', 'b.json', 0, `${E0}.inclusionProof.checkpoint.envelope`],
      ['SIGNATURE_INVALID', 'b.json', 0, `${E0}.inclusionProof.checkpoint.envelope`],
    ]);
    expect(judgeInclusion(run, logged, tampered, judged, 0)).toEqual({ status: 'failed', reason: 'ENTRY_ERRORS' });
    expect(run.findings.map((f) => f.code)).toEqual(['KEY_UNTRUSTED', 'SIGNATURE_INVALID', 'PROOF_INVALID']);
    expect(run.proofs).toEqual([
      { file: `b.json#${E0}.inclusionProof`, kind: 'inclusion', index: 75408392, status: 'failed' },
    ]);
  });

  it('a checkpoint of another origin is judged against the log host: CHECKPOINT_ORIGIN_MISMATCH', () => {
    const foreign = {
      ...p,
      checkpoint: utf8(new TextDecoder().decode(p.checkpoint).replace('rekor.sigstore.dev - ', 'evil.example - ')),
    };
    const run = runFor();
    const judged = judgeEntryCheckpoint(run, loggedOf(e), foreign, e.integratedTime);
    const f = run.findings.find((x) => x.code === 'CHECKPOINT_ORIGIN_MISMATCH')!;
    expect(f.evidence).toMatchObject({ expected: 'rekor.sigstore.dev', actual: 'evil.example - 2605736670972794746' });
    expect(judged.trusted).toBeUndefined();
  });

  it('a proof element flipped: PROOF_INVALID with the computed root, the entry changed', () => {
    const hashes = p.hashes.map((h, k) => (k === 3 ? flipLast(h) : h));
    const run = runFor();
    const logged = loggedOf(e);
    const judged = judgeEntryCheckpoint(run, logged, p, e.integratedTime);
    expect(judgeInclusion(run, logged, { ...p, hashes }, judged, 0)).toEqual({
      status: 'failed',
      reason: 'ENTRY_CHANGED',
    });
    const f = run.findings.find((x) => x.code === 'PROOF_INVALID')!;
    expect(f.location).toEqual({
      file: 'b.json',
      entry: 0,
      path: `${E0}.inclusionProof`,
      checkpointSize: 75408393,
    });
    expect(f.evidence?.expected).toBe(toHex(p.rootHash));
    expect(f.evidence?.actual).not.toBe(toHex(p.rootHash));
    expect(run.proofs.map((x) => x.status)).toEqual(['failed']);
  });

  it('a stated tree size other than the checkpoint size: reported, and the proof judged against the checkpoint', () => {
    const run = runFor();
    const logged = loggedOf(e);
    const judged = judgeEntryCheckpoint(run, logged, p, e.integratedTime);
    const doubled = { ...p, treeSize: 2 * p.treeSize };
    expect(judgeInclusion(run, logged, doubled, judged, 0)).toEqual({ status: 'failed', reason: 'ENTRY_ERRORS' });
    expect(run.findings.map((f) => [f.code, f.evidence?.expectedSize, f.evidence?.actualSize])).toEqual([
      ['PROOF_CHECKPOINT_MISMATCH', 75408393, 2 * 75408393],
    ]);
    expect(run.proofs.map((x) => x.status)).toEqual(['verified']);
  });

  it('Rekor v2 with a key window end and no authenticated time: unverifiable, failed only after an error', () => {
    const root = clone(stagingJson);
    for (const t of root.tlogs) t.publicKey.validFor.end = '2099-01-01T00:00:00Z';
    const roots = [parseTrustedRoot(root, 'staging-ending')];
    const b2 = load('rekor2-happy-path');
    const e2 = b2.tlogEntries[0]!;
    const tlog: TlogInstance = loggedOf(e2, roots).tlog;
    const logged: LoggedEntry = {
      entry: e2,
      index: 0,
      tlog,
      window: { validFrom: tlog.validFrom!, validUntil: tlog.validUntil! },
    };
    const run = runFor(roots);
    const judged = judgeEntryCheckpoint(run, logged, e2.inclusionProof!, undefined);
    expect([judged.trusted, judged.timeLost]).toEqual([undefined, true]);
    expect(run.findings.map((f) => [f.code, f.evidence?.bound])).toEqual([['TIME_NOT_ESTABLISHED', 'validUntil']]);
    expect(judgeInclusion(run, logged, e2.inclusionProof!, judged, 0)).toEqual({
      status: 'unverifiable',
      reason: 'NO_TRUSTED_CHECKPOINT',
    });
    expect(run.findings.some((f) => f.code === 'PROOF_INVALID')).toBe(false);
    const erred = runFor(roots);
    erred.findings.push(finding('TLOG_BODY_MISMATCH', { file: 'b.json', entry: 0 }, 'an earlier error'));
    expect(judgeInclusion(erred, logged, e2.inclusionProof!, judged, 0)).toEqual({
      status: 'failed',
      reason: 'ENTRY_ERRORS',
    });
    expect(erred.findings.map((f) => f.code)).toEqual(['TLOG_BODY_MISMATCH', 'PROOF_INVALID']);
  });
});

describe('verifySignedContent', () => {
  const v03 = load('happy-path-v0.3');
  const dsse = load('happy-path-intoto-in-dsse-v3');
  const timeOf = (b: SigstoreBundle) => b.tlogEntries[0]!.integratedTime!;

  it('happy-path-v0.3 with a.txt at its integrated time: nothing to report', () => {
    const run = runFor([publicGood], { artifact });
    run.times.push(timeOf(v03));
    verifySignedContent(run, v03);
    expect(run.findings).toEqual([]);
    expect([run.counters.artifactChecks, run.counters.artifactProblems, run.inconclusive]).toEqual([1, 0, false]);
  });

  it('no artifact: CONTENT_NOT_CHECKED at $, and no certificate time judged', () => {
    const run = runFor();
    verifySignedContent(run, v03);
    expect(run.findings.map((f) => [f.code, f.severity, f.location])).toEqual([
      ['CONTENT_NOT_CHECKED', 'warning', { file: 'b.json', path: '$' }],
    ]);
    expect([run.counters.artifactChecks, run.inconclusive]).toEqual([0, false]);
  });

  it('another artifact: ARTIFACT_MISMATCH for its digest (expected vs actual) and for the signature', () => {
    const other = utf8('not a.txt');
    const run = runFor([publicGood], { artifact: other });
    run.times.push(timeOf(v03));
    verifySignedContent(run, v03);
    expect(reasons(run)).toEqual(['DIGEST', 'SIGNATURE']);
    expect(run.findings[0]!.evidence).toMatchObject({ expected: ARTIFACT_SHA256, actual: toHex(sha256(other)) });
    expect(run.findings[0]!.location.path).toBe('$.messageSignature.messageDigest.digest');
    expect(run.counters.artifactProblems).toBe(2);
  });

  it('a flipped signature byte: ARTIFACT_MISMATCH (SIGNATURE) only', () => {
    if (v03.content.kind !== 'message') throw new Error('message bundle expected');
    const b = { ...v03, content: { ...v03.content, signature: flipLast(v03.content.signature) } };
    const run = runFor([publicGood], { artifact });
    run.times.push(timeOf(v03));
    verifySignedContent(run, b);
    expect(run.findings.map((f) => [f.code, f.location.path, f.evidence?.reason])).toEqual([
      ['ARTIFACT_MISMATCH', '$.messageSignature.signature', 'SIGNATURE'],
    ]);
  });

  it('the certificate window: no authenticated time is inconclusive; a time outside it is a mismatch', () => {
    const cert = readCertificate(v03.certificate!);
    if (typeof cert === 'string') throw new Error(cert);
    const none = runFor([publicGood], { artifact });
    verifySignedContent(none, v03);
    expect(none.findings.map((f) => [f.code, f.evidence])).toEqual([
      ['TIME_NOT_ESTABLISHED', { notBefore: cert.notBefore, notAfter: cert.notAfter }],
    ]);
    expect(none.inconclusive).toBe(true);
    const late = runFor([publicGood], { artifact });
    late.times.push(cert.notAfter + 1);
    verifySignedContent(late, v03);
    expect(late.findings.map((f) => [f.code, f.evidence])).toEqual([
      ['ARTIFACT_MISMATCH', { reason: 'CERT_NOT_VALID_AT_TIME', time: cert.notAfter + 1 }],
    ]);
    expect(late.inconclusive).toBe(false);
  });

  it('a digest algorithm other than SHA2_256 is reported with or without an artifact, and no digest is compared', () => {
    if (v03.content.kind !== 'message') throw new Error('message bundle expected');
    const b = { ...v03, content: { ...v03.content, digestAlgorithm: 'SHA2_384' } };
    for (const extra of [{ artifact }, {}]) {
      const run = runFor([publicGood], extra);
      run.times.push(timeOf(v03));
      verifySignedContent(run, b);
      expect(run.findings.filter((f) => f.severity === 'error').map((f) => [f.location.path, f.evidence])).toEqual([
        ['$.messageSignature.messageDigest.algorithm', { reason: 'ALGORITHM' }],
      ]);
    }
    // Another artifact: the signature fails, but a digest of an unsupported algorithm is not compared.
    const other = runFor([publicGood], { artifact: utf8('not a.txt') });
    other.times.push(timeOf(v03));
    verifySignedContent(other, b);
    expect(reasons(other)).toEqual(['ALGORITHM', 'SIGNATURE']);
  });

  it('no certificate: the signature is checked with the examiner key, else inconclusive', () => {
    const cert = readCertificate(v03.certificate!);
    if (typeof cert === 'string') throw new Error(cert);
    const bare = { ...v03, certificate: undefined };
    const noKey = runFor([publicGood], { artifact });
    verifySignedContent(noKey, bare);
    expect(noKey.findings.map((f) => [f.code, f.location.path])).toEqual([
      ['CONTENT_NOT_CHECKED', '$.messageSignature.signature'],
    ]);
    expect(noKey.inconclusive).toBe(true);
    const good = runFor([publicGood], { artifact, signingKeys: [cert.publicKey] });
    verifySignedContent(good, bare);
    expect([good.findings, good.inconclusive]).toEqual([[], false]);
    const wrong = runFor([publicGood], { artifact, signingKeys: [publicGood.tlogs[0]!.key] });
    verifySignedContent(wrong, bare);
    expect(reasons(wrong)).toEqual(['SIGNATURE']);
  });

  it('a certificate that cannot be read: DOCUMENT_INVALID at the verification material', () => {
    const run = runFor([publicGood], { artifact });
    verifySignedContent(run, { ...v03, certificate: utf8('not DER') });
    expect(run.findings.map((f) => [f.code, f.location.path])).toEqual([
      ['DOCUMENT_INVALID', '$.verificationMaterial'],
      ['CONTENT_NOT_CHECKED', '$.messageSignature.signature'],
    ]);
  });

  it('the DSSE bundle: envelope and subject hold; a flipped envelope signature and another artifact do not', () => {
    const run = runFor([publicGood], { artifact });
    run.times.push(timeOf(dsse));
    verifySignedContent(run, dsse);
    expect(run.findings).toEqual([]);
    expect(run.counters.artifactChecks).toBe(2);
    if (dsse.content.kind !== 'dsse') throw new Error('DSSE bundle expected');
    const flipped = {
      ...dsse,
      content: { ...dsse.content, signatures: dsse.content.signatures.map((s) => flipLast(s)) },
    };
    const bad = runFor([publicGood], { artifact });
    bad.times.push(timeOf(dsse));
    verifySignedContent(bad, flipped);
    expect(bad.findings.map((f) => [f.location.path, f.evidence?.reason])).toEqual([
      ['$.dsseEnvelope.signatures[0].sig', 'DSSE_SIGNATURE'],
    ]);
    const other = runFor([publicGood], { artifact: utf8('not a.txt') });
    other.times.push(timeOf(dsse));
    verifySignedContent(other, dsse);
    expect(other.findings.map((f) => [f.location.path, f.evidence])).toEqual([
      ['$.dsseEnvelope.payload', { actual: toHex(sha256(utf8('not a.txt'))), reason: 'SUBJECT' }],
    ]);
  });

  it('a DSSE bundle with no certificate and no key: the envelope signature was not checked, said, never PASS', () => {
    const bare = { ...dsse, certificate: undefined };
    for (const extra of [{}, { artifact }]) {
      const run = runFor([publicGood], extra);
      verifySignedContent(run, bare);
      expect(run.findings.filter((f) => f.location.path === '$.dsseEnvelope.signatures').map((f) => f.code)).toEqual([
        'CONTENT_NOT_CHECKED',
      ]);
      expect(run.findings.find((f) => f.location.path === '$.dsseEnvelope.signatures')?.message).toContain(
        'the envelope signature was not checked',
      );
      expect([run.counters.artifactChecks, run.inconclusive]).toEqual(['artifact' in extra ? 1 : 0, true]);
    }
    const unreadable = runFor([publicGood]);
    verifySignedContent(unreadable, { ...dsse, certificate: utf8('not DER') });
    expect(unreadable.findings.map((f) => f.message).join('\n')).toContain("the bundle's certificate cannot be read");
  });

  it('the steps in bundle order give what a whole verification gives (the SET time dates the certificate)', () => {
    const run = runFor([publicGood], { artifact });
    verifyEntry(run, tlogsOf(), v03, v03.tlogEntries[0]!, 0);
    verifySignedContent(run, v03);
    expect([run.findings, run.times, run.inconclusive]).toEqual([[], [timeOf(v03)], false]);
    // The SET payload the entry step verifies (RFC 8785 JSON), checked here with verifyWith directly.
    const e = v03.tlogEntries[0]!;
    const payload = canonicalJson({
      body: e.bodyBase64,
      integratedTime: e.integratedTime,
      logID: toHex(e.logId),
      logIndex: e.logIndex,
    });
    expect(verifyWith(publicGood.tlogs[0]!.key, utf8(payload), e.signedEntryTimestamp!, run.ctx)).toBe(true);
  });
});
