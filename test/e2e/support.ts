/**
 * End-to-end harness: starts the local host (real services, real worker threads) on
 * 127.0.0.1 and Debian's Chromium through playwright-core, records every request the page
 * makes, and writes screenshots as PNG files under test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHost, type Host, type HostOptions } from '../../electron/host/server.js';
import { REPO_ROOT } from '../support/vectors.js';

export const CHROMIUM = process.env.PROOFDESK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const RESULTS_DIR = resolve(REPO_ROOT, 'test-results');
export const RENDERER_DIR = resolve(REPO_ROOT, 'dist', 'renderer');
export const SAMPLES = resolve(REPO_ROOT, 'resources', 'samples');
export const SAMPLE_BUNDLE = join(SAMPLES, 'sample-bundle');
export const SAMPLE_KEYS = ['sample-log.vkey', 'sample-witness.vkey', 'sample-source.pub'].map((k) => join(SAMPLES, k));

export interface App {
  readonly host: Host;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page requested, in order. */
  readonly requests: string[];
  /** Page errors and console errors: a clean run has none. */
  readonly errors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchApp(o: HostOptions & { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<App> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`the renderer is not built (${RENDERER_DIR}): run \`npm run build:renderer\``);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const host = await startHost({ rendererDir: RENDERER_DIR, ...o });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1360, height: 860 }, colorScheme: o.colorScheme ?? 'light', serviceWorkers: 'block' });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'screens' }).waitFor();
  return {
    host,
    browser,
    context,
    page,
    requests,
    errors,
    async shot(name) {
      const path = join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await host.close();
    },
  };
}

/** Requests to anything but the local host (data: URLs are in-page and never leave it). */
export function foreignRequests(app: App): string[] {
  return app.requests.filter((u) => !u.startsWith(app.host.origin + '/') && !u.startsWith('data:'));
}

export async function importSample(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Import/ }).first().click();
  await page.locator('input[name="bundle-path"]').fill(SAMPLE_BUNDLE);
  await page.getByRole('button', { name: 'Import bundle' }).click();
  await page.getByTestId('bundle-card').first().waitFor();
  for (const [n, k] of SAMPLE_KEYS.entries()) {
    await page.locator('input[name="key-path"]').fill(k);
    await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByTestId('keys-table').locator('tbody tr').nth(n).waitFor();
  }
}
