/**
 * Measures the case entry index on a 10-million-entry bundle (docs/performance.md):
 * import into a case, verification run, index build time, index size, and query latency
 * (median and p99 over repeated runs of each query).
 *
 *   npx tsx bench/case-index.ts [entries=10000000] [--rebuild-bundle]
 *
 * The bundle is generated once into bench/cache/ (git-ignored; minutes), deterministically
 * (test/support/fixtures.ts). Each run starts from a fresh case directory.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createCase } from '../electron/case/case.js';
import { buildEntryIndex } from '../electron/case/entry-index.js';
import { type EntryQuery, queryEntries } from '../electron/case/query.js';
import { trustKey } from '../electron/case/trust.js';
import { verifyInCase } from '../electron/services/case-run.js';
import { generateBundle, ORIGIN, syntheticTs, testKey } from '../test/support/fixtures.js';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000_000);
const CACHE = join(import.meta.dirname, 'cache');
const BUNDLE = join(CACHE, `bundle-${N}`);
const CASE = join(CACHE, `case-index-${N}`);

function dirSize(p: string): number {
  let s = 0;
  for (const d of readdirSync(p, { withFileTypes: true }))
    s += d.isDirectory() ? dirSize(join(p, d.name)) : statSync(join(p, d.name)).size;
  return s;
}

const log = (s: string) => console.log(s);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

if (process.argv.includes('--rebuild-bundle')) rmSync(BUNDLE, { recursive: true, force: true });
if (!existsSync(join(BUNDLE, 'manifest.json'))) {
  rmSync(BUNDLE, { recursive: true, force: true });
  const t = Date.now();
  generateBundle(BUNDLE, N, { checkpointEvery: 1_000_000 });
  log(`generated ${N.toLocaleString('en-US')} entries in ${sec(Date.now() - t)}`);
}
const bundleBytes = dirSize(BUNDLE);
log(`machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
log(`bundle: ${N.toLocaleString('en-US')} entries, ${(bundleBytes / 2 ** 20).toFixed(0)} MiB`);

rmSync(CASE, { recursive: true, force: true });
const cf = createCase(CASE, { title: 'index benchmark' }, { actor: 'bench' });
trustKey(cf, { publicKey: testKey('log', ORIGIN).publicKey, keyName: ORIGIN, label: 'log', origin: ORIGIN });

const t0 = Date.now();
let importMs = 0;
let tImport = 0;
const out = await verifyInCase(cf, {
  bundle: BUNDLE,
  index: false,
  onImportProgress: (p) => {
    if (p.stage === 'copy' && tImport === 0) tImport = Date.now();
    if (p.stage === 'committed') importMs = Date.now() - t0;
  },
});
const verifyMs = Date.now() - t0 - importMs;
log(
  `import (copy + SHA-256 + fsync): ${sec(importMs)}; verification run: ${sec(verifyMs)} (${out.run.result.verdict}, ${Math.round((N * 1000) / verifyMs).toLocaleString('en-US')} entries/s, ${out.run.stats.workers} workers)`,
);

cf.db.pragma('wal_checkpoint(TRUNCATE)');
const dbBefore = statSync(join(CASE, 'case.sqlite')).size;
const ti = Date.now();
let lastLog = ti;
const built = buildEntryIndex(cf, out.evidence.id, {
  runId: out.runId,
  onProgress: (p) => {
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  indexing… ${p.entriesDone.toLocaleString('en-US')} entries, ${sec(Date.now() - ti)}`);
    }
  },
});
const indexMs = Date.now() - ti;
cf.db.pragma('wal_checkpoint(TRUNCATE)');
const dbAfter = statSync(join(CASE, 'case.sqlite')).size;
log(
  `index build: ${sec(indexMs)} (${Math.round((N * 1000) / indexMs).toLocaleString('en-US')} entries/s); case.sqlite ${(dbBefore / 2 ** 20).toFixed(0)} → ${(dbAfter / 2 ** 20).toFixed(0)} MiB`,
);
if (built.set.entries !== N) throw new Error(`indexed ${built.set.entries} entries, expected ${N}`);

// ── query latency ──
const at = (i: number) => syntheticTs(i);
const queries: Array<{ name: string; q: EntryQuery }> = [
  { name: 'term (1 in ~6 entries match), first 50', q: { text: 'bob' } },
  { name: 'rare term (~3% match), first 50', q: { text: 'denied' } },
  { name: 'two terms + phrase, first 50', q: { text: 'delete "svc-backup"' } },
  { name: 'actor filter, first 50', q: { text: 'actor:carol@example.com' } },
  {
    name: 'actor + action in a 1-hour window',
    q: { text: 'actor:alice@example.com action:delete', from: at(7_000_000), to: at(7_003_600) },
  },
  { name: 'term in a 1-day window near the end', q: { text: 'export denied', from: at(9_900_000), to: at(9_986_400) } },
  { name: 'exact document id (1 hit)', q: { text: `"${'evt-' + (8_765_432).toString(36).padStart(7, '0')}"` } },
  { name: 'prefix term, first 50', q: { text: 'documents/4242*' } },
  { name: 'seq range', q: { text: 'seq:5000000..5000099', limit: 100 } },
  { name: 'count of a term over all entries', q: { text: 'denied', limit: 1, count: true } },
];
const REPS = 41;
log('');
log(`query latency over ${REPS} runs each (ms):`);
log(`  ${'query'.padEnd(42)} ${'hits'.padStart(6)} ${'median'.padStart(8)} ${'p99'.padStart(8)}`);
for (const { name, q } of queries) {
  const times: number[] = [];
  let hits = 0;
  let total: number | undefined;
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    const res = queryEntries(cf, q);
    times.push(performance.now() - t);
    hits = res.hits.length;
    total = res.total;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p99 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!;
  log(
    `  ${name.padEnd(42)} ${String(total ?? hits).padStart(6)} ${median.toFixed(2).padStart(8)} ${p99.toFixed(2).padStart(8)}`,
  );
}
cf.close();
