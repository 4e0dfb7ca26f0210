/**
 * "Who did what, when": queries over the entry search index of the bundles in a case
 * (docs/case-file.md §8). Every hit names the bundle (evidence item), the entry index, its
 * byte offset in the entries file, the exact line read back from the stored evidence, and its
 * verification status in the run the index is linked to (verified / failed / unverifiable,
 * with the codes of the findings at that entry).
 *
 * Query language (one string, terms separated by spaces, all must hold):
 *   word, "a phrase", prefix*      full-text terms over the event's values (FTS5, tokenised)
 *   -word                          must not occur (needs at least one positive term)
 *   actor:VALUE  action:VALUE  target:VALUE   exact match on the extracted field (VALUE* for a prefix)
 *   seq:N  seq:N..M                sequence number or inclusive range
 * plus --from / --to time bounds (inclusive).
 */
import { closeSync, readSync } from 'node:fs';
import { compareInstants, type Instant, parseTimestamp } from '../../shared/bundle/entry.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { CoverageStatus } from '../../shared/verdict/result.js';
import type { FileRegion } from '../platform/bundle-source.js';
import { openRegion } from '../platform/open-regular.js';
import type { CaseFile } from './case-file.js';
import { bundleEntries, type EntrySet, entriesTable, ftsTable, listEntrySets } from './entry-index.js';
import { getEvidence } from './evidence.js';

export const DEFAULT_QUERY_LIMIT = 50;
/**
 * Terms in one query. Each FTS term is a doclist SQLite merges before the first row comes
 * back, inside one native call nothing can interrupt: 20,000 prefix terms took 288 s. Real
 * questions have a handful of terms.
 */
export const MAX_QUERY_TERMS = 32;
/** Prefix terms (`word*`) cost the most: each merges the doclists of every token it matches. */
export const MAX_PREFIX_TERMS = 8;
/** A query that is still running after this long stops between statements with a clear error. */
export const DEFAULT_QUERY_TIME_MS = 30_000;
export const MAX_QUERY_LIMIT = 10_000;
/** Longest line text returned with a hit (the full line is in the evidence). */
export const MAX_HIT_LINE = 4096;

export interface EntryQuery {
  readonly text?: string;
  /** Inclusive bounds, RFC 3339 UTC (or YYYY-MM-DD: start of day for `from`, end of day for `to`). */
  readonly from?: string;
  readonly to?: string;
  /** Restrict to these evidence items. */
  readonly evidenceIds?: readonly number[];
  /** Only entries after this entry index (the next page of a query over one bundle). */
  readonly after?: number;
  /** Field filters given apart from the text (values may hold spaces); `VALUE*` is a prefix. */
  readonly fields?: { readonly actor?: string; readonly action?: string; readonly target?: string };
  readonly limit?: number;
  /** Also count every match (costs a full pass over the matches). */
  readonly count?: boolean;
  /** Time budget (default DEFAULT_QUERY_TIME_MS), checked between statements and between rows. */
  readonly maxMs?: number;
}

export type HitStatus = CoverageStatus | 'not-verified';

export interface QueryHit {
  readonly evidenceId: number;
  readonly bundle: string;
  readonly file: string;
  readonly entry: number;
  readonly byteOffset: number;
  readonly seq: number | null;
  readonly ts: string | null;
  readonly actor: string | null;
  readonly action: string | null;
  readonly target: string | null;
  readonly runId: number | null;
  readonly status: HitStatus;
  readonly findings: readonly string[];
  readonly line: string;
  readonly lineTruncated: boolean;
}

export interface QueryResult {
  readonly hits: readonly QueryHit[];
  /** More matches exist beyond `limit`. */
  readonly more: boolean;
  readonly total?: number;
  readonly elapsedMs: number;
  readonly searched: ReadonlyArray<{
    readonly evidenceId: number;
    readonly entries: number;
    readonly runId: number | null;
  }>;
  /** Bundles in the case without a complete index (not searched). */
  readonly notIndexed: readonly number[];
}

// ── parsing ───────────────────────────────────────────────────────────────────────────────

type FieldOp = { readonly field: 'actor' | 'action' | 'target'; readonly value: string; readonly prefix: boolean };

export interface ParsedQuery {
  /** FTS5 expression, or undefined when there is no text term. */
  readonly fts?: string;
  readonly fields: readonly FieldOp[];
  readonly seq?: readonly [number, number];
}

function quoteFts(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Splits on spaces, keeping "quoted phrases" (with the quotes) together. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /(-?)"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push(m[3] !== undefined ? m[3] : `${m[1]}"${m[2]}"`);
  return out;
}

export function parseQuery(text: string): ParsedQuery {
  const pos: string[] = [];
  const neg: string[] = [];
  const fields: FieldOp[] = [];
  let seq: [number, number] | undefined;
  const all = tokens(text);
  if (all.length > MAX_QUERY_TERMS)
    throw new ProofdeskError('USAGE', `the query has ${all.length} terms; at most ${MAX_QUERY_TERMS} are allowed`, {
      reason: 'QUERY_TOO_LARGE',
    });
  let prefixes = 0;
  for (const t of all) {
    const fm = /^(actor|action|target):(.+)$/i.exec(t);
    if (fm) {
      let value = fm[2]!.replace(/^"(.*)"$/, '$1');
      const prefix = value.endsWith('*');
      if (prefix) value = value.slice(0, -1);
      if (value === '') throw new ProofdeskError('USAGE', `${t}: empty value`);
      fields.push({ field: fm[1]!.toLowerCase() as FieldOp['field'], value, prefix });
      continue;
    }
    const sm = /^seq:(\d+)(?:\.\.(\d+))?$/i.exec(t);
    if (sm) {
      const a = Number(sm[1]);
      const b = sm[2] !== undefined ? Number(sm[2]) : a;
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a)
        throw new ProofdeskError('USAGE', `${t}: not a sequence number or range`);
      seq = seq ? [Math.max(seq[0], a), Math.min(seq[1], b)] : [a, b];
      continue;
    }
    const negative = t.startsWith('-') && t.length > 1;
    let body = negative ? t.slice(1) : t;
    let expr: string;
    if (body.startsWith('"') && body.endsWith('"') && body.length >= 2) {
      body = body.slice(1, -1);
      if (body.trim() === '') continue;
      expr = quoteFts(body);
    } else if (body.endsWith('*') && body.length > 1) {
      if (++prefixes > MAX_PREFIX_TERMS)
        throw new ProofdeskError('USAGE', `the query has more than ${MAX_PREFIX_TERMS} prefix terms (word*)`, {
          reason: 'QUERY_TOO_LARGE',
        });
      expr = `${quoteFts(body.slice(0, -1))}*`;
    } else expr = quoteFts(body);
    (negative ? neg : pos).push(expr);
  }
  if (neg.length && !pos.length)
    throw new ProofdeskError('USAGE', 'a query with -term also needs at least one term that must occur');
  const fts = pos.length ? pos.join(' AND ') + neg.map((n) => ` NOT ${n}`).join('') : undefined;
  return { ...(fts !== undefined ? { fts } : {}), fields, ...(seq ? { seq } : {}) };
}

function fieldOps(f: EntryQuery['fields']): FieldOp[] {
  const out: FieldOp[] = [];
  for (const field of ['actor', 'action', 'target'] as const) {
    const v = f?.[field];
    if (v === undefined || v === '') continue;
    const prefix = v.endsWith('*');
    const value = prefix ? v.slice(0, -1) : v;
    if (value === '') throw new ProofdeskError('USAGE', `${field}: empty value`);
    out.push({ field, value, prefix });
  }
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a --from / --to bound. */
export function parseBound(v: string, end: boolean): Instant {
  const t = DAY.test(v) ? parseTimestamp(end ? `${v}T23:59:59.999999999Z` : `${v}T00:00:00Z`) : parseTimestamp(v);
  if (!t)
    throw new ProofdeskError('USAGE', `${JSON.stringify(v)} is not a time: use YYYY-MM-DDTHH:MM:SS[.F]Z or YYYY-MM-DD`);
  return t;
}

// ── execution ─────────────────────────────────────────────────────────────────────────────

interface EntryRow {
  idx: number;
  seq: number | null;
  t_s: number | null;
  t_ns: number | null;
  actor: string | null;
  action: string | null;
  target: string | null;
  byte_offset: number;
  length: number;
}

function readLine(region: FileRegion, offset: number, length: number): { line: string; truncated: boolean } {
  const n = Math.min(length, MAX_HIT_LINE);
  const buf = Buffer.alloc(n);
  const fd = openRegion(region);
  try {
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, region.offset + offset + got);
      if (r <= 0) break;
      got += r;
    }
    return { line: buf.subarray(0, got).toString('utf8'), truncated: length > n };
  } finally {
    closeSync(fd);
  }
}

/** The instant as the entry wrote it is in the line; for the hit we format the indexed instant. */
function formatInstant(s: number | null, ns: number | null): string | null {
  if (s === null) return null;
  const base = new Date(s * 1000).toISOString().slice(0, 19);
  return ns ? `${base}.${String(ns).padStart(9, '0').replace(/0+$/, '')}Z` : `${base}Z`;
}

/**
 * Runs a query over every complete index in the case (or those of `evidenceIds`). Results are
 * ordered by evidence item, then entry index (log order; time order too when the bundle's
 * timestamps never go backwards).
 */
export function queryEntries(cf: CaseFile, q: EntryQuery): QueryResult {
  // One read transaction: a rebuild that swaps a bundle's index meanwhile is either wholly
  // before this snapshot or wholly after it, so the query never reads half of either index.
  return cf.db.transaction(() => queryInSnapshot(cf, q))();
}

function queryInSnapshot(cf: CaseFile, q: EntryQuery): QueryResult {
  const t0 = performance.now();
  const limit = q.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT)
    throw new ProofdeskError('USAGE', `--limit must be between 1 and ${MAX_QUERY_LIMIT}`);
  const parsed = parseQuery(q.text ?? '');
  const extra = fieldOps(q.fields);
  const pq: ParsedQuery = extra.length ? { ...parsed, fields: [...parsed.fields, ...extra] } : parsed;
  const from = q.from !== undefined ? parseBound(q.from, false) : undefined;
  const to = q.to !== undefined ? parseBound(q.to, true) : undefined;
  if (from && to && compareInstants(from, to) > 0) throw new ProofdeskError('USAGE', '--from is after --to');

  const all = listEntrySets(cf);
  const wanted = q.evidenceIds ? new Set(q.evidenceIds) : undefined;
  const sets = all.filter((s) => s.state === 'ready' && (!wanted || wanted.has(s.evidenceId)));
  const bundles = cf.db.prepare("SELECT id FROM evidence WHERE kind = 'bundle' ORDER BY id").all() as Array<{
    id: number;
  }>;
  const ready = new Set(sets.map((s) => s.evidenceId));
  const notIndexed = bundles.map((b) => b.id).filter((id) => !ready.has(id) && (!wanted || wanted.has(id)));

  const maxMs = q.maxMs ?? DEFAULT_QUERY_TIME_MS;
  const inTime = () => {
    if (performance.now() - t0 > maxMs)
      throw new ProofdeskError(
        'USAGE',
        `the query ran for more than ${Math.round(maxMs / 1000)} s and was stopped; narrow it (fewer or longer terms, --from/--to, --evidence)`,
        { reason: 'QUERY_TIMEOUT' },
      );
  };
  const hits: QueryHit[] = [];
  let more = false;
  let total: number | undefined = q.count ? 0 : undefined;
  for (const s of sets) {
    inTime();
    const left = limit - hits.length;
    const plan = planSet(cf, s, pq, from, to, q.after);
    if (plan === undefined) continue; // the bounds exclude every entry of this bundle
    if (q.count)
      total! += (
        cf.db.prepare(`SELECT count(*) AS n ${plan.from} WHERE ${plan.where}`).get(...plan.params) as { n: number }
      ).n;
    inTime();
    if (left <= 0) {
      if (!more)
        more = cf.db.prepare(`SELECT 1 ${plan.from} WHERE ${plan.where} LIMIT 1`).get(...plan.params) !== undefined;
      if (!q.count) break;
      continue;
    }
    const rows: EntryRow[] = [];
    // Row by row, so the time budget is also checked between rows of one bundle.
    for (const r of cf.db
      .prepare(
        `SELECT e.idx, e.seq, e.t_s, e.t_ns, e.actor, e.action, e.target, e.byte_offset, e.length ${plan.from} WHERE ${plan.where} ORDER BY ${plan.order} LIMIT ?`,
      )
      .iterate(...plan.params, left + 1) as Iterable<EntryRow>) {
      rows.push(r);
      if (rows.length % 64 === 0) inTime();
    }
    if (rows.length > left) {
      more = true;
      rows.length = left;
    }
    if (rows.length) hits.push(...toHits(cf, s, rows));
  }
  return {
    hits,
    more,
    ...(total !== undefined ? { total } : {}),
    elapsedMs: performance.now() - t0,
    searched: sets.map((s) => ({ evidenceId: s.evidenceId, entries: s.entries ?? 0, runId: s.runId })),
    notIndexed,
  };
}

/** The first i in [0, n) for which `pred` holds, or n; requires pred monotonic (false…false true…true). */
function lowerBound(n: number, pred: (i: number) => boolean): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = a + Math.floor((b - a) / 2);
    if (pred(m)) b = m;
    else a = m + 1;
  }
  return a;
}

interface Plan {
  readonly from: string;
  readonly where: string;
  readonly order: string;
  readonly params: unknown[];
}

/**
 * What one bundle's plan has gathered: an entry-index range (lo..hi inclusive, either end
 * open when undefined) and the SQL conditions the range cannot express, with their parameters.
 */
interface SetBounds {
  lo: number | undefined;
  hi: number | undefined;
  readonly where: string[];
  readonly params: unknown[];
}

/** Builds the SQL for one bundle's index; undefined when the time bounds exclude everything. */
function planSet(
  cf: CaseFile,
  s: EntrySet,
  pq: ParsedQuery,
  from?: Instant,
  to?: Instant,
  after?: number,
): Plan | undefined {
  const E = entriesTable(s.id);
  const F = ftsTable(s.id);
  const b: SetBounds = { lo: undefined, hi: undefined, where: [], params: [] };
  if ((from || to) && !boundTimes(cf, s, E, b, from, to)) return undefined;
  if (after !== undefined) {
    b.lo = Math.max(b.lo ?? 0, after + 1);
    if (b.hi !== undefined && b.lo > b.hi) return undefined;
  }
  if (pq.seq && !boundSeq(b, pq.seq, s.seqBase)) return undefined;
  for (const f of pq.fields) {
    if (f.prefix) {
      // Range on the field index instead of LIKE (which is case-insensitive and cannot use it).
      b.where.push(`e.${f.field} >= ? AND e.${f.field} < ?`);
      b.params.push(f.value, f.value + '\u{10FFFF}');
    } else {
      b.where.push(`e.${f.field} = ?`);
      b.params.push(f.value);
    }
  }
  return pq.fts !== undefined ? ftsPlan(E, F, pq.fts, b) : entriesPlan(E, b);
}

/** Adds the time bounds to `b`; false when they exclude every entry of the bundle. */
function boundTimes(cf: CaseFile, s: EntrySet, E: string, b: SetBounds, from?: Instant, to?: Instant): boolean {
  if (s.tsMonotonic) {
    // Time order is log order: the bounds become an entry-index range, found by binary
    // search over the rowid b-tree; FTS5 and the entries table both use it directly.
    const n = s.entries ?? 0;
    const timeAt = cf.db.prepare(`SELECT t_s, t_ns FROM ${E} WHERE idx = ?`);
    const at = (i: number): Instant => {
      const r = timeAt.get(i) as { t_s: number; t_ns: number };
      return { seconds: r.t_s, nanos: r.t_ns };
    };
    // First index whose time is >= from (n when none).
    if (from) b.lo = lowerBound(n, (i) => compareInstants(at(i), from) >= 0);
    // Last index whose time is <= to (-1 when none).
    if (to) b.hi = lowerBound(n, (i) => compareInstants(at(i), to) > 0) - 1;
    const { lo, hi } = b;
    return !((lo ?? 0) >= n || (hi ?? 0) < 0 || (lo !== undefined && hi !== undefined && lo > hi));
  }
  if (from) {
    b.where.push('e.t_s IS NOT NULL AND (e.t_s, e.t_ns) >= (?, ?)');
    b.params.push(from.seconds, from.nanos);
  }
  if (to) {
    b.where.push('e.t_s IS NOT NULL AND (e.t_s, e.t_ns) <= (?, ?)');
    b.params.push(to.seconds, to.nanos);
  }
  return true;
}

/** Adds a seq range to `b`; false when it excludes every entry of the bundle. */
function boundSeq(b: SetBounds, seq: readonly [number, number], seqBase: number | null): boolean {
  if (seqBase !== null) {
    // seq = seqBase + index for every entry: a seq range is an entry range.
    const lo = Math.max(b.lo ?? 0, seq[0] - seqBase);
    const hi = Math.min(b.hi ?? Number.MAX_SAFE_INTEGER, seq[1] - seqBase);
    b.lo = lo;
    b.hi = hi;
    return !(lo > hi);
  }
  b.where.push('e.seq BETWEEN ? AND ?');
  b.params.push(seq[0], seq[1]);
  return true;
}

/** The conditions and parameters that hold `column` within lo..hi. */
function rangeOn(column: string, b: SetBounds): { readonly conds: string[]; readonly params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (b.lo !== undefined) {
    conds.push(`${column} >= ?`);
    params.push(b.lo);
  }
  if (b.hi !== undefined) {
    conds.push(`${column} <= ?`);
    params.push(b.hi);
  }
  return { conds, params };
}

/** FTS5 matches joined to their entries (tables E and F). */
function ftsPlan(E: string, F: string, fts: string, b: SetBounds): Plan {
  const range = rangeOn('f.rowid', b);
  return {
    // CROSS JOIN keeps FTS5 as the outer loop: it yields matches in rowid order, so LIMIT stops early.
    from: `FROM ${F} f CROSS JOIN ${E} e ON e.idx = f.rowid`,
    where: [`${F} MATCH ?`, ...range.conds, ...b.where].join(' AND '),
    order: 'f.rowid',
    params: [fts, ...range.params, ...b.params],
  };
}

/** Entries of table E alone, when there is no text term. */
function entriesPlan(E: string, b: SetBounds): Plan {
  const range = rangeOn('e.idx', b);
  const w = [...range.conds, ...b.where];
  return {
    from: `FROM ${E} e`,
    where: w.length ? w.join(' AND ') : '1',
    order: 'e.idx',
    params: [...range.params, ...b.params],
  };
}

function toHits(cf: CaseFile, s: EntrySet, rows: readonly EntryRow[]): QueryHit[] {
  const e = getEvidence(cf, s.evidenceId)!;
  const { region, path, name } = bundleEntries(cf, e);
  const cov =
    s.runId !== null
      ? cf.db.prepare(
          'SELECT to_idx, status FROM run_coverage WHERE run_id = ? AND from_idx <= ? ORDER BY from_idx DESC LIMIT 1',
        )
      : undefined;
  const fnd =
    s.runId !== null
      ? cf.db.prepare('SELECT DISTINCT code FROM findings WHERE run_id = ? AND entry = ? ORDER BY code')
      : undefined;
  return rows.map((r) => {
    let status: HitStatus = 'not-verified';
    let findings: string[] = [];
    if (cov && fnd) {
      const c = cov.get(s.runId, r.idx) as { to_idx: number; status: CoverageStatus } | undefined;
      status = c && r.idx < c.to_idx ? c.status : 'not-verified';
      findings = (fnd.all(s.runId, r.idx) as Array<{ code: string }>).map((x) => x.code);
    }
    const { line, truncated } = readLine(region, r.byte_offset, r.length);
    let ts: string | null = null;
    try {
      const o = JSON.parse(line) as { ts?: unknown };
      if (typeof o.ts === 'string') ts = o.ts;
    } catch {
      ts = formatInstant(r.t_s, r.t_ns);
    }
    return {
      evidenceId: s.evidenceId,
      bundle: name,
      file: path,
      entry: r.idx,
      byteOffset: r.byte_offset,
      seq: r.seq,
      ts: ts ?? formatInstant(r.t_s, r.t_ns),
      actor: r.actor,
      action: r.action,
      target: r.target,
      runId: s.runId,
      status,
      findings,
      line,
      lineTruncated: truncated,
    };
  });
}
