/**
 * The cache of generated bundles the slow suites share (generating a million entries takes a
 * minute). A cached directory is reused only when everything that determines its bytes is
 * unchanged: the parameters the caller passes and the source of the generator — the entry
 * module and every repository module it imports, transitively. Editing the event generator,
 * the bundle writer or anything they use therefore yields a new key instead of a stale bundle
 * under the old name.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sourceClosure } from './imports.js';
import { REPO_ROOT } from './vectors.js';

/** SHA-256 over the parameters and the path and bytes of every file in the generator's closure. */
export function cacheKey(generator: string, params: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(params));
  for (const f of sourceClosure(generator)) {
    h.update(`\0${relative(REPO_ROOT, f)}\0`);
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

/**
 * `<cacheDir>/<name>-<key>`: built by `build` into a temporary sibling and renamed into place
 * only when complete, so an interrupted run leaves nothing that looks finished. Entries of the
 * same name under another key are removed, since they can never be used again.
 */
export function cachedBuild(
  cacheDir: string,
  name: string,
  generator: string,
  params: unknown,
  build: (dir: string) => void,
): string {
  const key = cacheKey(generator, params).slice(0, 16);
  const dir = join(cacheDir, `${name}-${key}`);
  if (existsSync(dir)) return dir;
  const stale = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}(\\.tmp)?$`);
  if (existsSync(cacheDir)) {
    for (const e of readdirSync(cacheDir))
      if (stale.test(e)) rmSync(join(cacheDir, e), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp`;
  build(tmp);
  renameSync(tmp, dir);
  return dir;
}
