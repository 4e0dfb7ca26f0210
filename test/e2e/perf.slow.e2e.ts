/**
 * Measures the entry browser on a 1,000,000-entry bundle (not part of `npm test`; run with
 * `npx vitest run --config test/e2e/vitest.slow.config.ts`): time from opening the Entries
 * screen to the first rows drawn, and frames dropped while scrolling 10,000 rows. The
 * bundle is cached in the system temp directory between runs, keyed by its parameters and the
 * generator's source (support/bundle-cache.ts).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedBuild } from '../support/bundle-cache.js';
import { REPO_ROOT } from '../support/vectors.js';
import { writeLargeBundle } from './fixtures.js';
import { type App, launchApp } from './support.js';

const COUNT = 1_000_000;
const ROWS_SCROLLED = 10_000;
const FRAMES = 300; // 10,000 rows in 5 s at 60 Hz: fast scrolling
let app: App;
let large: { bundle: string; logKey: string };

beforeAll(async () => {
  const dir = cachedBuild(
    tmpdir(),
    'proofdesk-perf',
    join(REPO_ROOT, 'test', 'e2e', 'fixtures.ts'),
    { count: COUNT },
    (d) => void writeLargeBundle(d, COUNT),
  );
  large = { bundle: join(dir, 'large-export'), logKey: join(dir, 'large-log.vkey') };
  app = await launchApp({ workers: 2 });
}, 600_000);

afterAll(async () => {
  await app?.close();
});

describe(`entry browser with ${COUNT.toLocaleString('en-US')} entries`, () => {
  it('verifies, renders the first rows, and scrolls 10,000 rows', async () => {
    const { page } = app;
    await page.locator('input[name="bundle-path"]').fill(large.bundle);
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await page.getByTestId('bundle-card').first().waitFor();
    await page.locator('input[name="key-path"]').fill(large.logKey);
    await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByTestId('keys-table').locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify…' }).first().click();
    const tv = Date.now();
    await page.getByTestId('start-verify').click();
    await page.getByTestId('run-result').waitFor({ timeout: 600_000 });
    const verifyMs = Date.now() - tv;

    const t0 = Date.now();
    await page.locator('[data-screen="entries"]').click();
    const list = page.getByTestId('entry-list');
    await list.locator('[data-index="0"] .c-seq').waitFor();
    const firstRowsMs = Date.now() - t0;
    await page.getByTestId('entry-detail').locator('[data-testid="proof-path"]').waitFor();
    const firstDetailMs = Date.now() - t0;
    await app.shot('15-entries-1m');

    const frames = await list.evaluate(
      (el, { rows, frames }) =>
        new Promise<number[]>((resolve) => {
          // Scroll position per row, as the list maps it (proportional above its pixel cap).
          const pxPerRow = (el.scrollHeight - el.clientHeight) / Math.max(1, 1_000_000 - el.clientHeight / 30);
          const step = (rows * pxPerRow) / frames;
          const times: number[] = [];
          let n = 0;
          const tick = (t: number) => {
            times.push(t);
            if (n++ >= frames) return resolve(times);
            el.scrollTop += step;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      { rows: ROWS_SCROLLED, frames: FRAMES },
    );
    const intervals = frames.slice(1).map((t, k) => t - frames[k]!);
    const frameMs = [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length / 2)]!;
    const dropped = intervals.reduce((s, d) => s + Math.max(0, Math.round(d / frameMs) - 1), 0);
    const longest = Math.max(...intervals);
    const lastIndex = Number(await list.locator('.vrow').first().getAttribute('data-index'));
    await app.shot('16-entries-1m-scrolled');
    const summary = {
      entries: COUNT,
      verifyMs,
      firstRowsMs,
      firstDetailMs,
      framesDrawn: intervals.length,
      medianFrameMs: Number(frameMs.toFixed(2)),
      dropped,
      longestFrameMs: Number(longest.toFixed(1)),
      reachedRow: lastIndex,
    };
    console.log(`PERF ${JSON.stringify(summary)}`);
    expect(lastIndex).toBeGreaterThan(ROWS_SCROLLED * 0.9);
    expect(firstRowsMs).toBeLessThan(5_000);
  });
});
