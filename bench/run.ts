/**
 * `npm run bench [-- --quick] [--samples N] [--doc-only]`: measures Proofdesk against outside
 * bounds, all in one run on the same cores, and writes bench/results.json and docs/performance.md
 * with the issue-16 goals judged from this run's own figures.
 *
 * Bounds (each built by the bench, each skipped with a clear message where it cannot be):
 *   - Go peer: golang.org/x/mod/sumdb/tlog + note verifying the same tiled log (bench/peers/,
 *     from Debian's golang-go and golang-golang-x-mod-dev, installed with apt-get when missing);
 *   - native bound: C + OpenSSL, one core, leaf hash + chain link + Merkle fold of the entries
 *     file (bench/native/, gcc and libssl-dev); its root is checked against Proofdesk's;
 *   - node:crypto bound: the same work through node:crypto, in-process (the older bench's bound);
 *   - a plain crypto.verify loop over the entry signatures, one core.
 * Every case is a whole process (spawn to exit, GNU time's peak RSS); cases of a comparison run
 * interleaved and keep their best sample, since noise on a shared machine only adds time. The
 * load average is recorded with every sample and `uptime` before and after the run.
 * Inputs come from bench/gen-logs.ts and are cached under bench/cache/ (git-ignored).
 */
import { createHash, createPublicKey, hash as cryptoHash, verify as cryptoVerify } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { entrySignatureMessage } from '../shared/bundle/entry.js';
import type { VerificationRun } from '../shared/verdict/result.js';
import {
  best,
  bestSample,
  build,
  CACHE,
  type CaseResult,
  CLI,
  gen,
  interleaved,
  median,
  mustPass,
  peak,
  ROOT,
  type Sample,
  say,
  timed,
  uptime,
  verifyArgv,
  warm,
} from './harness.js';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: number): number => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : dflt;
};
const SAMPLES = arg('--samples', quick ? 2 : 3);
const M = quick ? 100_000 : 1_000_000; // the "1M" cases
const BIG = quick ? 300_000 : 10_000_000; // the "10M" cases
const SIGNED = quick ? 20_000 : 100_000;
/** Environment of the node:crypto path (the native addon switched off). */
const JS_HASH = { PROOFDESK_NATIVE_HASH: '0' };

export interface BenchRecord {
  readonly case: string;
  readonly entries: number;
  readonly [k: string]: number | string | boolean | undefined;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const nf = (x: number): string => x.toLocaleString('en-US');
const runOf = (s: Sample) => JSON.parse(s.out) as VerificationRun;

function rec(name: string, r: CaseResult, extra: Record<string, number | string | boolean | undefined> = {}) {
  const b = bestSample(r);
  return {
    name,
    best_s: round(best(r)),
    median_s: round(median(r)),
    user_s: b.user_s,
    sys_s: b.sys_s,
    peak_rss_mb: round(peak(r), 1),
    samples: r.samples.length,
    load_max: round(Math.max(...r.samples.map((s) => s.load1)), 2),
    ...extra,
  };
}

/** bench/run.ts's older bound: streamed node:crypto SHA-256 of the file plus 2n node hashes, in-process. */
function nodeCryptoBound(file: string, n: number): number {
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
  const node = Buffer.alloc(65, 1);
  for (let i = 0; i < 2 * n; i++) {
    const d = Buffer.from(cryptoHash('sha256', node, 'binary'), 'binary');
    node[1] = d[0]!;
  }
  return (performance.now() - t0) / 1000;
}

/** A plain node:crypto verify loop over the entry signatures of a signed bundle, one core: signatures/s. */
function plainVerifyLoop(dir: string, keyPem: string, n: number): number {
  const pub = createPublicKey(readFileSync(keyPem, 'utf8'));
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

// ── sections ────────────────────────────────────────────────────────────────────────────

async function startup(): Promise<Record<string, unknown>> {
  say('start-up: node -e 0, proofdesk --version, proofdesk verify --help');
  const res = await interleaved(
    [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      { name: 'proofdesk --version', argv: [process.execPath, CLI, '--version'] },
      { name: 'proofdesk verify --help', argv: [process.execPath, CLI, 'verify', '--help'] },
    ],
    quick ? 5 : 15,
  );
  const base = best(res[0]!);
  return { cases: res.map((r) => rec(r.name, r, { x_node: round(best(r) / base) })) };
}

async function tiles(n: number, go: string | undefined, samples: number): Promise<Record<string, unknown>> {
  const { dir, vkey } = gen('tiles', n);
  say(`tiled log, ${nf(n)} leaves: Proofdesk (native and node:crypto hashing) vs Go x/mod tlog`);
  const cases = [
    { name: 'proofdesk verify', argv: verifyArgv(dir, vkey), check: mustPass },
    { name: 'proofdesk verify, node:crypto hashing', argv: verifyArgv(dir, vkey), env: JS_HASH, check: mustPass },
    ...(go
      ? [
          {
            name: 'Go x/mod tlog peer',
            argv: [go, dir, vkey],
            check: (s: Sample) => {
              if ((JSON.parse(s.out) as { ok?: boolean }).ok !== true) throw new Error('Go peer failed');
            },
          },
        ]
      : []),
  ];
  const res = await interleaved(cases, samples);
  const goBest = go ? best(res[2]!) : Number.NaN;
  return {
    entries: n,
    hashing: runOf(bestSample(res[0]!)).stats.hashing,
    cases: res.map((r) => rec(r.name, r, { x_go: go ? round(best(r) / goBest) : undefined })),
  };
}

async function bundleVsNative(n: number, bound: string | undefined): Promise<Record<string, unknown>> {
  const { dir, vkey } = gen('synthetic', n);
  const file = join(dir, 'entries.jsonl');
  warm(file);
  say(`bundle, ${nf(n)} entries: Proofdesk 1 and 2 workers vs the native bound (C, OpenSSL, 1 core)`);
  const cases = [
    ...(bound
      ? [
          { name: 'native bound (C + OpenSSL, 1 core)', argv: [bound, file] },
          { name: 'native bound + file digest', argv: [bound, file, '--file-digest'] },
        ]
      : []),
    { name: 'proofdesk, 1 worker', argv: verifyArgv(dir, vkey, 1), check: mustPass },
    { name: 'proofdesk, 2 workers', argv: verifyArgv(dir, vkey, 2), check: mustPass },
    { name: 'proofdesk, 1 worker, node:crypto hashing', argv: verifyArgv(dir, vkey, 1), env: JS_HASH, check: mustPass },
    {
      name: 'proofdesk, 2 workers, node:crypto hashing',
      argv: verifyArgv(dir, vkey, 2),
      env: JS_HASH,
      check: mustPass,
    },
  ];
  const res = await interleaved(cases, SAMPLES + (bound ? 2 : 0));
  const nodeBound = Array.from({ length: SAMPLES + 2 }, () => nodeCryptoBound(file, n));
  let rootCheck = 'native bound skipped';
  let natBest = Number.NaN;
  if (bound) {
    natBest = best(res[0]!);
    const nat = JSON.parse(res[0]!.samples[0]!.out) as { root: string; entries: number; chain_breaks: number };
    const pd = runOf(res[2]!.samples[0]!).result;
    const cp = pd.checkpoints.find((c) => c.size === nat.entries);
    const same = cp?.computedRoot === nat.root;
    rootCheck = `native bound root ${nat.root.slice(0, 16)}… over ${nf(nat.entries)} entries (${nat.chain_breaks} chain breaks) ${same ? 'equals' : 'DIFFERS FROM'} Proofdesk's computed root at that size`;
    say(rootCheck);
    if (!same) process.exitCode = 1;
  }
  const nb = Math.min(...nodeBound);
  return {
    entries: n,
    bytes: statSync(file).size,
    rootCheck,
    hashing: runOf(bestSample(res[bound ? 2 : 0]!)).stats.hashing,
    node_crypto_bound_s: round(nb),
    cases: [
      ...res.map((r) => rec(r.name, r, { x_native: bound ? round(best(r) / natBest) : undefined })),
      {
        name: 'node:crypto bound (in-process)',
        best_s: round(nb),
        median_s: round([...nodeBound].sort((a, b) => a - b)[Math.floor(nodeBound.length / 2)]!),
        samples: nodeBound.length,
        x_native: bound ? round(nb / natBest) : undefined,
      },
    ],
  };
}

async function scaling(n: number): Promise<Record<string, unknown>> {
  const { dir, vkey } = gen('synthetic', n);
  warm(join(dir, 'entries.jsonl'));
  say(`bundle, ${nf(n)} entries: 1 vs 2 workers (scaling, peak RSS)`);
  const res = await interleaved(
    [
      { name: 'proofdesk, 1 worker', argv: verifyArgv(dir, vkey, 1), check: mustPass },
      { name: 'proofdesk, 2 workers', argv: verifyArgv(dir, vkey, 2), check: mustPass },
    ],
    Math.max(2, SAMPLES - 1),
  );
  return {
    entries: n,
    bytes: statSync(join(dir, 'entries.jsonl')).size,
    speedup: round(best(res[0]!) / best(res[1]!), 2),
    cases: res.map((r) => rec(r.name, r)),
  };
}

async function shapes(n: number): Promise<Record<string, unknown>> {
  const inputs = ['synthetic', 'k8s', 'cloudtrail', 'applog'].map((s) => ({ shape: s, ...gen(s, n) }));
  for (const i of inputs) warm(join(i.dir, 'entries.jsonl'));
  say(`audit-shaped bundles, ${nf(n)} entries each: 1 and 2 workers`);
  const cases = inputs.flatMap((i) =>
    [1, 2].map((w) => ({
      name: `${i.shape}, ${w} worker${w > 1 ? 's' : ''}`,
      argv: verifyArgv(i.dir, i.vkey, w),
      check: mustPass,
    })),
  );
  const res = await interleaved(cases, SAMPLES);
  return {
    entries: n,
    rows: inputs.map((i, k) => {
      const one = res[2 * k]!;
      const two = res[2 * k + 1]!;
      const bytes = statSync(join(i.dir, 'entries.jsonl')).size;
      return {
        shape: i.shape,
        mb: round(bytes / 1e6, 0),
        avg_line_b: round(bytes / n, 0),
        one: rec(one.name, one, {
          us_per_entry: round((best(one) / n) * 1e6, 2),
          mb_s: round(bytes / 1e6 / best(one), 1),
        }),
        two: rec(two.name, two, {
          us_per_entry: round((best(two) / n) * 1e6, 2),
          mb_s: round(bytes / 1e6 / best(two), 1),
        }),
        speedup: round(best(one) / best(two), 2),
      };
    }),
  };
}

async function signatures(n: number): Promise<Record<string, unknown>> {
  const signed = gen('signed', n);
  const plain = gen('synthetic', n);
  const entryKey = signed.entryKey!;
  say(`entry signatures, ${nf(n)} signed entries vs a plain crypto.verify loop`);
  const plainRate = Math.max(...Array.from({ length: SAMPLES }, () => plainVerifyLoop(signed.dir, entryKey, n)));
  const res = await interleaved(
    [1, 2].flatMap((w) => [
      { name: `unsigned, ${w} worker(s)`, argv: verifyArgv(plain.dir, plain.vkey, w), check: mustPass },
      { name: `signed, ${w} worker(s)`, argv: verifyArgv(signed.dir, signed.vkey, w, entryKey), check: mustPass },
    ]),
    SAMPLES,
  );
  const rows = [1, 2].map((w, k) => {
    const unsigned = best(res[2 * k]!);
    const withSigs = best(res[2 * k + 1]!);
    // Signature work per core: the extra time signing adds, times the cores that shared it.
    const perCore = n / Math.max(1e-9, (withSigs - unsigned) * w);
    const v = runOf(bestSample(res[2 * k + 1]!)).result;
    return {
      workers: w,
      unsigned_s: round(unsigned),
      signed_s: round(withSigs),
      per_core: Math.round(perCore),
      plain: Math.round(plainRate),
      ratio: round(perCore / plainRate),
      verdict: v.verdict,
    };
  });
  return { entries: n, rows };
}

async function diffAndReport(n: number): Promise<Record<string, unknown>> {
  const a = gen('synthetic', n);
  const b = gen('synthetic', n + 1_000);
  say(`diff of ${nf(n)} vs ${nf(n + 1_000)} entries, and a signed report of ${nf(n)}`);
  const d = await timed([process.execPath, CLI, 'diff', a.dir, b.dir, '--trust', a.vkey, '--json']);
  const verdict = (JSON.parse(d.out) as { result?: { verdict?: string } }).result?.verdict;
  if (verdict !== 'B_EXTENDS_A') throw new Error(`bench diff gave ${verdict}`);
  const examiner = join(CACHE, 'examiner');
  if (!existsSync(`${examiner}.key`)) {
    const k = await timed([
      process.execPath,
      CLI,
      'keygen',
      '--out',
      examiner,
      '--name',
      'Bench Examiner',
      '--no-passphrase',
    ]);
    if (k.code !== 0) throw new Error('keygen failed');
  }
  const reportDir = join(CACHE, 'report-out');
  rmSync(reportDir, { recursive: true, force: true });
  const plain = await timed(verifyArgv(a.dir, a.vkey));
  const withReport = await timed([
    ...verifyArgv(a.dir, a.vkey),
    '--report',
    reportDir,
    '--examiner-key',
    `${examiner}.key`,
  ]);
  const pdf = join(reportDir, 'report.pdf');
  return {
    entries: n,
    diff_s: round(d.wall_s),
    diff_rss_mb: round(d.peak_rss_mb, 1),
    verdict,
    verify_s: round(plain.wall_s),
    report_s: round(withReport.wall_s),
    pdf_kib: existsSync(pdf) ? Math.round(statSync(pdf).size / 1024) : 0,
  };
}

// ── the document ────────────────────────────────────────────────────────────────────────

interface Results {
  machine: Record<string, string | number>;
  started: string;
  finished: string;
  quick: boolean;
  uptimeBefore: string;
  uptimeAfter: string;
  bounds: { go?: string; native?: string; goSkipped?: string; nativeSkipped?: string };
  startup: Record<string, unknown>;
  tiles: Array<Record<string, unknown>>;
  native: Record<string, unknown>;
  scaling: Record<string, unknown>;
  shapes: Record<string, unknown>;
  signatures: Record<string, unknown>;
  other: Record<string, unknown>;
}

type Row = Record<string, number | string | undefined>;

function table(head: string[], rows: Array<Array<string | number | undefined>>): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((x) => (x === undefined ? '' : String(x))).join(' | ')} |`),
  ];
}

function caseRows(cases: Row[], ratioKey?: string): Array<Array<string | number | undefined>> {
  return cases.map((c) => [
    String(c.name),
    f(Number(c.best_s)),
    f(Number(c.median_s)),
    c.user_s !== undefined ? f(Number(c.user_s), 2) : '',
    c.peak_rss_mb !== undefined ? f(Number(c.peak_rss_mb), 0) : '',
    ratioKey && c[ratioKey] !== undefined ? `${f(Number(c[ratioKey]), 2)}×` : '',
  ]);
}

/** The goals of issue 16, each judged from the run's figures. */
function goals(r: Results): Array<{ goal: string; target: string; measured: string; met: boolean | undefined }> {
  const out: Array<{ goal: string; target: string; measured: string; met: boolean | undefined }> = [];
  const byName = (cases: unknown, name: string) => (cases as Row[]).find((c) => c.name === name);
  for (const t of r.tiles) {
    const pd = byName(t.cases, 'proofdesk verify');
    const x = pd?.x_go;
    out.push({
      goal: `1. tiled log, ${nf(Number(t.entries))} leaves, vs Go x/mod tlog`,
      target: '≤ 1.0× Go',
      measured:
        x === undefined
          ? 'Go peer skipped'
          : `${f(Number(x), 2)}× (${f(Number(pd?.best_s))} s vs ${f(Number(byName(t.cases, 'Go x/mod tlog peer')?.best_s))} s)`,
      met: x === undefined ? undefined : Number(x) <= 1.0,
    });
  }
  const two = byName(r.native.cases, 'proofdesk, 2 workers');
  out.push({
    goal: `2. bundle, ${nf(Number(r.native.entries))} entries, 2 workers vs native single-core bound`,
    target: '≤ 1.5×',
    measured: two?.x_native === undefined ? 'native bound skipped' : `${f(Number(two.x_native), 2)}×`,
    met: two?.x_native === undefined ? undefined : Number(two.x_native) <= 1.5,
  });
  const bigTiles = r.tiles.find((t) => Number(t.entries) === BIG);
  const tilesRss = bigTiles ? Number(byName(bigTiles.cases, 'proofdesk verify')?.peak_rss_mb) : Number.NaN;
  out.push({
    goal: `3. peak RSS, tiled log of ${nf(BIG)} leaves`,
    target: '≤ 200 MB',
    measured: `${f(tilesRss, 0)} MB`,
    met: Number.isFinite(tilesRss) ? tilesRss <= 200 : undefined,
  });
  for (const c of r.scaling.cases as Row[]) {
    out.push({
      goal: `3. peak RSS, bundle of ${nf(Number(r.scaling.entries))} entries, ${String(c.name).replace('proofdesk, ', '')}`,
      target: '≤ 200 MB',
      measured: `${f(Number(c.peak_rss_mb), 0)} MB`,
      met: Number(c.peak_rss_mb) <= 200,
    });
  }
  for (const c of (r.startup.cases as Row[]).slice(1)) {
    out.push({
      goal: `4. start-up, \`${String(c.name)}\``,
      target: '≤ 1.5× bare node',
      measured: `${f(Number(c.x_node), 2)}× (${f(Number(c.best_s))} s vs ${f(Number((r.startup.cases as Row[])[0]!.best_s))} s)`,
      met: Number(c.x_node) <= 1.5,
    });
  }
  out.push({
    goal: `5. scaling, ${nf(Number(r.scaling.entries))} entries, 2 workers vs 1`,
    target: '≥ 1.8×',
    measured: `${f(Number(r.scaling.speedup), 2)}×`,
    met: Number(r.scaling.speedup) >= 1.8,
  });
  for (const s of r.signatures.rows as Row[]) {
    out.push({
      goal: `6. entry signatures per core, ${s.workers} worker(s), vs a plain crypto.verify loop`,
      target: '≥ 90%',
      measured: `${f(Number(s.ratio) * 100, 0)}% (${nf(Number(s.per_core))} vs ${nf(Number(s.plain))} /s)`,
      met: Number(s.ratio) >= 0.9,
    });
  }
  return out;
}

function performanceDoc(r: Results): string {
  const m = r.machine;
  const L: string[] = [
    '# Performance',
    '',
    `Measured by \`npm run bench\`${r.quick ? ' (--quick)' : ''} from ${r.started} to ${r.finished}: ${m.cpu}, ${m.cores} cores,`,
    `${m.memory_gb} GiB, Node ${m.node}, ${m.os}. The machine is shared: \`uptime\` before the run said`,
    `"${r.uptimeBefore}" and after it "${r.uptimeAfter}"; every sample's 1-minute load average is in`,
    '`bench/results.json`. So every comparison below is made inside this one run, on the same cores, between',
    'whole processes run interleaved (A B A B …), each keeping its best sample: noise only ever adds time.',
    `Samples per case: ${SAMPLES} (start-up: 15; the native bound: ${SAMPLES + 2}).`,
    '',
    'Hashing: the hot hashing (leaf hashes, chain links, block and tile roots) runs in the native addon',
    `(native/, built at \`npm ci\`) where it is built; this run used: bundles \`${String(r.native.hashing)}\`, tiled logs`,
    `\`${String(r.tiles[0]?.hashing)}\`. The rows marked "node:crypto hashing" ran with the addon switched off`,
    '(`PROOFDESK_NATIVE_HASH=0`): the path every installation has.',
    '',
    '## Goals (issue 16)',
    '',
    '| goal | target | this run | |',
    '|---|---|---|---|',
    ...goals(r).map(
      (g) =>
        `| ${g.goal} | ${g.target} | ${g.measured} | ${g.met === undefined ? 'not measured' : g.met ? 'met' : '**missed**'} |`,
    ),
    '',
  ];
  const bounds = r.bounds;
  L.push(
    '## Bounds and peer, side by side',
    '',
    `Go peer: ${bounds.go ? '`bench/peers/go-tlog` (x/mod `tlog` + `note`, Debian golang-go and golang-golang-x-mod-dev)' : `skipped: ${bounds.goSkipped}`}.`,
    `Native bound: ${bounds.native ? '`bench/native/bound.c` (gcc -O2, OpenSSL libcrypto, one core)' : `skipped: ${bounds.nativeSkipped}`}.`,
    '',
  );
  for (const t of r.tiles) {
    L.push(`### Tiled log (C2SP tlog-tiles), ${nf(Number(t.entries))} leaves`, '');
    L.push(
      ...table(['case', 'best s', 'median s', 'user s', 'peak RSS MB', '× Go'], caseRows(t.cases as Row[], 'x_go')),
      '',
    );
  }
  L.push(
    `### Bundle, ${nf(Number(r.native.entries))} entries (${f(Number(r.native.bytes) / 1e6, 0)} MB), against the native bound`,
    '',
  );
  L.push(
    ...table(
      ['case', 'best s', 'median s', 'user s', 'peak RSS MB', '× native'],
      caseRows(r.native.cases as Row[], 'x_native'),
    ),
  );
  L.push('', `Root check: ${String(r.native.rootCheck)}.`, '');
  L.push(
    `### Bundle, ${nf(Number(r.scaling.entries))} entries (${f(Number(r.scaling.bytes) / 1e9, 2)} GB): scaling and memory`,
    '',
  );
  L.push(...table(['case', 'best s', 'median s', 'user s', 'peak RSS MB', ''], caseRows(r.scaling.cases as Row[])));
  L.push('', `2 workers vs 1: ${f(Number(r.scaling.speedup), 2)}× faster.`, '');
  L.push(`### Event shapes, ${nf(Number(r.shapes.entries))} entries each`, '');
  L.push(
    "Synthetic is the older bench's event; the others are shaped like real audit logs (test/support/audit-events.ts):",
    'Kubernetes audit events, CloudTrail records, and application logs whose events carry their own `seq`,',
    "`ts` and `time` (nested names the entry scan must not confuse with the entry's own).",
    '',
  );
  L.push(
    ...table(
      [
        'shape',
        'MB',
        'line B',
        '1 worker s',
        'µs/entry',
        'MB/s',
        '2 workers s',
        'µs/entry',
        'MB/s',
        '2 vs 1',
        'peak RSS MB',
      ],
      (r.shapes.rows as Array<Record<string, unknown>>).map((x) => {
        const one = x.one as Row;
        const two = x.two as Row;
        return [
          String(x.shape),
          Number(x.mb),
          Number(x.avg_line_b),
          f(Number(one.best_s)),
          f(Number(one.us_per_entry), 2),
          f(Number(one.mb_s), 1),
          f(Number(two.best_s)),
          f(Number(two.us_per_entry), 2),
          f(Number(two.mb_s), 1),
          `${f(Number(x.speedup), 2)}×`,
          f(Math.max(Number(one.peak_rss_mb), Number(two.peak_rss_mb)), 0),
        ];
      }),
    ),
    '',
  );
  L.push(`### Entry signatures, ${nf(Number(r.signatures.entries))} signed entries`, '');
  L.push(
    'Per core = entries / ((signed verify time − unsigned verify time of the same events) × workers); plain = a',
    '`crypto.verify` loop over the same signatures and messages on one core (best of the samples).',
    '',
  );
  L.push(
    ...table(
      ['workers', 'unsigned s', 'signed s', 'per core /s', 'plain loop /s', 'per core / plain'],
      (r.signatures.rows as Row[]).map((s) => [
        Number(s.workers),
        f(Number(s.unsigned_s)),
        f(Number(s.signed_s)),
        nf(Number(s.per_core)),
        nf(Number(s.plain)),
        `${f(Number(s.ratio) * 100, 0)}%`,
      ]),
    ),
    '',
  );
  L.push('### Start-up', '');
  L.push(
    ...table(
      ['command', 'best s', 'median s', 'user s', 'peak RSS MB', '× node -e 0'],
      caseRows(r.startup.cases as Row[], 'x_node'),
    ),
    '',
  );
  const o = r.other as Row;
  L.push(
    '### Other operations',
    '',
    `- diff of ${nf(Number(o.entries))} vs ${nf(Number(o.entries) + 1000)} entries (both verified): ${f(Number(o.diff_s))} s, ${String(o.verdict)}, peak RSS ${f(Number(o.diff_rss_mb), 0)} MB.`,
    `- signed report: verify ${f(Number(o.verify_s))} s, with \`--report\` ${f(Number(o.report_s))} s (PDF ${String(o.pdf_kib)} KiB).`,
    '',
  );
  const notes = join(ROOT, 'bench', 'profile-notes.md');
  if (existsSync(notes)) L.push(...readFileSync(notes, 'utf8').split('\n'));
  return `${L.join('\n').replace(/\n+$/, '')}\n`;
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

async function main(): Promise<void> {
  const resultsFile = join(ROOT, 'bench', 'results.json');
  if (process.argv.includes('--doc-only')) {
    // Re-renders docs/performance.md from bench/results.json (after editing bench/profile-notes.md).
    writeFileSync(join(ROOT, 'docs', 'performance.md'), performanceDoc(JSON.parse(readFileSync(resultsFile, 'utf8'))));
    return;
  }
  const uptimeBefore = uptime();
  say(`uptime before: ${uptimeBefore}`);
  const started = new Date().toISOString();
  const go = build('peers/build-go.sh', 'Go x/mod tlog peer');
  const native = build('native/build.sh', 'native bound');
  // Inputs first, so that generating them does not share the cores with a measurement.
  for (const [shape, n] of [
    ['tiles', M],
    ['tiles', BIG],
    ['synthetic', M],
    ['synthetic', BIG],
    ['synthetic', M + 1000],
    ['k8s', M],
    ['cloudtrail', M],
    ['applog', M],
    ['signed', SIGNED],
    ['synthetic', SIGNED],
  ] as const)
    gen(shape, n);

  const r: Results = {
    machine: machine(),
    started,
    finished: '',
    quick,
    uptimeBefore,
    uptimeAfter: '',
    bounds: {
      ...(go.path ? { go: go.path } : { goSkipped: go.skipped }),
      ...(native.path ? { native: native.path } : { nativeSkipped: native.skipped }),
    },
    startup: await startup(),
    tiles: [await tiles(M, go.path, SAMPLES), await tiles(BIG, go.path, Math.max(2, SAMPLES - 1))],
    native: await bundleVsNative(M, native.path),
    scaling: await scaling(BIG),
    shapes: await shapes(M),
    signatures: await signatures(SIGNED),
    other: await diffAndReport(M),
  };
  r.finished = new Date().toISOString();
  r.uptimeAfter = uptime();
  say(`uptime after: ${r.uptimeAfter}`);
  writeFileSync(resultsFile, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(ROOT, 'docs', 'performance.md'), performanceDoc(r));
  say('wrote bench/results.json and docs/performance.md');
  for (const g of goals(r))
    say(`${g.met === undefined ? '?' : g.met ? 'met' : 'MISSED'}  ${g.goal}: ${g.measured} (${g.target})`);
}

await main();
