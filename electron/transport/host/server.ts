/**
 * The local transport: serves the built renderer and the IPC contract over HTTP on
 * 127.0.0.1 only, for the end-to-end tests (real Chromium) and for headless use. It calls
 * the very same handlers as Electron's ipcMain (electron/transport/ipc/router.ts).
 *
 *   GET  /…            the renderer's files (CSP allows connecting to this origin only)
 *   POST /api/call     {channel, args} → IpcResult              (token required)
 *   GET  /api/events   server-sent events, one IpcEvent per message (token required)
 *
 * Defences: a random port on the loopback interface; a per-run secret token (32 random
 * bytes) that the page gets in the URL fragment (never sent over the wire by the browser)
 * and sends in a header; the Host header must name this listener (no DNS rebinding); any
 * Origin or Sec-Fetch-Site other than this origin is refused; every path a call names must lie
 * under the folders the server was started for (`roots`, path-policy.ts); every response,
 * errors and 404s included, carries a CSP and `nosniff`; a connection that sends nothing, or
 * too slowly, is closed (IDLE_TIMEOUT_MS), and at most MAX_CONNECTIONS are open at once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { IpcEvent } from '../../../shared/protocol/ipc.js';
import { SAMPLE } from '../../services/sample.js';
import { assetHeaders, CSP_LOCAL_HOST } from '../content-policy.js';
import { type BackendOptions, createBackend } from '../ipc/backend.js';
import { underRoots } from '../ipc/path-policy.js';
import { createHandlers, dispatch } from '../ipc/router.js';
import { readAsset, rendererDir } from './assets.js';

export const TOKEN_HEADER = 'x-proofdesk-token';
const MAX_BODY = 1024 * 1024;
/** A connection idle this long (no request, or a request that stalls) is closed. */
export const IDLE_TIMEOUT_MS = 10_000;
/** One page needs a handful of connections; more than this are refused. */
export const MAX_CONNECTIONS = 64;
/** For what is not a renderer page (API answers, errors, 404s): nothing in it may load or run. */
const CSP_NONE = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface HostOptions extends Partial<BackendOptions> {
  /** Directory of the built renderer (default dist/renderer). */
  readonly rendererDir?: string;
  /** 0 (default): a random free port. */
  readonly port?: number;
  /** The folders whose files calls may name (path-policy.ts underRoots); the bundled samples are added. */
  readonly roots: readonly string[];
  /** Idle timeout (default IDLE_TIMEOUT_MS); tests shorten it. */
  readonly idleTimeoutMs?: number;
}

export interface Host {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The address to open: origin + '/#token=…'. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startHost(o: HostOptions): Promise<Host> {
  const backend = createBackend({
    transport: 'local-http',
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    // The samples the app offers (app.info) are read where they are shipped.
    paths: underRoots([...o.roots, dirname(SAMPLE.bundle())]),
  });
  const handlers = createHandlers(backend);
  const root = o.rendererDir ?? rendererDir();
  const token = randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const clients = new Set<ServerResponse>();
  backend.setSink((e: IpcEvent) => {
    const msg = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of clients) c.write(msg);
  });

  let origin = '';
  let hostHeader = '';
  const tokenOk = (req: IncomingMessage) => {
    const t = req.headers[TOKEN_HEADER];
    if (typeof t !== 'string') return false;
    const b = Buffer.from(t);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, assetHeaders(CSP_NONE, 'application/json'));
    res.end(JSON.stringify(body));
  };
  const deny = (res: ServerResponse, status: number, message: string) =>
    json(res, status, { ok: false, error: { code: 'FORBIDDEN', message } });

  const server = createServer((req, res) => {
    // Requests that did not come to this exact listener from this exact origin are refused.
    if (req.headers.host !== hostHeader) return deny(res, 421, 'wrong host');
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && reqOrigin !== origin) return deny(res, 403, 'cross-origin request refused');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return deny(res, 403, 'cross-site request refused');
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return deny(res, 405, 'POST only');
      if (!tokenOk(req)) return deny(res, 401, 'missing or wrong token');
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          deny(res, 413, 'request too large');
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_BODY) return;
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'body is not JSON' } });
          return;
        }
        const { channel, args } = (typeof body === 'object' && body !== null ? body : {}) as {
          channel?: unknown;
          args?: unknown;
        };
        // An authenticated call may work for minutes (an import) with nothing on the wire.
        req.socket.setTimeout(0);
        void dispatch(handlers, channel, args).then((r) => json(res, 200, r));
      });
      return;
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return deny(res, 405, 'GET only');
      if (!tokenOk(req)) return deny(res, 401, 'missing or wrong token');
      // The event stream is meant to stay open and quiet: no idle timeout for it.
      req.socket.setTimeout(0);
      res.writeHead(200, { ...assetHeaders(CSP_NONE, 'text/event-stream'), Connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/')) return deny(res, 404, 'no such endpoint');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'GET only');
    const asset = readAsset(root, url.pathname);
    if (!asset) {
      res.writeHead(404, assetHeaders(CSP_NONE, 'text/plain; charset=utf-8'));
      res.end('not found');
      return;
    }
    res.writeHead(200, assetHeaders(CSP_LOCAL_HOST, asset.contentType));
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  server.keepAliveTimeout = 5_000;
  // A socket that sends nothing (or stalls mid-request) is closed: idle connections must not
  // pile up (2,000 held open were seen). Calls and the event stream lift it for their socket.
  const idle = o.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  server.timeout = idle;
  server.headersTimeout = idle;
  server.requestTimeout = Math.max(idle, 30_000);
  server.maxConnections = MAX_CONNECTIONS;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    // A busy port: nothing was served; the backend's worker threads must not keep the process alive.
    await backend.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hostHeader = `127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    async close() {
      for (const c of clients) c.end();
      clients.clear();
      await backend.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
