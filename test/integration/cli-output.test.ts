/**
 * The CLI's output contract: a result of any size arrives whole through a pipe before the
 * process exits (a real process), and input that is no known format is a usage error (exit 2)
 * that leaves no report behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { caseCli } from '../support/cli.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
const { cli } = caseCli(() => tmp);
const log = testKey('log', ORIGIN);
const source = testKey('source', 'source', 'entry');

beforeAll(() => {
  tmp = makeTempDir('proofdesk-cli-output-');
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(log.name, log.publicKey)}\n`);
});
afterAll(() => removeDir(tmp));

/** Runs bin/proofdesk.js with its stdout piped into a second process that reads it to the end and reports the bytes. */
function throughPipe(args: readonly string[]): Promise<{ code: number | null; bytes: Buffer }> {
  const cli = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'proofdesk.js'), ...args], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // The reader is slow to start, so the CLI's writes fill the pipe before anyone drains it.
  const reader = spawn(
    process.execPath,
    [
      '-e',
      'setTimeout(() => { const c = []; process.stdin.on("data", (d) => c.push(d)); process.stdin.on("end", () => process.stdout.write(Buffer.concat(c).toString("base64"))); }, 300)',
    ],
    { stdio: [cli.stdout, 'pipe', 'inherit'] },
  );
  const out: Buffer[] = [];
  reader.stdout.on('data', (d: Buffer) => out.push(d));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  const read = new Promise<void>((resolve) => reader.on('close', () => resolve()));
  return Promise.all([exited, read]).then(([code]) => ({
    code,
    bytes: Buffer.from(Buffer.concat(out).toString('utf8'), 'base64'),
  }));
}

describe('output through a pipe', () => {
  it('a --json result over 1 MB arrives whole, and the exit code is the verdict', async () => {
    // Every entry signed by an event source nobody trusts: one KEY_UNTRUSTED finding each.
    generateBundle(join(tmp, 'big'), 4000, { checkpointEvery: 1000, signEntriesWith: source });
    const r = await throughPipe(['verify', 'big', '--trust', 'log.vkey', '--json', '--workers', '1']);
    expect(r.bytes.length).toBeGreaterThan(1024 * 1024);
    const run = JSON.parse(r.bytes.toString('utf8')) as VerificationRun;
    expect(run.result.verdict).toBe('INCONCLUSIVE');
    expect(run.result.findings.filter((f) => f.code === 'KEY_UNTRUSTED').length).toBe(4000);
    expect(r.code).toBe(3);
  });
});

describe('output that cannot be written', () => {
  it.skipIf(!existsSync('/dev/full'))('a full disk under stdout is one line and exit 2, never the verdict', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'bin', 'proofdesk.js'), 'verify', 'big', '--trust', 'log.vkey', '--json'],
        {
          cwd: tmp,
          stdio: ['ignore', fd, 'pipe'],
          encoding: 'utf8',
        },
      );
      expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/the output could not be written: ENOSPC/)]);
    } finally {
      closeSync(fd);
    }
  });
});

describe('input that is no known format', () => {
  it('a zip given to verify --report is exit 2 naming the formats tried, and no report is signed', async () => {
    expect((await cli(['keygen', '--out', 'examiner', '--no-passphrase'])).code).toBe(0);
    writeFileSync(join(tmp, 'evidence.zip'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 7)]));
    writeFileSync(join(tmp, 'empty.log'), '');
    for (const input of ['evidence.zip', 'empty.log']) {
      const r = await cli([
        'verify',
        input,
        '--trust',
        'log.vkey',
        '--report',
        `report-${input}`,
        '--examiner-key',
        'examiner.key',
      ]);
      expect(r.code, input).toBe(2);
      expect(r.err).toMatch(/cannot tell what .* is: .*Tried a Proofdesk bundle .*a signed note; give --format/);
      expect(r.out).toBe('');
      expect(existsSync(join(tmp, `report-${input}`))).toBe(false);
    }
    // In a case the run is recorded as failed, with what the input is, and still nothing is signed.
    expect((await cli(['case', 'new', 'c', '--title', 'zip'])).code).toBe(0);
    const r = await cli([
      'verify',
      'evidence.zip',
      '--case',
      'c',
      '--trust',
      'log.vkey',
      '--report',
      'rep',
      '--examiner-key',
      'examiner.key',
    ]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/evidence\.zip is: it is a zip archive/)]);
    expect(existsSync(join(tmp, 'rep'))).toBe(false);
  });
});

describe('every command that reports something has --json; help and terminals', () => {
  it('keygen, key import/export/show and prove print JSON on stdout with --json, and nothing else there', async () => {
    const k = await cli(['keygen', '--out', 'j', '--name', 'j.example/log', '--no-passphrase', '--json']);
    expect(k.code).toBe(0);
    const kj = JSON.parse(k.out) as Record<string, unknown>;
    expect(kj).toMatchObject({
      key: join(tmp, 'j.key'),
      publicKey: join(tmp, 'j.pub'),
      verifierKey: join(tmp, 'j.vkey'),
      encrypted: false,
      keyName: 'j.example/log',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const show = JSON.parse((await cli(['key', 'show', 'j.key', '--json'])).out) as Record<string, unknown>;
    expect(show).toMatchObject({ name: 'j.example/log', privateKey: 'unencrypted', fingerprint: kj.fingerprint });
    const exp = JSON.parse((await cli(['key', 'export', 'j.key', '--format', 'vkey', '--json'])).out) as Record<
      string,
      unknown
    >;
    expect(exp).toMatchObject({ format: 'vkey', fingerprint: kj.fingerprint, out: null });
    expect(exp.key).toBe(readFileSync(join(tmp, 'j.vkey'), 'utf8'));
    const pem = await cli(['key', 'export', 'j.key', '--format', 'pem']);
    // The private key in PEM form, imported under a new name.
    const { createPrivateKey } = await import('node:crypto');
    const seed = Buffer.from(
      (JSON.parse(readFileSync(join(tmp, 'j.key'), 'utf8')) as { secret: string }).secret,
      'base64',
    );
    const pkcs8 = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
      format: 'der',
      type: 'pkcs8',
    }).export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(join(tmp, 'j-private.pem'), pkcs8);
    const imp = await cli([
      'key',
      'import',
      'j-private.pem',
      '--out',
      'j2.key',
      '--name',
      'J',
      '--no-passphrase',
      '--json',
    ]);
    expect([imp.code, JSON.parse(imp.out)]).toEqual([
      0,
      { key: join(tmp, 'j2.key'), encrypted: false, fingerprint: kj.fingerprint },
    ]);
    expect(pem.out).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    generateBundle(join(tmp, 'small'), 20, { checkpointEvery: 10 });
    const p = await cli(['prove', 'small', '--index', '3', '--json']);
    expect(p.code).toBe(0);
    const pj = JSON.parse(p.out) as Record<string, unknown>;
    expect(pj).toMatchObject({ kind: 'inclusion', index: 3, size: 20, origin: ORIGIN, out: null });
    expect(String(pj.proof)).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);
    const c = JSON.parse(
      (await cli(['prove', 'small', '--from', '10', '--to', '20', '--json', '--out', 'c.proof'])).out,
    );
    expect(c).toMatchObject({ kind: 'consistency', size1: 10, size2: 20, out: join(tmp, 'c.proof') });
    expect(readFileSync(join(tmp, 'c.proof'), 'utf8')).toBe(c.proof);
  });

  it('help <command> shows that command’s help', async () => {
    for (const [args, usage] of [
      [['help', 'verify'], /^usage: proofdesk verify /],
      [['help', 'seal'], /^usage: proofdesk seal /],
      [['help', 'key', 'export'], /^usage: proofdesk key export /],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out, args.join(' ')).toMatch(usage);
    }
    expect((await cli(['help', 'frobnicate'])).code).toBe(2);
    expect((await cli(['help'])).out).toMatch(/proofdesk help <command>/);
  });

  it('progress is drawn only on a terminal that understands escape codes', async () => {
    const run = async (stderrIsTTY: boolean, env: Record<string, string>) => {
      let err = '';
      const code = await runCli(['verify', 'small', '--trust', 'log.vkey'], {
        out: () => {},
        err: (s) => (err += s),
        env,
        stdinIsTTY: false,
        stderrIsTTY,
        cwd: tmp,
      });
      expect(code).toBe(0);
      return err;
    };
    expect(await run(true, { TERM: 'xterm-256color' })).toContain('\x1b[K');
    expect(await run(true, { TERM: 'dumb' })).not.toMatch(/\x1b/);
    expect(await run(false, { TERM: 'xterm-256color' })).not.toMatch(/\x1b/);
  });
});
