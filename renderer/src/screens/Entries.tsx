/**
 * The entry browser: every entry of a finished run (a virtualised list that scales to millions),
 * its parsed fields (time, actor, action, target), and for the selected entry its raw line or
 * pretty-printed JSON, its chain links and its Merkle inclusion proof up to the signed root.
 *
 * Above it, the timeline (entries over time by coverage, silent periods marked) and the search:
 * for a run of the open case, a query over the case's FTS5 index with filters (actor, action,
 * target, time range), the number of hits, and each hit with its status in this run; for a
 * run outside a case, a scan of the entries file that lists every line holding the text. Both
 * can be stopped; matches are highlighted.
 */
import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CAUSE_LABELS, COVERAGE_REASON_LABELS } from '../../../shared/present/labels.js';
import type {
  EntryDetail,
  EntryRow,
  EntryStatus,
  IpcError,
  LinkStatus,
  QueryHitView,
  RunView,
} from '../../../shared/protocol/ipc.js';
import type { Cause } from '../../../shared/verdict/cause.js';
import type { CoverageRange, VerificationResult } from '../../../shared/verdict/result.js';
import { call } from '../api.js';
import { asIpcError, Empty, ErrorBox, Hash, VerdictBadge, When } from '../components/common.js';
import { ProofPath } from '../components/ProofPath.js';
import { Timeline } from '../components/Timeline.js';
import { VirtualList } from '../components/VirtualList.js';
import { num } from '../format.js';
import { runsOf, useRunView, useWorkspace } from '../state.js';
import { formatTime } from '../time.js';

const PAGE = 100;
const ROW_H = 30;
const MAX_PAGES = 400;
const QUERY_PAGE = 200;
/** Hits kept from a scan of a run outside a case (the count goes on). */
const SCAN_KEEP = 5000;

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

/** An entry's status, with "no longer proven" apart from never proven (as the timeline draws it). */
function statusAt(ranges: readonly CoverageRange[], i: number): EntryStatus {
  const r = rangeAt(ranges, i);
  if (!r) return 'unverifiable';
  if (r.status === 'unverifiable' && r.reason === 'ROOT_NO_LONGER_MATCHES') return 'no-longer-proven';
  return r.status;
}

/** The diagnosis's cause for entry i: one whose entries hold it, or a removal just before it. */
export function causeAt(r: VerificationResult, i: number): Cause | undefined {
  return r.diagnosis.find((c) => {
    if (!c.entries || c.severity !== 'error') return false;
    if (c.ranges) return c.ranges.some((x) => (x.from === x.to ? x.from === i : i >= x.from && i < x.to));
    return c.entries.from === c.entries.to ? c.entries.from === i : i >= c.entries.from && i < c.entries.to;
  });
}

/** Entries the diagnosis names, for the findings index (bounded). */
function causeEntries(r: VerificationResult, limit: number): number[] {
  const out: number[] = [];
  for (const c of r.diagnosis) {
    if (!c.entries || c.severity !== 'error') continue;
    for (const x of c.ranges ?? [c.entries]) {
      const to = Math.max(x.to, x.from + 1);
      for (let i = x.from; i < to && out.length < limit; i++) if (i < r.bundle.entryCount) out.push(i);
    }
  }
  return out;
}

/** `text` with every occurrence of a term (case-insensitive) marked. */
export function Highlight({ text, terms }: { text: string; terms: readonly string[] }): ReactNode {
  const ts = terms.filter((t) => t.length > 0);
  if (!ts.length) return text;
  const re = new RegExp(`(${ts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  const parts = text.split(re);
  return parts.map((p, k) => (k % 2 === 1 ? <mark key={k}>{p}</mark> : p));
}

const plural = (n: number, one: string, many: string) => `${num(n)} ${n === 1 ? one : many}`;

const STATUS_TEXT: Record<EntryStatus, string> = {
  verified: 'verified',
  failed: 'failed',
  'no-longer-proven': 'no longer proven',
  unverifiable: 'unverifiable',
};

export function EntriesScreen() {
  const { w } = useWorkspace();
  const runs = runsOf(w).filter((r) => r.state === 'done');
  const key = (w.currentRun && runs.some((r) => r.key === w.currentRun) ? w.currentRun : undefined) ?? runs[0]?.key;
  const view = useRunView(key);
  if (!key) {
    return (
      <div className="screen">
        <header className="screen-head">
          <h1>Entries</h1>
        </header>
        <Empty title="Nothing to browse yet">
          <p>The entry browser opens the entries of a finished verification run. Verify a bundle first.</p>
        </Empty>
      </div>
    );
  }
  if (!view?.run)
    return (
      <div className="screen">
        <p className="muted">Loading the run…</p>
      </div>
    );
  if (!view.browsable)
    return (
      <div className="screen">
        <header className="screen-head">
          <h1>Entries</h1>
        </header>
        <Empty title="This run's entries cannot be browsed">
          <p>The bundle could not be indexed when it was verified. Verify it again.</p>
        </Empty>
      </div>
    );
  return <Browser key={key} runId={key} view={view} />;
}

type Mode = 'all' | 'hits' | 'findings';

interface Hits {
  readonly list: readonly QueryHitView[];
  readonly total?: number;
  readonly more: boolean;
  readonly highlight: readonly string[];
  readonly elapsedMs?: number;
  /** A scan still running (outside a case): entries searched so far. */
  readonly scanned?: number;
  readonly label: string;
}

function Browser({ runId, view }: { runId: string; view: RunView }) {
  const { w, dispatch } = useWorkspace();
  const result = view.run!.result;
  const total = result.bundle.entryCount;
  const pages = useRef(new Map<number, readonly EntryRow[]>());
  const pending = useRef(new Set<number>());
  const [, setTick] = useState(0);
  const [selected, setSelected] = useState<number>(w.focus?.runId === runId ? w.focus.index : 0);
  const [scrollTo, setScrollTo] = useState<{ index: number; seq: number }>({
    index: w.focus?.runId === runId ? w.focus.index : 0,
    seq: 1,
  });
  const [detail, setDetail] = useState<EntryDetail>();
  const [detailErr, setDetailErr] = useState<IpcError>();
  const [mode, setMode] = useState<Mode>('all');
  const [goto, setGoto] = useState('');
  const [gotoErr, setGotoErr] = useState<string>();
  const [showTimeline, setShowTimeline] = useState(true);
  // search
  const [text, setText] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [hits, setHits] = useState<Hits>();
  const [searching, setSearching] = useState(false);
  const [searchErr, setSearchErr] = useState<IpcError>();
  const searchSeq = useRef(0);
  const indexed = view.indexed === true;
  const runs = runsOf(w).filter((r) => r.state === 'done');

  const findingEntries = useMemo(() => {
    const s = new Set<number>(causeEntries(result, 10_000));
    for (const f of result.findings)
      if (f.severity === 'error' && f.location.entry !== undefined) s.add(f.location.entry);
    return [...s].sort((a, b) => a - b);
  }, [result]);
  const findingSet = useMemo(() => new Set(findingEntries), [findingEntries]);

  const jump = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(total - 1, index));
      setSelected(i);
      setScrollTo((s) => ({ index: i, seq: s.seq + 1 }));
    },
    [total],
  );

  // Focus requests from elsewhere (a finding's link) after mount.
  useEffect(() => {
    if (w.focus && w.focus.runId === runId) {
      setSelected(w.focus.index);
      setScrollTo((s) => ({ index: w.focus!.index, seq: s.seq + 1 }));
      if (mode !== 'all' && !w.focus.range) setMode('all');
    }
  }, [w.focus, runId]);

  const onRange = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
        if (pages.current.has(p) || pending.current.has(p)) continue;
        pending.current.add(p);
        void call('entries.page', { runId, from: p * PAGE, count: PAGE }).then(
          (page) => {
            pending.current.delete(p);
            if (pages.current.size > MAX_PAGES) pages.current.delete(pages.current.keys().next().value!);
            pages.current.set(p, page.rows);
            setTick((t) => t + 1);
          },
          () => pending.current.delete(p),
        );
      }
    },
    [runId],
  );

  useEffect(() => {
    let live = true;
    setDetailErr(undefined);
    call('entries.detail', { runId, index: selected }).then(
      (d) => live && setDetail(d),
      (e) => live && setDetailErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [runId, selected]);

  const cancelSearch = () => {
    searchSeq.current++;
    setSearching(false);
    setHits((h) => (h ? { ...h, label: `${h.label} (stopped)` } : h));
  };

  /** An indexed query (a run of the case): filters, count, statuses. */
  const query = async (o: { after?: number; range?: { from: string; to: string }; label?: string } = {}) => {
    const seq = ++searchSeq.current;
    setSearching(true);
    setSearchErr(undefined);
    const f = o.range?.from ?? from.trim();
    const t = o.range?.to ?? to.trim();
    try {
      const r = await call('entries.query', {
        runId,
        ...(text.trim() && !o.range ? { text: text.trim() } : {}),
        ...(actor.trim() && !o.range ? { actor: actor.trim() } : {}),
        ...(action.trim() && !o.range ? { action: action.trim() } : {}),
        ...(target.trim() && !o.range ? { target: target.trim() } : {}),
        ...(f ? { from: f.length === 16 ? `${f}:00Z` : f.endsWith('Z') ? f : `${f}Z` } : {}),
        ...(t ? { to: t.length === 16 ? `${t}:59.999999999Z` : t.endsWith('Z') ? t : `${t}Z` } : {}),
        ...(o.after !== undefined ? { after: o.after } : {}),
        limit: QUERY_PAGE,
        count: o.after === undefined,
      });
      if (seq !== searchSeq.current) return;
      setHits((prev) => ({
        list: o.after !== undefined && prev ? [...prev.list, ...r.hits] : r.hits,
        ...(r.total !== undefined ? { total: r.total } : prev?.total !== undefined ? { total: prev.total } : {}),
        more: r.more,
        highlight: r.highlight,
        elapsedMs: r.elapsedMs,
        label: o.label ?? prev?.label ?? 'Search',
      }));
      setMode('hits');
    } catch (e) {
      if (seq === searchSeq.current) setSearchErr(asIpcError(e));
    } finally {
      if (seq === searchSeq.current) setSearching(false);
    }
  };

  /** A scan of the entries file (a run outside a case): every line holding the text, in slices. */
  const scan = async () => {
    const q = text.trim();
    if (!q) return;
    const seq = ++searchSeq.current;
    setSearching(true);
    setSearchErr(undefined);
    setMode('hits');
    const found: number[] = [];
    let next = 0;
    let count = 0;
    const t0 = performance.now();
    try {
      for (;;) {
        const r = await call('entries.search', { runId, query: q, from: next, limit: 1000 });
        if (seq !== searchSeq.current) return;
        count += r.matches.length;
        for (const m of r.matches) if (found.length < SCAN_KEEP) found.push(m);
        next = r.next;
        const done = r.next >= r.total;
        setHits({
          list: found.map((index) => ({
            index,
            seq: null,
            ts: null,
            actor: null,
            action: null,
            target: null,
            status: statusAt(result.coverage.ranges, index),
            findings: [],
            line: '',
          })),
          total: count,
          more: false,
          highlight: [q],
          elapsedMs: performance.now() - t0,
          ...(done ? {} : { scanned: next }),
          label: `“${q}”`,
        });
        if (done) break;
      }
    } catch (e) {
      if (seq === searchSeq.current) setSearchErr(asIpcError(e));
    } finally {
      if (seq === searchSeq.current) setSearching(false);
    }
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    if (indexed) void query({ label: 'Search' });
    else void scan();
  };

  const submitGoto = (e: FormEvent) => {
    e.preventDefault();
    const v = goto.trim().replace(/^#/, '').replace(/[ ,_]/g, '');
    if (!/^\d+$/.test(v)) {
      setGotoErr('an entry number: digits only (0 is the first entry)');
      return;
    }
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n >= total) {
      setGotoErr(`entries are numbered 0 to ${num(total - 1)}`);
      return;
    }
    setGotoErr(undefined);
    setMode('all');
    jump(n);
  };

  const openBar = (b: { firstIndex: number; lastIndex: number; t0: number; t1: number }) => {
    jump(b.firstIndex);
    if (indexed) {
      const range = {
        from: new Date(b.t0).toISOString().replace('.000Z', 'Z'),
        // The bar is [t0, t1): its last millisecond, inclusive.
        to: new Date(b.t1 - 1).toISOString(),
      };
      void query({ range, label: `${formatTime(b.t0, w.zone)} – ${formatTime(b.t1, w.zone, { date: false })}` });
    } else setMode('all');
  };

  const renderRow = (i: number) => {
    const row = pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
    const st = statusAt(result.coverage.ranges, i);
    return (
      <>
        <span className={`dot st-${st}`} title={STATUS_TEXT[st]} />
        <span className="c-index">{num(i)}</span>
        {row ? (
          <>
            <span className="c-seq">{row.seq ?? '—'}</span>
            <span className="c-ts">{row.ts ?? '—'}</span>
            <span className="c-actor" title={row.actor}>
              {row.actor ?? ''}
            </span>
            <span className="c-action" title={row.action}>
              {row.action ?? ''}
            </span>
            <span className={`c-sum${row.parses ? '' : ' bad'}`} title={row.summary}>
              {row.target ?? row.summary}
            </span>
          </>
        ) : (
          <span className="c-sum muted">…</span>
        )}
        <RowFlag result={result} i={i} hasFinding={findingSet.has(i)} />
      </>
    );
  };

  return (
    <div className="screen entries-screen">
      <header className="screen-head row-between">
        <div>
          <h1>Entries</h1>
          <p className="muted">
            {view.caseRunId !== undefined ? `Run #${view.caseRunId} · ` : ''}
            {result.bundle.name} · {num(total)} entries · <VerdictBadge verdict={result.verdict} /> · verified{' '}
            <When t={view.startedAt} />
          </p>
        </div>
        {runs.length > 1 ? (
          <label className="field compact">
            <span className="field-label">Run</span>
            <select
              name="entries-run"
              value={runId}
              onChange={(e) => dispatch({ type: 'run.select', runId: e.target.value })}
            >
              {runs.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.caseRunId !== undefined ? `#${r.caseRunId} ` : ''}
                  {r.bundleName} — {r.verdict ?? r.state} — {formatTime(r.startedAt, w.zone)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>

      <section className="panel timeline-panel">
        {showTimeline ? (
          <Timeline runId={runId} onOpen={openBar} onHide={() => setShowTimeline(false)} />
        ) : (
          <button type="button" className="link small" onClick={() => setShowTimeline(true)}>
            Show the timeline
          </button>
        )}
      </section>

      <form onSubmit={submitSearch} className="search-form" data-testid="search-form">
        <input
          type="search"
          name="search"
          placeholder={indexed ? 'Words, "a phrase", prefix*, -exclude' : 'Text in the entry line'}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="search text"
        />
        {indexed ? (
          <>
            <input name="f-actor" placeholder="actor" value={actor} onChange={(e) => setActor(e.target.value)} />
            <input name="f-action" placeholder="action" value={action} onChange={(e) => setAction(e.target.value)} />
            <input name="f-target" placeholder="target" value={target} onChange={(e) => setTarget(e.target.value)} />
            <input
              type="datetime-local"
              step={1}
              name="f-from"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label="from (UTC)"
              title="from (UTC, inclusive)"
            />
            <input
              type="datetime-local"
              step={1}
              name="f-to"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label="to (UTC)"
              title="to (UTC, inclusive)"
            />
          </>
        ) : null}
        {/* Two buttons, never one in the other's place: a late click on Cancel cannot start a search. */}
        <button
          type="submit"
          className="primary"
          disabled={
            searching ||
            (indexed ? !(text.trim() || actor.trim() || action.trim() || target.trim() || from || to) : !text.trim())
          }
          data-testid="run-search"
        >
          {searching ? 'Searching…' : 'Search'}
        </button>
        {searching ? (
          <button type="button" className="danger" onClick={cancelSearch} data-testid="cancel-search">
            Cancel
          </button>
        ) : null}
        <span className="muted small">
          {indexed
            ? 'indexed search of this case (times in UTC)'
            : 'no case index: the entries file is read line by line'}
        </span>
      </form>
      <ErrorBox error={searchErr} title="Search failed" />

      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="entries shown">
          <button type="button" role="tab" aria-selected={mode === 'all'} onClick={() => setMode('all')}>
            All entries ({num(total)})
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'hits'}
            onClick={() => setMode('hits')}
            disabled={!hits}
            data-testid="hits-tab"
          >
            {hits ? `${hits.label}: ${plural(hits.total ?? hits.list.length, 'hit', 'hits')}` : 'Search results'}
          </button>
          <button type="button" role="tab" aria-selected={mode === 'findings'} onClick={() => setMode('findings')}>
            With findings ({num(findingEntries.length)})
          </button>
        </div>
        <form onSubmit={submitGoto} className="inline-form" noValidate>
          <input
            name="goto"
            inputMode="numeric"
            placeholder="Go to entry #"
            value={goto}
            onChange={(e) => {
              setGoto(e.target.value);
              setGotoErr(undefined);
            }}
            aria-label="go to entry number"
            aria-invalid={gotoErr !== undefined}
            className="narrow"
          />
          <button type="submit" className="secondary">
            Go
          </button>
          {gotoErr ? (
            <span className="field-error small" role="alert" data-testid="goto-error">
              {gotoErr}
            </span>
          ) : null}
        </form>
      </div>

      <div className="browser">
        <div className="list-pane">
          {mode === 'all' ? (
            <>
              <div className="vhead">
                <span />
                <span className="c-index">#</span>
                <span className="c-seq">seq</span>
                <span className="c-ts">time (as recorded)</span>
                <span className="c-actor">actor</span>
                <span className="c-action">action</span>
                <span className="c-sum">target / event</span>
              </div>
              <VirtualList
                total={total}
                rowHeight={ROW_H}
                selected={selected}
                onSelect={setSelected}
                renderRow={renderRow}
                onRange={onRange}
                scrollTo={scrollTo}
                label="entries"
              />
            </>
          ) : mode === 'hits' && hits ? (
            <HitList
              hits={hits}
              selected={selected}
              onPick={jump}
              onMore={() => void query({ after: hits.list.at(-1)?.index })}
              searching={searching}
              total={total}
              rowOf={(i) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE]}
              want={onRange}
            />
          ) : (
            <ul className="finding-index" data-testid="finding-index">
              {findingEntries.length === 0 ? <li className="muted">No entry has an error finding.</li> : null}
              {findingEntries.slice(0, 2000).map((i) => (
                <li key={i}>
                  <button type="button" className={`link${i === selected ? ' selected' : ''}`} onClick={() => jump(i)}>
                    entry {num(i)}:{' '}
                    {[
                      ...(causeAt(result, i) ? [CAUSE_LABELS[causeAt(result, i)!.cause]] : []),
                      ...result.findings.filter((f) => f.location.entry === i).map((f) => f.code),
                    ].join(', ')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <aside
          className="detail-pane"
          aria-label={`entry ${selected}`}
          data-testid="entry-detail"
          data-index={detail?.index}
        >
          <ErrorBox error={detailErr} title="Entry not shown" />
          {detail && detail.index === selected ? (
            <Detail d={detail} result={result} terms={hits?.highlight ?? []} />
          ) : (
            <p className="muted">Loading entry {num(selected)}…</p>
          )}
        </aside>
      </div>
    </div>
  );
}

function HitList({
  hits,
  selected,
  onPick,
  onMore,
  searching,
  total,
  rowOf,
  want,
}: {
  hits: Hits;
  selected: number;
  onPick: (i: number) => void;
  onMore: () => void;
  searching: boolean;
  total: number;
  /** The browser's row of an entry, for hits that carry no fields (a scan outside a case). */
  rowOf: (i: number) => EntryRow | undefined;
  /** Asks for the rows of entries [first, last]. */
  want: (first: number, last: number) => void;
}) {
  const n = hits.total ?? hits.list.length;
  useEffect(() => {
    for (const h of hits.list.slice(0, 200)) if (!h.line && !rowOf(h.index)) want(h.index, h.index);
  });
  return (
    <div className="hit-list" data-testid="hit-list" data-total={hits.total} data-shown={hits.list.length}>
      <p className="small hit-summary" role="status" data-testid="hit-summary">
        <b data-testid="hit-count">{num(n)}</b> {n === 1 ? 'entry matches' : 'entries match'}
        {hits.scanned !== undefined ? ` so far (searched ${num(hits.scanned)} of ${num(total)})` : ''}
        {hits.elapsedMs !== undefined ? <span className="muted"> · {Math.round(hits.elapsedMs)} ms</span> : null}
        {hits.total !== undefined && hits.list.length < hits.total ? (
          <span className="muted"> · showing {num(hits.list.length)}</span>
        ) : null}
      </p>
      <ol className="hits">
        {hits.list.map((h0) => {
          const row = h0.line ? undefined : rowOf(h0.index);
          const h: QueryHitView = row
            ? {
                ...h0,
                seq: row.seq ?? null,
                ts: row.ts ?? null,
                actor: row.actor ?? null,
                action: row.action ?? null,
                target: row.target ?? null,
                line: row.summary,
              }
            : h0;
          return (
            <li
              key={h.index}
              className={h.index === selected ? 'selected' : ''}
              data-index={h.index}
              data-status={h.status}
            >
              <button type="button" className="hit" onClick={() => onPick(h.index)}>
                <span className={`status st-${h.status}`}>{STATUS_TEXT[h.status]}</span>
                <span className="c-index">#{num(h.index)}</span>
                {h.ts ? <span className="c-ts">{h.ts}</span> : null}
                {h.actor ? (
                  <span className="hit-field">
                    <Highlight text={h.actor} terms={hits.highlight} />
                  </span>
                ) : null}
                {h.action ? (
                  <span className="hit-field">
                    <Highlight text={h.action} terms={hits.highlight} />
                  </span>
                ) : null}
                {h.findings.length ? <span className="flag">{h.findings.join(', ')}</span> : null}
                {h.line ? (
                  <span className="hit-line">
                    <Highlight text={h.line} terms={hits.highlight} />
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ol>
      {hits.more ? (
        <button type="button" className="link small" onClick={onMore} disabled={searching}>
          More hits…
        </button>
      ) : null}
    </div>
  );
}

const LINK_TEXT: Record<LinkStatus | 'last', string> = {
  ok: 'links correctly',
  broken: 'BROKEN',
  unknown: 'cannot be checked',
  last: 'last entry',
};

function RowFlag({ result, i, hasFinding }: { result: VerificationResult; i: number; hasFinding: boolean }) {
  const cause = causeAt(result, i);
  if (cause)
    return (
      <span className="flag flag-cause" data-testid="cause-flag" data-cause={cause.cause}>
        {cause.entries && cause.entries.from === cause.entries.to
          ? 'removed before'
          : CAUSE_LABELS[cause.cause].toLowerCase()}
      </span>
    );
  return hasFinding ? <span className="flag">finding</span> : null;
}

function pretty(raw: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return undefined;
  }
}

function Detail({ d, result, terms }: { d: EntryDetail; result: VerificationResult; terms: readonly string[] }) {
  const cause = causeAt(result, d.index);
  const reason = rangeAt(result.coverage.ranges, d.index)?.reason;
  const [view, setView] = useState<'pretty' | 'raw'>('pretty');
  const json = useMemo(() => (d.rawTruncated ? undefined : pretty(d.raw)), [d]);
  const shown = view === 'pretty' && json !== undefined ? json : d.raw;
  return (
    <div className="detail">
      <header className="row-between">
        <h2>Entry {num(d.index)}</h2>
        <span
          className={`status cov-${d.coverage}`}
          data-testid="entry-coverage"
          title={reason ? COVERAGE_REASON_LABELS[reason] : undefined}
        >
          {d.coverage}
        </span>
      </header>
      {reason ? (
        <p className="muted small" data-testid="entry-coverage-reason" data-reason={reason}>
          {COVERAGE_REASON_LABELS[reason]}
        </p>
      ) : null}
      {cause ? (
        <p className="cause-text" data-testid="entry-cause" data-cause={cause.cause}>
          <b>{CAUSE_LABELS[cause.cause]}.</b> {cause.text}
        </p>
      ) : null}
      <p className="muted small">
        byte {num(d.offset)} · {num(d.length)} bytes
      </p>
      {d.findings.length ? (
        <ul className="findings compact">
          {d.findings.map((f, k) => (
            <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
              <code className="code">{f.code}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row-between">
        <h3>{view === 'pretty' && json !== undefined ? 'Entry (pretty-printed JSON)' : 'Raw line'}</h3>
        <span className="segmented small">
          <button type="button" aria-pressed={view === 'pretty'} onClick={() => setView('pretty')} disabled={!json}>
            JSON
          </button>
          <button type="button" aria-pressed={view === 'raw'} onClick={() => setView('raw')} data-testid="show-raw">
            Raw line
          </button>
        </span>
      </div>
      <pre className="raw" data-testid={view === 'pretty' && json !== undefined ? 'pretty-json' : 'raw-line'}>
        <Highlight text={shown} terms={terms} />
        {d.rawTruncated ? '\n… (cut for display; the leaf hash covers the whole line)' : ''}
      </pre>
      {view === 'pretty' && json !== undefined ? (
        <p className="muted small">The leaf hash covers the raw line exactly as stored, not this layout.</p>
      ) : null}
      <h3>Hashes</h3>
      <dl className="facts">
        <dt>Leaf hash</dt>
        <dd>
          <Hash value={d.leafHash} />
        </dd>
        <dt>prev (recorded)</dt>
        <dd>{d.prev ? <Hash value={d.prev} /> : '—'}</dd>
        <dt>prev (expected)</dt>
        <dd>{d.expectedPrev ? <Hash value={d.expectedPrev} /> : '—'}</dd>
        <dt>Link from previous</dt>
        <dd className={`link-${d.prevStatus}`} data-testid="prev-status" data-status={d.prevStatus}>
          {d.index === 0 ? `genesis ${LINK_TEXT[d.prevStatus]}` : LINK_TEXT[d.prevStatus]}
        </dd>
        <dt>Link to next</dt>
        <dd className={`link-${d.nextStatus}`} data-status={d.nextStatus}>
          {LINK_TEXT[d.nextStatus]}
        </dd>
      </dl>
      <h3>Merkle inclusion proof</h3>
      {d.proof ? <ProofPath proof={d.proof} index={d.index} /> : <p className="muted">{d.proofUnavailable}</p>}
    </div>
  );
}
