/**
 * The entry-level diff read around the first divergent index: two windows of entries, one per
 * export, aligned by a key, and for each aligned pair whether it is equal, only re-linked
 * (differs in `seq`/`prev`, the members a log assigns when it re-chains), or changed (with the
 * JSON paths that differ).
 *
 * Alignment keys (docs/diff.md §4):
 *  - `seq`: entries pair by sequence number — exact for edits in place and for deletions or
 *    insertions that left the numbering alone;
 *  - a member path such as `event.id`: entries pair by that value — survives renumbering;
 *  - `content`: entries pair by their content without `seq` and `prev` (RFC 8785 canonical
 *    JSON), through a shortest edit script (Myers); an unmatched run on both sides at the same
 *    place pairs up position by position as changed entries. For logs with neither.
 * An entry without the key (unparsable, too large, member missing) is keyed by its leaf hash.
 */

import { sha256 } from '../crypto/hash.js';
import { assertNever } from '../encoding/assert.js';
import { bytesEqual, toHex, tryDecodeUtf8, utf8 } from '../encoding/bytes.js';
import { canonicalJson } from '../encoding/jcs.js';
import { jsonFieldDiff, parseMemberPath, valueAt } from './json-diff.js';
import { shortestEdit } from './myers.js';

export type AlignBy =
  | { readonly kind: 'seq' }
  | { readonly kind: 'member'; readonly path: readonly string[] }
  | { readonly kind: 'content' };

/** Parses `seq`, `content` or a member path (`event.id`, `$.event.id`); undefined when invalid. */
export function parseAlignBy(spec: string): AlignBy | undefined {
  if (spec === 'seq') return { kind: 'seq' };
  if (spec === 'content') return { kind: 'content' };
  const path = parseMemberPath(spec);
  return path ? { kind: 'member', path } : undefined;
}

export function alignByLabel(a: AlignBy): string {
  switch (a.kind) {
    case 'seq':
      return 'seq';
    case 'content':
      return 'content';
    case 'member':
      return `$.${a.path.join('.')}`;
    default:
      return assertNever(a, 'alignment');
  }
}

/** One entry of a window, as read from an export. */
export interface WindowEntry {
  readonly index: number;
  /** Byte offset of the line in the entries file. */
  readonly offset: number;
  readonly leafHash: Uint8Array;
  /** Length of the line in bytes, without its line feed. */
  readonly length: number;
  /** The line without its line feed; absent when it was too large to read. */
  readonly bytes?: Uint8Array;
}

export interface EntryRef {
  readonly index: number;
  readonly offset: number;
  /** Lowercase hex leaf hash. */
  readonly leafHash: string;
  /** The alignment key's value as JSON text, when the entry has one (not for `content`). */
  readonly key?: string;
}

export type EntryOp =
  | { readonly op: 'removed'; readonly a: EntryRef }
  | { readonly op: 'inserted'; readonly b: EntryRef }
  | {
      readonly op: 'changed';
      readonly a: EntryRef;
      readonly b: EntryRef;
      /** JSON paths whose values differ ($ when either line is not a JSON value). */
      readonly fields: readonly string[];
      readonly fieldsOmitted: number;
      /** The values nest deeper than this and differ down there: `fields` stop at this depth (json-diff.ts). */
      readonly fieldsDepthLimit?: number;
      /** The bytes differ but the parsed values are equal (spacing, member order, number spelling). */
      readonly representationOnly: boolean;
    };

/** Aligned runs of entries that differ only in `seq` and/or `prev`. */
export interface RelinkedRun {
  readonly a: readonly [number, number];
  readonly b: readonly [number, number];
  readonly fields: readonly string[];
}

export interface EntryCounts {
  readonly equal: number;
  readonly changed: number;
  readonly relinked: number;
  readonly removed: number;
  readonly inserted: number;
  /** Unmatched entries after the last aligned pair while the other window stopped short of its end: they may match beyond it. */
  readonly notCompared: number;
}

export interface EntryDiff {
  readonly alignBy: string;
  readonly a: WindowRange;
  readonly b: WindowRange;
  readonly counts: EntryCounts;
  /** Removed, inserted and changed entries in window order, at most maxOps. */
  readonly ops: readonly EntryOp[];
  readonly opsOmitted: number;
  readonly relinked: readonly RelinkedRun[];
  /** Content alignment needed more edits than allowed and fell back to pairing by position. */
  readonly fallback: boolean;
}

export interface WindowRange {
  readonly from: number;
  readonly to: number;
  /** The window reached the end of the export. */
  readonly complete: boolean;
}

export interface AlignOptions {
  readonly alignBy: AlignBy;
  readonly aComplete: boolean;
  readonly bComplete: boolean;
  readonly maxOps?: number;
  readonly maxFields?: number;
  /** Edit budget of the content alignment (default 4000). */
  readonly maxEdits?: number;
}

/** Members a log assigns when it appends (and re-assigns when it re-chains). */
const LOG_ASSIGNED = new Set(['$.seq', '$.prev']);

interface Prepared {
  readonly e: WindowEntry;
  readonly value: unknown;
  readonly parsed: boolean;
  readonly key: string;
  readonly keyText?: string;
}

function parseLine(bytes: Uint8Array | undefined): { parsed: boolean; value: unknown } {
  if (!bytes) return { parsed: false, value: undefined };
  const text = tryDecodeUtf8(bytes);
  if (text === undefined) return { parsed: false, value: undefined };
  try {
    return { parsed: true, value: JSON.parse(text) as unknown };
  } catch {
    return { parsed: false, value: undefined };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function prepare(e: WindowEntry, by: AlignBy): Prepared {
  const { parsed, value } = parseLine(e.bytes);
  const byLeaf = { e, value, parsed, key: `leaf:${toHex(e.leafHash)}` };
  if (!parsed || !isObject(value)) return byLeaf;
  switch (by.kind) {
    case 'seq':
    case 'member': {
      const v = by.kind === 'seq' ? value.seq : valueAt(value, by.path);
      if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
        const keyText = JSON.stringify(v);
        return { e, value, parsed, key: `key:${keyText}`, keyText };
      }
      return byLeaf;
    }
    case 'content': {
      const { seq: _s, prev: _p, ...rest } = value;
      try {
        return { e, value, parsed, key: `content:${toHex(sha256(utf8(canonicalJson(rest))))}` };
      } catch {
        return byLeaf; // not I-JSON (e.g. a lone surrogate): fall back to the exact bytes
      }
    }
    default:
      return assertNever(by, 'alignment');
  }
}

function ref(p: Prepared): EntryRef {
  return {
    index: p.e.index,
    offset: p.e.offset,
    leafHash: toHex(p.e.leafHash),
    ...(p.keyText !== undefined ? { key: p.keyText } : {}),
  };
}

type Pairing =
  | { kind: 'equal' }
  | { kind: 'relinked'; fields: string[] }
  | { kind: 'changed'; fields: string[]; omitted: number; depthLimit?: number; representationOnly: boolean };

function comparePair(x: Prepared, y: Prepared, maxFields: number): Pairing {
  if (bytesEqual(x.e.leafHash, y.e.leafHash)) return { kind: 'equal' };
  if (!x.parsed || !y.parsed) return { kind: 'changed', fields: ['$'], omitted: 0, representationOnly: false };
  const d = jsonFieldDiff(x.value, y.value, maxFields);
  if (d.paths.length === 0) return { kind: 'changed', fields: [], omitted: 0, representationOnly: true };
  if (d.omitted === 0 && d.paths.every((p) => LOG_ASSIGNED.has(p))) return { kind: 'relinked', fields: d.paths };
  return {
    kind: 'changed',
    fields: d.paths,
    omitted: d.omitted,
    ...(d.depthLimit !== undefined ? { depthLimit: d.depthLimit } : {}),
    representationOnly: false,
  };
}

/** A pairing of window positions: anchors are pairs made by equal keys (not by position). */
interface Pair {
  readonly ai: number;
  readonly bi: number;
  readonly anchor: boolean;
}

function pairByKey(a: readonly Prepared[], b: readonly Prepared[]): { pairs: Pair[]; unA: number[]; unB: number[] } {
  const byKey = new Map<string, number[]>();
  b.forEach((p, i) => {
    const q = byKey.get(p.key);
    if (q) q.push(i);
    else byKey.set(p.key, [i]);
  });
  const pairs: Pair[] = [];
  const usedB = new Uint8Array(b.length);
  const unA: number[] = [];
  a.forEach((p, i) => {
    const q = byKey.get(p.key);
    const j = q?.shift();
    if (j === undefined) unA.push(i);
    else {
      usedB[j] = 1;
      pairs.push({ ai: i, bi: j, anchor: true });
    }
  });
  const unB: number[] = [];
  for (let j = 0; j < b.length; j++) if (!usedB[j]) unB.push(j);
  return { pairs, unA, unB };
}

function pairByContent(
  a: readonly Prepared[],
  b: readonly Prepared[],
  maxEdits: number,
): { pairs: Pair[]; unA: number[]; unB: number[]; fallback: boolean } {
  const script = shortestEdit(
    a.map((p) => p.key),
    b.map((p) => p.key),
    maxEdits,
  );
  const pairs: Pair[] = [];
  const unA: number[] = [];
  const unB: number[] = [];
  if (!script) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) pairs.push({ ai: i, bi: i, anchor: a[i]!.key === b[i]!.key });
    for (let i = n; i < a.length; i++) unA.push(i);
    for (let j = n; j < b.length; j++) unB.push(j);
    return { pairs, unA, unB, fallback: true };
  }
  // A run of deletions and insertions between two equal entries is one hunk: its entries pair
  // up position by position (a changed entry), the surplus is removed or inserted.
  let dels: number[] = [];
  let ins: number[] = [];
  const flush = () => {
    const n = Math.min(dels.length, ins.length);
    for (let i = 0; i < n; i++) pairs.push({ ai: dels[i]!, bi: ins[i]!, anchor: false });
    unA.push(...dels.slice(n));
    unB.push(...ins.slice(n));
    dels = [];
    ins = [];
  };
  for (const op of script) {
    if (op.op === 'equal') {
      flush();
      pairs.push({ ai: op.a, bi: op.b, anchor: true });
    } else if (op.op === 'delete') dels.push(op.a);
    else ins.push(op.b);
  }
  flush();
  return { pairs, unA, unB, fallback: false };
}

/**
 * Aligns two windows that start at the same index (the first divergence) and classifies every
 * entry. Unmatched entries after the last anchor of their side are `notCompared` when the other
 * window stopped before the end of its export, since their partner may lie beyond it.
 */
export function alignEntries(aw: readonly WindowEntry[], bw: readonly WindowEntry[], o: AlignOptions): EntryDiff {
  const maxOps = o.maxOps ?? 1000;
  const a = aw.map((e) => prepare(e, o.alignBy));
  const b = bw.map((e) => prepare(e, o.alignBy));
  const r =
    o.alignBy.kind === 'content' ? pairByContent(a, b, o.maxEdits ?? 4000) : { ...pairByKey(a, b), fallback: false };
  const tally = new EntryTally(a, b, horizon(r.pairs, o), o.maxFields ?? 100);
  for (const p of r.pairs) tally.pair(p);
  for (const i of r.unA) tally.unmatchedA(i);
  for (const j of r.unB) tally.unmatchedB(j);
  const ops = tally.ops.sort((p, q) => p.pos - q.pos || p.rank - q.rank);
  const relinked = relinkedRuns(tally.relinkedPairs.sort((p, q) => p.ai - q.ai));
  return {
    alignBy: alignByLabel(o.alignBy),
    a: windowRange(aw, o.aComplete),
    b: windowRange(bw, o.bComplete),
    counts: tally.counts,
    ops: ops.slice(0, maxOps).map((x) => x.op),
    opsOmitted: Math.max(0, ops.length - maxOps),
    relinked: relinked.slice(0, maxOps),
    fallback: r.fallback,
  };
}

/**
 * Where each window's comparable entries end: after its last anchor, when the other window
 * stopped short of its export's end (an unmatched entry there may have its partner beyond).
 */
interface Horizon {
  readonly lastAnchorA: number;
  readonly lastAnchorB: number;
  readonly aComplete: boolean;
  readonly bComplete: boolean;
}

function horizon(pairs: readonly Pair[], o: AlignOptions): Horizon {
  let lastAnchorA = -1;
  let lastAnchorB = -1;
  for (const p of pairs) {
    if (!p.anchor) continue;
    lastAnchorA = Math.max(lastAnchorA, p.ai);
    lastAnchorB = Math.max(lastAnchorB, p.bi);
  }
  return { lastAnchorA, lastAnchorB, aComplete: o.aComplete, bComplete: o.bComplete };
}

function beyondA(h: Horizon, ai: number): boolean {
  return !h.bComplete && ai > h.lastAnchorA;
}

function beyondB(h: Horizon, bi: number): boolean {
  return !h.aComplete && bi > h.lastAnchorB;
}

/** An op with its place in window order: by position, then removed, changed, inserted. */
interface PlacedOp {
  readonly pos: number;
  readonly rank: number;
  readonly op: EntryOp;
}

/** A relinked pair by entry index, before runs of them are merged. */
interface RelinkedPair {
  readonly ai: number;
  readonly bi: number;
  readonly fields: string[];
}

/** The counts and ops of one alignment, entry by entry. */
class EntryTally {
  readonly counts = { equal: 0, changed: 0, relinked: 0, removed: 0, inserted: 0, notCompared: 0 };
  readonly ops: PlacedOp[] = [];
  readonly relinkedPairs: RelinkedPair[] = [];

  constructor(
    private readonly a: readonly Prepared[],
    private readonly b: readonly Prepared[],
    private readonly h: Horizon,
    private readonly maxFields: number,
  ) {}

  pair(p: Pair): void {
    const x = this.a[p.ai]!;
    const y = this.b[p.bi]!;
    if (!p.anchor && (beyondA(this.h, p.ai) || beyondB(this.h, p.bi))) {
      this.counts.notCompared += 2;
      return;
    }
    const c = comparePair(x, y, this.maxFields);
    switch (c.kind) {
      case 'equal':
        this.counts.equal++;
        break;
      case 'relinked':
        this.counts.relinked++;
        this.relinkedPairs.push({ ai: x.e.index, bi: y.e.index, fields: c.fields });
        break;
      case 'changed':
        this.counts.changed++;
        this.ops.push({ pos: x.e.index, rank: 1, op: changedOp(x, y, c) });
        break;
      default:
        assertNever(c, 'pairing');
    }
  }

  unmatchedA(i: number): void {
    if (beyondA(this.h, i)) this.counts.notCompared++;
    else {
      this.counts.removed++;
      this.ops.push({ pos: this.a[i]!.e.index, rank: 0, op: { op: 'removed', a: ref(this.a[i]!) } });
    }
  }

  unmatchedB(j: number): void {
    if (beyondB(this.h, j)) this.counts.notCompared++;
    else {
      this.counts.inserted++;
      this.ops.push({ pos: this.b[j]!.e.index, rank: 2, op: { op: 'inserted', b: ref(this.b[j]!) } });
    }
  }
}

function changedOp(x: Prepared, y: Prepared, c: Pairing & { kind: 'changed' }): EntryOp {
  return {
    op: 'changed',
    a: ref(x),
    b: ref(y),
    fields: c.fields,
    fieldsOmitted: c.omitted,
    ...(c.depthLimit !== undefined ? { fieldsDepthLimit: c.depthLimit } : {}),
    representationOnly: c.representationOnly,
  };
}

/** Merges relinked pairs (sorted by a's index) into runs that continue on both sides with the same fields. */
function relinkedRuns(pairs: readonly RelinkedPair[]): RelinkedRun[] {
  const relinked: RelinkedRun[] = [];
  for (const p of pairs) {
    const last = relinked[relinked.length - 1] as
      | { a: [number, number]; b: [number, number]; fields: string[] }
      | undefined;
    const fields = p.fields.join(',');
    if (last && last.a[1] === p.ai && last.b[1] === p.bi && last.fields.join(',') === fields) {
      last.a[1]++;
      last.b[1]++;
    } else relinked.push({ a: [p.ai, p.ai + 1], b: [p.bi, p.bi + 1], fields: p.fields });
  }
  return relinked;
}

function windowRange(w: readonly WindowEntry[], complete: boolean): WindowRange {
  return {
    from: w[0]?.index ?? 0,
    to: w.length ? w[w.length - 1]!.index + 1 : 0,
    complete,
  };
}

/** A readable view of one entry for the context around a divergence. */
export interface EntryView {
  readonly index: number;
  readonly offset: number;
  readonly leafHash: string;
  readonly length: number;
  /** The line as UTF-8 text, cut to maxChars; absent when not valid UTF-8 or not read. */
  readonly text?: string;
  readonly truncated: boolean;
}

export function entryView(e: WindowEntry, maxChars = 2000): EntryView {
  const text = e.bytes ? tryDecodeUtf8(e.bytes) : undefined;
  return {
    index: e.index,
    offset: e.offset,
    leafHash: toHex(e.leafHash),
    length: e.length,
    ...(text !== undefined ? { text: text.length > maxChars ? text.slice(0, maxChars) : text } : {}),
    truncated: text === undefined ? e.bytes === undefined : text.length > maxChars,
  };
}
