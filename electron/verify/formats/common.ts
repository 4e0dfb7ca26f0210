/** What every format adapter shares: options, safe reads through BundleSource, signature paths, run statistics. */

import type { EcdsaVerifyFn } from '../../../shared/crypto/ecdsa.js';
import type { Ed25519VerifyFn } from '../../../shared/tlog/note.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { BundleFileReport, VerificationResult, VerificationRun } from '../../../shared/verdict/result.js';
import type { BundleSource } from '../../platform/bundle-source.js';
import { crossCheckEcdsaP256, verifyEcdsaP256Node } from '../../platform/crypto-node.js';
import { crossCheckVerify, verifyEd25519Node } from '../../platform/ed25519-node.js';
import { sha256Hex } from '../../platform/node-hash.js';
import type { VerifyProgress } from '../bundle/verify.js';
import type { FormatTrust } from './trust.js';

export interface AdapterOptions {
  /** Absolute path of the input (file or directory). */
  readonly input: string;
  readonly trust: FormatTrust;
  /** Expected log origin, when the examiner gives one. */
  readonly origin?: string;
  readonly crossCheck: boolean;
  readonly maxEntryBytes: number;
  readonly findingsPerCode: number;
  /** Sigstore: the signed artifact, to check its digest and signature. */
  readonly artifact?: string;
  /** tlog-proof: the logged entry the proof is for. */
  readonly entry?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: VerifyProgress) => void;
}

/** Derived data for random access and diffs of a tiled log: roots of its 256-leaf blocks. */
export interface TiledLogIndex {
  readonly layout: 'tlog-tiles' | 'sumdb' | 'serverless';
  readonly count: number;
  readonly blockLeaves: number;
  /** Root of each complete 256-leaf block, 32 bytes each (floor(count / 256)): the level-1 tile hashes. */
  readonly blockRoots: Uint8Array;
}

export interface AdapterOutput {
  readonly run: VerificationRun;
  readonly tiles?: TiledLogIndex;
}

export interface SignaturePaths {
  readonly ed25519: Ed25519VerifyFn;
  readonly ecdsa: EcdsaVerifyFn;
}

/** node:crypto paths, or both implementations compared on every signature with --cross-check. */
export function signaturePaths(crossCheck: boolean): SignaturePaths {
  return crossCheck
    ? { ed25519: crossCheckVerify, ecdsa: crossCheckEcdsaP256 }
    : { ed25519: verifyEd25519Node, ecdsa: verifyEcdsaP256Node };
}

export type ReadResult =
  | { readonly kind: 'ok'; readonly bytes: Buffer; readonly report: BundleFileReport }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unsafe'; readonly detail: string }
  | { readonly kind: 'too-large'; readonly size: number };

/**
 * Reads one file of a log through the bundle source's path rules (no symlinks, nothing outside),
 * checked and read through one descriptor, with its SHA-256 for the file report. With `into`,
 * the bytes are a view of it (valid until the caller reuses it).
 */
export function readIn(
  source: BundleSource,
  path: string,
  max: number,
  role: BundleFileReport['role'],
  into?: Buffer,
): ReadResult {
  const r = source.read(path, max, into);
  if (!r.ok) {
    if (r.reason === 'TOO_LARGE') return { kind: 'too-large', size: r.size };
    return r.reason === 'MISSING' ? { kind: 'missing' } : { kind: 'unsafe', detail: r.detail };
  }
  return { kind: 'ok', bytes: r.bytes, report: { path, size: r.bytes.length, sha256: sha256Hex(r.bytes), role } };
}

/** Run statistics of a format adapter; `hashing` where it hashed through the batch hasher (batch-hash.ts). */
export function runOf(
  result: VerificationResult,
  t0: number,
  bytes: number,
  crossChecked = 0,
  hashing?: string,
): VerificationRun {
  const elapsedMs = Date.now() - t0;
  const count = result.bundle.entryCount;
  return {
    result,
    stats: {
      workers: 1,
      elapsedMs,
      entriesPerSecond: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0,
      bytesPerSecond: elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0,
      crossCheckedSignatures: crossChecked,
      ...(hashing ? { hashing } : {}),
    },
  };
}

/** A cancelled run ends with the typed CANCELLED error (exit code 130), as verifyBundle's does. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProofdeskError('CANCELLED', 'verification was cancelled');
}

/** Lets an abort (Ctrl-C) be delivered during long synchronous loops. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
