/**
 * Hostile inputs run in a child process with a deadline. A regression of a hang or a
 * runaway loop sits inside a synchronous call that no vitest timeout can interrupt; a child
 * process can be killed. Each run reports how long it took and its peak resident memory, so
 * tests assert both.
 */
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './vectors.js';

export const CLI_ENTRY = join(REPO_ROOT, 'test/support/cli-entry.ts');
/** tsx by its file URL: a child running in another directory would not find the package by name. */
export const TSX = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

export interface BoundedRun {
  /** Exit code, or null when the child was killed. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Killed at the deadline. */
  readonly timedOut: boolean;
  /** Peak resident set size in MiB (from the child's own process.resourceUsage()), when it exited by itself. */
  readonly maxRssMiB?: number;
}

export interface BoundedOptions {
  readonly timeoutMs: number;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run as this uid/gid (tests run as root, which ignores file permissions). */
  readonly uid?: number;
  readonly gid?: number;
  readonly stdin?: string;
}

/** Runs `node --import tsx <args>` until it exits or the deadline passes (then SIGKILL). */
export function runBounded(args: readonly string[], o: BoundedOptions): Promise<BoundedRun> {
  const rssDir = mkdtempSync(join(tmpdir(), 'proofdesk-rss-'));
  const rssFile = join(rssDir, 'rss');
  if (o.uid !== undefined) chownSync(rssDir, o.uid, o.gid ?? o.uid);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, ...args], {
      cwd: o.cwd ?? REPO_ROOT,
      env: { ...process.env, ...o.env, PROOFDESK_TEST_RSS_FILE: rssFile },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(o.uid !== undefined ? { uid: o.uid } : {}),
      ...(o.gid !== undefined ? { gid: o.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 20) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1 << 20) stderr += d.toString();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(o.stdin ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
      rmSync(rssDir, { recursive: true, force: true });
      resolve({
        code,
        signal,
        stdout,
        stderr,
        ms: Date.now() - started,
        timedOut,
        ...(Number.isFinite(kib) ? { maxRssMiB: Math.round(kib / 1024) } : {}),
      });
    });
  });
}

/** `proofdesk <args>` as a real process (the CLI from source, through tsx). */
export function cliBounded(args: readonly string[], o: BoundedOptions): Promise<BoundedRun> {
  return runBounded([CLI_ENTRY, ...args], o);
}

/** An ES module body run as a real process; `import`s resolve from the repository root. */
export function scriptBounded(code: string, o: BoundedOptions): Promise<BoundedRun> {
  return runBounded(['--input-type=module', '-e', `${RSS_ON_EXIT}\n${code}`], o);
}

const RSS_ON_EXIT = `import { writeFileSync as __w } from 'node:fs'; process.on('exit', () => { const f = process.env.PROOFDESK_TEST_RSS_FILE; if (f) __w(f, String(process.resourceUsage().maxRSS)); });`;

/** An absolute path into the repository, quoted for an `import` in scriptBounded code. */
export function repoModule(rel: string): string {
  return JSON.stringify(join(REPO_ROOT, rel));
}

/** The first line only: ordinary failures print one line, no stack. */
export function oneLine(s: string): boolean {
  return s.trim() !== '' && !s.trim().includes('\n') && !/\n\s+at /.test(s);
}
