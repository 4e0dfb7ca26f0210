/**
 * The `proofdesk` command line, run in-process through runCli with captured output (and once
 * as a real child process through bin/proofdesk.js): exit codes, JSON output, key handling,
 * the seal → verify → prove → check-proof round trip, and tar bundles.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/main.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { makeTempDir, prng, removeDir, syntheticEvent, syntheticTs } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-cli-');
});
afterAll(() => removeDir(tmp));

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], env: Record<string, string> = {}, opts: Partial<CliIO> = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env,
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd: tmp,
    ...opts,
  });
  return { code, out, err };
}

describe('proofdesk CLI', () => {
  it('demo verifies the sample bundle: exit 0, PASS', async () => {
    const r = await cli(['demo']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('PASS')).toBe(true);
  });

  it('verify --json prints a parseable run whose verdict drives the exit code', async () => {
    const sample = join(REPO_ROOT, 'resources', 'samples');
    const r = await cli([
      'verify',
      join(sample, 'sample-bundle'),
      '--trust',
      join(sample, 'sample-log.vkey'),
      '--json',
    ]);
    // The sample's entries are signed by an event source that is not trusted here: which key
    // signs the source is a setup question, so INCONCLUSIVE (exit 3), with the cause named.
    expect(r.code).toBe(3);
    const run = JSON.parse(r.out) as VerificationRun;
    expect(run.result.verdict).toBe('INCONCLUSIVE');
    expect(run.result.diagnosis.map((c) => c.cause)).toEqual(['ENTRY_SIGNER_NOT_TRUSTED']);
    expect(run.result.findings.filter((f) => f.code === 'KEY_UNTRUSTED').length).toBe(1500);
  });

  it('--trust, --witness and --entry-key give keys their roles; a verifier key keeps the role of its type', async () => {
    const sample = join(REPO_ROOT, 'resources', 'samples');
    const [bundle, logKey, witnessKey, sourceKey] = [
      'sample-bundle',
      'sample-log.vkey',
      'sample-witness.vkey',
      'sample-source.pub',
    ].map((f) => join(sample, f));
    const run = async (...args: string[]) => {
      const r = await cli(['verify', bundle!, ...args, '--json']);
      return { code: r.code, run: r.code === 2 ? undefined : (JSON.parse(r.out) as VerificationRun) };
    };
    const ok = await run('--trust', logKey!, '--witness', witnessKey!, '--entry-key', sourceKey!);
    expect([ok.code, ok.run!.result.verdict]).toEqual([0, 'PASS']);
    expect(ok.run!.result.trustedKeys.map((k) => k.roles).sort()).toEqual([['entry'], ['log'], ['witness']]);
    // A 0x04 verifier key given with --trust is a witness key by its type: the same result.
    const typed = await run('--trust', logKey!, '--trust', witnessKey!, '--entry-key', sourceKey!);
    expect(typed.run!.result).toEqual(ok.run!.result);
    // The event source's key given as a log key vouches for no entry.
    const asLog = await run('--trust', logKey!, '--trust', witnessKey!, '--trust', sourceKey!);
    expect([asLog.code, asLog.run!.result.findings.filter((f) => f.code === 'KEY_UNTRUSTED').length]).toEqual([
      3, 1500,
    ]);
    // A verifier key asked to be what its type says it is not: a usage error.
    for (const args of [
      ['--witness', logKey!],
      ['--entry-key', witnessKey!],
      ['--trust', logKey!, '--entry-key', logKey!],
    ]) {
      const r = await cli(['verify', bundle!, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/cannot be trusted as/);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['verify'])).code).toBe(2);
    expect((await cli(['verify', 'x'])).code).toBe(2); // no --trust
    expect((await cli(['verify', 'nope', '--trust', 'nope.pub'])).code).toBe(2);
    expect((await cli(['verify', '--bogus'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('keygen never prompts without a terminal, and encrypts with a passphrase from a file or the environment', async () => {
    const noTty = await cli(['keygen', '--out', 'k0']);
    expect(noTty.code).toBe(2);
    expect(existsSync(join(tmp, 'k0.key'))).toBe(false);

    writeFileSync(join(tmp, 'pass.txt'), 'correct horse battery staple\n');
    const a = await cli(['keygen', '--out', 'k1', '--name', 'log.example/a', '--passphrase-file', 'pass.txt']);
    expect(a.code).toBe(0);
    const key = JSON.parse(readFileSync(join(tmp, 'k1.key'), 'utf8')) as {
      kdf: { name: string };
      cipher: { name: string };
      secret: string;
    };
    expect(key.kdf.name).toBe('scrypt');
    expect(key.cipher.name).toBe('aes-256-gcm');
    expect(statSync(join(tmp, 'k1.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(tmp, 'k1.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(readFileSync(join(tmp, 'k1.vkey'), 'utf8')).toMatch(/^log\.example\/a\+[0-9a-f]{8}\+/);

    const b = await cli(['keygen', '--out', 'k2', '--name', 'log.example/b'], { PROOFDESK_PASSPHRASE: 'from-env' });
    expect(b.code).toBe(0);
    // Refuses to overwrite.
    expect((await cli(['keygen', '--out', 'k2', '--no-passphrase'])).code).toBe(2);
  });

  it('seal → verify → prove → check-proof round trip, directory and tar', async () => {
    const rand = prng(5);
    const log =
      Array.from({ length: 700 }, (_, i) => JSON.stringify({ ...syntheticEvent(i, rand), ts: syntheticTs(i) })).join(
        '\n',
      ) + '\n';
    writeFileSync(join(tmp, 'app.log.jsonl'), log);
    writeFileSync(join(tmp, 'pass2.txt'), 'p@ss');
    expect(
      (await cli(['keygen', '--out', 'logkey', '--name', 'app.example/audit', '--passphrase-file', 'pass2.txt'])).code,
    ).toBe(0);

    // Wrong passphrase: a clear error, exit 2, nothing written.
    writeFileSync(join(tmp, 'wrong.txt'), 'nope');
    const wrong = await cli([
      'seal',
      'app.log.jsonl',
      '--key',
      'logkey.key',
      '--origin',
      'app.example/audit',
      '--out',
      'never',
      '--passphrase-file',
      'wrong.txt',
    ]);
    expect(wrong.code).toBe(2);
    expect(existsSync(join(tmp, 'never'))).toBe(false);

    const sealed = await cli([
      'seal',
      'app.log.jsonl',
      '--key',
      'logkey.key',
      '--origin',
      'app.example/audit',
      '--out',
      'bundle',
      '--checkpoint-every',
      '256',
      '--passphrase-file',
      'pass2.txt',
    ]);
    expect(sealed.code).toBe(0);
    const asTar = await cli([
      'seal',
      'app.log.jsonl',
      '--key',
      'logkey.key',
      '--origin',
      'app.example/audit',
      '--out',
      'bundle.tar',
      '--checkpoint-every',
      '256',
      '--passphrase-file',
      'pass2.txt',
    ]);
    expect(asTar.code).toBe(0);

    const dirRun = JSON.parse(
      (await cli(['verify', 'bundle', '--trust', 'logkey.pub', '--json'])).out,
    ) as VerificationRun;
    const tarRun = JSON.parse(
      (await cli(['verify', 'bundle.tar', '--trust', 'logkey.vkey', '--json', '--workers', '1'])).out,
    ) as VerificationRun;
    expect(dirRun.result.verdict).toBe('PASS');
    expect(dirRun.result.checkpoints.map((c) => c.size)).toEqual([256, 512, 700]);
    // Same bytes, same verdict and findings, whichever container and key format.
    const strip = (r: VerificationRun['result']) => ({
      ...r,
      bundle: { ...r.bundle, name: '', container: '' },
      trustedKeys: [],
    });
    expect(strip(tarRun.result)).toEqual(strip(dirRun.result));
    expect(tarRun.result.bundle.container).toBe('tar');

    // Inclusion proof for entry 300 against the checkpoint of size 512.
    expect(
      (await cli(['prove', 'bundle.tar', '--index', '300', '--size', '512', '--out', 'e300.tlog-proof'])).code,
    ).toBe(0);
    const proof = readFileSync(join(tmp, 'e300.tlog-proof'), 'utf8');
    expect(proof.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    expect(proof).toContain('\nindex 300\n');
    const ok = await cli(['check-proof', 'e300.tlog-proof', '--trust', 'logkey.pub', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      ok: true,
      origin: 'app.example/audit',
      report: { kind: 'inclusion', index: 300, size: 512, status: 'verified' },
    });
    // A proof for a different entry does not prove this one.
    const lines = readFileSync(join(tmp, 'bundle', 'entries.jsonl'), 'utf8').split('\n');
    writeFileSync(join(tmp, 'other-entry.json'), lines[301]!);
    expect(
      (await cli(['check-proof', 'e300.tlog-proof', '--trust', 'logkey.pub', '--entry', 'other-entry.json'])).code,
    ).toBe(1);
    // An untrusted key proves nothing.
    expect((await cli(['check-proof', 'e300.tlog-proof', '--trust', 'k1.pub'])).code).toBe(1);
    // A flipped proof hash fails.
    const bad = proof.split('\n');
    const hashLine = bad.findIndex((l, i) => i > 2 && /^[A-Za-z0-9+/]{43}=$/.test(l));
    bad[hashLine] = (bad[hashLine]![0] === 'A' ? 'B' : 'A') + bad[hashLine]!.slice(1);
    writeFileSync(join(tmp, 'bad.tlog-proof'), bad.join('\n'));
    expect((await cli(['check-proof', 'bad.tlog-proof', '--trust', 'logkey.pub'])).code).toBe(1);

    // Consistency proof 256 → 700.
    expect((await cli(['prove', 'bundle', '--from', '256', '--to', '700', '--out', 'c.proof'])).code).toBe(0);
    const c = await cli(['check-proof', 'c.proof', '--trust', 'logkey.vkey', '--json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).report).toMatchObject({ kind: 'consistency', size1: 256, size2: 700, status: 'verified' });
    expect((await cli(['prove', 'bundle', '--from', '100', '--to', '700'])).code).toBe(2); // no such checkpoint
  });

  it('runs as a real process from bin/proofdesk.js', () => {
    const sample = join(REPO_ROOT, 'resources', 'samples');
    const args = [
      'bin/proofdesk.js',
      'verify',
      join(sample, 'sample-bundle'),
      '--trust',
      join(sample, 'sample-log.vkey'),
      '--witness',
      join(sample, 'sample-witness.vkey'),
      '--entry-key',
      join(sample, 'sample-source.pub'),
      '--json',
    ];
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as VerificationRun).result.verdict).toBe('PASS');
    const v = execFileSync(process.execPath, ['bin/proofdesk.js', '--version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(v.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('the library entry proofdesk/core loads in plain Node after the build', () => {
    const code = `import('proofdesk/core').then((c) => { const leaf = c.hashLeaf(new Uint8Array([1,2,3])); console.log(JSON.stringify({ rules: c.ED25519_RULESET, leaf: c.toHex(leaf), root: c.toHex(c.merkleRoot([leaf])) })); })`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const j = JSON.parse(out) as { rules: string; leaf: string; root: string };
    expect(j.rules).toBe('proofdesk-ed25519-strict-v1');
    expect(j.leaf).toBe(j.root);
    expect(j.leaf).toMatch(/^[0-9a-f]{64}$/);
  });
});
