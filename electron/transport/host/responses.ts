/** The host's own answers (API results, refusals): JSON under a CSP that lets nothing in them load or run. */
import type { ServerResponse } from 'node:http';
import { assetHeaders } from '../content-policy.js';

/** For what is not a renderer page (API answers, errors, 404s): nothing in it may load or run. */
export const CSP_NONE = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, assetHeaders(CSP_NONE, 'application/json'));
  res.end(JSON.stringify(body));
}

export function deny(res: ServerResponse, status: number, message: string): void {
  json(res, status, { ok: false, error: { code: 'FORBIDDEN', message } });
}
