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
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from './vectors.js';

const RELATIVE_IMPORT = /\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The repository source files `entry` depends on, itself included, as absolute paths in sorted order. */
export function sourceClosure(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      // Sources are ESM with `.js` suffixes naming the `.ts` file beside them.
      const spec = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(target)) todo.push(target);
      else throw new Error(`bundle cache: cannot resolve ${spec} from ${file}`);
    }
  }
  return [...seen].sort();
}

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
export function cachedBuild(cacheDir: string, name: string, generator: string, params: unknown, build: (dir: string) => void): string {
  const key = cacheKey(generator, params).slice(0, 16);
  const dir = join(cacheDir, `${name}-${key}`);
  if (existsSync(dir)) return dir;
  const stale = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}(\\.tmp)?$`);
  if (existsSync(cacheDir)) {
    for (const e of readdirSync(cacheDir)) if (stale.test(e)) rmSync(join(cacheDir, e), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp`;
  build(tmp);
  renameSync(tmp, dir);
  return dir;
}
