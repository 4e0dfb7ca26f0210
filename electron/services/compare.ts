/**
 * Comparisons of two exports started from the UI: the diff engine (electron/diff/diff.ts,
 * the same service as `proofdesk diff`) with throttled progress events and cancel.
 */
import { randomUUID } from 'node:crypto';
import type { DiffRun } from '../../shared/diff/model.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import type { CompareProgress, CompareView, IpcError, IpcEvent, RunState } from '../../shared/protocol/ipc.js';
import { ProofdeskError, toErrorData } from '../../shared/verdict/errors.js';
import { type DiffProgress, diffBundles } from '../diff/diff.js';
import { PROGRESS_INTERVAL_MS } from './runs.js';

interface Job {
  readonly jobId: string;
  readonly a: string;
  readonly b: string;
  state: RunState;
  progress?: CompareProgress;
  run?: DiffRun;
  error?: IpcError;
  readonly abort: AbortController;
  done: Promise<void>;
}

export interface StartCompare {
  readonly a: string;
  readonly b: string;
  readonly trusted: readonly TrustedKey[];
  readonly alignBy?: 'seq' | 'content';
  readonly workers?: number;
}

const MAX_KEPT = 10;

export class CompareRegistry {
  readonly #jobs = new Map<string, Job>();
  constructor(private readonly emit: (e: IpcEvent) => void) {}

  start(o: StartCompare): string {
    const jobId = randomUUID();
    const job: Job = { jobId, a: o.a, b: o.b, state: 'running', abort: new AbortController(), done: Promise.resolve() };
    let last = 0;
    const onProgress = (p: DiffProgress) => {
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
      this.emit({ type: 'compare.state', jobId, state: job.state });
      const finished = [...this.#jobs.values()].filter((j) => j.state !== 'running');
      for (const j of finished.slice(0, Math.max(0, finished.length - MAX_KEPT))) this.#jobs.delete(j.jobId);
    })();
    this.emit({ type: 'compare.state', jobId, state: 'running' });
    return jobId;
  }

  #job(jobId: string): Job {
    const j = this.#jobs.get(jobId);
    if (!j) throw new ProofdeskError('USAGE', `no comparison ${jobId}`, { notFound: true });
    return j;
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
      jobId,
      state: j.state,
      a: j.a,
      b: j.b,
      ...(j.progress ? { progress: j.progress } : {}),
      ...(j.run ? { run: j.run } : {}),
      ...(j.error ? { error: j.error } : {}),
    };
  }

  async close(): Promise<void> {
    for (const j of this.#jobs.values()) if (j.state === 'running') j.abort.abort();
    await Promise.all([...this.#jobs.values()].map((j) => j.done));
  }
}
