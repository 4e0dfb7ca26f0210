/**
 * Measurements for docs/diff.md: 1,000,000 vs 1,001,000 entries, and 1,000,000 vs the same with
 * entry 500,000 rewritten. The exports are generated once (about a minute) and cached in the
 * git-ignored bench/cache/diff/, keyed by their parameters and the generator's source
 * (support/bundle-cache.ts). Run with the slow suites (`npm run test:slow`), not `npm test`.
 */

import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffBundles } from '../../electron/diff/diff.js';
import { cachedBuild } from '../support/bundle-cache.js';
import { generateBundle, ORIGIN, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const CACHE = join(REPO_ROOT, 'bench', 'cache', 'diff');
const M = 1_000_000;
const REWRITE_AT = 500_000;
const log = testKey('log', ORIGIN);

/** Whose source (with its imports) keys the cache: fixtures.ts writes the bundles, this file edits one. */
const GENERATOR = join(REPO_ROOT, 'test', 'support', 'fixtures.ts');
const REWRITER = join(REPO_ROOT, 'test', 'integration', 'diff.slow.test.ts');

let base: string;
let plus: string;
let rewritten: string;

beforeAll(() => {
  mkdirSync(CACHE, { recursive: true });
  base = cachedBuild(
    CACHE,
    'base',
    GENERATOR,
    { count: M, checkpointEvery: 65_536 },
    (d) => void generateBundle(d, M, { checkpointEvery: 65_536 }),
  );
  plus = cachedBuild(
    CACHE,
    'plus',
    GENERATOR,
    { count: M + 1000, checkpointEvery: 65_536 },
    (d) => void generateBundle(d, M + 1000, { checkpointEvery: 65_536 }),
  );
  // Keyed by the base it copies (its directory name carries the base's key) and by this file, which holds the edit.
  rewritten = cachedBuild(CACHE, 'rewrite', REWRITER, { base, at: REWRITE_AT }, (d) => {
    cpSync(base, d, { recursive: true });
    // Flip one field of entry 500,000 in place; redo the manifest as an editor would.
    const text = readFileSync(join(d, 'entries.jsonl'), 'utf8');
    let start = 0;
    for (let i = 0; i < REWRITE_AT; i++) start = text.indexOf('\n', start) + 1;
    const end = text.indexOf('\n', start);
    const line = text
      .slice(start, end)
      .replace(/"outcome":"(success|denied)"/, (_, o) => `"outcome":"${o === 'success' ? 'denied' : 'success'}"`);
    const bytes = Buffer.from(text.slice(0, start) + line + text.slice(end));
    writeFileSync(join(d, 'entries.jsonl'), bytes);
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    const f = m.files.find((x: { path: string }) => x.path === 'entries.jsonl');
    f.size = bytes.length;
    f.sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  });
}, 600_000);

describe('diff at 1,000,000 entries', () => {
  it('1M vs 1M+1000: B_EXTENDS_A', async () => {
    const t = Date.now();
    const run = await diffBundles({ a: base, b: plus, trusted: [log.trusted] });
    const wall = Date.now() - t;
    expect(run.result.verdict).toBe('B_EXTENDS_A');
    expect(run.result.extension).toEqual({ longer: 'B', from: M, to: M + 1000, signedTo: M + 1000 });
    expect(run.result.search.comparisons).toBeLessThan(1000);
    expect(run.result.consistency).toMatchObject({ older: { size: M }, newer: { size: M + 1000 } });
    console.log(
      `[diff 1M vs 1M+1000] wall ${wall} ms; verify A ${run.stats.verifyMs.a} ms, B ${run.stats.verifyMs.b} ms; compare ${run.stats.compareMs} ms; ${run.result.search.comparisons} comparisons; ${run.stats.hashes} hashes; ${run.stats.blocksRead} blocks read`,
    );
  }, 600_000);

  it('1M vs 1M with entry 500,000 rewritten: REWRITTEN at 500,000', async () => {
    const t = Date.now();
    const run = await diffBundles({ a: base, b: rewritten, trusted: [log.trusted] });
    const wall = Date.now() - t;
    expect(run.result.verdict).toBe('REWRITTEN');
    expect(run.result.rewritten).toEqual({ index: REWRITE_AT, side: 'B' });
    expect(run.result.search.comparisons).toBeLessThan(1000);
    expect(run.result.entryDiff?.ops).toEqual([
      expect.objectContaining({ op: 'changed', fields: ['$.event.outcome'] }),
    ]);
    console.log(
      `[diff 1M rewrite at 500,000] wall ${wall} ms; verify A ${run.stats.verifyMs.a} ms, B ${run.stats.verifyMs.b} ms; compare ${run.stats.compareMs} ms; ${run.result.search.comparisons} comparisons; ${run.stats.hashes} hashes; ${run.stats.blocksRead} blocks read`,
    );
  }, 600_000);
});
