/**
 * The app-level calls around the case: paths.classify (what a path handed to the app is),
 * files.open (only a report PDF, only where a viewer exists), the launch path given once through
 * app.info, and a run of a closed case that can no longer be previewed or signed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../../../electron/transport/ipc/backend.js';
import { anyPath } from '../../../../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../../../../../electron/transport/ipc/router.js';
import { encodeNoteVerifierKey } from '../../../../../shared/keys/keys.js';
import type { AppInfo } from '../../../../../shared/protocol/ipc.js';
import { caseRunKey, parseCaseRunKey, type RunView } from '../../../../../shared/protocol/ipc.js';
import { generateBundle, makeTempDir, removeDir } from '../../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-app-calls-');
const opened: string[] = [];
let launch: string | undefined;
// Which paths a caller may name is path-policy's test; here every path is allowed.
const b = createBackend({
  transport: 'electron',
  paths: anyPath(),
  openPath: async (p) => {
    opened.push(p);
    return '';
  },
  takeLaunchPath: () => {
    const p = launch;
    launch = undefined;
    return p;
  },
});
const h = createHandlers(b);
const call = async (c: Parameters<typeof dispatch>[1], a: unknown) => dispatch(h, c, a);

beforeAll(() => {
  const g = generateBundle(join(tmp, 'bundle'), 20, { checkpointEvery: 10 });
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey)}\n`);
  mkdirSync(join(tmp, 'case'));
  writeFileSync(join(tmp, 'case', 'case.sqlite'), '');
  writeFileSync(join(tmp, 'report.pdf'), '%PDF-1.7\n');
  writeFileSync(join(tmp, 'notes.txt'), 'x');
});
afterAll(async () => {
  await b.close();
  removeDir(tmp);
});

describe('paths handed to the app', () => {
  it('are told apart: a case folder, a bundle, anything else, nothing', async () => {
    const kind = async (p: string) => {
      const r = await call('paths.classify', { path: p });
      return r.ok ? (r.value as { kind: string }).kind : r.error.code;
    };
    expect(await kind(join(tmp, 'case'))).toBe('case');
    expect(await kind(join(tmp, 'bundle'))).toBe('bundle');
    expect(await kind(join(tmp, 'notes.txt'))).toBe('other');
    expect(await kind(join(tmp, 'missing'))).toBe('missing');
  });

  it('a launch path is given once, through app.info', async () => {
    launch = join(tmp, 'bundle');
    const first = await call('app.info', {});
    const second = await call('app.info', {});
    expect(first.ok && (first.value as AppInfo).open).toBe(join(tmp, 'bundle'));
    expect(second.ok && (second.value as AppInfo).open).toBeUndefined();
    expect(first.ok && (first.value as AppInfo).features.openFiles).toBe(true);
  });
});

describe('files.open', () => {
  it('opens a report PDF in the system viewer, and nothing else', async () => {
    expect((await call('files.open', { path: join(tmp, 'report.pdf') })).ok).toBe(true);
    expect(opened).toEqual([join(tmp, 'report.pdf')]);
    const txt = await call('files.open', { path: join(tmp, 'notes.txt') });
    expect(txt.ok || txt.error.code).toBe('USAGE');
    const missing = await call('files.open', { path: join(tmp, 'gone.pdf') });
    expect(missing.ok || missing.error.code).toBe('INPUT_UNREADABLE');
    expect(opened).toHaveLength(1);
  });

  it('is unavailable where there is no viewer (the local host)', async () => {
    const host = createBackend({ transport: 'local-http', paths: anyPath() });
    try {
      const r = await dispatch(createHandlers(host), 'files.open', { path: join(tmp, 'report.pdf') });
      expect(r.ok || r.error.code).toBe('UNAVAILABLE');
    } finally {
      await host.close();
    }
  });
});

describe('a run of a case', () => {
  it('is reopened from the case by its key, and let go of when the case is closed', async () => {
    const created = await call('cases.create', { dir: join(tmp, 'a-case'), title: 'Calls', examiner: 'Cal Caller' });
    expect(created.ok).toBe(true);
    expect((await call('cases.importEvidence', { path: join(tmp, 'bundle'), kind: 'bundle' })).ok).toBe(true);
    expect((await call('cases.trustKey', { key: { path: join(tmp, 'log.vkey') } })).ok).toBe(true);
    const caseId = b.cases.require().caseId;
    const started = await call('verify.start', { bundle: { evidenceId: '1' }, keys: [], caseId });
    if (!started.ok) throw new Error(started.error.message);
    const runId = (started.value as { runId: string }).runId;
    await b.runs.record(runId).done;
    const key = caseRunKey(caseId, 1);
    expect(parseCaseRunKey(key)).toEqual({ caseId, runId: 1 });
    expect(parseCaseRunKey(runId)).toBeUndefined();
    const byKey = await call('verify.get', { runId: key });
    expect(byKey.ok && [(byKey.value as RunView).caseRunId, (byKey.value as RunView).run?.result.verdict]).toEqual([
      1,
      'PASS',
    ]);
    expect((await call('reports.preview', { runId: key })).ok).toBe(true);
    // Reopened in a fresh backend (a restart): the same run, from the case alone.
    const fresh = createBackend({ transport: 'local-http', paths: anyPath() });
    try {
      const fh = createHandlers(fresh);
      expect((await dispatch(fh, 'cases.open', { dir: join(tmp, 'a-case'), examiner: 'Cal Caller' })).ok).toBe(true);
      const again = await dispatch(fh, 'verify.get', { runId: key });
      expect(again.ok && (again.value as RunView).browsable).toBe(true);
      const page = await dispatch(fh, 'entries.page', { runId: key, from: 0, count: 5 });
      expect(page.ok && (page.value as { rows: unknown[] }).rows).toHaveLength(5);
    } finally {
      await fresh.close();
    }
    expect((await call('cases.close', {})).ok).toBe(true);
    for (const id of [key, runId]) {
      const gone = await call('reports.preview', { runId: id });
      expect(gone.ok || gone.error.code, id).toBe('NOT_FOUND');
    }
  }, 60_000);
});
