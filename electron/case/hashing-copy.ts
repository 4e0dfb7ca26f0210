/**
 * Copies an open file to a new file and returns the SHA-256 of exactly the bytes written,
 * synchronously (import runs inside a synchronous protocol, see evidence.ts).
 *
 * Large files are hashed on a second thread: the calling thread reads each chunk into a slot
 * of a shared ring buffer and writes it out, while a worker hashes the same slot; a slot is
 * reused only after the worker is done with it. Reading, writing and hashing then overlap on
 * two cores instead of taking turns on one. Small files are hashed inline (a worker costs tens
 * of milliseconds to start).
 */
import { closeSync, constants, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { createHash } from '../platform/node-hash.js';

const CHUNK = 8 * 1024 * 1024;
const SLOTS = 4;
/** Below this size the file is hashed on the calling thread. */
export const PARALLEL_HASH_MIN = 32 * 1024 * 1024;
/** Longest wait for the hashing thread before the import is abandoned. */
const WAIT_MS = 120_000;

// Control words: per slot [state, length]; then [done, failed]. States: 0 free, 1 full, 2 end of input.
const FREE = 0;
const FULL = 1;
const END = 2;
const DONE = SLOTS * 2;

const HASHER = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { ctl: ctlBuf, data: dataBuf, out: outBuf, slots, chunk } = workerData;
const ctl = new Int32Array(ctlBuf);
const data = new Uint8Array(dataBuf);
const h = createHash('sha256');
try {
  for (let slot = 0; ; slot = (slot + 1) % slots) {
    Atomics.wait(ctl, slot * 2, ${FREE});
    const state = Atomics.load(ctl, slot * 2);
    if (state === ${END}) break;
    h.update(data.subarray(slot * chunk, slot * chunk + ctl[slot * 2 + 1]));
    Atomics.store(ctl, slot * 2, ${FREE});
    Atomics.notify(ctl, slot * 2);
  }
  new Uint8Array(outBuf).set(h.digest());
  Atomics.store(ctl, ${DONE}, 1);
} catch (e) {
  Atomics.store(ctl, ${DONE}, 2);
}
Atomics.notify(ctl, ${DONE});
`;

export interface CopyResult {
  readonly digest: string;
  readonly size: number;
}

function waitFor(ctl: Int32Array, index: number, busy: number, what: string): void {
  while (Atomics.load(ctl, index) === busy) {
    if (Atomics.wait(ctl, index, busy, WAIT_MS) === 'timed-out')
      throw new ProofdeskError('INTERNAL', `the hashing thread did not answer (${what})`);
  }
}

/** Sees each chunk as it is copied, in order (on the calling thread). */
export type ChunkInspector = (chunk: Uint8Array) => void;

/**
 * Copies `srcFd` (from offset 0) to the new file `dest` (created with O_EXCL, mode 0600) and
 * fsyncs it. `size` is the expected size (chooses the strategy; the real length is returned).
 */
export function copyAndHash(
  srcFd: number,
  dest: string,
  size: number,
  progress: (n: number) => void,
  inspect: ChunkInspector = () => {},
): CopyResult {
  const out = openSync(dest, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    const r =
      size >= PARALLEL_HASH_MIN
        ? copyParallel(srcFd, out, progress, inspect)
        : copyInline(srcFd, out, progress, inspect);
    fsyncSync(out);
    return r;
  } finally {
    closeSync(out);
  }
}

function writeAll(fd: number, b: Uint8Array, position: number): void {
  let w = 0;
  while (w < b.length) w += writeSync(fd, b, w, b.length - w, position + w);
}

function copyInline(src: number, out: number, progress: (n: number) => void, inspect: ChunkInspector): CopyResult {
  const buf = Buffer.allocUnsafe(CHUNK);
  const h = createHash('sha256');
  let size = 0;
  for (;;) {
    const n = readSync(src, buf, 0, buf.length, size);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    h.update(chunk);
    inspect(chunk);
    writeAll(out, chunk, size);
    size += n;
    progress(n);
  }
  return { digest: h.digest('hex'), size };
}

function copyParallel(src: number, out: number, progress: (n: number) => void, inspect: ChunkInspector): CopyResult {
  const ctlBuf = new SharedArrayBuffer(4 * (SLOTS * 2 + 1));
  const dataBuf = new SharedArrayBuffer(CHUNK * SLOTS);
  const outBuf = new SharedArrayBuffer(32);
  const ctl = new Int32Array(ctlBuf);
  const data = new Uint8Array(dataBuf);
  const worker = new Worker(HASHER, {
    eval: true,
    workerData: { ctl: ctlBuf, data: dataBuf, out: outBuf, slots: SLOTS, chunk: CHUNK },
  });
  worker.unref();
  let size = 0;
  let slot = 0;
  try {
    for (; ; slot = (slot + 1) % SLOTS) {
      waitFor(ctl, slot * 2, FULL, 'slot');
      const view = data.subarray(slot * CHUNK, (slot + 1) * CHUNK);
      const n = readSync(src, view, 0, CHUNK, size);
      if (n === 0) break;
      ctl[slot * 2 + 1] = n;
      Atomics.store(ctl, slot * 2, FULL);
      Atomics.notify(ctl, slot * 2);
      // The worker only reads the slot; writing it out at the same time is safe.
      writeAll(out, view.subarray(0, n), size);
      inspect(view.subarray(0, n));
      size += n;
      progress(n);
    }
    Atomics.store(ctl, slot * 2, END);
    Atomics.notify(ctl, slot * 2);
    waitFor(ctl, DONE, 0, 'digest');
    if (Atomics.load(ctl, DONE) !== 1) throw new ProofdeskError('INTERNAL', 'the hashing thread failed');
    return { digest: Buffer.from(new Uint8Array(outBuf)).toString('hex'), size };
  } finally {
    void worker.terminate();
  }
}
