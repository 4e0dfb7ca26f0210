/** Runs the CLI in-process with its output captured, as the case tests drive it. */
import { expect } from 'vitest';
import type { CliIO } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A `cli(args)` and a `json(args, code)` bound to a working directory (read at each call). */
export function caseCli(cwd: () => string): {
  cli: (args: string[]) => Promise<CliRun>;
  json: <T>(args: string[], expectCode?: number) => Promise<T>;
} {
  const cli = async (args: string[]): Promise<CliRun> => {
    let out = '';
    let err = '';
    const io: CliIO = {
      out: (s) => (out += s),
      err: (s) => (err += s),
      env: { PROOFDESK_EXAMINER: 'Jane Examiner' },
      stdinIsTTY: false,
      stderrIsTTY: false,
      cwd: cwd(),
    };
    const code = await runCli(args, io);
    return { code, out, err };
  };
  const json = async <T>(args: string[], expectCode = 0): Promise<T> => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(expectCode);
    return JSON.parse(r.out) as T;
  };
  return { cli, json };
}
