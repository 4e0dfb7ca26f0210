/**
 * Runs the app's long work off the Electron main process (shared/protocol/case-tasks.ts lists it):
 * each task goes to an idle worker thread, or to a new one, so a quick task (trusting a key)
 * never waits behind a long one (indexing ten million entries). A finished worker is kept for
 * the next task (at most MAX_IDLE), so most tasks do not pay for starting a thread. Workers are
 * unref'd: an idle one never keeps the process alive.
 *
 * A task's promise settles with its result, or with a ProofdeskError rebuilt from the worker's
 * error data; aborting its signal asks the worker to stop (CANCELLED, or an early result when
 * the task can keep what it has, as a recorded run whose search index was not finished).
 */
import type { Worker } from 'node:worker_threads';
import { assertNever } from '../../shared/encoding/assert.js';
import type {
  FromTaskWorker,
  TaskArgs,
  TaskKind,
  TaskProgress,
  TaskResult,
  ToTaskWorker,
} from '../../shared/protocol/case-tasks.js';
import { fromErrorData, ProofdeskError } from '../../shared/verdict/errors.js';
import { moduleBeside, startModuleWorker } from '../platform/worker-pool.js';

/** Idle workers kept for reuse. */
export const MAX_IDLE = 2;

/** The task worker: case-tasks.worker.js beside this module (its .ts under the test runner). */
function startWorker(): Worker {
  return startModuleWorker(moduleBeside(import.meta.url, './case-tasks.worker'));
}

interface Slot {
  readonly worker: Worker;
  /** The task it runs, if any. */
  task?: { readonly seq: number; readonly onMessage: (m: FromTaskWorker) => void; readonly fail: (e: Error) => void };
}

export interface TaskOptions<K extends TaskKind> {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TaskProgress<K>) => void;
}

export class CaseTasks {
  readonly #idle: Slot[] = [];
  readonly #all = new Set<Slot>();
  #seq = 0;
  #closed = false;

  /** Tasks running now (for tests and for close()). */
  get running(): number {
    return [...this.#all].filter((s) => s.task).length;
  }

  /** Threads started so far and alive. */
  get threads(): number {
    return this.#all.size;
  }

  run<K extends TaskKind>(kind: K, args: TaskArgs<K>, opts: TaskOptions<K> = {}): Promise<TaskResult<K>> {
    if (this.#closed) return Promise.reject(new ProofdeskError('CANCELLED', 'the app is closing'));
    if (opts.signal?.aborted) return Promise.reject(new ProofdeskError('CANCELLED', `${kind} was cancelled`));
    const slot = this.#idle.pop() ?? this.#start();
    const seq = ++this.#seq;
    const stop = new SharedArrayBuffer(4);
    return new Promise<TaskResult<K>>((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(new Int32Array(stop), 0, 1);
        const m: ToTaskWorker = { type: 'cancel', seq };
        slot.worker.postMessage(m);
      };
      const settle = () => {
        opts.signal?.removeEventListener('abort', onAbort);
        slot.task = undefined;
        this.#release(slot);
      };
      slot.task = {
        seq,
        onMessage: (m) => {
          switch (m.type) {
            case 'ready':
              return;
            case 'progress':
              if (m.seq === seq) opts.onProgress?.(m.progress as TaskProgress<K>);
              return;
            case 'done':
              if (m.seq !== seq) return;
              settle();
              resolve(m.value as TaskResult<K>);
              return;
            case 'error':
              if (m.seq !== seq) return;
              settle();
              reject(fromErrorData(m.error));
              return;
            default:
              assertNever(m, 'task message');
          }
        },
        fail: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const m: ToTaskWorker = { type: 'run', seq, kind, args, stop };
      slot.worker.postMessage(m);
    });
  }

  /** Stops every worker; running tasks fail with CANCELLED. */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = [...this.#all];
    this.#idle.length = 0;
    await Promise.all(
      slots.map((s) => {
        s.task?.fail(new ProofdeskError('CANCELLED', 'the app is closing'));
        s.task = undefined;
        this.#all.delete(s);
        return s.worker.terminate();
      }),
    );
  }

  #start(): Slot {
    const slot: Slot = { worker: startWorker() };
    this.#all.add(slot);
    slot.worker.on('message', (m: FromTaskWorker) => slot.task?.onMessage(m));
    const lost = (why: string) => {
      if (!this.#all.delete(slot)) return;
      const i = this.#idle.indexOf(slot);
      if (i >= 0) this.#idle.splice(i, 1);
      slot.task?.fail(new ProofdeskError('INTERNAL', `a task thread ${why}`));
      slot.task = undefined;
    };
    slot.worker.on('error', (e) => lost(`failed: ${e instanceof Error ? e.message : String(e)}`));
    slot.worker.on('exit', (code) => lost(`exited with code ${code}`));
    slot.worker.unref();
    return slot;
  }

  #release(slot: Slot): void {
    if (this.#closed || !this.#all.has(slot)) return;
    if (this.#idle.length < MAX_IDLE) this.#idle.push(slot);
    else {
      this.#all.delete(slot);
      void slot.worker.terminate();
    }
  }
}
