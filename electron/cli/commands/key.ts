/**
 * `proofdesk key import <private.pem> --out <file.key> --name N [--organisation O] [--email E]
 *  [--key-name K] [--passphrase-file F | --no-passphrase]`
 * `proofdesk key export <key file> --format pem|openssh|vkey [--key-name K] [--out F]`
 * `proofdesk key show <key file>`
 *
 * Examiner (and log) keys: import an existing Ed25519 key into an encrypted Proofdesk key file
 * (docs/keys.md), and export its public half in the forms other tools read.
 */
import { type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromBase64 } from '../../../shared/encoding/bytes.js';
import {
  encodeNoteVerifierKey,
  encodeOpenSsh,
  encodeSpkiPem,
  isValidNoteKeyName,
  keyFingerprint,
  opensshFingerprint,
  parseKey,
} from '../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import {
  importPrivateKeyPem,
  type KeyIdentity,
  parseKeyFile,
  writeFileAtomic,
  writeKeyFile,
} from '../../keys/keyfile.js';
import { readRegular } from '../../platform/open-regular.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';

const MAX_KEY_TEXT = 64 * 1024;

function printJson(io: CliIO, v: unknown): void {
  io.out(`${JSON.stringify(v, null, 2)}\n`);
}

function readKeyText(path: string): string {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `key file not found: ${path}`);
  }
  if (!st.isFile()) throw new ProofdeskError('INPUT_UNREADABLE', `${path} is not a file`);
  if (st.size > MAX_KEY_TEXT) throw new ProofdeskError('KEY_INVALID', `${path} is too large to be a key file`);
  return readRegular(path, { what: 'key file', follow: true, maxBytes: MAX_KEY_TEXT }).toString('utf8');
}

// ── import ──

const IMPORT_FLAGS = {
  out: { kind: 'string', help: 'the Proofdesk key file to write (e.g. examiner.key); never overwritten' },
  name: { kind: 'string', help: "the holder's name (printed on reports)" },
  organisation: { kind: 'string', help: "the holder's organisation" },
  email: { kind: 'string', help: "the holder's e-mail address" },
  'key-name': { kind: 'string', help: 'C2SP note key name (no spaces or +), for the verifier-key export' },
  'passphrase-file': { kind: 'string', help: 'read the new passphrase from this file' },
  'no-passphrase': { kind: 'boolean', help: 'store the private key unencrypted (demo and test keys only)' },
  json: { kind: 'boolean', help: 'print the result as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;
const IMPORT_USAGE =
  'usage: proofdesk key import <private-key.pem> --out <file.key> --name <name> [--organisation O] [--passphrase-file F | --no-passphrase] [--json]';

function checkText(flag: string, v: string | undefined): void {
  if (v !== undefined && (v.trim() === '' || v.length > 200 || /[\u0000-\u001f\u007f]/.test(v)))
    throw new ProofdeskError('USAGE', `--${flag} must be 1 to 200 printable characters`);
}

async function keyImport(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, IMPORT_FLAGS);
  if (a.help) {
    io.out(helpText(IMPORT_USAGE, IMPORT_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1 || !a.out || !a.name) throw new ProofdeskError('USAGE', IMPORT_USAGE);
  if (a['no-passphrase'] && a['passphrase-file'])
    throw new ProofdeskError('USAGE', '--no-passphrase and --passphrase-file exclude each other');
  checkText('name', a.name);
  checkText('organisation', a.organisation);
  checkText('email', a.email);
  if (a['key-name'] !== undefined && !isValidNoteKeyName(a['key-name']))
    throw new ProofdeskError(
      'USAGE',
      `--key-name ${JSON.stringify(a['key-name'])} is not a valid note key name (no spaces or '+')`,
    );
  const out = resolve(io.cwd, a.out);
  const identity: KeyIdentity = {
    name: a.name,
    ...(a['key-name'] ? { keyName: a['key-name'] } : {}),
    ...(a.organisation ? { organisation: a.organisation } : {}),
    ...(a.email ? { email: a.email } : {}),
  };
  const text = readKeyText(resolve(io.cwd, a._[0]!));
  // Parse before asking for a passphrase: a wrong file should not cost the user a prompt.
  void importPrivateKeyPem(text, identity, null);
  const passphrase = a['no-passphrase']
    ? null
    : await obtainPassphrase(io, {
        ...(a['passphrase-file'] ? { file: a['passphrase-file'] } : {}),
        purpose: 'protect the imported key',
        confirm: true,
        newKey: true,
      });
  const kf = importPrivateKeyPem(text, identity, passphrase);
  writeKeyFile(out, kf);
  if (a.json) printJson(io, { key: out, encrypted: passphrase !== null, fingerprint: kf.fingerprint });
  else io.err(`wrote ${a.out} (${passphrase === null ? 'UNENCRYPTED' : 'encrypted'})\nfingerprint ${kf.fingerprint}\n`);
  return 0;
}

// ── export ──

const EXPORT_FORMATS = ['pem', 'openssh', 'vkey'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXPORT_FLAGS = {
  format: {
    kind: 'string',
    help: 'pem (SubjectPublicKeyInfo), openssh (ssh-ed25519 line) or vkey (C2SP note verifier key)',
  },
  'key-name': { kind: 'string', help: "note key name for vkey (default: the key file's key name)" },
  out: { kind: 'string', help: 'write to this file instead of stdout (never overwritten)' },
  json: { kind: 'boolean', help: 'print the result as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;
const EXPORT_USAGE =
  'usage: proofdesk key export <key file> --format pem|openssh|vkey [--key-name K] [--out F] [--json]';

interface PublicHalf {
  readonly publicKey: Uint8Array;
  readonly identity?: KeyIdentity;
}

/** The public half of a Proofdesk key file, or of any key parseKey reads (PEM, OpenSSH, raw, vkey). */
function publicHalf(text: string): PublicHalf {
  if (text.trim().startsWith('{')) {
    const kf = parseKeyFile(text);
    return { publicKey: fromBase64(kf.publicKey), identity: kf.identity };
  }
  const k = parseKey(text);
  return { publicKey: k.publicKey };
}

export function exportPublicKey(h: PublicHalf, format: ExportFormat, keyName?: string): string {
  switch (format) {
    case 'pem':
      return encodeSpkiPem(h.publicKey);
    case 'openssh':
      return encodeOpenSsh(h.publicKey, h.identity?.email ?? h.identity?.name) + '\n';
    case 'vkey': {
      const name = keyName ?? h.identity?.keyName;
      if (name === undefined) throw new ProofdeskError('USAGE', 'a verifier key needs a key name: give --key-name');
      if (!isValidNoteKeyName(name))
        throw new ProofdeskError('USAGE', `${JSON.stringify(name)} is not a valid note key name (no spaces or '+')`);
      return encodeNoteVerifierKey(name, h.publicKey) + '\n';
    }
  }
}

async function keyExport(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, EXPORT_FLAGS);
  if (a.help) {
    io.out(helpText(EXPORT_USAGE, EXPORT_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1 || a.format === undefined) throw new ProofdeskError('USAGE', EXPORT_USAGE);
  if (!(EXPORT_FORMATS as readonly string[]).includes(a.format))
    throw new ProofdeskError('USAGE', `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const half = publicHalf(readKeyText(resolve(io.cwd, a._[0]!)));
  const text = exportPublicKey(half, a.format as ExportFormat, a['key-name']);
  if (a.out !== undefined) writeFileAtomic(resolve(io.cwd, a.out), text);
  if (a.json)
    printJson(io, {
      format: a.format,
      key: text,
      fingerprint: keyFingerprint(half.publicKey),
      out: a.out !== undefined ? resolve(io.cwd, a.out) : null,
    });
  else if (a.out !== undefined) io.err(`wrote ${a.out}\n`);
  else io.out(text);
  return 0;
}

// ── show ──

const SHOW_FLAGS = {
  json: { kind: 'boolean', help: 'print the result as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;
const SHOW_USAGE = 'usage: proofdesk key show <key file> [--json]';

async function keyShow(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, SHOW_FLAGS);
  if (a.help) {
    io.out(helpText(SHOW_USAGE, SHOW_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', SHOW_USAGE);
  const text = readKeyText(resolve(io.cwd, a._[0]!));
  const h = publicHalf(text);
  const encrypted = text.trim().startsWith('{')
    ? parseKeyFile(text).kdf !== null
      ? 'encrypted'
      : 'UNENCRYPTED'
    : 'public key only';
  const id = h.identity;
  if (a.json) {
    printJson(io, {
      name: id?.name ?? null,
      organisation: id?.organisation ?? null,
      email: id?.email ?? null,
      keyName: id?.keyName ?? null,
      privateKey: encrypted === 'public key only' ? 'none' : encrypted.toLowerCase(),
      fingerprint: keyFingerprint(h.publicKey),
      openssh: opensshFingerprint(h.publicKey),
    });
    return 0;
  }
  io.out(
    [
      `name          ${id?.name ?? '(none)'}`,
      ...(id?.organisation ? [`organisation  ${id.organisation}`] : []),
      ...(id?.email ? [`email         ${id.email}`] : []),
      ...(id?.keyName ? [`key name      ${id.keyName}`] : []),
      `private key   ${encrypted}`,
      `fingerprint   ${keyFingerprint(h.publicKey)}`,
      `openssh       ${opensshFingerprint(h.publicKey)}`,
    ].join('\n') + '\n',
  );
  return 0;
}

const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIO) => Promise<number>>> = {
  import: keyImport,
  export: keyExport,
  show: keyShow,
};

export async function keyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!run) {
    const usage = [IMPORT_USAGE, EXPORT_USAGE, SHOW_USAGE].join('\n');
    if (sub === '--help' || sub === '-h') {
      io.out(usage + '\n');
      return 0;
    }
    throw new ProofdeskError('USAGE', `${usage}\n(unknown key subcommand ${JSON.stringify(sub ?? '')})`);
  }
  return run(rest, io);
}
