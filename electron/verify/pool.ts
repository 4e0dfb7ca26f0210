/** The verification workers: a job pool running verify/worker.ts (digest, scan and verify jobs). */
import { JobPool, moduleBeside, type PoolProgress } from '../platform/worker-pool.js';

export type { PoolProgress };

export class WorkerPool extends JobPool {
  constructor(size: number, onProgress?: (p: PoolProgress) => void) {
    super(moduleBeside(import.meta.url, './worker'), size, onProgress);
  }
}
