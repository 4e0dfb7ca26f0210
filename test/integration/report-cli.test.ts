/**
 * The report-related command line, in-process with captured output: examiner keys (`key import`
 * of a PKCS#8 key as `openssl genpkey` writes it, from a fixed seed, `key export` checked against openssl and ssh-keygen, `key show`),
 * the `--report` options of `verify` (usage errors before any work, tar bundles, inline keys),
 * and `demo`, which writes a report signed with the DEMO examiner key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { readKeyFile, unlockKeyFile, writeFileAtomic } from '../../electron/keys/keyfile.js';
import {
  encodeNoteVerifierKey,
  encodePkcs8Pem,
  keyFingerprint,
  opensshFingerprint,
  parseKey,
  parseNoteVerifierKey,
} from '../../shared/keys/keys.js';
import { parseEnvelope } from '../../shared/report/dsse.js';
import type { VerificationStatement } from '../../shared/report/predicate.js';
import { generateBundle, makeTempDir, removeDir, seedFor, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
const D = (...p: string[]) => join(tmp, ...p);

async function cli(args: string[], cwd = tmp): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: {},
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd,
  });
  return { code, out, err };
}

function statementIn(dir: string): VerificationStatement {
  const env = parseEnvelope(readFileSync(join(dir, 'attestation.dsse.json')));
  if (!env.ok) throw new Error('unparsable');
  return JSON.parse(Buffer.from(env.payload).toString('utf8')) as VerificationStatement;
}

/**
 * A P-256 key as PKCS#8 (RFC 5208) around an RFC 5915 ECPrivateKey without the optional public
 * key, from a fixed scalar: a well-formed private key of the wrong kind.
 */
function p256Pkcs8Pem(scalar: Uint8Array): string {
  // SEQUENCE { INTEGER 0, SEQUENCE { OID id-ecPublicKey, OID prime256v1 }, OCTET STRING { SEQUENCE { INTEGER 1, OCTET STRING (32) } } }
  const der = Buffer.concat([
    Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
    scalar,
  ]);
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

/** The examiner's key: fixed, so every run imports the same key. */
const examiner = testKey('report-cli-examiner');
let logVkey: string;
beforeAll(async () => {
  tmp = makeTempDir('proofdesk-report-cli-');
  writeFileSync(D('ed.pem'), encodePkcs8Pem(examiner.seed));
  writeFileSync(D('pass.txt'), 'a passphrase\n');
  const b = generateBundle(D('bundle'), 200, { checkpointEvery: 100 });
  logVkey = encodeNoteVerifierKey(b.logKey.name, b.logKey.publicKey);
  writeFileSync(D('log.vkey'), logVkey + '\n');
  // The key file the report tests sign with; the first test imports its own.
  const r = await cli([
    'key',
    'import',
    'ed.pem',
    '--out',
    'ex.key',
    '--name',
    'Dana Examiner',
    '--passphrase-file',
    'pass.txt',
  ]);
  expect(r.code, r.err).toBe(0);
});
afterAll(() => removeDir(tmp));

describe('examiner keys', () => {
  it('imports an openssl Ed25519 key encrypted, and exports the same public key openssl derives', async () => {
    const r = await cli([
      'key',
      'import',
      'ed.pem',
      '--out',
      'dana.key',
      '--name',
      'Dana Examiner',
      '--organisation',
      'Example Forensics',
      '--email',
      'dana@example.com',
      '--key-name',
      'dana',
      '--passphrase-file',
      'pass.txt',
    ]);
    expect(r.code, r.err).toBe(0);
    const kf = readKeyFile(D('dana.key'));
    expect(kf.kdf).not.toBeNull();
    expect(kf.fingerprint).toBe(examiner.trusted.fingerprint);
    expect(kf.identity).toEqual({
      name: 'Dana Examiner',
      keyName: 'dana',
      organisation: 'Example Forensics',
      email: 'dana@example.com',
    });
    expect(readFileSync(D('dana.key'), 'utf8')).not.toContain(readFileSync(D('ed.pem'), 'utf8').split('\n')[1]);
    // The seed survives the round trip: the unlocked key's public half is openssl's.
    const opensslPub = execFileSync('openssl', ['pkey', '-in', D('ed.pem'), '-pubout'], { encoding: 'utf8' });
    expect(
      Buffer.from(unlockKeyFile(kf, 'a passphrase').publicKey).equals(Buffer.from(parseKey(opensslPub).publicKey)),
    ).toBe(true);

    const pem = await cli(['key', 'export', 'dana.key', '--format', 'pem']);
    expect(pem.out).toBe(opensslPub);
    const ssh = await cli(['key', 'export', 'dana.key', '--format', 'openssh', '--out', 'ex.ssh.pub']);
    expect(ssh.code).toBe(0);
    const line = readFileSync(D('ex.ssh.pub'), 'utf8');
    expect(line).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+ dana@example\.com\n$/);
    const keygen = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', D('ex.ssh.pub')], { encoding: 'utf8' });
    expect(keygen.split(' ')[1]).toBe(opensshFingerprint(parseKey(opensslPub).publicKey));
    const vkey = await cli(['key', 'export', 'dana.key', '--format', 'vkey']);
    const parsed = parseNoteVerifierKey(vkey.out.trim());
    expect(parsed.name).toBe('dana');
    expect(keyFingerprint(parsed.publicKey)).toBe(kf.fingerprint);
    const show = await cli(['key', 'show', 'dana.key']);
    expect(show.code).toBe(0);
    expect(show.out).toContain(kf.fingerprint);
  });

  it('refuses what is not an Ed25519 private key, and never overwrites a key file', async () => {
    writeFileSync(D('ec.pem'), p256Pkcs8Pem(seedFor('report-cli-p256')));
    // OpenSSL takes it for the P-256 key it is.
    expect(execFileSync('openssl', ['pkey', '-in', D('ec.pem'), '-noout', '-text'], { encoding: 'utf8' })).toMatch(
      /^ASN1 OID: prime256v1$/m,
    );
    execFileSync('openssl', ['pkey', '-in', D('ed.pem'), '-pubout', '-out', D('ed.pub')]);
    for (const input of ['ec.pem', 'ed.pub', 'log.vkey', 'missing.pem']) {
      const r = await cli(['key', 'import', input, '--out', `from-${input}.key`, '--name', 'x', '--no-passphrase']);
      expect(r.code, input).toBe(2);
      expect(existsSync(D(`from-${input}.key`)), input).toBe(false);
    }
    const before = readFileSync(D('ex.key'));
    const again = await cli(['key', 'import', 'ed.pem', '--out', 'ex.key', '--name', 'y', '--no-passphrase']);
    expect(again.code).toBe(2);
    expect(readFileSync(D('ex.key')).equals(before)).toBe(true);
    expect((await cli(['key', 'export', 'ex.key', '--format', 'der'])).code).toBe(2);
    expect(
      (
        await cli([
          'key',
          'import',
          'ed.pem',
          '--out',
          'z.key',
          '--name',
          'z',
          '--passphrase-file',
          'pass.txt',
          '--no-passphrase',
        ])
      ).code,
    ).toBe(2);
  });

  it('leaves no partial or temporary file when a write cannot complete', () => {
    mkdirSync(D('occupied'));
    writeFileSync(D('occupied', 'x'), 'x');
    // rename(2) over a directory fails with EISDIR (POSIX), passed on as the fs error it is.
    expect(() => writeFileAtomic(D('occupied'), 'data', { overwrite: true })).toThrow(
      expect.objectContaining({ code: 'EISDIR' }),
    );
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(D('occupied', 'x'), 'utf8')).toBe('x');
  });
});

describe('verify --report', () => {
  it('rejects incomplete or unsafe report options before verifying anything', async () => {
    const base = ['verify', 'bundle', '--trust', 'log.vkey'];
    expect((await cli([...base, '--report', 'r1'])).code).toBe(2);
    expect((await cli([...base, '--examiner-key', 'ex.key'])).code).toBe(2);
    expect(
      (
        await cli([
          ...base,
          '--report',
          'r1',
          '--examiner-key',
          'ex.key',
          '--passphrase-file',
          'pass.txt',
          '--case-ref',
          'two\nlines',
        ])
      ).code,
    ).toBe(2);
    mkdirSync(D('taken'));
    writeFileSync(D('taken', 'report.pdf'), "someone else's report");
    const taken = await cli([
      ...base,
      '--report',
      'taken',
      '--examiner-key',
      'ex.key',
      '--passphrase-file',
      'pass.txt',
    ]);
    expect(taken.code).toBe(2);
    expect(taken.out).toBe(''); // no verification ran
    expect(readFileSync(D('taken', 'report.pdf'), 'utf8')).toBe("someone else's report");
    expect(existsSync(D('r1'))).toBe(false);
  });

  it('lists a tar archive and key files as subjects; inline keys only as trusted keys', async () => {
    const tarFile = D('bundle.tar');
    execFileSync('tar', ['--format=ustar', '-cf', tarFile, '-C', D('bundle'), '.']);
    const r = await cli([
      'verify',
      'bundle.tar',
      '--trust',
      logVkey,
      '--report',
      'tar-report',
      '--examiner-key',
      'ex.key',
      '--passphrase-file',
      'pass.txt',
    ]);
    expect(r.code, r.err).toBe(0);
    const s = statementIn(D('tar-report'));
    const archive = s.predicate.inputs.find((i) => i.role === 'archive');
    expect(archive).toMatchObject({
      name: 'bundle.tar',
      sha256: createHash('sha256').update(readFileSync(tarFile)).digest('hex'),
    });
    expect(s.subject[0]).toEqual({ name: 'bundle.tar', digest: { sha256: archive!.sha256 } });
    expect(s.subject.map((x) => x.name)).toContain('bundle.tar/entries.jsonl');
    expect(s.predicate.inputs.some((i) => i.role === 'trusted-key')).toBe(false);
    expect(s.predicate.result.trustedKeys.map((k) => k.fingerprint)).toEqual([
      keyFingerprint(parseKey(logVkey).publicKey),
    ]);
    expect((await cli(['report', 'verify', D('tar-report', 'report.pdf'), '--key', 'ex.key'])).code).toBe(0);
  });
});

describe('demo', () => {
  it('writes a report signed with the DEMO examiner key to out/demo-report, again on every run', async () => {
    const cwd = D('demo-cwd');
    mkdirSync(cwd);
    for (let i = 0; i < 2; i++) {
      const r = await cli(['demo'], cwd);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain(join(cwd, 'out', 'demo-report'));
    }
    const pub = join(REPO_ROOT, 'resources', 'demo', 'demo-examiner.pub');
    const v = await cli(['report', 'verify', join(cwd, 'out', 'demo-report', 'report.pdf'), '--key', pub], cwd);
    expect(v.code, v.out).toBe(0);
    const s = statementIn(join(cwd, 'out', 'demo-report'));
    expect(s.predicate.examiner.name).toMatch(/DEMO/);
    expect(s.predicate.examiner.keyFingerprint).toBe(
      'ab0064a47fb4684a5097486616210c1d0088d94b6696a801551e4c541b16e89d',
    );
    const ossl = spawnSync('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      pub,
      '-rawin',
      '-in',
      join(cwd, 'out', 'demo-report', 'report.pdf'),
      '-sigfile',
      join(cwd, 'out', 'demo-report', 'report.pdf.sig'),
    ]);
    expect(ossl.status).toBe(0);
  });
});
