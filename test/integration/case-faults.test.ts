/**
 * One case under faults and concurrent use, with real processes (`proofdesk` from source, and
 * children that stop inside an operation and are SIGKILLed there):
 *   - two `verify --case` of one bundle at once both finish (one builds the search index, the
 *     other waits for it), with no internal error;
 *   - a second `case index --rebuild` while one runs is refused with CASE_BUSY, a plain
 *     `case index` waits for it, and queries during the rebuild always see a whole index;
 *   - `case new` killed at each step leaves either no case or the whole case, and can be run
 *     again; a folder an older interrupted creation left is replaced;
 *   - an export killed half-way leaves staging that the next writable open removes;
 *   - the app (its backend, with a case open) and the CLI write one case at the same time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../electron/case/case.js';
import { verifyCase } from '../../electron/case/case-verify.js';
import { migrate, openDatabase, useWal } from '../../electron/case/db.js';
import { listEntrySets } from '../../electron/case/entry-index.js';
import { listEvidence } from '../../electron/case/evidence.js';
import { readJournal } from '../../electron/case/journal.js';
import { queryEntries } from '../../electron/case/query.js';
import { listRuns } from '../../electron/case/runs.js';
import { createBackend } from '../../electron/transport/ipc/backend.js';
import { anyPath } from '../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../../electron/transport/ipc/router.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type GeneratedBundle, generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const ENTRY = join(REPO_ROOT, 'test', 'support', 'cli-entry.ts');
const CHILD = join(REPO_ROOT, 'test', 'integration', 'case-faults.child.ts');
const tmp = makeTempDir('proofdesk-faults-');
let big: GeneratedBundle;
let small: GeneratedBundle;
let logKey: string;
let n = 0;
const nextDir = () => join(tmp, `case-${++n}`);

beforeAll(() => {
  big = generateBundle(join(tmp, 'big'), 150_000, { checkpointEvery: 50_000, seed: 3 });
  small = generateBundle(join(tmp, 'small'), 3_000, { checkpointEvery: 1_000, seed: 4 });
  logKey = join(tmp, 'log.vkey');
  writeFileSync(logKey, `${encodeNoteVerifierKey(big.logKey.name, big.logKey.publicKey)}\n`);
}, 120_000);
afterAll(() => removeDir(tmp));

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function proofdesk(args: readonly string[]): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PROOFDESK_EXAMINER: 'Racer' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Ran>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
  return { child, done };
}

/** A stack trace in what a command printed: an internal error escaped. */
const STACK = /\n\s+at .+:\d+:\d+\)?/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined, ms = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function readOnly<T>(dir: string, fn: (cf: ReturnType<typeof openCase>) => T): T {
  const cf = openCase(dir, { readonly: true });
  try {
    return fn(cf);
  } finally {
    cf.close();
  }
}

/** Runs the child until it announces STOP, then SIGKILLs it; resolves with the steps it passed. */
function killAt(o: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(o)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('STOP')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended with ${code ?? signal} before the kill: ${out} ${err}`));
    });
  });
}

describe('concurrent writers on one case', () => {
  it('two verify --case of one bundle at once: both runs recorded, one index, no internal error', async () => {
    const dir = nextDir();
    createCase(dir, { title: 'Race' }).close();
    const args = ['verify', big.dir, '--case', dir, '--trust', logKey, '--json'];
    const [a, b] = await Promise.all([proofdesk(args).done, proofdesk(args).done]);
    for (const r of [a, b]) {
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toMatch(STACK);
    }
    readOnly(dir, (cf) => {
      const runs = listRuns(cf);
      expect(runs.map((r) => [r.kind, r.status, r.verdict])).toEqual([
        ['verify', 'finished', 'PASS'],
        ['verify', 'finished', 'PASS'],
      ]);
      expect(listEvidence(cf).filter((e) => e.kind === 'bundle')).toHaveLength(1);
      const sets = listEntrySets(cf);
      expect(sets.map((s) => [s.state, s.entries])).toEqual([['ready', big.count]]);
      expect(verifyCase(cf).problems.filter((f) => f.severity === 'error')).toEqual([]);
    });
  }, 240_000);

  it('a second rebuild is refused, a plain index waits, and queries during the rebuild see a whole index', async () => {
    const dir = nextDir();
    createCase(dir, { title: 'Rebuild' }).close();
    const first = await proofdesk(['verify', big.dir, '--case', dir, '--trust', logKey]).done;
    expect(first.code, first.err).toBe(0);
    const expected = readOnly(dir, (cf) => queryEntries(cf, { text: 'denied', count: true, limit: 5 }).total!);
    expect(expected).toBeGreaterThan(1000);

    const rebuild = proofdesk(['case', 'index', dir, '#1', '--rebuild']);
    const builder = await until('the rebuild to start', () =>
      readOnly(dir, (cf) => listEntrySets(cf).find((s) => s.state === 'building')),
    );
    expect(builder.evidenceId).toBe(1);
    const second = proofdesk(['case', 'index', dir, '#1', '--rebuild', '--json']);
    const plain = proofdesk(['case', 'index', dir, '#1', '--json']);
    // Queries while the new index is built and swapped in: always the whole old or new index.
    let queries = 0;
    let building = true;
    const ro = openCase(dir, { readonly: true });
    try {
      const rebuilt = rebuild.done.then((r) => {
        building = false;
        return r;
      });
      while (building) {
        const q = queryEntries(ro, { text: 'denied', count: true, limit: 5 });
        expect(q.total).toBe(expected);
        expect(q.notIndexed).toEqual([]);
        queries++;
        await sleep(5);
      }
      const r = await rebuilt;
      expect(r.code, r.err).toBe(0);
      expect(queryEntries(ro, { text: 'denied', count: true }).total).toBe(expected);
    } finally {
      ro.close();
    }
    expect(queries).toBeGreaterThan(3);
    const refused = await second.done;
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/being built by process/);
    expect(refused.err).not.toMatch(STACK);
    const waited = await plain.done;
    expect(waited.code, waited.err).toBe(0);
    expect((JSON.parse(waited.out) as { reused: boolean }).reused).toBe(true);
    readOnly(dir, (cf) => {
      expect(listEntrySets(cf).map((s) => [s.state, s.entries])).toEqual([['ready', big.count]]);
      // Every table of a replaced index is gone: one entries table and one FTS table remain.
      const tables = (
        cf.db.prepare("SELECT name FROM sqlite_master WHERE name GLOB 'derived_*_[0-9]*' AND type = 'table'").all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      expect(tables.filter((t) => /^derived_(entries|fts)_\d+$/.test(t))).toHaveLength(2);
    });
  }, 240_000);

  it('the app (a case open in its backend) and the CLI write the same case at once', async () => {
    const dir = nextDir();
    createCase(dir, { title: 'Shared' }).close();
    const b = createBackend({ transport: 'local-http', workers: 1, paths: anyPath() });
    const h = createHandlers(b);
    try {
      await b.cases.openDir(dir);
      const imported = await dispatch(h, 'cases.importEvidence', { path: small.dir });
      expect(imported.ok).toBe(true);
      const trusted = await dispatch(h, 'cases.trustKey', { key: { path: logKey } });
      expect(trusted.ok).toBe(true);
      const cli = proofdesk(['verify', big.dir, '--case', dir, '--json']);
      const started = await dispatch(h, 'verify.start', {
        bundle: { evidenceId: '1' },
        keys: [],
        caseId: b.cases.require().caseId,
      });
      if (!started.ok) throw new Error(started.error.message);
      const runId = (started.value as { runId: string }).runId;
      await until('the app run to end', () => (b.runs.view(runId).state === 'running' ? undefined : true));
      expect(b.runs.view(runId).run?.result.verdict).toBe('PASS');
      const r = await cli.done;
      expect(r.code, r.err).toBe(0);
      const view = b.cases.view();
      expect(view.runs.map((x) => x.status)).toEqual(['finished', 'finished']);
      expect(view.evidence.filter((e) => e.kind === 'bundle')).toHaveLength(2);
    } finally {
      await b.close();
    }
    readOnly(dir, (cf) => expect(verifyCase(cf).problems.filter((f) => f.severity === 'error')).toEqual([]));
  }, 240_000);
});

describe('case new killed at each step', () => {
  for (const stop of ['staging', 'database', 'recorded', 'synced', 'placed'] as const) {
    it(`at "${stop}": no half case; it can be created (or opened) after`, async () => {
      const parent = join(tmp, `new-${stop}`);
      mkdirSync(parent);
      const dir = join(parent, 'case');
      // Half of the runs create into a folder the examiner made empty beforehand.
      if (stop === 'database' || stop === 'synced') mkdirSync(dir);
      const steps = await killAt({ op: 'create', dir, stop });
      expect(steps).toContain(`STEP ${stop}`);
      if (stop === 'placed') {
        readOnly(dir, (cf) => {
          expect(readJournal(cf.db).map((r) => r.action)).toEqual(['case.created']);
          expect(verifyCase(cf).problems.filter((f) => f.severity === 'error')).toEqual([]);
        });
      } else {
        // Not a case, and never a half one: absent, or the empty folder it was.
        expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
        expect(() => openCase(dir)).toThrow(ProofdeskError);
        const cf = createCase(dir, { title: 'Again' });
        expect(readJournal(cf.db).map((r) => r.action)).toEqual(['case.created']);
        cf.close();
      }
      // The dead creation's building folder is gone (removed by the next creation or never left).
      if (stop !== 'placed') expect(readdirSync(parent)).toEqual(['case']);
    }, 60_000);
  }

  it('a folder an older, interrupted creation left behind is replaced by case new; opening it says so', () => {
    const dir = join(tmp, 'legacy');
    mkdirSync(join(dir, 'evidence'), { recursive: true });
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'case.sqlite'), '');
    expect(() => openCase(dir)).toThrow(/case new/);
    createCase(dir, { title: 'Replaced' }).close();
    // Interrupted after the schema but before the case record: also no case.
    const dir2 = join(tmp, 'legacy-2');
    mkdirSync(dir2);
    const db = openDatabase(join(dir2, 'case.sqlite'));
    useWal(db, join(dir2, 'case.sqlite'));
    migrate(db);
    db.close();
    createCase(dir2, { title: 'Replaced too' }).close();
    // A folder with anything else in it is never cleared.
    const dir3 = join(tmp, 'not-empty');
    mkdirSync(dir3);
    writeFileSync(join(dir3, 'notes.txt'), 'mine');
    expect(() => createCase(dir3, { title: 'No' })).toThrow(/not empty/);
    expect(readdirSync(dir3)).toEqual(['notes.txt']);
  });
});

describe('case export killed half-way', () => {
  it('leaves staging the next writable open removes (journaled)', async () => {
    const dir = nextDir();
    createCase(dir, { title: 'Export' }).close();
    await killAt({ op: 'export', dir, out: join(tmp, 'export.tar'), stop: 'snapshot' });
    const left = readdirSync(join(dir, 'tmp'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^export-/);
    readOnly(dir, (cf) =>
      expect(verifyCase(cf).problems.map((f) => f.code)).toEqual(expect.arrayContaining(['LEFTOVER_STAGING'])),
    );
    const cf = openCase(dir);
    try {
      const recovered = readJournal(cf.db).find((r) => r.action === 'case.recovered');
      expect(recovered?.details.removedStaging).toEqual(left);
    } finally {
      cf.close();
    }
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    readOnly(dir, (ro) => expect(verifyCase(ro).problems.map((f) => f.code)).not.toContain('LEFTOVER_STAGING'));
  }, 60_000);
});
