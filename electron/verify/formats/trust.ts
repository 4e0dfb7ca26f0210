/**
 * Trust material for every format, from the examiner's `--trust` arguments: what
 * electron/keys/trust-files.ts accepts (Ed25519 keys in any form, verifier keys, Proofdesk key
 * files) plus the material other logs are trusted by — PEM public keys of other algorithms
 * (ECDSA P-256 CT and Rekor keys, RSA), Sigstore trusted_root.json files and CloudTrail
 * `list-public-keys` outputs. Never read from the evidence itself.
 *
 * Roles (shared/keys/trust.ts) apply to every format: only 'log' keys sign log material (checkpoints,
 * tree heads), only 'entry' keys sign what was logged (a Sigstore artifact or DSSE envelope).
 * Trusted roots and CloudTrail key lists are log material by what they are (their `tlogs`,
 * their digest-signing keys); they cannot be given in another role.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  type CloudTrailKey,
  isCloudTrailKeyList,
  parseCloudTrailKeyList,
} from '../../../shared/formats/cloudtrail/public-keys.js';
import {
  isTrustedRootJson,
  parseTrustedRoot,
  type TrustedRoot,
} from '../../../shared/formats/sigstore/trusted-root.js';
import { keyFingerprint } from '../../../shared/keys/keys.js';
import { type FormatPublicKey, parseEcdsaNoteVerifierKey, parsePublicKeyPem } from '../../../shared/keys/public-key.js';
import { type KeyRole, mergeTrustedKeys, type TrustedKey, unionRoles } from '../../../shared/keys/trust.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import {
  loadTrustedKey,
  parseTrustedKeyText,
  roleFor,
  type TrustArg,
  trustArgRole,
  trustArgText,
  withArgPrefix,
} from '../../keys/trust-files.js';
import { readRegular } from '../../platform/open-regular.js';

/** Trusted roots and key lists are larger than single keys; 4 MiB bounds a hostile file. */
const MAX_TRUST_FILE = 4 * 1024 * 1024;

export interface LabelledKey {
  readonly key: FormatPublicKey;
  readonly label: string;
  readonly roles: readonly KeyRole[];
  /** A verifier key's type (0x02, 0x05) and name: it signs only that kind of note signature. */
  readonly note?: { readonly sigType: number; readonly name: string };
}

export interface FormatTrust {
  /** Ed25519 keys (log, witness), exactly as `proofdesk verify` loads them for bundles. */
  readonly ed25519: readonly TrustedKey[];
  /** Keys of other algorithms (and Ed25519 given as PEM) by SPKI. */
  readonly keys: readonly LabelledKey[];
  readonly sigstoreRoots: readonly (TrustedRoot & { readonly label: string })[];
  readonly cloudtrailKeys: readonly CloudTrailKey[];
}

export const EMPTY_TRUST: FormatTrust = { ed25519: [], keys: [], sigstoreRoots: [], cloudtrailKeys: [] };

/** Only log material can be a trusted root or a CloudTrail key list. */
function logMaterialOnly(arg: string, role: KeyRole | undefined, what: string): void {
  if (role !== undefined && role !== 'log')
    throw new ProofdeskError(
      'USAGE',
      `${arg} is ${what}, which holds log keys; it cannot be trusted as ${role === 'entry' ? 'an entry' : 'a witness'} key`,
      { reason: 'KEY_ROLE_CONFLICT' },
    );
}

/**
 * Loads `--trust` arguments. Each is a file (key in any supported form, trusted root, CloudTrail
 * key list) or an inline key. Throws ProofdeskError (KEY_INVALID, INPUT_UNREADABLE) for an
 * argument that is none of these: trust input that cannot be used is a usage error, never
 * silently skipped. `preloaded` keys (e.g. from a case trust store) are kept first.
 */
export function loadFormatTrust(
  args: readonly TrustArg[],
  cwd = process.cwd(),
  preloaded: readonly TrustedKey[] = [],
): FormatTrust {
  // Merged once at the end: one key given twice keeps its first form with every role.
  const ed: TrustedKey[] = [...preloaded];
  const keys: LabelledKey[] = [];
  const roots: Array<TrustedRoot & { label: string }> = [];
  const ct: CloudTrailKey[] = [];
  for (const ta of args) {
    const arg = trustArgText(ta);
    const role = trustArgRole(ta);
    const path = resolve(cwd, arg);
    // An ECDSA verifier key (0x02, 0x05), inline or in a file: a log key, as its type says.
    const ecdsaVkey = (text: string, label: string): boolean => {
      const v = withArgPrefix(arg, () => parseEcdsaNoteVerifierKey(text));
      if (!v) return false;
      if (role !== undefined && role !== 'log')
        throw new ProofdeskError(
          'USAGE',
          `${arg} is a log key by its verifier key type (0x0${v.sigType}); it cannot be trusted as ${role === 'entry' ? 'an entry' : 'a witness'} key`,
          { reason: 'KEY_ROLE_CONFLICT' },
        );
      keys.push({ key: v.key, label, roles: ['log'], note: { sigType: v.sigType, name: v.name } });
      return true;
    };
    if (!existsSync(path)) {
      if (!ecdsaVkey(arg, arg.split('+')[0] ?? arg)) ed.push(loadTrustedKey(ta, cwd));
      continue;
    }
    const st = statSync(path);
    if (!st.isFile()) throw new ProofdeskError('KEY_INVALID', `${arg} is not a file`);
    if (st.size > MAX_TRUST_FILE) throw new ProofdeskError('KEY_INVALID', `${arg} is too large to be trust material`);
    const label = basename(path);
    const text = readRegular(path, { what: 'trust file', follow: true, maxBytes: MAX_TRUST_FILE }).toString('utf8');
    const trimmed = text.replace(/^\ufeff/, '').trim();
    if (trimmed.startsWith('{')) {
      let json: unknown;
      try {
        json = JSON.parse(trimmed);
      } catch {
        throw new ProofdeskError('KEY_INVALID', `${arg}: not valid JSON`);
      }
      if (isTrustedRootJson(json)) {
        logMaterialOnly(arg, role, 'a Sigstore trusted root');
        roots.push({ ...parseTrustedRoot(json, label), label });
      } else if (isCloudTrailKeyList(json)) {
        logMaterialOnly(arg, role, 'a CloudTrail public key list');
        ct.push(...parseCloudTrailKeyList(json, label));
      } else ed.push(withArgPrefix(arg, () => parseTrustedKeyText(trimmed, label, role)));
      continue;
    }
    if (ecdsaVkey(trimmed, label)) continue;
    if (trimmed.includes('-----BEGIN')) {
      // Ed25519 PEM keys keep the bundle semantics (note key IDs); others are SPKI keys.
      let pk: FormatPublicKey;
      try {
        pk = parsePublicKeyPem(trimmed);
      } catch {
        // PKCS#8 private keys and the like: the Ed25519 loader reads them or explains why not.
        ed.push(withArgPrefix(arg, () => parseTrustedKeyText(trimmed, label, role)));
        continue;
      }
      // A PEM key has no type of its own: it is trusted in the role given (log for --trust).
      const roles = [roleFor(undefined, role, label)];
      if (pk.kind === 'ed25519')
        ed.push({ publicKey: pk.publicKey, fingerprint: keyFingerprint(pk.publicKey), roles, label });
      const same = keys.find((k) => k.key.fingerprint === pk.fingerprint);
      if (same) keys[keys.indexOf(same)] = { ...same, roles: unionRoles(same.roles, roles) };
      else keys.push({ key: pk, label, roles });
      continue;
    }
    ed.push(withArgPrefix(arg, () => parseTrustedKeyText(trimmed, label, role)));
  }
  return { ed25519: mergeTrustedKeys(ed), keys, sigstoreRoots: roots, cloudtrailKeys: ct };
}

/** Keys of other algorithms trusted in `role`. */
export function keysInRole(t: FormatTrust, role: KeyRole): LabelledKey[] {
  return t.keys.filter((k) => k.roles.includes(role));
}

type KeyReport = { fingerprint: string; name?: string; label?: string; roles: KeyRole[] };

/** Fingerprints, labels and roles of all trust material, for the result's trustedKeys list. */
export function trustReports(t: FormatTrust): KeyReport[] {
  const out = new Map<string, KeyReport>();
  for (const k of t.ed25519)
    out.set(k.fingerprint, {
      fingerprint: k.fingerprint,
      ...(k.name ? { name: k.name } : {}),
      ...(k.label ? { label: k.label } : {}),
      roles: [...k.roles],
    });
  for (const k of t.keys)
    if (!out.has(k.key.fingerprint))
      out.set(k.key.fingerprint, { fingerprint: k.key.fingerprint, label: k.label, roles: [...k.roles] });
  for (const r of t.sigstoreRoots)
    for (const l of r.tlogs)
      if (!out.has(l.key.fingerprint))
        out.set(l.key.fingerprint, { fingerprint: l.key.fingerprint, name: l.host, label: r.label, roles: ['log'] });
  for (const k of t.cloudtrailKeys)
    if (!out.has(k.key.fingerprint))
      out.set(k.key.fingerprint, {
        fingerprint: k.key.fingerprint,
        name: k.fingerprint,
        label: k.label,
        roles: ['log'],
      });
  return [...out.values()];
}
