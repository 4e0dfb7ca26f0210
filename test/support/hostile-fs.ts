/**
 * Real named pipes for tests of hostile evidence. A plain open(2) of a FIFO blocks until a
 * writer appears, inside a synchronous call that no test timeout can interrupt. So every FIFO
 * made here comes with a releaser: a child process that opens it read-write every
 * RELEASE_AFTER_MS (which unblocks a blocked reader) and closes it a moment later (EOF). Code that
 * wrongly opens the FIFO therefore returns late instead of hanging the test run, and the test
 * tells the regression by the time it took (`prompt`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';

export const RELEASE_AFTER_MS = 3000;
/** A refusal that arrives later than this waited on the pipe. */
export const PROMPT_MS = 1500;

const releasers = new Set<ChildProcess>();

/** Creates a FIFO at `path` (mkfifo(1)) and starts its releaser. */
export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
  const seconds = (RELEASE_AFTER_MS / 1000).toFixed(1);
  // Every few seconds, for a minute: a reader that opened late is released as well.
  const script = `for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep ${seconds}; [ -p "$0" ] || exit 0; exec 3<>"$0"; sleep 0.2; exec 3<&-; done`;
  const child = spawn('sh', ['-c', script, path], { stdio: 'ignore' });
  releasers.add(child);
  child.on('exit', () => releasers.delete(child));
}

/** Stops the releasers this module started (by their own pids). */
export function stopReleasers(): void {
  for (const c of releasers) c.kill('SIGKILL');
  releasers.clear();
}

/** Runs `fn` and returns what it threw (or undefined) and how long it took. */
export async function timed(fn: () => unknown): Promise<{ error: unknown; value: unknown; ms: number }> {
  const t = Date.now();
  try {
    const value = await fn();
    return { error: undefined, value, ms: Date.now() - t };
  } catch (error) {
    return { error, value: undefined, ms: Date.now() - t };
  }
}
