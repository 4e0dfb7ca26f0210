/**
 * Verification runs started from the UI: one registry per backend, shared by the Electron
 * IPC handlers and the local HTTP host. A run is the CLI's verifyBundle() call with live
 * progress (throttled into events) and an AbortController for cancel; when it finishes,
 * its result and EntryIndex stay in memory for the entry browser.
 *
 * Runs recorded in the open case are also found by their case key (caseRunKey): a run started
 * here answers to it once recorded, and an earlier run of the case (before a restart) is
 * loaded from the case on first use (`loader`).
 */
import { randomUUID } from 'node:crypto';
import type { TrustedKey } from '../../shared/keys/trust.js';
import {
  caseRunKey,
  type IpcError,
  type IpcEvent,
  parseCaseRunKey,
  type RunProgress,
  type RunState,
  type RunView,
} from '../../shared/protocol/ipc.js';
import type { RunStage } from '../../shared/protocol/progress.js';
import { ProofdeskError, toErrorData } from '../../shared/verdict/errors.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import type { EntryIndex, VerifyOutput } from '../verify/bundle/verify.js';
import { verify } from '../verify/verify.js';

/** Progress events at most this often (the UI redraws at most this often anyway). */
export const PROGRESS_INTERVAL_MS = 100;
/** Finished runs kept for browsing; the oldest go first. */
export const MAX_RUNS_KEPT = 20;

export interface RunRecord {
  readonly runId: string;
  readonly bundle: string;
  readonly origin?: string;
  readonly caseId?: string;
  /** The evidence item of the open case the run verifies. */
  evidenceId?: number;
  readonly startedAt: string;
  state: RunState;
  progress?: RunProgress;
  /** When each stage began (ms since the epoch), in order. */
  readonly stageStarts: Array<{ readonly stage: RunStage; readonly at: number }>;
  /** The entry times (ms, NaN for none), read once for the timeline. */
  times?: Promise<Float64Array>;
  changedSinceImport?: { readonly importedDigest: string; readonly digestNow: string };
  run?: VerificationRun;
  index?: EntryIndex;
  /** A tar bundle: the archive's digest as the run read it (a signed report is checked against it). */
  archive?: VerifyOutput['archive'];
  finishedAt?: string;
  /** The run's id in the case file, for runs recorded in a case. */
  caseRunId?: number;
  /** Key files the run trusted (for the report's list of inputs). */
  readonly keyFiles: readonly string[];
  error?: IpcError;
  readonly abort: AbortController;
  done: Promise<void>;
}

/** Runs the verification; the default calls verifyBundle, a case run records itself in the case. */
export type Runner = (
  signal: AbortSignal,
  onProgress: (p: RunProgress) => void,
) => Promise<VerifyOutput & { readonly caseRunId?: number; readonly evidenceId?: number }>;

export interface StartRun {
  readonly bundle: string;
  readonly trusted: readonly TrustedKey[];
  readonly keyFiles?: readonly string[];
  readonly runner?: Runner;
  readonly caseId?: string;
  readonly workers?: number;
  /** Called once with the finished run (e.g. to record it in the case file). */
  readonly onFinished?: (rec: RunRecord) => void | Promise<void>;
  readonly evidenceId?: number;
}

/** A recorded run read back from a case, for the registry to hold. */
export interface LoadedRun {
  readonly runId: string;
  readonly bundle: string;
  readonly caseId: string;
  readonly caseRunId: number;
  readonly evidenceId: number;
  readonly state: RunState;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly run?: VerificationRun;
  readonly index?: EntryIndex;
  readonly error?: IpcError;
}

export class RunRegistry {
  readonly #runs = new Map<string, RunRecord>();
  /** Case run key → the id of the record (a run started here, then recorded in the case). */
  readonly #aliases = new Map<string, string>();
  /** Finds a run recorded in the open case by its key (set by the backend). */
  loader?: (runId: string) => LoadedRun | undefined;
  constructor(private readonly emit: (e: IpcEvent) => void) {}

  start(o: StartRun): string {
    const runId = randomUUID();
    const abort = new AbortController();
    let last = 0;
    const onProgress = (p: RunProgress) => {
      rec.progress = p;
      const lastStage = rec.stageStarts[rec.stageStarts.length - 1];
      // 'done' is not a stage one waits through: the end is marked when the run returns.
      if (p.stage !== 'done' && lastStage?.stage !== p.stage) rec.stageStarts.push({ stage: p.stage, at: Date.now() });
      const now = Date.now();
      if (p.stage !== 'done' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      this.emit({ type: 'run.progress', runId, progress: p });
    };
    const rec: RunRecord = {
      runId,
      bundle: o.bundle,
      ...(o.caseId !== undefined ? { caseId: o.caseId } : {}),
      ...(o.evidenceId !== undefined ? { evidenceId: o.evidenceId } : {}),
      startedAt: new Date().toISOString(),
      stageStarts: [],
      state: 'running',
      keyFiles: o.keyFiles ?? [],
      abort,
      done: Promise.resolve(),
    };
    rec.done = (async () => {
      // Let start() return the id before the first progress event.
      await Promise.resolve();
      try {
        const out: VerifyOutput & { readonly caseRunId?: number; readonly evidenceId?: number } = o.runner
          ? await o.runner(abort.signal, onProgress)
          : await verify(o.bundle, {
              trusted: o.trusted,
              signal: abort.signal,
              onProgress,
              ...(o.workers !== undefined ? { workers: o.workers } : {}),
            });
        rec.run = out.run;
        if (out.index) rec.index = out.index;
        if (out.archive) rec.archive = out.archive;
        if (out.evidenceId !== undefined) rec.evidenceId = out.evidenceId;
        if (out.caseRunId !== undefined) {
          rec.caseRunId = out.caseRunId;
          if (rec.caseId !== undefined) this.#aliases.set(caseRunKey(rec.caseId, out.caseRunId), runId);
        }
        rec.state = 'done';
      } catch (e) {
        const d = toErrorData(e);
        rec.state = d.code === 'CANCELLED' || abort.signal.aborted ? 'cancelled' : 'failed';
        rec.error = {
          code: rec.state === 'cancelled' ? 'CANCELLED' : d.code,
          message: rec.state === 'cancelled' ? 'verification was cancelled' : d.message,
        };
      }
      rec.finishedAt = new Date().toISOString();
      rec.stageStarts.push({ stage: 'done', at: Date.now() });
      try {
        await o.onFinished?.(rec);
      } catch (e) {
        rec.error = {
          code: 'INTERNAL',
          message: `the run finished but could not be recorded: ${toErrorData(e).message}`,
        };
      }
      this.emit({ type: 'run.state', runId, state: rec.state });
      this.#prune();
    })();
    this.#runs.set(runId, rec);
    this.emit({ type: 'run.state', runId, state: 'running' });
    return runId;
  }

  /** True when the run was still running and is now being stopped. */
  cancel(runId: string): boolean {
    const r = this.record(runId);
    if (r.state !== 'running') return false;
    r.abort.abort();
    return true;
  }

  record(runId: string): RunRecord {
    const r = this.#runs.get(this.#aliases.get(runId) ?? runId) ?? this.#load(runId);
    if (!r) throw new ProofdeskError('USAGE', `no run ${runId}`, { notFound: true });
    return r;
  }

  #load(runId: string): RunRecord | undefined {
    const l = parseCaseRunKey(runId) ? this.loader?.(runId) : undefined;
    if (!l) return undefined;
    const rec: RunRecord = {
      runId: l.runId,
      bundle: l.bundle,
      caseId: l.caseId,
      evidenceId: l.evidenceId,
      caseRunId: l.caseRunId,
      startedAt: l.startedAt,
      ...(l.finishedAt !== undefined ? { finishedAt: l.finishedAt } : {}),
      stageStarts: [],
      state: l.state,
      ...(l.run ? { run: l.run } : {}),
      ...(l.index ? { index: l.index } : {}),
      ...(l.error ? { error: l.error } : {}),
      keyFiles: [],
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.#runs.set(runId, rec);
    this.#prune();
    return rec;
  }

  /** Forgets every run of a case (the case was closed): running ones are cancelled first. */
  async dropCase(caseId: string): Promise<string[]> {
    const mine = [...this.#runs.values()].filter((r) => r.caseId === caseId);
    for (const r of mine) if (r.state === 'running') r.abort.abort();
    await Promise.all(mine.map((r) => r.done));
    for (const r of mine) this.#runs.delete(r.runId);
    for (const [k, v] of this.#aliases) if (!this.#runs.has(v)) this.#aliases.delete(k);
    return mine.map((r) => r.runId);
  }

  view(runId: string): RunView {
    return toView(this.record(runId));
  }

  list(): RunView[] {
    return [...this.#runs.values()].map(toView).reverse();
  }

  /** Cancels everything still running and waits for it to stop. */
  async close(): Promise<void> {
    for (const r of this.#runs.values()) if (r.state === 'running') r.abort.abort();
    await Promise.all([...this.#runs.values()].map((r) => r.done));
  }

  #prune(): void {
    const finished = [...this.#runs.values()].filter((r) => r.state !== 'running');
    for (const r of finished.slice(0, Math.max(0, finished.length - MAX_RUNS_KEPT))) this.#runs.delete(r.runId);
    for (const [k, v] of this.#aliases) if (!this.#runs.has(v)) this.#aliases.delete(k);
  }
}

/** How long each stage took, from when each began to when the next did. */
function stageDurations(r: RunRecord): Array<{ stage: RunStage; ms: number }> {
  const out: Array<{ stage: RunStage; ms: number }> = [];
  const s = r.stageStarts;
  for (let k = 0; k + 1 < s.length; k++) out.push({ stage: s[k]!.stage, ms: s[k + 1]!.at - s[k]!.at });
  return out;
}

function toView(r: RunRecord): RunView {
  return {
    runId: r.runId,
    state: r.state,
    bundle: r.bundle,
    ...(r.caseId !== undefined ? { caseId: r.caseId } : {}),
    ...(r.evidenceId !== undefined ? { evidenceId: r.evidenceId } : {}),
    ...(r.caseRunId !== undefined ? { caseRunId: r.caseRunId } : {}),
    startedAt: r.startedAt,
    ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
    ...(r.progress ? { progress: r.progress } : {}),
    ...(r.stageStarts.length > 1 ? { stages: stageDurations(r) } : {}),
    ...(r.run ? { run: r.run } : {}),
    ...(r.error ? { error: r.error } : {}),
    browsable: r.state === 'done' && r.index !== undefined,
    ...(r.changedSinceImport ? { changedSinceImport: r.changedSinceImport } : {}),
  };
}
