/**
 * What the benches share: whole processes timed from spawn to exit with GNU time's peak RSS and
 * CPU times, cases interleaved (A B A B …) with the best sample kept (noise on a shared machine
 * only adds time), the inputs of bench/gen-logs.ts, and the helpers built by shell scripts (the
 * Go x/mod tlog peer, the native bound), skipped with a message where they cannot be built.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CACHE = join(ROOT, 'bench', 'cache');
export const CLI = join(ROOT, 'bin', 'proofdesk.js');

export function say(s: string): void {
  process.stderr.write(`${s}\n`);
}

export interface Sample {
  readonly wall_s: number;
  readonly peak_rss_mb: number;
  readonly user_s: number;
  readonly sys_s: number;
  readonly code: number;
  readonly out: string;
  /** 1-minute load average when the sample ended (other processes on the machine). */
  readonly load1: number;
}

/** Runs argv under GNU time -v: wall time measured here, peak RSS and CPU times from time. */
export function timed(argv: readonly string[], env?: Record<string, string>): Promise<Sample> {
  mkdirSync(CACHE, { recursive: true });
  const tf = join(CACHE, '.time-v');
  const of = join(CACHE, '.stdout');
  rmSync(tf, { force: true });
  const gnuTime = existsSync('/usr/bin/time');
  // stdout goes to a file, not a pipe: a large `verify --json` is read back whole from there.
  const outFd = openSync(of, 'w');
  const [cmd, ...args] = gnuTime ? ['/usr/bin/time', '-v', '-o', tf, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd!, args, {
      stdio: ['ignore', outFd, 'pipe'],
      ...(env ? { env: { ...process.env, ...env } } : {}),
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall_s = (performance.now() - t0) / 1000;
      closeSync(outFd);
      const out = readFileSync(of, 'utf8');
      const tv = existsSync(tf) ? readFileSync(tf, 'utf8') : '';
      const field = (re: RegExp) => Number(re.exec(tv)?.[1] ?? Number.NaN);
      if (code !== 0 && code !== 1) say(`  ${argv.join(' ')} exited ${code}: ${err.slice(-500)}`);
      resolve({
        wall_s,
        peak_rss_mb: field(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
        user_s: field(/User time \(seconds\): ([\d.]+)/),
        sys_s: field(/System time \(seconds\): ([\d.]+)/),
        code: code ?? -1,
        out,
        load1: loadavg()[0]!,
      });
    });
  });
}

export interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: Record<string, string>;
  readonly check?: (s: Sample) => void;
}

export interface CaseResult {
  readonly name: string;
  readonly samples: Sample[];
}

/** Runs the cases interleaved, `samples` rounds; returns every sample of every case. */
export async function interleaved(cases: readonly Case[], samples: number): Promise<CaseResult[]> {
  const res = cases.map((c) => ({ name: c.name, samples: [] as Sample[] }));
  for (let k = 0; k < samples; k++) {
    for (const [j, c] of cases.entries()) {
      const s = await timed(c.argv, c.env);
      c.check?.(s);
      res[j]!.samples.push(s);
      say(
        `  round ${k + 1}/${samples} ${c.name}: ${s.wall_s.toFixed(3)} s, ${s.peak_rss_mb.toFixed(0)} MB, user ${s.user_s} s, load ${s.load1.toFixed(1)}`,
      );
    }
  }
  return res;
}

export const best = (r: CaseResult): number => Math.min(...r.samples.map((s) => s.wall_s));
export const bestSample = (r: CaseResult): Sample => r.samples.reduce((a, s) => (s.wall_s < a.wall_s ? s : a));
export const median = (r: CaseResult): number => {
  const xs = r.samples.map((s) => s.wall_s).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
};
export const peak = (r: CaseResult): number => Math.max(...r.samples.map((s) => s.peak_rss_mb));

export interface Generated {
  readonly dir: string;
  readonly vkey: string;
  readonly entryKey?: string;
}

/** An input of bench/gen-logs.ts (generated once, cached under bench/cache/). */
export function gen(shape: string, n: number): Generated {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'gen-logs.ts'), shape, String(n)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`gen-logs ${shape} ${n} failed`);
  return JSON.parse(r.stdout) as Generated;
}

/** Builds a helper with its script; undefined (and the script's reason) where it cannot be built. */
export function build(script: string, what: string): { path?: string; skipped?: string } {
  const r = spawnSync('bash', [join(ROOT, 'bench', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    const why = (r.stderr || '').trim().split('\n').pop() ?? `exit ${r.status}`;
    say(`${what}: skipped (${why})`);
    return { skipped: why };
  }
  return { path: r.stdout.trim() };
}

/** Reads a file once so that the timed runs read it from the page cache. */
export function warm(file: string): void {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
}

/** `proofdesk verify <dir> --trust <vkey> --json [--workers N] [--entry-key K]`. */
export function verifyArgv(dir: string, vkey: string, workers?: number, entryKey?: string): string[] {
  return [
    process.execPath,
    CLI,
    'verify',
    dir,
    '--trust',
    vkey,
    '--json',
    ...(workers ? ['--workers', String(workers)] : []),
    ...(entryKey ? ['--entry-key', entryKey] : []),
  ];
}

/** Checks that a `verify --json` sample passed. */
export function mustPass(s: Sample): void {
  const v = (JSON.parse(s.out) as { result: { verdict: string } }).result.verdict;
  if (v !== 'PASS') throw new Error(`verify gave ${v}`);
}

export function uptime(): string {
  const r = spawnSync('uptime', [], { encoding: 'utf8' });
  return r.status === 0
    ? r.stdout.trim()
    : `load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(', ')}`;
}
