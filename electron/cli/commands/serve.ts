/**
 * `proofdesk serve`: the app's UI for headless use, on 127.0.0.1 only. Prints the address
 * (with its one-time token) and serves until Ctrl-C. Same services as the desktop app.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { rendererDir } from '../../transport/host/assets.js';
import { startHost } from '../../transport/host/server.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';

const FLAGS = {
  port: { kind: 'integer', help: 'port on 127.0.0.1 (default: a random free port)' },
  root: {
    kind: 'strings',
    help: 'a folder whose files the UI may open and write (repeatable; default: the current directory). Paths outside every --root are refused',
  },
  workers: { kind: 'integer', help: 'worker threads per verification (default: one per core)' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

export async function serveCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText('usage: proofdesk serve [--port N] [--root DIR]…', FLAGS) + '\n');
    return 0;
  }
  if (a.port !== undefined && (a.port < 0 || a.port > 65535))
    throw new ProofdeskError('USAGE', `--port must be between 0 and 65535 (0: a free port), got ${a.port}`);
  if (!existsSync(join(rendererDir(), 'index.html')))
    throw new ProofdeskError('INPUT_UNREADABLE', 'the UI is not built: run `npm run build:renderer` first');
  const roots = (a.root.length ? a.root : ['.']).map((r) => resolve(io.cwd, r));
  for (const r of roots)
    if (!existsSync(r) || !statSync(r).isDirectory()) throw new ProofdeskError('USAGE', `--root ${r} is not a folder`);
  const host = await startHost({
    roots,
    ...(a.port !== undefined ? { port: a.port } : {}),
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
  });
  io.out(
    `Proofdesk is serving on ${host.origin} (this machine only), for files under ${roots.join(', ')}.\nOpen: ${host.url}\n`,
  );
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await host.close();
  return 0;
}
