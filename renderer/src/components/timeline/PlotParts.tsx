/** Around the plot: its heading with the zoom buttons, its legend and timing, the silences listed. */
import type { SilentPeriod, TimelineBar, TimelineView } from '../../../../shared/protocol/ipc.js';
import { duration, num, span } from '../../format.js';
import { formatTime, type Zone } from '../../time.js';
import { CLASSES, total } from './geometry.js';

export function PlotHead({
  view,
  zone,
  whole,
  pickedBar,
  onZoomOut,
  onWhole,
  onZoomIn,
  onHide,
}: {
  view: TimelineView;
  zone: Zone;
  whole: boolean;
  pickedBar: TimelineBar | undefined;
  onZoomOut: () => void;
  onWhole: () => void;
  onZoomIn: (b: TimelineBar) => void;
  onHide?: (() => void) | undefined;
}) {
  return (
    <div className="timeline-head row-between">
      <span className="small">
        <b>Timeline</b>{' '}
        <span className="muted">
          {formatTime(view.from, zone)} – {formatTime(view.to, zone, { date: view.to - view.from > 86_400_000 })} · bars
          of {span(view.bucketMs)} · usual gap {duration(view.typicalGapMs)}
        </span>
      </span>
      <span className="actions">
        <button type="button" className="link small" onClick={onZoomOut} disabled={whole}>
          Zoom out
        </button>
        <button type="button" className="link small" onClick={onWhole} disabled={whole}>
          Whole log
        </button>
        {pickedBar ? (
          <button type="button" className="link small" onClick={() => onZoomIn(pickedBar)} data-testid="timeline-zoom">
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
  );
}

export function PlotFoot({ view, roundTrip }: { view: TimelineView; roundTrip: number | undefined }) {
  return (
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
  );
}

export function SilenceList({
  silences,
  zone,
  onShow,
}: {
  silences: readonly SilentPeriod[];
  zone: Zone;
  onShow: (s: SilentPeriod) => void;
}) {
  return (
    <details className="silences" open={silences.length <= 3}>
      <summary className="small">
        <b data-testid="silence-count">{num(silences.length)}</b> silent period
        {silences.length === 1 ? '' : 's'} in view
      </summary>
      <ul className="plain small">
        {silences.slice(0, 50).map((s) => (
          <li key={`${s.fromIndex}-${s.toIndex}`}>
            <button type="button" className="link" onClick={() => onShow(s)} data-testid="silence-link">
              {duration(s.t1 - s.t0)} without an entry
            </button>{' '}
            <span className="muted">
              from {formatTime(s.t0, zone, { ms: true })} (entry {num(s.fromIndex)}) to{' '}
              {formatTime(s.t1, zone, { ms: true })} (entry {num(s.toIndex)})
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
