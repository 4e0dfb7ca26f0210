/**
 * The search's requests and results, pure: the indexed query built from the filters, its pages
 * merged into the hits, and a scan's matches turned into hits.
 */
import type { EntryQueryView, QueryHitView } from '../../../../shared/protocol/ipc.js';
import type { CoverageRange } from '../../../../shared/verdict/result.js';
import type { Zone } from '../../time.js';
import { formatTime } from '../../time.js';
import { statusAt } from './coverage.js';
import type { Hits, TimeSpan } from './types.js';

/** Hits per page of an indexed query. */
const QUERY_PAGE = 200;

/** The search form's fields; times are datetime-local values read as UTC. */
export interface SearchFields {
  readonly text: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: SearchFields = { text: '', actor: '', action: '', target: '', from: '', to: '' };

export interface QueryOptions {
  /** The next page: hits after this entry. */
  readonly after?: number | undefined;
  /** A time range alone (a timeline bar), in place of the form's filters. */
  readonly range?: { readonly from: string; readonly to: string };
  readonly label?: string;
}

/** Whether the form holds something to search for. */
export function canSearch(f: SearchFields, indexed: boolean): boolean {
  return indexed
    ? !!(f.text.trim() || f.actor.trim() || f.action.trim() || f.target.trim() || f.from || f.to)
    : !!f.text.trim();
}

/** A datetime-local start as RFC 3339 UTC: a minute's value starts at its second 0. */
function utcFrom(f: string): string {
  return f.length === 16 ? `${f}:00Z` : f.endsWith('Z') ? f : `${f}Z`;
}

/**
 * A datetime-local end as RFC 3339 UTC, inclusive to the end of the second it shows. The field
 * shows seconds (step 1) but its value drops them when they are 0: `hh:mm` is second 00.
 */
function utcTo(t: string): string {
  if (t.endsWith('Z')) return t;
  return t.length === 16 ? `${t}:00.999999999Z` : t.length === 19 ? `${t}.999999999Z` : `${t}Z`;
}

/** The entries.query request: a range replaces the form's word and field filters. */
export function queryRequest(runId: string, fields: SearchFields, o: QueryOptions) {
  const f = o.range?.from ?? fields.from.trim();
  const t = o.range?.to ?? fields.to.trim();
  return {
    runId,
    ...(fields.text.trim() && !o.range ? { text: fields.text.trim() } : {}),
    ...(fields.actor.trim() && !o.range ? { actor: fields.actor.trim() } : {}),
    ...(fields.action.trim() && !o.range ? { action: fields.action.trim() } : {}),
    ...(fields.target.trim() && !o.range ? { target: fields.target.trim() } : {}),
    ...(f ? { from: utcFrom(f) } : {}),
    ...(t ? { to: utcTo(t) } : {}),
    ...(o.after !== undefined ? { after: o.after } : {}),
    limit: QUERY_PAGE,
    count: o.after === undefined,
  };
}

/** The hits after a query's answer: a next page is appended, and the count kept from the first. */
export function mergeQueryHits(prev: Hits | undefined, r: EntryQueryView, o: QueryOptions): Hits {
  return {
    list: o.after !== undefined && prev ? [...prev.list, ...r.hits] : r.hits,
    ...(r.total !== undefined ? { total: r.total } : prev?.total !== undefined ? { total: prev.total } : {}),
    more: r.more,
    highlight: r.highlight,
    elapsedMs: r.elapsedMs,
    label: o.label ?? prev?.label ?? 'Search',
  };
}

/** A scan's matches as hits: only the index and status are known; the list fills in the rows. */
function scanHitList(found: readonly number[], ranges: readonly CoverageRange[]): QueryHitView[] {
  return found.map((index) => ({
    index,
    seq: null,
    ts: null,
    actor: null,
    action: null,
    target: null,
    status: statusAt(ranges, index),
    findings: [],
    line: '',
  }));
}

/** What a scan has found so far: `scanned` only while it goes on. */
export interface ScanProgress {
  readonly found: readonly number[];
  readonly count: number;
  readonly next: number;
  readonly done: boolean;
  /** When the scan started (performance.now()). */
  readonly t0: number;
}

export function scanHits(q: string, p: ScanProgress, ranges: readonly CoverageRange[]): Hits {
  return {
    list: scanHitList(p.found, ranges),
    total: p.count,
    more: false,
    highlight: [q],
    elapsedMs: performance.now() - p.t0,
    ...(p.done ? {} : { scanned: p.next }),
    label: `“${q}”`,
  };
}

/** The query a timeline bar opens: its time range alone, labelled with its times. */
export function barQuery(b: TimeSpan, zone: Zone): QueryOptions {
  const range = {
    from: new Date(b.t0).toISOString().replace('.000Z', 'Z'),
    // The bar is [t0, t1): its last millisecond, inclusive.
    to: new Date(b.t1 - 1).toISOString(),
  };
  return { range, label: `${formatTime(b.t0, zone)} – ${formatTime(b.t1, zone, { date: false })}` };
}
