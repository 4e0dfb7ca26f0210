/**
 * The per-line steps of checkpoint judgement, on their own: SignatureLines
 * (shared/tlog/checkpoint-signatures.ts) on the golang.org/x/mod signed-note vectors and the
 * serverless-log checkpoints, and extraKeyFor / judgeExtraLine (shared/tlog/checkpoint-extra-keys.ts)
 * on a real Rekor v1 checkpoint and on a static-CT checkpoint made from the certificate-transparency-go
 * signed tree head (its signature covers timestamp, size and root only, so any origin can carry it).
 * A correct line verifies; a flipped signature byte is reported with its code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEcdsaP256 } from '../../../../shared/crypto/ecdsa.js';
import { verifyEd25519 } from '../../../../shared/crypto/ed25519.js';
import { concatBytes, fromBase64, toBase64, u64BE, utf8 } from '../../../../shared/encoding/bytes.js';
import { CT_VERSION_V1, treeHeadSignatureInput } from '../../../../shared/encoding/tls.js';
import { keyFingerprint, parseKey } from '../../../../shared/keys/keys.js';
import { type FormatPublicKey, parsePublicKeyDer, parsePublicKeyPem } from '../../../../shared/keys/public-key.js';
import type { KeyRole, TrustedKey } from '../../../../shared/keys/trust.js';
import { type CheckpointBody, formatCheckpointBody, parseCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import {
  type ExtraLineInputs,
  type ExtraNoteKey,
  extraKeyFor,
  judgeExtraLine,
  rfc6962NoteKeyId,
} from '../../../../shared/tlog/checkpoint-extra-keys.js';
import { SignatureLines } from '../../../../shared/tlog/checkpoint-signatures.js';
import { cosignatureSigner } from '../../../../shared/tlog/cosignature.js';
import { formatNote, type NoteSignature, parseNote, signNote } from '../../../../shared/tlog/note.js';
import type { Finding } from '../../../../shared/verdict/findings.js';
import { testKey } from '../../../support/fixtures.js';
import { digitallySigned, ecTestKey } from '../../../support/formats-fixtures.js';
import { readVectorJson, readVectorText, vectorPath } from '../../../support/vectors.js';

type P256 = FormatPublicKey & { kind: 'ecdsa-p256' };

function parsed(bytes: Uint8Array) {
  const n = parseNote(bytes);
  if (!n.ok) throw new Error(n.detail);
  return n;
}
/** The same line with the last byte of its signature flipped. */
const flipped = (s: NoteSignature): NoteSignature => {
  const signature = s.signature.slice();
  signature[signature.length - 1]! ^= 1;
  return { ...s, signature };
};
function trustedAs(vkey: string, name: string, roles: KeyRole[]): TrustedKey {
  const publicKey = parseKey(vkey).publicKey;
  return { publicKey, fingerprint: keyFingerprint(publicKey), roles, name };
}

// ── golang.org/x/mod note vectors ───────────────────────────────────────────────────────────
const gomod = readVectorJson<{
  keys: { PeterNeumann: { verifierKey: string }; EnochRoot: { verifierKey: string } };
  openCases: Array<{ name: string; note?: string }>;
}>('signed-note', 'golang-x-mod-note-vectors.json');
const noteOf = (name: string) => parsed(utf8(gomod.openCases.find((c) => c.name === name)!.note!));
const peterVkey = gomod.keys.PeterNeumann.verifierKey;
const enochVkey = gomod.keys.EnochRoot.verifierKey;

// ── the serverless log ──────────────────────────────────────────────────────────────────────
const serverless = readVectorJson<{ verifierKey: string }>('signed-note', 'serverless-log-testdata', 'manifest.json');
const checkpoint7 = new Uint8Array(
  readFileSync(vectorPath('signed-note', 'serverless-log-testdata', 'log', 'checkpoint.7')),
);
const astra = trustedAs(serverless.verifierKey, 'astra', ['log']);

function linesFor(
  trusted: TrustedKey[],
  note: { textBytes: Uint8Array },
  bundleKeys: Uint8Array[] = [],
  verify = verifyEd25519,
) {
  const findings: Finding[] = [];
  const lines = new SignatureLines(
    { trusted, bundleKeys },
    verify,
    note.textBytes,
    { file: 'cp', checkpointSize: 7 },
    findings,
  );
  return { lines, findings };
}

describe('SignatureLines', () => {
  it('x/mod "peter-only-trusted": the trusted log line verifies, the other is an unknown key', () => {
    const note = noteOf('peter-only-trusted');
    const peter = trustedAs(peterVkey, 'PeterNeumann', ['log']);
    const { lines, findings } = linesFor([peter], note);
    for (const s of note.signatures) lines.judge(s);
    expect(lines.signatures).toEqual([
      { name: 'PeterNeumann', keyId: 'c74f20a3', kind: 'log', status: 'verified', fingerprint: peter.fingerprint },
      { name: 'EnochRoot', keyId: 'af0cfe78', kind: 'unknown', status: 'unknown-key' },
    ]);
    expect([lines.logVerified, lines.failedTrusted, findings]).toEqual([1, false, []]);
  });

  it('x/mod "corrupted-signature" and a flipped byte: SIGNATURE_INVALID with the line, the note rejected', () => {
    const peter = trustedAs(peterVkey, 'PeterNeumann', ['log']);
    for (const sig of [
      noteOf('corrupted-signature').signatures[0]!,
      flipped(noteOf('peter-only-trusted').signatures[0]!),
    ]) {
      const { lines, findings } = linesFor([peter], noteOf('peter-only-trusted'));
      lines.judge(sig);
      expect(lines.signatures.map((s) => s.status)).toEqual(['failed']);
      expect([lines.logVerified, lines.failedTrusted]).toEqual([0, true]);
      expect(findings.map((f) => [f.code, f.location, f.evidence])).toEqual([
        ['SIGNATURE_INVALID', { file: 'cp', checkpointSize: 7 }, { fingerprint: peter.fingerprint, line: 4 }],
      ]);
    }
  });

  it('a log signature that is not 64 bytes fails before the verifier is asked', () => {
    const note = noteOf('peter-only-trusted');
    const peter = trustedAs(peterVkey, 'PeterNeumann', ['log']);
    const s = note.signatures[0]!;
    const { lines, findings } = linesFor([peter], note, [], () => true);
    lines.judge({ ...s, signature: s.signature.subarray(0, 63) });
    lines.judge(s);
    expect(lines.signatures.map((x) => x.status)).toEqual(['failed', 'verified']);
    expect(findings.map((f) => f.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('a key shipped in the bundle is recognised as such; a trusted key outside its role is KEY_WRONG_ROLE', () => {
    const note = noteOf('both-trusted');
    const enochPk = parseKey(enochVkey).publicKey;
    const peterWitness = trustedAs(peterVkey, 'PeterNeumann', ['witness']);
    const { lines, findings } = linesFor([peterWitness], note, [enochPk]);
    for (const s of note.signatures) lines.judge(s);
    expect(lines.signatures).toEqual([
      {
        name: 'PeterNeumann',
        keyId: 'c74f20a3',
        kind: 'log',
        status: 'wrong-role',
        fingerprint: peterWitness.fingerprint,
      },
      {
        name: 'EnochRoot',
        keyId: 'af0cfe78',
        kind: 'unknown',
        status: 'bundle-key',
        fingerprint: keyFingerprint(enochPk),
      },
    ]);
    expect([lines.logVerified, lines.failedTrusted]).toEqual([0, false]);
    expect(findings.map((f) => [f.code, f.evidence])).toEqual([
      ['KEY_WRONG_ROLE', { fingerprint: peterWitness.fingerprint, line: 4, signedAs: 'log', trustedAs: 'witness' }],
    ]);
  });

  describe('cosignatures on a serverless-log checkpoint', () => {
    const w = testKey('checkpoint-steps-witness', 'witness.example', 'witness');
    const T = 1_780_000_000;
    const text = new TextDecoder().decode(parsed(checkpoint7).textBytes);
    const cosigned = parsed(
      utf8(
        new TextDecoder().decode(checkpoint7) +
          new TextDecoder()
            .decode(signNote(text, [cosignatureSigner(w.name, w.seed, T)]))
            .split('\n')
            .find((l) => l.startsWith('— '))! +
          '\n',
      ),
    );

    it('the log line and a witness cosignature verify; COSIGNATURE_VALID carries its time', () => {
      const { lines, findings } = linesFor([astra, w.trusted], cosigned);
      for (const s of cosigned.signatures) lines.judge(s);
      expect(lines.signatures.map((s) => [s.name, s.kind, s.status, s.time])).toEqual([
        ['astra', 'log', 'verified', undefined],
        ['witness.example', 'cosignature', 'verified', T],
      ]);
      expect([lines.logVerified, lines.failedTrusted]).toEqual([1, false]);
      expect(findings.map((f) => [f.code, f.severity, f.evidence])).toEqual([
        ['COSIGNATURE_VALID', 'info', { fingerprint: w.trusted.fingerprint, time: T }],
      ]);
    });

    it('a witness key shipped in the bundle, not trusted: the cosignature line is a bundle key', () => {
      const { lines, findings } = linesFor([astra], cosigned, [w.publicKey]);
      for (const s of cosigned.signatures) lines.judge(s);
      expect(lines.signatures.map((s) => [s.kind, s.status, s.fingerprint])).toEqual([
        ['log', 'verified', astra.fingerprint],
        ['unknown', 'bundle-key', w.trusted.fingerprint],
      ]);
      expect(findings).toEqual([]);
    });

    it('a flipped cosignature byte rejects; the witness key trusted only as a log key is KEY_WRONG_ROLE', () => {
      const { lines, findings } = linesFor([astra, w.trusted], cosigned);
      lines.judge(cosigned.signatures[0]!);
      lines.judge(flipped(cosigned.signatures[1]!));
      expect(lines.signatures.map((s) => s.status)).toEqual(['verified', 'failed']);
      expect(lines.failedTrusted).toBe(true);
      expect(findings.map((f) => [f.code, f.evidence?.line])).toEqual([['SIGNATURE_INVALID', 6]]);
      const asLog = { ...w.trusted, roles: ['log' as const] };
      const wrong = linesFor([asLog], cosigned);
      wrong.lines.judge(cosigned.signatures[1]!);
      expect(wrong.lines.signatures.map((s) => [s.kind, s.status])).toEqual([['cosignature', 'wrong-role']]);
      expect(wrong.findings.map((f) => [f.code, f.evidence?.signedAs, f.evidence?.trustedAs])).toEqual([
        ['KEY_WRONG_ROLE', 'witness', 'log'],
      ]);
    });
  });
});

// ── extra keys: Rekor v1 ECDSA ──────────────────────────────────────────────────────────────
const root = readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>(
  'sigstore',
  'trusted_root.public-good.json',
);
const rekorKey = parsePublicKeyDer(fromBase64(root.tlogs[0]!.publicKey.rawBytes)) as P256;
const rekor: ExtraNoteKey = { kind: 'rekor-ecdsa', key: rekorKey, label: 'rekor' };
const rekorNote = parsed(
  utf8(
    readVectorJson<{
      verificationMaterial: { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> };
    }>('sigstore', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json').verificationMaterial.tlogEntries[0]!
      .inclusionProof.checkpoint.envelope,
  ),
);
function bodyOf(text: string): CheckpointBody {
  const b = parseCheckpointBody(text);
  if (!b.ok) throw new Error(b.detail);
  return b;
}
const loc = { file: 'cp', checkpointSize: 1 };
const inputsFor = (note: { text: string; textBytes: Uint8Array }): ExtraLineInputs => ({
  ecdsa: verifyEcdsaP256,
  textBytes: note.textBytes,
  body: bodyOf(note.text),
  loc,
});

// ── extra keys: a static-CT checkpoint from the ct-go signed tree head ────────────────────────
const sth = readVectorJson<{
  cases: Array<{
    name: string;
    tree_size: number;
    timestamp: number;
    sha256_root_hash: string;
    tree_head_signature: string;
    version?: number;
  }>;
}>('ct', 'ctgo-sigtest-sth.json');
const ctKey = parsePublicKeyPem(readVectorText('ct', 'ctgo-sigtest-ec256-public.pem')) as P256;
const CT_ORIGIN = 'ct.example/sigtest';
const ct: ExtraNoteKey = { kind: 'rfc6962-note', key: ctKey, name: CT_ORIGIN };
/** A static-CT note carrying an STH case: body (origin, size, root), one RFC6962NoteSignature line. */
function ctNote(c: (typeof sth.cases)[number], origin = CT_ORIGIN, extensions: string[] = []) {
  const text = formatCheckpointBody({
    origin,
    size: c.tree_size,
    rootHash: fromBase64(c.sha256_root_hash),
    extensions,
  });
  return parsed(
    formatNote(text, [
      {
        name: CT_ORIGIN,
        keyId: rfc6962NoteKeyId(CT_ORIGIN, ctKey.spki),
        signature: concatBytes(u64BE(c.timestamp), fromBase64(c.tree_head_signature)),
      },
    ]),
  );
}
const valid = sth.cases.find((c) => c.name === 'valid')!;

describe('extraKeyFor', () => {
  it('a Rekor line is by the key whose SPKI hash starts with its hint, whatever the line name', () => {
    const line = rekorNote.signatures[0]!;
    const other: ExtraNoteKey = { kind: 'rekor-ecdsa', key: parsePublicKeyDer(ecTestKey('other-rekor').spki) as P256 };
    expect(extraKeyFor(line, [rekor])).toBe(rekor);
    expect(extraKeyFor(line, [other, rekor])).toBe(rekor);
    expect(extraKeyFor(line, [other])).toBeUndefined();
    expect(extraKeyFor({ ...line, name: 'anything' }, [rekor])).toBe(rekor);
    // Two entries for one key: the first one listed.
    const again: ExtraNoteKey = { ...rekor, label: 'again' };
    expect(extraKeyFor(line, [again, rekor])).toBe(again);
    // The same key as a static-CT key has another key ID.
    expect(extraKeyFor(line, [{ kind: 'rfc6962-note', key: rekorKey, name: line.name }])).toBeUndefined();
  });

  it('a static-CT line is by the key its ID names, under that name only', () => {
    const line = ctNote(valid).signatures[0]!;
    expect(extraKeyFor(line, [rekor, ct])).toBe(ct);
    expect(extraKeyFor({ ...line, name: 'ct.example/other' }, [ct])).toBeUndefined();
    expect(extraKeyFor(line, [{ ...ct, name: 'ct.example/other' }])).toBeUndefined();
    expect(extraKeyFor(line, [{ kind: 'rekor-ecdsa', key: ctKey }])).toBeUndefined();
  });
});

describe('judgeExtraLine', () => {
  it('the real Rekor v1 checkpoint line verifies; a flipped byte is SIGNATURE_INVALID at the given location', () => {
    const line = rekorNote.signatures[0]!;
    expect(judgeExtraLine(line, rekor, inputsFor(rekorNote))).toEqual({
      report: {
        name: 'rekor.sigstore.dev',
        keyId: 'c0d23d6a',
        kind: 'log',
        status: 'verified',
        fingerprint: rekorKey.fingerprint,
      },
    });
    const bad = judgeExtraLine(flipped(line), rekor, inputsFor(rekorNote));
    expect(bad.report.status).toBe('failed');
    expect([bad.finding?.code, bad.finding?.location, bad.finding?.evidence]).toEqual([
      'SIGNATURE_INVALID',
      loc,
      { fingerprint: rekorKey.fingerprint, line: line.line },
    ]);
    expect(bad.timeMs).toBeUndefined();
  });

  it('the ct-go STH as a static-CT line verifies and reports its signed time', () => {
    const note = ctNote(valid);
    expect(judgeExtraLine(note.signatures[0]!, ct, inputsFor(note))).toEqual({
      report: {
        name: CT_ORIGIN,
        keyId: rfc6962NoteKeyId(CT_ORIGIN, ctKey.spki).toString(16).padStart(8, '0'),
        kind: 'log',
        status: 'verified',
        fingerprint: ctKey.fingerprint,
        time: 1348589667,
      },
      timeMs: 1348589667204,
    });
  });

  it('the ct-go reject cases (timestamp+1, tree_size+1, root byte, signature byte) fail with SIGNATURE_INVALID', () => {
    // "version+1" changes only the signed input's version byte, which a note cannot carry: not applicable here.
    const rejects = sth.cases.filter((c) => c.name !== 'valid' && c.version === undefined);
    expect(rejects.map((c) => c.name)).toEqual([
      'timestamp+1',
      'tree_size+1',
      'root hash byte 0 corrupted',
      'signature byte corrupted',
    ]);
    for (const c of rejects) {
      const note = ctNote(c);
      const j = judgeExtraLine(note.signatures[0]!, ct, inputsFor(note));
      expect([c.name, j.report.status, j.report.time, j.finding?.code, j.timeMs]).toEqual([
        c.name,
        'failed',
        undefined,
        'SIGNATURE_INVALID',
        undefined,
      ]);
    }
  });

  it('static-CT rules beyond the signature: origin must be the key name, no extension lines, a well-formed DigitallySigned', () => {
    const judge = (note: ReturnType<typeof ctNote>, sig = note.signatures[0]!) =>
      judgeExtraLine(sig, ct, inputsFor(note)).finding?.code;
    expect(judge(ctNote(valid, 'ct.example/other'))).toBe('SIGNATURE_INVALID');
    expect(judge(ctNote(valid, CT_ORIGIN, ['an extension']))).toBe('SIGNATURE_INVALID');
    const good = ctNote(valid);
    const s = good.signatures[0]!;
    expect(judge(good, { ...s, signature: s.signature.subarray(0, 8) })).toBe('SIGNATURE_INVALID');
    expect(judge(good, { ...s, signature: s.signature.subarray(0, s.signature.length - 1) })).toBe('SIGNATURE_INVALID');
    // An RSA signature algorithm byte (1) in place of ECDSA (3).
    const rsa = s.signature.slice();
    rsa[9] = 1;
    expect(judge(good, { ...s, signature: rsa })).toBe('SIGNATURE_INVALID');
    // A timestamp beyond 2^53 - 1 ms is refused before any signature check.
    const far = concatBytes(u64BE(2n ** 60n), s.signature.subarray(8));
    expect(judge(good, { ...s, signature: far })).toBe('SIGNATURE_INVALID');
    expect(judge(good)).toBeUndefined();
    // Even correctly signed, a timestamp beyond 2^53 - 1 ms is refused (here a fixture key signs it).
    const ec = ecTestKey('checkpoint-steps-static-ct');
    const ecKey: ExtraNoteKey = { kind: 'rfc6962-note', key: parsePublicKeyDer(ec.spki) as P256, name: CT_ORIGIN };
    const body = bodyOf(good.text);
    const signedAt = (t: bigint) => ({
      ...s,
      signature: concatBytes(
        u64BE(t),
        digitallySigned(ec.sign(treeHeadSignatureInput(CT_VERSION_V1, t, body.size, body.rootHash))),
      ),
    });
    const atMax = judgeExtraLine(signedAt(BigInt(Number.MAX_SAFE_INTEGER)), ecKey, inputsFor(good));
    expect([atMax.report.status, atMax.timeMs]).toEqual(['verified', Number.MAX_SAFE_INTEGER]);
    const beyond = judgeExtraLine(signedAt(BigInt(Number.MAX_SAFE_INTEGER) + 1n), ecKey, inputsFor(good));
    expect([beyond.report.status, beyond.finding?.code]).toEqual(['failed', 'SIGNATURE_INVALID']);
    expect(toBase64(s.signature.subarray(8))).toBe(valid.tree_head_signature);
  });
});
