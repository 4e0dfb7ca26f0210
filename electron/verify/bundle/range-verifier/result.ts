/** What a range verification hands to the merge. */
import type { VerifyResult } from '../../../../shared/protocol/worker.js';
import type { RangeRun } from './run.js';

/** The result of a run that has read its whole range (`bytes` of complete lines). */
export function rangeResult(run: RangeRun, bytes: number): VerifyResult {
  const { job, findings, tree, signatures } = run;
  return {
    kind: 'verify',
    baseIndex: job.baseIndex,
    count: run.index - job.baseIndex,
    bytes,
    range: tree.rangeHashes(run.index),
    snapshots: tree.snapshots,
    ...run.continuity.knownEnds(),
    findings: findings.sink.findings,
    omitted: findings.sink.omitted,
    failed: findings.failed.ranges,
    anomalies: findings.anomalies.ranges,
    signerUntrusted: findings.signerUntrusted.ranges,
    undated: findings.undated.ranges,
    witnessDated: signatures.witnessDated.map((r, k) => ({
      ranges: r.ranges,
      entries: signatures.witnessDatedCount[k]!,
    })),
    leafHashes: tree.leafHashes,
    blocks: { first: tree.blockLeaves ? tree.firstFullBlock : -1, roots: concat(tree.blockRoots) },
    blockStarts: tree.blockStarts,
    counters: run.counters,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * 32);
  for (let k = 0; k < parts.length; k++) out.set(parts[k]!, k * 32);
  return out;
}
