/**
 * The entries of a run over time: a histogram from the whole log down to seconds, each bar
 * split by coverage (verified, failed, no longer proven, unverifiable), with the silent
 * periods — far longer without an entry than the log's usual rhythm — marked across it. Click
 * a bar to open its entries; double-click (or "Zoom in") to look inside it.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { IpcError, SilentPeriod, TimelineBar, TimelineView } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { useWorkspace } from '../state.js';
import { asIpcError, ErrorBox } from './common.js';
import { aroundSilence, scaleOf, type TimeRange, zoomedOut } from './timeline/geometry.js';
import { PlotFoot, PlotHead, SilenceList } from './timeline/PlotParts.js';
import { PlotSvg } from './timeline/PlotSvg.js';

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
  const [range, setRange] = useState<TimeRange>();
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
  range: TimeRange | undefined;
  setRange: (r: TimeRange | undefined) => void;
  picked: number | undefined;
  setPicked: (k: number) => void;
  roundTrip: number | undefined;
  onOpen: (a: { firstIndex: number; lastIndex: number; t0: number; t1: number }) => void;
}) {
  const { w } = useWorkspace();
  const scale = scaleOf(view, width);
  const zoomIn = (b: TimelineBar) => setRange({ from: b.t0, to: b.t1 });
  const zoomOut = () => {
    if (!range) return;
    setRange(zoomedOut(view, range));
  };
  const pick = (k: number, b: TimelineBar) => {
    setPicked(k);
    onOpen({ firstIndex: b.firstIndex, lastIndex: b.lastIndex, t0: b.t0, t1: b.t1 });
  };
  const showSilence = (s: SilentPeriod) => {
    setRange(aroundSilence(s));
    onOpen({ firstIndex: s.fromIndex, lastIndex: s.toIndex, t0: s.t0, t1: s.t1 });
  };
  return (
    <div className="timeline" data-testid="timeline" data-bucket-ms={view.bucketMs} data-bars={view.bars.length}>
      <PlotHead
        view={view}
        zone={w.zone}
        whole={whole}
        pickedBar={picked !== undefined ? view.bars[picked] : undefined}
        onZoomOut={zoomOut}
        onWhole={() => setRange(undefined)}
        onZoomIn={zoomIn}
        onHide={onHide}
      />
      <div className="timeline-plot">
        <PlotSvg view={view} scale={scale} zone={w.zone} picked={picked} onPick={pick} onZoomIn={zoomIn} />
      </div>
      <PlotFoot view={view} roundTrip={roundTrip} />
      {view.silences.length ? <SilenceList silences={view.silences} zone={w.zone} onShow={showSilence} /> : null}
    </div>
  );
}
