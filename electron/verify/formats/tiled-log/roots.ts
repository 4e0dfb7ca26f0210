/** The roots the trusted checkpoints sign, against the roots recomputed from the entries (RFC 9162 §2.1.1). */
import { bytesEqual, toHex } from '../../../../shared/encoding/bytes.js';
import { RootsBySize } from '../../../../shared/tlog/checkpoint-verify.js';
import type { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import type { JudgedCheckpoint } from './checkpoints.js';
import type { TiledLogRun } from './run.js';

/** One report per checkpoint, in order; a trusted one's carries its root's status. Requires count = entries read. */
export function judgeRoots(
  run: TiledLogRun,
  checks: readonly JudgedCheckpoint[],
  builder: TreeBuilder,
  count: number,
): CheckpointReport[] {
  const cpReports: CheckpointReport[] = [];
  // Per size, the roots trusted so far and who signed them: equivocation needs one key behind both.
  const trustedRoots = new RootsBySize();
  for (const ch of checks)
    cpReports.push(ch.trusted ? judgeTrustedRoot(run, ch, builder, count, trustedRoots) : ch.report);
  return cpReports;
}

function judgeTrustedRoot(
  run: TiledLogRun,
  ch: JudgedCheckpoint,
  builder: TreeBuilder,
  count: number,
  trustedRoots: RootsBySize,
): CheckpointReport {
  const { size, root } = ch.trusted!;
  const report = size > count ? beyondEntries(run, ch, size, count) : rootFromEntries(run, ch, builder, size, root);
  const prior = trustedRoots.conflict(size, root, report);
  if (prior) {
    run.rootProblems++;
    run.add(
      'CHECKPOINT_CONFLICT',
      { file: ch.path, checkpointSize: size },
      `two trusted checkpoints of size ${size} sign different roots`,
      { first: toHex(prior), second: toHex(root) },
    );
  }
  return report;
}

function beyondEntries(run: TiledLogRun, ch: JudgedCheckpoint, size: number, count: number): CheckpointReport {
  run.rootProblems++;
  run.add(
    'CHECKPOINT_BEYOND_ENTRIES',
    { file: ch.path, checkpointSize: size, range: [count, size] },
    `the checkpoint commits to ${size} entries but only ${count} could be read: entries ${count}..${size - 1} are missing`,
    { expected: size, actual: count },
  );
  return { ...ch.report, rootStatus: 'beyond-entries' };
}

/** Compute, then judge: the root of the first size entries against the signed one. */
function rootFromEntries(
  run: TiledLogRun,
  ch: JudgedCheckpoint,
  builder: TreeBuilder,
  size: number,
  root: Uint8Array,
): CheckpointReport {
  const computed = builder.root(size);
  if (!computed) throw new ProofdeskError('INTERNAL', `root at size ${size} was not computed`);
  const matches = bytesEqual(computed, root);
  run.rootsChecked++;
  if (!matches) {
    run.rootProblems++;
    run.add(
      'ROOT_MISMATCH',
      { file: ch.path, checkpointSize: size, range: [0, size] },
      `the root of the first ${size} entries differs from the signed root`,
      { expected: toHex(root), actual: toHex(computed) },
    );
  }
  return { ...ch.report, rootStatus: matches ? 'match' : 'mismatch', computedRoot: toHex(computed) };
}
