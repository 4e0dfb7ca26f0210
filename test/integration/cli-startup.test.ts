/**
 * What the `proofdesk` process loads at start-up (issue 16, goal 4): commands that write no PDF
 * load neither the PDF stack (pdfkit, fontkit) nor the case database (better-sqlite3). Each
 * command is run as a real process from bin/proofdesk.js under a loader hook that records every
 * module the ES module loader loads (test/support/record-loads.mjs). Every command's --help is
 * run too, since the commands are imported only when they run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/cli/main.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-startup-');
});
afterAll(() => removeDir(tmp));

const HOOK = join(REPO_ROOT, 'test', 'support', 'record-loads.mjs');
const SAMPLE = join(REPO_ROOT, 'resources', 'samples');
const HEAVY = ['pdfkit', 'fontkit', 'better-sqlite3'];

/** Runs `proofdesk …args`; returns its exit code and the packages (node_modules/<name>) it loaded. */
function loads(args: readonly string[]): { code: number | null; modules: string[]; packages: Set<string> } {
  const file = join(tmp, 'loads.txt');
  rmSync(file, { force: true });
  const r = spawnSync(process.execPath, ['--import', HOOK, join(REPO_ROOT, 'bin', 'proofdesk.js'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    // A --json diff of the sample carries both results, well over spawnSync's default 1 MiB.
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PROOFDESK_RECORD_LOADS: file },
  });
  const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const packages = new Set(
    modules.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p) => p !== undefined),
  );
  return { code: r.status, modules, packages };
}

describe('start-up: what a command loads', () => {
  it('the recorder sees the modules a command loads (it sees pdfkit where a report is rendered)', () => {
    // `report verify` re-renders the PDF, so it must load the PDF stack: proof that the hook records it.
    const r = loads(['report', 'verify', join(tmp, 'missing.pdf'), '--key', join(SAMPLE, 'sample-log.vkey')]);
    expect(r.modules.some((u) => u.endsWith('/dist/electron/cli/commands/report.js'))).toBe(true);
    expect(r.packages.has('pdfkit')).toBe(true);
  });

  it('proofdesk --version loads no PDF stack, no SQLite, no crypto library: only the CLI entry', () => {
    const r = loads(['--version']);
    expect(r.code).toBe(0);
    for (const p of HEAVY) expect(r.packages.has(p), p).toBe(false);
    expect([...r.packages]).toEqual([]);
    expect(r.modules.filter((u) => u.includes('/dist/')).length).toBeLessThanOrEqual(8);
  });

  it('proofdesk verify --help loads no package and none of the verifiers', () => {
    const r = loads(['verify', '--help']);
    expect(r.code).toBe(0);
    expect([...r.packages]).toEqual([]);
    expect(r.modules.some((u) => u.includes('/dist/electron/verify/bundle/'))).toBe(false);
  });

  it('proofdesk verify of a bundle (no --report, no --case) loads neither the PDF stack nor SQLite', () => {
    const r = loads([
      'verify',
      join(SAMPLE, 'sample-bundle'),
      '--trust',
      join(SAMPLE, 'sample-log.vkey'),
      '--entry-key',
      join(SAMPLE, 'sample-source.pub'),
      '--json',
    ]);
    expect([0, 1, 3], 'a verdict, not a usage or internal error').toContain(r.code);
    expect(r.modules.some((u) => u.endsWith('/dist/electron/verify/bundle/verify.js'))).toBe(true);
    for (const p of HEAVY) expect(r.packages.has(p), p).toBe(false);
  });

  it('proofdesk diff without --case and check-proof load neither the PDF stack nor SQLite', () => {
    const bundle = join(SAMPLE, 'sample-bundle');
    const d = loads(['diff', bundle, bundle, '--trust', join(SAMPLE, 'sample-log.vkey'), '--json']);
    expect([0, 1, 3], 'a diff verdict, not a usage or internal error').toContain(d.code);
    for (const p of HEAVY) expect(d.packages.has(p), p).toBe(false);
    const c = loads(['check-proof', '--help']);
    expect(c.code).toBe(0);
    for (const p of HEAVY) expect(c.packages.has(p), p).toBe(false);
  });

  it('every command still loads and prints its help (the commands are imported when they run)', () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'proofdesk.js'), name, '--help'], {
        cwd: tmp,
        encoding: 'utf8',
      });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, name).toMatch(/usage: proofdesk/);
    }
  });
});
