/** `proofdesk keygen --out <prefix> [--passphrase-file F | --no-passphrase] [--name N]` */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { encodeNoteVerifierKey, encodeSpkiPem, isValidNoteKeyName } from '../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { sealKeyFile, writeFileAtomic, writeKeyFile } from '../../keys/keyfile.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';

const FLAGS = {
  out: { kind: 'string', help: 'output prefix: writes <prefix>.key, <prefix>.pub (PEM) and <prefix>.vkey' },
  name: { kind: 'string', help: 'holder name (an examiner, or the log origin for a log key)' },
  'key-name': { kind: 'string', help: 'C2SP note key name (default: the name, if it is a valid key name)' },
  organisation: { kind: 'string', help: 'organisation of the holder' },
  'passphrase-file': { kind: 'string', help: 'read the passphrase from this file' },
  'no-passphrase': { kind: 'boolean', help: 'store the private key unencrypted (demo and test keys only)' },
  json: { kind: 'boolean', help: 'print what was written (files, fingerprint) as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE = 'usage: proofdesk keygen --out <prefix> [--name N] [--passphrase-file F | --no-passphrase] [--json]';

export async function keygenCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  if (!a.out || a._.length) throw new ProofdeskError('USAGE', USAGE);
  if (a['no-passphrase'] && a['passphrase-file'])
    throw new ProofdeskError('USAGE', '--no-passphrase and --passphrase-file exclude each other');
  const name = a.name ?? 'proofdesk-key';
  const keyName = a['key-name'] ?? (isValidNoteKeyName(name) ? name : undefined);
  if (keyName !== undefined && !isValidNoteKeyName(keyName))
    throw new ProofdeskError(
      'USAGE',
      `--key-name ${JSON.stringify(keyName)} is not a valid note key name (no spaces or '+')`,
    );
  const passphrase = a['no-passphrase']
    ? null
    : await obtainPassphrase(io, {
        ...(a['passphrase-file'] ? { file: a['passphrase-file'] } : {}),
        purpose: 'protect the new key',
        confirm: true,
        newKey: true,
      });
  const seed = new Uint8Array(randomBytes(32));
  const kf = sealKeyFile(
    seed,
    { name, ...(keyName ? { keyName } : {}), ...(a.organisation ? { organisation: a.organisation } : {}) },
    passphrase,
  );
  const prefix = resolve(io.cwd, a.out);
  writeKeyFile(`${prefix}.key`, kf);
  const pub = Buffer.from(kf.publicKey, 'base64');
  writeFileAtomic(`${prefix}.pub`, encodeSpkiPem(pub));
  if (keyName) writeFileAtomic(`${prefix}.vkey`, encodeNoteVerifierKey(keyName, pub) + '\n');
  if (a.json)
    io.out(
      `${JSON.stringify(
        {
          key: `${prefix}.key`,
          publicKey: `${prefix}.pub`,
          verifierKey: keyName ? `${prefix}.vkey` : null,
          encrypted: passphrase !== null,
          name,
          keyName: keyName ?? null,
          fingerprint: kf.fingerprint,
        },
        null,
        2,
      )}\n`,
    );
  else
    io.err(
      `wrote ${a.out}.key (${passphrase === null ? 'UNENCRYPTED' : 'encrypted'}), ${a.out}.pub${keyName ? `, ${a.out}.vkey` : ''}\nfingerprint ${kf.fingerprint}\n`,
    );
  return 0;
}
