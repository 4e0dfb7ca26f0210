/**
 * Cancelling a long run: live progress is shown (entries, speed, per worker), Cancel stops
 * the workers within a moment, and the run ends as cancelled with nothing judged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { writeLargeBundle } from './fixtures.js';
import { type App, expectOnlyLocalRequests, launchApp } from './support.js';

const ENTRIES = 200_000;
let app: App;
let tmp: string;
let large: { bundle: string; logKey: string };

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-cancel-');
  large = writeLargeBundle(tmp, ENTRIES);
  // One worker: the run takes seconds, long enough to watch and cancel.
  app = await launchApp({ workers: 1 });
});

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

describe('a long run', () => {
  it('shows live progress and stops when cancelled', async () => {
    const { page } = app;
    await page.locator('input[name="bundle-path"]').fill(large.bundle);
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await page.getByTestId('bundle-card').first().waitFor();
    await page.locator('input[name="key-path"]').fill(large.logKey);
    await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByTestId('keys-table').locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify…' }).first().click();
    await page.getByTestId('start-verify').click();
    const progress = page.getByTestId('run-progress');
    await progress.waitFor();
    // Wait until the verify stage reports entries, so the screenshot shows real numbers.
    const bar = progress.getByRole('progressbar');
    for (let t = Date.now(); Number((await bar.getAttribute('aria-valuenow')) ?? 0) === 0; ) {
      if (Date.now() - t > 20_000) throw new Error('no progress within 20 s');
      await page.waitForTimeout(50);
    }
    await app.shot('13-verify-progress');
    const t0 = Date.now();
    await page.getByTestId('cancel-run').click();
    await page.getByTestId('run-cancelled').waitFor({ timeout: 10_000 });
    const stopMs = Date.now() - t0;
    expect(stopMs).toBeLessThan(5_000);
    await expect(page.getByTestId('run-result').count()).resolves.toBe(0);
    await app.shot('14-verify-cancelled');
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
