/**
 * The local transport: loopback only, a per-run token, refused foreign origins and hosts,
 * safe static files, runtime argument validation, and the same services as the app
 * (a real verification with progress events over server-sent events).
 */

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Host, startHost, TOKEN_HEADER } from '../../electron/transport/host/server.js';
import type { IpcEvent, IpcResult, RunView } from '../../shared/protocol/ipc.js';
import { CLI_ENTRY, TSX } from '../support/bounded.js';
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
    const req = request(
      { host: '127.0.0.1', port: Number(u.port), method, path, headers: { Host: u.host, ...headers } },
      (res) => {
        let b = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * An incremental reader of a text/event-stream (HTML Living Standard, "Server-sent events",
 * §9.2.6): messages end with a blank line, so only text up to the last "\n\n" is complete;
 * the rest waits for the next chunk, whole. Comment messages (": …") come back as comments.
 */
type SseMessage = { data: string } | { comment: string };

function sseReader(): (chunk: string) => SseMessage[] {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    const end = buf.lastIndexOf('\n\n');
    if (end < 0) return [];
    const complete = buf.slice(0, end);
    buf = buf.slice(end + 2);
    return complete.split('\n\n').flatMap((m): SseMessage[] => {
      const lines = m.split('\n');
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
      if (data.length) return [{ data: data.join('\n') }];
      return lines[0]?.startsWith(':') ? [{ comment: lines[0].slice(1).trim() }] : [];
    });
  };
}

async function callApi<T>(
  channel: string,
  args: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; result: IpcResult<T> }> {
  const r = await raw(
    'POST',
    '/api/call',
    { 'Content-Type': 'application/json', [TOKEN_HEADER]: host.token, ...headers },
    JSON.stringify({ channel, args }),
  );
  return { status: r.status, result: JSON.parse(r.body) as IpcResult<T> };
}

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-host-');
  const r = join(tmp, 'renderer');
  mkdirSync(join(r, 'assets'), { recursive: true });
  writeFileSync(join(r, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(r, 'assets', 'a.js'), 'export {};');
  writeFileSync(join(tmp, 'secret.txt'), 'outside the renderer');
  host = await startHost({ rendererDir: r, workers: 2, roots: [tmp] });
});

afterAll(async () => {
  await host?.close();
  removeDir(tmp);
});

describe("the test's event-stream reader", () => {
  const stream =
    ': connected\n\ndata: {"type":"a","n":1}\n\ndata: {"type":"b","text":"x\\n\\ny"}\n\ndata: {"type":"c"}\n\n';
  const whole = [
    { comment: 'connected' },
    { data: '{"type":"a","n":1}' },
    { data: '{"type":"b","text":"x\\n\\ny"}' },
    { data: '{"type":"c"}' },
  ];
  it('gives the same messages however the stream is cut into chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const read = sseReader();
      expect([...read(stream.slice(0, cut)), ...read(stream.slice(cut))], `cut at ${cut}`).toEqual(whole);
    }
    const read = sseReader();
    expect([...stream].flatMap((ch) => read(ch))).toEqual(whole);
  });
  it('keeps an unfinished message until its blank line arrives', () => {
    const read = sseReader();
    expect(read('data: {"type"')).toEqual([]);
    expect(read(':"a"}\n')).toEqual([]);
    expect(read('\n')).toEqual([{ data: '{"type":"a"}' }]);
  });
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
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%00',
      '/nope.html',
    ]) {
      const x = await raw('GET', p);
      expect(x.status, p).toBe(404);
      expect(x.body).not.toContain('outside the renderer');
    }
  });

  it('refuses calls without the token, with a wrong one, or by GET', async () => {
    const body = JSON.stringify({ channel: 'app.info', args: {} });
    expect((await raw('POST', '/api/call', { 'Content-Type': 'application/json' }, body)).status).toBe(401);
    expect(
      (
        await raw(
          'POST',
          '/api/call',
          { [TOKEN_HEADER]: host.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
          body,
        )
      ).status,
    ).toBe(401);
    expect((await raw('GET', '/api/call', { [TOKEN_HEADER]: host.token })).status).toBe(405);
    expect((await raw('GET', '/api/events')).status).toBe(401);
  });

  it('refuses other origins, cross-site fetches and other Host names (DNS rebinding)', async () => {
    expect((await callApi('app.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await callApi('app.info', {}, { Origin: 'http://localhost:1' })).status).toBe(403);
    expect((await callApi('app.info', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await raw('GET', '/', { Host: 'evil.example' })).status).toBe(421);
    const ok = await callApi<{ version: string }>(
      'app.info',
      {},
      { Origin: host.origin, 'Sec-Fetch-Site': 'same-origin' },
    );
    expect(ok.status).toBe(200);
    expect(ok.result.ok).toBe(true);
  });
});

describe('local host: the contract', () => {
  it('validates arguments at run time and reports every problem with its path', async () => {
    const r = await callApi('verify.start', {
      bundle: { path: 7, evidenceId: 'x' },
      keys: [{ path: '' }, { nope: 1 }],
      workers: 0,
      extra: true,
    });
    expect(r.result.ok).toBe(false);
    if (r.result.ok) return;
    expect(r.result.error.code).toBe('BAD_REQUEST');
    // Issues read "<path>: <problem>"; the paths are the contract, the wording is not.
    const paths = (r.result.error.issues ?? []).map((i) => i.slice(0, i.indexOf(': ')));
    expect(paths).toEqual(expect.arrayContaining(['$.extra', '$.keys[0].path', '$.keys[1].nope', '$.workers']));
    expect(paths.some((p) => p.startsWith('$.bundle'))).toBe(true);
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
    // Roles: a key is inspected in the role asked for; a verifier key's type wins, and a contradicting role is refused.
    const vkey = readFileSync(join(SAMPLES, 'sample-witness.vkey'), 'utf8').trim();
    const w = await callApi<{ roles: string[] }>('keys.inspect', { text: vkey });
    expect(w.result.ok && w.result.value.roles).toEqual(['witness']);
    const src = await callApi<{ roles: string[] }>('keys.inspect', {
      path: join(SAMPLES, 'sample-source.pub'),
      role: 'entry',
    });
    expect(src.result.ok && src.result.value.roles).toEqual(['entry']);
    const conflict = await callApi('keys.inspect', { text: vkey, role: 'log' });
    expect(conflict.result.ok === false && conflict.result.error.code).toBe('USAGE');
    const badRole = await callApi('keys.inspect', { text: vkey, role: 'auditor' });
    expect(badRole.result.ok === false && badRole.result.error.code).toBe('BAD_REQUEST');
    // A case key outside a run of its case (whose origin binds it) is refused.
    const caseKey = await callApi('verify.start', {
      bundle: { path: join(SAMPLES, 'sample-bundle') },
      keys: [{ caseKeyId: '1' }],
    });
    expect(caseKey.result.ok === false && caseKey.result.error.code).toBe('USAGE');
    const n = await callApi('verify.get', { runId: 'no-such-run' });
    expect(n.result.ok === false && n.result.error.code).toBe('NOT_FOUND');
  });

  it('runs a verification with progress events and browses its entries', async () => {
    const u = new URL(host.origin);
    const events: IpcEvent[] = [];
    const sse = request({
      host: '127.0.0.1',
      port: Number(u.port),
      path: '/api/events',
      headers: { Host: u.host, [TOKEN_HEADER]: host.token },
    });
    const connected = new Promise<void>((resolve) => {
      sse.on('response', (res) => {
        res.setEncoding('utf8');
        const read = sseReader();
        res.on('data', (c: string) => {
          for (const m of read(c)) {
            if ('comment' in m) {
              if (m.comment === 'connected') resolve();
            } else events.push(JSON.parse(m.data) as IpcEvent);
          }
        });
      });
    });
    sse.end();
    await connected;
    // The source key is a PEM key: it says nothing of its role, so it is given as an entry key.
    const keys = [
      { path: join(SAMPLES, 'sample-log.vkey') },
      { path: join(SAMPLES, 'sample-witness.vkey') },
      { path: join(SAMPLES, 'sample-source.pub'), role: 'entry' },
    ];
    const s = await callApi<{ runId: string }>('verify.start', {
      bundle: { path: join(SAMPLES, 'sample-bundle') },
      keys,
    });
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
    expect(mine.filter((e) => e.type === 'run.state').map((e) => (e as { state: string }).state)).toEqual([
      'running',
      'done',
    ]);

    const page = await callApi<{ rows: Array<{ index: number; seq?: number }> }>('entries.page', {
      runId,
      from: 1490,
      count: 50,
    });
    expect(page.result.ok && page.result.value.rows.map((r) => r.index)).toEqual([
      1490, 1491, 1492, 1493, 1494, 1495, 1496, 1497, 1498, 1499,
    ]);
    const past = await callApi('entries.detail', { runId, index: 1500 });
    expect(past.result.ok === false && past.result.error.code).toBe('NOT_FOUND');
  });
});

describe('local host: hardening', () => {
  it('every response, 404s and refusals included, carries a CSP and nosniff', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['GET', '/no-such-page', {}],
      ['GET', '/%2e%2e/secret.txt', {}],
      ['GET', '/api/nope', {}],
      ['POST', '/api/call', {}],
      ['GET', '/', { Host: 'evil.example' }],
      ['GET', '/', { Origin: 'http://evil.example' }],
      ['POST', '/', {}],
    ];
    for (const [method, path, headers] of cases) {
      const r = await raw(method, path, headers);
      expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(r.headers['x-content-type-options'], `${method} ${path}`).toBe('nosniff');
      expect(r.headers['content-security-policy'], `${method} ${path}`).toMatch(/default-src 'none'/);
    }
    const ok = await callApi('app.info', {});
    expect(ok.status).toBe(200);
  });

  it('50 connections that send nothing are closed within the idle timeout', async () => {
    const idleMs = 1500;
    const h = await startHost({ rendererDir: join(tmp, 'renderer'), workers: 1, roots: [tmp], idleTimeoutMs: idleMs });
    try {
      const port = Number(new URL(h.origin).port);
      const t0 = Date.now();
      const closed = await Promise.all(
        Array.from(
          { length: 50 },
          () =>
            new Promise<number>((resolve) => {
              const s = connect(port, '127.0.0.1');
              s.on('error', () => {});
              s.on('close', () => resolve(Date.now() - t0));
              // The test's own bound: a socket still open after this fails the test instead of hanging it.
              setTimeout(() => {
                s.destroy();
                resolve(Number.POSITIVE_INFINITY);
              }, idleMs + 8000).unref();
            }),
        ),
      );
      const worst = Math.max(...closed);
      console.log(`50 idle sockets: all closed by the server within ${worst} ms (idle timeout ${idleMs} ms)`);
      expect(worst).toBeGreaterThanOrEqual(idleMs - 100);
      expect(worst).toBeLessThan(idleMs + 3000);
    } finally {
      await h.close();
    }
  });

  it('calls may name only paths under its roots: other folders, links out of a root and relative paths are FORBIDDEN', async () => {
    const outside = makeTempDir('proofdesk-host-outside-');
    try {
      writeFileSync(join(outside, 'id_ed25519'), 'not really a key');
      symlinkSync(outside, join(tmp, 'link-out'));
      const refused: Array<[string, unknown]> = [
        ['cases.create', { dir: join(outside, 'case'), title: 'x', examiner: 'Examiner' }],
        ['cases.open', { dir: outside }],
        ['evidence.inspect', { path: join(outside, 'id_ed25519') }],
        ['evidence.inspect', { path: join(tmp, 'link-out', 'id_ed25519') }],
        ['evidence.inspect', { path: 'secret.txt' }],
        ['keys.inspect', { path: '/etc/passwd' }],
        ['verify.start', { bundle: { path: join(SAMPLES, 'sample-bundle') }, keys: [{ path: '/etc/passwd' }] }],
        ['reports.verify', { path: join(outside, 'r.pdf'), examinerKey: { text: 'x' } }],
        ['reports.sign', { runId: 'x', keyPath: join(SAMPLES, 'sample-log.vkey'), outDir: outside }],
      ];
      for (const [channel, args] of refused) {
        const r = await callApi(channel, args);
        expect(r.result.ok === false && r.result.error.code, `${channel} ${JSON.stringify(args)}`).toBe('FORBIDDEN');
      }
      // Inside the root (and the shipped samples): the call reaches its handler.
      const inside = await callApi('evidence.inspect', { path: join(tmp, 'secret.txt') });
      expect(inside.result.ok === false && inside.result.error.code).not.toBe('FORBIDDEN');
      const sample = await callApi('keys.inspect', { path: join(SAMPLES, 'sample-log.vkey') });
      expect(sample.result.ok).toBe(true);
    } finally {
      removeDir(outside);
    }
  });

  it('proofdesk serve --root: only that folder; the default is the current directory', async () => {
    const served = makeTempDir('proofdesk-serve-root-');
    try {
      writeFileSync(join(served, 'inside.txt'), 'x');
      for (const args of [['--root', served], []]) {
        const child = spawn(process.execPath, ['--import', TSX, CLI_ENTRY, 'serve', '--port', '0', ...args], {
          cwd: args.length ? REPO_ROOT : served,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        try {
          const url = await new Promise<string>((resolve, reject) => {
            let out = '';
            const t = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
            child.stdout.on('data', (d: Buffer) => {
              out += d.toString();
              const m = /Open: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(out);
              if (m) {
                clearTimeout(t);
                resolve(`${m[1]} ${m[2]}`);
              }
            });
          });
          const [origin, token] = url.split(' ') as [string, string];
          const call = async (path: string) => {
            const r = await fetch(`${origin}/api/call`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
              body: JSON.stringify({ channel: 'evidence.inspect', args: { path } }),
            });
            return ((await r.json()) as { ok: boolean; error?: { code: string } }).error?.code;
          };
          expect(await call('/etc/passwd')).toBe('FORBIDDEN');
          expect(await call(join(tmp, 'secret.txt'))).toBe('FORBIDDEN');
          expect(await call(join(served, 'inside.txt'))).not.toBe('FORBIDDEN');
        } finally {
          child.kill('SIGINT');
        }
      }
    } finally {
      removeDir(served);
    }
  });
});
