/**
 * `npm run bench [-- --quick]`: measures verification against the hardware's own limits, in one
 * run, over the same bytes. Timings on a shared machine are noisy, so every figure is set next
 * to a baseline measured in the same run (the primitive bound) and reported as a ratio.
 *
 *   bound = raw node:crypto SHA-256 over the entries file + 2n Merkle node hashes (65-byte inputs)
 *
 * Writes bench/results.json (one record per case) and docs/performance.md. Bundles are generated
 * deterministically and cached under bench/cache/ (git-ignored). Not part of `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hash as cryptoHash,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { BundleWriter, type EntrySigner } from '../electron/write/bundle-writer.js';
import { entrySignatureMessage } from '../shared/bundle/entry.js';
import { encodeNoteVerifierKey, encodePkcs8Pem, encodeSpkiPem, keyFingerprint } from '../shared/keys/keys.js';
import type { VerificationRun } from '../shared/verdict/result.js';
import { prng, syntheticEvent, syntheticTs, testKey } from '../test/support/fixtures.js';

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(ROOT, 'bench', 'cache');
const quick = process.argv.includes('--quick');
/** Entries of the first export in the diff and report cases (the second has 1,000 more). */
const diffSize = quick ? 100_000 : 1_000_000;
const ORIGIN = 'bench.proofdesk.example/log';
const CHECKPOINT_EVERY = 65_536;
const log = testKey('bench-log', ORIGIN);
const source = testKey('bench-source', 'bench-source');

export interface BenchRecord {
  readonly case: string;
  readonly entries: number;
  readonly workers: number;
  readonly bytes: number;
  readonly verify_s: number;
  readonly bound_s: number;
  readonly ratio: number;
  readonly entries_per_s: number;
  readonly mb_per_s: number;
  readonly peak_rss_mb: number;
  readonly [k: string]: number | string;
}

function say(s: string): void {
  process.stderr.write(s + '\n');
}

/** Event i padded so that an entry line is about 300 bytes. */
function benchEvent(i: number, rand: () => number): Record<string, unknown> {
  const e = syntheticEvent(i, rand);
  const line = JSON.stringify({ seq: i, ts: syntheticTs(i), prev: '0'.repeat(64), event: e });
  return { ...e, detail: 'x'.repeat(Math.max(0, 300 - line.length - 12)) };
}

function nodeSigner(): EntrySigner {
  const key = createPrivateKey(encodePkcs8Pem(source.seed));
  return { fingerprint: keyFingerprint(source.publicKey), sign: (m) => cryptoSign(null, m, key) };
}

/** Generates (once) a bundle of n entries, optionally with an entry signature on every entry. */
function bundle(n: number, signed: boolean): string {
  const dir = join(CACHE, `${signed ? 'signed' : 'plain'}-${n}`);
  if (existsSync(join(dir, '.complete'))) return join(dir, 'bundle');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  say(`generating ${n.toLocaleString('en-US')} ${signed ? 'signed ' : ''}entries in ${dir} …`);
  const t0 = Date.now();
  const w = new BundleWriter({
    dir: join(dir, 'bundle'),
    origin: ORIGIN,
    logKey: { name: log.name, seed: log.seed },
    checkpointEvery: CHECKPOINT_EVERY,
    created: '2026-11-01T00:00:00Z',
  });
  const rand = prng(7);
  const signer = signed ? nodeSigner() : undefined;
  for (let i = 0; i < n; i++) w.append(benchEvent(i, rand), syntheticTs(i), signer ? { signer } : {});
  w.finish();
  writeFileSync(join(dir, '.complete'), `${Date.now() - t0} ms\n`);
  return join(dir, 'bundle');
}

function keyFiles(): { vkey: string; sourcePem: string } {
  mkdirSync(CACHE, { recursive: true });
  const vkey = join(CACHE, 'log.vkey');
  const sourcePem = join(CACHE, 'source.pub');
  writeFileSync(vkey, encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
  writeFileSync(sourcePem, encodeSpkiPem(source.publicKey));
  return { vkey, sourcePem };
}

/** The primitive bound over the same bytes: streamed SHA-256 of the file plus 2n node hashes. */
function primitiveBound(file: string, n: number): { bound_s: number; bulk_s: number; nodes_s: number } {
  const t0 = performance.now();
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(4 << 20);
  const h = createHash('sha256');
  for (let pos = 0; ; ) {
    const got = readSync(fd, buf, 0, buf.length, pos);
    if (got <= 0) break;
    h.update(buf.subarray(0, got));
    pos += got;
  }
  h.digest();
  closeSync(fd);
  const t1 = performance.now();
  const node = Buffer.alloc(65, 1);
  for (let i = 0; i < 2 * n; i++) {
    // The fastest way node:crypto gives digest bytes on Node 20 (electron/platform/node-hash.ts).
    const d = Buffer.from(cryptoHash('sha256', node, 'binary'), 'binary');
    node[1] = d[0]!; // keep the inputs changing, as real node hashes do
  }
  const t2 = performance.now();
  return { bound_s: (t2 - t0) / 1000, bulk_s: (t1 - t0) / 1000, nodes_s: (t2 - t1) / 1000 };
}

function sha256sum(file: string): number {
  const t0 = performance.now();
  const r = spawnSync('sha256sum', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sha256sum failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** Runs `proofdesk verify` in a child process; returns wall time and the run it printed. */
async function verifyChild(
  dir: string,
  trust: string[],
  workers: number,
  entryKeys: string[] = [],
): Promise<{ wall_s: number; run: VerificationRun }> {
  const args = [
    'verify',
    dir,
    ...trust.flatMap((t) => ['--trust', t]),
    ...entryKeys.flatMap((k) => ['--entry-key', k]),
    '--workers',
    String(workers),
    '--json',
  ];
  const r = await timedChild(args, { rss: false });
  let run: VerificationRun;
  try {
    run = JSON.parse(r.out) as VerificationRun;
  } catch (e) {
    throw new Error(`verify exited ${r.code}: ${(e as Error).message}`);
  }
  if (run.result.verdict !== 'PASS')
    throw new Error(`bench bundle did not verify (exit ${r.code}): ${run.result.verdict}`);
  return { wall_s: r.wall_s, run };
}

/** Runs a proofdesk command in a child process: wall time, exit code, stdout, and the child's peak RSS (GNU time, when present). */
function timedChild(
  args: string[],
  opts: { rss: boolean } = { rss: true },
): Promise<{ wall_s: number; code: number; out: string; peak_rss_mb: number }> {
  const rssFile = join(CACHE, '.rss');
  rmSync(rssFile, { force: true });
  const gnuTime = opts.rss && existsSync('/usr/bin/time');
  const argv = [process.execPath, join(ROOT, 'bin', 'proofdesk.js'), ...args];
  const [cmd, ...rest] = gnuTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall_s = (performance.now() - t0) / 1000;
      const kb = gnuTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : 0;
      resolve({ wall_s, code: code ?? -1, out, peak_rss_mb: round(kb / 1024) });
    });
  });
}

/** diff of n vs n + 1,000 entries (the second export extends the first), and the signed report of an n-entry run. */
async function diffAndReport(n: number, vkey: string, boundOf: (n: number) => number): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  const a = bundle(n, false);
  const b = bundle(n + 1_000, false);
  const bound = boundOf(n) + boundOf(n + 1_000);
  const d = await timedChild(['diff', a, b, '--trust', vkey, '--json']);
  const diffRun = JSON.parse(d.out) as { result?: { verdict?: string; search?: { comparisons?: number } } };
  const verdict = diffRun.result?.verdict;
  if (d.code !== 0 || verdict !== 'B_EXTENDS_A') throw new Error(`bench diff gave exit ${d.code}, verdict ${verdict}`);
  const bytes = statSync(join(a, 'entries.jsonl')).size + statSync(join(b, 'entries.jsonl')).size;
  out.push({
    case: 'diff',
    entries: n,
    workers: cpus().length,
    bytes,
    verify_s: round(d.wall_s),
    bound_s: round(bound),
    ratio: round(d.wall_s / bound),
    entries_per_s: Math.round((2 * n + 1_000) / d.wall_s),
    mb_per_s: round(bytes / 1e6 / d.wall_s),
    peak_rss_mb: d.peak_rss_mb,
    notes: `${n.toLocaleString('en-US')} vs ${(n + 1_000).toLocaleString('en-US')} entries, both verified, verdict ${verdict}, ${diffRun.result?.search?.comparisons ?? '?'} subtree comparisons`,
  });
  say(
    `diff ${n} vs ${n + 1_000}: ${out[0]!.verify_s} s (${verdict}), ratio to both bounds ${out[0]!.ratio}, peak RSS ${d.peak_rss_mb} MB`,
  );

  // Report: the same verification with and without --report; the difference is building, signing and rendering.
  const examiner = join(CACHE, 'examiner');
  if (!existsSync(`${examiner}.key`)) {
    const k = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'proofdesk.js'), 'keygen', '--out', examiner, '--name', 'Bench Examiner', '--no-passphrase'],
      { encoding: 'utf8' },
    );
    if (k.status !== 0) throw new Error(`keygen failed: ${k.stderr}`);
  }
  const reportDir = join(CACHE, 'report-out');
  rmSync(reportDir, { recursive: true, force: true });
  const plain = await timedChild(['verify', a, '--trust', vkey, '--json']);
  const withReport = await timedChild([
    'verify',
    a,
    '--trust',
    vkey,
    '--json',
    '--report',
    reportDir,
    '--examiner-key',
    `${examiner}.key`,
  ]);
  if (plain.code !== 0 || withReport.code !== 0)
    throw new Error(`bench report run exited ${plain.code}/${withReport.code}`);
  const pdf = join(reportDir, 'report.pdf');
  const pdfBytes = existsSync(pdf) ? statSync(pdf).size : 0;
  const report_s = Math.max(0, withReport.wall_s - plain.wall_s);
  out.push({
    case: 'report',
    entries: n,
    workers: cpus().length,
    bytes: pdfBytes,
    verify_s: round(withReport.wall_s),
    bound_s: round(boundOf(n)),
    ratio: round(withReport.wall_s / boundOf(n)),
    entries_per_s: Math.round(n / withReport.wall_s),
    mb_per_s: 0,
    peak_rss_mb: withReport.peak_rss_mb,
    report_s: round(report_s),
    notes: `verify + signed report ${round(withReport.wall_s)} s vs verify alone ${round(plain.wall_s)} s: the report adds ${round(report_s)} s; PDF ${(pdfBytes / 1024).toFixed(0)} KiB`,
  });
  say(
    `report of ${n}: +${round(report_s)} s over verification (${round(withReport.wall_s)} s in all), PDF ${(pdfBytes / 1024).toFixed(0)} KiB`,
  );
  return out;
}

/** Samples per verification case: the fastest is kept (noise only ever adds time), with the highest peak RSS. */
const SAMPLES = 2;

async function bestOf(
  dir: string,
  trust: string[],
  workers: number,
  entryKeys: string[] = [],
): Promise<{ wall_s: number; run: VerificationRun; peakRssBytes: number }> {
  let best: { wall_s: number; run: VerificationRun } | undefined;
  let peak = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const r = await verifyChild(dir, trust, workers, entryKeys);
    peak = Math.max(peak, r.run.stats.peakRssBytes ?? 0);
    if (!best || r.wall_s < best.wall_s) best = r;
  }
  return { ...best!, peakRssBytes: peak };
}

/** A plain node:crypto verify loop over the same signatures, one core. */
function plainVerifyLoop(dir: string, n: number): number {
  const pub = createPublicKey(encodeSpkiPem(source.publicKey));
  const text = readFileSync(join(dir, 'entries.jsonl'), 'utf8');
  const items: Array<{ m: Uint8Array; s: Buffer }> = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = text.indexOf('\n', start);
    const e = JSON.parse(text.slice(start, end)) as { event: unknown; sig: { sig: string } };
    items.push({ m: entrySignatureMessage(e.event), s: Buffer.from(e.sig.sig, 'base64') });
    start = end + 1;
  }
  const t0 = performance.now();
  let ok = 0;
  for (const it of items) if (cryptoVerify(null, it.m, pub, it.s)) ok++;
  const dt = (performance.now() - t0) / 1000;
  if (ok !== n) throw new Error('plain verify loop rejected a signature');
  return n / dt;
}

async function main(): Promise<void> {
  const sizes = quick ? [100_000] : [100_000, 1_000_000, 10_000_000];
  const signedSize = quick ? 20_000 : 100_000;
  const { vkey, sourcePem } = keyFiles();
  if (process.argv.includes('--doc-only')) {
    // Re-renders docs/performance.md from bench/results.json (after editing bench/profile-notes.md).
    const saved = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as {
      started: string;
      records: BenchRecord[];
    };
    writeFileSync(join(ROOT, 'docs', 'performance.md'), performanceDoc(saved.records, saved.started));
    return;
  }
  if (process.argv.includes('--generate-only')) {
    for (const n of sizes) bundle(n, false);
    bundle(diffSize + 1_000, false);
    bundle(signedSize, true);
    return;
  }
  const records: BenchRecord[] = [];
  const started = new Date().toISOString();

  for (const n of sizes) {
    const dir = bundle(n, false);
    const file = join(dir, 'entries.jsonl');
    const bytes = statSync(file).size;
    // Warm the page cache so every measurement reads from memory.
    sha256sum(file);
    const sum_s = sha256sum(file);
    const b = primitiveBound(file, n);
    say(
      `${n.toLocaleString('en-US')} entries, ${(bytes / 1e6).toFixed(0)} MB: bound ${b.bound_s.toFixed(2)} s (file ${b.bulk_s.toFixed(2)} s + nodes ${b.nodes_s.toFixed(2)} s), sha256sum ${sum_s.toFixed(2)} s`,
    );
    for (const workers of [1, 2]) {
      const { wall_s, peakRssBytes } = await bestOf(dir, [vkey], workers);
      const rec: BenchRecord = {
        case: 'verify',
        entries: n,
        workers,
        bytes,
        verify_s: round(wall_s),
        bound_s: round(b.bound_s),
        ratio: round(wall_s / b.bound_s),
        entries_per_s: Math.round(n / wall_s),
        mb_per_s: round(bytes / 1e6 / wall_s),
        peak_rss_mb: round(peakRssBytes / 2 ** 20),
        sha256sum_s: round(sum_s),
        file_sha256_s: round(b.bulk_s),
        node_hashes_s: round(b.nodes_s),
      };
      records.push(rec);
      say(
        `  ${workers} worker(s): ${rec.verify_s} s, ${rec.entries_per_s.toLocaleString('en-US')} entries/s, ${rec.mb_per_s} MB/s, ratio ${rec.ratio}, peak RSS ${rec.peak_rss_mb} MB`,
      );
    }
  }

  // Entry signatures: every entry signed; compare with a plain node:crypto loop over the same signatures.
  {
    const n = signedSize;
    const plainDir = bundle(n, false);
    const signedDir = bundle(n, true);
    const plainRate = plainVerifyLoop(signedDir, n);
    const base1 = await bestOf(plainDir, [vkey], 1);
    for (const workers of [1, 2]) {
      const { wall_s, peakRssBytes } = await bestOf(signedDir, [vkey], workers, [sourcePem]);
      const unsigned = workers === 1 ? base1.wall_s : (await bestOf(plainDir, [vkey], 2)).wall_s;
      // Signature work per core: the extra time signing adds, times the cores that shared it.
      const sigSeconds = Math.max(1e-9, (wall_s - unsigned) * workers);
      const perCore = n / sigSeconds;
      const rec: BenchRecord = {
        case: 'verify-signed',
        entries: n,
        workers,
        bytes: statSync(join(signedDir, 'entries.jsonl')).size,
        verify_s: round(wall_s),
        bound_s: round(n / plainRate),
        ratio: round(wall_s / (n / plainRate)),
        entries_per_s: Math.round(n / wall_s),
        mb_per_s: round(statSync(join(signedDir, 'entries.jsonl')).size / 1e6 / wall_s),
        peak_rss_mb: round(peakRssBytes / 2 ** 20),
        signatures_per_s: Math.round(n / wall_s),
        signatures_per_s_per_core: Math.round(perCore),
        plain_verify_per_s: Math.round(plainRate),
        per_core_vs_plain: round(perCore / plainRate),
      };
      records.push(rec);
      say(
        `  signed ${n}: ${workers} worker(s) ${rec.verify_s} s; ${rec.signatures_per_s_per_core} sig/s per core vs plain loop ${rec.plain_verify_per_s} sig/s (${rec.per_core_vs_plain})`,
      );
    }
  }

  const bounds = new Map(records.filter((r) => r.case === 'verify').map((r) => [r.entries, r.bound_s]));
  const boundOf = (n: number): number =>
    bounds.get(n) ?? primitiveBound(join(bundle(n, false), 'entries.jsonl'), n).bound_s;
  records.push(...(await diffAndReport(diffSize, vkey, boundOf)));

  writeFileSync(
    join(ROOT, 'bench', 'results.json'),
    JSON.stringify({ machine: machine(), started, quick, records }, null, 2) + '\n',
  );
  writeFileSync(join(ROOT, 'docs', 'performance.md'), performanceDoc(records, started));
  say('wrote bench/results.json and docs/performance.md');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function machine(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

function performanceDoc(records: BenchRecord[], started: string): string {
  const m = machine();
  const lines = [
    '# Performance',
    '',
    `Measured by \`npm run bench\` on ${started.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.os}.`,
    'The machine is shared and its timings are noisy; each figure is set against the primitive bound measured',
    'in the same run over the same bytes: raw `node:crypto` SHA-256 of the entries file plus 2n Merkle node',
    'hashes, single-threaded. `ratio` = verify wall time / bound. Full verification means manifest digests, every',
    'chain link, sequence and time check, every checkpoint root (one per 65,536 entries) and signature.',
    'Peak RSS is the verifying process with all its worker threads.',
    `Each verification is run ${SAMPLES} times and the fastest is kept (noise only adds time); peak RSS is the highest of the samples.`,
    '',
    '| case | entries | workers | verify s | entries/s | MB/s | bound s | ratio | peak RSS MB | sha256sum s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...records
      .filter((r) => r.case === 'verify')
      .map(
        (r) =>
          `| ${r.case} | ${r.entries.toLocaleString('en-US')} | ${r.workers} | ${r.verify_s} | ${r.entries_per_s.toLocaleString('en-US')} | ${r.mb_per_s} | ${r.bound_s} | ${r.ratio} | ${r.peak_rss_mb} | ${r.sha256sum_s} |`,
      ),
    '',
    '## Entry signatures',
    '',
    'Every entry carries an Ed25519 signature over its canonical event. `per core` is the signature work rate:',
    'entries / ((signed verify time − unsigned verify time of the same entries) × workers). `plain` is a',
    '`crypto.verify` loop over the same signatures on one core.',
    '',
    '| entries | workers | verify s | signatures/s | per core | plain loop/s | per core / plain |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...records
      .filter((r) => r.case === 'verify-signed')
      .map(
        (r) =>
          `| ${r.entries.toLocaleString('en-US')} | ${r.workers} | ${r.verify_s} | ${String(r.signatures_per_s)} | ${String(r.signatures_per_s_per_core)} | ${String(r.plain_verify_per_s)} | ${String(r.per_core_vs_plain)} |`,
      ),
    '',
  ];
  lines.push(...targetLines(records));
  const others = records.filter((r) => r.case !== 'verify' && r.case !== 'verify-signed');
  if (others.length) {
    lines.push('## Other operations', '', '| case | entries | seconds | notes |', '|---|---:|---:|---|');
    for (const r of others)
      lines.push(`| ${r.case} | ${r.entries.toLocaleString('en-US')} | ${r.verify_s} | ${String(r.notes ?? '')} |`);
    lines.push('');
  }
  lines.push(...profileNotes());
  return lines.join('\n') + '\n';
}

/** The targets, each judged from this run's own figures. */
function targetLines(records: BenchRecord[]): string[] {
  const v = (n: number, w: number) => records.find((r) => r.case === 'verify' && r.entries === n && r.workers === w);
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rows: string[] = [];
  for (const n of [1_000_000, 10_000_000]) {
    const one = v(n, 1);
    const two = v(n, 2);
    if (!one || !two) continue;
    const best = Math.min(one.ratio, two.ratio);
    rows.push(
      `| ${n.toLocaleString('en-US')}: verify within 2× of the bound | 1 worker ${one.ratio}×, 2 workers ${two.ratio}× | ${met(best <= 2)} |`,
    );
    const speedup = round(one.verify_s / two.verify_s);
    rows.push(
      `| ${n.toLocaleString('en-US')}: 2 workers ≥ 1.7× faster than 1 | ${speedup}× | ${met(speedup >= 1.7)} |`,
    );
  }
  const big = records.filter((r) => r.case === 'verify' && r.entries === 10_000_000);
  if (big.length) {
    const rss = Math.max(...big.map((r) => r.peak_rss_mb));
    rows.push(`| 10,000,000: peak RSS below 300 MB | ${rss} MB | ${met(rss < 300)} |`);
  }
  for (const r of records.filter((x) => x.case === 'verify-signed')) {
    rows.push(
      `| entry signatures, ${r.workers} worker(s): ≥ 80% of the plain verify loop per core | ${round(Number(r.per_core_vs_plain) * 100)}% | ${met(Number(r.per_core_vs_plain) >= 0.8)} |`,
    );
  }
  if (!rows.length) return [];
  return ['## Targets', '', '| target | this run | |', '|---|---:|---|', ...rows, ''];
}

/** Findings from profiling, kept with the figures they explain (edit by hand; the tables are regenerated). */
function profileNotes(): string[] {
  const p = join(ROOT, 'bench', 'profile-notes.md');
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n') : [];
}

await main();
