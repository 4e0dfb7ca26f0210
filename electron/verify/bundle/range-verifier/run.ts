/** One range verification's state: what it has found and counted, and the state of each rule. */
import type { VerifyJob } from '../../../../shared/protocol/worker.js';
import { type BatchHasher, batchHasher } from '../../../platform/batch-hash.js';
import { Continuity } from './continuity.js';
import { newCounters, type RangeCounters } from './counters.js';
import { EntryFindings } from './entry-findings.js';
import { LeafTree } from './leaf-tree.js';
import { LineBatch } from './line-batch.js';
import { EntrySignatures } from './signatures.js';

export class RangeRun {
  readonly findings: EntryFindings;
  readonly counters: RangeCounters;
  readonly hasher: BatchHasher;
  readonly batch: LineBatch;
  readonly tree: LeafTree;
  readonly continuity: Continuity;
  readonly signatures: EntrySignatures;
  /** The index of the next entry to judge. */
  index: number;

  constructor(readonly job: VerifyJob) {
    this.findings = new EntryFindings(job.entriesPath, job.findingsPerCode);
    this.counters = newCounters();
    this.hasher = batchHasher(job.crossCheck);
    this.batch = new LineBatch(job.maxEntryBytes, job.crossCheck);
    this.tree = new LeafTree(job, this.hasher);
    this.continuity = new Continuity(job, this.findings, this.counters);
    this.signatures = new EntrySignatures(job, this.findings, this.counters);
    this.index = job.baseIndex;
  }
}
