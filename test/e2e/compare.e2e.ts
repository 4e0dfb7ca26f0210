/**
 * Comparing two exports in the app: a forked pair (the log signed two histories). The
 * verdict, the first divergent entry, the entries side by side and the two contradicting
 * signed checkpoints are shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { type ForkedPair, writeForkedPair } from './fixtures.js';
import { type App, expectOnlyLocalRequests, launchApp } from './support.js';

let app: App;
let tmp: string;
let pair: ForkedPair;

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-compare-');
  pair = writeForkedPair(tmp);
  app = await launchApp({ workers: 2 });
});

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

describe('compare two exports', () => {
  it('shows a fork: verdict, first divergent entry and the two checkpoints side by side', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    for (const [n, p] of [pair.a, pair.b].entries()) {
      await page.locator('input[name="bundle-path"]').fill(p);
      await page.getByRole('button', { name: 'Import bundle' }).click();
      await page.getByTestId('bundle-card').nth(n).waitFor();
    }
    await page.locator('input[name="key-path"]').fill(pair.logKey);
    await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByTestId('keys-table').locator('tbody tr').first().waitFor();

    await page.locator('[data-screen="compare"]').click();
    await page.locator('select[name="compare-a"]').selectOption({ index: 1 });
    await page.locator('select[name="compare-b"]').selectOption({ index: 2 });
    await page.getByTestId('start-compare').click();
    const result = page.getByTestId('compare-result');
    await result.waitFor();
    await expect(result.getAttribute('data-verdict')).resolves.toBe('FORKED');
    await expect(page.getByTestId('divergent-index').textContent()).resolves.toBe(pair.forkAt.toLocaleString('en-US'));
    const fork = page.getByTestId('fork');
    const sides = await fork
      .locator('.checkpoint-card')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-side')));
    expect(sides.slice(0, 2).sort()).toEqual(['A', 'B']);
    await app.shot('11-compare-fork');
    await page.getByTestId('divergence').scrollIntoViewIfNeeded();
    await app.shot('12-compare-divergence');
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
