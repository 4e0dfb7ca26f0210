/**
 * Loads the keys an examiner trusts from what they have: key files in any supported format
 * (shared/keys.ts), Proofdesk key files (only the public half is used), or a C2SP verifier
 * key / raw key given inline.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fromBase64 } from '../../shared/bytes.js';
import { ProofdeskError } from '../../shared/errors.js';
import { keyFingerprint, parseKey } from '../../shared/keys.js';
import type { TrustedKey } from '../../shared/trust.js';
import { parseKeyFile } from './keyfile.js';

const MAX_KEY_FILE = 64 * 1024;

export function parseTrustedKeyText(text: string, label: string): TrustedKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const kf = parseKeyFile(trimmed);
    const publicKey = fromBase64(kf.publicKey);
    return { publicKey, fingerprint: keyFingerprint(publicKey), label, ...(kf.identity.keyName ? { name: kf.identity.keyName } : {}) };
  }
  const k = parseKey(trimmed);
  return { publicKey: k.publicKey, fingerprint: keyFingerprint(k.publicKey), label, ...(k.name ? { name: k.name } : {}) };
}

/** A --trust argument: a path to a key file, or a key written inline (verifier key, raw hex/base64). */
export function loadTrustedKey(arg: string, cwd = process.cwd()): TrustedKey {
  const path = resolve(cwd, arg);
  if (existsSync(path)) {
    const st = statSync(path);
    if (!st.isFile()) throw new ProofdeskError('KEY_INVALID', `${arg} is not a file`);
    if (st.size > MAX_KEY_FILE) throw new ProofdeskError('KEY_INVALID', `${arg} is too large to be a key file`);
    try {
      return parseTrustedKeyText(readFileSync(path, 'utf8'), basename(path));
    } catch (e) {
      if (e instanceof ProofdeskError) throw new ProofdeskError(e.code, `${arg}: ${e.message}`);
      throw e;
    }
  }
  if (/[/\\]/.test(arg) && !arg.includes('+')) throw new ProofdeskError('INPUT_UNREADABLE', `key file not found: ${arg}`);
  return parseTrustedKeyText(arg, arg.includes('+') ? arg.split('+')[0]! : 'inline key');
}

/** Loads several keys; the same key given twice is kept once. */
export function loadTrustedKeys(args: readonly string[], cwd?: string): TrustedKey[] {
  const out = new Map<string, TrustedKey>();
  for (const a of args) {
    const k = loadTrustedKey(a, cwd);
    if (!out.has(k.fingerprint)) out.set(k.fingerprint, k);
  }
  return [...out.values()];
}
