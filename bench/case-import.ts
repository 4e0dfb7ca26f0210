/**
 * Import throughput of the evidence locker for a 1 GiB file, next to plain file copies on the
 * same machine in the same run (the figures docs/performance.md quotes). Rounds alternate between methods so
 * that background load affects them alike; the median of each is reported.
 *
 *   npx tsx bench/case-import.ts [MiB=1024] [rounds=3]
 *
 * Methods:
 *   cp                  coreutils cp (in-kernel copy_file_range), no fsync
 *   cp + fsync          the same, then fsync of the copy (what a durable copy costs)
 *   read/write + fsync  a user-space 8 MiB read/write loop, then fsync (import minus hashing)
 *   sha256 only         openssl dgst -sha256 of the source (the hashing alone)
 *   case import         importEvidence into a new case (created before timing): read-only open,
 *                       copy + SHA-256 (second thread), fsyncs, rename, journaled commit
 * The source stays in the page cache for every method (24 GiB RAM), so these compare the
 * work each method does, not cold-disk reads.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type CaseFile, createCase } from '../electron/case/case.js';
import { importEvidence } from '../electron/case/evidence.js';
import { prng } from '../test/support/fixtures.js';

const MIB = 2 ** 20;
const sizeMiB = Number(process.argv[2] ?? 1024);
const rounds = Number(process.argv[3] ?? 3);
const CACHE = join(import.meta.dirname, 'cache');
const SRC = join(CACHE, `import-${sizeMiB}m.bin`);
const WORK = join(CACHE, 'import-work');

function fsyncFile(p: string): void {
  const fd = openSync(p, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

mkdirSync(CACHE, { recursive: true });
if (!existsSync(SRC) || statSync(SRC).size !== sizeMiB * MIB) {
  const fd = openSync(SRC, 'w');
  const rand = prng(2026);
  const words = new Uint32Array(MIB / 4);
  for (let m = 0; m < sizeMiB; m++) {
    for (let k = 0; k < words.length; k++) words[k] = rand() * 4294967296;
    writeSync(fd, new Uint8Array(words.buffer));
  }
  fsyncSync(fd);
  closeSync(fd);
}
// Warm the page cache so the first method does not pay for a cold read.
execFileSync('cat', [SRC], { stdio: ['ignore', 'ignore', 'inherit'] });

const methods: Record<string, (dst: string) => void> = {
  cp: (dst) => execFileSync('cp', [SRC, dst]),
  'cp + fsync': (dst) => {
    execFileSync('cp', [SRC, dst]);
    fsyncFile(dst);
  },
  'read/write + fsync': (dst) => {
    const src = openSync(SRC, 'r');
    const out = openSync(dst, 'wx');
    const buf = Buffer.allocUnsafe(8 * MIB);
    let pos = 0;
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, pos);
      if (n === 0) break;
      let w = 0;
      while (w < n) w += writeSync(out, buf, w, n - w);
      pos += n;
    }
    fsyncSync(out);
    closeSync(out);
    closeSync(src);
  },
  'sha256 only': () => void execFileSync('openssl', ['dgst', '-sha256', SRC]),
  'case import': (_dst) => {
    const r = importEvidence(prepared!, SRC, { kind: 'other' });
    if (r.evidence.size !== sizeMiB * MIB) throw new Error('short import');
    prepared!.close();
  },
};
// The case is created before the clock starts: the import is timed, not the case creation.
let prepared: CaseFile | undefined;

const times = new Map<string, number[]>(Object.keys(methods).map((k) => [k, []]));
const loads: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(methods)) {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    execFileSync('sync');
    loads.push(loadavg()[0]!);
    const dst = join(WORK, name === 'case import' ? 'case' : 'copy.bin');
    if (name === 'case import') prepared = createCase(dst, { title: 'import benchmark' }, { actor: 'bench' });
    const t = performance.now();
    run(dst);
    times.get(name)!.push(performance.now() - t);
  }
}
rmSync(WORK, { recursive: true, force: true });

console.log(
  `${sizeMiB} MiB, ${rounds} rounds, 1-minute load average during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${execFileSync('nproc').toString().trim()} cores`,
);
console.log(`  ${'method'.padEnd(20)} ${'median s'.padStart(9)} ${'MiB/s'.padStart(8)}   all rounds (s)`);
for (const [name, ts] of times) {
  const sorted = [...ts].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `  ${name.padEnd(20)} ${(med / 1000).toFixed(2).padStart(9)} ${((sizeMiB * 1000) / med).toFixed(0).padStart(8)}   ${ts.map((x) => (x / 1000).toFixed(2)).join(' ')}`,
  );
}
