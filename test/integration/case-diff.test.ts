/**
 * `proofdesk diff A B --case <dir>`: a comparison recorded as a run of a case, on real bundles
 * written by the reference exporter (real files, worker threads, signatures, SQLite): both
 * exports imported, the case's trust store applied, the run journaled with inputs `old` / `new`,
 * the divergence verdict and findings stored and re-checked by `case verify`, the evidence files
 * written with --out-dir imported, and a divergence attestation anchored to the journal.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import type { CaseVerifyResult } from '../../electron/case/case-verify.js';
import { listEvidence } from '../../electron/case/evidence.js';
import { readJournal } from '../../electron/case/journal.js';
import { listReports } from '../../electron/case/reports.js';
import { listRuns, runResultText } from '../../electron/case/runs.js';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import type { DiffRun } from '../../shared/diff/model.js';
import { diffRunFindings } from '../../shared/diff/run-findings.js';
import { fromBase64 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { caseCli } from '../support/cli.js';
import {
  generateBundle,
  makeTempDir,
  ORIGIN,
  prng,
  removeDir,
  syntheticEvent,
  syntheticTs,
  testKey,
} from '../support/fixtures.js';

const log = testKey('log', ORIGIN);
const N = 800;
/** The exports and the key file, written once and only read by the tests. */
const tmp = makeTempDir('proofdesk-case-diff-');
/** Each test's own working directory (the CLI's cwd) and case, with the log key trusted. */
let work: string;
let caseDir: string;
let A: string;
let B: string;
let fork: string;
afterAll(() => removeDir(tmp));

const { cli } = caseCli(() => work);

/** Reads the case through a read-only handle. */
function inCase<T>(fn: (cf: ReturnType<typeof openCase>) => T): T {
  const cf = openCase(caseDir, { readonly: true });
  try {
    return fn(cf);
  } finally {
    cf.close();
  }
}

/** An export of N entries by the log key with entry 400 changed: a second history the key signed. */
function forked(): string {
  const dir = join(tmp, 'fork');
  const w = new BundleWriter({
    dir,
    origin: ORIGIN,
    logKey: { name: log.name, seed: log.seed },
    created: '2026-11-01T00:00:00Z',
  });
  const rand = prng(1);
  for (let i = 0; i < N; i++) {
    const e = syntheticEvent(i, rand);
    w.append(i === 400 ? { ...e, outcome: 'forged' } : e, syntheticTs(i));
  }
  w.finish();
  return dir;
}

beforeAll(async () => {
  A = generateBundle(join(tmp, 'a'), N).dir;
  B = generateBundle(join(tmp, 'b'), N + 300).dir;
  fork = forked();
  writeFileSync(join(tmp, 'log.vkey'), encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
});

beforeEach(async () => {
  work = makeTempDir('proofdesk-case-diff-test-');
  caseDir = join(work, 'case');
  copyFileSync(join(tmp, 'log.vkey'), join(work, 'log.vkey'));
  expect((await cli(['case', 'new', caseDir, '--title', 'Two exports', '--reference', 'CMP-1'])).code).toBe(0);
  expect((await cli(['case', 'trust', caseDir, 'log.vkey', '--origin', ORIGIN])).code).toBe(0);
});
afterEach(() => removeDir(work));

describe('diff --case', () => {
  it('records an extension as a run: inputs old/new, verdict, findings, journal; the consistency proof becomes evidence', async () => {
    const before = inCase((cf) => cf.head().seq);
    // No --trust: the case's trust store applies.
    const r = await cli(['diff', A, B, '--case', caseDir, '--workers', '2', '--out-dir', 'ext-evidence', '--json']);
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(r.out) as DiffRun;
    expect(run.result.verdict).toBe('B_EXTENDS_A');
    const { runs, evidence, journal } = inCase((cf) => ({
      runs: listRuns(cf),
      evidence: listEvidence(cf),
      journal: readJournal(cf.db, { fromSeq: before + 1 }),
    }));
    expect(runs).toHaveLength(1);
    const rec = runs[0]!;
    const resultText = inCase((cf) => runResultText(cf, rec.id));
    const id = (path: string) => evidence.find((e) => e.originalPath === path)!.id;
    expect(rec).toMatchObject({
      kind: 'diff',
      status: 'finished',
      verdict: 'B_EXTENDS_A',
      counts: { errors: 0, warnings: 0 },
    });
    expect(rec.inputs).toEqual([
      { role: 'new', evidenceId: id(B) },
      { role: 'old', evidenceId: id(A) },
    ]);
    expect(rec.trustedKeys).toEqual([
      expect.objectContaining({ fingerprint: log.trusted.fingerprint, source: 'case' }),
    ]);
    // The stored result is the comparison of the stored copies, byte for byte what --json printed.
    expect(JSON.parse(resultText!)).toEqual(run.result);
    // The consistency proof written to --out-dir is now evidence, labelled with its run.
    const proof = evidence.find((e) => e.label === `run #${rec.id}: consistency-${N}-${N + 300}.proof`);
    expect(proof).toMatchObject({
      kind: 'other',
      container: 'file',
      size: Buffer.byteLength(run.result.consistency!.file),
    });
    expect(readFileSync(join(work, 'ext-evidence', `consistency-${N}-${N + 300}.proof`), 'utf8')).toBe(
      run.result.consistency!.file,
    );
    expect(journal.map((j) => [j.action, j.subject])).toEqual([
      ['evidence.imported', `evidence:${id(A)}`],
      ['evidence.imported', `evidence:${id(B)}`],
      ['run.started', `run:${rec.id}`],
      ['run.finished', `run:${rec.id}`],
      ['evidence.imported', `evidence:${proof!.id}`],
    ]);
    expect(journal[3]!.details).toMatchObject({
      status: 'finished',
      verdict: 'B_EXTENDS_A',
      resultDigest: rec.resultDigest,
    });
    const v = JSON.parse((await cli(['case', 'verify', caseDir, '--json'])).out) as CaseVerifyResult;
    expect(v).toMatchObject({ ok: true, problems: [] });
  });

  it('records a fork with its findings, imports the proof of misbehaviour, and anchors the signed attestation', async () => {
    writeKeyFile(
      join(work, 'examiner.key'),
      sealKeyFile(testKey('examiner').seed, { name: 'Jane Examiner' }, null, '2026-11-01T00:00:00Z'),
    );
    const att = join(work, 'fork.dsse.json');
    // Export A already in the case, named as "#<id>"; the fork by path.
    expect((await cli(['case', 'import', caseDir, A])).code).toBe(0);
    const aId = inCase((cf) => listEvidence(cf).find((e) => e.originalPath === A)!.id);
    const r = await cli([
      'diff',
      `#${aId}`,
      fork,
      '--case',
      caseDir,
      '--workers',
      '2',
      '--out-dir',
      'fork-evidence',
      '--sign-key',
      'examiner.key',
      '--attestation',
      att,
      '--json',
    ]);
    expect(r.code, r.err).toBe(1);
    const run = JSON.parse(r.out) as DiffRun;
    expect(run.result.verdict).toBe('FORKED');
    const { runs, evidence, reports, journal } = inCase((cf) => ({
      runs: listRuns(cf),
      evidence: listEvidence(cf),
      reports: listReports(cf),
      journal: readJournal(cf.db),
    }));
    expect(runs).toHaveLength(1);
    const rec = runs[0]!;
    const findings = inCase(
      (cf) =>
        cf.db.prepare('SELECT code, file, entry FROM findings WHERE run_id = ? ORDER BY ordinal').all(rec.id) as Array<{
          code: string;
          file: string | null;
          entry: number | null;
        }>,
    );
    expect(rec).toMatchObject({ kind: 'diff', verdict: 'FORKED', counts: { errors: 2, warnings: 0 } });
    expect(rec.inputs.map((i) => i.role).sort()).toEqual(['new', 'old']);
    expect(rec.inputs.find((i) => i.role === 'old')!.evidenceId).toBe(aId);
    expect(findings.map((f) => f.code)).toEqual(['CHECKPOINT_CONFLICT', 'HISTORY_DIVERGES']);
    expect(findings.map((f) => [f.code, f.file, f.entry])).toEqual(
      diffRunFindings(run.result).map((f) => [f.code, f.location.file ?? null, f.location.entry ?? null]),
    );
    const proof = evidence.find((e) => e.label === `run #${rec.id}: misbehaviour-${N}-${N}.proof`)!;
    expect(proof.digest).toBe(run.result.misbehaviour!.sha256);
    // The attestation carries the head after the proof's import; the case records it as a report of the run.
    const env = JSON.parse(readFileSync(att, 'utf8')) as { payload: string };
    const st = JSON.parse(Buffer.from(fromBase64(env.payload)).toString('utf8')) as {
      predicate: {
        verdict: string;
        caseReference?: string;
        case: { caseId: string; runId: number; journalHead: { seq: number; hash: string } };
      };
    };
    const signedRow = journal.at(-1)!;
    expect(signedRow.action).toBe('report.signed');
    expect(st.predicate).toMatchObject({
      verdict: 'FORKED',
      caseReference: 'CMP-1',
      case: { runId: rec.id, journalHead: { seq: signedRow.seq - 1, hash: journal.at(-2)!.hash } },
    });
    expect(journal.at(-2)!.details).toMatchObject({ evidenceId: proof.id });
    expect(reports.at(-1)).toMatchObject({
      runId: rec.id,
      anchoredHead: st.predicate.case.journalHead,
      files: [
        expect.objectContaining({
          role: 'attestation',
          path: expect.stringMatching(/^reports\/[0-9a-f]{64}\/fork\.dsse\.json$/),
        }),
      ],
    });
    // The case keeps its own copy of the attestation; the journal names where it came from.
    expect(readFileSync(join(caseDir, reports.at(-1)!.files[0]!.path)).equals(readFileSync(att))).toBe(true);
    expect((signedRow.details as { files: Array<{ originalPath: string }> }).files[0]!.originalPath).toBe(att);
    const v = JSON.parse((await cli(['case', 'verify', caseDir, '--json'])).out) as CaseVerifyResult;
    expect(v).toMatchObject({ ok: true, problems: [] });
    // case verify re-derives a diff run's findings from its digested result: a dropped row shows.
    const copy = join(work, 'case-copy');
    cpSync(caseDir, copy, { recursive: true });
    const db = new Database(join(copy, 'case.sqlite'));
    db.exec('DROP TRIGGER findings_no_delete');
    db.prepare('DELETE FROM findings WHERE run_id = ? AND ordinal = 1').run(rec.id);
    db.close();
    const t = JSON.parse((await cli(['case', 'verify', copy, '--json'])).out) as CaseVerifyResult;
    expect(t.problems.map((p) => [p.code, p.location.table, p.location.id])).toEqual([
      ['RECORD_MISMATCH', 'findings', rec.id],
    ]);
  });

  it('refuses exports of different logs before touching the case, and needs trust for the origin', async () => {
    const other = generateBundle(join(work, 'other-log'), 10, { origin: 'example.org/other-log' }).dir;
    const rows = inCase((cf) => cf.head().seq);
    expect((await cli(['diff', A, other, '--case', caseDir, '--workers', '2'])).code).toBe(2);
    const fresh = join(work, 'fresh-case');
    expect((await cli(['case', 'new', fresh, '--title', 'No keys'])).code).toBe(0);
    expect((await cli(['diff', A, B, '--case', fresh, '--workers', '2'])).code).toBe(2);
    expect(inCase((cf) => cf.head().seq)).toBe(rows);
    expect((await cli(['diff', A, B])).code).toBe(2); // without a case, --trust is still required
  });
});
