/**
 * Where a passphrase comes from, in order: --passphrase-file, the PROOFDESK_PASSPHRASE
 * environment variable, an interactive prompt. A prompt is only shown on a terminal: when
 * stdin is not one, the command fails with a clear message instead of hanging.
 */
import { resolve } from 'node:path';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { SHORT_PASSPHRASE } from '../keys/keyfile.js';
import { readRegular } from '../platform/open-regular.js';
import type { CliIO } from './io.js';

export const PASSPHRASE_ENV = 'PROOFDESK_PASSPHRASE';
/** A passphrase is a line of text; a file far larger than one is not a passphrase file. */
export const MAX_PASSPHRASE_FILE_BYTES = 64 * 1024;

/**
 * The passphrase, from the first source that has one. With `newKey` (it is about to protect a
 * key being written), a short one is accepted with a warning on stderr: the examiner decides,
 * but knowingly.
 */
export async function obtainPassphrase(
  io: CliIO,
  opts: { file?: string; purpose: string; confirm?: boolean; newKey?: boolean },
): Promise<string> {
  const p = await passphraseFrom(io, opts);
  const chars = [...p.normalize('NFC')].length;
  if (opts.newKey && chars > 0 && chars < SHORT_PASSPHRASE)
    io.err(
      `proofdesk: warning: the passphrase has only ${chars} character${chars === 1 ? '' : 's'}; anyone who gets the key file can try guesses offline: use at least ${SHORT_PASSPHRASE}\n`,
    );
  return p;
}

async function passphraseFrom(io: CliIO, opts: { file?: string; purpose: string; confirm?: boolean }): Promise<string> {
  if (opts.file !== undefined) {
    // Like every other input: a regular file only (a named pipe would block, /dev/zero never
    // ends), of bounded size, read from the descriptor that was checked.
    const text = readRegular(resolve(io.cwd, opts.file), {
      what: 'passphrase file',
      follow: true,
      maxBytes: MAX_PASSPHRASE_FILE_BYTES,
    }).toString('utf8');
    // One trailing newline is an artefact of how the file was written, not part of the secret.
    return text.replace(/\r?\n$/, '');
  }
  const env = io.env[PASSPHRASE_ENV];
  if (env !== undefined && env !== '') return env;
  if (!io.stdinIsTTY || !io.promptSecret) {
    throw new ProofdeskError(
      'PASSPHRASE_REQUIRED',
      `a passphrase is needed to ${opts.purpose}; give --passphrase-file or set ${PASSPHRASE_ENV} (not prompting: stdin is not a terminal)`,
    );
  }
  const p = await io.promptSecret(`Passphrase to ${opts.purpose}: `);
  if (opts.confirm) {
    const again = await io.promptSecret('Repeat passphrase: ');
    if (again !== p) throw new ProofdeskError('USAGE', 'the passphrases do not match');
  }
  return p;
}
