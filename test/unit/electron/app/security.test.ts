/**
 * The Electron window and session settings (security.ts), applied to fake sessions and web
 * contents that record what was installed and then drive the installed handlers the way
 * Electron would, and the launch argument split (launch.ts). No Electron binary is needed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArgs } from '../../../../electron/app/launch.js';
import {
  APP_ENTRY,
  APP_SCHEME_PRIVILEGES,
  type AppAsset,
  allowNavigation,
  applySessionPolicy,
  appProtocolHandler,
  FUSES,
  type HardenableContents,
  hardenWebContents,
  isAppUrl,
  type PolicySession,
  type Preventable,
  permissionDecision,
  shouldCancelRequest,
  WINDOW_OPEN_RESPONSE,
  windowOptions,
} from '../../../../electron/app/security.js';
import {
  assetHeaders,
  CSP_ELECTRON,
  CSP_LOCAL_HOST,
  contentTypeFor,
} from '../../../../electron/transport/content-policy.js';
import { REPO_ROOT } from '../../../support/vectors.js';

/** A session that keeps what the policy installs, so a test can call it as Electron would. */
function fakeSession() {
  const installed: {
    permissionRequest?: Parameters<PolicySession['setPermissionRequestHandler']>[0];
    permissionCheck?: Parameters<PolicySession['setPermissionCheckHandler']>[0];
    beforeRequest?: Parameters<PolicySession['webRequest']['onBeforeRequest']>[0];
    protocols: Map<string, (request: Request) => Response | Promise<Response>>;
  } = { protocols: new Map() };
  const ses: PolicySession = {
    setPermissionRequestHandler: (h) => void (installed.permissionRequest = h),
    setPermissionCheckHandler: (h) => void (installed.permissionCheck = h),
    webRequest: { onBeforeRequest: (l) => void (installed.beforeRequest = l) },
    protocol: { handle: (scheme, h) => void installed.protocols.set(scheme, h) },
  };
  return { ses, installed };
}

/** What the session's request filter answers for a URL, through the callback Electron passes. */
function filterDecision(
  listener: Parameters<PolicySession['webRequest']['onBeforeRequest']>[0] | undefined,
  url: string,
): { cancel: boolean } {
  expect(listener, 'onBeforeRequest listener installed').toBeDefined();
  const answers: Array<{ cancel: boolean }> = [];
  listener!({ url }, (r) => answers.push(r));
  expect(answers, url).toHaveLength(1);
  return answers[0]!;
}

/** Web contents that record listeners by event name and can emit an event with a preventable object. */
function fakeContents() {
  const listeners = new Map<string, Array<(e: Preventable, url: string) => void>>();
  let openHandler: ((details: { url: string }) => unknown) | undefined;
  const contents: HardenableContents = {
    on(event: string, listener: (e: Preventable, url: string) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler: (h) => void (openHandler = h),
  };
  /** Emits `event` the way Electron does; true when some listener called preventDefault. */
  const emit = (event: string, url = ''): boolean => {
    let prevented = false;
    const e: Preventable = { preventDefault: () => void (prevented = true) };
    for (const l of listeners.get(event) ?? []) l(e, url);
    return prevented;
  };
  return { contents, listeners, emit, open: (url: string) => openHandler?.({ url }) };
}

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k!, v]),
  );

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
    for (const u of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'ws://localhost/',
      'file:///etc/passwd',
      'data:text/html,x',
      'app://proofdesk.evil/x',
      'app://other/index.html',
      'ftp://x/',
      'blob:app://proofdesk/1',
      'not a url',
    ]) {
      expect(shouldCancelRequest(u), u).toBe(true);
    }
    for (const u of ['app://proofdesk/index.html', 'app://proofdesk/assets/index-1.js'])
      expect(shouldCancelRequest(u), u).toBe(false);
    expect(isAppUrl('app://proofdesk@evil/')).toBe(false);
  });
  it('denies every permission, navigation and new window', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem'])
      expect(permissionDecision(p)).toBe(false);
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
  it('main.ts hands its session and every web contents to these functions', () => {
    // The behaviour is tested below on fakes; this only pins that main.ts stays wired to it.
    const src = readFileSync(join(REPO_ROOT, 'electron', 'app', 'main.ts'), 'utf8');
    expect(src).toMatch(/app\.on\('web-contents-created', \(_e, contents\) => hardenWebContents\(contents\)\)/);
    expect(src).toMatch(/applySessionPolicy\(session\.defaultSession,/);
    expect(src).toContain('app.enableSandbox()');
    expect(src).toContain('protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])');
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

describe('applySessionPolicy on a session', () => {
  const index: AppAsset = {
    body: new TextEncoder().encode('<!doctype html>'),
    contentType: 'text/html; charset=utf-8',
  };
  const reads: string[] = [];
  const read = (p: string) => (reads.push(p), p === '/index.html' ? index : undefined);

  it('installs a request filter that cancels http(s), ws(s), file and other hosts of app://', () => {
    const { ses, installed } = fakeSession();
    applySessionPolicy(ses, read);
    for (const u of [
      'http://127.0.0.1:8080/',
      'https://example.com/x.js',
      'ws://localhost:9229/',
      'wss://example.com/socket',
      'file:///etc/passwd',
      'file:///C:/Windows/win.ini',
      'data:text/html,x',
      'app://other/index.html',
      'app://proofdesk.evil/index.html',
    ]) {
      expect(filterDecision(installed.beforeRequest, u), u).toEqual({ cancel: true });
    }
    for (const u of ['app://proofdesk/index.html', 'app://proofdesk/assets/index-1.css'])
      expect(filterDecision(installed.beforeRequest, u), u).toEqual({ cancel: false });
  });

  it('denies every permission request and check', () => {
    const { ses, installed } = fakeSession();
    applySessionPolicy(ses, read);
    expect(installed.permissionRequest).toBeDefined();
    expect(installed.permissionCheck).toBeDefined();
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fileSystem',
      'unknown',
    ]) {
      const granted: boolean[] = [];
      installed.permissionRequest!({}, p, (g) => granted.push(g));
      expect(granted, p).toEqual([false]);
      expect(installed.permissionCheck!({}, p), p).toBe(false);
    }
  });

  it('serves app:// with the Electron CSP and nosniff, and 404 for other hosts without reading', async () => {
    const { ses, installed } = fakeSession();
    applySessionPolicy(ses, read);
    expect([...installed.protocols.keys()]).toEqual(['app']);
    const handle = installed.protocols.get('app')!;
    reads.length = 0;
    const ok = await handle(new Request(APP_ENTRY));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CSP_ELECTRON);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await ok.text()).toBe('<!doctype html>');
    const missing = await handle(new Request('app://proofdesk/nope.js'));
    expect(missing.status).toBe(404);
    expect(reads).toEqual(['/index.html', '/nope.js']);
    const other = await handle(new Request('app://elsewhere/index.html'));
    expect(other.status).toBe(404);
    expect(other.headers.get('content-security-policy')).toBe(CSP_ELECTRON);
    expect(reads).toEqual(['/index.html', '/nope.js']);
  });

  it('appProtocolHandler is the handler the policy installs', async () => {
    const r = await appProtocolHandler(read)(new Request('app://proofdesk/index.html'));
    expect(r.headers.get('content-security-policy')).toBe(CSP_ELECTRON);
  });
});

describe('hardenWebContents on a web contents', () => {
  it('prevents every navigation, redirect and webview attachment', () => {
    const f = fakeContents();
    hardenWebContents(f.contents);
    expect([...f.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    for (const u of ['https://example.com/', 'file:///etc/passwd', APP_ENTRY]) {
      expect(f.emit('will-navigate', u), u).toBe(true);
      expect(f.emit('will-redirect', u), u).toBe(true);
    }
    expect(f.emit('will-attach-webview')).toBe(true);
  });
  it('denies window.open', () => {
    const f = fakeContents();
    expect(f.open('https://example.com/')).toBeUndefined();
    hardenWebContents(f.contents);
    expect(f.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.open(APP_ENTRY)).toEqual({ action: 'deny' });
  });
});

describe('launch arguments', () => {
  it('runs the CLI without a window when started with a command', () => {
    expect(cliArgs(['/opt/Proofdesk/proofdesk', 'verify', 'b', '--trust', 'k'], true)).toEqual([
      'verify',
      'b',
      '--trust',
      'k',
    ]);
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
