/**
 * node:crypto's one-shot SHA-256 as a shared/ Sha256. Same bytes as @noble/hashes (tested
 * on NIST CAVS and a differential run), a few times faster for the short inputs Merkle
 * hashing is made of.
 */
import { createHash, hash } from 'node:crypto';
import type { Sha256 } from '../../shared/hash.js';

export const nodeSha256: Sha256 = (data) => hash('sha256', data, 'buffer');

export { createHash };
