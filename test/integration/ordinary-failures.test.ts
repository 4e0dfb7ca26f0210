/**
 * Ordinary failures of the machine end in one line and exit 2, never "internal error" with a
 * stack (exit 4), and leave the case intact so that doing it again works: a full disk (a real
 * 2 MiB tmpfs) during an import, an index build and a report; a folder inside a bundle that the
 * user cannot read (the command runs as `nobody`: root reads everything); /proc/self/mem, whose
 * reads fail with EIO; an output folder that does not exist; `serve --port 70000` and a busy port.
 * Every command is a real process with a deadline.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { type BoundedRun, cliBounded, oneLine } from '../support/bounded.js';
import { generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-ordinary-');
chmodSync(tmp, 0o755);
const full = join(tmp, 'full');
let mounted = false;
let bundle: string;

const NOBODY = 65534;

function mountTmpfs(sizeKiB: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', full]);
  mounted = true;
}
function remount(sizeKiB: number): void {
  execFileSync('mount', ['-o', `remount,size=${sizeKiB}k`, full]);
}

beforeAll(() => {
  mkdirSync(full);
  try {
    mountTmpfs(2048);
  } catch {
    mounted = false; // reported by the tests that need it
  }
  const g = generateBundle(join(tmp, 'bundle'), 300, { checkpointEvery: 100 });
  bundle = g.dir;
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey)}\n`);
});
afterAll(() => {
  if (mounted) execFileSync('umount', [full]);
  removeDir(tmp);
});

const run = (args: string[], extra: { uid?: number; gid?: number } = {}) =>
  cliBounded(args, { timeoutMs: 60_000, cwd: tmp, ...extra });

/** Exit 2, one line on stderr matching `message`, no stack, not killed. */
function ordinary(r: BoundedRun, message: RegExp): void {
  expect(r.timedOut, `${r.ms} ms`).toBe(false);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(oneLine(r.stderr), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
}

async function intact(caseDir: string): Promise<void> {
  const v = await run(['case', 'verify', caseDir, '--json']);
  expect(v.code, v.stdout + v.stderr).toBe(0);
}

describe('a full disk (2 MiB tmpfs)', () => {
  it('during an import: one line, exit 2; the case is intact; with room again the same import works', async () => {
    if (!mounted) return expect.fail('mount -t tmpfs is not permitted here');
    const caseDir = join(full, 'case');
    expect((await run(['case', 'new', caseDir, '--title', 'Full'])).code).toBe(0);
    const big = join(tmp, 'big.bin');
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 7));
    ordinary(await run(['case', 'import', caseDir, big]), /no space left on the device/);
    await intact(caseDir);
    remount(8192);
    const again = await run(['case', 'import', caseDir, big]);
    expect(again.code, again.stderr).toBe(0);
    await intact(caseDir);
    rmSync(caseDir, { recursive: true, force: true });
    remount(2048);
  });

  it('during an index build and a report: one line, exit 2; the case is intact; the redo works', async () => {
    if (!mounted) return expect.fail('mount -t tmpfs is not permitted here');
    remount(16384);
    const caseDir = join(full, 'case2');
    expect((await run(['case', 'new', caseDir, '--title', 'Full'])).code).toBe(0);
    expect((await run(['case', 'trust', caseDir, 'log.vkey'])).code).toBe(0);
    const v = await run(['verify', bundle, '--case', caseDir]);
    expect(v.code, v.stderr).toBe(0);
    // Leave a few KiB: the rebuilt search index does not fit.
    const df = execFileSync('df', ['--output=avail', '-k', full], { encoding: 'utf8' }).trim().split('\n')[1]!;
    writeFileSync(join(full, 'filler'), Buffer.alloc((Number(df) - 24) * 1024));
    ordinary(await run(['case', 'index', caseDir, '#2', '--rebuild']), /case database|no space left/);
    // A signed report written to the full disk.
    expect((await run(['keygen', '--out', 'ex', '--name', 'Ex', '--no-passphrase'])).code).toBe(0);
    ordinary(
      await run([
        'verify',
        bundle,
        '--trust',
        'log.vkey',
        '--report',
        join(full, 'report'),
        '--examiner-key',
        'ex.key',
      ]),
      /no space left on the device/,
    );
    rmSync(join(full, 'filler'));
    await intact(caseDir);
    const redo = await run(['case', 'index', caseDir, '#2', '--rebuild']);
    expect(redo.code, redo.stderr).toBe(0);
    const report = await run([
      'verify',
      bundle,
      '--trust',
      'log.vkey',
      '--report',
      join(full, 'report2'),
      '--examiner-key',
      'ex.key',
    ]);
    expect(report.code, report.stderr).toBe(0);
    await intact(caseDir);
  });
});

describe('files the user cannot read', () => {
  it('a folder inside a bundle without permission (run as nobody): verify and case import, one line, exit 2', async () => {
    const b = join(tmp, 'bundle-locked');
    cpSync(bundle, b, { recursive: true });
    mkdirSync(join(b, 'private'));
    writeFileSync(join(b, 'private', 'x'), 'x');
    chmodSync(join(b, 'private'), 0o000);
    const caseDir = join(tmp, 'nobody-case');
    mkdirSync(caseDir);
    chownSync(caseDir, NOBODY, NOBODY);
    const as = { uid: NOBODY, gid: NOBODY };
    expect((await run(['case', 'new', caseDir, '--title', 'Nobody'], as)).code).toBe(0);
    ordinary(await run(['verify', b, '--trust', join(tmp, 'log.vkey')], as), /permission denied|private/);
    ordinary(await run(['case', 'import', caseDir, b], as), /permission denied: .*private/);
    await intact(caseDir);
    chmodSync(join(b, 'private'), 0o755);
    const redo = await run(['case', 'import', caseDir, b], as);
    expect(redo.code, redo.stderr).toBe(0);
  });

  it('/proc/self/mem (reads fail with EIO): case import and case trust, one line, exit 2', async () => {
    const caseDir = join(tmp, 'proc-case');
    expect((await run(['case', 'new', caseDir, '--title', 'Proc'])).code).toBe(0);
    ordinary(await run(['case', 'import', caseDir, '/proc/self/mem']), /input\/output error|proc/);
    ordinary(await run(['case', 'trust', caseDir, '/proc/self/mem']), /input\/output error|proc/);
    await intact(caseDir);
  });
});

describe('outputs and ports', () => {
  it('an output folder that does not exist: one line, exit 2', async () => {
    ordinary(await run(['keygen', '--out', join(tmp, 'no-such-dir', 'k'), '--no-passphrase']), /does not exist/);
    ordinary(
      await run(['prove', bundle, '--index', '3', '--out', join(tmp, 'no-such-dir', 'p.proof')]),
      /does not exist|no such file or directory/,
    );
  });

  it('serve --port 70000 and a busy port: one line, exit 2', async () => {
    ordinary(await run(['serve', '--port', '70000']), /--port must be between 0 and 65535/);
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (busy.address() as { port: number }).port;
      ordinary(await run(['serve', '--port', String(port)]), /the address is already in use/);
    } finally {
      busy.close();
    }
  });
});
