/**
 * The app's long work, run off the Electron main process in worker threads
 * (electron/services/case-tasks.ts starts them, case-tasks.worker.ts runs them): every write to
 * the open case (each worker opens its own better-sqlite3 connection; the main process only
 * reads), evidence import, verification runs in a case with their search index, hashing an
 * archive, rendering and checking report PDFs.
 *
 * Defined once for both sides. Requests carry a sequence number; every answer names the
 * request it answers; errors cross as plain data (ErrorData), never as thrown objects.
 * Cancellation is a `cancel` message (for asynchronous work, through an AbortSignal) plus a
 * shared stop flag that synchronous loops poll (a worker busy in a synchronous loop cannot
 * receive messages).
 */

import type { DiffRun } from '../diff/model.js';
import type { KeyRole, TrustArg, TrustedKey } from '../keys/trust.js';
import type { VerificationStatement } from '../report/predicate.js';
import type { ReportVerification } from '../report/report-verification.js';
import type { ErrorData } from '../verdict/errors.js';
import type { VerificationRun } from '../verdict/result.js';
import type { EvidenceKind, EvidenceRecord, RecordReport, ReportRecord, TrustGrant } from './case-records.js';
import type { BundleInfo, CaseCheckView, CaseExportView, CompareProgress } from './ipc.js';
import type { RunProgress } from './progress.js';
import type { EntryIndex, VerifyOutput } from './verify-output.js';

/** Who acts and where: every case task opens the case itself. */
export interface CaseRef {
  readonly dir: string;
  /** Journal `actor` of the rows the task writes. */
  readonly actor: string;
}

/** Progress of copying a file or directory into the case. */
export interface ImportTaskProgress {
  readonly stage: 'import';
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

/** The tasks: arguments, result and progress of each. */
export interface TaskDefs {
  'case.create': {
    args: { readonly dir: string; readonly actor: string; readonly title: string; readonly reference?: string };
    result: { readonly caseId: string };
    progress: never;
  };
  /** Opens for writing once: migrates the schema and recovers interrupted work. */
  'case.open': { args: CaseRef; result: { readonly caseId: string }; progress: never };
  'case.import': {
    args: CaseRef & { readonly path: string; readonly label?: string; readonly kind?: EvidenceKind };
    result: {
      readonly evidence: EvidenceRecord;
      readonly duplicate: boolean;
      readonly stored: string;
      readonly bundle?: BundleInfo;
    };
    progress: ImportTaskProgress;
  };
  'case.trust': {
    args: CaseRef & {
      readonly key: string;
      readonly cwd: string;
      readonly role?: KeyRole;
      readonly label?: string;
      readonly origin?: string;
      readonly validFrom?: string;
      readonly validUntil?: string;
    };
    result: TrustGrant;
    progress: never;
  };
  /** A verification run of the case (import, verify, record), then the entry search index. */
  'case.verify': {
    args: CaseRef & {
      readonly bundle: string;
      readonly extraTrust: readonly TrustArg[];
      readonly cwd: string;
      readonly workers?: number;
    };
    result: {
      readonly run: VerificationRun;
      readonly index?: EntryIndex;
      /** A tar bundle: the stored archive as the run read it (signing a report checks it against the evidence digest). */
      readonly archive?: VerifyOutput['archive'];
      readonly runId: number;
      readonly evidenceId: number;
      readonly alreadyInCase: boolean;
      /** Entries indexed for search; absent when the build was stopped (the run itself is recorded). */
      readonly searchIndex?: { readonly entries: number; readonly reused: boolean };
    };
    progress: RunProgress;
  };
  'case.recordReport': { args: CaseRef & { readonly report: RecordReport }; result: ReportRecord; progress: never };
  'case.revoke': {
    args: CaseRef & { readonly fingerprint: string; readonly revokedAt: string; readonly reason: string };
    result: { readonly fingerprint: string; readonly revokedAt: string; readonly reason: string | null };
    progress: never;
  };
  /** `proofdesk case verify` (read-only). */
  'case.check': { args: { readonly dir: string }; result: CaseCheckView; progress: never };
  'case.export': {
    args: CaseRef & { readonly out: string; readonly withIndex: boolean };
    result: CaseExportView;
    progress: never;
  };
  /** A comparison of two exports recorded in the case; the proof files it yields are stored as evidence. */
  'case.diff': {
    args: CaseRef & {
      readonly a: string;
      readonly b: string;
      readonly cwd: string;
      readonly extraTrust: readonly TrustArg[];
      readonly workers?: number;
      readonly alignBy?: 'seq' | 'content';
    };
    result: {
      readonly run: DiffRun;
      readonly runId: number;
      readonly proofs: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
    };
    progress: CompareProgress;
  };
  /** A query over one bundle's search index (read-only); statuses are the caller's to give. */
  'case.query': {
    args: {
      readonly dir: string;
      readonly evidenceId: number;
      readonly text: string;
      readonly fields?: { readonly actor?: string; readonly action?: string; readonly target?: string };
      readonly from?: string;
      readonly to?: string;
      readonly after?: number;
      readonly limit: number;
      readonly count: boolean;
    };
    result: {
      readonly hits: ReadonlyArray<{
        readonly entry: number;
        readonly seq: number | null;
        readonly ts: string | null;
        readonly actor: string | null;
        readonly action: string | null;
        readonly target: string | null;
        readonly line: string;
      }>;
      readonly more: boolean;
      readonly total?: number;
      readonly elapsedMs: number;
      /** False when the bundle has no complete index (nothing was searched). */
      readonly indexed: boolean;
    };
    progress: never;
  };
  /**
   * The time of every entry (ms since the epoch, NaN where an entry has none), in log order: from
   * the case's search index when there is one, else read from the entries file.
   */
  'entries.times': {
    args:
      | { readonly dir: string; readonly evidenceId: number; readonly count: number }
      | { readonly region: EntryIndex['region']; readonly count: number };
    result: Float64Array;
    progress: never;
  };
  /** What a bundle is (hashes the archive of a tar bundle). */
  inspect: { args: { readonly path: string }; result: BundleInfo; progress: never };
  /** SHA-256 and size of a file. */
  digest: {
    args: { readonly path: string };
    result: { readonly size: number; readonly sha256: string };
    progress: never;
  };
  /** The verification report PDF of a signed statement (deterministic; no secret involved). */
  'report.render': {
    args: { readonly statement: VerificationStatement; readonly envelopeBytes: Uint8Array; readonly reportId: string };
    result: Uint8Array;
    progress: never;
  };
  /** `proofdesk report verify` without a re-run. */
  'report.check': {
    args: {
      readonly input: string;
      readonly examinerKey: Uint8Array;
      /** Verify this evidence again with these keys and compare with the attested result. */
      readonly rerun?: { readonly bundle: string; readonly trusted: readonly TrustedKey[] };
    };
    result: ReportVerification;
    progress: never;
  };
}

export type TaskKind = keyof TaskDefs;
export type TaskArgs<K extends TaskKind> = TaskDefs[K]['args'];
export type TaskResult<K extends TaskKind> = TaskDefs[K]['result'];
export type TaskProgress<K extends TaskKind> = TaskDefs[K]['progress'];

/** Main → worker. `stop` is an Int32Array's SharedArrayBuffer: [0] becomes 1 on cancel. */
export type ToTaskWorker =
  | {
      readonly type: 'run';
      readonly seq: number;
      readonly kind: TaskKind;
      readonly args: unknown;
      readonly stop: SharedArrayBuffer;
    }
  | { readonly type: 'cancel'; readonly seq: number };

/** Worker → main. */
export type FromTaskWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly seq: number; readonly progress: unknown }
  | { readonly type: 'done'; readonly seq: number; readonly value: unknown }
  | { readonly type: 'error'; readonly seq: number; readonly error: ErrorData };
