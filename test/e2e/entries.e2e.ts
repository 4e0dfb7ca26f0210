/**
 * Search and timeline in the entry browser, in real Chromium against the real services, on a
 * run of a case (so the case's FTS5 index answers): a log of 6,000 entries one second apart
 * with two hours of silence in the middle, and a copy with one entry altered.
 *   - the timeline draws the whole log, marks the silence, opens a bar's entries (as many as
 *     the bar counts), and zooms from hours down to seconds;
 *   - a search with actor and action filters counts exactly the entries the generator wrote,
 *     lists them with their status, and marks the terms;
 *   - Go to refuses what is not an entry number;
 *   - on the altered copy, the timeline shows failed and no-longer-proven entries and a hit
 *     after the alteration has the status "no longer proven".
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { writeSilentBundle } from './fixtures.js';
import { type App, expectOnlyLocalRequests, importBundle, launchApp, startVerify } from './support.js';

const COUNT = 6000;
const GAP_AT = 3000;
const GAP_MS = 2 * 3600_000;
const ALTERED = 4100;
let app: App;
let tmp: string;
let silent: ReturnType<typeof writeSilentBundle>;
let altered: string;

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-entries-');
  silent = writeSilentBundle(tmp, { count: COUNT, gapAt: GAP_AT, gapMs: GAP_MS, seed: 11 });
  altered = join(tmp, 'altered-export');
  cpSync(silent.bundle, altered, { recursive: true });
  const file = join(altered, 'entries.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[ALTERED] = lines[ALTERED]!.replace(/"outcome":"(success|denied)"/, (_m, o: string) =>
    o === 'success' ? '"outcome":"denied"' : '"outcome":"success"',
  );
  writeFileSync(file, lines.join('\n'));
  app = await launchApp({ workers: 2, viewport: { width: 1440, height: 900 } });
  const { page } = app;
  await page.locator('[data-screen="cases"]').click();
  await page.locator('input[name="case-title"]').fill('Search and timeline');
  await page.locator('input[name="case-examiner"]').fill('Sam Searcher');
  await page.locator('input[name="case-dir"]').fill(join(tmp, 'case'));
  await page.getByTestId('create-case').click();
  await page.getByTestId('case-open').waitFor();
  await page.locator('[data-screen="import"]').click();
  await importBundle(page, silent.bundle);
  await importBundle(page, altered);
  await page.locator('input[name="key-path"]').fill(silent.logKey);
  await page.getByRole('button', { name: 'Review and trust…' }).click();
  await page.getByTestId('trust-dialog').locator('button[type="submit"]').click();
  await page.getByTestId('trust-dialog').waitFor({ state: 'detached' });
  await page.locator('[data-screen="verify"]').click();
  await page.locator('select[name="bundle"]').selectOption('ev:2');
  await startVerify(page);
  await page.locator('select[name="bundle"]').selectOption('ev:1');
  await startVerify(page);
}, 240_000);

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

describe('the timeline', () => {
  it('draws the whole log, marks the silence and opens a bar’s entries', async () => {
    const { page } = app;
    await page.getByTestId('show-first-problem').click();
    const tl = page.getByTestId('timeline');
    await tl.waitFor();
    const bars = tl.getByTestId('timeline-bar');
    const counts = (await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-count'))))) as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(COUNT);
    // Two hours without an entry, between entries 2,999 and 3,000.
    await expect(tl.getByTestId('silence-count').textContent()).resolves.toBe('1');
    await expect(tl.getByTestId('timeline-silence').count()).resolves.toBe(1);
    // The silence shows as empty bars.
    expect(counts.some((n) => n === 0)).toBe(true);
    await app.shot('30-timeline-whole-log');
    const k = counts.findIndex((n) => n > 0);
    await bars.nth(k).click();
    const hits = page.getByTestId('hit-list');
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe(counts[k]!.toLocaleString('en-US'));
    await expect(page.getByTestId('entry-detail').getAttribute('data-index')).resolves.toBe(
      await bars.nth(k).getAttribute('data-first'),
    );
    await app.shot('31-timeline-bar-entries');
  });

  it('zooms from the whole log down to seconds, and back', async () => {
    const { page } = app;
    const tl = page.getByTestId('timeline');
    const width0 = Number(await tl.getAttribute('data-bucket-ms'));
    let width = width0;
    for (let step = 0; step < 6 && width > 1000; step++) {
      const bars = tl.getByTestId('timeline-bar');
      const counts = (await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-count'))))) as number[];
      await bars.nth(counts.findIndex((n) => n > 0)).dblclick();
      await expect.poll(async () => Number(await tl.getAttribute('data-bucket-ms'))).toBeLessThan(width);
      width = Number(await tl.getAttribute('data-bucket-ms'));
    }
    expect(width).toBeLessThanOrEqual(1000);
    await app.shot('32-timeline-zoomed-seconds');
    await tl.getByRole('button', { name: 'Whole log' }).click();
    await expect.poll(async () => Number(await tl.getAttribute('data-bucket-ms'))).toBe(width0);
  });

  it('takes the examiner to the silence', async () => {
    const { page } = app;
    await page.getByTestId('silence-link').click();
    await page
      .getByTestId('entry-detail')
      .and(page.locator(`[data-index="${GAP_AT - 1}"]`))
      .waitFor();
    await page.getByTestId('timeline').getByRole('button', { name: 'Whole log' }).click();
  });
});

describe('the search', () => {
  it('counts and lists the entries an actor and action filter select, with their status, terms marked', async () => {
    const { page } = app;
    const expected = silent.events.filter((e) => e.actor === 'bob@example.com' && e.action === 'delete').length;
    expect(expected).toBeGreaterThan(10);
    await page.locator('input[name="f-actor"]').fill('bob@example.com');
    await page.locator('input[name="f-action"]').fill('delete');
    await page.getByTestId('run-search').click();
    const hits = page.getByTestId('hit-list');
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe(String(expected));
    const statuses = await hits.locator('li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['verified']));
    await expect(hits.locator('mark').first().textContent()).resolves.toBe('bob@example.com');
    await app.shot('33-search-filters');
    await page.locator('select[name="theme"]').selectOption('dark');
    await app.shot('33b-search-filters-dark');
    await page.locator('select[name="theme"]').selectOption('light');
    // A text term: the event id of entry 123, marked in the entry shown.
    await page.locator('input[name="f-actor"]').fill('');
    await page.locator('input[name="f-action"]').fill('');
    await page.locator('input[name="search"]').fill('evt-000003f');
    await page.getByTestId('run-search').click();
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe('1');
    await hits.locator('li[data-index="123"] button').click();
    const detail = page.getByTestId('entry-detail');
    await detail.and(page.locator('[data-index="123"]')).waitFor();
    await expect(detail.getByTestId('pretty-json').locator('mark').first().textContent()).resolves.toBe('evt-000003f');
  });

  it('Go to refuses what is not an entry number', async () => {
    const { page } = app;
    for (const bad of ['abc', '12.5', String(COUNT)]) {
      await page.locator('input[name="goto"]').fill(bad);
      await page.getByRole('button', { name: 'Go', exact: true }).click();
      await page.getByTestId('goto-error').waitFor();
    }
    await page.locator('input[name="goto"]').fill('#4,242');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(page.getByTestId('goto-error').count()).resolves.toBe(0);
    await page.getByTestId('entry-detail').and(page.locator('[data-index="4242"]')).waitFor();
  });
});

describe('an altered copy', () => {
  it('shows failed and no-longer-proven entries in the timeline and in the hits', async () => {
    const { page } = app;
    const runSelect = page.locator('select[name="entries-run"]');
    const key = await runSelect.locator('option').filter({ hasText: 'FAIL' }).getAttribute('value');
    await runSelect.selectOption(key!);
    const tl = page.getByTestId('timeline');
    await tl.waitFor();
    await expect(tl.locator('[data-testid="timeline-bar"] rect.tl-failed').count()).resolves.toBeGreaterThan(0);
    await expect(tl.locator('[data-testid="timeline-bar"] rect.tl-nlp-bar').count()).resolves.toBeGreaterThan(0);
    await page.locator('input[name="search"]').fill(`seq:${ALTERED + 1}`);
    await page.getByTestId('run-search').click();
    const hit = page.getByTestId('hit-list').locator(`li[data-index="${ALTERED + 1}"]`);
    await expect(hit.getAttribute('data-status')).resolves.toBe('no-longer-proven');
    await app.shot('34-timeline-altered');
    await page.setViewportSize({ width: 1024, height: 768 });
    await app.shot('34b-timeline-altered-1024');
    await page.locator('select[name="theme"]').selectOption('dark');
    await app.shot('34c-timeline-altered-1024-dark');
    await page.locator('select[name="theme"]').selectOption('light');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
