/**
 * The packaged shape of the app in a real Electron, where an Electron binary is available:
 * ELECTRON_OVERRIDE_DIST_PATH names the directory holding it (the same variable the
 * `electron` package honours). Where it is not — as on the build machines without internet —
 * this suite is skipped and says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/vectors.js';

const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const binary = dist
  ? [
      join(dist, 'electron'),
      join(dist, 'electron.exe'),
      join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron'),
    ].find((p) => existsSync(p))
  : undefined;
const built =
  existsSync(join(REPO_ROOT, 'dist', 'electron', 'app', 'main.js')) &&
  existsSync(join(REPO_ROOT, 'dist', 'preload', 'preload.cjs'));

if (!binary) {
  console.warn(
    `SKIPPED electron.e2e.ts: no Electron binary (ELECTRON_OVERRIDE_DIST_PATH is ${dist ? `${dist}, which holds no electron executable` : 'unset'}). ` +
      'The renderer is tested in Chromium against the local host instead; see README "Desktop app".',
  );
}

describe.skipIf(!binary)('the desktop app in Electron', () => {
  let app: ElectronApplication;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    if (!built)
      throw new Error('run `npm run build` first: dist/electron/app/main.js and dist/preload/preload.cjs are needed');
    app = await _electron.launch({ executablePath: binary!, args: [REPO_ROOT], cwd: REPO_ROOT });
    // Every test reads this list, so it is recorded from the start, not from whichever test runs first.
    page = await app.firstWindow();
    page.on('request', (r) => requests.push(r.url()));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens one window from app:// with the hardened settings', async () => {
    await page.getByRole('navigation', { name: 'screens' }).waitFor();
    expect(page.url()).toBe('app://proofdesk/index.html');
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows();
      // Not in every version's typings, but present at run time (webContents.getLastWebPreferences).
      const p = (
        w[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }
      ).getLastWebPreferences();
      return {
        windows: w.length,
        contextIsolation: p.contextIsolation,
        sandbox: p.sandbox,
        nodeIntegration: p.nodeIntegration,
        webviewTag: p.webviewTag,
      };
    });
    expect(prefs).toEqual({
      windows: 1,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    // The bridge exposes contract calls only; Node is not reachable from the page.
    const exposed = await page.evaluate(() => ({
      keys: Object.keys((globalThis as { proofdesk?: object }).proofdesk ?? {}),
      node: typeof (globalThis as { require?: unknown }).require,
    }));
    expect(exposed.keys).toContain('verify.start');
    expect(exposed.keys).not.toContain('invoke');
    expect(exposed.node).toBe('undefined');
  });

  it('holds the single-instance lock, has a minimal menu, and developer tools only unpackaged', async () => {
    const r = await app.evaluate(({ app: a, BrowserWindow, Menu }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      const prefs = (
        w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }
      ).getLastWebPreferences();
      const roles: string[] = [];
      const walk = (items: Electron.MenuItem[]) => {
        for (const i of items) {
          if (i.role) roles.push(i.role);
          if (i.submenu) walk(i.submenu.items);
        }
      };
      walk(Menu.getApplicationMenu()?.items ?? []);
      return { lock: a.hasSingleInstanceLock(), packaged: a.isPackaged, devTools: prefs.devTools, roles };
    });
    expect(r.lock).toBe(true);
    expect(r.devTools).toBe(!r.packaged);
    expect(r.roles).toEqual(expect.arrayContaining(['copy', 'paste']));
    if (r.packaged) expect(r.roles).not.toContain('toggledevtools');
  });

  it('cancels a request to anywhere else and refuses window.open', async () => {
    // An image from the app's own origin (img-src 'self'): a request the listener must see, or
    // the empty list of foreign requests below would prove nothing.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const img = new Image();
          img.onload = img.onerror = () => resolve();
          img.src = 'app://proofdesk/request-probe.png';
        }),
    );
    expect(requests).toContain('app://proofdesk/request-probe.png');
    const r = await page.evaluate(async () => {
      const w = window.open('https://example.com/');
      let fetched = 'refused';
      try {
        await fetch('https://example.com/');
        fetched = 'fetched';
      } catch {
        // expected: CSP connect-src 'none' and the session's request filter
      }
      return { opened: w !== null, fetched };
    });
    expect(r).toEqual({ opened: false, fetched: 'refused' });
    expect(requests.filter((u) => !u.startsWith('app://proofdesk/') && !u.startsWith('data:'))).toEqual([]);
  });
});
