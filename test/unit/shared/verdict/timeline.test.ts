/**
 * The timeline model (shared/verdict/timeline.ts): bars split by coverage class with "no longer
 * proven" apart, empty bars across a silence, nice bar widths, the silences found against the
 * log's own rhythm (not every quiet night), out-of-order times, and entries without a time.
 */
import { describe, expect, it } from 'vitest';
import type { CoverageRange } from '../../../../shared/verdict/result.js';
import {
  barWidth,
  silencesIn,
  timelineBars,
  timelineModel,
  timelineSummary,
} from '../../../../shared/verdict/timeline.js';

const T0 = Date.UTC(2026, 0, 1);
const cover = (...r: Array<[number, number, CoverageRange['status'], CoverageRange['reason']]>): CoverageRange[] =>
  r.map(([from, to, status, reason]) => ({ from, to, status, reason }));

/** n entries one second apart; from `gapAt` on, `gapMs` later. */
function times(n: number, gapAt = n, gapMs = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => T0 + i * 1000 + (i >= gapAt ? gapMs : 0));
}

describe('timeline bars', () => {
  it('count every entry once, split by class, with no longer proven apart from unverifiable', () => {
    const m = timelineModel(
      times(600),
      cover(
        [0, 300, 'verified', 'SIGNED_ROOT_MATCHES'],
        [300, 301, 'failed', 'ENTRY_CHANGED'],
        [301, 500, 'unverifiable', 'ROOT_NO_LONGER_MATCHES'],
        [500, 600, 'unverifiable', 'NO_TRUSTED_CHECKPOINT'],
      ),
    );
    const { bars, bucketMs } = timelineBars(m, 10);
    expect(bucketMs).toBe(60_000);
    const sum = (k: 'verified' | 'failed' | 'noLongerProven' | 'unverifiable') => bars.reduce((a, b) => a + b[k], 0);
    expect([sum('verified'), sum('failed'), sum('noLongerProven'), sum('unverifiable')]).toEqual([300, 1, 199, 100]);
    // Entry 300 is in the sixth minute: its bar holds the failed one and opens at entry 300.
    const bar = bars.find((b) => b.failed === 1)!;
    expect([bar.firstIndex, bar.lastIndex]).toEqual([300, 359]);
  });

  it('leave empty bars across a silence, and zoom to a range with narrower bars', () => {
    const m = timelineModel(times(200, 100, 3600_000), cover([0, 200, 'verified', 'SIGNED_ROOT_MATCHES']));
    const whole = timelineBars(m, 100);
    expect(whole.bars.some((b) => b.verified === 0)).toBe(true);
    expect(whole.bars.reduce((a, b) => a + b.verified, 0)).toBe(200);
    const zoomed = timelineBars(m, 100, { from: T0, to: T0 + 100_000 });
    expect(zoomed.bucketMs).toBeLessThan(whole.bucketMs);
    expect(zoomed.bucketMs).toBe(1000);
    expect(zoomed.bars.reduce((a, b) => a + b.verified, 0)).toBe(100);
  });

  it('choose widths a reader can name, never more bars than asked', () => {
    expect(barWidth(0, 3600_000, 60)).toBe(60_000);
    expect(barWidth(0, 3600_000, 59)).toBe(120_000);
    expect(barWidth(0, 10 * 86_400_000, 10)).toBe(86_400_000);
    for (const [from, to, n] of [
      [T0 + 123, T0 + 7_777_777, 37],
      [T0, T0 + 1, 5],
      [T0 - 5000, T0 + 86_400_000 * 400, 200],
    ] as const)
      expect(
        timelineBars(timelineModel(Float64Array.from([from, to]), []), n, { from, to }).bars.length,
      ).toBeLessThanOrEqual(n);
  });
});

describe('silent periods', () => {
  it('find the one long gap, measured against the usual rhythm', () => {
    const m = timelineModel(times(1000, 400, 2 * 3600_000), []);
    expect(m.typicalGapMs).toBe(1000);
    expect(m.silences).toEqual([{ fromIndex: 399, toIndex: 400, t0: T0 + 399_000, t1: T0 + 400_000 + 7_200_000 }]);
    expect(silencesIn(m, T0, T0 + 1000)).toEqual([]);
    expect(silencesIn(m, T0 + 399_500, T0 + 399_600)).toHaveLength(1);
  });

  it('are not every quiet night of an office-hours log, but a three-day outage among them is', () => {
    const t: number[] = [];
    for (let day = 0; day < 30; day++) {
      if (day >= 12 && day < 15) continue; // the outage
      const open = T0 + day * 86_400_000 + 8 * 3600_000;
      for (let k = 0; k < 8 * 120; k++) t.push(open + k * 30_000);
    }
    const m = timelineModel(Float64Array.from(t), []);
    expect(m.silences).toHaveLength(1);
    expect(m.silences[0]!.t1 - m.silences[0]!.t0).toBeGreaterThan(3 * 86_400_000);
  });

  it('do not flag a gap a few times the usual one', () => {
    const m = timelineModel(times(1000, 500, 5000), []);
    expect(m.silences).toEqual([]);
  });

  it('follow time order when entries are out of order, and count entries without a time', () => {
    const t = times(100, 50, 600_000);
    [t[10], t[11]] = [t[11]!, t[10]!];
    t[20] = Number.NaN;
    const m = timelineModel(t, []);
    expect(m.monotonic).toBe(false);
    expect(m.withoutTime).toBe(1);
    expect(m.silences.map((s) => [s.fromIndex, s.toIndex])).toEqual([[49, 50]]);
    expect(timelineBars(m, 50).bars.reduce((a, b) => a + b.unverifiable, 0)).toBe(99);
  });
});

describe('the summary a report carries', () => {
  it('is the whole log in plain integers: bars by class, the longest silences in time order', () => {
    const t = times(3000, 1000, 3600_000);
    // Two more silences, shorter, after the first.
    for (let i = 2000; i < 3000; i++) t[i]! += 600_000;
    for (let i = 2500; i < 3000; i++) t[i]! += 300_000;
    const m = timelineModel(t, cover([0, 3000, 'verified', 'SIGNED_ROOT_MATCHES']));
    const s = timelineSummary(m, 50)!;
    expect(s.bars.length).toBeLessThanOrEqual(50);
    expect(s.bars.reduce((a, b) => a + b[0] + b[1] + b[2] + b[3], 0)).toBe(3000);
    expect(s.silences.map((x) => x.fromIndex)).toEqual([999, 1999, 2499]);
    for (const v of [s.from, s.bucketMs, s.typicalGapMs, s.silenceMs, ...s.bars.flat()])
      expect(Number.isInteger(v)).toBe(true);
    expect(timelineSummary(timelineModel(new Float64Array([Number.NaN]), []))).toBeUndefined();
  });
});
