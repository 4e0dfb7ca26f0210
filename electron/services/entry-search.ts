/**
 * The entry browser's search and timeline for a run: a query over the case's FTS5 entry index
 * (in a worker, read-only; docs/case-file.md §8) whose hits carry their status in the run
 * shown, and the histogram of the entries over time with the silent periods
 * (shared/verdict/timeline.ts), from entry times read once per run in a worker.
 */
import type { EntryQueryView, EntryStatus, TimelineView } from '../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { CoverageRange, VerificationResult } from '../../shared/verdict/result.js';
import { silencesIn, type TimelineModel, timelineBars, timelineModel } from '../../shared/verdict/timeline.js';
import type { CaseTasks } from './case-tasks.js';
import type { CaseSession } from './cases.js';
import type { RunRecord } from './runs.js';

export interface QueryArgs {
  readonly text?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
  readonly after?: number;
  readonly limit?: number;
  readonly count?: boolean;
}

function rangeAt(ranges: readonly CoverageRange[], i: number): CoverageRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (i < r.from) hi = mid - 1;
    else if (i >= r.to) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** An entry's status in a result, with "no longer proven" kept apart from never proven. */
export function entryStatus(r: VerificationResult, i: number): EntryStatus {
  const c = rangeAt(r.coverage.ranges, i);
  if (!c) return 'unverifiable';
  if (c.status === 'unverifiable' && c.reason === 'ROOT_NO_LONGER_MATCHES') return 'no-longer-proven';
  return c.status;
}

/** What a hit shows of its line: the event (where the words are), not the chain fields around it. */
function eventText(line: string): string {
  try {
    const o = JSON.parse(line) as { event?: unknown };
    if (o && typeof o === 'object' && o.event !== undefined) return JSON.stringify(o.event);
  } catch {
    // a line cut at the hit limit, or not JSON: shown as it is
  }
  return line;
}

/** Words, phrases and field values of a query: what to highlight where hits are shown. */
export function highlightTerms(a: QueryArgs): string[] {
  const out: string[] = [];
  const re = /(-?)"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  const text = a.text ?? '';
  while ((m = re.exec(text)) !== null) {
    if (m[1] === '-' || m[3]?.startsWith('-')) continue;
    const t = m[3] !== undefined ? m[3] : m[2]!;
    const field = /^(actor|action|target):(.+)$/i.exec(t);
    if (/^seq:/i.test(t)) continue;
    const v = (field ? field[2]! : t).replace(/^"(.*)"$/, '$1').replace(/\*$/, '');
    if (v.trim()) out.push(v);
  }
  for (const v of [a.actor, a.action, a.target]) if (v) out.push(v.replace(/\*$/, ''));
  return [...new Set(out)];
}

/**
 * A query over the run's bundle in the case's search index. Throws UNAVAILABLE-tagged errors
 * when the run has no index (a run outside a case: the browser scans the file instead).
 */
export async function queryRun(
  rec: RunRecord,
  cases: CaseSession,
  tasks: CaseTasks,
  a: QueryArgs,
  signal?: AbortSignal,
): Promise<EntryQueryView> {
  const result = rec.run?.result;
  if (rec.state !== 'done' || !result) throw new ProofdeskError('USAGE', 'the run has not finished');
  if (rec.caseId === undefined || rec.evidenceId === undefined || cases.open?.caseId !== rec.caseId)
    throw Object.assign(new Error('indexed search needs the run to be one of the open case'), {
      ipcCode: 'UNAVAILABLE' as const,
    });
  const r = await tasks.run(
    'case.query',
    {
      dir: cases.require(rec.caseId).dir,
      evidenceId: rec.evidenceId,
      text: a.text ?? '',
      ...(a.actor || a.action || a.target
        ? {
            fields: {
              ...(a.actor ? { actor: a.actor } : {}),
              ...(a.action ? { action: a.action } : {}),
              ...(a.target ? { target: a.target } : {}),
            },
          }
        : {}),
      ...(a.from !== undefined ? { from: a.from } : {}),
      ...(a.to !== undefined ? { to: a.to } : {}),
      ...(a.after !== undefined ? { after: a.after } : {}),
      limit: a.limit ?? 100,
      count: a.count ?? false,
    },
    signal ? { signal } : {},
  );
  if (!r.indexed)
    throw Object.assign(new Error('the bundle is not indexed for search in this case yet'), {
      ipcCode: 'UNAVAILABLE' as const,
    });
  const codes = new Map<number, Set<string>>();
  for (const f of result.findings) {
    const e = f.location.entry;
    if (e === undefined) continue;
    let set = codes.get(e);
    if (!set) codes.set(e, (set = new Set()));
    set.add(f.code);
  }
  return {
    hits: r.hits.map((h) => ({
      index: h.entry,
      seq: h.seq,
      ts: h.ts,
      actor: h.actor,
      action: h.action,
      target: h.target,
      status: entryStatus(result, h.entry),
      findings: [...(codes.get(h.entry) ?? [])].sort(),
      line: eventText(h.line).slice(0, 600),
    })),
    ...(r.total !== undefined ? { total: r.total } : {}),
    more: r.more,
    elapsedMs: r.elapsedMs,
    highlight: highlightTerms(a),
  };
}

const models = new WeakMap<RunRecord, Promise<TimelineModel>>();

/** The run's timeline model: entry times read once (from the case's index when there is one). */
export function timelineOf(rec: RunRecord, cases: CaseSession, tasks: CaseTasks): Promise<TimelineModel> {
  let m = models.get(rec);
  if (m) return m;
  const result = rec.run?.result;
  if (rec.state !== 'done' || !result || !rec.index)
    throw new ProofdeskError('USAGE', 'the run has not finished, so its entries are not indexed yet');
  const count = result.bundle.entryCount;
  const inCase =
    rec.caseId !== undefined &&
    rec.evidenceId !== undefined &&
    cases.open?.caseId === rec.caseId &&
    cases.indexed(rec.evidenceId);
  const region = rec.index.region;
  m = (
    inCase
      ? tasks.run('entries.times', { dir: cases.require().dir, evidenceId: rec.evidenceId!, count })
      : tasks.run('entries.times', { region, count })
  ).then((times) => timelineModel(times, result.coverage.ranges));
  // A failed read is not kept: the next call tries again.
  m.catch(() => models.delete(rec));
  models.set(rec, m);
  return m;
}

export async function timelineView(
  rec: RunRecord,
  cases: CaseSession,
  tasks: CaseTasks,
  a: { readonly from?: number; readonly to?: number; readonly buckets: number },
): Promise<TimelineView> {
  const t0 = performance.now();
  const m = await timelineOf(rec, cases, tasks);
  const { from, to, bucketMs, bars } = timelineBars(m, a.buckets, {
    ...(a.from !== undefined ? { from: a.from } : {}),
    ...(a.to !== undefined ? { to: a.to } : {}),
  });
  return {
    from,
    to,
    bucketMs,
    bars,
    silences: silencesIn(m, from, to),
    typicalGapMs: m.typicalGapMs,
    silenceMs: m.silenceMs,
    first: m.first,
    last: m.last,
    entriesWithoutTime: m.withoutTime,
    elapsedMs: performance.now() - t0,
  };
}
