/**
 * `proofdesk seal <log.jsonl> --key <log.key> --origin <name> --out <bundle-dir|bundle.tar>`
 * The reference exporter (docs/bundle-format.md §10): every input line (one JSON value) becomes
 * the `event` of one entry, byte for byte. It never changes the data it seals: an event that
 * RFC 8785 canonical JSON would change, a time that is not the bundle's form, or times that go
 * backwards are refused with their line number, and nothing is left behind: the bundle is built
 * in a temporary sibling and renamed into place only once it is complete.
 */
import {
  closeSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  compareInstants,
  DEFAULT_MAX_ENTRY_BYTES,
  type Instant,
  parseTimestamp,
} from '../../../shared/bundle/entry.js';
import { canonicalFormProblem } from '../../../shared/encoding/json.js';
import { isValidNoteKeyName } from '../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { isEncrypted, readKeyFile, unlockKeyFile } from '../../keys/keyfile.js';
import { forEachRawLine } from '../../platform/line-reader.js';
import { openRegular } from '../../platform/open-regular.js';
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
    help: 'event member holding an RFC 3339 UTC time (default: the first of ts, time, timestamp, @timestamp an event has)',
  },
  clock: {
    kind: 'string',
    help: 'ts for events without a time member (default: the time seal starts); fixed values make bundles reproducible',
  },
  'ship-key': {
    kind: 'boolean',
    help: 'include the log verifier key in keys/ (informational; verifiers never trust it)',
  },
  'passphrase-file': { kind: 'string', help: 'read the key passphrase from this file' },
  json: { kind: 'boolean', help: 'print what was sealed as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE =
  'usage: proofdesk seal <log.jsonl> --key <log.key> --origin <name> --out <bundle-dir | bundle.tar> [--checkpoint-every N] [--json]';
const TS_FIELDS = ['ts', 'time', 'timestamp', '@timestamp'];
/** Room the entry's own members take around the event; an entry must stay within what the verifier parses by default. */
const ENTRY_OVERHEAD = 256;
const MAX_EVENT_BYTES = DEFAULT_MAX_ENTRY_BYTES - ENTRY_OVERHEAD;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function refuse(file: string, line: number, why: string): ProofdeskError {
  return new ProofdeskError('INPUT_MALFORMED', `${file} line ${line}: ${why}; nothing was sealed`);
}

/**
 * Calls `visit` with every line of the file (the last one also without a final line feed) and
 * its 1-based number. Lines longer than `max` bytes arrive without their bytes.
 */
function eachInputLine(path: string, max: number, visit: (bytes: Buffer | undefined, lineNo: number) => void): void {
  const { fd, size } = openRegular(path, { what: 'input log', follow: true });
  closeSync(fd);
  const region = { file: path, offset: 0, size };
  let end = 0;
  const n = forEachRawLine(
    region,
    (v) => {
      visit(v.bytes, v.index + 1);
      end = v.offset + v.length + 1;
    },
    { maxLineBytes: max },
  );
  if (end >= size) return;
  const tail = size - end;
  if (tail > max) return visit(undefined, n + 1);
  const f = openRegular(path, { what: 'input log', follow: true });
  try {
    const buf = Buffer.alloc(tail);
    let got = 0;
    while (got < tail) {
      const r = readSync(f.fd, buf, got, tail - got, end + got);
      if (r <= 0) throw new ProofdeskError('INPUT_UNREADABLE', `${path} changed while it was read`);
      got += r;
    }
    visit(buf, n + 1);
  } finally {
    closeSync(f.fd);
  }
}

/** The event's time: its first time member present (which must then be one), else the clock. */
function eventTime(
  event: unknown,
  fields: readonly string[],
  clock: string,
  where: (why: string) => ProofdeskError,
): string {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return clock;
  const o = event as Record<string, unknown>;
  const f = fields.find((name) => Object.hasOwn(o, name));
  if (f === undefined) return clock;
  const v = o[f];
  if (typeof v === 'string' && parseTimestamp(v)) return v;
  throw where(
    `its time member "${f}" holds ${JSON.stringify(v)?.slice(0, 60)}, not an RFC 3339 UTC time of the form YYYY-MM-DDTHH:MM:SS[.F]Z; seal does not guess times: convert it first, or name another member with --ts-field`,
  );
}

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
  const input = resolve(io.cwd, a._[0]!);
  try {
    if (!statSync(input).isFile()) throw new Error();
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `input log not found: ${a._[0]}`);
  }
  const outPath = resolve(io.cwd, a.out);
  const asTar = outPath.endsWith('.tar');
  if (
    asTar
      ? existsSync(outPath)
      : existsSync(outPath) && (!statSync(outPath).isDirectory() || readdirSync(outPath).length > 0)
  )
    throw new ProofdeskError(
      'USAGE',
      `${a.out} already exists${asTar ? '' : ' and is not an empty directory'}; seal never overwrites`,
    );
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

  // Everything is written into a sibling of the output and renamed into place at the end, so a
  // refusal or a failure part way leaves nothing that looks like a bundle.
  const work = mkdtempSync(join(dirname(outPath), `.${basename(outPath)}.seal-`));
  try {
    const dir = join(work, 'bundle');
    const w = new BundleWriter({
      dir,
      origin: a.origin,
      logKey: { name: keyName, seed: key.seed },
      checkpointEvery: every,
      shipLogKey: a['ship-key'],
    });
    const fields = a['ts-field'] ? [a['ts-field']] : TS_FIELDS;
    const clock = a.clock ?? new Date().toISOString();
    const file = a._[0]!;
    let last: { instant: Instant; ts: string; line: number } | undefined;
    eachInputLine(input, MAX_EVENT_BYTES, (bytes, lineNo) => {
      const where = (why: string) => refuse(file, lineNo, why);
      if (bytes === undefined)
        throw where(`the event is longer than ${MAX_EVENT_BYTES} bytes, more than an entry may hold`);
      let text: string;
      try {
        text = UTF8.decode(bytes);
      } catch {
        throw where('not valid UTF-8');
      }
      // JSON whitespace around the value (and a byte-order mark before the first line) is not part of it.
      text = (lineNo === 1 ? text.replace(/^\ufeff/, '') : text).replace(/^[ \t\r]+|[ \t\r]+$/g, '');
      if (text === '') return;
      let event: unknown;
      try {
        event = JSON.parse(text);
      } catch (e) {
        throw where(`not one JSON value (${(e as Error).message})`);
      }
      const p = canonicalFormProblem(text);
      if (p)
        throw where(
          `at ${p.path} ${p.message}; an event is kept byte for byte, but one whose canonical form (what an event source signs, docs/bundle-format.md §3.1) says something else is refused`,
        );
      const ts = eventTime(event, fields, clock, where);
      const instant = parseTimestamp(ts) as Instant;
      if (last && compareInstants(instant, last.instant) < 0)
        throw where(
          `ts ${ts} is earlier than ${last.ts} on line ${last.line}: the verifier would report TIMESTAMP_REGRESSION; seal keeps the log's order and times, so order or correct the log first`,
        );
      last = { instant, ts, line: lineNo };
      w.appendEventText(text, ts);
    });
    const manifest = w.finish();
    if (asTar) {
      const tar = join(work, 'bundle.tar');
      writeTar(
        tar,
        ['manifest.json', ...manifest.files.map((f) => f.path)].map((name) => ({ name, source: join(dir, name) })),
      );
      // A hard link never replaces a file that appeared meanwhile.
      linkSync(tar, outPath);
    } else renameSync(dir, outPath);
    const summary = {
      out: outPath,
      container: asTar ? 'tar' : 'directory',
      origin: a.origin,
      entries: manifest.entries.count,
      checkpoints: manifest.checkpoints.length,
      keyName,
      fingerprint: key.fingerprint,
    };
    if (a.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
    else
      io.err(
        `sealed ${manifest.entries.count} entries into ${a.out}: ${manifest.checkpoints.length} checkpoint(s) signed by ${keyName} (${key.fingerprint.slice(0, 16)}…)\n`,
      );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}
