/**
 * Concurrent readers while a run writes (WAL): a child process records a verification run,
 * builds the entry index in many transactions and imports files, while this process reads the
 * same case file in a loop. Every read transaction sees a consistent snapshot — the journal
 * chain verifies and every record matches its journal row at every moment — readers never
 * wait for the writer, a held read transaction keeps its snapshot while the writer commits,
 * and a half-built index is never searched.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseFile, createCase, openCase } from '../../electron/case/case.js';
import { verifyCase } from '../../electron/case/case-verify.js';
import { listEntrySets } from '../../electron/case/entry-index.js';
import { queryEntries } from '../../electron/case/query.js';
import { listRuns } from '../../electron/case/runs.js';
import { trustKey } from '../../electron/case/trust.js';
import { type GeneratedBundle, generateBundle, makeTempDir, ORIGIN, removeDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const CHILD = join(REPO_ROOT, 'test', 'integration', 'case-wal.child.ts');
const tmp = makeTempDir('proofdesk-wal-');
let b: GeneratedBundle;
beforeAll(() => {
  b = generateBundle(join(tmp, 'bundle'), 40_000, { checkpointEvery: 10_000 });
});
afterAll(() => removeDir(tmp));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs fn inside one read transaction: one consistent snapshot. */
function snapshot<T>(cf: CaseFile, fn: () => T): T {
  cf.db.exec('BEGIN');
  try {
    return fn();
  } finally {
    cf.db.exec('COMMIT');
  }
}

describe('WAL: readers during a writing run', () => {
  it('see consistent snapshots, never block, and never search a half-built index', async () => {
    const dir = join(tmp, 'case');
    const setup = createCase(dir, { title: 'wal test' }, { actor: 'examiner' });
    trustKey(setup, { publicKey: b.logKey.publicKey, keyName: b.logKey.name, label: 'log', origin: ORIGIN });
    setup.close();
    const files = [0, 1, 2].map((i) => {
      const f = join(tmp, `note-${i}.txt`);
      writeFileSync(f, `note ${i}\n`);
      return f;
    });

    const reader = openCase(dir, { readonly: true });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, JSON.stringify({ caseDir: dir, bundle: b.dir, files })],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let running = true;
    void exited.then(() => (running = false));

    const heads = new Set<number>();
    let reads = 0;
    let slowest = 0;
    let sawBuilding = false;
    let heldAcrossCommit = false;
    let lastHead = 0;
    while (running) {
      const t0 = performance.now();
      const v = snapshot(reader, () => {
        const r = verifyCase(reader);
        const sets = listEntrySets(reader);
        const q = queryEntries(reader, { text: 'actor:bob@example.com', limit: 1 });
        return { r, sets, q, runs: listRuns(reader) };
      });
      slowest = Math.max(slowest, performance.now() - t0);
      reads++;
      // Consistent at every moment: only informational notes (a run in progress, a live import's staging).
      expect(v.r.problems.filter((p) => p.severity !== 'info')).toEqual([]);
      expect(v.r.journal.head.seq).toBeGreaterThanOrEqual(lastHead);
      lastHead = v.r.journal.head.seq;
      heads.add(lastHead);
      const building = v.sets.find((s) => s.state === 'building');
      if (building) {
        sawBuilding = true;
        expect(v.q.searched).toEqual([]);
        expect(v.q.notIndexed).toEqual([building.evidenceId]);
      }
      // Hold one read transaction while the writer commits: the snapshot does not move.
      if (!heldAcrossCommit && building) {
        reader.db.exec('BEGIN');
        const before = reader.head();
        const rowsBefore = (
          reader.db.prepare(`SELECT count(*) AS n FROM derived_entries_${building.id}`).get() as { n: number }
        ).n;
        await sleep(250);
        expect(reader.head()).toEqual(before);
        expect(
          (reader.db.prepare(`SELECT count(*) AS n FROM derived_entries_${building.id}`).get() as { n: number }).n,
        ).toBe(rowsBefore);
        reader.db.exec('COMMIT');
        const rowsAfter = reader.db.prepare(`SELECT count(*) AS n FROM derived_entries_${building.id}`).get() as
          | { n: number }
          | undefined;
        heldAcrossCommit = rowsAfter === undefined || rowsAfter.n > rowsBefore || reader.head().seq > before.seq;
      }
      await sleep(5);
    }
    expect(await exited, err).toBe(0);
    expect(out).toContain('DONE');

    // The reader saw the case change under it, without ever waiting for the writer.
    expect(reads).toBeGreaterThan(5);
    expect(heads.size).toBeGreaterThan(1);
    expect(sawBuilding).toBe(true);
    expect(heldAcrossCommit).toBe(true);
    expect(slowest).toBeLessThan(2000);

    const final = verifyCase(reader);
    expect(final.problems).toEqual([]);
    expect(listEntrySets(reader)[0]).toMatchObject({ state: 'ready', entries: 40_000 });
    expect(listRuns(reader)[0]).toMatchObject({ status: 'finished', verdict: 'PASS' });
    expect(queryEntries(reader, { text: 'actor:bob@example.com', limit: 1 }).hits).toHaveLength(1);
    reader.close();
  });
});
