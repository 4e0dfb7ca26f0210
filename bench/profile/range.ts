/**
 * `node --cpu-prof bench/profile/range.mjs`-style profiling without threads: runs the worker's
 * range verifier (electron/verify/bundle/range-verifier.ts, as built in dist/) in this thread over a
 * whole bundle's entries file, as one job with the job fields verify.ts sets, and prints its
 * wall time. Run it as
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/profile/range.ts <bundle dir> [--repeat N] [--src]
 *
 * then summarise with bench/profile/top.ts. `--src` imports the TypeScript source instead of
 * dist/ (for a patched scratch copy, pass its root with --root).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chainGenesis } from '../../shared/bundle/chain.js';
import type { VerifyJob } from '../../shared/protocol/worker.js';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: range.ts <bundle dir> [--repeat N] [--src] [--root DIR]');
const opt = (name: string) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : undefined;
};
const root = opt('--root') ?? join(import.meta.dirname, '..', '..');
const repeat = Number(opt('--repeat') ?? 1);
const mod = process.argv.includes('--src')
  ? join(root, 'electron', 'verify', 'bundle', 'range-verifier.ts')
  : join(root, 'dist', 'electron', 'verify', 'bundle', 'range-verifier.js');
const { verifyRange } = (await import(
  pathToFileURL(mod).href
)) as typeof import('../../electron/verify/bundle/range-verifier.js');
const { createHash } = await import('node:crypto');
const sha = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

const file = join(dir, 'entries.jsonl');
const size = statSync(file).size;
const origin = 'bench.proofdesk.example/log';
const job: VerifyJob = {
  kind: 'verify',
  region: { file, offset: 0, size },
  entriesPath: 'entries.jsonl',
  start: 0,
  end: size,
  baseIndex: 0,
  isLast: true,
  genesis: Buffer.from(chainGenesis(origin, sha)).toString('hex'),
  firstSeq: 0,
  snapshotSizes: [],
  leafIndices: [],
  maxEntryBytes: 1024 * 1024,
  findingsPerCode: 100,
  entryKeys: [],
  witnessSteps: [],
  crossCheck: false,
  blockLeaves: 256,
};
for (let r = 0; r < repeat; r++) {
  const t0 = performance.now();
  const res = verifyRange(job);
  const s = (performance.now() - t0) / 1000;
  const root =
    res.range.length === 1 ? Buffer.from(res.range[0]!).toString('hex') : `${res.range.length} subtree roots`;
  process.stdout.write(
    JSON.stringify({
      entries: res.count,
      seconds: Number(s.toFixed(3)),
      us_per_entry: Number(((s / res.count) * 1e6).toFixed(3)),
      findings: res.findings.length,
      firstFinding: res.findings[0]?.code,
      rootOrRange: root,
    }) + '\n',
  );
}
