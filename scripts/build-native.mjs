#!/usr/bin/env node
/**
 * `npm ci` / `npm install` runs this (package.json "install"): builds the optional native hashing
 * addon in native/ (N-API, C, compiled against Node's own OpenSSL headers by node-gyp, as
 * better-sqlite3 is built; nothing is downloaded when npm's nodedir points at the installed
 * headers). It never fails the install: where the addon cannot be built (no compiler, no
 * headers), Proofdesk hashes with node:crypto, gives the same results, and says so in its run
 * statistics (`hashing` in `verify --json`, the last line of `verify`).
 * PROOFDESK_NATIVE_HASH=0 skips the build; PROOFDESK_NATIVE_DIR builds another copy of native/ (tests).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.PROOFDESK_NATIVE_DIR ?? join(root, 'native');
const say = (s) => process.stderr.write(`proofdesk: ${s}\n`);

if (process.env.PROOFDESK_NATIVE_HASH === '0') {
  say('native hashing addon not built (PROOFDESK_NATIVE_HASH=0); verification uses node:crypto');
  process.exit(0);
}
// npm hands its own node-gyp to install scripts in npm_config_node_gyp; else one on PATH.
const gyp = process.env.npm_config_node_gyp;
const r = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : spawnSync('node-gyp', ['rebuild'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
if (r.status === 0) {
  say('native hashing addon built (native/build/Release/proofdesk_hash.node)');
} else {
  rmSync(join(dir, 'build'), { recursive: true, force: true });
  const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  say(`native hashing addon not built (${why || `node-gyp exited ${r.status}`}); verification uses node:crypto`);
}
process.exit(0);
