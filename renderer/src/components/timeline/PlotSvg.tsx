/** The plot itself: silences behind, a stacked bar per bucket, the time axis with its ticks. */
import type { SilentPeriod, TimelineBar, TimelineView } from '../../../../shared/protocol/ipc.js';
import { duration, num } from '../../format.js';
import { formatTime, tickLabel, type Zone } from '../../time.js';
import { AXIS, CLASSES, H, heightOf, type Scale, total, xAt } from './geometry.js';

export function PlotSvg({
  view,
  scale,
  zone,
  picked,
  onPick,
  onZoomIn,
}: {
  view: TimelineView;
  scale: Scale;
  zone: Zone;
  picked: number | undefined;
  /** A bar with entries was clicked. */
  onPick: (k: number, b: TimelineBar) => void;
  onZoomIn: (b: TimelineBar) => void;
}) {
  const width = scale.width;
  return (
    <svg
      width={width}
      height={H}
      role="img"
      aria-label={`entries over time, ${view.bars.length} bars`}
      data-testid="timeline-svg"
    >
      <Patterns />
      {view.silences.map((s) => (
        <SilenceBand key={`${s.fromIndex}-${s.toIndex}`} s={s} scale={scale} zone={zone} />
      ))}
      {view.bars.map((b, k) => (
        <Bar
          key={b.t0}
          b={b}
          k={k}
          scale={scale}
          zone={zone}
          picked={picked === k}
          onPick={onPick}
          onZoomIn={onZoomIn}
        />
      ))}
      <line x1={0} x2={width} y1={H - AXIS} y2={H - AXIS} className="tl-axis" />
      {view.bars.map((b, k) =>
        k % scale.tickEvery === 0 ? (
          <text key={b.t0} x={xAt(scale, b.t0) + 2} y={H - 5} className="tl-tick">
            {tickLabel(b.t0, view.bucketMs * scale.tickEvery, zone)}
          </text>
        ) : null,
      )}
    </svg>
  );
}

function Patterns() {
  return (
    <defs>
      <pattern id="tl-nlp-pattern" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
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
  );
}

function SilenceBand({ s, scale, zone }: { s: SilentPeriod; scale: Scale; zone: Zone }) {
  return (
    <rect
      x={Math.max(0, xAt(scale, s.t0))}
      y={0}
      width={Math.max(2, Math.min(scale.width, xAt(scale, s.t1)) - Math.max(0, xAt(scale, s.t0)))}
      height={H - AXIS}
      className="tl-silence"
      data-testid="timeline-silence"
    >
      <title>
        {`No entry for ${duration(s.t1 - s.t0)}: from ${formatTime(s.t0, zone)} to ${formatTime(s.t1, zone)} (after entry ${num(s.fromIndex)})`}
      </title>
    </rect>
  );
}

/** A bar's tooltip: its time, its count and the count of each class in it. */
function barTitle(b: TimelineBar, n: number, zone: Zone): string {
  return `${formatTime(b.t0, zone)}: ${num(n)} entries${
    n
      ? ` (${CLASSES.filter((c) => b[c.k])
          .map((c) => `${num(b[c.k])} ${c.label}`)
          .join(', ')})`
      : ''
  }`;
}

function Bar({
  b,
  k,
  scale,
  zone,
  picked,
  onPick,
  onZoomIn,
}: {
  b: TimelineBar;
  k: number;
  scale: Scale;
  zone: Zone;
  picked: boolean;
  onPick: (k: number, b: TimelineBar) => void;
  onZoomIn: (b: TimelineBar) => void;
}) {
  const n = total(b);
  let top = H - AXIS;
  const left = xAt(scale, b.t0);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the bars are also reachable through the entry list and the search; the plot is a pointer shortcut
    <g
      className={`tl-bar${picked ? ' picked' : ''}`}
      data-testid="timeline-bar"
      data-count={n}
      data-first={b.firstIndex}
      onClick={() => {
        if (n === 0) return;
        onPick(k, b);
      }}
      onDoubleClick={() => n > 0 && onZoomIn(b)}
    >
      <rect x={left} y={0} width={scale.barW + 1} height={H - AXIS} className="tl-hit" />
      {CLASSES.map((c) => {
        const v = b[c.k];
        if (!v) return null;
        // A single failed entry among thousands must still be seen.
        const h = Math.max(c.k === 'failed' ? 3 : 1, heightOf(scale, v));
        top -= h;
        return (
          <rect
            key={c.k}
            x={left}
            y={top}
            width={scale.barW}
            height={h}
            className={c.k === 'noLongerProven' ? 'tl-nlp-bar' : c.cls}
          />
        );
      })}
      <title>{barTitle(b, n, zone)}</title>
    </g>
  );
}
