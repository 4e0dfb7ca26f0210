/**
 * Progress of a verification, one shape for every consumer: the engine reports it, the CLI
 * draws it, the app shows it. A run in a case has two more stages around the verification:
 * 'import' (copying the bundle into the case, bytes only) before and 'index' (building the entry
 * search index) after.
 */

/** The stages of one verification, in order. */
export type VerifyStage = 'open' | 'digest' | 'scan' | 'verify' | 'merge' | 'done';

/** The stages of a run: a verification, and in a case the import before it and the index after. */
export type RunStage = 'import' | VerifyStage | 'index';

export interface Progress<S extends RunStage = RunStage> {
  readonly stage: S;
  readonly entriesDone: number;
  /** Known after the scan stage. */
  readonly entriesTotal?: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
  readonly entriesPerSecond: number;
  readonly etaMs?: number;
  readonly perWorker: ReadonlyArray<{ readonly worker: number; readonly entries: number; readonly bytes: number }>;
}

/** What a verification reports. */
export type VerifyProgress = Progress<VerifyStage>;

/** What a run (in the app, or in a case) reports. */
export type RunProgress = Progress<RunStage>;
