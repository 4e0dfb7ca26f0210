/**
 * The Electron window and session settings, as the data electron/main.ts passes to Electron
 * (security.ts), and the launch argument split (launch.ts). No Electron binary is needed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArgs } from '../../electron/launch.js';
import {
  allowNavigation,
  APP_ENTRY,
  APP_SCHEME_PRIVILEGES,
  assetHeaders,
  contentTypeFor,
  CSP_ELECTRON,
  CSP_LOCAL_HOST,
  FUSES,
  isAppUrl,
  permissionDecision,
  shouldCancelRequest,
  WINDOW_OPEN_RESPONSE,
  windowOptions,
} from '../../electron/security.js';
import { REPO_ROOT } from '../support/vectors.js';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe('BrowserWindow options', () => {
  const o = windowOptions('/app/dist/preload/preload.cjs');
  const wp = o.webPreferences!;
  it('isolates and sandboxes the renderer', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.preload).toBe('/app/dist/preload/preload.cjs');
  });
  it('serves the app from a secure custom scheme without bypassing the CSP', () => {
    expect(APP_ENTRY).toBe('app://proofdesk/index.html');
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges?.secure).toBe(true);
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBe(false);
    expect(APP_SCHEME_PRIVILEGES.privileges?.allowServiceWorkers).toBe(false);
  });
});

describe('Content Security Policy', () => {
  for (const [name, csp, connect] of [
    ['electron', CSP_ELECTRON, ["'none'"]],
    ['local host', CSP_LOCAL_HOST, ["'self'"]],
  ] as const) {
    it(`${name}: nothing inline, nothing remote`, () => {
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('style-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('form-action')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(d.get('connect-src')).toEqual(connect);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    });
  }
  it('is sent with every asset, with nosniff', () => {
    const h = assetHeaders(CSP_ELECTRON, contentTypeFor('x.js'));
    expect(h['Content-Security-Policy']).toBe(CSP_ELECTRON);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.exe')).toBe('application/octet-stream');
  });
});

describe('session policy', () => {
  it('cancels every request but the app’s own assets', () => {
    for (const u of ['https://example.com/', 'http://127.0.0.1:8080/', 'ws://localhost/', 'file:///etc/passwd', 'data:text/html,x', 'app://proofdesk.evil/x', 'app://other/index.html', 'ftp://x/', 'blob:app://proofdesk/1', 'not a url']) {
      expect(shouldCancelRequest(u), u).toBe(true);
    }
    for (const u of ['app://proofdesk/index.html', 'app://proofdesk/assets/index-1.js']) expect(shouldCancelRequest(u), u).toBe(false);
    expect(isAppUrl('app://proofdesk@evil/')).toBe(false);
  });
  it('denies every permission, navigation and new window', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) expect(permissionDecision(p)).toBe(false);
    expect(allowNavigation('app://proofdesk/index.html')).toBe(false);
    expect(allowNavigation('https://example.com/')).toBe(false);
    expect(WINDOW_OPEN_RESPONSE).toEqual({ action: 'deny' });
  });
  it('keeps the fuses that would open a back door off', () => {
    expect(FUSES.runAsNode).toBe(false);
    expect(FUSES.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(FUSES.enableNodeCliInspectArguments).toBe(false);
    expect(FUSES.onlyLoadAppFromAsar).toBe(true);
    expect(FUSES.enableEmbeddedAsarIntegrityValidation).toBe(true);
  });
  it('main.ts applies each of these settings (it cannot run here without Electron)', () => {
    const src = readFileSync(join(REPO_ROOT, 'electron', 'main.ts'), 'utf8');
    for (const needle of [
      'app.enableSandbox()',
      'protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])',
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'webRequest.onBeforeRequest',
      'shouldCancelRequest(details.url)',
      "'will-navigate'",
      "'will-attach-webview'",
      'setWindowOpenHandler(() => WINDOW_OPEN_RESPONSE)',
      'new BrowserWindow(windowOptions(',
      'CSP_ELECTRON',
      'isAppUrl(from)',
    ]) {
      expect(src, needle).toContain(needle);
    }
    expect(src).not.toMatch(/openExternal|loadURL\(\s*['"]https?:/);
  });
  it('the electron-builder config flips the same fuses and unpacks better-sqlite3', () => {
    const yml = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/runAsNode:\s*false/);
    expect(yml).toMatch(/onlyLoadAppFromAsar:\s*true/);
    expect(yml).toMatch(/asarUnpack:[\s\S]*better-sqlite3/);
    for (const t of ['AppImage', 'deb', 'nsis', 'dmg']) expect(yml).toContain(t);
  });
});

describe('launch arguments', () => {
  it('runs the CLI without a window when started with a command', () => {
    expect(cliArgs(['/opt/Proofdesk/proofdesk', 'verify', 'b', '--trust', 'k'], true)).toEqual(['verify', 'b', '--trust', 'k']);
    expect(cliArgs(['electron', '.', 'demo'], false)).toEqual(['demo']);
    expect(cliArgs(['electron', '.', '--no-sandbox', 'verify', 'x'], false)).toEqual(['verify', 'x']);
    expect(cliArgs(['/opt/Proofdesk/proofdesk', '--version'], true)).toEqual(['--version']);
  });
  it('opens the window otherwise', () => {
    expect(cliArgs(['/opt/Proofdesk/proofdesk'], true)).toBeUndefined();
    expect(cliArgs(['electron', '.'], false)).toBeUndefined();
    expect(cliArgs(['/opt/Proofdesk/proofdesk', '/some/file.tar'], true)).toBeUndefined();
    expect(cliArgs(['/opt/Proofdesk/proofdesk', 'constructor'], true)).toBeUndefined();
  });
});
