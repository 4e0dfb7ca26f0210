/**
 * The native hashing addon and its fallback, through the real CLI: a Proofdesk bundle, a tiled
 * log (tlog-tiles and sumdb) and a tampered copy of each give the same result whether the hot
 * hashing runs in the addon, in node:crypto (the addon switched off, as where it cannot build),
 * or in both compared (--cross-check); the run statistics say which ran, and why not the addon.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeHash } from '../../electron/platform/native-hash.js';
import { syntheticLogEntry, TiledLogWriter } from '../../electron/write/tiles-writer.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

let tmp: string;
const inputs: Array<{ name: string; dir: string; vkey: string }> = [];
beforeAll(() => {
  tmp = makeTempDir('proofdesk-native-');
  const log = testKey('log', ORIGIN);
  const vkey = join(tmp, 'log.vkey');
  writeFileSync(vkey, `${encodeNoteVerifierKey(log.name, log.publicKey)}\n`);
  const bundle = generateBundle(join(tmp, 'bundle'), 3000, { checkpointEvery: 1000, logKey: log });
  inputs.push({ name: 'bundle', dir: bundle.dir, vkey });
  for (const layout of ['tlog-tiles', 'sumdb'] as const) {
    const dir = join(tmp, layout);
    const w = new TiledLogWriter({ dir, layout, origin: ORIGIN, signers: [{ name: log.name, seed: log.seed }] });
    for (let i = 0; i < 2000; i++) w.append(syntheticLogEntry(i));
    w.checkpoint();
    inputs.push({ name: layout, dir, vkey });
  }
  // Tampered copies: one entry byte changed.
  const tb = join(tmp, 'bundle-tampered');
  cpSync(bundle.dir, tb, { recursive: true });
  const lines = readFileSync(join(tb, 'entries.jsonl'), 'utf8').split('\n');
  lines[1234] = lines[1234]!.replace('"seq":1234', '"seq":1235');
  writeFileSync(join(tb, 'entries.jsonl'), lines.join('\n'));
  inputs.push({ name: 'bundle, tampered', dir: tb, vkey });
  const tt = join(tmp, 'tiles-tampered');
  cpSync(join(tmp, 'tlog-tiles'), tt, { recursive: true });
  const e = join(tt, 'tile', 'entries', '003');
  const bytes = readFileSync(e);
  bytes[100]! ^= 1;
  writeFileSync(e, bytes);
  inputs.push({ name: 'tlog-tiles, tampered', dir: tt, vkey });
});
afterAll(() => removeDir(tmp));

function verify(dir: string, vkey: string, env: Record<string, string>, extra: string[] = []): VerificationRun {
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'proofdesk.js'), 'verify', dir, '--trust', vkey, '--json', '--workers', '2', ...extra],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  expect([0, 1, 3], r.stderr).toContain(r.status);
  return JSON.parse(r.stdout) as VerificationRun;
}

/** The result, less the one parameter that differs on purpose (crossCheck). */
const comparable = (run: VerificationRun) => JSON.stringify(run.result, (k, v) => (k === 'crossCheck' ? undefined : v));

describe('native hashing and its fallback give the same results', () => {
  const native = loadNativeHash();
  it('on a bundle, tiled logs and tampered copies of each, with the addon, without it, and with --cross-check', () => {
    for (const i of inputs) {
      const off = verify(i.dir, i.vkey, { PROOFDESK_NATIVE_HASH: '0' });
      const on = verify(i.dir, i.vkey, {});
      const both = verify(i.dir, i.vkey, {}, ['--cross-check']);
      expect(comparable(on), i.name).toBe(comparable(off));
      expect(comparable(both), i.name).toBe(comparable(off));
      expect(off.stats.hashing).toBe('node:crypto (switched off (PROOFDESK_NATIVE_HASH=0))');
      expect(on.stats.hashing).toBe(native.ok ? 'native' : `node:crypto (${native.reason})`);
      expect(both.stats.hashing).toBe(native.ok ? 'native+node:crypto' : `node:crypto (${native.reason})`);
      expect(off.result.verdict, i.name).toBe(i.name.includes('tampered') ? 'FAIL' : 'PASS');
    }
  });
});
