/**
 * The Electron security settings, as data and pure functions so they can be unit-tested
 * without an Electron binary (main.ts only applies them). The app is air-gapped by
 * construction: the renderer is served from the privileged `app://` scheme, every other
 * request is cancelled, navigation, new windows, webviews and permissions are refused.
 * See ../shared/docs/STYLE.md, "Electron settings for an air-gapped app".
 */
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';
import { assetHeaders, CSP_ELECTRON } from '../transport/content-policy.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'proofdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** `app://` behaves like https for the renderer (secure context, standard URL parsing), nothing more. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: false,
    corsEnabled: false,
    stream: false,
    bypassCSP: false,
    allowServiceWorkers: false,
  },
};

/**
 * The one window's options. Requires an absolute path to the bundled (CommonJS) preload.
 * Developer tools exist only when asked for (an unpackaged build): never in what examiners run.
 */
export function windowOptions(preloadPath: string, o: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Proofdesk',
    backgroundColor: '#f7f7f5',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: o.devTools ?? false,
    },
  };
}

/** True for the app's own bundled assets (the only URLs the renderer may load). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The decision for every web request of the session: only app:// assets pass. devtools://
 * is allowed so an examiner can open the developer tools; it loads from inside Electron.
 */
export function shouldCancelRequest(url: string): boolean {
  if (isAppUrl(url)) return false;
  if (url.startsWith('devtools://')) return false;
  return true;
}

/** Every permission (camera, notifications, clipboard read, geolocation…) is refused. */
export function permissionDecision(_permission: string): false {
  return false;
}

/** Navigation away from the loaded page is never allowed (links open nothing). */
export function allowNavigation(_url: string): false {
  return false;
}

/** window.open and target=_blank are refused. */
export const WINDOW_OPEN_RESPONSE = { action: 'deny' } as const;

/** The part of an Electron `Event` a hardening listener uses. */
export interface Preventable {
  preventDefault(): void;
}

/**
 * What of an Electron `WebContents` the hardening touches. Narrow and structural so a test
 * can pass a fake; main.ts passes the real `WebContents`, which the compiler checks against it.
 */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => typeof WINDOW_OPEN_RESPONSE): void;
}

/**
 * Applied to every web contents Electron creates (`web-contents-created`), not only the main
 * window's, so a frame or a devtools page cannot be the way out.
 */
export function hardenWebContents(contents: HardenableContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!allowNavigation(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => WINDOW_OPEN_RESPONSE);
}

/** A file of the built renderer, as electron/transport/host/assets.ts `readAsset` returns it. */
export interface AppAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** Finds the renderer file for a URL path such as `/assets/index-1.js`; undefined when there is none. */
export type AssetReader = (urlPath: string) => AppAsset | undefined;

/** What of an Electron `Session` the policy touches; the real `Session` satisfies it. */
export interface PolicySession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  readonly webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
  readonly protocol: {
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
}

/**
 * The app:// handler: the renderer's own files with the Electron CSP on every response, 404
 * for anything else (another host on the scheme included).
 */
export function appProtocolHandler(read: AssetReader): (request: Request) => Response {
  return (request) => {
    const asset = isAppUrl(request.url) ? read(new URL(request.url).pathname) : undefined;
    if (!asset) return new Response('not found', { status: 404, headers: { 'Content-Security-Policy': CSP_ELECTRON } });
    return new Response(new Uint8Array(asset.body), {
      status: 200,
      headers: assetHeaders(CSP_ELECTRON, asset.contentType),
    });
  };
}

/**
 * The session side of the air gap: every permission refused (request and check, since
 * Chromium asks either way), every request that is not app:// cancelled, and app:// served
 * with the CSP. Requires an Electron session after `app.whenReady()`.
 */
export function applySessionPolicy(ses: PolicySession, read: AssetReader): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: shouldCancelRequest(details.url) }));
  ses.protocol.handle(APP_SCHEME, appProtocolHandler(read));
}

/** Electron fuses to flip at packaging time (electron-builder `electronFuses`). */
export const FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;
