/**
 * Step "merge": the workers' results joined in index order. The links, sequence numbers and
 * times that span job boundaries are checked here; compact ranges are joined and the roots at
 * the wanted sizes read off; the 256-entry block roots of the entry index are assembled.
 * Everything is merged in index order, so the outcome does not depend on the worker count.
 */
import { compareInstants } from '../../../shared/bundle/entry.js';
import type { VerifyResult } from '../../../shared/protocol/worker.js';
import { CompactRange, rangeNodes } from '../../../shared/tlog/merkle/compact.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { Finding, FindingCode } from '../../../shared/verdict/findings.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import type { Findings } from './collect.js';

export const BLOCK_LEAVES = 256;

type Ranges = Array<readonly [number, number]>;

export interface MergeOutput {
  readonly count: number;
  readonly roots: Map<number, Uint8Array>;
  readonly findings: Finding[];
  readonly omitted: Partial<Record<FindingCode, number>>;
  readonly failed: Ranges;
  readonly anomalies: Ranges;
  readonly signerUntrusted: Ranges;
  readonly undated: Ranges;
  /** Per witness step, the entries whose signature only that step's time dated. */
  readonly witnessDated: Array<{ ranges: Ranges; entries: number }>;
  readonly leafHashes: Map<number, Uint8Array>;
  readonly leafTs: Map<number, string>;
  readonly counters: Record<string, number>;
  readonly firstTs?: string;
  readonly lastTs?: string;
  readonly blockOffsets: Float64Array;
  readonly blockRoots: Uint8Array;
}

/** What the results before a job left to compare its first entry with. */
interface Tail {
  lastLink?: VerifyResult['lastLink'];
  lastSeq?: VerifyResult['lastSeq'];
  lastTime?: VerifyResult['lastTime'];
}

const bump = (c: Record<string, number>, k: string) => {
  c[k] = (c[k] ?? 0) + 1;
};

/** The chain, sequence and time rules across the boundary between a job and everything before it. */
function checkBoundary(
  r: VerifyResult,
  tail: Tail,
  file: string,
  counters: Record<string, number>,
  anomalies: Ranges,
  F: Findings,
): void {
  const flag = (
    code: FindingCode,
    at: { index: number; offset: number },
    message: string,
    evidence: Record<string, string | number>,
  ) => {
    F.add(code, { file, entry: at.index, offset: at.offset }, message, evidence);
    anomalies.push([at.index, at.index + 1]);
  };
  if (r.firstPrev && tail.lastLink && tail.lastLink.index === r.baseIndex - 1) {
    bump(counters, 'linksChecked');
    if (r.firstPrev.value !== tail.lastLink.value) {
      bump(counters, 'linksBroken');
      flag('CHAIN_BROKEN', r.firstPrev, `entry ${r.baseIndex} does not link to entry ${r.baseIndex - 1}`, {
        expected: tail.lastLink.value,
        actual: r.firstPrev.value,
      });
    }
  }
  if (r.firstSeq && tail.lastSeq) {
    bump(counters, 'seqChecked');
    const expected = tail.lastSeq.value + (r.firstSeq.index - tail.lastSeq.index);
    if (r.firstSeq.value !== expected) {
      bump(counters, 'seqProblems');
      const gap = r.firstSeq.value > expected;
      const message = gap
        ? `seq jumps from the expected ${expected} to ${r.firstSeq.value}`
        : `seq ${r.firstSeq.value} is not after the previous seq`;
      flag(gap ? 'SEQ_GAP' : 'SEQ_REGRESSION', r.firstSeq, message, { expected, actual: r.firstSeq.value });
    }
  }
  if (r.firstTime && tail.lastTime) {
    bump(counters, 'tsChecked');
    if (compareInstants(r.firstTime.value, tail.lastTime.value) < 0) {
      bump(counters, 'tsRegressions');
      flag(
        'TIMESTAMP_REGRESSION',
        r.firstTime,
        `ts ${r.firstTime.value.ts} is earlier than the previous entry's ${tail.lastTime.value.ts}`,
        {
          previous: tail.lastTime.value.ts,
          actual: r.firstTime.value.ts,
        },
      );
    }
  }
}

export function mergeResults(results: VerifyResult[], entriesPath: string, F: Findings): MergeOutput {
  results.sort((a, b) => a.baseIndex - b.baseIndex);
  const out = {
    findings: [] as Finding[],
    omitted: {} as Partial<Record<FindingCode, number>>,
    failed: [] as Ranges,
    anomalies: [] as Ranges,
    signerUntrusted: [] as Ranges,
    undated: [] as Ranges,
    witnessDated: [] as Array<{ ranges: Ranges; entries: number }>,
    counters: {} as Record<string, number>,
    roots: new Map<number, Uint8Array>(),
    leafHashes: new Map<number, Uint8Array>(),
    leafTs: new Map<number, string>(),
  };
  const acc = new CompactRange(0, nodeSha256);
  out.roots.set(0, acc.root());
  const tail: Tail = {};
  let firstTs: string | undefined;
  for (const r of results) {
    if (r.baseIndex > 0) checkBoundary(r, tail, entriesPath, out.counters, out.anomalies, F);
    if (r.lastLink) tail.lastLink = r.lastLink;
    else if (r.count > 0) tail.lastLink = undefined;
    if (r.lastSeq) tail.lastSeq = r.lastSeq;
    if (r.lastTime) tail.lastTime = r.lastTime;
    if (firstTs === undefined && r.firstTime) firstTs = r.firstTime.value.ts;
    for (const s of r.snapshots) {
      const whole = acc.clone();
      whole.merge(CompactRange.fromHashes(r.baseIndex, s.size, s.range, nodeSha256));
      out.roots.set(s.size, whole.root());
    }
    acc.merge(CompactRange.fromHashes(r.baseIndex, r.baseIndex + r.count, r.range, nodeSha256));
    out.roots.set(acc.end, acc.root());
    accumulate(out, r);
  }
  const { offsets, roots: blockRoots } = assembleBlocks(results, acc.end);
  return {
    ...out,
    count: acc.end,
    ...(firstTs !== undefined ? { firstTs } : {}),
    ...(tail.lastTime ? { lastTs: tail.lastTime.value.ts } : {}),
    blockOffsets: offsets,
    blockRoots,
  };
}

/** One job's findings, ranges, leaf hashes and counters added to the merged output. */
function accumulate(
  out: Omit<MergeOutput, 'count' | 'blockOffsets' | 'blockRoots' | 'firstTs' | 'lastTs'>,
  r: VerifyResult,
): void {
  out.findings.push(...r.findings);
  for (const [code, n] of Object.entries(r.omitted) as Array<[FindingCode, number]>)
    out.omitted[code] = (out.omitted[code] ?? 0) + n;
  out.failed.push(...r.failed);
  out.anomalies.push(...r.anomalies);
  out.signerUntrusted.push(...r.signerUntrusted);
  out.undated.push(...r.undated);
  r.witnessDated.forEach((d, k) => {
    const w = (out.witnessDated[k] ??= { ranges: [], entries: 0 });
    w.ranges.push(...d.ranges);
    w.entries += d.entries;
  });
  for (const l of r.leafHashes) {
    out.leafHashes.set(l.index, l.hash);
    if (l.ts !== undefined) out.leafTs.set(l.index, l.ts);
  }
  for (const [k, v] of Object.entries(r.counters)) out.counters[k] = (out.counters[k] ?? 0) + v;
}

/** Block offsets and roots for the entry index, including blocks split between jobs. */
function assembleBlocks(results: readonly VerifyResult[], count: number): { offsets: Float64Array; roots: Uint8Array } {
  const nBlocks = Math.floor(count / BLOCK_LEAVES);
  const offsets = new Float64Array(Math.ceil(count / BLOCK_LEAVES));
  const roots = new Uint8Array(nBlocks * 32);
  const have = new Uint8Array(nBlocks);
  for (const r of results) {
    for (const s of r.blockStarts) offsets[s.block] = s.offset;
    const n = r.blocks.roots.length / 32;
    for (let k = 0; k < n; k++) {
      roots.set(r.blocks.roots.subarray(k * 32, k * 32 + 32), (r.blocks.first + k) * 32);
      have[r.blocks.first + k] = 1;
    }
  }
  for (let b = 0; b < nBlocks; b++) if (!have[b]) roots.set(splitBlockRoot(results, b), b * 32);
  return { offsets, roots };
}

/** A block cut by job boundaries: the pieces of each job's compact range inside it, joined. */
function splitBlockRoot(results: readonly VerifyResult[], b: number): Uint8Array {
  const bs = b * BLOCK_LEAVES;
  const be = bs + BLOCK_LEAVES;
  let acc: CompactRange | undefined;
  for (const r of results) {
    const rs = r.baseIndex;
    const re = r.baseIndex + r.count;
    if (re <= bs || rs >= be) continue;
    const ps = Math.max(rs, bs);
    const pe = Math.min(re, be);
    const pieceHashes: Uint8Array[] = [];
    rangeNodes(rs, re).forEach((n, k) => {
      const ns = n.index * 2 ** n.level;
      const ne = ns + 2 ** n.level;
      const h = r.range[k];
      if (ns >= ps && ne <= pe && h) pieceHashes.push(h);
    });
    const piece = CompactRange.fromHashes(ps, pe, pieceHashes, nodeSha256);
    if (!acc) acc = piece;
    else acc.merge(piece);
  }
  const hs = acc?.hashes();
  if (!hs || hs.length !== 1 || !hs[0]) throw new ProofdeskError('INTERNAL', `could not assemble index block ${b}`);
  return hs[0];
}
