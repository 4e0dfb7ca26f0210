/**
 * The CLI's output contract: a result of any size arrives whole through a pipe before the
 * process exits (a real process), and input that is no known format is a usage error (exit 2)
 * that leaves no report behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });
});
