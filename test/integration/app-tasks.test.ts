/**
 * The app's backend keeps its main thread free: case writes, evidence import, verification runs
 * in a case with their search index, archive hashing, PDF rendering and report checks run in
 * worker threads (electron/services/case-tasks.ts), each with its own SQLite connection. Driven
 * through the same handlers as Electron IPC and the local host (dispatch), with real bundles,
 * real worker threads and a real case file; the main thread's event-loop delay is measured
 * while the work runs, against a control that runs the same index build on the main thread.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import { verifyCase } from '../../electron/case/case-verify.js';
import { buildEntryIndex, listEntrySets } from '../../electron/case/entry-index.js';
import { readJournal } from '../../electron/case/journal.js';
import { listReports } from '../../electron/case/reports.js';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { writeTar } from '../../electron/platform/tar.js';
import { CaseTasks } from '../../electron/services/case-tasks.js';
import { createBackend } from '../../electron/transport/ipc/backend.js';
import { anyPath } from '../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../../electron/transport/ipc/router.js';
import { fromBase64 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, encodeSpkiPem } from '../../shared/keys/keys.js';
import type { ArgsOf, Channel, IpcEvent, ResOf, RunView } from '../../shared/protocol/ipc.js';
import { type GeneratedBundle, generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';

/** Large enough that indexing takes seconds when done synchronously, small enough to generate quickly. */
const N = 120_000;
const tmp = makeTempDir('proofdesk-app-tasks-');
const caseDir = join(tmp, 'case');
const backend = createBackend({ transport: 'local-http', workers: 2, paths: anyPath() });
const handlers = createHandlers(backend);
const events: IpcEvent[] = [];
backend.setSink((e) => events.push(e));
let big: GeneratedBundle;
let other: GeneratedBundle;
let vkey: string;

afterAll(async () => {
  await backend.close();
  removeDir(tmp);
});

async function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResOf<C>> {
  const r = await dispatch(handlers, channel, args);
  if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
  return r.value as ResOf<C>;
}

/** Largest delay of a 10 ms timer while `work` runs: how long the main thread was blocked at most. */
async function maxLag<T>(work: () => Promise<T> | T): Promise<{ lagMs: number; value: T }> {
  let max = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 10);
    last = now;
  }, 10);
  try {
    const value = await work();
    await new Promise((r) => setTimeout(r, 30)); // let a timer blocked by the last step fire
    return { lagMs: max, value };
  } finally {
    clearInterval(timer);
  }
}

async function finished(runId: string): Promise<RunView> {
  for (const t = Date.now(); Date.now() - t < 120_000; await new Promise((r) => setTimeout(r, 20))) {
    const v = await call('verify.get', { runId });
    if (v.state !== 'running') return v;
  }
  throw new Error('run did not finish');
}

beforeAll(async () => {
  big = generateBundle(join(tmp, 'big'), N, { checkpointEvery: 50_000 });
  other = generateBundle(join(tmp, 'other'), N, { checkpointEvery: 50_000, seed: 2 });
  vkey = join(tmp, 'log.vkey');
  writeFileSync(vkey, encodeNoteVerifierKey(big.logKey.name, big.logKey.publicKey) + '\n');
  await call('cases.create', { dir: caseDir, title: 'Tasks', reference: 'T-1', examiner: 'Tess Tasks' });
  await call('cases.trustKey', { key: { path: vkey }, origin: ORIGIN });
});

describe('long work runs off the main thread', () => {
  let runId: string;

  it('a case run (import, verify, record, search index) leaves the main thread free and reports every stage', async () => {
    events.length = 0;
    const { lagMs, value: view } = await maxLag(async () => {
      runId = (await call('verify.start', { bundle: { path: big.dir }, keys: [], caseId: backend.cases.open!.caseId }))
        .runId;
      return finished(runId);
    });
    expect(view.state).toBe('done');
    expect(view.run?.result.verdict).toBe('PASS');
    expect(view.browsable).toBe(true);
    const stages = new Set(
      events.flatMap((e) => (e.type === 'run.progress' && e.runId === runId ? [e.progress.stage] : [])),
    );
    for (const s of ['import', 'verify', 'index'] as const) expect(stages).toContain(s);
    // The time shown covers every stage, the search index included: the stages follow each other
    // from the start to the end of the run, and the verification's own clock is only a part.
    const timed = view.stages!.map((s) => s.stage);
    expect(timed[0]).toBe('import');
    expect(timed.at(-1)).toBe('index');
    const total = Date.parse(view.finishedAt!) - Date.parse(view.startedAt);
    const sum = view.stages!.reduce((a, s) => a + s.ms, 0);
    expect(sum).toBeLessThanOrEqual(total + 5);
    expect(sum).toBeGreaterThan(0.8 * total - 50);
    expect(total).toBeGreaterThan(view.run!.stats.elapsedMs);
    expect(events.some((e) => e.type === 'case.changed')).toBe(true);

    // Recorded by the worker's connection; read back through the main thread's read-only one.
    const cf = backend.cases.require();
    const set = listEntrySets(cf).find((s) => s.state === 'ready');
    expect(set).toMatchObject({ entries: N, runId: 1 });
    expect(
      readJournal(cf.db)
        .map((j) => j.action)
        .slice(-3),
    ).toEqual(['run.started', 'run.finished', 'index.built']);

    // Control: the same index build on the main thread blocks it for as long as it runs.
    const w = openCase(caseDir, { actor: 'control' });
    const control = await maxLag(() => buildEntryIndex(w, set!.evidenceId, { rebuild: true }));
    w.close();
    expect(control.value.set.entries).toBe(N);
    // Relative to the control measured in the same run, so a slow or busy machine scales both.
    expect(control.lagMs).toBeGreaterThan(200);
    expect(lagMs).toBeLessThan(control.lagMs / 3);
  });

  it('searching the entries of a large run goes in short slices that continue where they stopped', async () => {
    let from = 0;
    let calls = 0;
    let found: readonly number[] = [];
    for (;;) {
      const r = await call('entries.search', { runId, query: `"seq":${N - 1},`, from, limit: 1 });
      calls++;
      expect(r.next).toBeGreaterThan(from);
      if (r.matches.length || r.next >= r.total) {
        found = r.matches;
        break;
      }
      from = r.next;
    }
    expect(found).toEqual([N - 1]);
    // Slicing is what keeps each call short; how short is machine-dependent and not asserted.
    expect(calls).toBeGreaterThan(1);
  });

  it('cancelling while the search index is built keeps the recorded run and leaves no partial index', async () => {
    events.length = 0;
    const s = await call('verify.start', { bundle: { path: other.dir }, keys: [], caseId: backend.cases.open!.caseId });
    const indexing = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.some((e) => e.type === 'run.progress' && e.runId === s.runId && e.progress.stage === 'index')) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    await indexing;
    expect(await call('verify.cancel', { runId: s.runId })).toEqual({ cancelled: true });
    const view = await finished(s.runId);
    expect(view.state).toBe('done');
    expect(view.run?.result.verdict).toBe('PASS');
    const cf = backend.cases.require();
    const evidenceId = backend.cases.view().runs.find((r) => r.id === 2)!.evidenceIds[0]!;
    expect(listEntrySets(cf).filter((x) => x.evidenceId === evidenceId)).toEqual([]);
    const rows = readJournal(cf.db);
    expect(rows.at(-1)).toMatchObject({ action: 'run.finished', subject: 'run:2' });
    expect(rows.some((r) => r.action === 'index.built' && r.details.runId === 2)).toBe(false);
    expect(verifyCase(cf).ok).toBe(true);
  });

  it('importing evidence reports its progress as events; an archive is hashed in a worker', async () => {
    events.length = 0;
    const tar = join(tmp, 'big.tar');
    const files = (
      JSON.parse(readFileSync(join(big.dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> }
    ).files.map((f) => f.path);
    writeTar(
      tar,
      ['manifest.json', ...files].map((n) => ({ name: n, source: join(big.dir, n) })),
    );
    const info = await call('evidence.inspect', { path: tar });
    expect(info).toMatchObject({
      container: 'tar',
      digestOf: 'archive',
      entryCount: N,
      digest: execFileSync('openssl', ['dgst', '-sha256', '-r', tar]).toString().slice(0, 64),
    });
    const r = await call('cases.importEvidence', { path: tar });
    expect(r.evidence).toMatchObject({ kind: 'bundle', container: 'file', digest: info.digest });
    expect(r.bundle?.digest).toBe(info.digest);
    const progress = events.filter((e) => e.type === 'case.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ task: 'import', path: tar, bytesTotal: info.sizeBytes });
    // Unusable input is still a typed error, now from a worker.
    await expect(call('cases.importEvidence', { path: join(tmp, 'nothing-here') })).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
    });
    await expect(call('evidence.inspect', { path: vkey })).rejects.toHaveProperty('code');
  });

  it('a report signed for a case run anchors the journal head, and the case records it against that head', async () => {
    const examiner = testKey('app-examiner', 'erin');
    const keyPath = join(tmp, 'erin.key');
    writeKeyFile(keyPath, sealKeyFile(examiner.seed, { name: 'Erin Examiner' }, null, '2026-11-01T00:00:00Z'));
    const pub = join(tmp, 'erin.pub');
    writeFileSync(pub, encodeSpkiPem(examiner.publicKey));
    const preview = await call('reports.preview', { runId });
    expect(JSON.stringify(preview.blocks)).toContain(backend.cases.open!.caseId);
    const head = backend.cases.require().head();
    const signed = await call('reports.sign', { runId, keyPath, outDir: join(tmp, 'report') });
    expect(signed.caseReportId).toBe(1);
    const env = JSON.parse(readFileSync(signed.attestation, 'utf8')) as { payload: string };
    const predicate = (
      JSON.parse(Buffer.from(fromBase64(env.payload)).toString('utf8')) as {
        predicate: { caseReference?: string; case: unknown };
      }
    ).predicate;
    expect(predicate.case).toEqual({
      caseId: backend.cases.open!.caseId,
      reference: 'T-1',
      runId: 1,
      journalHead: head,
    });
    expect(predicate.caseReference).toBe('T-1');
    expect(listReports(backend.cases.require())).toEqual([
      expect.objectContaining({
        id: 1,
        runId: 1,
        anchoredHead: head,
        examinerFingerprint: examiner.trusted.fingerprint,
      }),
    ]);
    const check = await call('reports.verify', { path: join(tmp, 'report'), examinerKey: { path: pub } });
    expect(check.verdict).toBe('PASS');
    expect(check.attested?.case).toEqual(predicate.case);
    expect(verifyCase(backend.cases.require())).toMatchObject({ ok: true, problems: [] });
  });

  it('threads are reused; closing stops a task still running with CANCELLED', async () => {
    const tasks = backend.tasks;
    expect(tasks.running).toBe(0);
    expect(tasks.threads).toBeLessThanOrEqual(2);
    const a = tasks.run('digest', { path: join(big.dir, 'entries.jsonl') });
    const b = tasks.run('digest', { path: join(other.dir, 'entries.jsonl') });
    const [da, db] = await Promise.all([a, b]);
    expect(da.sha256).toBe(
      execFileSync('openssl', ['dgst', '-sha256', '-r', join(big.dir, 'entries.jsonl')])
        .toString()
        .slice(0, 64),
    );
    expect(db.sha256).not.toBe(da.sha256);
    expect(tasks.threads).toBeLessThanOrEqual(2);
    const own = new CaseTasks();
    const pending = expect(own.run('digest', { path: join(big.dir, 'entries.jsonl') })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    await own.close();
    await pending;
    await expect(own.run('digest', { path: vkey })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(own.threads).toBe(0);
  });
});
