/**
 * Key validity against authenticated time (shared/keys/validity.ts), end to end with bundles
 * written by the reference exporter, real keys and real witness cosignatures:
 *
 *  - a log key revoked at R, and a bundle whose entries all claim times before R (what a forger
 *    holding the leaked key would write today): without a witness nothing shows the checkpoints
 *    were signed before R, so they do not count (INCONCLUSIVE, TIME_NOT_ESTABLISHED); a trusted
 *    witness that cosigned before R dates them (PASS); one that cosigned after R does not;
 *  - the same through `proofdesk verify --case` with a revoked grant;
 *  - the same for the checkpoints inside proof files: proofs shipped in a bundle, verifyProof
 *    (what `proofdesk check-proof` runs) and the tlog-proof adapter.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/main.js';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { verify as verifyInput } from '../../electron/verify/verify.js';
import { inclusionProofFromRegion } from '../../electron/write/prove.js';
import { encodeNoteVerifierKey, NOTE_SIG_COSIGNATURE_V1 } from '../../shared/keys/keys.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import { buildVerificationStatement } from '../../shared/report/predicate.js';
import { verificationReportDocument } from '../../shared/report/verification-document.js';
import { formatInclusionProof, parseProofFile, verifyProof } from '../../shared/tlog/proof-file.js';
import type { FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import {
  copyBundle,
  readLines,
  readManifestJson,
  rechain,
  refreshManifest,
  writeLines,
  writeManifestJson,
} from '../support/tamper.js';

const tmp = makeTempDir('proofdesk-key-validity-');
afterAll(() => removeDir(tmp));

const log = testKey('log', ORIGIN);
const witness = testKey('validity-witness', 'witness.example', 'witness');
/** Entries of the fixtures are at 2026-01-01T00:00:00Z + i s; the key is revoked two months later. */
const R = Date.UTC(2026, 2, 1) / 1000;
const JAN = Date.UTC(2026, 0, 1) / 1000;
const REVOKED_AT = '2026-03-01T00:00:00Z';
const revokedLog: TrustedKey = { ...log.trusted, revokedAt: REVOKED_AT };
const witnessVkey = encodeNoteVerifierKey(witness.name, witness.publicKey, NOTE_SIG_COSIGNATURE_V1);

/** Bundles of 300 entries, checkpoints at 100, 200, 300: unwitnessed, witnessed before R, witnessed after R. */
const dirs = { none: join(tmp, 'none'), before: join(tmp, 'before'), after: join(tmp, 'after') };
beforeAll(() => {
  generateBundle(dirs.none, 300, { checkpointEvery: 100 });
  generateBundle(dirs.before, 300, {
    checkpointEvery: 100,
    witnesses: [{ name: witness.name, seed: witness.seed, time: R - 3600 }],
  });
  generateBundle(dirs.after, 300, {
    checkpointEvery: 100,
    witnesses: [{ name: witness.name, seed: witness.seed, time: R + 3600 }],
  });
});

const codes = (r: { findings: readonly { code: FindingCode; severity: string }[] }) => [
  ...new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)),
];
const verify = async (dir: string, trusted: readonly TrustedKey[]): Promise<VerificationResult> =>
  (await verifyBundle({ bundle: dir, trusted, workers: 2 })).run.result;

describe('native bundles: a revoked log key needs a witness to date its checkpoints', () => {
  it('entries claiming times before the revocation, no witness: INCONCLUSIVE with TIME_NOT_ESTABLISHED, nothing verified', async () => {
    const r = await verify(dirs.none, [revokedLog]);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(codes(r)).toEqual(['TIME_NOT_ESTABLISHED']);
    expect(r.coverage).toMatchObject({ verified: 0, failed: 0, unverifiable: 300 });
    expect(r.checkpoints.map((c) => [c.status, c.signatures.map((s) => s.status)])).toEqual([
      ['untrusted', ['validity-unknown']],
      ['untrusted', ['validity-unknown']],
      ['untrusted', ['validity-unknown']],
    ]);
    // No checkpoint is bad, none is trusted: the check stays open rather than passing.
    expect(r.checks.find((c) => c.id === 'checkpoint-signatures')).toMatchObject({
      status: 'inconclusive',
      counts: { checkpoints: 3, trusted: 0 },
    });
    const f = r.findings.find((x) => x.code === 'TIME_NOT_ESTABLISHED')!;
    expect(f.evidence).toMatchObject({
      fingerprint: log.trusted.fingerprint,
      bound: 'revokedAt',
      revokedAt: '2026-03-01T00:00:00.000Z',
      witnessed: null,
      claimed: '2026-01-01T00:01:39.099Z',
    });
    // Without the revocation the same bundle passes: the revocation alone takes the trust away.
    expect((await verify(dirs.none, [log.trusted])).verdict).toBe('PASS');
  });

  it('a trusted witness cosigned every checkpoint an hour before the revocation: PASS', async () => {
    const r = await verify(dirs.before, [revokedLog, witness.trusted]);
    expect(r.verdict).toBe('PASS');
    expect(codes(r)).toEqual([]);
    expect(r.coverage.verified).toBe(300);
    expect(r.evidenceTime).toMatchObject({ cosignedFrom: R - 3600, cosignedTo: R - 3600 });
    // The cosignature counts only from a witness the examiner trusts.
    const untrustedWitness = await verify(dirs.before, [revokedLog]);
    expect([untrustedWitness.verdict, codes(untrustedWitness)]).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED']]);
    // A witness whose own key is revoked gives no time either.
    const revokedWitness = await verify(dirs.before, [
      revokedLog,
      { ...witness.trusted, revokedAt: '2027-01-01T00:00:00Z' },
    ]);
    expect([revokedWitness.verdict, codes(revokedWitness)]).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED']]);
  });

  it('a witness cosignature dated after the revocation does not count: INCONCLUSIVE', async () => {
    const r = await verify(dirs.after, [revokedLog, witness.trusted]);
    expect([r.verdict, codes(r), r.coverage.verified]).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED'], 0]);
    expect(r.findings.find((x) => x.code === 'TIME_NOT_ESTABLISHED')!.evidence).toMatchObject({
      witnessed: new Date((R + 3600) * 1000).toISOString(),
    });
  });

  it('entries claiming times after the revocation are KEY_REVOKED whatever a witness says: FAIL', async () => {
    const early = { ...log.trusted, revokedAt: '2026-01-01T00:02:00Z' }; // between the last entries of checkpoints 100 and 200
    const r = await verify(dirs.before, [early, witness.trusted]);
    expect(r.verdict).toBe('FAIL');
    expect(
      r.findings
        .filter((f) => f.code === 'KEY_REVOKED')
        .map((f) => [f.location.checkpointSize, f.evidence?.timeSource]),
    ).toEqual([
      [200, 'claimed'],
      [300, 'claimed'],
    ]);
    // Checkpoint 100 was cosigned in March, after this revocation: not dated before it either.
    expect(r.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.checkpointSize)).toEqual([
      100,
    ]);
  });

  it('a window end (validUntil) is judged the same way; an unparseable bound makes the key not count', async () => {
    const until = { ...log.trusted, validUntil: REVOKED_AT };
    expect((await verify(dirs.none, [until])).verdict).toBe('INCONCLUSIVE');
    expect((await verify(dirs.before, [until, witness.trusted])).verdict).toBe('PASS');
    const garbled = { ...log.trusted, revokedAt: '2026-03-01T00:00:00+99:99' };
    const r = await verify(dirs.before, [garbled, witness.trusted]);
    expect([r.verdict, codes(r), r.coverage.verified]).toEqual(['INCONCLUSIVE', ['KEY_WINDOW_INVALID'], 0]);
  });
});

describe('proofdesk verify --case with a revoked grant', () => {
  const work = join(tmp, 'cli');
  const caseDir = join(work, 'case');
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = {
      out: (s) => (out += s),
      err: (s) => (err += s),
      env: { PROOFDESK_EXAMINER: 'Jane Examiner' },
      stdinIsTTY: false,
      stderrIsTTY: false,
      cwd: work,
    };
    return { code: await runCli(args, io), out, err };
  }
  const run = async (bundle: string, extra: string[] = []) => {
    const r = await cli(['verify', bundle, '--case', caseDir, '--workers', '2', '--json', ...extra]);
    return { code: r.code, result: (JSON.parse(r.out) as { result: VerificationResult }).result, err: r.err };
  };

  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'log.vkey'), encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
    expect((await cli(['case', 'new', caseDir, '--title', 'leaked log key'])).code).toBe(0);
    expect((await cli(['case', 'trust', caseDir, 'log.vkey', '--origin', ORIGIN])).code).toBe(0);
    expect(
      (
        await cli([
          'case',
          'revoke',
          caseDir,
          log.trusted.fingerprint.slice(0, 16),
          '--at',
          REVOKED_AT,
          '--reason',
          'key leaked',
        ])
      ).code,
    ).toBe(0);
  });

  it('no witness: exit 3 (INCONCLUSIVE), TIME_NOT_ESTABLISHED; an ad hoc --trust of the log key does not undo it', async () => {
    const r = await run(dirs.none, ['--trust', join(work, 'log.vkey')]);
    expect([r.code, r.result.verdict, codes(r.result)], r.err).toEqual([3, 'INCONCLUSIVE', ['TIME_NOT_ESTABLISHED']]);
  });

  it('a trusted witness (given with --trust) that cosigned before the revocation: exit 0, PASS', async () => {
    const r = await run(dirs.before, ['--trust', witnessVkey]);
    expect([r.code, r.result.verdict, r.result.coverage.verified], r.err).toEqual([0, 'PASS', 300]);
  });

  it('the witness cosigned after the revocation: exit 3, INCONCLUSIVE', async () => {
    const r = await run(dirs.after, ['--trust', witnessVkey]);
    expect([r.code, r.result.verdict, codes(r.result)], r.err).toEqual([3, 'INCONCLUSIVE', ['TIME_NOT_ESTABLISHED']]);
  });
});

describe('entry signatures by a source key with a window: the same rule, dated per entry', () => {
  const source = testKey('validity-source', 'source', 'entry');
  const revokedSource: TrustedKey = { ...source.trusted, revokedAt: REVOKED_AT };
  const signed = {
    none: join(tmp, 'signed-none'),
    before: join(tmp, 'signed-before'),
    after: join(tmp, 'signed-after'),
  };
  beforeAll(() => {
    generateBundle(signed.none, 300, { checkpointEvery: 100, signEntriesWith: source });
    generateBundle(signed.before, 300, {
      checkpointEvery: 100,
      signEntriesWith: source,
      witnesses: [{ name: witness.name, seed: witness.seed, time: R - 3600 }],
    });
    generateBundle(signed.after, 300, {
      checkpointEvery: 100,
      signEntriesWith: source,
      witnesses: [{ name: witness.name, seed: witness.seed, time: R + 3600 }],
    });
  });
  const sigCheck = (r: VerificationResult) => r.checks.find((c) => c.id === 'entry-signatures');

  it('revoked, no witness: every entry is unverifiable (not failed), INCONCLUSIVE; without the revocation, PASS', async () => {
    const r = await verify(signed.none, [log.trusted, revokedSource]);
    expect([r.verdict, codes(r)]).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED']]);
    expect(r.coverage).toEqual({
      verified: 0,
      failed: 0,
      unverifiable: 300,
      ranges: [{ from: 0, to: 300, status: 'unverifiable', reason: 'SIGNATURE_TIME_NOT_ESTABLISHED' }],
    });
    expect(sigCheck(r)).toMatchObject({
      status: 'inconclusive',
      counts: { signatures: 300, valid: 0, undated: 300, outsideWindow: 0 },
    });
    const f = r.findings.find((x) => x.code === 'TIME_NOT_ESTABLISHED')!;
    expect(f.location).toMatchObject({ file: 'entries.jsonl', entry: 0 });
    expect(f.evidence).toMatchObject({
      fingerprint: source.trusted.fingerprint,
      bound: 'revokedAt',
      witnessed: null,
      claimed: '2026-01-01T00:00:00.000Z',
    });
    // The report's headline gives the reason, not "not covered by a checkpoint".
    const headline = (res: VerificationResult) => {
      const st = buildVerificationStatement(res, {
        examiner: { name: 'E', keyFingerprint: '0'.repeat(64) },
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:00:00Z',
        toolBuild: { sha256: '0'.repeat(64), scope: 'source', files: 0 },
        trustInputs: [],
      });
      return JSON.stringify(verificationReportDocument(st, new Uint8Array(0), 'r').blocks);
    };
    expect(r.headline).toBe(
      'Nothing in the evidence shows that 300 entry signatures by a key with a validity window (revoked, or trusted only for a time) were made inside it: no trusted witness cosignature dates them. None of the 300 entries can be verified; 300 have signatures that could not be checked.',
    );
    expect(headline(r)).toContain(r.headline);
    const revoked = await verify(dirs.none, [revokedLog]);
    expect(revoked.headline).toMatch(
      /^Nothing in the evidence shows that 3 checkpoint signatures by a key with a validity window/,
    );
    expect(headline(revoked)).toContain(revoked.headline);
    const plain = await verify(signed.none, [log.trusted, source.trusted]);
    expect([plain.verdict, sigCheck(plain)?.counts]).toEqual([
      'PASS',
      { signatures: 300, valid: 300, invalid: 0, untrusted: 0 },
    ]);
  });

  it('a trusted witness cosigned every checkpoint before the revocation: PASS; after it: INCONCLUSIVE', async () => {
    const ok = await verify(signed.before, [log.trusted, revokedSource, witness.trusted]);
    expect([ok.verdict, codes(ok), ok.coverage.verified, sigCheck(ok)?.counts.valid]).toEqual(['PASS', [], 300, 300]);
    const late = await verify(signed.after, [log.trusted, revokedSource, witness.trusted]);
    expect([late.verdict, codes(late), late.coverage.unverifiable]).toEqual([
      'INCONCLUSIVE',
      ['TIME_NOT_ESTABLISHED'],
      300,
    ]);
    // validUntil is met the same way.
    expect(
      (await verify(signed.before, [log.trusted, { ...source.trusted, validUntil: REVOKED_AT }, witness.trusted]))
        .verdict,
    ).toBe('PASS');
  });

  it('entries whose own ts is after the revocation are KEY_REVOKED and failed; the ones before it still need a witness', async () => {
    const early = { ...source.trusted, revokedAt: '2026-01-01T00:02:00Z' }; // entry 120 is the first at or after it
    const r = await verify(signed.before, [log.trusted, early, witness.trusted]);
    expect(r.verdict).toBe('FAIL');
    expect(r.coverage.ranges).toEqual([
      { from: 0, to: 120, status: 'unverifiable', reason: 'SIGNATURE_TIME_NOT_ESTABLISHED' },
      { from: 120, to: 300, status: 'failed', reason: 'ENTRY_ERRORS' },
    ]);
    expect(sigCheck(r)).toMatchObject({ status: 'fail', counts: { valid: 0, outsideWindow: 180, undated: 120 } });
    expect(r.findings.find((f) => f.code === 'KEY_REVOKED')).toMatchObject({
      location: { entry: 120 },
      evidence: { timeSource: 'claimed' },
    });
    // The checkpoints are fine: entry findings with KEY_* codes are not theirs.
    expect(r.checks.find((c) => c.id === 'checkpoint-signatures')).toMatchObject({
      status: 'pass',
      counts: { checkpoints: 3, trusted: 3, problems: 0 },
    });
  });

  it("only a checkpoint that stays trusted under its own key's window dates entries: a foreign one, cosigned earlier, is not used", async () => {
    // Another log's checkpoint of size 300, cosigned by the same trusted witness before any of
    // the bundle's, signed by a key whose trust-store window does not parse (so it is untrusted).
    const log2 = testKey('validity-log-2', ORIGIN);
    const other = generateBundle(join(tmp, 'signed-other'), 300, {
      seed: 2,
      checkpointEvery: 300,
      logKey: log2,
      signEntriesWith: source,
      witnesses: [{ name: witness.name, seed: witness.seed, time: JAN - 3600 }],
    });
    const dir = copyBundle(signed.before, join(tmp, 'signed-foreign-cp'));
    const foreign = readManifestJson(other.dir).checkpoints[0]!;
    writeFileSync(join(dir, 'checkpoints', 'foreign.checkpoint'), readFileSync(join(other.dir, foreign)));
    const m = readManifestJson(dir);
    writeManifestJson(dir, {
      ...m,
      checkpoints: [...m.checkpoints, 'checkpoints/foreign.checkpoint'],
      files: [...m.files, { path: 'checkpoints/foreign.checkpoint', size: 0, sha256: '0'.repeat(64) }],
    });
    refreshManifest(dir);
    const garbled: TrustedKey = { ...log2.trusted, revokedAt: 'garbage' };
    const r = await verify(dir, [log.trusted, garbled, revokedSource, witness.trusted]);
    expect([r.verdict, codes(r), r.coverage.verified]).toEqual(['PASS', ['KEY_WINDOW_INVALID'], 300]);
    // Its early witness time would have put every entry before a validFrom of 23:59 on Dec 31.
    const fromEve: TrustedKey = { ...source.trusted, validFrom: '2025-12-31T23:59:00Z' };
    const r2 = await verify(dir, [log.trusted, garbled, fromEve, witness.trusted]);
    expect([r2.verdict, codes(r2), r2.coverage.verified]).toEqual(['PASS', ['KEY_WINDOW_INVALID'], 300]);
  });

  it('a witness time dates only the entries of the tree it saw: after an edit, what rested on a mismatching checkpoint is taken back', async () => {
    const dir = copyBundle(signed.before, join(tmp, 'signed-edited'));
    const lines = readLines(dir);
    // Entry 150 gets a field outside the signed event: its signature still verifies, the roots at 200 and 300 change.
    lines[150] = lines[150]!.replace('{', '{"note":"edited",');
    writeLines(dir, lines);
    rechain(dir, ORIGIN);
    refreshManifest(dir);
    const r = await verify(dir, [log.trusted, revokedSource, witness.trusted]);
    expect(r.verdict).toBe('FAIL');
    expect(r.findings.filter((f) => f.code === 'ROOT_MISMATCH').map((f) => f.location.checkpointSize)).toEqual([
      200, 300,
    ]);
    expect(
      r.findings
        .filter((f) => f.code === 'TIME_NOT_ESTABLISHED')
        .map((f) => [f.location.checkpointSize, f.evidence?.entries]),
    ).toEqual([
      [200, 100],
      [300, 100],
    ]);
    // The first checkpoint still matches: its 100 entries are dated by its cosignature and verified.
    expect(r.coverage.ranges[0]).toEqual({ from: 0, to: 100, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' });
    expect(sigCheck(r)?.counts).toMatchObject({ valid: 100, undated: 200 });
    // Split into many worker jobs (entries of one checkpoint in several jobs): the same result.
    const split = (
      await verifyBundle({
        bundle: dir,
        trusted: [log.trusted, revokedSource, witness.trusted],
        workers: 2,
        chunkBytes: 4096,
      })
    ).run.result;
    expect([split.coverage, split.findings, split.checks]).toEqual([r.coverage, r.findings, r.checks]);
  });

  it('the same in a case: a revoked entry-key grant, with and without the witness trusted', async () => {
    const work = join(tmp, 'entry-case');
    mkdirSync(work, { recursive: true });
    const caseDir = join(work, 'case');
    let out = '';
    const io: CliIO = {
      out: (x) => (out += x),
      err: () => undefined,
      env: { PROOFDESK_EXAMINER: 'Jane Examiner' },
      stdinIsTTY: false,
      stderrIsTTY: false,
      cwd: work,
    };
    const cli = async (args: string[]) => {
      out = '';
      return runCli(args, io);
    };
    writeFileSync(join(work, 'log.vkey'), encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
    writeFileSync(join(work, 'source.pub'), Buffer.from(source.publicKey).toString('hex') + '\n');
    expect(await cli(['case', 'new', caseDir, '--title', 'leaked source key'])).toBe(0);
    expect(await cli(['case', 'trust', caseDir, 'log.vkey', '--origin', ORIGIN])).toBe(0);
    expect(await cli(['case', 'trust', caseDir, 'source.pub', '--origin', ORIGIN, '--role', 'entry'])).toBe(0);
    expect(
      await cli([
        'case',
        'revoke',
        caseDir,
        source.trusted.fingerprint.slice(0, 16),
        '--at',
        REVOKED_AT,
        '--reason',
        'key leaked',
      ]),
    ).toBe(0);
    expect(await cli(['verify', signed.before, '--case', caseDir, '--workers', '2', '--json'])).toBe(3);
    const inCase = (JSON.parse(out) as { result: VerificationResult }).result;
    expect([inCase.verdict, codes(inCase), inCase.coverage.ranges.map((x) => x.reason)]).toEqual([
      'INCONCLUSIVE',
      ['TIME_NOT_ESTABLISHED'],
      ['SIGNATURE_TIME_NOT_ESTABLISHED'],
    ]);
    expect(
      await cli(['verify', signed.before, '--case', caseDir, '--workers', '2', '--json', '--trust', witnessVkey]),
    ).toBe(0);
    expect((JSON.parse(out) as { result: VerificationResult }).result.verdict).toBe('PASS');
  });
});

describe('checkpoints inside proof files', () => {
  /** An inclusion proof of entry 42 in the checkpoint of size 100 of `dir`. */
  function proofOf(dir: string): Uint8Array {
    const m = readManifestJson(dir);
    const inc = inclusionProofFromRegion(
      { file: join(dir, 'entries.jsonl'), offset: 0, size: readFileSync(join(dir, 'entries.jsonl')).length },
      42,
      100,
    );
    return formatInclusionProof(42, inc.hashes, readFileSync(join(dir, m.checkpoints[0]!)), inc.line);
  }
  /** Entry 42 of `dir`, its exact bytes, in a file of its own (the tlog-proof adapter's --entry). */
  function entryFile(dir: string): string {
    const path = join(tmp, `${dir.split('/').pop()}-e42.entry`);
    writeFileSync(path, readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n')[42]!);
    return path;
  }

  it('verifyProof (what check-proof runs): a revoked key needs a witness before the revocation', () => {
    const judge = (dir: string, trusted: readonly TrustedKey[]) => {
      const parsed = parseProofFile(proofOf(dir));
      if (!parsed.ok) throw new Error(parsed.reason);
      return verifyProof('p.tlog-proof', parsed.proof, { origin: ORIGIN, trusted, bundleKeys: [] });
    };
    const none = judge(dirs.none, [revokedLog]);
    // Not verified, and not wrong: no PROOF_INVALID, only the missing time.
    expect([none.report.status, codes(none)]).toEqual(['failed', ['TIME_NOT_ESTABLISHED']]);
    expect([
      judge(dirs.before, [revokedLog, witness.trusted]).report.status,
      codes(judge(dirs.before, [revokedLog, witness.trusted])),
    ]).toEqual(['verified', []]);
    expect(codes(judge(dirs.after, [revokedLog, witness.trusted]))).toEqual(['TIME_NOT_ESTABLISHED']);
    // An untrusted checkpoint still fails the proof outright.
    expect(codes(judge(dirs.none, [testKey('someone-else', ORIGIN).trusted]))).toEqual([
      'KEY_UNTRUSTED',
      'PROOF_INVALID',
    ]);
  });

  it('the tlog-proof adapter (the app path, with case keys) and check-proof with a witness', async () => {
    const file = join(tmp, 'e42.tlog-proof');
    writeFileSync(file, proofOf(dirs.none));
    const r = (await verifyInput(file, { entry: entryFile(dirs.none), trusted: [revokedLog] })).run.result;
    expect([r.verdict, codes(r), r.coverage.unverifiable]).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED'], 1]);
    const witnessed = join(tmp, 'e42-witnessed.tlog-proof');
    writeFileSync(witnessed, proofOf(dirs.before));
    const ok = (await verifyInput(witnessed, { entry: entryFile(dirs.before), trusted: [revokedLog, witness.trusted] }))
      .run.result;
    expect([ok.verdict, ok.coverage.verified]).toEqual(['PASS', 1]);
    // check-proof takes keys from --trust only, which carry no window: the witnessed proof verifies.
    let out = '';
    const io: CliIO = {
      out: (s) => (out += s),
      err: () => undefined,
      env: {},
      stdinIsTTY: false,
      stderrIsTTY: false,
      cwd: tmp,
    };
    expect(
      await runCli(
        [
          'check-proof',
          witnessed,
          '--trust',
          encodeNoteVerifierKey(log.name, log.publicKey),
          '--trust',
          witnessVkey,
          '--json',
        ],
        io,
      ),
    ).toBe(0);
    expect((JSON.parse(out) as { ok: boolean }).ok).toBe(true);
  });

  it("a proof shipped in a bundle: judged by the same rule as the bundle's checkpoints", async () => {
    for (const [name, trusted, want] of [
      ['none', [revokedLog], 'failed'],
      ['before', [revokedLog, witness.trusted], 'verified'],
    ] as const) {
      const dir = join(tmp, `with-proof-${name}`);
      generateBundle(dir, 300, {
        checkpointEvery: 100,
        ...(name === 'before' ? { witnesses: [{ name: witness.name, seed: witness.seed, time: R - 3600 }] } : {}),
      });
      mkdirSync(join(dir, 'proofs'));
      writeFileSync(join(dir, 'proofs', 'e42.tlog-proof'), proofOf(dir));
      const m = readManifestJson(dir);
      writeManifestJson(dir, {
        ...m,
        proofs: ['proofs/e42.tlog-proof'],
        files: [...m.files, { path: 'proofs/e42.tlog-proof', size: 0, sha256: '0'.repeat(64) }],
      });
      refreshManifest(dir);
      const r = await verify(dir, trusted);
      expect([r.proofs.map((p) => p.status), r.findings.some((f) => f.code === 'PROOF_INVALID')], name).toEqual([
        [want],
        false,
      ]);
      expect(r.verdict, name).toBe(name === 'none' ? 'INCONCLUSIVE' : 'PASS');
    }
  });
});
