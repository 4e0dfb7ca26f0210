/**
 * The local transport: loopback only, a per-run token, refused foreign origins and hosts,
 * safe static files, runtime argument validation, and the same services as the app
 * (a real verification with progress events over server-sent events).
 */
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEvent, IpcResult, RunView } from '../../shared/ipc.js';
import { startHost, TOKEN_HEADER, type Host } from '../../electron/host/server.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const SAMPLES = join(REPO_ROOT, 'resources', 'samples');
let host: Host;
let tmp: string;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  const u = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(u.port), method, path, headers: { Host: u.host, ...headers } }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function callApi<T>(channel: string, args: unknown, headers: Record<string, string> = {}): Promise<{ status: number; result: IpcResult<T> }> {
  const r = await raw('POST', '/api/call', { 'Content-Type': 'application/json', [TOKEN_HEADER]: host.token, ...headers }, JSON.stringify({ channel, args }));
  return { status: r.status, result: JSON.parse(r.body) as IpcResult<T> };
}

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-host-');
  const r = join(tmp, 'renderer');
  mkdirSync(join(r, 'assets'), { recursive: true });
  writeFileSync(join(r, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(r, 'assets', 'a.js'), 'export {};');
  writeFileSync(join(tmp, 'secret.txt'), 'outside the renderer');
  host = await startHost({ rendererDir: r, workers: 2 });
});

afterAll(async () => {
  await host?.close();
  removeDir(tmp);
});

describe('local host: where it listens and who may call', () => {
  it('listens on the loopback address with a random port and a 256-bit token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url').length).toBe(32);
  });

  it('serves the renderer with its CSP, and nothing outside it', async () => {
    const r = await raw('GET', '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw('GET', '/assets/a.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/%00', '/nope.html']) {
      const x = await raw('GET', p);
      expect(x.status, p).toBe(404);
      expect(x.body).not.toContain('outside the renderer');
    }
  });

  it('refuses calls without the token, with a wrong one, or by GET', async () => {
    const body = JSON.stringify({ channel: 'app.info', args: {} });
    expect((await raw('POST', '/api/call', { 'Content-Type': 'application/json' }, body)).status).toBe(401);
    expect((await raw('POST', '/api/call', { [TOKEN_HEADER]: host.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, body)).status).toBe(401);
    expect((await raw('GET', '/api/call', { [TOKEN_HEADER]: host.token })).status).toBe(405);
    expect((await raw('GET', '/api/events')).status).toBe(401);
  });

  it('refuses other origins, cross-site fetches and other Host names (DNS rebinding)', async () => {
    expect((await callApi('app.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await callApi('app.info', {}, { Origin: 'http://localhost:1' })).status).toBe(403);
    expect((await callApi('app.info', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await raw('GET', '/', { Host: 'evil.example' })).status).toBe(421);
    const ok = await callApi<{ version: string }>('app.info', {}, { Origin: host.origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(ok.status).toBe(200);
    expect(ok.result.ok).toBe(true);
  });
});

describe('local host: the contract', () => {
  it('validates arguments at run time and reports every problem with its path', async () => {
    const r = await callApi('verify.start', { bundle: { path: 7, evidenceId: 'x' }, keys: [{ path: '' }, { nope: 1 }], workers: 0, extra: true });
    expect(r.result.ok).toBe(false);
    if (r.result.ok) return;
    expect(r.result.error.code).toBe('BAD_REQUEST');
    expect(r.result.error.issues).toEqual(
      expect.arrayContaining(['$.extra: unknown member', '$.keys[0].path: must not be empty', '$.keys[1].nope: unknown member', '$.workers: out of range [1, 64]']),
    );
    expect(r.result.error.issues?.some((i) => i.startsWith('$.bundle'))).toBe(true);
    const u = await callApi('fs.readFile', { path: '/etc/passwd' });
    expect(u.result.ok === false && u.result.error.code).toBe('BAD_REQUEST');
    const proto = await callApi('__proto__', {});
    expect(proto.result.ok === false && proto.result.error.code).toBe('BAD_REQUEST');
    const notJson = await raw('POST', '/api/call', { [TOKEN_HEADER]: host.token }, '{');
    expect(notJson.status).toBe(400);
  });

  it('turns unusable input into a typed error, not a crash', async () => {
    const r = await callApi('evidence.inspect', { path: join(tmp, 'secret.txt') });
    expect(r.result.ok).toBe(false);
    if (!r.result.ok) expect(['INPUT_UNREADABLE', 'INPUT_MALFORMED']).toContain(r.result.error.code);
    const k = await callApi('keys.inspect', { text: 'not a key' });
    expect(k.result.ok === false && k.result.error.code).toBe('KEY_INVALID');
    const n = await callApi('verify.get', { runId: 'no-such-run' });
    expect(n.result.ok === false && n.result.error.code).toBe('NOT_FOUND');
  });

  it('runs a verification with progress events and browses its entries', async () => {
    const u = new URL(host.origin);
    const events: IpcEvent[] = [];
    const sse = request({ host: '127.0.0.1', port: Number(u.port), path: '/api/events', headers: { Host: u.host, [TOKEN_HEADER]: host.token } });
    const connected = new Promise<void>((resolve) => {
      sse.on('response', (res) => {
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (c: string) => {
          buf += c;
          if (buf.startsWith(': connected')) resolve();
          for (const m of buf.split('\n\n').slice(0, -1)) if (m.startsWith('data: ')) events.push(JSON.parse(m.slice(6)) as IpcEvent);
          buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
        });
      });
    });
    sse.end();
    await connected;
    const keys = ['sample-log.vkey', 'sample-witness.vkey', 'sample-source.pub'].map((k) => ({ path: join(SAMPLES, k) }));
    const s = await callApi<{ runId: string }>('verify.start', { bundle: { path: join(SAMPLES, 'sample-bundle') }, keys });
    expect(s.result.ok).toBe(true);
    if (!s.result.ok) return;
    const runId = s.result.value.runId;
    let view: RunView | undefined;
    for (let t = Date.now(); Date.now() - t < 60_000; await new Promise((r) => setTimeout(r, 100))) {
      const g = await callApi<RunView>('verify.get', { runId });
      if (g.result.ok && g.result.value.state !== 'running') {
        view = g.result.value;
        break;
      }
    }
    sse.destroy();
    expect(view?.state).toBe('done');
    expect(view?.run?.result.verdict).toBe('PASS');
    expect(view?.browsable).toBe(true);
    const mine = events.filter((e) => 'runId' in e && e.runId === runId);
    expect(mine.some((e) => e.type === 'run.progress')).toBe(true);
    expect(mine.filter((e) => e.type === 'run.state').map((e) => (e as { state: string }).state)).toEqual(['running', 'done']);

    const page = await callApi<{ rows: Array<{ index: number; seq?: number }> }>('entries.page', { runId, from: 1490, count: 50 });
    expect(page.result.ok && page.result.value.rows.map((r) => r.index)).toEqual([1490, 1491, 1492, 1493, 1494, 1495, 1496, 1497, 1498, 1499]);
    const past = await callApi('entries.detail', { runId, index: 1500 });
    expect(past.result.ok === false && past.result.error.code).toBe('NOT_FOUND');
  });
});
