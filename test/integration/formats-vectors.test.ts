/**
 * Every vector of ../shared/vectors/{signed-note,sigstore,ct} through `proofdesk verify` (runCli
 * in-process, captured output, --json): the outcome each README states, with the finding codes
 * of the rejects. Inputs that the vectors hold inside JSON files (notes, tree heads) are written
 * to files first, exactly as an examiner would save them.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { concatBytes, fromBase64, fromHex, toBase64, utf8 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { readCertificate } from '../../shared/keys/x509.js';
import { rfc6962NoteKeyId } from '../../shared/tlog/checkpoints.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { consistencyProof, inclusionProof } from '../../shared/tlog/merkle/proof.js';
import { formatConsistencyProof, formatInclusionProof } from '../../shared/tlog/proof-file.js';
import type { FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { ecTestKey, staticCtCheckpoint } from '../support/formats-fixtures.js';
import { readVectorJson, vectorPath } from '../support/vectors.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-vec-');
});
afterAll(() => removeDir(tmp));

interface Outcome {
  code: number;
  run?: VerificationRun;
  err: string;
}

async function verify(args: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  const code = await runCli(['verify', ...args, '--json'], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: {},
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd: tmp,
  });
  return { code, err, ...(out ? { run: JSON.parse(out) as VerificationRun } : {}) };
}

const codes = (o: Outcome): FindingCode[] =>
  (o.run?.result.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.code);
let n = 0;
const file = (content: string | Uint8Array, name = `f${n++}.txt`): string => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

// ── signed-note ─────────────────────────────────────────────────────────────────────────────

interface OpenCase {
  name: string;
  note?: string;
  noteHex?: string;
  verifierKeys: string[];
  expected: 'valid' | 'reject';
}
const xmod = readVectorJson<{
  keys: Record<string, { verifierKey: string }>;
  openCases: OpenCase[];
  verifierKeyParsing: Array<{ vkey: string; expected: string }>;
}>('signed-note', 'golang-x-mod-note-vectors.json');
const c2sp = readVectorJson<{
  c2spSignedNoteExample: { verifierKey: string; note: string; expected: string };
  sumdbTreeNoteBody: { golden: string; mustReject: string[] };
  checkpointBodyParsing: {
    cases: Array<{ desc: string; body: string; expectedByTransparencyDevFormats: string; strictSha256Note?: string }>;
  };
}>('signed-note', 'c2sp-and-checkpoint-body-vectors.json');
const unrelated = encodeNoteVerifierKey('unrelated.example', testKey('formats-unrelated').publicKey);

describe('signed-note: golang.org/x/mod note vectors (14 open cases)', () => {
  // The x/mod reject reasons map onto findings: no trusted signature, a failing trusted one, or a malformed note.
  const expectedCode: Record<string, FindingCode | undefined> = {
    'peter-only-trusted': undefined,
    'both-trusted': undefined,
    'no-trusted-keys': 'KEY_UNTRUSTED',
    'corrupted-signature': 'SIGNATURE_INVALID',
    'too-many-signatures': 'CHECKPOINT_MALFORMED',
    'misnamed-signature': 'KEY_UNTRUSTED',
    'wrong-key-id': 'KEY_UNTRUSTED',
  };
  it('has 14 cases', () => expect(xmod.openCases.length).toBe(14));
  for (const c of xmod.openCases) {
    it(`${c.name}: ${c.expected}`, async () => {
      const p = file(c.noteHex !== undefined ? fromHex(c.noteHex) : c.note!);
      const keys = c.verifierKeys.length ? c.verifierKeys : [unrelated];
      const o = await verify([p, ...keys.flatMap((k) => ['--trust', k])]);
      if (c.expected === 'valid') {
        expect(o.code).toBe(0);
        expect(o.run!.result.verdict).toBe('PASS');
        expect(o.run!.result.checkpoints[0]!.status).toBe('trusted');
      } else {
        // Rejected: never trusted. No signature by a trusted key is a question of which key
        // signed (INCONCLUSIVE, exit 3); a trusted key's signature that fails, or a malformed
        // note, is evidence against it (FAIL, exit 1).
        const code = expectedCode[c.name] ?? 'CHECKPOINT_MALFORMED';
        const unknownSigner = code === 'KEY_UNTRUSTED';
        expect(o.code).toBe(unknownSigner ? 3 : 1);
        expect(o.run!.result.verdict).toBe(unknownSigner ? 'INCONCLUSIVE' : 'FAIL');
        expect(o.run!.result.checkpoints[0]?.status ?? 'malformed').not.toBe('trusted');
        expect(codes(o)).toContain(code);
        if (unknownSigner) expect(o.run!.result.diagnosis[0]?.cause).toBe('NO_TRUSTED_SIGNER');
      }
    });
  }
  it('no-trusted-keys with no key at all is a usage error (exit 2): a note cannot verify itself', async () => {
    const c = xmod.openCases.find((x) => x.name === 'no-trusted-keys')!;
    expect((await verify([file(c.note!)])).code).toBe(2);
  });
});

describe('signed-note: verifier key parsing (4 cases)', () => {
  const note = xmod.openCases.find((c) => c.name === 'both-trusted')!.note!;
  for (const v of xmod.verifierKeyParsing) {
    it(`${v.vkey}: ${v.expected}`, async () => {
      const o = await verify([file(note), '--trust', v.vkey]);
      expect(o.code).toBe(v.expected === 'valid' ? 0 : 2);
    });
  }
});

describe('signed-note: ECDSA verifier keys given inline (types 0x02 and 0x05)', () => {
  const root = readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>(
    'sigstore',
    'trusted_root.public-good.json',
  );
  const rekorVkey = `rekor.sigstore.dev+c0d23d6a+${toBase64(concatBytes(Uint8Array.of(0x02), fromBase64(root.tlogs[0]!.publicKey.rawBytes)))}`;

  it("a real Rekor checkpoint verifies under Rekor's published 0x02 verifier key, given inline", async () => {
    const b = readVectorJson<{
      verificationMaterial: { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> };
    }>('sigstore', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
    const note = file(b.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope, 'rekor.checkpoint');
    const o = await verify([note, '--trust', rekorVkey]);
    expect([o.code, o.run!.result.verdict, o.run!.result.checkpoints[0]!.status]).toEqual([0, 'PASS', 'trusted']);
    // The same key in a file.
    const o2 = await verify([note, '--trust', file(`${rekorVkey}\n`, 'rekor.vkey')]);
    expect(o2.code).toBe(0);
    // Its type makes it a log key, and no key for Ed25519 bundles.
    const asWitness = await verify([note, '--witness', rekorVkey]);
    expect([asWitness.code, asWitness.err]).toEqual([2, expect.stringMatching(/log key by its verifier key type/)]);
  });

  it('a static-CT checkpoint verifies under its 0x05 verifier key; the key ID is checked by the static-CT rule', async () => {
    const ec = ecTestKey('inline-0x05');
    const origin = 'ct.example/2026h1';
    const body = `${origin}\n7\n${toBase64(new Uint8Array(32).fill(7))}\n`;
    const note = file(staticCtCheckpoint(body, ec, 1_780_000_000_123), 'static.checkpoint');
    const id = rfc6962NoteKeyId(origin, ec.spki).toString(16).padStart(8, '0');
    const vkey = `${origin}+${id}+${toBase64(concatBytes(Uint8Array.of(0x05), ec.spki))}`;
    const o = await verify([note, '--trust', vkey]);
    expect([o.code, o.run!.result.verdict]).toEqual([0, 'PASS']);
    const wrong = await verify([note, '--trust', vkey.replace(id, id === '00000000' ? '00000001' : '00000000')]);
    expect([wrong.code, wrong.err]).toEqual([2, expect.stringMatching(/0x05\) verifier key must be SHA-256/)]);
  });
});

describe('signed-note: the C2SP spec example and tree-note bodies', () => {
  it('the c2sp.org/signed-note example verifies under its key', async () => {
    const e = c2sp.c2spSignedNoteExample;
    const o = await verify([file(e.note), '--trust', e.verifierKey]);
    expect(o.run!.result.verdict).toBe('PASS');
  });

  it('the sumdb golden tree body parses (size, root) but, unsigned, is not trusted', async () => {
    const o = await verify([
      file(c2sp.sumdbTreeNoteBody.golden),
      '--trust',
      unrelated,
      '--origin',
      'go.sum database tree',
    ]);
    const cp = o.run!.result.checkpoints[0]!;
    expect(cp.origin).toBe('go.sum database tree');
    expect(cp.size).toBe(123456789012);
    expect(cp.rootHash).toBe(Buffer.from(hashLeaf(utf8('hello world'))).toString('hex'));
    expect(codes(o)).toEqual(['KEY_UNTRUSTED']);
  });

  it('the 3 sumdb bodies that must be rejected are rejected (origin, size, root)', async () => {
    const want: FindingCode[] = ['CHECKPOINT_ORIGIN_MISMATCH', 'CHECKPOINT_MALFORMED', 'CHECKPOINT_MALFORMED'];
    for (const [i, body] of c2sp.sumdbTreeNoteBody.mustReject.entries()) {
      const o = await verify([file(body), '--trust', unrelated, '--origin', 'go.sum database tree']);
      expect(o.code).toBe(1);
      expect(codes(o)).toContain(want[i]);
    }
  });

  it('all 12 transparency-dev/formats bodies are rejected; the 5 it parses fail the strict 32-byte root rule', async () => {
    expect(c2sp.checkpointBodyParsing.cases.length).toBe(12);
    for (const c of c2sp.checkpointBodyParsing.cases) {
      const o = await verify([file(c.body), '--trust', unrelated]);
      expect(o.code).toBe(1);
      const f = o.run!.result.findings.find((x) => x.code === 'CHECKPOINT_MALFORMED');
      expect(f, c.desc).toBeDefined();
      if (c.expectedByTransparencyDevFormats === 'parse') expect(f!.evidence?.reason).toBe('ROOT_HASH_LENGTH');
    }
  });
});

describe('signed-note: the real serverless log (15 leaves, 16 checkpoints)', () => {
  const manifest = readVectorJson<{ verifierKey: string; origin: string; leafData: string[] }>(
    'signed-note',
    'serverless-log-testdata',
    'manifest.json',
  );
  const logDir = vectorPath('signed-note', 'serverless-log-testdata', 'log');

  it('verifies: every checkpoint trusted, every root recomputed from the leaves matches', async () => {
    const o = await verify([logDir, '--trust', manifest.verifierKey]);
    expect(o.code).toBe(0);
    const r = o.run!.result;
    expect(r.verdict).toBe('PASS');
    expect(r.bundle.entryCount).toBe(15);
    expect(r.checkpoints.length).toBe(17); // checkpoint and checkpoint.0 … checkpoint.15
    for (const cp of r.checkpoints) {
      expect(cp.status).toBe('trusted');
      expect(cp.rootStatus).toBe('match');
    }
    expect(new Set(r.checkpoints.map((c) => c.size))).toEqual(new Set([...Array(16).keys()]));
    expect(r.findings.find((f) => f.code === 'INPUT_FORMAT')!.evidence!.format).toBe('serverless');
  });

  it('the containing directory is not mistaken for a log; the error names the log inside', async () => {
    const o = await verify([vectorPath('signed-note', 'serverless-log-testdata'), '--trust', manifest.verifierKey]);
    expect(o.code).toBe(2);
    expect(o.err).toContain(logDir);
  });

  it('changing one character of any checkpoint body line or signature fails verification (32 tampers)', async () => {
    const copy = join(tmp, 'serverless-tamper');
    for (let size = 0; size <= 15; size++) {
      for (const part of ['body', 'signature'] as const) {
        cpSync(logDir, copy, { recursive: true, force: true });
        const p = join(copy, `checkpoint.${size}`);
        const text = readFileSync(p, 'utf8');
        const lines = text.split('\n');
        if (part === 'body') {
          lines[2] = (lines[2]![0] === 'A' ? 'B' : 'A') + lines[2]!.slice(1); // the root line
        } else {
          const sig = lines[4]!;
          const at = sig.length - 10;
          lines[4] = sig.slice(0, at) + (sig[at] === 'A' ? 'B' : 'A') + sig.slice(at + 1);
        }
        writeFileSync(p, lines.join('\n'));
        const o = await verify([copy, '--trust', manifest.verifierKey]);
        expect({ size, part, code: o.code }).toEqual({ size, part, code: 1 });
        expect(codes(o).some((c) => c === 'SIGNATURE_INVALID' || c === 'KEY_UNTRUSTED')).toBe(true);
      }
    }
  });

  it('inclusion and consistency proofs between the checkpoints verify as tlog-proof files against the leaves', async () => {
    const copy = join(tmp, 'serverless-proofs');
    cpSync(logDir, copy, { recursive: true, force: true });
    const leaves = manifest.leafData.map((d) => hashLeaf(utf8(d)));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(copy, 'proofs'));
    let count = 0;
    for (let size = 1; size <= 15; size++) {
      const cp = readFileSync(join(logDir, `checkpoint.${size}`));
      for (let i = 0; i < size; i += 3) {
        writeFileSync(
          join(copy, 'proofs', `${i}-${size}.tlog-proof`),
          formatInclusionProof(i, inclusionProof(i, leaves.slice(0, size)), cp),
        );
        count++;
      }
      if (size > 1) {
        const cp1 = readFileSync(join(logDir, `checkpoint.${size - 1}`));
        writeFileSync(
          join(copy, 'proofs', `${size - 1}-${size}.consistency-proof`),
          formatConsistencyProof(size - 1, size, consistencyProof(size - 1, leaves.slice(0, size)), cp1, cp),
        );
        count++;
      }
    }
    const o = await verify([copy, '--trust', manifest.verifierKey]);
    expect(o.run!.result.verdict).toBe('PASS');
    expect(o.run!.result.proofs.length).toBe(count);
    expect(o.run!.result.proofs.every((p) => p.status === 'verified')).toBe(true);
    // A proof for a leaf other than the log's fails against the leaves.
    const wrong = formatInclusionProof(
      2,
      inclusionProof(3, leaves.slice(0, 8)),
      readFileSync(join(logDir, 'checkpoint.8')),
    );
    writeFileSync(join(copy, 'proofs', 'wrong.tlog-proof'), wrong);
    const bad = await verify([copy, '--trust', manifest.verifierKey]);
    expect(bad.code).toBe(1);
    expect(codes(bad)).toContain('PROOF_LEAF_MISMATCH');
  });

  it('a standalone tlog-proof: PASS with the entry, INCONCLUSIVE without it, FAIL with another entry', async () => {
    const leaves = manifest.leafData.map((d) => hashLeaf(utf8(d)));
    const proof = file(
      formatInclusionProof(4, inclusionProof(4, leaves.slice(0, 9)), readFileSync(join(logDir, 'checkpoint.9'))),
      'four.tlog-proof',
    );
    const ok = await verify([proof, '--trust', manifest.verifierKey, '--entry', file(manifest.leafData[4]!)]);
    expect(ok.run!.result.verdict).toBe('PASS');
    expect(ok.run!.result.coverage.verified).toBe(1);
    const none = await verify([proof, '--trust', manifest.verifierKey]);
    expect(none.code).toBe(3);
    expect(codes(none)).toEqual(['CONTENT_NOT_CHECKED']);
    const other = await verify([proof, '--trust', manifest.verifierKey, '--entry', file(manifest.leafData[5]!)]);
    expect(other.code).toBe(1);
    expect(codes(other)).toContain('PROOF_LEAF_MISMATCH');
  });

  it('a standalone tlog-proof that carries its entry: a wrong path is the proof, a different entry is the entry', async () => {
    const leaves = manifest.leafData.map((d) => hashLeaf(utf8(d)));
    const cp9 = readFileSync(join(logDir, 'checkpoint.9'));
    const path = inclusionProof(4, leaves.slice(0, 9));
    const entry4 = file(manifest.leafData[4]!);
    const entry5 = file(manifest.leafData[5]!);
    const broken = [Uint8Array.from(path[0]!, (b, i) => (i === 0 ? b ^ 1 : b)), ...path.slice(1)];
    const corrupted = file(formatInclusionProof(4, broken, cp9, utf8(manifest.leafData[4]!)), 'corrupt.tlog-proof');
    const carrying = file(formatInclusionProof(4, path, cp9, utf8(manifest.leafData[4]!)), 'carrying.tlog-proof');
    const opaque = file(formatInclusionProof(4, path, cp9, utf8('application data')), 'opaque.tlog-proof');
    const status = (o: Outcome) => o.run!.result.coverage.ranges.map((r) => [r.status, r.reason]);

    // The path is wrong for the very entry it carries, which is the entry given: the proof is at fault.
    const bad = await verify([corrupted, '--trust', manifest.verifierKey, '--entry', entry4]);
    expect([bad.code, codes(bad)]).toEqual([1, ['PROOF_INVALID']]);
    expect(status(bad)).toEqual([['unverifiable', 'NO_TRUSTED_CHECKPOINT']]);
    // The proof proves the entry it carries; the entry given is another: the entry is at fault.
    const other = await verify([carrying, '--trust', manifest.verifierKey, '--entry', entry5]);
    expect([other.code, codes(other)]).toEqual([1, ['PROOF_LEAF_MISMATCH']]);
    expect(status(other)).toEqual([['failed', 'ENTRY_CHANGED']]);
    // extra is opaque application data in C2SP: the path proves the entry given.
    const ok = await verify([opaque, '--trust', manifest.verifierKey, '--entry', entry4]);
    expect([ok.code, ok.run!.result.verdict]).toEqual([0, 'PASS']);

    // check-proof applies the same rule.
    const check = async (proof: string, entry: string) => {
      let out = '';
      const code = await runCli(['check-proof', proof, '--trust', manifest.verifierKey, '--entry', entry, '--json'], {
        out: (x) => (out += x),
        err: () => {},
        env: {},
        stdinIsTTY: false,
        stderrIsTTY: false,
        cwd: tmp,
      });
      return [code, (JSON.parse(out) as { findings: Array<{ code: string }> }).findings.map((f) => f.code)];
    };
    expect(await check(corrupted, entry4)).toEqual([1, ['PROOF_INVALID']]);
    expect(await check(carrying, entry5)).toEqual([1, ['PROOF_LEAF_MISMATCH']]);
    expect(await check(opaque, entry4)).toEqual([0, []]);
  });
});

// ── sigstore ────────────────────────────────────────────────────────────────────────────────

describe('sigstore: the 5 conformance bundles', () => {
  const V = (...p: string[]) => vectorPath('sigstore', ...p);
  const cases: Array<{ dir: string; root: string; expected: 'VALID' | 'REJECT'; code?: FindingCode }> = [
    { dir: 'happy-path-v0.3', root: V('trusted_root.public-good.json'), expected: 'VALID' },
    { dir: 'happy-path-intoto-in-dsse-v3', root: V('trusted_root.public-good.json'), expected: 'VALID' },
    { dir: 'rekor2-happy-path', root: V('conformance', 'rekor2-happy-path', 'trusted_root.json'), expected: 'VALID' },
    {
      dir: 'checkpoint-wrong-roothash_fail',
      root: V('trusted_root.public-good.json'),
      expected: 'REJECT',
      code: 'PROOF_CHECKPOINT_MISMATCH',
    },
    {
      dir: 'set-invalid-signature_fail',
      root: V('trusted_root.public-good.json'),
      expected: 'REJECT',
      code: 'SIGNATURE_INVALID',
    },
  ];
  for (const c of cases) {
    it(`${c.dir}: ${c.expected}`, async () => {
      const bundle = V('conformance', c.dir, 'bundle.sigstore.json');
      for (const artifact of [[], ['--artifact', V('conformance', 'a.txt')]]) {
        const o = await verify([bundle, '--trust', c.root, '--cross-check', ...artifact]);
        const r = o.run!.result;
        // Rekor v2's time is an RFC 3161 timestamp, not verified: the certificate window stays open.
        const noTime = c.dir === 'rekor2-happy-path' && artifact.length > 0;
        if (c.expected === 'VALID') {
          expect(o.code).toBe(noTime ? 3 : 0);
          expect(r.verdict).toBe(noTime ? 'INCONCLUSIVE' : 'PASS');
          expect(r.coverage.verified).toBe(1);
          expect(r.proofs.map((p) => p.status)).toEqual(['verified']);
          expect(codes(o).filter((x) => x !== 'CONTENT_NOT_CHECKED' && x !== 'TIME_NOT_ESTABLISHED')).toEqual([]);
          expect(codes(o).includes('CONTENT_NOT_CHECKED')).toBe(artifact.length === 0);
        } else {
          expect(o.code).toBe(1);
          expect(r.coverage.failed).toBe(1);
          expect(codes(o)).toContain(c.code);
        }
      }
    });
  }

  it('the tampered bundles fail for the stated reason: the root check, and the SET', async () => {
    const wrong = await verify([
      V('conformance', 'checkpoint-wrong-roothash_fail', 'bundle.sigstore.json'),
      '--trust',
      V('trusted_root.public-good.json'),
    ]);
    const f = wrong.run!.result.findings.find((x) => x.code === 'PROOF_CHECKPOINT_MISMATCH')!;
    expect(f.evidence).toMatchObject({ expectedSize: 75610772, actualSize: 23083062 });
    expect(wrong.run!.result.checkpoints[0]!.status).toBe('trusted'); // "the checkpoint signature is valid"
    const set = await verify([
      V('conformance', 'set-invalid-signature_fail', 'bundle.sigstore.json'),
      '--trust',
      V('trusted_root.public-good.json'),
    ]);
    const s = set.run!.result.findings.find((x) => x.code === 'SIGNATURE_INVALID')!;
    expect(s.location.path).toBe('$.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp');
    expect(set.run!.result.proofs.map((p) => p.status)).toEqual(['verified']); // "the inclusion proof and checkpoint are fine"
  });

  it('the Rekor v2 bundle is not verified under the public-good root (its log is not trusted there)', async () => {
    const o = await verify([
      V('conformance', 'rekor2-happy-path', 'bundle.sigstore.json'),
      '--trust',
      V('trusted_root.public-good.json'),
    ]);
    // Nothing contradicts a trusted key: which log it is, is the question (exit 3, never PASS).
    expect(o.code).toBe(3);
    expect(o.run!.result.verdict).toBe('INCONCLUSIVE');
    expect(codes(o)).toContain('KEY_UNTRUSTED');
  });

  it('with no authenticated time the certificate window is not checked: said, and never PASS', async () => {
    const b = JSON.parse(readFileSync(V('conformance', 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8'));
    const e = b.verificationMaterial.tlogEntries[0];
    // No signed entry timestamp, and the unauthenticated integrated time moved ten years on.
    delete e.inclusionPromise;
    e.integratedTime = String(Number(e.integratedTime) + 10 * 365 * 86400);
    const moved = file(JSON.stringify(b), 'no-set.sigstore.json');
    const root = V('trusted_root.public-good.json');
    const o = await verify([moved, '--trust', root, '--artifact', V('conformance', 'a.txt')]);
    expect([o.code, o.run!.result.verdict]).toEqual([3, 'INCONCLUSIVE']);
    // The certificate's window, and the start of the log key's window, which no time shows either.
    expect(o.run!.result.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.path)).toEqual(
      ['$.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope', '$.verificationMaterial'],
    );
    expect(o.run!.result.diagnosis.map((c) => c.cause)).toEqual(['SIGNATURE_TIME_NOT_ESTABLISHED']);
    // Rekor v2 carries only an RFC 3161 time, which is not verified: the same.
    const v2 = await verify([
      V('conformance', 'rekor2-happy-path', 'bundle.sigstore.json'),
      '--trust',
      V('conformance', 'rekor2-happy-path', 'trusted_root.json'),
      '--artifact',
      V('conformance', 'a.txt'),
    ]);
    expect([v2.code, v2.run!.result.verdict]).toEqual([3, 'INCONCLUSIVE']);
  });

  it('a key-signed bundle given --artifact but no key for its signature is not PASS; with the key it is', async () => {
    const b = JSON.parse(readFileSync(V('conformance', 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8'));
    const cert = fromBase64(b.verificationMaterial.certificate.rawBytes);
    delete b.verificationMaterial.certificate;
    b.verificationMaterial.publicKey = { hint: 'signer' };
    const keyed = file(JSON.stringify(b), 'keyed.sigstore.json');
    const root = V('trusted_root.public-good.json');
    const art = ['--artifact', V('conformance', 'a.txt')];
    const without = await verify([keyed, '--trust', root, ...art]);
    expect([without.code, without.run!.result.verdict]).toEqual([3, 'INCONCLUSIVE']);
    expect(without.run!.result.findings.find((f) => f.code === 'CONTENT_NOT_CHECKED')!.location.path).toBe(
      '$.messageSignature.signature',
    );
    const info = readCertificate(cert);
    if (typeof info === 'string') throw new Error(info);
    const pem = file(
      `-----BEGIN PUBLIC KEY-----\n${toBase64(info.publicKey.spki)}\n-----END PUBLIC KEY-----\n`,
      'signer.pem',
    );
    const withKey = await verify([keyed, '--trust', root, '--entry-key', pem, ...art]);
    expect([withKey.code, withKey.run!.result.verdict]).toEqual([0, 'PASS']);
  });

  it('another artifact fails the digest check', async () => {
    const o = await verify([
      V('conformance', 'happy-path-v0.3', 'bundle.sigstore.json'),
      '--trust',
      V('trusted_root.public-good.json'),
      '--artifact',
      file('not a.txt'),
    ]);
    expect(o.code).toBe(1);
    expect(codes(o)).toContain('ARTIFACT_MISMATCH');
  });
});

// ── ct ──────────────────────────────────────────────────────────────────────────────────────

describe('ct: the RFC 6962 signed tree head vectors (1 valid, 5 mutated)', () => {
  const v = readVectorJson<{
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
  const key = vectorPath('ct', 'ctgo-sigtest-ec256-public.pem');
  it('has 6 cases', () => expect(v.cases.length).toBe(6));
  for (const c of v.cases) {
    it(`${c.name}: ${c.expected}`, async () => {
      const { name: _n, expected: _e, ...rest } = c;
      const sth = {
        tree_size: rest.tree_size,
        timestamp: rest.timestamp,
        sha256_root_hash: rest.sha256_root_hash,
        tree_head_signature: rest.tree_head_signature,
        ...(rest.version !== undefined ? { version: rest.version } : {}),
      };
      const o = await verify([file(JSON.stringify(sth), `sth-${n++}.json`), '--trust', key, '--cross-check']);
      if (c.expected === 'valid') {
        expect(o.code).toBe(0);
        expect(o.run!.result.checkpoints[0]).toMatchObject({ status: 'trusted', size: 42 });
      } else {
        expect(o.code).toBe(1);
        expect(codes(o)).toEqual(['SIGNATURE_INVALID']);
      }
    });
  }
  it('the STH is detected without --format, and --format ct-sth forces the same reading', async () => {
    const c = v.cases[0]!;
    const p = file(
      JSON.stringify({
        tree_size: c.tree_size,
        timestamp: c.timestamp,
        sha256_root_hash: c.sha256_root_hash,
        tree_head_signature: c.tree_head_signature,
      }),
      'valid.sth.json',
    );
    const forced = await verify([p, '--trust', key, '--format', 'ct-sth']);
    expect(forced.run!.result.verdict).toBe('PASS');
  });
});

// ── the native bundle path is unchanged ─────────────────────────────────────────────────────

describe('a Proofdesk bundle through the same command', () => {
  it('gives exactly the result verifyBundle gives (the sample bundle)', async () => {
    const { REPO_ROOT } = await import('../support/vectors.js');
    const { verifyBundle } = await import('../../electron/verify/bundle/verify.js');
    const { loadTrustedKeys } = await import('../../electron/keys/trust-files.js');
    const sample = join(REPO_ROOT, 'resources', 'samples');
    const o = await verify([
      join(sample, 'sample-bundle'),
      '--trust',
      join(sample, 'sample-log.vkey'),
      '--workers',
      '2',
    ]);
    const direct = await verifyBundle({
      bundle: join(sample, 'sample-bundle'),
      trusted: loadTrustedKeys([join(sample, 'sample-log.vkey')]),
      workers: 2,
    });
    expect(o.run!.result).toEqual(direct.run.result);
    expect(o.run!.result.findings.some((f) => f.code === 'INPUT_FORMAT')).toBe(false);
  });
});
