/**
 * Step "hash entries": the workers count line starts per chunk (scan), then verify line-aligned
 * jobs (leaf hashes, chain links, sequence, time, entry rules, entry signatures, block roots),
 * while one of them hashes the whole entries file (and, for a tar bundle, the whole archive) in
 * the same pass. Live progress and cancellation are handled here.
 */
import type { VerifyProgress, VerifyStage } from '../../../shared/protocol/progress.js';
import type { DigestResult, RegionRef, ScanResult, VerifyJob, VerifyResult } from '../../../shared/protocol/worker.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type PoolProgress, WorkerPool } from '../pool.js';
import type { Findings } from './collect.js';
import { BLOCK_LEAVES, type MergeOutput, mergeResults } from './merge.js';

/** What every verify job shares; the step adds the job's own range. */
export type JobTemplate = Omit<
  VerifyJob,
  | 'kind'
  | 'region'
  | 'start'
  | 'end'
  | 'baseIndex'
  | 'isLast'
  | 'genesis'
  | 'snapshotSizes'
  | 'leafIndices'
  | 'blockLeaves'
>;

export interface HashEntriesInput {
  readonly region: RegionRef;
  readonly workers: number;
  readonly chunkBytes?: number;
  readonly job: JobTemplate;
  readonly genesis: string;
  /** Tree sizes whose roots to keep, and entries whose leaf hashes to keep. */
  readonly sizesWanted: ReadonlySet<number>;
  readonly leafIndexes: ReadonlySet<number>;
  /** Also hash the entries file (its manifest digest), and the whole file it lies in (a tar archive). */
  readonly wantDigest: boolean;
  readonly wantArchive: boolean;
  readonly signal?: AbortSignal;
  readonly progress: (p: Omit<VerifyProgress, 'elapsedMs' | 'entriesPerSecond' | 'etaMs'> & { etaMs?: number }) => void;
  readonly startedAt: number;
}

export interface HashEntriesOutput {
  readonly merged: MergeOutput;
  readonly entriesSha256?: string;
  readonly archive?: { readonly size: number; readonly sha256: string };
}

/** Live progress over the jobs: finished jobs plus what the running ones reported. */
class ProgressTally {
  stage: VerifyStage = 'scan';
  entriesTotal?: number;
  readonly perWorker = new Map<number, { entries: number; bytes: number }>();
  readonly running = new Map<number, { entries: number; bytes: number }>();
  finishedEntries = 0;
  finishedBytes = 0;
  #lastEmit = 0;
  constructor(private readonly input: HashEntriesInput) {}

  emit(force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastEmit < 50) return;
    this.#lastEmit = now;
    let e = this.finishedEntries;
    let b = this.finishedBytes;
    for (const v of this.running.values()) {
      e += v.entries;
      b += v.bytes;
    }
    const elapsed = now - this.input.startedAt;
    const rate = elapsed > 0 ? e / elapsed : 0;
    this.input.progress({
      stage: this.stage,
      entriesDone: e,
      ...(this.entriesTotal !== undefined ? { entriesTotal: this.entriesTotal } : {}),
      bytesDone: b,
      bytesTotal: this.input.region.size,
      ...(this.entriesTotal !== undefined && rate > 0 ? { etaMs: (this.entriesTotal - e) / rate } : {}),
      perWorker: [...this.perWorker.entries()].map(([worker, v]) => ({ worker, ...v })),
    });
  }
}

/** Line-aligned jobs with known first indexes, from the per-chunk line counts. */
async function planJobs(
  pool: WorkerPool,
  region: RegionRef,
  chunk: number,
): Promise<Array<{ start: number; starts: number; baseIndex: number }>> {
  const bounds: number[] = [];
  for (let s = 0; s < region.size; s += chunk) bounds.push(s);
  const scans = await Promise.all(
    bounds.map((from) => pool.run<ScanResult>({ kind: 'scan', region, from, to: Math.min(from + chunk, region.size) })),
  );
  const jobs: Array<{ start: number; starts: number; baseIndex: number }> = [];
  let base = 0;
  for (const s of scans) {
    if (s.starts === 0) continue;
    jobs.push({ start: s.firstStart, starts: s.starts, baseIndex: base });
    base += s.starts;
  }
  return jobs;
}

export async function hashEntries(
  input: HashEntriesInput,
  entriesPath: string,
  F: Findings,
): Promise<HashEntriesOutput> {
  const { region, workers } = input;
  const tally = new ProgressTally(input);
  const pool = new WorkerPool(workers, (p: PoolProgress) => {
    tally.perWorker.set(p.worker, { entries: p.entries, bytes: p.bytes });
    tally.emit();
  });
  const abort = () => void pool.close(new ProofdeskError('CANCELLED', 'verification was cancelled'));
  input.signal?.addEventListener('abort', abort, { once: true });
  try {
    const digestP =
      input.wantDigest || input.wantArchive
        ? pool.run<DigestResult>({ kind: 'digest', region, wholeFile: input.wantArchive })
        : undefined;
    // Awaited after the verify jobs; until then a cancellation must not surface as an unhandled rejection.
    digestP?.catch(() => undefined);
    input.progress({ stage: 'scan', entriesDone: 0, bytesDone: 0, bytesTotal: region.size, perWorker: [] });
    const chunk =
      input.chunkBytes ??
      Math.min(Math.max(Math.ceil(region.size / (workers * 8)), 4 * 1024 * 1024), 256 * 1024 * 1024);
    const jobs = await planJobs(pool, region, chunk);
    const total = jobs.reduce((n, j) => n + j.starts, 0);
    tally.entriesTotal = total;
    tally.stage = 'verify';
    tally.emit(true);
    const results = await Promise.all(
      jobs.map((j, k) => {
        const job: VerifyJob = {
          ...input.job,
          kind: 'verify',
          region,
          start: j.start,
          end: jobs[k + 1]?.start ?? region.size,
          baseIndex: j.baseIndex,
          isLast: k === jobs.length - 1,
          ...(j.baseIndex === 0 ? { genesis: input.genesis } : {}),
          snapshotSizes: [...input.sizesWanted].filter((s) => s > j.baseIndex && s <= j.baseIndex + j.starts),
          leafIndices: [...input.leafIndexes].filter((i) => i >= j.baseIndex && i < j.baseIndex + j.starts),
          blockLeaves: BLOCK_LEAVES,
        };
        return pool
          .run<VerifyResult>(job, (entries, bytes) => tally.running.set(k, { entries, bytes }))
          .then((r) => {
            tally.running.delete(k);
            tally.finishedEntries += r.count;
            tally.finishedBytes += r.bytes;
            tally.emit(true);
            return r;
          });
      }),
    );
    const digest = digestP ? await digestP : undefined;
    input.progress({
      stage: 'merge',
      entriesDone: total,
      entriesTotal: total,
      bytesDone: region.size,
      bytesTotal: region.size,
      perWorker: [],
    });
    const merged = mergeResults(results, entriesPath, F);
    return {
      merged,
      ...(input.wantDigest && digest ? { entriesSha256: digest.sha256 } : {}),
      ...(digest?.file ? { archive: digest.file } : {}),
    };
  } finally {
    input.signal?.removeEventListener('abort', abort);
    await pool.close();
  }
}
