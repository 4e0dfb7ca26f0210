/**
 * Worker threads: the one loader every pool uses (startModuleWorker), and a fixed pool of job
 * workers speaking the job protocol of shared/protocol/worker.ts. Jobs are queued and handed
 * to idle workers; each job's promise settles with its result or a ProofdeskError rebuilt from
 * the worker's error data. close() terminates every worker at once: jobs are pure reads, so
 * stopping them mid-way loses nothing. The pool is told which worker module to run; it knows
 * nothing of what the jobs are (electron/verify/pool.ts runs the verification worker in it).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, Job, JobResult, ToWorker } from '../../shared/protocol/worker.js';
import { fromErrorData, ProofdeskError } from '../../shared/verdict/errors.js';

export interface PoolProgress {
  readonly worker: number;
  readonly seq: number;
  readonly entries: number;
  readonly bytes: number;
}

interface Pending {
  readonly seq: number;
  readonly job: Job;
  readonly onProgress?: (entries: number, bytes: number) => void;
  readonly resolve: (r: JobResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * The worker module `name` beside the module at `base` (its import.meta.url): `name.js` in
 * built code, `name.ts` when the sources run as TypeScript (the test runner).
 */
export function moduleBeside(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/**
 * Starts a worker thread running the module at `script`. Built code runs the .js directly.
 * Under the test runner the sources are TypeScript: the worker first registers tsx's loader
 * (a dev dependency), then imports the .ts.
 */
export function startModuleWorker(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return new Worker(
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`,
    { eval: true },
  );
}

export class JobPool {
  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #busy = new Map<number, Pending>(); // worker index -> job
  readonly #queue: Pending[] = [];
  #seq = 0;
  #closed = false;
  #cancelReason: ProofdeskError | undefined;

  constructor(
    script: URL,
    size: number,
    readonly onProgress?: (p: PoolProgress) => void,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 64)
      throw new ProofdeskError('USAGE', `worker count must be between 1 and 64, got ${size}`);
    this.size = size;
    for (let w = 0; w < size; w++) {
      const worker = startModuleWorker(script);
      worker.on('message', (m: FromWorker) => this.#onMessage(w, m));
      worker.on('error', (e) => this.#fail(w, e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => {
        if (!this.#closed)
          this.#fail(w, new ProofdeskError('INTERNAL', `verification worker ${w} exited with code ${code}`));
      });
      this.#workers.push(worker);
    }
  }

  /** Queues a job; `onProgress` receives this job's own progress reports. */
  run<R extends JobResult>(job: Job, onProgress?: (entries: number, bytes: number) => void): Promise<R> {
    if (this.#closed)
      return Promise.reject(this.#cancelReason ?? new ProofdeskError('INTERNAL', 'worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({
        seq: ++this.#seq,
        job,
        resolve: resolve as (r: JobResult) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (let w = 0; w < this.#workers.length && this.#queue.length; w++) {
      if (this.#busy.has(w)) continue;
      const p = this.#queue.shift()!;
      this.#busy.set(w, p);
      const msg: ToWorker = { type: 'job', seq: p.seq, job: p.job };
      this.#workers[w]!.postMessage(msg);
    }
  }

  #onMessage(w: number, m: FromWorker): void {
    const p = this.#busy.get(w);
    if (!p || p.seq !== m.seq) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.entries, m.bytes);
      this.onProgress?.({ worker: w, seq: m.seq, entries: m.entries, bytes: m.bytes });
      return;
    }
    this.#busy.delete(w);
    if (m.type === 'done') p.resolve(m.result);
    else p.reject(fromErrorData(m.error));
    this.#dispatch();
  }

  #fail(w: number, e: Error): void {
    const p = this.#busy.get(w);
    this.#busy.delete(w);
    p?.reject(e);
    // A crashed worker leaves the pool unusable: fail everything still queued.
    void this.close(e instanceof ProofdeskError ? e : new ProofdeskError('INTERNAL', e.message));
  }

  /** Stops all workers; pending and queued jobs reject with `reason`. */
  async close(reason?: ProofdeskError): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelReason = reason;
    const err = reason ?? new ProofdeskError('CANCELLED', 'verification was cancelled');
    for (const p of this.#busy.values()) p.reject(err);
    for (const p of this.#queue) p.reject(err);
    this.#busy.clear();
    this.#queue.length = 0;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
