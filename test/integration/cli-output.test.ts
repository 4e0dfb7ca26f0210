/**
 * The CLI's output contract as a real process sees it: a result of any size arrives whole
 * through a pipe before the process exits.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
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
