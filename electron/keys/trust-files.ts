/**
 * Loads the keys an examiner trusts from what they have: key files in any supported format
 * (shared/keys/keys.ts), Proofdesk key files (only the public half is used), or a C2SP verifier
 * key / raw key given inline — each in the role the examiner gave it (shared/keys/trust.ts).
 *
 * Roles: a C2SP verifier key carries its signature type, and that type decides its role
 * (0x01: 'log', 0x04: 'witness'; c2sp.org/signed-note, c2sp.org/tlog-cosignature). Every other
 * form (PEM, OpenSSH, raw, Proofdesk key file) has no type and takes the role asked for. With no
 * role asked for (`--trust`), a key is a log key — except a 0x04 verifier key, which is a
 * witness key by its type. A role asked for explicitly that contradicts the key's type is a
 * USAGE error (reason KEY_ROLE_CONFLICT), never silently changed.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fromBase64 } from '../../shared/encoding/bytes.js';
import { keyFingerprint, NOTE_SIG_COSIGNATURE_V1, NOTE_SIG_ED25519, parseKey } from '../../shared/keys/keys.js';
import { type KeyRole, mergeTrustedKeys, type TrustArg, type TrustedKey } from '../../shared/keys/trust.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { readRegular } from '../platform/open-regular.js';
import { parseKeyFile } from './keyfile.js';

const MAX_KEY_FILE = 64 * 1024;

/**
 * One piece of trust material named by the examiner: a bare string is a `--trust` argument
 * (log role, or witness for a 0x04 verifier key); `{ arg, role }` asks for a role explicitly
 * (`--witness`, `--entry-key`, a case grant's role).
 */
export type { TrustArg };

export function trustArgText(a: TrustArg): string {
  return typeof a === 'string' ? a : a.arg;
}

export function trustArgRole(a: TrustArg): KeyRole | undefined {
  return typeof a === 'string' ? undefined : a.role;
}

/** The role a note verifier key's type byte gives it; undefined for other types. */
function intrinsicRole(sigType: number | undefined): KeyRole | undefined {
  if (sigType === NOTE_SIG_ED25519) return 'log';
  if (sigType === NOTE_SIG_COSIGNATURE_V1) return 'witness';
  return undefined;
}

/** The role of a key: its type's, else the one asked for, else 'log'. Throws on a contradiction. */
export function roleFor(sigType: number | undefined, asked: KeyRole | undefined, label: string): KeyRole {
  const own = intrinsicRole(sigType);
  if (own !== undefined && asked !== undefined && own !== asked) {
    throw new ProofdeskError(
      'USAGE',
      `${label} is a ${own} key by its verifier key type (0x${sigType!.toString(16).padStart(2, '0')}); it cannot be trusted as ${asked === 'entry' ? 'an entry' : `a ${asked}`} key`,
      {
        reason: 'KEY_ROLE_CONFLICT',
        keyRole: own,
        asked,
      },
    );
  }
  return own ?? asked ?? 'log';
}

/** Parses key text into a TrustedKey in the role asked for (see the module comment). */
export function parseTrustedKeyText(text: string, label: string, role?: KeyRole): TrustedKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const kf = parseKeyFile(trimmed);
    const publicKey = fromBase64(kf.publicKey);
    return {
      publicKey,
      fingerprint: keyFingerprint(publicKey),
      roles: [roleFor(undefined, role, label)],
      label,
      ...(kf.identity.keyName ? { name: kf.identity.keyName } : {}),
    };
  }
  const k = parseKey(trimmed);
  return {
    publicKey: k.publicKey,
    fingerprint: keyFingerprint(k.publicKey),
    roles: [roleFor(k.noteSigType, role, label)],
    label,
    ...(k.name ? { name: k.name } : {}),
  };
}

/** Runs f; a ProofdeskError it throws is thrown again with the trust argument named first. */
export function withArgPrefix<T>(arg: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ProofdeskError) throw new ProofdeskError(e.code, `${arg}: ${e.message}`, e.detail);
    throw e;
  }
}

/** The key in the bytes of the file a trust argument names, in the role the argument gives it. */
export function trustedKeyFromFile(a: TrustArg, path: string, bytes: Buffer): TrustedKey {
  return withArgPrefix(trustArgText(a), () =>
    parseTrustedKeyText(bytes.toString('utf8'), basename(path), trustArgRole(a)),
  );
}

/** A trust argument: a path to a key file, or a key written inline (verifier key, raw hex/base64). */
export function loadTrustedKey(a: TrustArg, cwd = process.cwd()): TrustedKey {
  const arg = trustArgText(a);
  const role = trustArgRole(a);
  const path = resolve(cwd, arg);
  if (existsSync(path)) {
    const st = statSync(path);
    if (!st.isFile()) throw new ProofdeskError('KEY_INVALID', `${arg} is not a file`);
    if (st.size > MAX_KEY_FILE) throw new ProofdeskError('KEY_INVALID', `${arg} is too large to be a key file`);
    const bytes = withArgPrefix(arg, () =>
      readRegular(path, { what: 'key file', follow: true, maxBytes: MAX_KEY_FILE }),
    );
    return trustedKeyFromFile(a, path, bytes);
  }
  if (/[/\\]/.test(arg) && !arg.includes('+'))
    throw new ProofdeskError('INPUT_UNREADABLE', `key file not found: ${arg}`);
  return parseTrustedKeyText(arg, arg.includes('+') ? arg.split('+')[0]! : 'inline key', role);
}

/** Loads several keys; a key given twice is kept once, with every role it was given. */
export function loadTrustedKeys(args: readonly TrustArg[], cwd?: string): TrustedKey[] {
  return mergeTrustedKeys(args.map((a) => loadTrustedKey(a, cwd)));
}
