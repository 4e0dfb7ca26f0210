/**
 * The entries of a log over time: a histogram whose bars are split by coverage (verified,
 * failed, no longer proven, unverifiable), and the silent periods — stretches with no entry
 * far longer than the log's usual rhythm, which is what an examiner looks for first around an
 * incident. Pure: entry times come in as numbers (ms since the epoch, NaN for an entry without
 * a readable time) with the run's coverage; the app draws it, the report prints it.
 */
import type { CoverageRange } from './result.js';

export interface TimelineBar {
  readonly t0: number;
  readonly t1: number;
  readonly verified: number;
  readonly failed: number;
  readonly noLongerProven: number;
  readonly unverifiable: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
}

export interface SilentPeriod {
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly t0: number;
  readonly t1: number;
}

/** What is computed once per run: per-entry class, time order, rhythm and silences. */
export interface TimelineModel {
  readonly times: Float64Array;
  readonly classes: Uint8Array;
  /** Indices of the entries with a time, in time order (ties in log order). */
  readonly order: Uint32Array;
  /** The times in log order never go backwards (then `order` is the identity on timed entries). */
  readonly monotonic: boolean;
  readonly first: number;
  readonly last: number;
  readonly typicalGapMs: number;
  readonly silenceMs: number;
  readonly silences: readonly SilentPeriod[];
  readonly withoutTime: number;
}

/**
 * A silence is a gap at least this many times the median gap, and at least this many times a
 * high percentile of the gaps (the 99th; the 90th for a log of fewer than SMALL_LOG_GAPS gaps,
 * where the 99th would be the silence itself): a log whose nights are quiet every day does not
 * report every night.
 */
const SILENCE_MEDIAN_FACTOR = 20;
const SILENCE_P99_FACTOR = 5;
const SMALL_LOG_GAPS = 1000;
/** This many long gaps make them recurring (a week of quiet nights)… */
const RECURRING_LONG_GAPS = 7;
/** …and then a silence is at least this many times their median. */
const RECURRING_FACTOR = 3;

function lowerBoundSorted(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** …and never shorter than this (a log of one entry per millisecond still needs a second of quiet to be "silent"). */
const SILENCE_MIN_MS = 1000;
/** Most silences kept (the longest; then in time order). */
const MAX_SILENCES = 500;

function classOf(r: CoverageRange | undefined): number {
  if (!r) return 3;
  if (r.status === 'verified') return 0;
  if (r.status === 'failed') return 1;
  return r.reason === 'ROOT_NO_LONGER_MATCHES' ? 2 : 3;
}

/** Builds the model. Requires coverage ranges sorted and disjoint (as a result has them). */
export function timelineModel(times: Float64Array, coverage: readonly CoverageRange[]): TimelineModel {
  const n = times.length;
  const classes = new Uint8Array(n).fill(3);
  for (const r of coverage) classes.fill(classOf(r), Math.max(0, r.from), Math.min(n, r.to));
  let timed = 0;
  let monotonic = true;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (Number.isNaN(t)) continue;
    if (t < prev) monotonic = false;
    prev = t;
    timed++;
  }
  const order = new Uint32Array(timed);
  let k = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(times[i]!)) order[k++] = i;
  if (!monotonic) order.sort((a, b) => times[a]! - times[b]! || a - b);
  const first = timed ? times[order[0]!]! : Number.NaN;
  const last = timed ? times[order[timed - 1]!]! : Number.NaN;
  const gaps = new Float64Array(Math.max(0, timed - 1));
  for (let j = 1; j < timed; j++) gaps[j - 1] = times[order[j]!]! - times[order[j - 1]!]!;
  const sorted = Float64Array.from(gaps).sort();
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
  const typicalGapMs = q(0.5);
  const high = q(sorted.length < SMALL_LOG_GAPS ? 0.9 : 0.99);
  let silenceMs = Math.max(SILENCE_MIN_MS, SILENCE_MEDIAN_FACTOR * typicalGapMs, SILENCE_P99_FACTOR * high);
  // Long gaps that recur (a log quiet every night) are the log's rhythm too: then only a gap
  // well beyond the usual long one is a silence.
  const long = sorted.subarray(lowerBoundSorted(sorted, silenceMs));
  if (long.length >= RECURRING_LONG_GAPS)
    silenceMs = Math.max(silenceMs, RECURRING_FACTOR * long[Math.floor(long.length / 2)]!);
  let silences: SilentPeriod[] = [];
  for (let j = 0; j < gaps.length; j++) {
    if (gaps[j]! < silenceMs) continue;
    const a = order[j]!;
    const b = order[j + 1]!;
    silences.push({ fromIndex: a, toIndex: b, t0: times[a]!, t1: times[b]! });
  }
  if (silences.length > MAX_SILENCES)
    silences = silences
      .sort((x, y) => y.t1 - y.t0 - (x.t1 - x.t0))
      .slice(0, MAX_SILENCES)
      .sort((x, y) => x.t0 - y.t0);
  return {
    times,
    classes,
    order,
    monotonic,
    first,
    last,
    typicalGapMs,
    silenceMs,
    silences,
    withoutTime: n - timed,
  };
}

/** Bar widths a reader can name, from a second to a year. */
const NICE_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000,
  1_209_600_000, 2_592_000_000, 7_776_000_000, 15_552_000_000, 31_536_000_000,
];

/** The smallest nice width that shows [from, to) in at most `buckets` bars. */
export function barWidth(from: number, to: number, buckets: number): number {
  const want = Math.max(1, (to - from) / Math.max(1, buckets));
  for (const w of NICE_MS) if (w >= want && Math.ceil(to / w) - Math.floor(from / w) <= buckets) return w;
  return Math.ceil(want / NICE_MS[NICE_MS.length - 1]!) * NICE_MS[NICE_MS.length - 1]!;
}

/** First position in `order` whose time is >= t (binary search over time order). */
function lowerBound(m: TimelineModel, t: number): number {
  let lo = 0;
  let hi = m.order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.times[m.order[mid]!]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bars of [from, to) (default: the whole log), each `barWidth` wide and aligned to it (UTC),
 * at most `buckets` of them; empty bars are included, so a silence shows as a run of them.
 */
export function timelineBars(
  m: TimelineModel,
  buckets: number,
  range: { readonly from?: number; readonly to?: number } = {},
): { readonly from: number; readonly to: number; readonly bucketMs: number; readonly bars: TimelineBar[] } {
  if (m.order.length === 0) return { from: 0, to: 0, bucketMs: 1, bars: [] };
  const from0 = range.from ?? m.first;
  const to0 = Math.max(range.to ?? m.last + 1, from0 + 1);
  const w = barWidth(from0, to0, buckets);
  const from = Math.floor(from0 / w) * w;
  const count = Math.max(1, Math.ceil(to0 / w) - Math.floor(from0 / w));
  const to = from + count * w;
  const acc = Array.from({ length: count }, () => ({ c: [0, 0, 0, 0], first: Number.MAX_SAFE_INTEGER, last: -1 }));
  for (let j = lowerBound(m, from); j < m.order.length; j++) {
    const i = m.order[j]!;
    const t = m.times[i]!;
    if (t >= to) break;
    const b = acc[Math.floor((t - from) / w)]!;
    b.c[m.classes[i]!]!++;
    if (i < b.first) b.first = i;
    if (i > b.last) b.last = i;
  }
  return {
    from,
    to,
    bucketMs: w,
    bars: acc.map((b, k) => ({
      t0: from + k * w,
      t1: from + (k + 1) * w,
      verified: b.c[0]!,
      failed: b.c[1]!,
      noLongerProven: b.c[2]!,
      unverifiable: b.c[3]!,
      firstIndex: b.last < 0 ? -1 : b.first,
      lastIndex: b.last,
    })),
  };
}

/** The silences that overlap [from, to). */
export function silencesIn(m: TimelineModel, from: number, to: number): SilentPeriod[] {
  return m.silences.filter((s) => s.t1 > from && s.t0 < to);
}

/**
 * The timeline as a report carries it: the whole log in at most `buckets` bars, each bar's
 * counts by class (verified, failed, no longer proven, unverifiable), and the silences (at most
 * MAX_REPORTED_SILENCES, the longest). Plain integers, so it can be signed as canonical JSON.
 */
export interface TimelineSummary {
  /** Start of the first bar, ms since the epoch (UTC). */
  readonly from: number;
  readonly bucketMs: number;
  readonly bars: ReadonlyArray<readonly [number, number, number, number]>;
  readonly silences: readonly SilentPeriod[];
  readonly typicalGapMs: number;
  readonly silenceMs: number;
  readonly withoutTime: number;
}

const MAX_REPORTED_SILENCES = 20;

export function timelineSummary(m: TimelineModel, buckets = 96): TimelineSummary | undefined {
  if (m.order.length === 0) return undefined;
  const t = timelineBars(m, buckets);
  const longest = [...m.silences]
    .sort((a, b) => b.t1 - b.t0 - (a.t1 - a.t0))
    .slice(0, MAX_REPORTED_SILENCES)
    .sort((a, b) => a.t0 - b.t0);
  return {
    from: t.from,
    bucketMs: t.bucketMs,
    bars: t.bars.map((b) => [b.verified, b.failed, b.noLongerProven, b.unverifiable] as const),
    silences: longest,
    typicalGapMs: Math.round(m.typicalGapMs),
    silenceMs: Math.round(m.silenceMs),
    withoutTime: m.withoutTime,
  };
}
