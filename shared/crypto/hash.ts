/**
 * SHA-256 as a swappable function. shared/ defaults to @noble/hashes (pure, audited);
 * Node code passes node:crypto's one-shot hash for speed. Both must agree on every
 * vector (test/unit/shared/crypto/hash.test.ts checks NIST CAVS and a differential run).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export type Sha256 = (data: Uint8Array) => Uint8Array;

export const sha256: Sha256 = (data) => nobleSha256(data);

export const SHA256_SIZE = 32;
