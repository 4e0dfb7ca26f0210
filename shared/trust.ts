/**
 * Trust material, passed in as data (never fetched, never taken from a bundle): the keys the
 * examiner trusts, with the window they are trusted for.
 */

export interface TrustedKey {
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (docs/bundle-format.md §8). */
  readonly fingerprint: string;
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
