/**
 * Trust material, passed in as data (never fetched, never taken from a bundle): the keys the
 * examiner trusts, the roles they are trusted in, and the window they are trusted for.
 */

/**
 * What a trusted key may sign (docs/bundle-format.md §8):
 *  - 'log': checkpoints (signed-note type 0x01 lines), tree heads and digests of other formats;
 *  - 'witness': tlog-cosignatures (type 0x04 lines) over a log's checkpoints;
 *  - 'entry': individual entries (an event source), and artifact signatures in other formats.
 * A key is trusted only in its roles: a witness cannot sign as the log, a log key cannot vouch
 * for an entry.
 */
export type KeyRole = 'log' | 'witness' | 'entry';

export const KEY_ROLES: readonly KeyRole[] = ['log', 'witness', 'entry'];

export function isKeyRole(v: unknown): v is KeyRole {
  return typeof v === 'string' && (KEY_ROLES as readonly string[]).includes(v);
}

export interface TrustedKey {
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (docs/bundle-format.md §8). */
  readonly fingerprint: string;
  /** The roles the key is trusted in; never empty. */
  readonly roles: readonly KeyRole[];
  /** Key name, when the key came as a C2SP verifier key. Informational: matching uses key IDs. */
  readonly name?: string;
  /** Where the key came from (file name or case label), for reports. */
  readonly label?: string;
  /** RFC 3339 bounds of the window the key is trusted for (inclusive), from the case trust store. */
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** RFC 3339 time from which the key is revoked. */
  readonly revokedAt?: string;
}

export function hasRole(k: { readonly roles: readonly KeyRole[] }, role: KeyRole): boolean {
  return k.roles.includes(role);
}

/** The roles of both, in KEY_ROLES order (for one key given twice in different roles). */
export function unionRoles(a: readonly KeyRole[], b: readonly KeyRole[]): KeyRole[] {
  return KEY_ROLES.filter((r) => a.includes(r) || b.includes(r));
}

/**
 * Merges keys by fingerprint: the first occurrence is kept (its window, label and name), with
 * the roles of every occurrence. Order of first occurrence is preserved.
 */
export function mergeTrustedKeys<K extends TrustedKey>(keys: readonly K[]): K[] {
  const out = new Map<string, K>();
  for (const k of keys) {
    const prev = out.get(k.fingerprint);
    out.set(k.fingerprint, prev ? { ...prev, roles: unionRoles(prev.roles, k.roles) } : k);
  }
  return [...out.values()];
}

/** A `--trust` argument (key file, inline key, trusted root, key list), or one given in a role (`--witness`, `--entry-key`). */
export type TrustArg = string | { readonly arg: string; readonly role: KeyRole };
