/**
 * The time of every entry of a bundle (ms since the epoch, NaN where an entry has no readable
 * time), read from its entries file for the timeline (shared/verdict/timeline.ts). Derived data
 * for display and the report's picture; never a verification step.
 */
import { parseTimestamp } from '../../../shared/bundle/entry.js';
import type { RegionRef } from '../../../shared/protocol/worker.js';
import { forEachRawLine } from '../../platform/line-reader.js';

/**
 * An entry as the reference exporter writes it starts `{"seq":N,"ts":"…"`: its top-level ts is
 * then read without parsing the line. Any other line is parsed whole.
 */
const HEAD = /^\{"seq":\d+,"ts":"([^"\\]{1,64})"/;

function msOf(ts: string): number {
  const t = parseTimestamp(ts);
  return t ? t.seconds * 1000 + Math.floor(t.nanos / 1e6) : Number.NaN;
}

export function entryTimes(region: RegionRef, count: number): Float64Array {
  const out = new Float64Array(count).fill(Number.NaN);
  if (count === 0) return out;
  forEachRawLine(
    region,
    (v) => {
      if (v.index >= count) return false;
      if (v.bytes) {
        const head = v.bytes.subarray(0, 160).toString('latin1');
        const m = HEAD.exec(head);
        if (m) out[v.index] = msOf(m[1]!);
        else
          try {
            const o = JSON.parse(v.bytes.toString('utf8')) as { ts?: unknown };
            if (o && typeof o.ts === 'string') out[v.index] = msOf(o.ts);
          } catch {
            // Not JSON: no time.
          }
      }
      return v.index + 1 < count;
    },
    { maxLineBytes: 1024 * 1024 },
  );
  return out;
}
