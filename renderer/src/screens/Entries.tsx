/**
 * The entry browser: a virtualised list over every entry of a finished run (smooth at 10
 * million), search, go-to, a findings filter, and for one entry: raw line, leaf hash,
 * chain links both ways, and its inclusion proof drawn up to the signed root. Entries the
 * diagnosis names (altered, inserted, moved; a removal before them) carry the cause's flag.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CAUSE_LABELS, COVERAGE_REASON_LABELS } from '../../../shared/present/labels.js';
import type { EntryDetail, EntryRow, IpcError, LinkStatus } from '../../../shared/protocol/ipc.js';
import type { Cause } from '../../../shared/verdict/cause.js';
import type { CoverageRange, VerificationResult } from '../../../shared/verdict/result.js';
import { CallError, call } from '../api.js';
import { Empty, ErrorBox, Hash, VerdictBadge } from '../components/common.js';
import { ProofPath } from '../components/ProofPath.js';
import { VirtualList } from '../components/VirtualList.js';
import { baseName, num } from '../format.js';
import { useWorkspace } from '../state.js';

const PAGE = 100;
const ROW_H = 30;
const MAX_PAGES = 400;

const asErr = (e: unknown): IpcError =>
  e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String(e) };

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

function statusAt(ranges: readonly CoverageRange[], i: number): CoverageRange['status'] {
  return rangeAt(ranges, i)?.status ?? 'unverifiable';
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

export function EntriesScreen() {
  const { w } = useWorkspace();
  const browsable = w.runOrder.map((id) => w.runs[id]!).filter((r) => r.browsable);
  const run = (w.currentRun && w.runs[w.currentRun]?.browsable ? w.runs[w.currentRun] : undefined) ?? browsable[0];
  if (!run?.run) {
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
  return <Browser key={run.runId} runId={run.runId} />;
}

function Browser({ runId }: { runId: string }) {
  const { w, dispatch } = useWorkspace();
  const view = w.runs[runId]!;
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
  const [query, setQuery] = useState('');
  const [searchMsg, setSearchMsg] = useState<string>();
  const [searching, setSearching] = useState(false);
  const [goto, setGoto] = useState('');
  const [onlyFindings, setOnlyFindings] = useState(false);

  const findingEntries = useMemo(() => {
    const s = new Set<number>(causeEntries(result, 10_000));
    for (const f of result.findings)
      if (f.severity === 'error' && f.location.entry !== undefined) s.add(f.location.entry);
    return [...s].sort((a, b) => a - b);
  }, [result]);
  const findingSet = useMemo(() => new Set(findingEntries), [findingEntries]);

  // Focus requests from elsewhere (a finding's link) after mount.
  useEffect(() => {
    if (w.focus && w.focus.runId === runId) {
      setSelected(w.focus.index);
      setScrollTo((s) => ({ index: w.focus!.index, seq: s.seq + 1 }));
    }
  }, [w.focus, runId]);

  const jump = (index: number) => {
    const i = Math.max(0, Math.min(total - 1, index));
    setSelected(i);
    setScrollTo((s) => ({ index: i, seq: s.seq + 1 }));
  };

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
      (e) => live && setDetailErr(asErr(e)),
    );
    return () => {
      live = false;
    };
  }, [runId, selected]);

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!query) return;
    setSearching(true);
    setSearchMsg(undefined);
    try {
      let from = selected + 1;
      let wrapped = false;
      for (;;) {
        const r = await call('entries.search', { runId, query, from, limit: 1 });
        if (r.matches.length) {
          jump(r.matches[0]!);
          setSearchMsg(`found at entry ${num(r.matches[0]!)}${wrapped ? ' (searched from the top again)' : ''}`);
          break;
        }
        if (r.next >= r.total) {
          if (wrapped || selected === 0) {
            setSearchMsg('no entry contains that text');
            break;
          }
          wrapped = true;
          from = 0;
          continue;
        }
        if (wrapped && r.next > selected) {
          setSearchMsg('no entry contains that text');
          break;
        }
        from = r.next;
        setSearchMsg(`searching… entry ${num(r.next)} of ${num(total)}`);
      }
    } catch (err) {
      setSearchMsg(asErr(err).message);
    } finally {
      setSearching(false);
    }
  };

  const renderRow = (i: number) => {
    const row = pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
    const st = statusAt(result.coverage.ranges, i);
    return (
      <>
        <span className={`dot cov-${st}`} title={st} />
        <span className="c-index">{num(i)}</span>
        {row ? (
          <>
            <span className="c-seq">{row.seq ?? '—'}</span>
            <span className="c-ts">{row.ts ?? '—'}</span>
            <span className={`c-sum${row.parses ? '' : ' bad'}`}>{row.summary}</span>
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
            {baseName(view.bundle)} · {num(total)} entries · <VerdictBadge verdict={result.verdict} />
          </p>
        </div>
        {w.runOrder.filter((id) => w.runs[id]?.browsable).length > 1 ? (
          <label className="field compact">
            <span className="field-label">Run</span>
            <select value={runId} onChange={(e) => dispatch({ type: 'run.select', runId: e.target.value })}>
              {w.runOrder
                .map((id) => w.runs[id]!)
                .filter((r) => r.browsable)
                .map((r) => (
                  <option key={r.runId} value={r.runId}>
                    {baseName(r.bundle)} — {r.run?.result.verdict} — {new Date(r.startedAt).toLocaleTimeString()}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
      </header>
      <div className="toolbar">
        <form onSubmit={(e) => void search(e)} className="inline-form">
          <input
            type="search"
            name="search"
            placeholder="Find text in entries (actor, id, hash…)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label="find text"
          />
          <button type="submit" className="secondary" disabled={!query || searching}>
            Find next
          </button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(goto.replace(/[ ,]/g, ''));
            if (Number.isSafeInteger(n)) jump(n);
          }}
          className="inline-form"
        >
          <input
            name="goto"
            inputMode="numeric"
            placeholder="Go to entry #"
            value={goto}
            onChange={(e) => setGoto(e.target.value)}
            aria-label="go to entry number"
            className="narrow"
          />
          <button type="submit" className="secondary">
            Go
          </button>
        </form>
        <label className="chip">
          <input type="checkbox" checked={onlyFindings} onChange={(e) => setOnlyFindings(e.target.checked)} /> Only
          entries with findings ({num(findingEntries.length)})
        </label>
        {searchMsg ? (
          <span className="muted small" role="status">
            {searchMsg}
          </span>
        ) : null}
      </div>
      <div className="browser">
        <div className="list-pane">
          <div className="vhead">
            <span />
            <span className="c-index">#</span>
            <span className="c-seq">seq</span>
            <span className="c-ts">ts</span>
            <span className="c-sum">event</span>
          </div>
          {onlyFindings ? (
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
          ) : (
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
            <Detail d={detail} result={result} />
          ) : (
            <p className="muted">Loading entry {num(selected)}…</p>
          )}
        </aside>
      </div>
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

function Detail({ d, result }: { d: EntryDetail; result: VerificationResult }) {
  const cause = causeAt(result, d.index);
  const reason = rangeAt(result.coverage.ranges, d.index)?.reason;
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
      <h3>Raw line</h3>
      <pre className="raw" data-testid="raw-line">
        {d.raw}
        {d.rawTruncated ? '\n… (cut for display; the leaf hash covers the whole line)' : ''}
      </pre>
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
