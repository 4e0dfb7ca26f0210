/**
 * Entry-level incidents: what happened to the entries of an export, read off the facts the
 * workers collect — chain breaks, sequence steps, time regressions and entry errors — and the
 * part of the log a matching signed root proves.
 *
 * The reasoning rests on two rules of the bundle format (docs/bundle-format.md §3, §4):
 *  - the chain: prev_i = SHA-256(prev_{i-1} || leafhash_{i-1}), where the verifier computes the
 *    link from entry i-1 as it is *now*. A break at p says that entry p's recorded prev is not
 *    the link of the entry now before it. Changing entry i's bytes (not its prev) breaks the link
 *    at i+1 only; changing entry i's prev breaks it at i and, since prev is part of the line,
 *    at i+1. A removed or inserted entry breaks it where the neighbours no longer belong together.
 *  - the sequence: entry i carries seq = first_seq + i in the log as written. So seq is the
 *    entry's original position, and a sequence step (expected vs actual) at index p shifts the
 *    seq of every later entry: seq_i = first_seq + i + (sum of the steps up to i).
 *
 * With seq known, each cluster of anomalies is matched against the seq values that belong
 * there (a longest increasing subsequence): entries that fit are in place; seq values that no
 * entry has are removed; entries that fit nowhere were inserted, or moved from where their seq
 * is missing. A chain break between two entries that belong together says one of them changed.
 *
 * Everything here is pure and deterministic: the same facts give the same incidents.
 */

import type { EntrySpan } from './cause.js';

export type { EntrySpan };

/** A chain break at `index`: entry index's prev (actual) is not the link of entry index-1 (expected). */
export interface ChainBreak {
  readonly index: number;
  /** Lowercase hex, when known. */
  readonly expected?: string;
  readonly actual?: string;
}

/** A sequence step at `index`: its seq is `actual` where `expected` followed from the entry before. */
export interface SeqStep {
  readonly index: number;
  readonly expected: number;
  readonly actual: number;
}

export interface EntryFacts {
  readonly entryCount: number;
  /** first_seq of the export; undefined when the entries carry no sequence numbers. */
  readonly firstSeq?: number;
  /** Sorted by index, at most one per index. */
  readonly breaks: readonly ChainBreak[];
  readonly seqSteps: readonly SeqStep[];
  readonly timeRegressions: readonly number[];
  /** Entries with an error of their own (malformed, invalid field, bad signature), sorted. */
  readonly entryErrors: readonly number[];
  /** Entries whose seq could not be read (malformed, too large, seq invalid), sorted. */
  readonly seqUnknown: readonly number[];
  /** Entries [0, provenPrefix) are exactly what the log signed (a trusted root matches). */
  readonly provenPrefix: number;
  /** Other entries proven as signed (an authenticated subtree matches), besides the prefix. */
  readonly provenIntact?: (index: number) => boolean;
  /** Whether two entries have the same bytes; undefined when it cannot be told. */
  readonly sameEntry?: (a: number, b: number) => boolean | undefined;
}

export type IncidentKind =
  | 'ENTRY_ALTERED'
  | 'ENTRIES_REMOVED'
  | 'ENTRIES_INSERTED'
  | 'ENTRIES_DUPLICATED'
  | 'ENTRIES_REORDERED'
  | 'ENTRY_INVALID'
  | 'LOG_DEFECT';

export interface Incident {
  readonly kind: IncidentKind;
  /** The earliest export index the incident changes: leaves from here on differ from the log's. */
  readonly position: number;
  /** The export entries concerned; for ENTRIES_REMOVED the empty span at the gap (before entry `from`). */
  readonly entries: EntrySpan;
  /** Seq values concerned: the removed ones, or those the inserted/moved entries carry. */
  readonly seq?: EntrySpan;
  /** Entries the evidence shows to be bad (counted as failed). */
  readonly blamed: readonly number[];
  /** Indexes whose anomalies (breaks, steps, regressions, errors) this incident explains. */
  readonly explains: readonly number[];
  readonly detail: IncidentDetail;
}

export interface IncidentDetail {
  /** ENTRY_ALTERED: the entry's own prev was changed (the break at the entry is small). */
  readonly prevChanged?: boolean;
  /** ENTRY_ALTERED: shown by a seq that is not the one its position calls for. */
  readonly seqChanged?: { readonly expected: number; readonly actual: number };
  /** ENTRIES_REORDERED of one moved entry: the export index it was taken from (the gap). */
  readonly movedFrom?: number;
  /** ENTRIES_DUPLICATED: the entry each duplicate repeats (same bytes), in order. */
  readonly duplicateOf?: readonly number[];
  /** LOG_DEFECT: what the log itself recorded wrongly; ENTRY_INVALID: 'time' for a ts earlier than the entry before. */
  readonly defect?: 'chain' | 'sequence-gap' | 'sequence-repeat' | 'time' | 'entry';
  /** ENTRY_ALTERED / ENTRY_INVALID: the entry breaks the format rules (malformed, bad signature). */
  readonly entryError?: boolean;
  /** ENTRY_ALTERED: shown by a published leaf tile whose hash for the entry differs (C2SP tiled logs). */
  readonly tile?: string;
}

/** A moved entry this close to where it belongs is reported as entries out of order. */
const MAX_NEAR_MOVE = 8;
/** Anomalies further apart than this belong to different incidents. */
const CLUSTER_GAP = 1;
/** Largest cluster matched entry by entry; larger ones (hostile input) are reported coarsely. */
const MAX_CLUSTER = 4096;
/** A recorded prev that differs from the expected link in at most this many hex digits was edited, not recomputed. */
const EDITED_PREV_MAX_DIGITS = 32;

/** Number of differing hex digits; 64 when either is missing or the lengths differ. */
export function hexDistance(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || a.length !== b.length) return 64;
  let d = 0;
  for (let k = 0; k < a.length; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) d++;
  return d;
}

/** Sequence numbers as the facts give them: seq of entry i, or undefined when not readable. */
class SeqModel {
  readonly #steps: readonly SeqStep[];
  readonly #prefix: number[];
  readonly #unknown: ReadonlySet<number>;
  constructor(
    readonly firstSeq: number,
    steps: readonly SeqStep[],
    unknown: readonly number[],
  ) {
    this.#steps = steps;
    this.#unknown = new Set(unknown);
    const prefix: number[] = [];
    let sum = 0;
    for (const s of steps) prefix.push((sum += s.actual - s.expected));
    this.#prefix = prefix;
  }

  /** Sum of the steps at indexes <= i. */
  shift(i: number): number {
    let lo = 0;
    let hi = this.#steps.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#steps[mid] as SeqStep).index <= i) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at < 0 ? 0 : (this.#prefix[at] as number);
  }

  seq(i: number): number | undefined {
    if (this.#unknown.has(i)) return undefined;
    return this.firstSeq + i + this.shift(i);
  }
}

interface Cluster {
  readonly lo: number;
  readonly hi: number;
}

/** Groups sorted anomaly indexes into clusters of nearby ones. */
function clusters(indexes: readonly number[]): Cluster[] {
  const out: Cluster[] = [];
  for (const i of indexes) {
    const last = out[out.length - 1];
    if (last && i - last.hi <= CLUSTER_GAP + 1) out[out.length - 1] = { lo: last.lo, hi: Math.max(last.hi, i) };
    else out.push({ lo: i, hi: i });
  }
  return out;
}

function sortedUnique(xs: Iterable<number>): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/**
 * The longest run of entries whose seq values increase strictly inside (before, after),
 * preferring entries the chain does not contradict. Returns the chosen export indexes.
 * O(n^2) in the cluster size, which is bounded by MAX_CLUSTER.
 */
function seqAnchors(
  entries: ReadonlyArray<{ index: number; seq: number | undefined; linked: boolean }>,
  before: number,
  after: number,
): Set<number> {
  const cand = entries.filter((e) => e.seq !== undefined && e.seq > before && e.seq < after);
  const n = cand.length;
  const len = new Array<number>(n).fill(1);
  const weight = new Array<number>(n).fill(0);
  const from = new Array<number>(n).fill(-1);
  for (let k = 0; k < n; k++) {
    const ck = cand[k] as (typeof cand)[number];
    weight[k] = ck.linked ? 1 : 0;
    for (let j = 0; j < k; j++) {
      const cj = cand[j] as (typeof cand)[number];
      if ((cj.seq as number) >= (ck.seq as number)) continue;
      const l = (len[j] as number) + 1;
      const w = (weight[j] as number) + (ck.linked ? 1 : 0);
      if (l > (len[k] as number) || (l === len[k] && w > (weight[k] as number))) {
        len[k] = l;
        weight[k] = w;
        from[k] = j;
      }
    }
  }
  let best = -1;
  for (let k = 0; k < n; k++) {
    if (
      best < 0 ||
      (len[k] as number) > (len[best] as number) ||
      (len[k] === len[best] && (weight[k] as number) > (weight[best] as number))
    )
      best = k;
  }
  const out = new Set<number>();
  for (let k = best; k >= 0; k = from[k] as number) out.add((cand[k] as (typeof cand)[number]).index);
  return out;
}

/** A gap between two anchors: the entries between them that fit nowhere, and the seq values no entry has. */
interface Gap {
  /** Export index of the first entry after the gap (the anchor after it, or the cluster end + 1). */
  readonly at: number;
  readonly unplaced: ReadonlyArray<{ readonly index: number; readonly seq: number | undefined }>;
  /** Missing seq values, as one range [from, to). */
  readonly missing: EntrySpan;
}

/** Splits a cluster at its anchors into gaps. */
function clusterGaps(
  lo: number,
  hi: number,
  model: SeqModel,
  anchors: ReadonlySet<number>,
  before: number,
  after: number,
): Gap[] {
  const gaps: Gap[] = [];
  let prevSeq = before;
  let unplaced: Array<{ index: number; seq: number | undefined }> = [];
  const close = (at: number, nextSeq: number) => {
    if (unplaced.length > 0 || nextSeq > prevSeq + 1)
      gaps.push({ at, unplaced, missing: { from: prevSeq + 1, to: nextSeq } });
    unplaced = [];
  };
  for (let i = lo; i <= hi; i++) {
    if (anchors.has(i)) {
      const s = model.seq(i) as number;
      close(i, s);
      prevSeq = s;
    } else unplaced.push({ index: i, seq: model.seq(i) });
  }
  close(hi + 1, after);
  return gaps;
}

interface StructuralResult {
  readonly incidents: Incident[];
  /** Export index -> seq, for entries in place (anchors) within clusters. */
  readonly placed: Set<number>;
}

/** Each cluster matched against the seq values that belong there: the entries in place, and the gaps. */
function clusterGapsOf(
  model: SeqModel,
  cls: readonly Cluster[],
  breakAt: ReadonlySet<number>,
): { placed: Set<number>; gaps: Gap[] } {
  const placed = new Set<number>();
  const gaps: Gap[] = [];
  for (const c of cls) {
    // The cluster's entries run from its first anomaly to its last; the entry after the last
    // anomaly is consistent with it, which fixes the seq that must follow.
    const { lo, hi } = c;
    if (hi - lo + 1 > MAX_CLUSTER) continue;
    const before = lo === 0 ? model.firstSeq - 1 : (model.seq(lo - 1) ?? model.firstSeq + lo - 1 + model.shift(lo - 1));
    const after = model.firstSeq + hi + 1 + model.shift(hi);
    const entries = [];
    for (let i = lo; i <= hi; i++) entries.push({ index: i, seq: model.seq(i), linked: !breakAt.has(i) });
    const anchors = seqAnchors(entries, before, after);
    for (const a of anchors) placed.add(a);
    gaps.push(...clusterGaps(lo, hi, model, anchors, before, after));
  }
  return { placed, gaps };
}

/** Moved entries: an unplaced entry whose seq is missing in another gap. Returns them and the seq values still missing. */
function movedEntries(gaps: readonly Gap[]): { moved: Map<number, number>; missingAt: Map<number, number> } {
  const missingAt = new Map<number, number>(); // seq -> gap position
  for (const gap of gaps)
    for (let s = gap.missing.from; s < gap.missing.to && s - gap.missing.from < MAX_CLUSTER; s++)
      missingAt.set(s, gap.at);
  const moved = new Map<number, number>(); // export index -> gap it was taken from
  for (const gap of gaps) {
    for (const u of gap.unplaced) {
      if (u.seq === undefined) continue;
      const from = missingAt.get(u.seq);
      if (from === undefined || from === gap.at) continue;
      moved.set(u.index, from);
      missingAt.delete(u.seq);
    }
  }
  return { moved, missingAt };
}

function indexesFrom(from: number, toInclusive: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= toInclusive; i++) out.push(i);
  return out;
}

/**
 * One gap: unplaced entries whose seqs are the gap's own missing values are the same entries
 * shuffled; as many unplaced as missing are entries changed in place; the surplus was inserted
 * or removed.
 */
function gapIncidents(
  gap: Gap,
  moved: ReadonlyMap<number, number>,
  missingAt: ReadonlyMap<number, number>,
  facts: EntryFacts,
  model: SeqModel,
): Incident[] {
  const out: Incident[] = [];
  const stay = gap.unplaced.filter((u) => !moved.has(u.index));
  const missing: number[] = [];
  for (let s = gap.missing.from; s < gap.missing.to; s++) if (missingAt.has(s)) missing.push(s);
  const shuffled =
    stay.length > 1 &&
    stay.length === missing.length &&
    stay.every((u) => u.seq !== undefined && missing.includes(u.seq));
  if (shuffled) {
    const idx = stay.map((u) => u.index);
    const from = Math.min(...idx);
    const to = Math.max(...idx) + 1;
    const seq = { from: Math.min(...missing), to: Math.max(...missing) + 1 };
    return [
      {
        kind: 'ENTRIES_REORDERED',
        position: from,
        entries: { from, to },
        seq,
        blamed: idx,
        explains: indexesFrom(from, to),
        detail: {},
      },
    ];
  }
  const replaced = Math.min(stay.length, missing.length);
  for (let k = 0; k < replaced; k++) {
    const u = stay[k] as (typeof stay)[number];
    const expected = missing[k] as number;
    out.push({
      kind: 'ENTRY_ALTERED',
      position: u.index,
      entries: { from: u.index, to: u.index + 1 },
      blamed: [u.index],
      explains: [u.index, u.index + 1],
      detail: u.seq === undefined ? { entryError: true } : { seqChanged: { expected, actual: u.seq } },
    });
  }
  const extra = stay.slice(replaced);
  if (extra.length > 0) out.push(insertion(extra, facts, model));
  if (missing.length > replaced) {
    const gone = missing.slice(replaced);
    const at = extra.length ? (extra[extra.length - 1] as (typeof extra)[number]).index + 1 : gap.at;
    const seq = { from: gone[0] as number, to: (gone[gone.length - 1] as number) + 1 };
    out.push({
      kind: 'ENTRIES_REMOVED',
      position: at,
      entries: { from: at, to: at },
      seq,
      blamed: [],
      explains: [at],
      detail: {},
    });
  }
  return out;
}

/** An entry moved from one gap to another: far, where it went and where from; near, the span out of order. */
function moveIncident(index: number, from: number, model: SeqModel): Incident {
  const s = model.seq(index) as number;
  if (Math.abs(from - index) > MAX_NEAR_MOVE) {
    const seq = { from: s, to: s + 1 };
    return {
      kind: 'ENTRIES_REORDERED',
      position: Math.min(from, index),
      entries: { from: index, to: index + 1 },
      seq,
      blamed: [index],
      explains: [index, index + 1, from],
      detail: { movedFrom: from },
    };
  }
  // A short move reads better as entries out of order: the span between the two places.
  const lo = Math.min(from, index);
  const hi = Math.max(from, index + 1);
  const blamed = indexesFrom(lo, hi - 1);
  const seqs = blamed.map((i) => model.seq(i)).filter((x): x is number => x !== undefined);
  const seq = seqs.length ? { seq: { from: Math.min(...seqs), to: Math.max(...seqs) + 1 } } : {};
  return {
    kind: 'ENTRIES_REORDERED',
    position: lo,
    entries: { from: lo, to: hi },
    ...seq,
    blamed,
    explains: [...blamed, hi],
    detail: {},
  };
}

/** The seq-based part: removed, inserted, duplicated, moved and replaced entries. */
function structuralIncidents(
  facts: EntryFacts,
  model: SeqModel,
  cls: readonly Cluster[],
  breakAt: ReadonlySet<number>,
): StructuralResult {
  const { placed, gaps } = clusterGapsOf(model, cls, breakAt);
  const { moved, missingAt } = movedEntries(gaps);
  const incidents = gaps.flatMap((gap) => gapIncidents(gap, moved, missingAt, facts, model));
  for (const [index, from] of moved) incidents.push(moveIncident(index, from, model));
  return { incidents: mergeReorders(incidents), placed };
}

/** Out-of-order spans that overlap or touch are one reordering of the span they cover together. */
function mergeReorders(incidents: Incident[]): Incident[] {
  const spans = incidents
    .filter((i) => i.kind === 'ENTRIES_REORDERED' && i.detail.movedFrom === undefined)
    .sort((a, b) => a.entries.from - b.entries.from);
  const rest = incidents.filter((i) => !spans.includes(i));
  const merged: Incident[] = [];
  for (const inc of spans) {
    const last = merged[merged.length - 1];
    if (last && inc.entries.from <= last.entries.to) {
      const seq =
        last.seq && inc.seq
          ? { from: Math.min(last.seq.from, inc.seq.from), to: Math.max(last.seq.to, inc.seq.to) }
          : (last.seq ?? inc.seq);
      merged[merged.length - 1] = {
        ...last,
        entries: { from: last.entries.from, to: Math.max(last.entries.to, inc.entries.to) },
        ...(seq ? { seq } : {}),
        blamed: [...new Set([...last.blamed, ...inc.blamed])].sort((a, b) => a - b),
        explains: [...new Set([...last.explains, ...inc.explains])],
      };
    } else merged.push(inc);
  }
  return [...rest, ...merged];
}

/** Entries that fit nowhere: duplicates when their bytes repeat an entry with the same seq, else inserted. */
function insertion(
  extra: ReadonlyArray<{ index: number; seq: number | undefined }>,
  facts: EntryFacts,
  model: SeqModel,
): Incident {
  const from = (extra[0] as (typeof extra)[number]).index;
  const to = (extra[extra.length - 1] as (typeof extra)[number]).index + 1;
  const idx = extra.map((u) => u.index);
  const explains = [...idx, to];
  const seqs = extra.map((u) => u.seq).filter((s): s is number => s !== undefined);
  const seq = seqs.length ? { from: Math.min(...seqs), to: Math.max(...seqs) + 1 } : undefined;
  const dupOf: number[] = [];
  for (const u of extra) {
    if (u.seq === undefined || !facts.sameEntry) break;
    // The entry whose place this seq is: the original is where the model puts that seq.
    const original = u.seq - model.firstSeq - model.shift(u.index);
    const candidates = [u.index - 1, u.index + 1, original, original - 1, original + 1].filter(
      (c) => c >= 0 && c < facts.entryCount && c !== u.index && model.seq(c) === u.seq,
    );
    const hit = candidates.find((c) => facts.sameEntry?.(c, u.index) === true);
    if (hit === undefined) break;
    dupOf.push(hit);
  }
  if (dupOf.length === extra.length)
    return {
      kind: 'ENTRIES_DUPLICATED',
      position: from,
      entries: { from, to },
      ...(seq ? { seq } : {}),
      blamed: idx,
      explains,
      detail: { duplicateOf: dupOf },
    };
  return {
    kind: 'ENTRIES_INSERTED',
    position: from,
    entries: { from, to },
    ...(seq ? { seq } : {}),
    blamed: idx,
    explains,
    detail: {},
  };
}

/**
 * Which entry a chain break at p blames when p and p-1 belong together: p when its prev was
 * edited (or p-1 is proven as signed), else p-1 (its bytes no longer give the link p recorded).
 */
function blameForBreak(
  b: ChainBreak,
  proven: (i: number) => boolean,
): { index: number; prevChanged: boolean } | 'as-signed' {
  const p = b.index;
  if (p === 0) return proven(0) ? 'as-signed' : { index: 0, prevChanged: true };
  const provenPrev = proven(p - 1);
  const provenHere = proven(p);
  if (provenPrev && provenHere) return 'as-signed';
  if (provenPrev) return { index: p, prevChanged: true };
  if (provenHere) return { index: p - 1, prevChanged: false };
  return hexDistance(b.expected, b.actual) <= EDITED_PREV_MAX_DIGITS
    ? { index: p, prevChanged: true }
    : { index: p - 1, prevChanged: false };
}

/** Groups sorted indexes into runs of consecutive ones. */
export function runsOf(sorted: readonly number[]): EntrySpan[] {
  const out: EntrySpan[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i === last.to) out[out.length - 1] = { from: last.from, to: i + 1 };
    else if (!last || i > last.to) out.push({ from: i, to: i + 1 });
  }
  return out;
}

/** Clusters holding at least one sequence step (a sweep: both lists are sorted). */
function clustersWithSteps(all: readonly Cluster[], stepIdx: readonly number[]): Cluster[] {
  const out: Cluster[] = [];
  let k = 0;
  for (const c of all) {
    while (k < stepIdx.length && (stepIdx[k] as number) < c.lo) k++;
    if (k < stepIdx.length && (stepIdx[k] as number) <= c.hi) out.push(c);
  }
  return out;
}

/** 1. Structure, from the sequence numbers (when the entries carry them). */
function seqIncidents(facts: EntryFacts, breakAt: ReadonlySet<number>, explained: Set<number>): Incident[] {
  if (facts.firstSeq === undefined || facts.seqSteps.length === 0) return [];
  const out: Incident[] = [];
  const model = new SeqModel(facts.firstSeq, facts.seqSteps, facts.seqUnknown);
  const stepIdx = facts.seqSteps.map((s) => s.index);
  const anomalies = sortedUnique([
    ...stepIdx,
    ...facts.breaks.map((b) => b.index),
    ...facts.timeRegressions,
    ...facts.entryErrors,
  ]);
  const relevant = clustersWithSteps(clusters(anomalies), stepIdx);
  for (const c of relevant) {
    if (c.hi - c.lo + 1 <= MAX_CLUSTER) continue;
    // Too large to match entry by entry (hostile input): one reordering over the span, its anomalies blamed.
    const idx = anomalies.filter((i) => i >= c.lo && i <= c.hi);
    out.push({
      kind: 'ENTRIES_REORDERED',
      position: c.lo,
      entries: { from: c.lo, to: c.hi + 1 },
      blamed: idx,
      explains: idx,
      detail: {},
    });
  }
  const asSigned = relevant.filter((c) => c.hi < facts.provenPrefix);
  for (const c of asSigned) out.push(...signedSeqDefects(facts, c));
  const open = relevant.filter((c) => c.hi >= facts.provenPrefix && c.hi - c.lo + 1 <= MAX_CLUSTER);
  out.push(...structuralIncidents(facts, model, open, breakAt).incidents);
  for (const inc of out) for (const i of inc.explains) explained.add(i);
  for (const c of asSigned) for (let i = c.lo; i <= c.hi; i++) explained.add(i);
  return out;
}

const single = (kind: IncidentKind, i: number, explains: number[], detail: IncidentDetail): Incident => ({
  kind,
  position: i,
  entries: { from: i, to: i + 1 },
  blamed: [i],
  explains,
  detail,
});

/**
 * 2. Chain breaks between entries that belong together: one of the two was changed. Returns the
 * defects the log signed, and the altered entries (index → its prev changed).
 */
function breakBlame(
  facts: EntryFacts,
  proven: (i: number) => boolean,
  explained: ReadonlySet<number>,
): { defects: Incident[]; altered: Map<number, boolean> } {
  const defects: Incident[] = [];
  const altered = new Map<number, boolean>();
  for (const b of facts.breaks) {
    if (explained.has(b.index)) continue;
    const blame = blameForBreak(b, proven);
    if (blame === 'as-signed') defects.push(single('LOG_DEFECT', b.index, [b.index], { defect: 'chain' }));
    else altered.set(blame.index, (altered.get(blame.index) ?? false) || blame.prevChanged);
  }
  return { defects, altered };
}

/** An entry error (bad signature, malformed) nothing else explains: a defect inside the proven part, else invalid. */
function errorIncidents(
  facts: EntryFacts,
  proven: (i: number) => boolean,
  explained: ReadonlySet<number>,
  altered: ReadonlyMap<number, boolean>,
): Incident[] {
  return facts.entryErrors
    .filter((i) => !explained.has(i) && !altered.has(i))
    .map((i) =>
      proven(i)
        ? single('LOG_DEFECT', i, [i], { defect: 'entry' })
        : single('ENTRY_INVALID', i, [i, i + 1], { entryError: true }),
    );
}

/** Neighbouring altered entries are one change of a block of entries. */
function alteredRuns(altered: ReadonlyMap<number, boolean>, errorAt: ReadonlySet<number>): Incident[] {
  return runsOf([...altered.keys()].sort((x, y) => x - y)).map((run) => {
    const blamed = indexesFrom(run.from, run.to - 1);
    // The entries' own findings (a signature that no longer verifies) and the breaks they cause next.
    const explains = blamed.flatMap((i) => [i, i + 1]);
    const prevChanged = run.to - run.from === 1 && altered.get(run.from) === true;
    const entryError = blamed.some((i) => errorAt.has(i));
    return {
      kind: 'ENTRY_ALTERED',
      position: run.from,
      entries: run,
      blamed,
      explains,
      detail: { ...(prevChanged ? { prevChanged: true } : {}), ...(entryError ? { entryError: true } : {}) },
    };
  });
}

/**
 * 3. Time regressions nothing else explains: the log recorded them so (when a signed root proves
 * the entry), or the entry breaks the time rule where nothing signed speaks for it.
 */
function timeIncidents(
  facts: EntryFacts,
  proven: (i: number) => boolean,
  explained: ReadonlySet<number>,
  altered: ReadonlyMap<number, boolean>,
): Incident[] {
  return facts.timeRegressions
    .filter((i) => !explained.has(i) && !altered.has(i - 1) && !altered.has(i))
    .map((i) => single(proven(i) ? 'LOG_DEFECT' : 'ENTRY_INVALID', i, [i], { defect: 'time' }));
}

/**
 * Reads the incidents off the facts. Incidents come sorted by the first entry they concern.
 * Requires: facts sorted as documented; indexes within [0, entryCount).
 */
export function entryIncidents(facts: EntryFacts): Incident[] {
  const proven = (i: number) => i < facts.provenPrefix || (facts.provenIntact?.(i) ?? false);
  const explained = new Set<number>();
  const out = seqIncidents(facts, new Set(facts.breaks.map((b) => b.index)), explained);
  const { defects, altered } = breakBlame(facts, proven, explained);
  out.push(
    ...defects,
    ...errorIncidents(facts, proven, explained, altered),
    ...alteredRuns(altered, new Set(facts.entryErrors)),
  );
  for (const inc of out) for (const i of inc.explains) explained.add(i);
  out.push(...timeIncidents(facts, proven, explained, altered));
  return out.sort(
    (a, b) =>
      a.entries.from - b.entries.from ||
      a.entries.to - b.entries.to ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
}

/** Sequence anomalies inside the proven prefix: the log signed them so (a gap or a repeat in its own numbering). */
function signedSeqDefects(facts: EntryFacts, c: Cluster): Incident[] {
  const out: Incident[] = [];
  for (const s of facts.seqSteps) {
    if (s.index < c.lo || s.index > c.hi) continue;
    const gap = s.actual > s.expected;
    out.push({
      kind: 'LOG_DEFECT',
      position: s.index,
      entries: { from: s.index, to: s.index + 1 },
      seq: gap ? { from: s.expected, to: s.actual } : { from: s.actual, to: s.actual + 1 },
      blamed: [s.index],
      explains: [s.index],
      detail: { defect: gap ? 'sequence-gap' : 'sequence-repeat' },
    });
  }
  return out;
}
