/**
 * The `proofdesk` command line. Every command parses its flags once into a typed object, calls
 * the same engine the app uses, prints human text (and progress) on stderr/stdout, or JSON on
 * stdout with --json, and returns an exit code from the documented table (exit-codes.ts).
 */
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { TOOL_VERSION } from '../platform/version.js';
import { EXIT, exitForError } from './exit-codes.js';
import { type CliIO, processIO } from './io.js';
import { ordinaryFailure } from './os-errors.js';

type Command = (argv: readonly string[], io: CliIO) => Promise<number>;

/**
 * A command whose module is imported when it runs: `proofdesk --version` or `verify` loads
 * neither the PDF stack nor the case database that other commands need (start-up time).
 */
function lazy(load: () => Promise<Command>): Command {
  return async (argv, io) => (await load())(argv, io);
}

export const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  verify: {
    run: lazy(async () => (await import('./commands/verify.js')).verifyCommand),
    summary: 'verify a bundle against trusted keys',
  },
  seal: {
    run: lazy(async () => (await import('./commands/seal.js')).sealCommand),
    summary: 'turn a JSON Lines log into a signed bundle (reference exporter)',
  },
  keygen: {
    run: lazy(async () => (await import('./commands/keygen.js')).keygenCommand),
    summary: 'create an Ed25519 key (encrypted at rest)',
  },
  key: {
    run: lazy(async () => (await import('./commands/key.js')).keyCommand),
    summary: 'import an Ed25519 private key (PEM) or export a public key (PEM, OpenSSH, verifier key)',
  },
  report: {
    run: lazy(async () => (await import('./commands/report.js')).reportCommand),
    summary: 'check a signed verification report (signatures, re-render, --rerun)',
  },
  prove: {
    run: lazy(async () => (await import('./commands/prove.js')).proveCommand),
    summary: 'write an inclusion or consistency proof from a bundle',
  },
  'check-proof': {
    run: lazy(async () => (await import('./commands/check-proof.js')).checkProofCommand),
    summary: 'verify a proof file offline',
  },
  diff: {
    run: lazy(async () => (await import('./commands/diff.js')).diffCommand),
    summary: 'compare two exports of one log: extension, truncation, rewrite or fork',
  },
  case: {
    run: lazy(async () => (await import('./commands/case.js')).caseCommand),
    summary: 'case file: evidence locker, trust store, runs, custody journal, entry query',
  },
  demo: {
    run: lazy(async () => (await import('./commands/demo.js')).demoCommand),
    summary: 'verify the bundled sample',
  },
  serve: {
    run: lazy(async () => (await import('./commands/serve.js')).serveCommand),
    summary: 'serve the app UI on 127.0.0.1 for headless use (same services as the desktop app)',
  },
};

export function usage(): string {
  const lines = [
    `proofdesk ${TOOL_VERSION} — offline verifier for audit-log bundles`,
    '',
    'usage: proofdesk <command> [options]   (proofdesk help <command>, or <command> --help, for details)',
    '',
  ];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(13)} ${c.summary}`);
  lines.push(
    '',
    'exit codes: 0 verified, 1 evidence problems found, 2 unusable input or usage error, 3 inconclusive, 4 internal error, 130 cancelled',
  );
  return lines.join('\n') + '\n';
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0) {
    // `help <command> [<subcommand>]` is `<command> [<subcommand>] --help`.
    if (!COMMANDS[rest[0] as string]) {
      io.err(`proofdesk: unknown command ${JSON.stringify(rest[0])}\n\n${usage()}`);
      return EXIT.USAGE;
    }
    return runCli([...rest, '--help'], io);
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version') {
    io.out(`${TOOL_VERSION}\n`);
    return EXIT.OK;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`proofdesk: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.USAGE;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof ProofdeskError) {
      io.err(`proofdesk ${name}: ${e.code === 'CANCELLED' ? 'cancelled' : `error: ${e.message}`}\n`);
      return exitForError(e.code);
    }
    const ordinary = ordinaryFailure(e);
    if (ordinary !== undefined) {
      io.err(`proofdesk ${name}: error: ${ordinary}\n`);
      return EXIT.USAGE;
    }
    io.err(`proofdesk ${name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.INTERNAL;
  }
}

/**
 * Resolves once everything written to `stream` so far has been handed to the operating system.
 * Writable streams complete writes in order, so the callback of an empty write comes after every
 * earlier chunk. A stream that already failed resolves at once.
 */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    stream.once('error', done);
    try {
      stream.write('', () => done());
    } catch {
      done();
    }
  });
}

/**
 * Process entry: wires Ctrl-C to cancellation and exits with the command's code. Output to a
 * pipe is written asynchronously: exiting at once would cut a large --json result short (at the
 * pipe's buffer size) while the exit code claims success, so the exit waits for both streams.
 * A reader that stops reading (`| head`) is its choice; any other failure to write the output
 * must not end in a success code.
 */
export async function main(argv = process.argv.slice(2)): Promise<never> {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  let outputError: NodeJS.ErrnoException | undefined;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') outputError ??= e;
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', () => {});
  const code = await runCli(argv, processIO(ac.signal));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  if (outputError) {
    // A failure of the machine (a full disk, a closed descriptor): one line and exit 2, as elsewhere.
    process.stderr.write(`proofdesk: the output could not be written: ${outputError.message}\n`);
    process.exit(EXIT.USAGE);
  }
  process.exit(code);
}
