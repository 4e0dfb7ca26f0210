/**
 * Signed reports end to end, with real tools: an examiner key (PKCS#8 PEM from a fixed seed,
 * as `openssl genpkey` writes it, and read back by openssl) imported, `proofdesk verify --report` on a sealed bundle (PASS) and on a tampered copy (FAIL),
 * then the PDFs read back with poppler (pdftotext, pdfdetach, pdftoppm, pdffonts), the detached
 * signature checked with `openssl pkeyutl -verify -rawin`, and `proofdesk report verify` run
 * against the untouched report and against one-byte changes anywhere in the PDF, the
 * attestation and the signatures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { readKeyFile, unlockKeyFile } from '../../electron/keys/keyfile.js';
import { reportIdOf } from '../../electron/report/sign.js';
import { renderVerificationPdf } from '../../electron/report/verification-report.js';
import { type ReportVerification, verifyReport } from '../../electron/report/verify-report.js';
import { folderDigest } from '../../electron/services/inspect.js';
import {
  encodeNoteVerifierKey,
  encodePkcs8Pem,
  encodeSpkiPem,
  keyFingerprint,
  NOTE_SIG_COSIGNATURE_V1,
  parseKey,
} from '../../shared/keys/keys.js';
import { parseEnvelope } from '../../shared/report/dsse.js';
import type { VerificationStatement } from '../../shared/report/predicate.js';
import { REPORT_VERIFICATION_SCHEMA } from '../../shared/report/report-verification.js';
import { formatLocation } from '../../shared/report/text.js';
import { evidenceDigest } from '../../shared/report/verification-document.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { flipBits } from '../support/tamper.js';
import { REPO_ROOT } from '../support/vectors.js';

const PASSPHRASE = 'correct horse battery staple';
const witness = testKey('report-pdf-witness', 'witness.example');
/** The examiner's key: fixed, so every run signs with the same key. */
const examiner = testKey('report-pdf-examiner');
let tmp: string;
let examinerPub: Uint8Array;
const D = (...p: string[]) => join(tmp, ...p);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: {},
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd: tmp,
  });
  return { code, out, err };
}

function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function statementOf(envelopeBytes: Uint8Array): VerificationStatement {
  const env = parseEnvelope(envelopeBytes);
  if (!env.ok) throw new Error('unparsable envelope');
  return JSON.parse(Buffer.from(env.payload).toString('utf8')) as VerificationStatement;
}

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-report-');
  // The examiner's key in the file format `openssl genpkey -algorithm ed25519` writes (OpenSSL
  // reads it back to the same public key), imported and encrypted at rest.
  writeFileSync(D('examiner.pem'), encodePkcs8Pem(examiner.seed));
  expect(tool('openssl', ['pkey', '-in', 'examiner.pem', '-pubout'])).toBe(encodeSpkiPem(examiner.publicKey));
  writeFileSync(D('pass.txt'), PASSPHRASE + '\n');
  const imp = await cli([
    'key',
    'import',
    'examiner.pem',
    '--out',
    'examiner.key',
    '--name',
    'Dana Examiner',
    '--organisation',
    'Example Forensics GmbH',
    '--passphrase-file',
    'pass.txt',
  ]);
  expect(imp.code, imp.err).toBe(0);
  const exp = await cli(['key', 'export', 'examiner.key', '--format', 'pem', '--out', 'examiner.pub']);
  expect(exp.code, exp.err).toBe(0);
  examinerPub = parseKey(readFileSync(D('examiner.pub'), 'utf8')).publicKey;
  expect(Buffer.from(examinerPub).equals(Buffer.from(examiner.publicKey))).toBe(true);

  const b = generateBundle(D('bundle'), 600, {
    checkpointEvery: 250,
    witnesses: [{ name: witness.name, seed: witness.seed, time: Date.UTC(2026, 10, 2) / 1000 }],
  });
  writeFileSync(D('log.vkey'), encodeNoteVerifierKey(b.logKey.name, b.logKey.publicKey) + '\n');
  writeFileSync(
    D('witness.vkey'),
    encodeNoteVerifierKey(witness.name, witness.publicKey, NOTE_SIG_COSIGNATURE_V1) + '\n',
  );
  // The tampered copy: one event edited in place (entry 123).
  cpSync(D('bundle'), D('tampered'), { recursive: true });
  const lines = readFileSync(D('tampered', 'entries.jsonl'), 'utf8').split('\n');
  lines[123] = lines[123]!.replace('"outcome":"', '"outcome":"X');
  writeFileSync(D('tampered', 'entries.jsonl'), lines.join('\n'));

  const trust = ['--trust', 'log.vkey', '--trust', 'witness.vkey'];
  const pass = await cli([
    'verify',
    'bundle',
    ...trust,
    '--report',
    'pass-report',
    '--examiner-key',
    'examiner.key',
    '--passphrase-file',
    'pass.txt',
    '--case-ref',
    'CASE-2026-0042',
  ]);
  expect(pass.code, pass.err).toBe(0);
  const fail = await cli([
    'verify',
    'tampered',
    ...trust,
    '--report',
    'fail-report',
    '--examiner-key',
    'examiner.key',
    '--passphrase-file',
    'pass.txt',
    '--case-ref',
    'CASE-2026-0043',
  ]);
  expect(fail.code, fail.err).toBe(1);
});
afterAll(() => removeDir(tmp));

describe.each(['pass', 'fail'] as const)('the %s report', (which) => {
  const dir = () => D(`${which}-report`);
  const statement = () => statementOf(readFileSync(join(dir(), 'attestation.dsse.json')));

  it('writes report.pdf, report.pdf.sig (64 bytes) and attestation.dsse.json', () => {
    for (const f of ['report.pdf', 'report.pdf.sig', 'attestation.dsse.json'])
      expect(existsSync(join(dir(), f))).toBe(true);
    expect(readFileSync(join(dir(), 'report.pdf.sig'))).toHaveLength(64);
    expect(statement().predicate.result.verdict).toBe(which === 'pass' ? 'PASS' : 'FAIL');
  });

  it('prints the verdict, every input digest, every finding and the report ID on every page (pdftotext)', () => {
    const s = statement();
    const text = tool('pdftotext', ['-layout', join(dir(), 'report.pdf'), '-']);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(s.predicate.result.verdict);
    expect(flat).toContain('Dana Examiner, Example Forensics GmbH');
    expect(flat).toContain(s.predicate.caseReference!);
    for (const subject of s.subject) expect(text, subject.name).toContain(subject.digest.sha256!);
    for (const k of s.predicate.result.trustedKeys) {
      // The key's row in the trusted-keys table names the role it was counted in, before its fingerprint.
      const row = new RegExp(`\\s${k.roles!.join(', ')}\\s+${k.fingerprint}`);
      expect(
        text.split('\n').filter((l) => row.test(l)),
        k.fingerprint,
      ).toHaveLength(1);
    }
    expect(s.predicate.result.trustedKeys.map((k) => k.roles).sort()).toEqual([['log'], ['witness']]);
    for (const c of s.predicate.result.checkpoints) expect(text).toContain(c.rootHash!);
    for (const f of s.predicate.result.findings) {
      expect(flat).toContain(`${f.code} ${formatLocation(f.location)}`);
      for (const v of Object.values(f.evidence ?? {}))
        if (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) expect(text).toContain(v);
    }
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    const env = parseEnvelope(readFileSync(join(dir(), 'attestation.dsse.json')));
    if (!env.ok) throw new Error('unparsable envelope');
    const reportId = createHash('sha256').update(env.payload).digest('hex');
    pages.forEach((p, i) => {
      expect(p).toContain(reportId);
      expect(p.replace(/\s+/g, ' ')).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  it('carries on page 1 the headline, the diagnosis, the evidence digest, the trusted keys and the scope (pdftotext)', () => {
    const s = statement();
    const r = s.predicate.result;
    const page1 = tool('pdftotext', ['-layout', '-f', '1', '-l', '1', join(dir(), 'report.pdf'), '-']);
    const flat = page1.replace(/\s+/g, ' ');
    expect(flat).toContain(r.headline);
    const digest = evidenceDigest(s.predicate);
    expect(flat).toContain(digest.value);
    // The same value the case locker names the folder by (and the app's import card shows).
    expect(digest.value).toBe(folderDigest(D(which === 'pass' ? 'bundle' : 'tampered')).digest);
    for (const k of r.trustedKeys) expect(page1).toContain(k.fingerprint);
    expect(flat).toContain('Scope Checked:');
    if (which === 'pass') {
      expect(r.headline).toMatch(/^All 600 entries are verified/);
      expect(flat).not.toContain('What the evidence shows');
    } else {
      // One event edited in place: the entry is named, not its successor, and it is the only one failed.
      expect(r.headline).toMatch(/^Entry 123 was altered\. /);
      expect(r.coverage.failed).toBe(1);
      expect(flat).toContain('What the evidence shows Cause Where Explanation Entry altered');
      expect(flat).toContain(
        'Entry altered entry 123 Entry 123 was altered: its bytes no longer give the link entry 124',
      );
    }
  });

  it('draws the entries over time on page 1, from the timeline its attestation carries', () => {
    const s = statement();
    const t = s.predicate.timeline!;
    const r = s.predicate.result;
    const sums = [0, 1, 2, 3].map((k) => t.bars.reduce((a, b) => a + b[k]!, 0));
    expect(sums.reduce((a, b) => a + b, 0)).toBe(r.bundle.entryCount);
    expect(sums).toEqual([r.coverage.verified, r.coverage.failed, expect.any(Number), expect.any(Number)]);
    if (which === 'fail') expect(sums[2]).toBeGreaterThan(0);
    // Entries one second apart: no silence.
    expect(t.silences).toEqual([]);
    const flat = tool('pdftotext', ['-layout', '-f', '1', '-l', '1', join(dir(), 'report.pdf'), '-']).replace(
      /\s+/g,
      ' ',
    );
    expect(flat).toContain('Entries over time');
    expect(flat).toContain('verified failed no longer proven unverifiable silent');
    expect(flat).toContain('No silent period');
  });

  it('embeds its fonts (pdffonts) and renders every page (pdftoppm)', () => {
    const fonts = tool('pdffonts', [join(dir(), 'report.pdf')])
      .trim()
      .split('\n')
      .slice(2);
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const line of fonts) expect(line, line).toMatch(/\+DejaVu\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [join(dir(), 'report.pdf')]))![1]);
    const r = spawnSync('pdftoppm', ['-r', '40', '-png', join(dir(), 'report.pdf'), join(tmp, `${which}-png`)], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const pngs = readdirSync(tmp).filter((f) => f.startsWith(`${which}-png`) && f.endsWith('.png'));
    expect(pngs).toHaveLength(pages);
    for (const p of pngs) expect(readFileSync(join(tmp, p)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('carries an attachment (pdfdetach) that is the signed attestation, and the findings as CSV', async () => {
    const out = D(`${which}-detached`);
    mkdirSync(out);
    expect(tool('pdfdetach', ['-list', join(dir(), 'report.pdf')])).toMatch(
      /2 embedded files\n1: attestation.dsse.json\n2: findings.csv/,
    );
    tool('pdfdetach', ['-saveall', '-o', out, join(dir(), 'report.pdf')]);
    const extracted = readFileSync(join(out, 'attestation.dsse.json'));
    expect(extracted.equals(readFileSync(join(dir(), 'attestation.dsse.json')))).toBe(true);
    const v = await cli(['report', 'verify', join(out, 'attestation.dsse.json'), '--key', 'examiner.pub']);
    expect(v.code, v.out).toBe(0);
    const csvRows = readFileSync(join(out, 'findings.csv'), 'utf8').split('\r\n').filter(Boolean);
    expect(csvRows).toHaveLength(1 + statement().predicate.result.findings.length);
  });

  it('has a detached signature that openssl accepts, and rejects for a modified PDF', () => {
    const args = (pdf: string) => [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'examiner.pub',
      '-rawin',
      '-in',
      pdf,
      '-sigfile',
      join(dir(), 'report.pdf.sig'),
    ];
    expect(spawnSync('openssl', args(join(dir(), 'report.pdf')), { cwd: tmp }).status).toBe(0);
    const pdf = readFileSync(join(dir(), 'report.pdf'));
    flipBits(pdf, Math.floor(pdf.length / 2), 0x01);
    writeFileSync(D(`${which}-modified.pdf`), pdf);
    // openssl pkeyutl -verify exits 1 when the signature does not verify.
    expect(spawnSync('openssl', args(D(`${which}-modified.pdf`)), { cwd: tmp }).status).toBe(1);
  });

  it('has a DSSE signature that openssl verifies over a PAE built with printf (docs/report-format.md §7)', () => {
    const env = JSON.parse(readFileSync(join(dir(), 'attestation.dsse.json'), 'utf8')) as {
      payload: string;
      signatures: Array<{ sig: string }>;
    };
    writeFileSync(D(`${which}-payload.json`), Buffer.from(env.payload, 'base64'));
    writeFileSync(D(`${which}-payload.sig`), Buffer.from(env.signatures[0]!.sig, 'base64'));
    const script = `TYPE=application/vnd.in-toto+json; { printf 'DSSEv1 %d %s %d ' \${#TYPE} "$TYPE" $(stat -c %s ${which}-payload.json); cat ${which}-payload.json; } > ${which}-pae.bin && openssl pkeyutl -verify -pubin -inkey examiner.pub -rawin -in ${which}-pae.bin -sigfile ${which}-payload.sig`;
    const r = spawnSync('bash', ['-c', script], { cwd: tmp, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('re-renders to the same bytes, here and in a fresh process', async () => {
    const envPath = join(dir(), 'attestation.dsse.json');
    const envBytes = readFileSync(envPath);
    const env = parseEnvelope(envBytes);
    if (!env.ok) throw new Error('unparsable');
    const pdf = readFileSync(join(dir(), 'report.pdf'));
    const again = await renderVerificationPdf(statementOf(envBytes), envBytes, reportIdOf(env.payload));
    expect(Buffer.from(again).equals(pdf)).toBe(true);
    // A new Node process renders with fonts parsed from scratch (no cache from earlier renders).
    const out = D(`${which}-fresh.pdf`);
    const code = [
      `import { readFileSync, writeFileSync } from 'node:fs';`,
      `import { parseEnvelope } from ${JSON.stringify(join(REPO_ROOT, 'shared/report/dsse.ts'))};`,
      `import { reportIdOf } from ${JSON.stringify(join(REPO_ROOT, 'electron/report/sign.ts'))};`,
      `import { renderVerificationPdf } from ${JSON.stringify(join(REPO_ROOT, 'electron/report/verification-report.ts'))};`,
      `const b = readFileSync(${JSON.stringify(envPath)}); const e = parseEnvelope(b);`,
      `const s = JSON.parse(Buffer.from(e.payload).toString('utf8'));`,
      `writeFileSync(${JSON.stringify(out)}, await renderVerificationPdf(s, b, reportIdOf(e.payload)));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(pdf)).toBe(true);
  });

  it('verifies with `proofdesk report verify` (exit 0), and with --rerun on the same evidence', async () => {
    const v = await cli(['report', 'verify', join(dir(), 'report.pdf'), '--key', 'examiner.pub', '--json']);
    expect(v.code, v.out).toBe(0);
    const r = JSON.parse(v.out) as ReportVerification;
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['detached-signature', 'pass'],
      ['attachment', 'pass'],
      ['envelope', 'pass'],
      ['dsse-signature', 'pass'],
      ['statement', 'pass'],
      ['render', 'pass'],
    ]);
    expect(r.attested?.verdict).toBe(which === 'pass' ? 'PASS' : 'FAIL');
    const rerun = await cli([
      'report',
      'verify',
      join(dir(), 'report.pdf'),
      '--key',
      'examiner.pub',
      '--rerun',
      which === 'pass' ? 'bundle' : 'tampered',
      '--trust',
      'log.vkey',
      '--trust',
      'witness.vkey',
      '--workers',
      '2',
      '--json',
    ]);
    expect(rerun.code, rerun.out).toBe(0);
    expect((JSON.parse(rerun.out) as ReportVerification).rerun).toEqual({
      verdict: which === 'pass' ? 'PASS' : 'FAIL',
      differences: 0,
    });
  });
});

describe('report verify fails with a clear reason', () => {
  const codes = (r: ReportVerification) =>
    [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();

  it('for one flipped byte anywhere in the PDF, with and without the detached signature', async () => {
    const pdf = readFileSync(D('pass-report', 'report.pdf'));
    const positions = [0, 5, 9, 100, 2_000, 10_000];
    for (let k = 1; k <= 14; k++) positions.push(Math.floor((pdf.length * k) / 15));
    positions.push(pdf.length - 30, pdf.length - 2);
    // Also inside the embedded attestation's payload and signature.
    const text = pdf.toString('latin1');
    positions.push(text.indexOf('{"payload":"') + 40, text.indexOf('"sig":"') + 10);
    for (const pos of positions) {
      const bad = Buffer.from(pdf);
      flipBits(bad, pos, 0x04);
      const f = D('flipped.pdf');
      writeFileSync(f, bad);
      const withSig = await verifyReport({
        input: f,
        examinerKey: examinerPub,
        signature: D('pass-report', 'report.pdf.sig'),
      });
      expect(withSig.schema).toBe(REPORT_VERIFICATION_SCHEMA);
      expect(withSig.verdict, `byte ${pos}`).toBe('FAIL');
      expect(codes(withSig), `byte ${pos}`).toContain('REPORT_SIGNATURE_INVALID');
      const noSig = await verifyReport({ input: f, examinerKey: examinerPub, signature: D('no-such.sig') });
      expect(noSig.verdict, `byte ${pos} without signature`).toBe('FAIL');
      expect(
        codes(noSig).some((c) =>
          [
            'REPORT_RENDER_MISMATCH',
            'ATTESTATION_MISSING',
            'ATTESTATION_MALFORMED',
            'ATTESTATION_SIGNATURE_INVALID',
          ].includes(c),
        ),
        `byte ${pos}: ${codes(noSig).join()}`,
      ).toBe(true);
    }
  }, 120_000);

  it('for a flipped byte in the attestation payload or its signature', async () => {
    const env = readFileSync(D('pass-report', 'attestation.dsse.json'));
    const text = env.toString('latin1');
    for (const [what, pos, expected] of [
      ['payload', text.indexOf('"payload":"') + 200, 'ATTESTATION_SIGNATURE_INVALID'],
      ['signature', text.indexOf('"sig":"') + 12, 'ATTESTATION_SIGNATURE_INVALID'],
      ['payload type', text.indexOf('in-toto'), 'ATTESTATION_MALFORMED'],
    ] as const) {
      const bad = Buffer.from(env);
      // Swap to another base64 letter so the JSON stays well formed.
      bad[pos] = bad[pos] === 0x41 ? 0x42 : 0x41;
      writeFileSync(D('flipped.dsse.json'), bad);
      const r = await verifyReport({ input: D('flipped.dsse.json'), examinerKey: examinerPub });
      expect(r.verdict, what).toBe('FAIL');
      expect(codes(r), what).toContain(expected);
      // Signed by the key given, and no longer matching it: altered, never "another key".
      if (expected === 'ATTESTATION_SIGNATURE_INVALID') expect(r.authenticity, what).toBe('altered');
    }
  });

  it('for a flipped byte in the detached signature, or another examiner key', async () => {
    const sig = readFileSync(D('pass-report', 'report.pdf.sig'));
    flipBits(sig, 17, 0x80);
    writeFileSync(D('flipped.sig'), sig);
    const r = await verifyReport({
      input: D('pass-report', 'report.pdf'),
      examinerKey: examinerPub,
      signature: D('flipped.sig'),
    });
    expect(r.verdict).toBe('FAIL');
    expect(codes(r)).toEqual(['REPORT_SIGNATURE_INVALID']);
    expect(r.authenticity).toBe('altered');
    const other = await verifyReport({
      input: D('pass-report', 'report.pdf'),
      examinerKey: testKey('someone-else').publicKey,
    });
    expect(codes(other)).toEqual(['ATTESTATION_SIGNATURE_INVALID', 'REPORT_SIGNATURE_INVALID']);
    // A genuine report checked against the wrong key is not called altered: it names its signer.
    expect(other.authenticity).toBe('other-key');
    expect(other.signer?.fingerprints).toEqual([keyFingerprint(examiner.publicKey)]);
    const genuine = await verifyReport({ input: D('pass-report', 'report.pdf'), examinerKey: examinerPub });
    expect([genuine.verdict, genuine.authenticity]).toEqual(['PASS', 'authentic']);
    const cliRun = await cli(['report', 'verify', D('pass-report', 'report.pdf'), '--key', 'log.vkey']);
    expect(cliRun.code).toBe(1);
  });

  it('when the re-run evidence or trust differs from the attested run', async () => {
    const tampered = await cli([
      'report',
      'verify',
      D('pass-report', 'report.pdf'),
      '--key',
      'examiner.pub',
      '--rerun',
      'tampered',
      '--trust',
      'log.vkey',
      '--trust',
      'witness.vkey',
      '--workers',
      '2',
      '--json',
    ]);
    expect(tampered.code).toBe(1);
    const r = JSON.parse(tampered.out) as ReportVerification;
    expect(codes(r)).toEqual(['RERUN_INPUT_MISMATCH', 'RERUN_RESULT_MISMATCH']);
    expect(r.findings.find((f) => f.code === 'RERUN_INPUT_MISMATCH')?.location.file).toBe('entries.jsonl');
    const fewerKeys = await cli([
      'report',
      'verify',
      D('pass-report', 'report.pdf'),
      '--key',
      'examiner.pub',
      '--rerun',
      'bundle',
      '--trust',
      'log.vkey',
      '--json',
    ]);
    expect(fewerKeys.code).toBe(3);
    expect((JSON.parse(fewerKeys.out) as ReportVerification).findings.map((f) => f.code)).toContain(
      'RERUN_TRUST_DIFFERS',
    );
  });

  it('with exit code 2 for input that is no report at all', async () => {
    writeFileSync(D('noise.bin'), Buffer.from('this is not a report'));
    expect((await cli(['report', 'verify', 'noise.bin', '--key', 'examiner.pub'])).code).toBe(2);
    expect((await cli(['report', 'verify', 'missing.pdf', '--key', 'examiner.pub'])).code).toBe(2);
    expect((await cli(['report', 'verify', D('pass-report', 'report.pdf')])).code).toBe(2);
  });
});

describe('the examiner key', () => {
  it('is stored encrypted and refuses a wrong passphrase with a typed error', async () => {
    const kf = readKeyFile(D('examiner.key'));
    expect(kf.kdf?.name).toBe('scrypt');
    expect(() => unlockKeyFile(kf, 'wrong')).toThrowError(expect.objectContaining({ code: 'PASSPHRASE_WRONG' }));
    writeFileSync(D('wrong.txt'), 'wrong\n');
    const args = (report: string, passphraseFile: string) => [
      'verify',
      'bundle',
      '--trust',
      'log.vkey',
      '--trust',
      'witness.vkey',
      '--report',
      report,
      '--examiner-key',
      'examiner.key',
      '--passphrase-file',
      passphraseFile,
    ];
    const r = await cli(args('never-written', 'wrong.txt'));
    expect(r.code).toBe(2);
    expect(existsSync(D('never-written'))).toBe(false);
    // The same command with the right passphrase succeeds: the passphrase was the only problem.
    const ok = await cli(args('written', 'pass.txt'));
    expect(ok.code, ok.err).toBe(0);
    expect(existsSync(D('written', 'report.pdf'))).toBe(true);
  });
});
