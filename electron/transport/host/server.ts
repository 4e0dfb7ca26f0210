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
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { SAMPLE } from '../../services/sample.js';
import { type BackendOptions, createBackend } from '../ipc/backend.js';
import { underRoots } from '../ipc/path-policy.js';
import { createHandlers } from '../ipc/router.js';
import { rendererDir } from './assets.js';
import { EventClients } from './events.js';
import { type RouteContext, route } from './routes.js';

export { TOKEN_HEADER } from './guard.js';
/** A connection idle this long (no request, or a request that stalls) is closed. */
export const IDLE_TIMEOUT_MS = 10_000;
/** One page needs a handful of connections; more than this are refused. */
export const MAX_CONNECTIONS = 64;

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
  const events = new EventClients();
  backend.setSink((e) => events.send(e));
  // The listener's origin is known once it listens; no request is answered before that.
  const ctx: RouteContext = {
    listener: { origin: '', hostHeader: '' },
    token: Buffer.from(token),
    handlers,
    events,
    root,
  };
  const server = createServer((req, res) => route(req, res, ctx));
  limitConnections(server, o.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  try {
    await listen(server, o.port ?? 0);
  } catch (e) {
    // A busy port: nothing was served; the backend's worker threads must not keep the process alive.
    await backend.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  ctx.listener.origin = origin;
  ctx.listener.hostHeader = `127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    async close() {
      events.closeAll();
      await backend.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/**
 * A socket that sends nothing (or stalls mid-request) is closed: idle connections must not
 * pile up (2,000 held open were seen). Calls and the event stream lift it for their socket.
 */
function limitConnections(server: Server, idle: number): void {
  server.keepAliveTimeout = 5_000;
  server.timeout = idle;
  server.headersTimeout = idle;
  server.requestTimeout = Math.max(idle, 30_000);
  server.maxConnections = MAX_CONNECTIONS;
}

/** Listens on the loopback interface only; rejects when the port cannot be had. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
