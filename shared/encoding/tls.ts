/**
 * The RFC 6962 signing structures shared by Certificate Transparency signed tree heads and
 * static-CT checkpoint signatures (c2sp.org/static-ct-api, note signature type 0x05):
 * `DigitallySigned` (RFC 5246 §4.7 as profiled by RFC 6962 §2.1.4) and the tree-head signature
 * input (RFC 6962 §3.5).
 */
import { concatBytes, u64BE } from './bytes.js';

/** RFC 5246 §7.4.1.4.1 HashAlgorithm.sha256. */
const TLS_HASH_SHA256 = 4;
/** RFC 5246 §7.4.1.4.1 SignatureAlgorithm values used by CT logs. */
export const TLS_SIG_RSA = 1;
export const TLS_SIG_ECDSA = 3;

/** RFC 6962 §3.5 SignatureType.tree_hash. */
const SIGNATURE_TYPE_TREE_HASH = 1;
/** RFC 6962 §3.2 Version.v1. */
export const CT_VERSION_V1 = 0;

export interface DigitallySigned {
  readonly hashAlgorithm: number;
  readonly signatureAlgorithm: number;
  readonly signature: Uint8Array;
}

export type DigitallySignedReason = 'TOO_SHORT' | 'LENGTH_MISMATCH' | 'UNSUPPORTED_ALGORITHM';

/**
 * Parses `hash(1) || signature_alg(1) || uint16 length || signature`, requiring the length to
 * cover exactly the rest of the bytes and the algorithms to be SHA-256 with ECDSA or RSA
 * (RFC 6962 §2.1.4). Total.
 */
export function parseDigitallySigned(b: Uint8Array): DigitallySigned | DigitallySignedReason {
  if (b.length < 4) return 'TOO_SHORT';
  const len = (b[2]! << 8) | b[3]!;
  if (len !== b.length - 4) return 'LENGTH_MISMATCH';
  if (b[0] !== TLS_HASH_SHA256 || (b[1] !== TLS_SIG_ECDSA && b[1] !== TLS_SIG_RSA)) return 'UNSUPPORTED_ALGORITHM';
  return { hashAlgorithm: b[0]!, signatureAlgorithm: b[1]!, signature: b.slice(4) };
}

/**
 * The 50 bytes a log signs for a tree head (RFC 6962 §3.5):
 * version || signature_type (tree_hash) || uint64 timestamp (ms) || uint64 tree_size || root[32].
 * `version` is 0 for RFC 6962 v1; it is a parameter so a mutated version is judged, not assumed.
 * Requires a 32-byte root and non-negative safe integers.
 */
export function treeHeadSignatureInput(
  version: number,
  timestamp: number | bigint,
  treeSize: number,
  rootHash: Uint8Array,
): Uint8Array {
  return concatBytes(
    Uint8Array.of(version & 0xff, SIGNATURE_TYPE_TREE_HASH),
    u64BE(timestamp),
    u64BE(treeSize),
    rootHash,
  );
}
