/**
 * `proofdesk serve`: the app's UI for headless use, on 127.0.0.1 only. Prints the address
 * (with its one-time token) and serves until Ctrl-C. Same services as the desktop app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { rendererDir } from '../../transport/host/assets.js';
import { startHost } from '../../transport/host/server.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';

const FLAGS = {
  port: { kind: 'integer', help: 'port on 127.0.0.1 (default: a random free port)' },
  workers: { kind: 'integer', help: 'worker threads per verification (default: one per core)' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

export async function serveCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText('usage: proofdesk serve [--port N]', FLAGS) + '\n');
    return 0;
  }
  if (a.port !== undefined && (a.port < 0 || a.port > 65535))
    throw new ProofdeskError('USAGE', `--port must be between 0 and 65535 (0: a free port), got ${a.port}`);
  if (!existsSync(join(rendererDir(), 'index.html')))
    throw new ProofdeskError('INPUT_UNREADABLE', 'the UI is not built: run `npm run build:renderer` first');
  const host = await startHost({
    ...(a.port !== undefined ? { port: a.port } : {}),
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
  });
  io.out(`Proofdesk is serving on ${host.origin} (this machine only).\nOpen: ${host.url}\n`);
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await host.close();
  return 0;
}
