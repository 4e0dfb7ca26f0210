/**
 * The slow suites' bundle cache (support/bundle-cache.ts): a cached bundle is reused only
 * under the same parameters and the same generator source, imports included.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedBuild, cacheKey } from '../../support/bundle-cache.js';
import { makeTempDir, removeDir } from '../../support/fixtures.js';
import { sourceClosure } from '../../support/imports.js';
import { REPO_ROOT } from '../../support/vectors.js';

let tmp: string;
let gen: string;
let helper: string;
let builds: number;
beforeEach(() => {
  tmp = makeTempDir('proofdesk-bundle-cache-');
  mkdirSync(join(tmp, 'src', 'lib'), { recursive: true });
  gen = join(tmp, 'src', 'gen.ts');
  helper = join(tmp, 'src', 'lib', 'helper.ts');
  writeFileSync(gen, "import { seed } from './lib/helper.js';\nexport const make = () => seed;\n");
  writeFileSync(helper, "import type { X } from '../types.js';\nexport const seed = 1;\n");
  writeFileSync(join(tmp, 'src', 'types.ts'), 'export type X = number;\n');
  builds = 0;
});
afterEach(() => removeDir(tmp));

const build = (d: string) => {
  builds++;
  mkdirSync(d);
  writeFileSync(join(d, 'manifest.json'), '{}');
};

describe('sourceClosure', () => {
  it('follows relative imports, type-only ones included', () => {
    expect(sourceClosure(gen)).toEqual(
      [join(tmp, 'src', 'gen.ts'), join(tmp, 'src', 'lib', 'helper.ts'), join(tmp, 'src', 'types.ts')].sort(),
    );
  });
  it('reaches the bundle writer from the test fixtures', () => {
    const files = sourceClosure(join(REPO_ROOT, 'test', 'support', 'fixtures.ts'));
    expect(files).toContain(join(REPO_ROOT, 'electron', 'write', 'bundle-writer.ts'));
    expect(files).toContain(join(REPO_ROOT, 'shared', 'crypto', 'ed25519.ts'));
  });
});

describe('cacheKey', () => {
  it('changes with the parameters and with any file the generator imports', () => {
    const k = cacheKey(gen, { count: 10 });
    expect(cacheKey(gen, { count: 10 })).toBe(k);
    expect(cacheKey(gen, { count: 11 })).not.toBe(k);
    writeFileSync(helper, readFileSync(helper, 'utf8') + '// edited\n');
    expect(cacheKey(gen, { count: 10 })).not.toBe(k);
  });
});

describe('cachedBuild', () => {
  it('builds once per key, rebuilds after a generator change, and removes the stale entry', () => {
    const cache = join(tmp, 'cache');
    mkdirSync(cache);
    const a = cachedBuild(cache, 'b', gen, { n: 1 }, build);
    expect(cachedBuild(cache, 'b', gen, { n: 1 }, build)).toBe(a);
    expect(builds).toBe(1);
    expect(existsSync(join(a, 'manifest.json'))).toBe(true);

    writeFileSync(helper, 'export const seed = 2;\n');
    const b = cachedBuild(cache, 'b', gen, { n: 1 }, build);
    expect(b).not.toBe(a);
    expect(builds).toBe(2);
    expect(readdirSync(cache)).toEqual([b.slice(cache.length + 1)]);
  });
  it('leaves nothing that looks finished when the build fails', () => {
    const cache = join(tmp, 'cache');
    mkdirSync(cache);
    const interrupted = new Error('interrupted');
    let caught: unknown;
    try {
      cachedBuild(cache, 'b', gen, {}, (d) => {
        mkdirSync(d);
        throw interrupted;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(interrupted);
    expect(readdirSync(cache).filter((e) => !e.endsWith('.tmp'))).toEqual([]);
    cachedBuild(cache, 'b', gen, {}, build);
    expect(builds).toBe(1);
  });
});
