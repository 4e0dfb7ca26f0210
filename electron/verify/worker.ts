/**
 * Worker-thread entry point: runs jobs from shared/protocol/worker.ts one at a time and
 * answers each with progress messages and one 'done' or 'error'. All logic lives in
 * range-verifier.ts; this file only adapts it to messages.
 */
import { parentPort } from 'node:worker_threads';
import { assertNever } from '../../shared/encoding/assert.js';
import type { FromWorker, JobResult, ToWorker } from '../../shared/protocol/worker.js';
import { toErrorData } from '../../shared/verdict/errors.js';
import { digestRegion, scanRegion, verifyRange } from './bundle/range-verifier.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

port.on('message', (msg: ToWorker) => {
  const { seq, job } = msg;
  try {
    let result: JobResult;
    switch (job.kind) {
      case 'digest':
        result = digestRegion(job, (bytes) => post({ type: 'progress', seq, entries: 0, bytes }));
        break;
      case 'scan':
        result = scanRegion(job);
        break;
      case 'verify':
        result = verifyRange(job, (entries, bytes) => post({ type: 'progress', seq, entries, bytes }));
        break;
      default:
        assertNever(job, 'job');
    }
    post({ type: 'done', seq, result });
  } catch (e) {
    post({ type: 'error', seq, error: toErrorData(e) });
  }
});
