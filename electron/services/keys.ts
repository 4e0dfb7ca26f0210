/**
 * Key references from the UI → TrustedKey values, and what the UI shows about a key. The
 * parsing is the CLI's own (electron/keys/trust-files.ts), so a key means the same in both.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ProofdeskError } from '../../shared/errors.js';
import type { KeyInfo, KeyRef } from '../../shared/ipc.js';
import { encodeNoteVerifierKey, encodeSpkiPem, parseKey } from '../../shared/keys.js';
import type { TrustedKey } from '../../shared/trust.js';
import { parseTrustedKeyText } from '../keys/trust-files.js';

const MAX_KEY_FILE = 64 * 1024;

/** Resolves case keys; undefined when no case store is wired. */
export type CaseKeyResolver = (caseKeyId: string) => TrustedKey;

function readKeyText(path: string): { text: string; label: string } {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `key file not found: ${path}`);
  }
  if (!st.isFile()) throw new ProofdeskError('KEY_INVALID', `${path} is not a file`);
  if (st.size > MAX_KEY_FILE) throw new ProofdeskError('KEY_INVALID', `${path} is too large to be a key file`);
  return { text: readFileSync(abs, 'utf8'), label: basename(abs) };
}

export function resolveKey(ref: KeyRef, caseKey?: CaseKeyResolver): TrustedKey {
  if ('path' in ref) {
    const { text, label } = readKeyText(ref.path);
    return parseTrustedKeyText(text, label);
  }
  if ('text' in ref) return parseTrustedKeyText(ref.text, 'pasted key');
  if (!caseKey) throw new ProofdeskError('USAGE', 'no case is open: case keys cannot be used');
  return caseKey(ref.caseKeyId);
}

/** Several keys; the same key given twice is kept once (as the CLI does). */
export function resolveKeys(refs: readonly KeyRef[], caseKey?: CaseKeyResolver): TrustedKey[] {
  const out = new Map<string, TrustedKey>();
  for (const r of refs) {
    const k = resolveKey(r, caseKey);
    if (!out.has(k.fingerprint)) out.set(k.fingerprint, k);
  }
  return [...out.values()];
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

/** Parses a key for display. Throws KEY_INVALID / INPUT_UNREADABLE with the reason. */
export function inspectKey(ref: KeyRef, caseKey?: CaseKeyResolver): KeyInfo {
  if ('caseKeyId' in ref) {
    const k = resolveKey(ref, caseKey);
    return describe(k, 'case key');
  }
  const { text, label } = 'path' in ref ? readKeyText(ref.path) : { text: ref.text, label: 'pasted key' };
  const k = parseTrustedKeyText(text, label);
  return describe(k, formatOf(text));
}

function describe(k: TrustedKey, format: string): KeyInfo {
  return {
    fingerprint: k.fingerprint,
    format,
    label: k.label ?? '',
    ...(k.name ? { name: k.name } : {}),
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
