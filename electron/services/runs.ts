/**
 * Verification runs started from the UI: one registry per backend, shared by the Electron
 * IPC handlers and the local HTTP host. A run is the CLI's verifyBundle() call with live
 * progress (throttled into events) and an AbortController for cancel; when it finishes,
 * its result and EntryIndex stay in memory for the entry browser.
 */
import { randomUUID } from 'node:crypto';
import type { TrustedKey } from '../../shared/keys/trust.js';
import type { IpcError, IpcEvent, RunProgress, RunState, RunView } from '../../shared/protocol/ipc.js';
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
  readonly startedAt: string;
  state: RunState;
  progress?: RunProgress;
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
) => Promise<VerifyOutput & { readonly caseRunId?: number }>;

export interface StartRun {
  readonly bundle: string;
  readonly trusted: readonly TrustedKey[];
  readonly keyFiles?: readonly string[];
  readonly runner?: Runner;
  readonly caseId?: string;
  readonly workers?: number;
  /** Called once with the finished run (e.g. to record it in the case file). */
  readonly onFinished?: (rec: RunRecord) => void | Promise<void>;
}

export class RunRegistry {
  readonly #runs = new Map<string, RunRecord>();
  constructor(private readonly emit: (e: IpcEvent) => void) {}

  start(o: StartRun): string {
    const runId = randomUUID();
    const abort = new AbortController();
    let last = 0;
    const onProgress = (p: RunProgress) => {
      rec.progress = p;
      const now = Date.now();
      if (p.stage !== 'done' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      this.emit({ type: 'run.progress', runId, progress: p });
    };
    const rec: RunRecord = {
      runId,
      bundle: o.bundle,
      ...(o.caseId !== undefined ? { caseId: o.caseId } : {}),
      startedAt: new Date().toISOString(),
      state: 'running',
      keyFiles: o.keyFiles ?? [],
      abort,
      done: Promise.resolve(),
    };
    rec.done = (async () => {
      // Let start() return the id before the first progress event.
      await Promise.resolve();
      try {
        const out: VerifyOutput & { readonly caseRunId?: number } = o.runner
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
        if (out.caseRunId !== undefined) rec.caseRunId = out.caseRunId;
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
    const r = this.#runs.get(runId);
    if (!r) throw new ProofdeskError('USAGE', `no run ${runId}`, { notFound: true });
    return r;
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
  }
}

function toView(r: RunRecord): RunView {
  return {
    runId: r.runId,
    state: r.state,
    bundle: r.bundle,
    ...(r.caseId !== undefined ? { caseId: r.caseId } : {}),
    startedAt: r.startedAt,
    ...(r.progress ? { progress: r.progress } : {}),
    ...(r.run ? { run: r.run } : {}),
    ...(r.error ? { error: r.error } : {}),
    browsable: r.state === 'done' && r.index !== undefined,
  };
}
