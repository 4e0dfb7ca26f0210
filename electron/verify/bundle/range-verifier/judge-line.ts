/**
 * Judging a batch of lines, line by line in index order: its Merkle leaf, its fields, the chain,
 * sequence and time rules, its signature. The order of the steps is the order of the findings.
 */
import type { EntryFields } from '../../../../shared/bundle/entry.js';
import { type LineRead, NOT_UTF8, TOO_LARGE } from './line-batch.js';
import type { RangeRun } from './run.js';

/** Reads, hashes and judges the `count` lines of the batch in buf (leafReady: leaves[0] is already hashed). */
export function judgeBatch(run: RangeRun, buf: Buffer, count: number, leafReady: boolean): void {
  if (count === 0) return;
  const batch = run.batch;
  if (!leafReady) {
    batch.readAll(buf, count, run.index);
    run.hasher.leaves(buf, batch.starts, batch.ends, count, batch.leaves);
  }
  run.hasher.links(batch.prevs, batch.leaves, batch.has, count, batch.links);
  run.continuity.beginBatch();
  for (let k = 0; k < count; k++) judgeLine(run, k);
  run.continuity.endBatch(batch.links);
}

/** Judges line k of the batch, whose leaf hash and link are computed: entry run.index. */
function judgeLine(run: RangeRun, k: number): void {
  const i = run.index;
  const batch = run.batch;
  const offset = batch.offsets[k]!;
  run.findings.begin(i, offset);
  const wanted = run.tree.add(i, offset, batch.leaves, k);
  const fields = entryFields(run, batch.reads[k]!);
  if (wanted && fields !== undefined && fields.ts !== undefined) wanted.ts = fields.ts;
  const c = run.continuity;
  c.chain(i, k, offset, fields?.prev, batch.prevs, batch.links);
  c.sequence(i, offset, fields?.seq);
  c.time(i, offset, fields?.time, fields?.ts);
  if (fields?.sig && fields.hasEvent) run.signatures.judge(i, fields, fields.sig);
  run.findings.end();
  run.counters.entries++;
  run.index++;
}

/** The line's fields, with a finding for each of their problems; or a finding for why it has none. */
function entryFields(run: RangeRun, read: LineRead): EntryFields | undefined {
  const findings = run.findings;
  if (read === TOO_LARGE) {
    run.counters.tooLarge++;
    const limit = run.job.maxEntryBytes;
    findings.fail('ENTRY_TOO_LARGE', `entry is larger than ${limit} bytes; hashed but not parsed`, { limit });
  } else if (read === NOT_UTF8) {
    run.counters.malformed++;
    findings.fail('ENTRY_MALFORMED', 'entry is not valid UTF-8');
  } else if (typeof read === 'string') {
    run.counters.malformed++;
    findings.fail('ENTRY_MALFORMED', `entry is not valid JSON: ${read}`);
  } else if (typeof read === 'object') {
    for (const p of read.problems) findings.fail(p.code, p.message, p.member ? { member: p.member } : undefined);
    return read;
  }
  return undefined;
}
