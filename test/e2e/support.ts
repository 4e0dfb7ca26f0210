/**
 * End-to-end harness: starts the local host (real services, real worker threads) on
 * 127.0.0.1 and Debian's Chromium through playwright-core, records every request the page
 * makes, and writes screenshots as PNG files under test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Host, type HostOptions, startHost } from '../../electron/transport/host/server.js';
import { REPO_ROOT } from '../support/vectors.js';

export const CHROMIUM = process.env.PROOFDESK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const RESULTS_DIR = resolve(REPO_ROOT, 'test-results');
export const RENDERER_DIR = resolve(REPO_ROOT, 'dist', 'renderer');
export const SAMPLES = resolve(REPO_ROOT, 'resources', 'samples');
export const SAMPLE_BUNDLE = join(SAMPLES, 'sample-bundle');
/** The sample's keys and the role each is trusted in (the witness verifier key's type makes it a witness whatever is chosen). */
export const SAMPLE_KEYS = (
  [
    ['sample-log.vkey', 'log'],
    ['sample-witness.vkey', 'witness'],
    ['sample-source.pub', 'entry'],
  ] as const
).map(([k, role]) => ({ path: join(SAMPLES, k), role }));

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

export async function launchApp(
  o: Partial<HostOptions> & { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<App> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error(`the renderer is not built (${RENDERER_DIR}): run \`npm run build:renderer\``);
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  // The fixtures live in the system's temporary folder; the samples in the repository.
  const host = await startHost({ rendererDir: RENDERER_DIR, roots: [tmpdir(), REPO_ROOT], ...o });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({
    viewport: o.viewport ?? { width: 1360, height: 860 },
    colorScheme: o.colorScheme ?? 'light',
    serviceWorkers: 'block',
  });
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
function foreignRequests(app: App): string[] {
  return app.requests.filter((u) => !u.startsWith(app.host.origin + '/') && !u.startsWith('data:'));
}

/**
 * Asserts the page reached nothing but the local host. An empty list proves something only if
 * the request listener saw the page's own traffic, so that is checked first: the page itself
 * and at least one API call.
 */
export function expectOnlyLocalRequests(app: App): void {
  const own = app.requests.filter((u) => u.startsWith(app.host.origin + '/'));
  expect(
    own.some((u) => new URL(u).pathname === '/'),
    'the page load was recorded',
  ).toBe(true);
  expect(
    own.some((u) => new URL(u).pathname === '/api/call'),
    'an API call was recorded',
  ).toBe(true);
  expect(foreignRequests(app)).toEqual([]);
}

/**
 * Starts a verification on the Verify screen and waits for that run's result. The run shown
 * before (if any) is noted first and must leave the screen at once, so an earlier run's verdict
 * can never be read as this one's.
 */
export async function startVerify(page: Page): Promise<{ runId: string; result: Locator }> {
  const shown = page.locator('[data-testid="run-result"], [data-testid="run-progress"], [data-testid="run-cancelled"]');
  const before = (await shown.count()) > 0 ? await shown.first().getAttribute('data-run-id') : null;
  await page.getByTestId('start-verify').click();
  const other = before === null ? '' : `:not([data-run-id=${JSON.stringify(before)}])`;
  if (before !== null) await expect(page.locator(`[data-run-id=${JSON.stringify(before)}]`).count()).resolves.toBe(0);
  const result = page.locator(`[data-testid="run-result"][data-run-id]${other}`);
  await result.waitFor();
  return { runId: (await result.getAttribute('data-run-id'))!, result };
}

/**
 * Imports the sample bundle and its three keys on the Import screen. In a case, each key is
 * trusted through the confirmation dialog (role as given, for the sample's log).
 */
export async function importSample(page: Page, o: { inCase?: boolean } = {}): Promise<void> {
  await page.locator('[data-screen="import"]').click();
  await importBundle(page, SAMPLE_BUNDLE);
  for (const [n, k] of SAMPLE_KEYS.entries()) {
    await page.locator('select[name="key-role"]').selectOption(k.role);
    await page.locator('input[name="key-path"]').fill(k.path);
    if (o.inCase) {
      await page.getByRole('button', { name: 'Review and trust…' }).click();
      const dialog = page.getByTestId('trust-dialog');
      await dialog.waitFor();
      await dialog.locator('button[type="submit"]').click();
      await dialog.waitFor({ state: 'detached' });
    } else await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByTestId('keys-table').locator('tbody tr').nth(n).waitFor();
  }
}

/** Imports one bundle by path on the Import screen and waits for its card. */
export async function importBundle(page: Page, path: string): Promise<void> {
  const cards = page.getByTestId('bundle-card');
  const before = await cards.count();
  await page.locator('input[name="bundle-path"]').fill(path);
  await page.getByRole('button', { name: 'Import bundle' }).click();
  await cards.nth(before).waitFor();
}
