/**
 * Messages between the verification orchestrator and its worker threads. Requests carry a
 * sequence number; every response names the request it answers. Errors cross the thread
 * boundary as plain data (ErrorData), never as thrown objects.
 */

import type { KeyWindow } from '../keys/validity.js';
import type { ErrorData } from '../verdict/errors.js';
import type { Finding, FindingCode } from '../verdict/findings.js';

/** A byte range of a physical file (the entries file itself, or its data inside a tar). */
export interface RegionRef {
  readonly file: string;
  readonly offset: number;
  readonly size: number;
  /** Device and inode (decimal) of the file when the region was located: a reopen must find the same file. */
  readonly id?: { readonly dev: string; readonly ino: string };
}

/** SHA-256 of a whole region (the manifest digest of the entries file). */
export interface DigestJob {
  readonly kind: 'digest';
  readonly region: RegionRef;
  /** Also hash the whole file the region lies in (a tar archive), in the same pass. */
  readonly wholeFile?: boolean;
}

/** Phase 1: count the lines that start in [from, to) of the region. */
export interface ScanJob {
  readonly kind: 'scan';
  readonly region: RegionRef;
  readonly from: number;
  readonly to: number;
}

export interface EntryKeyRef {
  readonly fingerprint: string;
  readonly publicKey: Uint8Array;
  /** The key's validity window, when it has one (shared/keys/validity.ts judges it). */
  readonly window?: KeyWindow;
}

/**
 * The earliest time a trusted witness cosigned a trusted checkpoint of `size`: every entry
 * below `size` existed by `time`, so an entry signature under it was made no later.
 */
export interface WitnessStep {
  readonly size: number;
  readonly time: number;
}

/** Phase 2: verify the lines starting in [start, end), whose first line has index baseIndex. */
export interface VerifyJob {
  readonly kind: 'verify';
  readonly region: RegionRef;
  /** Name of the entries file inside the bundle, used in finding locations. */
  readonly entriesPath: string;
  readonly start: number;
  readonly end: number;
  readonly baseIndex: number;
  /** True for the job holding the end of the region (it reports ENTRIES_TRUNCATED). */
  readonly isLast: boolean;
  /** Hex GENESIS, given only to the job with baseIndex 0. */
  readonly genesis?: string;
  /** first_seq from the manifest, used only by the job with baseIndex 0. */
  readonly firstSeq: number;
  /** Tree sizes strictly inside (baseIndex, baseIndex + count) at which to snapshot the compact range. */
  readonly snapshotSizes: readonly number[];
  /** Leaf indices whose hash and ts the orchestrator needs (proofs, checkpoint times). */
  readonly leafIndices: readonly number[];
  readonly maxEntryBytes: number;
  readonly findingsPerCode: number;
  readonly entryKeys: readonly EntryKeyRef[];
  /** Witness times that can date entry signatures; given only when an entry key has a window. */
  readonly witnessSteps: readonly WitnessStep[];
  readonly crossCheck: boolean;
  /** Leaves per index block (a power of two); 0 disables block output. */
  readonly blockLeaves: number;
}

export type Job = DigestJob | ScanJob | VerifyJob;

export interface DigestResult {
  readonly kind: 'digest';
  readonly sha256: string;
  /** With wholeFile: SHA-256 and size of the whole file, read in the same pass. */
  readonly file?: { readonly size: number; readonly sha256: string };
}

export interface ScanResult {
  readonly kind: 'scan';
  /** Region-relative offset of the first line starting in [from, to), or -1. */
  readonly firstStart: number;
  readonly starts: number;
}

export interface KnownValue<T> {
  readonly index: number;
  /** Region-relative offset of the entry's line. */
  readonly offset: number;
  readonly value: T;
}

export interface VerifyResult {
  readonly kind: 'verify';
  readonly baseIndex: number;
  /** Complete entries (a trailing line without line feed is not counted). */
  readonly count: number;
  readonly bytes: number;
  /** Compact-range hashes of [baseIndex, baseIndex + count). */
  readonly range: readonly Uint8Array[];
  readonly snapshots: ReadonlyArray<{ readonly size: number; readonly range: readonly Uint8Array[] }>;
  /** First entry's recorded prev (hex), when readable: checked against the previous job's link. */
  readonly firstPrev?: KnownValue<string>;
  /** link of the last entry (hex), when its prev was readable. */
  readonly lastLink?: KnownValue<string>;
  readonly firstSeq?: KnownValue<number>;
  readonly lastSeq?: KnownValue<number>;
  readonly firstTime?: KnownValue<{ seconds: number; nanos: number; ts: string }>;
  readonly lastTime?: KnownValue<{ seconds: number; nanos: number; ts: string }>;
  readonly findings: readonly Finding[];
  readonly omitted: Readonly<Partial<Record<FindingCode, number>>>;
  /** Entries with error findings of their own, as sorted [from, to) ranges (coarsened if too many). */
  readonly failed: ReadonlyArray<readonly [number, number]>;
  /**
   * Entries where a chain, sequence or time rule breaks (CHAIN_BROKEN, SEQ_*, TIMESTAMP_REGRESSION).
   * The finding sits where the break is seen; the diagnosis decides which entry is to blame.
   */
  readonly anomalies: ReadonlyArray<readonly [number, number]>;
  /** Entries signed by a key not trusted as an event source: unverifiable, their signature unchecked. */
  readonly signerUntrusted: ReadonlyArray<readonly [number, number]>;
  /**
   * Entries whose signature does not count because no time in the evidence places it inside
   * its key's window (TIME_NOT_ESTABLISHED, KEY_WINDOW_INVALID): unverifiable, not failed.
   */
  readonly undated: ReadonlyArray<readonly [number, number]>;
  /**
   * Per witness step (same order as job.witnessSteps), the entries whose signature counts only
   * because of that step's time, as ranges (coarsened if too many) and their exact number: the
   * orchestrator takes them back if the step's root is wrong.
   */
  readonly witnessDated: ReadonlyArray<{
    readonly ranges: ReadonlyArray<readonly [number, number]>;
    readonly entries: number;
  }>;
  readonly leafHashes: ReadonlyArray<{ readonly index: number; readonly hash: Uint8Array; readonly ts?: string }>;
  /** Roots of the index blocks lying wholly inside this job, and line offsets of block starts in it. */
  readonly blocks: { readonly first: number; readonly roots: Uint8Array };
  readonly blockStarts: ReadonlyArray<{ readonly block: number; readonly offset: number }>;
  readonly counters: Readonly<Record<string, number>>;
}

export type JobResult = DigestResult | ScanResult | VerifyResult;

export type ToWorker = { readonly type: 'job'; readonly seq: number; readonly job: Job };

export type FromWorker =
  | { readonly type: 'progress'; readonly seq: number; readonly entries: number; readonly bytes: number }
  | { readonly type: 'done'; readonly seq: number; readonly result: JobResult }
  | { readonly type: 'error'; readonly seq: number; readonly error: ErrorData };
