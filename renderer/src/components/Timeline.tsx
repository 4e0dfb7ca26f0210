/**
 * The entries of a run over time: a histogram from the whole log down to seconds, each bar
 * split by coverage (verified, failed, no longer proven, unverifiable), with the silent
 * periods — far longer without an entry than the log's usual rhythm — marked across it. Click
 * a bar to open its entries; double-click (or "Zoom in") to look inside it.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { IpcError, SilentPeriod, TimelineBar, TimelineView } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { duration, num, span } from '../format.js';
import { useWorkspace } from '../state.js';
import { formatTime, tickLabel } from '../time.js';
import { asIpcError, ErrorBox } from './common.js';

const H = 112;
const AXIS = 18;
const CLASSES = [
  { k: 'verified', label: 'verified', cls: 'tl-verified' },
  { k: 'failed', label: 'failed', cls: 'tl-failed' },
  { k: 'noLongerProven', label: 'no longer proven', cls: 'tl-nlp' },
  { k: 'unverifiable', label: 'unverifiable', cls: 'tl-unverifiable' },
] as const;

const total = (b: TimelineBar) => b.verified + b.failed + b.noLongerProven + b.unverifiable;

export function Timeline({
  runId,
  onOpen,
  onHide,
}: {
  runId: string;
  onHide?: () => void;
  /** A bar or a silence was picked: its entries (first and last index) and its time range. */
  onOpen: (a: { firstIndex: number; lastIndex: number; t0: number; t1: number }) => void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [range, setRange] = useState<{ from: number; to: number }>();
  const [view, setView] = useState<TimelineView>();
  const [err, setErr] = useState<IpcError>();
  const [picked, setPicked] = useState<number>();
  const [roundTrip, setRoundTrip] = useState<number>();

  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth)));
    ro.observe(el);
    setWidth(Math.max(200, el.clientWidth));
    return () => ro.disconnect();
  }, []);

  const buckets = Math.max(20, Math.min(400, Math.floor(width / 5)));
  useEffect(() => {
    let live = true;
    setErr(undefined);
    const t0 = performance.now();
    call('entries.timeline', { runId, buckets, ...(range ? { from: range.from, to: range.to } : {}) }).then(
      (v) => {
        if (!live) return;
        setView(v);
        setPicked(undefined);
        setRoundTrip(performance.now() - t0);
      },
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [runId, range, buckets]);

  // One outer element whatever is shown, so its width is measured once and kept.
  return (
    <div ref={wrap} className="timeline-wrap">
      {err ? (
        <ErrorBox error={err} title="No timeline" />
      ) : !view ? (
        <div className="timeline loading" data-testid="timeline-loading">
          <span className="muted small">Reading the entries' times…</span>
        </div>
      ) : (
        <Plot
          view={view}
          width={width}
          whole={range === undefined}
          setRange={setRange}
          range={range}
          picked={picked}
          setPicked={setPicked}
          roundTrip={roundTrip}
          onOpen={onOpen}
          {...(onHide ? { onHide } : {})}
        />
      )}
    </div>
  );
}

function Plot({
  view,
  width,
  whole,
  range,
  setRange,
  picked,
  setPicked,
  roundTrip,
  onOpen,
  onHide,
}: {
  view: TimelineView;
  onHide?: () => void;
  width: number;
  whole: boolean;
  range: { from: number; to: number } | undefined;
  setRange: (r: { from: number; to: number } | undefined) => void;
  picked: number | undefined;
  setPicked: (k: number) => void;
  roundTrip: number | undefined;
  onOpen: (a: { firstIndex: number; lastIndex: number; t0: number; t1: number }) => void;
}) {
  const { w } = useWorkspace();
  const spanMs = Math.max(1, view.to - view.from);
  const x = (t: number) => ((t - view.from) / spanMs) * width;
  const max = Math.max(1, ...view.bars.map(total));
  const y = (n: number) => ((H - AXIS - 4) * n) / max;
  const barW = Math.max(1, width / Math.max(1, view.bars.length) - 1);
  const tickEvery = Math.max(1, Math.ceil(view.bars.length / Math.max(2, Math.floor(width / 110))));
  const zoomIn = (b: TimelineBar) => setRange({ from: b.t0, to: b.t1 });
  const zoomOut = () => {
    if (!range) return;
    const mid = (range.from + range.to) / 2;
    const half = (range.to - range.from) * 2;
    const from = Math.max(view.first, Math.floor(mid - half));
    const to = Math.min(view.last + 1, Math.ceil(mid + half));
    setRange(from <= view.first && to >= view.last ? undefined : { from, to });
  };
  const showSilence = (s: SilentPeriod) => {
    const pad = Math.max(60_000, (s.t1 - s.t0) / 2);
    setRange({ from: Math.floor(s.t0 - pad), to: Math.ceil(s.t1 + pad) });
    onOpen({ firstIndex: s.fromIndex, lastIndex: s.toIndex, t0: s.t0, t1: s.t1 });
  };
  const p = picked !== undefined ? view.bars[picked] : undefined;
  return (
    <div className="timeline" data-testid="timeline" data-bucket-ms={view.bucketMs} data-bars={view.bars.length}>
      <div className="timeline-head row-between">
        <span className="small">
          <b>Timeline</b>{' '}
          <span className="muted">
            {formatTime(view.from, w.zone)} – {formatTime(view.to, w.zone, { date: view.to - view.from > 86_400_000 })}{' '}
            · bars of {span(view.bucketMs)} · usual gap {duration(view.typicalGapMs)}
          </span>
        </span>
        <span className="actions">
          <button type="button" className="link small" onClick={zoomOut} disabled={whole}>
            Zoom out
          </button>
          <button type="button" className="link small" onClick={() => setRange(undefined)} disabled={whole}>
            Whole log
          </button>
          {p ? (
            <button type="button" className="link small" onClick={() => zoomIn(p)} data-testid="timeline-zoom">
              Zoom into the bar
            </button>
          ) : null}
          {onHide ? (
            <button type="button" className="link small" onClick={onHide}>
              Hide
            </button>
          ) : null}
        </span>
      </div>
      <div className="timeline-plot">
        <svg
          width={width}
          height={H}
          role="img"
          aria-label={`entries over time, ${view.bars.length} bars`}
          data-testid="timeline-svg"
        >
          <defs>
            <pattern
              id="tl-nlp-pattern"
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" className="tl-nlp-bg" />
              <rect width="3" height="6" className="tl-nlp" />
            </pattern>
            <pattern
              id="tl-silence-pattern"
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(-45)"
            >
              <rect width="2" height="8" className="tl-silence-stroke" />
            </pattern>
          </defs>
          {view.silences.map((s) => (
            <rect
              key={`${s.fromIndex}-${s.toIndex}`}
              x={Math.max(0, x(s.t0))}
              y={0}
              width={Math.max(2, Math.min(width, x(s.t1)) - Math.max(0, x(s.t0)))}
              height={H - AXIS}
              className="tl-silence"
              data-testid="timeline-silence"
            >
              <title>
                {`No entry for ${duration(s.t1 - s.t0)}: from ${formatTime(s.t0, w.zone)} to ${formatTime(s.t1, w.zone)} (after entry ${num(s.fromIndex)})`}
              </title>
            </rect>
          ))}
          {view.bars.map((b, k) => {
            const n = total(b);
            let top = H - AXIS;
            const left = x(b.t0);
            return (
              // biome-ignore lint/a11y/noStaticElementInteractions: the bars are also reachable through the entry list and the search; the plot is a pointer shortcut
              <g
                key={b.t0}
                className={`tl-bar${picked === k ? ' picked' : ''}`}
                data-testid="timeline-bar"
                data-count={n}
                data-first={b.firstIndex}
                onClick={() => {
                  if (n === 0) return;
                  setPicked(k);
                  onOpen({ firstIndex: b.firstIndex, lastIndex: b.lastIndex, t0: b.t0, t1: b.t1 });
                }}
                onDoubleClick={() => n > 0 && zoomIn(b)}
              >
                <rect x={left} y={0} width={barW + 1} height={H - AXIS} className="tl-hit" />
                {CLASSES.map((c) => {
                  const v = b[c.k];
                  if (!v) return null;
                  // A single failed entry among thousands must still be seen.
                  const h = Math.max(c.k === 'failed' ? 3 : 1, y(v));
                  top -= h;
                  return (
                    <rect
                      key={c.k}
                      x={left}
                      y={top}
                      width={barW}
                      height={h}
                      className={c.k === 'noLongerProven' ? 'tl-nlp-bar' : c.cls}
                    />
                  );
                })}
                <title>
                  {`${formatTime(b.t0, w.zone)}: ${num(n)} entries${
                    n
                      ? ` (${CLASSES.filter((c) => b[c.k])
                          .map((c) => `${num(b[c.k])} ${c.label}`)
                          .join(', ')})`
                      : ''
                  }`}
                </title>
              </g>
            );
          })}
          <line x1={0} x2={width} y1={H - AXIS} y2={H - AXIS} className="tl-axis" />
          {view.bars.map((b, k) =>
            k % tickEvery === 0 ? (
              <text key={b.t0} x={x(b.t0) + 2} y={H - 5} className="tl-tick">
                {tickLabel(b.t0, view.bucketMs * tickEvery, w.zone)}
              </text>
            ) : null,
          )}
        </svg>
      </div>
      <div className="timeline-foot row-between small">
        <span className="legend">
          {CLASSES.map((c) => (
            <span key={c.k}>
              <i className={`sw ${c.cls}`} /> {c.label}
            </span>
          ))}
          <span>
            <i className="sw tl-silence" /> silent ({'≥'} {duration(view.silenceMs)} without an entry)
          </span>
        </span>
        <span className="muted" data-testid="timeline-time" data-ms={Math.round(roundTrip ?? 0)}>
          {view.entriesWithoutTime ? `${num(view.entriesWithoutTime)} entries without a time · ` : ''}
          drawn from {num(view.bars.reduce((a, b) => a + total(b), 0))} entries in{' '}
          {roundTrip !== undefined ? duration(roundTrip) : '…'}
        </span>
      </div>
      {view.silences.length ? (
        <details className="silences" open={view.silences.length <= 3}>
          <summary className="small">
            <b data-testid="silence-count">{num(view.silences.length)}</b> silent period
            {view.silences.length === 1 ? '' : 's'} in view
          </summary>
          <ul className="plain small">
            {view.silences.slice(0, 50).map((s) => (
              <li key={`${s.fromIndex}-${s.toIndex}`}>
                <button type="button" className="link" onClick={() => showSilence(s)} data-testid="silence-link">
                  {duration(s.t1 - s.t0)} without an entry
                </button>{' '}
                <span className="muted">
                  from {formatTime(s.t0, w.zone, { ms: true })} (entry {num(s.fromIndex)}) to{' '}
                  {formatTime(s.t1, w.zone, { ms: true })} (entry {num(s.toIndex)})
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
