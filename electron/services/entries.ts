/**
 * The entry browser's data, read straight from the evidence with the EntryIndex a finished
 * run produced (byte offset and Merkle root of every 256-entry block): a page of rows costs
 * one seek and at most 256 + count lines, whatever the size of the log. An entry's Merkle
 * inclusion proof is built from the block roots (perfect subtrees) plus at most a few
 * blocks of leaves, so it costs O(log n) reads instead of a pass over the log, and is then
 * checked with the spec algorithm (shared/merkle/proof.ts) before it is shown.
 */

import { chainGenesis, chainLink } from '../../shared/bundle/chain.js';
import { bytesEqual, fromHex, toHex } from '../../shared/encoding/bytes.js';
import type {
  EntryDetail,
  EntryPage,
  EntryRow,
  InclusionView,
  LinkStatus,
  ProofStep,
  SearchResult,
} from '../../shared/protocol/ipc.js';
import { hashChildren } from '../../shared/tlog/merkle/hash.js';
import { inclusionProofRanges, rootFromInclusionProof } from '../../shared/tlog/merkle/proof.js';
import { isPowerOfTwo, largestPowerOfTwoBelow } from '../../shared/tlog/merkle/tree.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { extractEntryFields } from '../case/entry-fields.js';
import { forEachLine } from '../platform/line-reader.js';
import { nodeSha256 } from '../platform/node-hash.js';
import type { EntryIndex } from '../verify/bundle/verify.js';

/** The raw line shown for one entry is cut here; the leaf hash always covers the whole line. */
export const MAX_RAW_CHARS = 64 * 1024;
const SUMMARY_CHARS = 160;
/** Lines read by one search call at most before it hands back a continuation point. */
export const SEARCH_LINES_PER_CALL = 250_000;
/**
 * …and time spent by one call at most (checked every SEARCH_CLOCK_LINES lines): the search runs
 * on the main process, so it is cut into slices short enough not to stall it (250,000 lines
 * take about a second); the renderer continues from `next`.
 */
export const SEARCH_MS_PER_CALL = 50;
const SEARCH_CLOCK_LINES = 4096;
const MAX_LINE = 1024 * 1024;

interface Line {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly leafHash: Uint8Array;
  readonly bytes?: Buffer;
}

export class EntryBrowser {
  readonly #blockLeaves = new Map<number, Uint8Array[]>();

  constructor(
    readonly index: EntryIndex,
    readonly result: VerificationResult,
  ) {}

  get total(): number {
    return this.index.count;
  }

  #checkIndex(i: number): void {
    if (!(Number.isSafeInteger(i) && i >= 0 && i < this.total)) {
      throw new ProofdeskError('USAGE', `entry ${i} does not exist: the bundle holds ${this.total} entries`, {
        notFound: true,
      });
    }
  }

  /** Visits lines [from, from + count) (clamped), copying their bytes when `keepBytes`. */
  #lines(from: number, count: number, keepBytes: boolean, visit?: (l: Line) => boolean | undefined): Line[] {
    const out: Line[] = [];
    const end = Math.min(this.total, from + count);
    if (from >= end) return out;
    const bl = this.index.blockLeaves;
    const block = Math.floor(from / bl);
    forEachLine(
      this.index.region,
      (v) => {
        if (v.index < from) return true;
        const l: Line = {
          index: v.index,
          offset: v.offset,
          length: v.length,
          leafHash: v.leafHash,
          ...(keepBytes && v.bytes ? { bytes: Buffer.from(v.bytes) } : {}),
        };
        if (visit) {
          if (visit({ ...l, ...(v.bytes ? { bytes: v.bytes } : {}) }) === false) return false;
        } else out.push(l);
        return v.index + 1 < end;
      },
      { from: this.index.blockOffsets[block]!, firstIndex: block * bl, maxLineBytes: MAX_LINE },
    );
    return out;
  }

  page(from: number, count: number): EntryPage {
    if (!(Number.isSafeInteger(from) && from >= 0))
      throw new ProofdeskError('USAGE', 'from must be a non-negative integer');
    const rows = this.#lines(from, count, true).map(toRow);
    return { from, total: this.total, rows };
  }

  /**
   * Entries from `from` on whose line contains `query` (ASCII letters compared without case),
   * up to `limit` matches, SEARCH_LINES_PER_CALL lines or SEARCH_MS_PER_CALL, whichever comes
   * first; at least one line is read per call, so continuing from `next` always progresses.
   */
  search(query: string, from: number, limit = 100): SearchResult {
    if (from >= this.total) return { matches: [], next: this.total, total: this.total };
    const needle = Buffer.from(query.toLowerCase(), 'utf8');
    const matches: number[] = [];
    let next = from;
    const deadline = performance.now() + SEARCH_MS_PER_CALL;
    this.#lines(from, SEARCH_LINES_PER_CALL, false, (l) => {
      next = l.index + 1;
      if (l.bytes && asciiLower(l.bytes).indexOf(needle) >= 0) matches.push(l.index);
      if ((next - from) % SEARCH_CLOCK_LINES === 0 && performance.now() > deadline) return false;
      return matches.length < limit;
    });
    return { matches, next: Math.min(next, this.total), total: this.total };
  }

  detail(i: number): EntryDetail {
    this.#checkIndex(i);
    const lines = this.#lines(Math.max(0, i - 1), i === 0 ? 2 : 3, true);
    const at = (k: number) => lines.find((l) => l.index === k);
    const cur = at(i)!;
    const before = i > 0 ? at(i - 1) : undefined;
    const after = at(i + 1);
    const prevOf = (l: Line | undefined) => (l?.bytes ? parsePrev(l.bytes) : undefined);
    const prev = prevOf(cur);
    let expectedPrev: string | undefined;
    if (i === 0) expectedPrev = toHex(chainGenesis(this.result.bundle.origin, nodeSha256));
    else {
      const pp = prevOf(before);
      if (pp && before) expectedPrev = toHex(chainLink(fromHex(pp), before.leafHash, nodeSha256));
    }
    const link = prev ? toHex(chainLink(fromHex(prev), cur.leafHash, nodeSha256)) : undefined;
    const nextPrev = prevOf(after);
    const linkStatus = (a?: string, b?: string): LinkStatus =>
      a === undefined || b === undefined ? 'unknown' : a === b ? 'ok' : 'broken';
    const raw = cur.bytes ? cur.bytes.toString('utf8') : '';
    const proof = this.#proof(i, cur.leafHash);
    return {
      index: i,
      offset: cur.offset,
      length: cur.length,
      raw: raw.slice(0, MAX_RAW_CHARS),
      rawTruncated: !cur.bytes || raw.length > MAX_RAW_CHARS,
      leafHash: toHex(cur.leafHash),
      ...(prev !== undefined ? { prev } : {}),
      ...(expectedPrev !== undefined ? { expectedPrev } : {}),
      prevStatus: linkStatus(prev, expectedPrev),
      ...(link !== undefined ? { link } : {}),
      ...(nextPrev !== undefined ? { nextPrev } : {}),
      nextStatus: i === this.total - 1 ? 'last' : linkStatus(nextPrev, link),
      findings: this.result.findings.filter(
        (f) => f.location.entry === i || (f.location.range && f.location.range[0] <= i && i < f.location.range[1]),
      ),
      coverage: this.result.coverage.ranges.find((r) => r.from <= i && i < r.to)?.status ?? 'unverifiable',
      ...('view' in proof ? { proof: proof.view } : { proofUnavailable: proof.reason }),
    };
  }

  /** The smallest trusted checkpoint covering entry i (else the smallest untrusted one), and the path to its root. */
  #proof(i: number, leafHash: Uint8Array): { view: InclusionView } | { reason: string } {
    const usable = this.result.checkpoints.filter(
      (c) => c.size !== undefined && c.rootHash !== undefined && c.size > i && c.size <= this.total,
    );
    const pick = (trusted: boolean) =>
      usable.filter((c) => (c.status === 'trusted') === trusted).sort((a, b) => a.size! - b.size!)[0];
    const cp = pick(true) ?? pick(false);
    if (!cp)
      return {
        reason: 'no checkpoint in this bundle covers this entry, so there is no signed root to prove it against',
      };
    const size = cp.size!;
    const ranges = inclusionProofRanges(i, size);
    const steps: ProofStep[] = [];
    let node = leafHash;
    let lo = i;
    let hi = i + 1;
    for (const [b, e] of ranges) {
      const sibling = this.#mth(b, e);
      const left = e <= lo;
      node = left ? hashChildren(sibling, node, nodeSha256) : hashChildren(node, sibling, nodeSha256);
      lo = Math.min(lo, b);
      hi = Math.max(hi, e);
      steps.push({
        siblingRange: [b, e],
        side: left ? 'left' : 'right',
        sibling: toHex(sibling),
        node: toHex(node),
        nodeRange: [lo, hi],
      });
    }
    // Judge with the spec algorithm, not with the drawing code.
    const spec = rootFromInclusionProof(
      i,
      size,
      leafHash,
      ranges.map(([b, e]) => this.#mth(b, e)),
      nodeSha256,
    );
    if (!spec.ok || !bytesEqual(spec.root, node))
      throw new ProofdeskError('INTERNAL', `inclusion path for entry ${i} disagrees with RFC 9162 §2.1.3.2`);
    return {
      view: {
        checkpointFile: cp.file,
        size,
        trusted: cp.status === 'trusted',
        leafHash: toHex(leafHash),
        steps,
        computedRoot: toHex(node),
        signedRoot: cp.rootHash!,
        matches: toHex(node) === cp.rootHash,
      },
    };
  }

  /** Leaf hashes of one block (cached: proofs revisit the same blocks). */
  #leaves(block: number): Uint8Array[] {
    let l = this.#blockLeaves.get(block);
    if (!l) {
      const bl = this.index.blockLeaves;
      l = this.#lines(block * bl, bl, false).map((x) => x.leafHash);
      if (this.#blockLeaves.size > 64) this.#blockLeaves.clear();
      this.#blockLeaves.set(block, l);
    }
    return l;
  }

  /**
   * MTH of leaves [b, e) as they occur inside an RFC 9162 tree (b is a multiple of the
   * subtree width, so a range of at most one block never crosses a block boundary).
   * Perfect subtrees of whole blocks come from the block roots. RFC 9162 §2.1.1.
   */
  #mth(b: number, e: number): Uint8Array {
    const bl = this.index.blockLeaves;
    const n = e - b;
    if (n === 1) return this.#leaves(Math.floor(b / bl))[b % bl]!;
    if (n >= bl && isPowerOfTwo(n) && b % bl === 0) {
      let level: Uint8Array[] = [];
      for (let k = b / bl; k < e / bl; k++) level.push(this.index.blockRoots.subarray(k * 32, k * 32 + 32));
      while (level.length > 1) {
        const up: Uint8Array[] = [];
        for (let k = 0; k < level.length; k += 2) up.push(hashChildren(level[k]!, level[k + 1]!, nodeSha256));
        level = up;
      }
      return level[0]!;
    }
    const k = largestPowerOfTwoBelow(n);
    return hashChildren(this.#mth(b, b + k), this.#mth(b + k, e), nodeSha256);
  }
}

const LOWER = new Uint8Array(256).map((_, c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c));
function asciiLower(b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(b.length);
  for (let k = 0; k < b.length; k++) out[k] = LOWER[b[k]!]!;
  return out;
}

function parsePrev(bytes: Buffer): string | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as { prev?: unknown };
    return typeof v?.prev === 'string' && /^[0-9a-f]{64}$/.test(v.prev) ? v.prev : undefined;
  } catch {
    return undefined;
  }
}

function toRow(l: Line): EntryRow {
  const base = { index: l.index, offset: l.offset, length: l.length };
  if (!l.bytes) return { ...base, summary: `(line of ${l.length} bytes, too long to show)`, parses: false };
  const text = l.bytes.toString('utf8');
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    const ev = v.event;
    let summary: string;
    if (ev && typeof ev === 'object' && !Array.isArray(ev)) {
      const e = ev as Record<string, unknown>;
      const parts = ['actor', 'action', 'resource', 'outcome']
        .filter((k) => typeof e[k] === 'string')
        .map((k) => String(e[k]));
      summary = parts.length ? parts.join('  ') : JSON.stringify(ev);
    } else summary = JSON.stringify(ev ?? null);
    const f = extractEntryFields(v);
    return {
      ...base,
      ...(typeof v.seq === 'number' ? { seq: v.seq } : {}),
      ...(typeof v.ts === 'string' ? { ts: v.ts.slice(0, 40) } : {}),
      summary: summary.slice(0, SUMMARY_CHARS),
      parses: true,
      ...(f.actor !== null ? { actor: f.actor } : {}),
      ...(f.action !== null ? { action: f.action } : {}),
      ...(f.target !== null ? { target: f.target } : {}),
    };
  } catch {
    return { ...base, summary: text.slice(0, SUMMARY_CHARS), parses: false };
  }
}
