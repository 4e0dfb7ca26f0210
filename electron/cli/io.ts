/**
 * What a CLI command may touch besides files: its output streams, environment and terminal.
 * Commands take this as a parameter, so tests run them in-process with captured output.
 */
export interface CliIO {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdin is an interactive terminal (only then may a command prompt). */
  readonly stdinIsTTY: boolean;
  /** True when stderr is a terminal (only then is a progress bar drawn). */
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
  /** Reads a line from the terminal without echo. Only called when stdinIsTTY. */
  readonly promptSecret?: (prompt: string) => Promise<string>;
  readonly signal?: AbortSignal;
}

export function processIO(signal?: AbortSignal): CliIO {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    promptSecret: promptSecretTTY,
    ...(signal ? { signal } : {}),
  };
}

async function promptSecretTTY(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let s = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          process.stderr.write('\n');
          resolve(s);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f') s = s.slice(0, -1);
        else s += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}
