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
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { canonicalFormProblem } from '../../../shared/encoding/json.js';
import { isValidNoteKeyName } from '../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { isEncrypted, readKeyFile, type UnlockedKey, unlockKeyFile } from '../../keys/keyfile.js';
import { forEachRawLine } from '../../platform/line-reader.js';
import { openRegular } from '../../platform/open-regular.js';
import { writeTar } from '../../platform/tar.js';
import { BundleWriter } from '../../write/bundle-writer.js';
import { type FlagSpecs, helpText, type Parsed, parseArgs } from '../args.js';
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
function eventTime(event: unknown, fields: readonly string[], clock: string, file: string, lineNo: number): string {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return clock;
  const o = event as Record<string, unknown>;
  const f = fields.find((name) => Object.hasOwn(o, name));
  if (f === undefined) return clock;
  const v = o[f];
  if (typeof v === 'string' && parseTimestamp(v)) return v;
  throw refuse(
    file,
    lineNo,
    `its time member "${f}" holds ${JSON.stringify(v)?.slice(0, 60)}, not an RFC 3339 UTC time of the form YYYY-MM-DDTHH:MM:SS[.F]Z; seal does not guess times: convert it first, or name another member with --ts-field`,
  );
}

/**
 * A line's JSON text without the whitespace around it (and a byte-order mark before the first
 * line), or undefined for a blank line. Refuses a line too long for an entry or not UTF-8.
 */
function eventText(bytes: Buffer | undefined, lineNo: number, file: string): string | undefined {
  if (bytes === undefined)
    throw refuse(file, lineNo, `the event is longer than ${MAX_EVENT_BYTES} bytes, more than an entry may hold`);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw refuse(file, lineNo, 'not valid UTF-8');
  }
  // JSON whitespace around the value (and a byte-order mark before the first line) is not part of it.
  text = (lineNo === 1 ? text.replace(/^\ufeff/, '') : text).replace(/^[ \t\r]+|[ \t\r]+$/g, '');
  return text === '' ? undefined : text;
}

/** The line's one JSON value; refused when its canonical form would say something else. */
function parseEvent(text: string, lineNo: number, file: string): unknown {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (e) {
    throw refuse(file, lineNo, `not one JSON value (${(e as Error).message})`);
  }
  const p = canonicalFormProblem(text);
  if (p)
    throw refuse(
      file,
      lineNo,
      `at ${p.path} ${p.message}; an event is kept byte for byte, but one whose canonical form (what an event source signs, docs/bundle-format.md §3.1) says something else is refused`,
    );
  return event;
}

/** Appends a log's lines to the bundle in order, remembering the last time so a regression is refused. */
class EventSealer {
  private last: { instant: Instant; ts: string; line: number } | undefined;
  private readonly file: string;
  private readonly writer: BundleWriter;
  private readonly fields: readonly string[];
  private readonly clock: string;

  constructor(file: string, writer: BundleWriter, fields: readonly string[], clock: string) {
    this.file = file;
    this.writer = writer;
    this.fields = fields;
    this.clock = clock;
  }

  line(bytes: Buffer | undefined, lineNo: number): void {
    const text = eventText(bytes, lineNo, this.file);
    if (text === undefined) return;
    const event = parseEvent(text, lineNo, this.file);
    const ts = eventTime(event, this.fields, this.clock, this.file, lineNo);
    const instant = parseTimestamp(ts) as Instant;
    const last = this.last;
    if (last && compareInstants(instant, last.instant) < 0)
      throw refuse(
        this.file,
        lineNo,
        `ts ${ts} is earlier than ${last.ts} on line ${last.line}: the verifier would report TIMESTAMP_REGRESSION; seal keeps the log's order and times, so order or correct the log first`,
      );
    this.last = { instant, ts, line: lineNo };
    this.writer.appendEventText(text, ts);
  }
}

type SealArgs = Parsed<typeof FLAGS>;

/** What the command line asks for, checked before any key is read. */
interface SealPlan {
  /** The input log as given, for messages. */
  readonly file: string;
  readonly input: string;
  readonly keyFile: string;
  readonly origin: string;
  /** The output as given, for messages. */
  readonly out: string;
  readonly outPath: string;
  readonly asTar: boolean;
  readonly every: number;
}

function sealPlan(a: SealArgs, cwd: string): SealPlan {
  if (a._.length !== 1 || !a.key || !a.origin || !a.out) throw new ProofdeskError('USAGE', USAGE);
  const every = a['checkpoint-every'] ?? 65536;
  if (every < 0) throw new ProofdeskError('USAGE', '--checkpoint-every must be >= 0');
  if (a.clock !== undefined && !parseTimestamp(a.clock))
    throw new ProofdeskError('USAGE', '--clock must be of the form YYYY-MM-DDTHH:MM:SS[.F]Z');
  const input = resolve(cwd, a._[0]!);
  try {
    if (!statSync(input).isFile()) throw new Error();
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `input log not found: ${a._[0]}`);
  }
  const outPath = resolve(cwd, a.out);
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
  return { file: a._[0]!, input, keyFile: a.key, origin: a.origin, out: a.out, outPath, asTar, every };
}

/** The log key, unlocked, and the note key name its checkpoints are signed under. */
async function unlockLogKey(
  plan: SealPlan,
  passphraseFile: string | undefined,
  io: CliIO,
): Promise<{ key: UnlockedKey; keyName: string }> {
  const kf = readKeyFile(resolve(io.cwd, plan.keyFile));
  const passphrase = isEncrypted(kf)
    ? await obtainPassphrase(io, {
        ...(passphraseFile ? { file: passphraseFile } : {}),
        purpose: 'unlock the log key',
      })
    : undefined;
  const key = unlockKeyFile(kf, passphrase);
  const keyName = key.identity.keyName ?? (isValidNoteKeyName(plan.origin) ? plan.origin : undefined);
  if (!keyName)
    throw new ProofdeskError(
      'USAGE',
      'the key has no note key name and the origin is not a valid one; create the key with --key-name',
    );
  return { key, keyName };
}

/** Moves the finished bundle (directory, or a tar of it) from the work directory to the output. */
function placeBundle(work: string, dir: string, manifest: Manifest, plan: SealPlan): void {
  if (plan.asTar) {
    const tar = join(work, 'bundle.tar');
    writeTar(
      tar,
      ['manifest.json', ...manifest.files.map((f) => f.path)].map((name) => ({ name, source: join(dir, name) })),
    );
    // A hard link never replaces a file that appeared meanwhile.
    linkSync(tar, plan.outPath);
  } else renameSync(dir, plan.outPath);
}

function reportSealed(
  io: CliIO,
  json: boolean | undefined,
  plan: SealPlan,
  manifest: Manifest,
  key: UnlockedKey,
  keyName: string,
): void {
  const summary = {
    out: plan.outPath,
    container: plan.asTar ? 'tar' : 'directory',
    origin: plan.origin,
    entries: manifest.entries.count,
    checkpoints: manifest.checkpoints.length,
    keyName,
    fingerprint: key.fingerprint,
  };
  if (json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
  else
    io.err(
      `sealed ${manifest.entries.count} entries into ${plan.out}: ${manifest.checkpoints.length} checkpoint(s) signed by ${keyName} (${key.fingerprint.slice(0, 16)}…)\n`,
    );
}

export async function sealCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  const plan = sealPlan(a, io.cwd);
  const { key, keyName } = await unlockLogKey(plan, a['passphrase-file'], io);

  // Everything is written into a sibling of the output and renamed into place at the end, so a
  // refusal or a failure part way leaves nothing that looks like a bundle.
  const work = mkdtempSync(join(dirname(plan.outPath), `.${basename(plan.outPath)}.seal-`));
  try {
    const dir = join(work, 'bundle');
    const w = new BundleWriter({
      dir,
      origin: plan.origin,
      logKey: { name: keyName, seed: key.seed },
      checkpointEvery: plan.every,
      shipLogKey: a['ship-key'],
    });
    const fields = a['ts-field'] ? [a['ts-field']] : TS_FIELDS;
    const sealer = new EventSealer(plan.file, w, fields, a.clock ?? new Date().toISOString());
    eachInputLine(plan.input, MAX_EVENT_BYTES, (bytes, lineNo) => sealer.line(bytes, lineNo));
    const manifest = w.finish();
    placeBundle(work, dir, manifest, plan);
    reportSealed(io, a.json, plan, manifest, key, keyName);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}
