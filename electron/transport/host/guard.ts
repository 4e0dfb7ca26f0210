/** Who may talk to the host: requests to this exact listener, from this exact origin, and API calls with the run's token. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deny } from './responses.js';

export const TOKEN_HEADER = 'x-proofdesk-token';

/** This listener, once it listens: its origin and the Host header that names it. */
export interface Listener {
  origin: string;
  hostHeader: string;
}

/**
 * Refuses (and answers) a request that did not come to this exact listener from this exact
 * origin: a wrong Host header (DNS rebinding), another Origin, or a cross-site fetch. True when refused.
 */
export function refuseForeign(req: IncomingMessage, res: ServerResponse, listener: Listener): boolean {
  if (req.headers.host !== listener.hostHeader) {
    deny(res, 421, 'wrong host');
    return true;
  }
  const reqOrigin = req.headers.origin;
  if (reqOrigin !== undefined && reqOrigin !== listener.origin) {
    deny(res, 403, 'cross-origin request refused');
    return true;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    deny(res, 403, 'cross-site request refused');
    return true;
  }
  return false;
}

/** The request carries the run's token (compared in constant time). */
export function tokenOk(req: IncomingMessage, token: Buffer): boolean {
  const t = req.headers[TOKEN_HEADER];
  if (typeof t !== 'string') return false;
  const b = Buffer.from(t);
  return b.length === token.length && timingSafeEqual(b, token);
}
