/**
 * Reading a region's bytes: one reusable read buffer per thread, and reads that fail loudly when
 * the file is shorter than it was.
 */
import { readSync } from 'node:fs';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';

export const READ_CHUNK = 4 * 1024 * 1024;
export const LF = 0x0a;

/**
 * One read buffer per thread, shared by its jobs. Jobs run to completion one at a time and no
 * view of the buffer outlives a job, so reuse is safe; a fresh 4 MiB buffer per job instead
 * sits outside the heap until a full collection, 24-48 MB per worker at 10 million entries.
 * Larger buffers (a raised entry-size limit) are allocated per job and not kept.
 */
let spareBuffer: Buffer | undefined;
export function readBuffer(minBytes: number): Buffer {
  if (minBytes > READ_CHUNK + 1) return Buffer.allocUnsafe(minBytes);
  return (spareBuffer ??= Buffer.allocUnsafe(READ_CHUNK + 1));
}

/** Reads exactly `len` bytes at file position `pos` into buf[off, off + len). */
export function readAt(fd: number, buf: Buffer, off: number, len: number, pos: number): number {
  let done = 0;
  while (done < len) {
    const n = readSync(fd, buf, off + done, len - done, pos + done);
    if (n <= 0)
      throw new ProofdeskError('INPUT_UNREADABLE', 'file ended early (was it modified while being verified?)');
    done += n;
  }
  return done;
}
