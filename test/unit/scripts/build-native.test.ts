/**
 * scripts/build-native.mjs, npm's install step for the optional native hashing addon: it builds
 * native/ where node-gyp and a compiler work, and where they do not it says so and still exits 0,
 * so that `npm ci` succeeds and verification falls back to node:crypto. Run on copies of native/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/fixtures.js';
import { REPO_ROOT } from '../../support/vectors.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-native-');
});
afterAll(() => removeDir(tmp));

function run(dir: string, env: Record<string, string | undefined>) {
  const script = join(REPO_ROOT, 'scripts', 'build-native.mjs');
  return spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PROOFDESK_NATIVE_DIR: dir, ...env },
  });
}

describe('scripts/build-native.mjs', () => {
  it('a source that cannot compile: the install still succeeds, says why, and leaves no addon behind', () => {
    const dir = join(tmp, 'broken');
    cpSync(join(REPO_ROOT, 'native'), dir, { recursive: true, filter: (p) => !p.includes('/build') });
    writeFileSync(join(dir, 'proofdesk_hash.c'), 'this is not C\n');
    const r = run(dir, { npm_config_node_gyp: join(tmp, 'no-such-node-gyp.js') });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/native hashing addon not built .*verification uses node:crypto/);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('PROOFDESK_NATIVE_HASH=0 skips the build', () => {
    const r = run(join(tmp, 'none'), { PROOFDESK_NATIVE_HASH: '0' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/not built \(PROOFDESK_NATIVE_HASH=0\)/);
  });
});
