/**
 * What the renderer may load and how its files are served: the Content-Security-Policy of each
 * transport, the response headers and the content types. Plain data shared by the Electron
 * app:// handler (electron/app/security.ts) and the local host (transport/host/server.ts).
 */

const CSP_COMMON = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "worker-src 'none'",
];

/** CSP of the Electron renderer: it talks to the backend over IPC only, so it may connect nowhere. */
export const CSP_ELECTRON = [...CSP_COMMON, "connect-src 'none'"].join('; ');
/** CSP of the renderer served by the local host: it may connect to that host only. */
export const CSP_LOCAL_HOST = [...CSP_COMMON, "connect-src 'self'"].join('; ');

/** Response headers for every asset served to the renderer. */
export function assetHeaders(csp: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot).toLowerCase() : '';
  return Object.hasOwn(TYPES, ext) ? TYPES[ext]! : 'application/octet-stream';
}
