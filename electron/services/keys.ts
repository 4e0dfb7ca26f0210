/**
 * Key references from the UI → TrustedKey values, and what the UI shows about a key. The
 * parsing is the CLI's own (electron/keys/trust-files.ts), so a key and its role mean the same
 * in both.
 *
 * A key of the open case (`caseKeyId`) is never turned into a TrustedKey here: a case grant is
 * bound to its origin, and only a run of the case (electron/services/case-run.ts) knows the
 * bundle's origin and takes the case's grants for it.
 */
import { type Stats, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { encodeNoteVerifierKey, encodeSpkiPem, parseKey } from '../../shared/keys/keys.js';
import { mergeTrustedKeys, type TrustedKey } from '../../shared/keys/trust.js';
import type { KeyInfo, KeyRef } from '../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { parseTrustedKeyText, type TrustArg } from '../keys/trust-files.js';
import { readRegular } from '../platform/open-regular.js';

const MAX_KEY_FILE = 64 * 1024;

function readKeyText(path: string): { text: string; label: string } {
  const abs = resolve(path);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `key file not found: ${path}`);
  }
  if (!st.isFile()) throw new ProofdeskError('KEY_INVALID', `${path} is not a file`);
  if (st.size > MAX_KEY_FILE) throw new ProofdeskError('KEY_INVALID', `${path} is too large to be a key file`);
  return {
    text: readRegular(abs, { what: 'key file', follow: true, maxBytes: MAX_KEY_FILE }).toString('utf8'),
    label: basename(abs),
  };
}

function caseKeyRefused(): ProofdeskError {
  return new ProofdeskError(
    'USAGE',
    "a case key is trusted only for the origin it was granted for: verify the bundle as a run of the case, which takes the case's keys for the bundle's origin",
  );
}

export function resolveKey(ref: KeyRef): TrustedKey {
  if ('path' in ref) {
    const { text, label } = readKeyText(ref.path);
    return parseTrustedKeyText(text, label, ref.role);
  }
  if ('text' in ref) return parseTrustedKeyText(ref.text, 'pasted key', ref.role);
  throw caseKeyRefused();
}

/** Several keys; the same key given twice is kept once, with every role it was given (as the CLI does). */
export function resolveKeys(refs: readonly KeyRef[]): TrustedKey[] {
  return mergeTrustedKeys(refs.map((r) => resolveKey(r)));
}

/** Key references as the trust arguments of a case run (file paths and pasted keys, each with its role); case keys are the case's own. */
export function trustArgsOfRefs(refs: readonly KeyRef[]): TrustArg[] {
  return refs.flatMap((k): TrustArg[] => {
    const arg = 'path' in k ? k.path : 'text' in k ? k.text.trim() : undefined;
    if (arg === undefined) return [];
    return [k.role !== undefined ? { arg, role: k.role } : arg];
  });
}

function formatOf(text: string): string {
  const t = text.trim();
  if (t.startsWith('{')) return 'proofdesk key file (public half)';
  try {
    const src = parseKey(t).source;
    const names: Record<typeof src, string> = {
      'pem-spki': 'PEM public key (SPKI)',
      'pem-pkcs8': 'PEM private key (PKCS#8; only the public key is used)',
      openssh: 'OpenSSH ssh-ed25519',
      'raw-hex': 'raw Ed25519 key (hex)',
      'raw-base64': 'raw Ed25519 key (base64)',
      'note-vkey': 'C2SP note verifier key',
    };
    return names[src];
  } catch {
    return 'unknown';
  }
}

/** Parses a key for display, in the role asked for. Throws KEY_INVALID / INPUT_UNREADABLE, or USAGE for a role its type contradicts. */
export function inspectKey(ref: KeyRef): KeyInfo {
  if ('caseKeyId' in ref) throw caseKeyRefused();
  const { text, label } = 'path' in ref ? readKeyText(ref.path) : { text: ref.text, label: 'pasted key' };
  const k = parseTrustedKeyText(text, label, ref.role);
  return describe(k, formatOf(text));
}

function describe(k: TrustedKey, format: string): KeyInfo {
  return {
    fingerprint: k.fingerprint,
    format,
    label: k.label ?? '',
    ...(k.name ? { name: k.name } : {}),
    roles: [...k.roles],
    display: k.name ? safeVkey(k.name, k.publicKey) : encodeSpkiPem(k.publicKey).trim(),
  };
}

function safeVkey(name: string, pk: Uint8Array): string {
  try {
    return encodeNoteVerifierKey(name, pk);
  } catch {
    return encodeSpkiPem(pk).trim();
  }
}
