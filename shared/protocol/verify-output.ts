/** What a verification returns besides its result: plain data, so it crosses threads and process boundaries. */
import type { VerificationRun } from '../verdict/result.js';
import type { RegionRef } from './worker.js';

/** Derived data for random access and diffs: offsets and Merkle roots of 256-entry blocks. */
export interface EntryIndex {
  readonly entriesPath: string;
  readonly region: RegionRef;
  readonly count: number;
  readonly blockLeaves: number;
  /** Region-relative byte offset of the first line of each block (ceil(count / blockLeaves)). */
  readonly blockOffsets: Float64Array;
  /** Root of each complete block, 32 bytes each (floor(count / blockLeaves)). */
  readonly blockRoots: Uint8Array;
}

export interface VerifyOutput {
  readonly run: VerificationRun;
  readonly index?: EntryIndex;
  /** A tar bundle: SHA-256 and size of the archive as this run read it (a report lists it; signing checks it). */
  readonly archive?: { readonly size: number; readonly sha256: string };
}
