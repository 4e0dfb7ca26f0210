/**
 * `tsx bench/issue-16.ts <tiles|native|shapes|startup> [--samples N] [--n N]`: the side-by-side
 * measurements behind bench/issue-16-plan.md. Run it under `nice -n 5` on a shared machine.
 *
 * Every case is a whole process timed from spawn to exit, with GNU time's peak RSS. The cases
 * of one comparison are interleaved (A B A B …) and each keeps the best of its samples, since
 * noise on a shared machine only adds time. Inputs come from bench/gen-logs.ts (cached under
 * bench/cache/); the Go peer and the native bound are built by bench/peers/build-go.sh and
 * bench/native/build.sh, and skipped with a message where they cannot be built.
 *
 *   tiles    Proofdesk `verify` vs the Go x/mod tlog peer on a tlog-tiles log of n leaves
 *   native   Proofdesk `verify` (1 and 2 workers) vs the native bound (C + OpenSSL) and the
 *            node:crypto bound of bench/run.ts, on the synthetic n-entry bundle; checks that
 *            the native bound's root equals the root Proofdesk computes
 *   shapes   Proofdesk `verify` on n-entry bundles of the synthetic and the audit-event shapes
 *   startup  `proofdesk --version` and `verify --help` vs bare `node -e 0` (hyperfine when present)
 *
 * Writes bench/cache/issue-16-<case>.json and prints a Markdown table on stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, hash as cryptoHash } from 'node:crypto';
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
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(ROOT, 'bench', 'cache');
const CLI = join(ROOT, 'bin', 'proofdesk.js');
const arg = (name: string, dflt: number): number => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : dflt;
};
const SAMPLES = arg('--samples', 5);
const N = arg('--n', 1_000_000);

function say(s: string): void {
  process.stderr.write(s + '\n');
}

interface Sample {
  readonly wall_s: number;
  readonly peak_rss_mb: number;
  readonly user_s: number;
  readonly sys_s: number;
  readonly code: number;
  readonly out: string;
}

/** Runs argv under GNU time -v: wall time measured here, peak RSS and CPU times from time. */
function timed(argv: readonly string[]): Promise<Sample> {
  const tf = join(CACHE, '.time-v');
  const of = join(CACHE, '.stdout');
  rmSync(tf, { force: true });
  // stdout goes to a file, not a pipe: `proofdesk verify --json` exits with process.exit() right
  // after writing, and through a pipe its output is cut at 128 KiB (a tiled log's is 1.5 MB).
  const outFd = openSync(of, 'w');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-v', '-o', tf, ...argv], { stdio: ['ignore', outFd, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall_s = (performance.now() - t0) / 1000;
      closeSync(outFd);
      const out = readFileSync(of, 'utf8');
      const tv = existsSync(tf) ? readFileSync(tf, 'utf8') : '';
      const field = (re: RegExp) => Number(re.exec(tv)?.[1] ?? NaN);
      if (code !== 0 && code !== 1) say(`  ${argv.join(' ')} exited ${code}: ${err.slice(-500)}`);
      resolve({
        wall_s,
        peak_rss_mb: field(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
        user_s: field(/User time \(seconds\): ([\d.]+)/),
        sys_s: field(/System time \(seconds\): ([\d.]+)/),
        code: code ?? -1,
        out,
      });
    });
  });
}

interface CaseResult {
  readonly name: string;
  readonly samples: Sample[];
}

/** Runs the cases interleaved, SAMPLES rounds; returns every sample of every case. */
async function interleaved(
  cases: ReadonlyArray<{ name: string; argv: readonly string[]; check?: (s: Sample) => void }>,
  samples = SAMPLES,
): Promise<CaseResult[]> {
  const res = cases.map((c) => ({ name: c.name, samples: [] as Sample[] }));
  for (let k = 0; k < samples; k++) {
    for (const [j, c] of cases.entries()) {
      const s = await timed(c.argv);
      c.check?.(s);
      res[j]!.samples.push(s);
      say(
        `  round ${k + 1}/${samples} ${c.name}: ${s.wall_s.toFixed(3)} s, ${s.peak_rss_mb.toFixed(0)} MB, user ${s.user_s} s`,
      );
    }
  }
  return res;
}

const best = (r: CaseResult) => Math.min(...r.samples.map((s) => s.wall_s));
const median = (r: CaseResult) => {
  const xs = r.samples.map((s) => s.wall_s).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
};
const peak = (r: CaseResult) => Math.max(...r.samples.map((s) => s.peak_rss_mb));
const f3 = (x: number) => x.toFixed(3);

function gen(shape: string): { dir: string; vkey: string } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'gen-logs.ts'), shape, String(N)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`gen-logs ${shape} failed`);
  return JSON.parse(r.stdout) as { dir: string; vkey: string };
}

/** Builds a helper with its script; undefined (and a message) where it cannot be built. */
function build(script: string, what: string): string | undefined {
  const r = spawnSync('bash', [join(ROOT, 'bench', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    say(`${what}: skipped (${(r.stderr || '').trim().split('\n').pop()})`);
    return undefined;
  }
  return r.stdout.trim();
}

function verifyArgv(dir: string, vkey: string, workers?: number): string[] {
  return [
    process.execPath,
    CLI,
    'verify',
    dir,
    '--trust',
    vkey,
    '--json',
    ...(workers ? ['--workers', String(workers)] : []),
  ];
}

function mustPass(s: Sample): void {
  const v = (JSON.parse(s.out) as { result: { verdict: string } }).result.verdict;
  if (v !== 'PASS') throw new Error(`verify gave ${v}`);
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function save(name: string, data: unknown): void {
  writeFileSync(
    join(CACHE, `issue-16-${name}.json`),
    JSON.stringify({ when: new Date().toISOString(), samples: SAMPLES, n: N, data }, null, 2) + '\n',
  );
}

async function tiles(): Promise<string> {
  const { dir, vkey } = gen('tiles');
  const go = build('peers/build-go.sh', 'Go x/mod tlog peer');
  const cases = [{ name: 'proofdesk verify', argv: verifyArgv(dir, vkey), check: mustPass }];
  if (go)
    cases.push({
      name: 'Go x/mod tlog',
      argv: [go, dir, vkey],
      check: (s: Sample) =>
        void (
          JSON.parse(s.out).ok !== true &&
          (() => {
            throw new Error('Go peer failed');
          })()
        ),
    });
  const res = await interleaved(cases);
  save(
    'tiles',
    res.map((r) => ({
      name: r.name,
      wall_s: r.samples.map((s) => s.wall_s),
      peak_rss_mb: r.samples.map((s) => s.peak_rss_mb),
      user_s: r.samples.map((s) => s.user_s),
    })),
  );
  const goBest = go ? best(res[1]!) : NaN;
  return table(
    ['case', 'best s', 'median s', 'user s (best run)', 'peak RSS MB', '× Go'],
    res.map((r) => {
      const b = r.samples.reduce((a, s) => (s.wall_s < a.wall_s ? s : a));
      return [r.name, f3(best(r)), f3(median(r)), b.user_s, peak(r).toFixed(0), go ? f3(best(r) / goBest) : 'n/a'];
    }),
  );
}

/** bench/run.ts's primitive bound: streamed node:crypto SHA-256 of the file plus 2n node hashes. */
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

async function native(): Promise<string> {
  const { dir, vkey } = gen('synthetic');
  const file = join(dir, 'entries.jsonl');
  const bound = build('native/build.sh', 'native bound');
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] }); // page cache
  const cases: Array<{ name: string; argv: string[]; check?: (s: Sample) => void }> = [];
  if (bound)
    cases.push(
      { name: 'native bound (C, OpenSSL, 1 core)', argv: [bound, file] },
      { name: 'native bound + file digest', argv: [bound, file, '--file-digest'] },
    );
  cases.push(
    { name: 'proofdesk verify, 1 worker', argv: verifyArgv(dir, vkey, 1), check: mustPass },
    { name: 'proofdesk verify, 2 workers', argv: verifyArgv(dir, vkey, 2), check: mustPass },
  );
  const res = await interleaved(cases);
  const nodeBound: number[] = [];
  for (let k = 0; k < SAMPLES; k++) nodeBound.push(nodeCryptoBound(file, N));
  let rootCheck = 'native bound skipped';
  if (bound) {
    const nat = JSON.parse(res[0]!.samples[0]!.out) as { root: string; entries: number; chain_breaks: number };
    const pd = JSON.parse(res[2]!.samples[0]!.out) as {
      result: { checkpoints: Array<{ size: number; computedRoot?: string; rootHash?: string }> };
    };
    const cp = pd.result.checkpoints.find((c) => c.size === nat.entries);
    const same = cp?.computedRoot === nat.root;
    rootCheck = `root check: native ${nat.root} (${nat.entries} entries, ${nat.chain_breaks} chain breaks) vs Proofdesk computed root at size ${cp?.size}: ${cp?.computedRoot} → ${same ? 'EQUAL' : 'DIFFERENT'}`;
    say(rootCheck);
    if (!same) process.exitCode = 1;
  }
  // In-process timing of the native bound, as it prints (excludes process start).
  const inner = bound
    ? Math.min(...res[0]!.samples.map((s) => (JSON.parse(s.out) as { seconds: number }).seconds))
    : NaN;
  const natBest = bound ? best(res[0]!) : NaN;
  save('native', {
    rootCheck,
    node_crypto_bound_s: nodeBound,
    native_inner_s: inner,
    cases: res.map((r) => ({
      name: r.name,
      wall_s: r.samples.map((s) => s.wall_s),
      peak_rss_mb: r.samples.map((s) => s.peak_rss_mb),
      user_s: r.samples.map((s) => s.user_s),
    })),
  });
  const rows = res.map((r) => [
    r.name,
    f3(best(r)),
    f3(median(r)),
    peak(r).toFixed(0),
    bound ? f3(best(r) / natBest) : 'n/a',
  ]);
  rows.push([
    'node:crypto bound (bench/run.ts, in-process)',
    f3(Math.min(...nodeBound)),
    f3([...nodeBound].sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!),
    '',
    bound ? f3(Math.min(...nodeBound) / natBest) : 'n/a',
  ]);
  return (
    table(['case', 'best s', 'median s', 'peak RSS MB', '× native bound'], rows) +
    `\n\nnative bound in-process (best): ${f3(inner)} s\n${rootCheck}`
  );
}

async function shapes(): Promise<string> {
  const inputs = ['synthetic', 'k8s', 'cloudtrail', 'applog'].map((s) => ({ shape: s, ...gen(s) }));
  for (const i of inputs) spawnSync('cat', [join(i.dir, 'entries.jsonl')], { stdio: ['ignore', 'ignore', 'ignore'] });
  const workers = process.argv.includes('--two') ? [1, 2] : [1];
  const cases = inputs.flatMap((i) =>
    workers.map((w) => ({
      name: `${i.shape}, ${w} worker${w > 1 ? 's' : ''}`,
      argv: verifyArgv(i.dir, i.vkey, w),
      check: mustPass,
      bytes: statSync(join(i.dir, 'entries.jsonl')).size,
    })),
  );
  const res = await interleaved(cases);
  save(
    'shapes',
    res.map((r, k) => ({
      name: r.name,
      bytes: cases[k]!.bytes,
      wall_s: r.samples.map((s) => s.wall_s),
      peak_rss_mb: r.samples.map((s) => s.peak_rss_mb),
      user_s: r.samples.map((s) => s.user_s),
    })),
  );
  return table(
    ['shape', 'MB', 'avg line B', 'best s', 'median s', 'µs/entry', 'MB/s', 'peak RSS MB'],
    res.map((r, k) => {
      const b = cases[k]!.bytes;
      return [
        r.name,
        (b / 1e6).toFixed(0),
        (b / N).toFixed(0),
        f3(best(r)),
        f3(median(r)),
        ((best(r) / N) * 1e6).toFixed(2),
        (b / 1e6 / best(r)).toFixed(1),
        peak(r).toFixed(0),
      ];
    }),
  );
}

async function startup(): Promise<string> {
  const cmds: Array<[string, string]> = [
    ['node -e 0', `${process.execPath} -e 0`],
    ['proofdesk --version', `${process.execPath} ${CLI} --version`],
    ['proofdesk verify --help', `${process.execPath} ${CLI} verify --help`],
  ];
  const hf = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  if (hf.status === 0) {
    const out = join(CACHE, 'issue-16-startup-hyperfine.json');
    const r = spawnSync(
      'hyperfine',
      [
        '-N',
        '--warmup',
        '3',
        '--runs',
        String(Math.max(10, SAMPLES)),
        '--export-json',
        out,
        ...cmds.flatMap(([n, c]) => ['-n', n, c]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) throw new Error('hyperfine failed');
    const j = JSON.parse(readFileSync(out, 'utf8')) as {
      results: Array<{ command: string; mean: number; min: number; median: number; times: number[] }>;
    };
    const base = j.results[0]!.min;
    return table(
      ['command', 'runs', 'min s', 'median s', 'mean s', '× node -e 0 (min)'],
      j.results.map((x) => [x.command, x.times.length, f3(x.min), f3(x.median), f3(x.mean), f3(x.min / base)]),
    );
  }
  say('hyperfine not installed: timing with GNU time');
  const res = await interleaved(
    cmds.map(([n, c]) => ({ name: n, argv: c.split(' ') })),
    Math.max(10, SAMPLES),
  );
  const base = best(res[0]!);
  return table(
    ['command', 'runs', 'best s', 'median s', 'peak RSS MB', '× node -e 0'],
    res.map((r) => [r.name, r.samples.length, f3(best(r)), f3(median(r)), peak(r).toFixed(0), f3(best(r) / base)]),
  );
}

const which = process.argv[2];
mkdirSync(CACHE, { recursive: true });
const run = { tiles, native, shapes, startup }[which as 'tiles'];
if (!run) {
  say('usage: tsx bench/issue-16.ts tiles|native|shapes|startup [--samples N] [--n N] [--two]');
  process.exit(2);
}
process.stdout.write((await run()) + '\n');
