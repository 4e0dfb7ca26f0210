/**
 * The plot's geometry: where a time falls across the width, how tall a count stands, and the
 * ranges the zoom buttons and a silence open. Pure: numbers in, numbers out.
 */
import type { SilentPeriod, TimelineBar, TimelineView } from '../../../../shared/protocol/ipc.js';

/** The plot's height and, at its foot, the axis with the tick labels (px). */
export const H = 112;
export const AXIS = 18;

/** The coverage classes, stacked bottom up in this order. */
export const CLASSES = [
  { k: 'verified', label: 'verified', cls: 'tl-verified' },
  { k: 'failed', label: 'failed', cls: 'tl-failed' },
  { k: 'noLongerProven', label: 'no longer proven', cls: 'tl-nlp' },
  { k: 'unverifiable', label: 'unverifiable', cls: 'tl-unverifiable' },
] as const;

export const total = (b: TimelineBar) => b.verified + b.failed + b.noLongerProven + b.unverifiable;

/** A time range in ms since the epoch, [from, to). */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** What maps a view onto the plot, computed once per drawing. */
export interface Scale {
  readonly from: number;
  readonly spanMs: number;
  readonly width: number;
  /** The tallest bar's count. */
  readonly max: number;
  readonly barW: number;
  /** One tick label every so many bars, so that labels do not overlap. */
  readonly tickEvery: number;
}

export function scaleOf(view: TimelineView, width: number): Scale {
  return {
    from: view.from,
    spanMs: Math.max(1, view.to - view.from),
    width,
    max: Math.max(1, ...view.bars.map(total)),
    barW: Math.max(1, width / Math.max(1, view.bars.length) - 1),
    tickEvery: Math.max(1, Math.ceil(view.bars.length / Math.max(2, Math.floor(width / 110)))),
  };
}

/** The x of a time. */
export function xAt(s: Scale, t: number): number {
  return ((t - s.from) / s.spanMs) * s.width;
}

/** The height of a count. */
export function heightOf(s: Scale, n: number): number {
  return ((H - AXIS - 4) * n) / s.max;
}

/** Four times the range around its middle, kept inside the log; undefined once that is the whole log. */
export function zoomedOut(view: TimelineView, range: TimeRange): TimeRange | undefined {
  const mid = (range.from + range.to) / 2;
  const half = (range.to - range.from) * 2;
  const from = Math.max(view.first, Math.floor(mid - half));
  const to = Math.min(view.last + 1, Math.ceil(mid + half));
  return from <= view.first && to >= view.last ? undefined : { from, to };
}

/** A silence with some time either side (at least a minute), so its edges show. */
export function aroundSilence(s: SilentPeriod): TimeRange {
  const pad = Math.max(60_000, (s.t1 - s.t0) / 2);
  return { from: Math.floor(s.t0 - pad), to: Math.ceil(s.t1 + pad) };
}
