/**
 * `proofdesk seal <log.jsonl> --key <log.key> --origin <name> --out <bundle-dir|bundle.tar>`
 * The reference exporter: every input line (a JSON value) becomes the `event` of one entry.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseTimestamp } from '../../../shared/bundle/entry.js';
import { isValidNoteKeyName } from '../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { isEncrypted, readKeyFile, unlockKeyFile } from '../../keys/keyfile.js';
import { writeTar } from '../../platform/tar.js';
import { BundleWriter } from '../../write/bundle-writer.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';

const FLAGS = {
  key: { kind: 'string', help: "the log's private key file (from proofdesk keygen)" },
  origin: { kind: 'string', help: 'the log origin, first line of every checkpoint' },
  out: { kind: 'string', help: 'output bundle directory (must not exist or be empty), or a path ending in .tar' },
  'checkpoint-every': {
    kind: 'integer',
    help: 'sign a checkpoint every N entries (default 65536); one is always signed at the end',
  },
  'ts-field': {
    kind: 'string',
    help: 'event member holding an RFC 3339 UTC time (default: ts, time, timestamp or @timestamp)',
  },
  clock: { kind: 'string', help: 'ts for events without one (default: now); fixed values make bundles reproducible' },
  'ship-key': {
    kind: 'boolean',
    help: 'include the log verifier key in keys/ (informational; verifiers never trust it)',
  },
  'passphrase-file': { kind: 'string', help: 'read the key passphrase from this file' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE =
  'usage: proofdesk seal <log.jsonl> --key <log.key> --origin <name> --out <bundle-dir | bundle.tar> [--checkpoint-every N]';
const TS_FIELDS = ['ts', 'time', 'timestamp', '@timestamp'];

export async function sealCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1 || !a.key || !a.origin || !a.out) throw new ProofdeskError('USAGE', USAGE);
  const every = a['checkpoint-every'] ?? 65536;
  if (every < 0) throw new ProofdeskError('USAGE', '--checkpoint-every must be >= 0');
  if (a.clock !== undefined && !parseTimestamp(a.clock))
    throw new ProofdeskError('USAGE', '--clock must be of the form YYYY-MM-DDTHH:MM:SS[.F]Z');
  const kf = readKeyFile(resolve(io.cwd, a.key));
  const passphrase = isEncrypted(kf)
    ? await obtainPassphrase(io, {
        ...(a['passphrase-file'] ? { file: a['passphrase-file'] } : {}),
        purpose: 'unlock the log key',
      })
    : undefined;
  const key = unlockKeyFile(kf, passphrase);
  const keyName = key.identity.keyName ?? (isValidNoteKeyName(a.origin) ? a.origin : undefined);
  if (!keyName)
    throw new ProofdeskError(
      'USAGE',
      'the key has no note key name and the origin is not a valid one; create the key with --key-name',
    );

  const input = resolve(io.cwd, a._[0]!);
  try {
    if (!statSync(input).isFile()) throw new Error();
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `input log not found: ${a._[0]}`);
  }
  const outPath = resolve(io.cwd, a.out);
  const asTar = outPath.endsWith('.tar');
  const dir = asTar ? join(mkdtempSync(join(dirname(outPath), '.seal-')), 'bundle') : outPath;
  const w = new BundleWriter({
    dir,
    origin: a.origin,
    logKey: { name: keyName, seed: key.seed },
    checkpointEvery: every,
    shipLogKey: a['ship-key'],
  });
  const fields = a['ts-field'] ? [a['ts-field']] : TS_FIELDS;
  const clock = a.clock;
  let lineNo = 0;
  try {
    const rl = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
    for await (const line of rl) {
      lineNo++;
      if (line.trim() === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch (e) {
        throw new ProofdeskError('INPUT_MALFORMED', `${a._[0]} line ${lineNo} is not JSON: ${(e as Error).message}`);
      }
      let ts: string | undefined;
      if (event && typeof event === 'object' && !Array.isArray(event)) {
        for (const f of fields) {
          const v = (event as Record<string, unknown>)[f];
          if (typeof v === 'string' && parseTimestamp(v)) {
            ts = v;
            break;
          }
        }
      }
      w.append(event, ts ?? clock ?? new Date().toISOString());
    }
    const manifest = w.finish();
    if (asTar) {
      const files = ['manifest.json', ...manifest.files.map((f) => f.path)];
      writeTar(
        outPath,
        files.map((name) => ({ name, source: join(dir, name) })),
      );
    }
    io.err(
      `sealed ${manifest.entries.count} entries into ${a.out}: ${manifest.checkpoints.length} checkpoint(s) signed by ${keyName} (${key.fingerprint.slice(0, 16)}…)\n`,
    );
  } finally {
    if (asTar) rmSync(dirname(dir), { recursive: true, force: true });
  }
  return 0;
}
