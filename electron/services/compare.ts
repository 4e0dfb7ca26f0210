/**
 * Comparisons of two exports started from the UI: the diff engine (electron/diff/diff.ts,
 * the same service as `proofdesk diff`) with throttled progress events and cancel. In a case
 * the comparison is a run of the case (a task: electron/services/case-diff.ts), found again by
 * its case key, and an earlier one is loaded from the case on first use (`loader`).
 */
import { randomUUID } from 'node:crypto';
import type { DiffRun } from '../../shared/diff/model.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import {
  type CompareProgress,
  type CompareView,
  caseRunKey,
  type IpcError,
  type IpcEvent,
  parseCaseRunKey,
  type RunState,
} from '../../shared/protocol/ipc.js';
import { ProofdeskError, toErrorData } from '../../shared/verdict/errors.js';
import { diffBundles } from '../diff/diff.js';
import { PROGRESS_INTERVAL_MS } from './runs.js';

interface Job {
  readonly jobId: string;
  readonly a: string;
  readonly b: string;
  readonly caseId?: string;
  caseRunId?: number;
  readonly startedAt: string;
  finishedAt?: string;
  state: RunState;
  progress?: CompareProgress;
  run?: DiffRun;
  error?: IpcError;
  proofs?: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
  readonly abort: AbortController;
  done: Promise<void>;
}

/** What a comparison in a case returns besides the run. */
export interface CaseCompareOutput {
  readonly run: DiffRun;
  readonly caseRunId: number;
  readonly proofs: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
}

export interface StartCompare {
  readonly a: string;
  readonly b: string;
  readonly trusted: readonly TrustedKey[];
  readonly alignBy?: 'seq' | 'content';
  readonly workers?: number;
  readonly caseId?: string;
  /** A comparison recorded in the case (instead of the engine called here). */
  readonly runner?: (signal: AbortSignal, onProgress: (p: CompareProgress) => void) => Promise<CaseCompareOutput>;
}

/** A comparison read back from the case. */
export interface LoadedCompare {
  readonly jobId: string;
  readonly a: string;
  readonly b: string;
  readonly caseId: string;
  readonly caseRunId: number;
  readonly state: RunState;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly run?: DiffRun;
  readonly error?: IpcError;
  readonly proofs: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
}

const MAX_KEPT = 10;

export class CompareRegistry {
  readonly #jobs = new Map<string, Job>();
  readonly #aliases = new Map<string, string>();
  loader?: (jobId: string) => LoadedCompare | undefined;
  constructor(private readonly emit: (e: IpcEvent) => void) {}

  start(o: StartCompare): string {
    const jobId = randomUUID();
    const job: Job = {
      jobId,
      a: o.a,
      b: o.b,
      ...(o.caseId !== undefined ? { caseId: o.caseId } : {}),
      startedAt: new Date().toISOString(),
      state: 'running',
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    let last = 0;
    const onProgress = (p: CompareProgress) => {
      job.progress = p;
      const now = Date.now();
      if (p.stage === 'verify' && p.verify.stage !== 'done' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      this.emit({ type: 'compare.progress', jobId, progress: p });
    };
    this.#jobs.set(jobId, job);
    job.done = (async () => {
      await Promise.resolve();
      try {
        if (o.runner) {
          const out = await o.runner(job.abort.signal, onProgress);
          job.run = out.run;
          job.caseRunId = out.caseRunId;
          job.proofs = out.proofs;
          if (o.caseId !== undefined) this.#aliases.set(caseRunKey(o.caseId, out.caseRunId), jobId);
        } else
          job.run = await diffBundles({
            a: o.a,
            b: o.b,
            trusted: o.trusted,
            signal: job.abort.signal,
            onProgress,
            ...(o.alignBy ? { alignBy: { kind: o.alignBy } } : {}),
            ...(o.workers !== undefined ? { workers: o.workers } : {}),
          });
        job.state = 'done';
      } catch (e) {
        const d = toErrorData(e);
        job.state = d.code === 'CANCELLED' || job.abort.signal.aborted ? 'cancelled' : 'failed';
        job.error = {
          code: job.state === 'cancelled' ? 'CANCELLED' : d.code,
          message: job.state === 'cancelled' ? 'the comparison was cancelled' : d.message,
        };
      }
      job.finishedAt = new Date().toISOString();
      this.emit({ type: 'compare.state', jobId, state: job.state });
      this.#prune();
    })();
    this.emit({ type: 'compare.state', jobId, state: 'running' });
    return jobId;
  }

  #job(jobId: string): Job {
    const j = this.#jobs.get(this.#aliases.get(jobId) ?? jobId) ?? this.#load(jobId);
    if (!j) throw new ProofdeskError('USAGE', `no comparison ${jobId}`, { notFound: true });
    return j;
  }

  #load(jobId: string): Job | undefined {
    const l = parseCaseRunKey(jobId) ? this.loader?.(jobId) : undefined;
    if (!l) return undefined;
    const job: Job = {
      jobId,
      a: l.a,
      b: l.b,
      caseId: l.caseId,
      caseRunId: l.caseRunId,
      startedAt: l.startedAt,
      ...(l.finishedAt !== undefined ? { finishedAt: l.finishedAt } : {}),
      state: l.state,
      ...(l.run ? { run: l.run } : {}),
      ...(l.error ? { error: l.error } : {}),
      proofs: l.proofs,
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.#jobs.set(jobId, job);
    this.#prune();
    return job;
  }

  /** The comparison's record (for signing its attestation). */
  record(jobId: string): Readonly<Job> {
    return this.#job(jobId);
  }

  cancel(jobId: string): boolean {
    const j = this.#job(jobId);
    if (j.state !== 'running') return false;
    j.abort.abort();
    return true;
  }

  view(jobId: string): CompareView {
    const j = this.#job(jobId);
    return {
      jobId: j.jobId,
      state: j.state,
      a: j.a,
      b: j.b,
      ...(j.caseId !== undefined ? { caseId: j.caseId } : {}),
      ...(j.caseRunId !== undefined ? { caseRunId: j.caseRunId } : {}),
      startedAt: j.startedAt,
      ...(j.finishedAt !== undefined ? { finishedAt: j.finishedAt } : {}),
      ...(j.progress ? { progress: j.progress } : {}),
      ...(j.run ? { run: j.run } : {}),
      ...(j.error ? { error: j.error } : {}),
      ...(j.proofs ? { proofs: j.proofs } : {}),
    };
  }

  /** Forgets every comparison of a case (the case was closed): running ones are cancelled first. */
  async dropCase(caseId: string): Promise<void> {
    const mine = [...this.#jobs.values()].filter((j) => j.caseId === caseId);
    for (const j of mine) if (j.state === 'running') j.abort.abort();
    await Promise.all(mine.map((j) => j.done));
    for (const j of mine) this.#jobs.delete(j.jobId);
    for (const [k, v] of this.#aliases) if (!this.#jobs.has(v)) this.#aliases.delete(k);
  }

  async close(): Promise<void> {
    for (const j of this.#jobs.values()) if (j.state === 'running') j.abort.abort();
    await Promise.all([...this.#jobs.values()].map((j) => j.done));
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - MAX_KEPT))) this.#jobs.delete(j.jobId);
    for (const [k, v] of this.#aliases) if (!this.#jobs.has(v)) this.#aliases.delete(k);
  }
}
