/**
 * Runs recorded in a case: verification and diff runs with their parameters, the
 * trust material used, verdict, counts, the full result, its findings and coverage
 * (docs/case-file.md §6). A run is written twice: at its start (row with status 'running' and
 * a run.started journal row) and at its end (status, result and a run.finished journal row
 * carrying the SHA-256 of the canonical result). After that the row is immutable (trigger).
 */
import { toHex } from '../../shared/encoding/bytes.js';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { Finding } from '../../shared/verdict/findings.js';
import type { Coverage, VerificationRun } from '../../shared/verdict/result.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { TOOL_VERSION } from '../platform/version.js';
import type { CaseFile } from './case-file.js';
import type { JsonObject } from './custody.js';
import { nextId } from './db.js';
import { getEvidence } from './evidence.js';
import { ownerDead, ownerId } from './owner.js';

export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled';

/** Run kinds: a verification (case-run.ts) and a comparison of two exports (case-diff.ts). */
export const VERIFY_RUN_KIND = 'verify';
export const DIFF_RUN_KIND = 'diff';

export interface RunInput {
  /** 'bundle' for verify; 'old' / 'new' for diff; 'key' for a trust file used ad hoc. */
  readonly role: string;
  readonly evidenceId: number;
}

export interface StartRun {
  readonly kind: string;
  readonly inputs: readonly RunInput[];
  readonly parameters: JsonObject;
  /** The trust material as used (fingerprints, windows, where each came from). */
  readonly trustedKeys: readonly JsonObject[];
}

export type RunOutcome =
  | {
      readonly status: 'finished';
      readonly verdict: string;
      /** The run's result; stored as canonical JSON and digested. Must not contain timings. */
      readonly result: unknown;
      readonly findings: readonly Finding[];
      readonly coverage?: Coverage;
      readonly counts: RunCounts;
      /** Timings and machine facts: stored beside the result, not part of its digest. */
      readonly stats?: unknown;
    }
  | { readonly status: 'failed' | 'cancelled'; readonly error: string };

export interface RunCounts {
  readonly entries?: number;
  readonly verified?: number;
  readonly failed?: number;
  readonly unverifiable?: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface RunRecord {
  readonly id: number;
  readonly kind: string;
  readonly status: RunStatus;
  readonly toolVersion: string;
  readonly parameters: JsonObject;
  readonly trustedKeys: readonly JsonObject[];
  readonly inputs: readonly RunInput[];
  readonly startedAt: string;
  readonly startedBy: string;
  readonly finishedAt: string | null;
  readonly verdict: string | null;
  readonly counts: RunCounts | null;
  readonly resultDigest: string | null;
  readonly error: string | null;
  readonly startSeq: number;
  readonly finishSeq: number | null;
}

/** Records the start of a run. Returns its id. */
export function startRun(cf: CaseFile, s: StartRun): number {
  return cf.write(() => {
    const id = nextId(cf.db, 'runs');
    const inputs = s.inputs.map((i) => {
      const e = getEvidence(cf, i.evidenceId);
      if (!e) throw new ProofdeskError('USAGE', `no evidence #${i.evidenceId} in this case`);
      return { role: i.role, evidenceId: e.id, digest: e.digest };
    });
    const at = cf.now();
    const j = cf.journal(
      {
        action: 'run.started',
        details: {
          runId: id,
          kind: s.kind,
          inputs,
          parameters: s.parameters,
          trustedKeys: s.trustedKeys,
          toolVersion: TOOL_VERSION,
        },
      },
      at,
    );
    cf.db
      .prepare(
        'INSERT INTO runs (id, kind, status, tool_version, parameters, trusted_keys, runner, started_at, started_by, start_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        s.kind,
        'running',
        TOOL_VERSION,
        canonicalJson(s.parameters),
        canonicalJson(s.trustedKeys),
        ownerId(),
        at,
        cf.actor,
        j.seq,
      );
    const ins = cf.db.prepare('INSERT INTO run_inputs (run_id, role, evidence_id) VALUES (?, ?, ?)');
    for (const i of inputs) ins.run(id, i.role, i.evidenceId);
    return id;
  });
}

/** SHA-256 (hex) of the canonical JSON of a result: the value journaled in run.finished. */
export function resultDigest(resultJson: string): string {
  return toHex(nodeSha256(Buffer.from(resultJson, 'utf8')));
}

/** Records the end of a run: status, result, findings and coverage, and the run.finished journal row. */
export function finishRun(cf: CaseFile, runId: number, o: RunOutcome): void {
  cf.write(() => {
    const row = cf.db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: RunStatus } | undefined;
    if (!row) throw new ProofdeskError('INTERNAL', `no run #${runId}`);
    if (row.status !== 'running') throw new ProofdeskError('USAGE', `run #${runId} has already ended (${row.status})`);
    const at = cf.now();
    switch (o.status) {
      case 'finished': {
        const resultJson = canonicalJson(o.result);
        const digest = resultDigest(resultJson);
        const j = cf.journal(
          {
            action: 'run.finished',
            details: {
              runId,
              status: 'finished',
              verdict: o.verdict,
              resultDigest: digest,
              counts: countsJson(o.counts),
              error: null,
            },
          },
          at,
        );
        cf.db
          .prepare(
            'UPDATE runs SET status = ?, finished_at = ?, verdict = ?, entries = ?, verified = ?, failed = ?, unverifiable = ?, errors = ?, warnings = ?, result = ?, result_digest = ?, stats = ?, finish_seq = ? WHERE id = ?',
          )
          .run(
            'finished',
            at,
            o.verdict,
            o.counts.entries ?? null,
            o.counts.verified ?? null,
            o.counts.failed ?? null,
            o.counts.unverifiable ?? null,
            o.counts.errors,
            o.counts.warnings,
            resultJson,
            digest,
            o.stats === undefined ? null : JSON.stringify(o.stats),
            j.seq,
            runId,
          );
        insertFindings(cf, runId, o.findings);
        if (o.coverage) {
          const ins = cf.db.prepare(
            'INSERT INTO run_coverage (run_id, from_idx, to_idx, status, reason) VALUES (?, ?, ?, ?, ?)',
          );
          for (const r of o.coverage.ranges) ins.run(runId, r.from, r.to, r.status, r.reason);
        }
        return;
      }
      case 'failed':
      case 'cancelled': {
        const j = cf.journal(
          {
            action: 'run.finished',
            details: { runId, status: o.status, verdict: null, resultDigest: null, counts: {}, error: o.error },
          },
          at,
        );
        cf.db
          .prepare('UPDATE runs SET status = ?, finished_at = ?, error = ?, finish_seq = ? WHERE id = ?')
          .run(o.status, at, o.error, j.seq, runId);
        return;
      }
      default:
        return assertNeverOutcome(o);
    }
  });
}

function assertNeverOutcome(x: never): never {
  throw new ProofdeskError('INTERNAL', `unknown run outcome ${JSON.stringify(x)}`);
}

function countsJson(c: RunCounts): JsonObject {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) if (typeof v === 'number') out[k] = v;
  return out;
}

function insertFindings(cf: CaseFile, runId: number, findings: readonly Finding[]): void {
  const ins = cf.db.prepare(
    'INSERT INTO findings (run_id, ordinal, code, severity, file, entry, byte_offset, checkpoint_size, json_path, range_from, range_to, message, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  findings.forEach((f, i) => {
    const l = f.location;
    ins.run(
      runId,
      i,
      f.code,
      f.severity,
      l.file ?? null,
      l.entry ?? null,
      l.offset ?? null,
      l.checkpointSize ?? null,
      l.path ?? null,
      l.range?.[0] ?? null,
      l.range?.[1] ?? null,
      f.message,
      f.evidence ? canonicalJson(f.evidence) : null,
    );
  });
}

/** The outcome of a finished verification run, in the form finishRun stores. */
export function verifyOutcome(run: VerificationRun): RunOutcome {
  const r = run.result;
  return {
    status: 'finished',
    verdict: r.verdict,
    result: r,
    findings: r.findings,
    coverage: r.coverage,
    counts: {
      entries: r.bundle.entryCount,
      verified: r.coverage.verified,
      failed: r.coverage.failed,
      unverifiable: r.coverage.unverifiable,
      errors: r.findings.filter((f) => f.severity === 'error').length,
      warnings: r.findings.filter((f) => f.severity === 'warning').length,
    },
    stats: run.stats,
  };
}

interface RunRow {
  id: number;
  kind: string;
  status: RunStatus;
  tool_version: string;
  parameters: string;
  trusted_keys: string;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  verdict: string | null;
  entries: number | null;
  verified: number | null;
  failed: number | null;
  unverifiable: number | null;
  errors: number | null;
  warnings: number | null;
  result_digest: string | null;
  error: string | null;
  start_seq: number;
  finish_seq: number | null;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRecord(cf: CaseFile, r: RunRow): RunRecord {
  const inputs = (
    cf.db
      .prepare('SELECT role, evidence_id FROM run_inputs WHERE run_id = ? ORDER BY role, evidence_id')
      .all(r.id) as Array<{ role: string; evidence_id: number }>
  ).map((i) => ({ role: i.role, evidenceId: i.evidence_id }));
  const opt = (k: 'entries' | 'verified' | 'failed' | 'unverifiable') => (r[k] === null ? {} : { [k]: r[k] });
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    toolVersion: r.tool_version,
    parameters: parseJson<JsonObject>(r.parameters, {}),
    trustedKeys: parseJson<JsonObject[]>(r.trusted_keys, []),
    inputs,
    startedAt: r.started_at,
    startedBy: r.started_by,
    finishedAt: r.finished_at,
    verdict: r.verdict,
    counts:
      r.errors === null
        ? null
        : {
            ...opt('entries'),
            ...opt('verified'),
            ...opt('failed'),
            ...opt('unverifiable'),
            errors: r.errors,
            warnings: r.warnings ?? 0,
          },
    resultDigest: r.result_digest,
    error: r.error,
    startSeq: r.start_seq,
    finishSeq: r.finish_seq,
  };
}

export function listRuns(cf: CaseFile): RunRecord[] {
  return (cf.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map((r) => toRecord(cf, r));
}

export function getRun(cf: CaseFile, id: number): RunRecord | undefined {
  const r = cf.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return r && toRecord(cf, r);
}

/** The stored result of a finished run (canonical JSON text), or undefined. */
export function runResultText(cf: CaseFile, id: number): string | undefined {
  const r = cf.db.prepare('SELECT result FROM runs WHERE id = ?').get(id) as { result: string | null } | undefined;
  return r?.result ?? undefined;
}

/**
 * Ends runs whose process died (same host, pid gone) as 'failed', journaling run.finished.
 * Requires the write lock.
 */
export function recoverRuns(cf: CaseFile): number[] {
  const dead = (
    cf.db.prepare("SELECT id, runner FROM runs WHERE status = 'running'").all() as Array<{ id: number; runner: string }>
  ).filter((r) => ownerDead(r.runner));
  for (const r of dead) {
    const at = cf.now();
    const error = 'interrupted: the process running it ended before it finished';
    const j = cf.journal(
      {
        action: 'run.finished',
        details: { runId: r.id, status: 'failed', verdict: null, resultDigest: null, counts: {}, error },
      },
      at,
    );
    cf.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, error = ?, finish_seq = ? WHERE id = ?')
      .run('failed', at, error, j.seq, r.id);
  }
  return dead.map((r) => r.id);
}
