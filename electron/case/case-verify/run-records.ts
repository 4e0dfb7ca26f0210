/**
 * Step 2 of `case verify` for runs: each run against its run.started and run.finished rows, the
 * digest of its stored result, and its findings rows against that result.
 */
import type { DiffResult } from '../../../shared/diff/model.js';
import { diffRunFindings } from '../../../shared/diff/run-findings.js';
import type { CaseFile } from '../case-file.js';
import { DIFF_RUN_KIND, listRuns, type RunRecord, resultDigest, runResultText, VERIFY_RUN_KIND } from '../runs.js';
import { checkAgainst, compareFields, type Journaled, journaledRows, OrphanRows } from './journal-rows.js';
import type { Problems } from './problems.js';

export function checkRunRecords(P: Problems, cf: CaseFile): void {
  const runs = listRuns(cf);
  checkAgainst(
    P,
    'runs',
    runs,
    cf.db,
    'run.started',
    (d) => d.runId as number,
    (r, j) => {
      const inputs = (j.details.inputs as Array<{ role: string; evidenceId: number }> | undefined) ?? [];
      compareFields(P, 'runs', r.id, j.seq, [
        ['kind', r.kind, j.details.kind],
        ['start_seq', r.startSeq, j.seq],
        [
          'inputs',
          JSON.stringify(r.inputs.map((i) => `${i.role}:${i.evidenceId}`).sort()),
          JSON.stringify(inputs.map((i) => `${i.role}:${i.evidenceId}`).sort()),
        ],
      ]);
    },
  );
  const finished = finishRows(P, cf.db, runs);
  for (const r of runs) {
    const j = finished.get(r.id);
    if (j) checkRunEnd(P, cf, r, j);
    else if (r.status === 'running') P.add('RUN_INCOMPLETE', { table: 'runs', id: r.id }, `run #${r.id} has not ended`);
    else
      P.add(
        'RECORD_UNJOURNALED',
        { table: 'runs', id: r.id },
        `run #${r.id} is ${r.status} but the journal has no run.finished row for it`,
      );
  }
}

/** The run.finished row of each run (the last one naming it); rows naming no run are reported. */
function finishRows(P: Problems, db: CaseFile['db'], runs: readonly RunRecord[]): Map<number, Journaled> {
  const runIds = new Set(runs.map((r) => r.id));
  const finished = new Map<number, Journaled>();
  const orphanFinish = new OrphanRows();
  for (const j of journaledRows(db, 'run.finished')) {
    const runId = j.details.runId as number;
    if (runIds.has(runId)) finished.set(runId, j);
    else if (orphanFinish.first(runId))
      P.add(
        'RECORD_MISMATCH',
        { table: 'runs', id: runId, journalSeq: j.seq },
        `journal row ${j.seq} ends run #${runId}, which is not in the case`,
      );
  }
  return finished;
}

/** An ended run against its run.finished row; a finished one's stored result against its digest. */
function checkRunEnd(P: Problems, cf: CaseFile, r: RunRecord, j: Journaled): void {
  compareFields(P, 'runs', r.id, j.seq, [
    ['status', r.status, j.details.status],
    ['verdict', r.verdict, j.details.verdict],
    ['result_digest', r.resultDigest, j.details.resultDigest],
    ['finish_seq', r.finishSeq, j.seq],
  ]);
  const text = runResultText(cf, r.id);
  if (r.status !== 'finished') return;
  const actual = text === undefined ? null : resultDigest(text);
  if (actual !== j.details.resultDigest) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'runs', id: r.id, journalSeq: j.seq },
      `run #${r.id}: the stored result does not have the digest the journal recorded`,
      j.details.resultDigest as string,
      actual,
    );
  } else if (text !== undefined) checkFindings(P, cf, r.id, j.seq, r.kind, text);
}

/**
 * The findings rows of a run against the findings of its digested result: a verify run's
 * result lists them; a diff run's are derived from its result (diffRunFindings). Other kinds
 * are not checked.
 */
function checkFindings(P: Problems, cf: CaseFile, runId: number, seq: number, kind: string, resultText: string): void {
  let expected: Array<{ code: string; location?: { entry?: number } }> = [];
  try {
    const result = JSON.parse(resultText) as unknown;
    if (kind === VERIFY_RUN_KIND) expected = (result as { findings?: typeof expected }).findings ?? [];
    else if (kind === DIFF_RUN_KIND) expected = diffRunFindings(result as DiffResult);
    else return;
  } catch {
    return; // a result that does not parse does not have its journaled digest either (reported above)
  }
  const rows = cf.db
    .prepare('SELECT ordinal, code, entry FROM findings WHERE run_id = ? ORDER BY ordinal')
    .all(runId) as Array<{ ordinal: number; code: string; entry: number | null }>;
  if (rows.length !== expected.length) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'findings', id: runId, journalSeq: seq },
      `run #${runId} has ${rows.length} findings rows; its result lists ${expected.length}`,
      expected.length,
      rows.length,
    );
    return;
  }
  rows.forEach((r, i) => {
    const f = expected[i]!;
    if (r.ordinal !== i || r.code !== f.code || r.entry !== (f.location?.entry ?? null)) {
      P.add(
        'RECORD_MISMATCH',
        { table: 'findings', id: runId, journalSeq: seq },
        `run #${runId} finding ${i} is ${r.code} at entry ${r.entry}; its result says ${f.code} at entry ${f.location?.entry ?? null}`,
        f.code,
        r.code,
      );
    }
  });
}
