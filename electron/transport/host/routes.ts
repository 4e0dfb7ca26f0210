/**
 * What the host answers, by path: /api/call and /api/events (token required), other /api/
 * paths refused, and the renderer's files for everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assetHeaders, CSP_LOCAL_HOST } from '../content-policy.js';
import type { Handlers } from '../ipc/handler.js';
import { dispatch } from '../ipc/router.js';
import { readAsset } from './assets.js';
import type { EventClients } from './events.js';
import { type Listener, refuseForeign, tokenOk } from './guard.js';
import { CSP_NONE, deny, json } from './responses.js';

const MAX_BODY = 1024 * 1024;

/** What every request is answered with: one per host, made at its start. */
export interface RouteContext {
  readonly listener: Listener;
  readonly token: Buffer;
  readonly handlers: Handlers;
  readonly events: EventClients;
  /** Directory of the built renderer. */
  readonly root: string;
}

export function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): void {
  if (refuseForeign(req, res, ctx.listener)) return;
  const url = new URL(req.url ?? '/', ctx.listener.origin);
  if (url.pathname === '/api/call') {
    if (req.method !== 'POST') return deny(res, 405, 'POST only');
    if (!tokenOk(req, ctx.token)) return deny(res, 401, 'missing or wrong token');
    return handleCall(req, res, ctx);
  }
  if (url.pathname === '/api/events') {
    if (req.method !== 'GET') return deny(res, 405, 'GET only');
    if (!tokenOk(req, ctx.token)) return deny(res, 401, 'missing or wrong token');
    return ctx.events.open(req, res);
  }
  if (url.pathname.startsWith('/api/')) return deny(res, 404, 'no such endpoint');
  if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'GET only');
  serveAsset(req, res, ctx.root, url.pathname);
}

/** Reads an authenticated call's JSON body ({channel, args}, at most MAX_BODY bytes) and answers with its IpcResult. */
function handleCall(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): void {
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
    void dispatch(ctx.handlers, channel, args).then((r) => json(res, 200, r));
  });
}

function serveAsset(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): void {
  const asset = readAsset(root, pathname);
  if (!asset) {
    res.writeHead(404, assetHeaders(CSP_NONE, 'text/plain; charset=utf-8'));
    res.end('not found');
    return;
  }
  res.writeHead(200, assetHeaders(CSP_LOCAL_HOST, asset.contentType));
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
