/**
 * The work a verification worker does, as plain functions over a file region so they can be
 * tested without threads: count lines (scan), hash a region (digest), and verify a range of
 * entry lines (verify). This is the hot loop of Proofdesk: for 10 million entries it runs
 * 10 million times, so it hashes lines in place and allocates little per entry.
 *
 * The rules it applies come from shared/ (entry fields, chain, Merkle, Ed25519); this file and
 * the steps in range-verifier/ only decide how to read bytes fast.
 */
import { closeSync, fstatSync } from 'node:fs';
import type {
  DigestJob,
  DigestResult,
  ScanJob,
  ScanResult,
  VerifyJob,
  VerifyResult,
} from '../../../shared/protocol/worker.js';
import { createHash } from '../../platform/node-hash.js';
import { openRegion } from '../../platform/open-regular.js';
import { EntryReader } from './range-verifier/entry-reader.js';
import { LF, READ_CHUNK, readAt, readBuffer } from './range-verifier/io.js';
import { rangeResult } from './range-verifier/result.js';
import { RangeRun } from './range-verifier/run.js';

export { FindingSink, RangeSet } from './range-verifier/sinks.js';

/**
 * SHA-256 of a whole region, streamed. With `wholeFile`, the same single pass also hashes the
 * whole file the region lies in (a tar archive: the digest a report lists for it), so the
 * archive digest is of the bytes this run read and costs no second read of the entries.
 */
export function digestRegion(job: DigestJob, progress?: (bytes: number) => void): DigestResult {
  const fd = openRegion(job.region);
  try {
    const { offset, size } = job.region;
    const h = createHash('sha256');
    const whole = job.wholeFile ? createHash('sha256') : undefined;
    const buf = readBuffer(READ_CHUNK);
    const from = whole ? 0 : offset;
    const to = whole ? fstatSync(fd).size : offset + size;
    let pos = from;
    let lastReport = Date.now();
    while (pos < to) {
      const n = readAt(fd, buf, 0, Math.min(READ_CHUNK, to - pos), pos);
      const chunk = buf.subarray(0, n);
      whole?.update(chunk);
      // The part of this chunk inside the region.
      const a = Math.max(pos, offset);
      const b = Math.min(pos + n, offset + size);
      if (a < b) h.update(chunk.subarray(a - pos, b - pos));
      pos += n;
      if (progress && Date.now() - lastReport > 100) {
        progress(Math.max(0, Math.min(pos, offset + size) - offset));
        lastReport = Date.now();
      }
    }
    return {
      kind: 'digest',
      sha256: h.digest('hex'),
      ...(whole ? { file: { size: to, sha256: whole.digest('hex') } } : {}),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Counts line starts in [from, to) of the region: offset 0 (when the region is non-empty)
 * and every offset right after a line feed, excluding the region end.
 */
export function scanRegion(job: ScanJob): ScanResult {
  const { region, from, to } = job;
  if (from >= to || from >= region.size) return { kind: 'scan', firstStart: -1, starts: 0 };
  const fd = openRegion(region);
  try {
    let starts = 0;
    let firstStart = -1;
    if (from === 0) {
      starts = 1;
      firstStart = 0;
    }
    // A line starts at p > 0 when byte p-1 is a line feed: scan bytes [from-1, to-1).
    let pos = Math.max(from - 1, 0);
    const stop = Math.min(to, region.size) - 1;
    const buf = readBuffer(READ_CHUNK);
    while (pos < stop) {
      const n = readAt(fd, buf, 0, Math.min(READ_CHUNK, stop - pos), region.offset + pos);
      let i = buf.indexOf(LF, 0);
      while (i >= 0 && i < n) {
        if (pos + i + 1 < region.size) {
          starts++;
          if (firstStart < 0) firstStart = pos + i + 1;
        }
        i = buf.indexOf(LF, i + 1);
      }
      pos += n;
    }
    return { kind: 'scan', firstStart, starts };
  } finally {
    closeSync(fd);
  }
}

/**
 * Verifies the entry lines that start in [job.start, job.end) of the region. Requires
 * job.start to be a line start. Calls progress(entries, bytes) about every 100 ms.
 */
export function verifyRange(job: VerifyJob, progress?: (entries: number, bytes: number) => void): VerifyResult {
  const run = new RangeRun(job);
  const fd = openRegion(job.region);
  let bytes = 0;
  try {
    const reader = new EntryReader(run, fd, progress);
    reader.readAll();
    bytes = reader.bytesDone;
  } finally {
    closeSync(fd);
  }
  return rangeResult(run, bytes);
}
