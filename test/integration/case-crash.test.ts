/**
 * Crash safety of import (docs/case-file.md §3): a child process importing a large file (or a bundle
 * directory) is killed with SIGKILL at several points — in the middle of the copy (blocked
 * at a known offset, and free-running), after staging, after the copy is placed in the locker
 * but before its row commits, and after the commit. After every kill:
 *   - `case verify` (read-only) passes: the case holds the whole import or none of it;
 *   - nothing partial is evidence: leftovers are only reported as information;
 *   - the next writable open removes the leftovers (journaled as case.recovered), and the same
 *     file then imports normally (or is recognised as already present).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../electron/case/case.js';
import { type CaseVerifyResult, verifyCase } from '../../electron/case/case-verify.js';
import { importEvidence, listEvidence } from '../../electron/case/evidence.js';
import { readJournal } from '../../electron/case/journal.js';
import { generateBundle, makeTempDir, prng, removeDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const SIZE = 64 * 1024 * 1024;
const CHILD = join(REPO_ROOT, 'test', 'integration', 'case-crash.child.ts');
const tmp = makeTempDir('proofdesk-crash-');
let big: string;
let bigDigest: string;
let bundle: string;
let caseNo = 0;

beforeAll(() => {
  // 64 MiB of deterministic, incompressible bytes from a seeded PRNG.
  big = join(tmp, 'disk-image.bin');
  const fd = openSync(big, 'w');
  const rand = prng(5);
  const words = new Uint32Array(256 * 1024);
  for (let c = 0; c < SIZE / (words.length * 4); c++) {
    for (let k = 0; k < words.length; k++) words[k] = rand() * 4294967296;
    writeSync(fd, new Uint8Array(words.buffer));
  }
  closeSync(fd);
  bigDigest = execFileSync('openssl', ['dgst', '-sha256', '-r', big]).toString().slice(0, 64);
  bundle = join(tmp, 'bundle');
  generateBundle(bundle, 20_000, { checkpointEvery: 5000 });
});
afterAll(() => removeDir(tmp));

interface Kill {
  readonly stage: 'copy' | 'staged' | 'placed' | 'committed';
  readonly atBytes?: number;
  readonly block: boolean;
}

/** Runs the child until it announces the point, then SIGKILLs it. Resolves with what it printed. */
function importAndKill(caseDir: string, source: string, k: Kill): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ caseDir, source, ...k })], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('STOP')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended with ${code ?? signal} before the kill: ${out} ${err}`));
    });
  });
}

function verifyRo(dir: string): CaseVerifyResult {
  const ro = openCase(dir, { readonly: true });
  try {
    return verifyCase(ro);
  } finally {
    ro.close();
  }
}

function freshCase(): string {
  const dir = join(tmp, `case-${caseNo++}`);
  createCase(dir, { title: 'crash test' }, { actor: 'examiner' }).close();
  return dir;
}

/** The checks after a kill; `committed` says whether the import's row was committed before it. */
function afterKill(dir: string, digest: string, committed: boolean, leftovers: string[]): void {
  const r = verifyRo(dir);
  expect(r.ok).toBe(true);
  expect(r.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  expect(r.problems.map((p) => p.code).sort()).toEqual([...leftovers].sort());
  const ro = openCase(dir, { readonly: true });
  expect(listEvidence(ro).map((e) => e.digest)).toEqual(committed ? [digest] : []);
  ro.close();

  // The next writable open recovers: staging and unrecorded copies go, and that is journaled.
  const cf = openCase(dir, { actor: 'examiner' });
  expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  expect(readdirSync(join(dir, 'evidence'))).toEqual(committed ? [digest] : []);
  const last = readJournal(cf.db).at(-1)!;
  if (leftovers.length) {
    expect(last.action).toBe('case.recovered');
    expect((last.details.removedStaging as string[]).length + (last.details.removedUnrecorded as string[]).length).toBe(
      leftovers.length,
    );
  } else expect(last.action).toBe(committed ? 'evidence.imported' : 'case.created');
  expect(verifyCase(cf).problems).toEqual([]);
  cf.close();
}

function reimport(dir: string, source: string, digest: string, wasCommitted: boolean): void {
  const cf = openCase(dir, { actor: 'examiner' });
  const r = importEvidence(cf, source);
  expect(r.duplicate).toBe(wasCommitted);
  expect(r.evidence.digest).toBe(digest);
  expect(verifyCase(cf).problems).toEqual([]);
  cf.close();
}

describe('SIGKILL while importing a 64 MiB file', () => {
  it('in the middle of the copy (blocked at 24 MiB): nothing imported, staging recovered', async () => {
    const dir = freshCase();
    expect(await importAndKill(dir, big, { stage: 'copy', atBytes: 24 * 1024 * 1024, block: true })).toContain(
      'STOP copy',
    );
    afterKill(dir, bigDigest, false, ['LEFTOVER_STAGING']);
    reimport(dir, big, bigDigest, false);
  });

  it('in the middle of the copy (free-running kill): whole or nothing', async () => {
    const dir = freshCase();
    await importAndKill(dir, big, { stage: 'copy', atBytes: 8 * 1024 * 1024, block: false });
    // Where the kill landed is up to the scheduler; the case must be consistent either way.
    const r = verifyRo(dir);
    expect(r.ok).toBe(true);
    const ro = openCase(dir, { readonly: true });
    const committed = listEvidence(ro).length === 1;
    ro.close();
    afterKill(
      dir,
      bigDigest,
      committed,
      r.problems.map((p) => p.code),
    );
    reimport(dir, big, bigDigest, committed);
  });

  it('after staging (fsynced, not yet placed): nothing imported', async () => {
    const dir = freshCase();
    await importAndKill(dir, big, { stage: 'staged', block: true });
    afterKill(dir, bigDigest, false, ['LEFTOVER_STAGING']);
    reimport(dir, big, bigDigest, false);
  });

  it('after the copy is placed in the locker but before its row commits: not evidence, removed on recovery', async () => {
    const dir = freshCase();
    await importAndKill(dir, big, { stage: 'placed', block: true });
    afterKill(dir, bigDigest, false, ['LEFTOVER_UNRECORDED']);
    reimport(dir, big, bigDigest, false);
  });

  it('after the commit: the whole import is there and verifies', async () => {
    const dir = freshCase();
    await importAndKill(dir, big, { stage: 'committed', block: true });
    afterKill(dir, bigDigest, true, []);
    reimport(dir, big, bigDigest, true);
  });
});

describe('SIGKILL while importing a bundle directory', () => {
  it('mid-copy and after placing: nothing of the bundle is evidence until its rows commit', async () => {
    const ref = createCase(join(tmp, 'reference'), { title: 'reference' }, { actor: 'x' });
    const digest = importEvidence(ref, bundle).evidence.digest;
    ref.close();
    for (const k of [
      { stage: 'copy', atBytes: 1, block: true },
      { stage: 'placed', block: true },
    ] as const) {
      const dir = freshCase();
      await importAndKill(dir, bundle, k);
      afterKill(dir, digest, false, [k.stage === 'copy' ? 'LEFTOVER_STAGING' : 'LEFTOVER_UNRECORDED']);
      reimport(dir, bundle, digest, false);
    }
  });
});
