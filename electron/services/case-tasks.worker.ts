/**
 * Worker-thread entry point of the app's long tasks (shared/protocol/case-tasks.ts): runs one task at a
 * time and answers it with progress messages and one 'done' or 'error'. Case tasks open the
 * case with this thread's own better-sqlite3 connection, for the task only; the store's own
 * functions do the work and journal it, exactly as the CLI calls them.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { parseTimestamp } from '../../shared/bundle/entry.js';
import { assertNever } from '../../shared/encoding/assert.js';
import type {
  CaseRef,
  FromTaskWorker,
  TaskArgs,
  TaskKind,
  TaskProgress,
  TaskResult,
  ToTaskWorker,
} from '../../shared/protocol/case-tasks.js';
import type { BundleInfo, RunProgress } from '../../shared/protocol/ipc.js';
import type { EntryIndex } from '../../shared/protocol/verify-output.js';
import { ProofdeskError, toErrorData } from '../../shared/verdict/errors.js';
import { type CaseFile, createCase, openCase } from '../case/case.js';
import { verifyCase } from '../case/case-verify.js';
import { buildEntryIndex, entriesTable, type IndexProgress, readySet } from '../case/entry-index.js';
import { type ImportProgress, importEvidence, storedPathOf } from '../case/evidence.js';
import { exportCase } from '../case/export.js';
import { queryEntries } from '../case/query.js';
import { recordReport } from '../case/reports.js';
import { revokeKey, trustKeyFrom } from '../case/trust.js';
import { fileDigest } from '../report/inputs.js';
import { renderVerificationPdf } from '../report/verification-report.js';
import { verifyReport } from '../report/verify-report.js';
import { entryTimes } from '../verify/bundle/entry-times.js';
import { diffInCase, diffProofFiles, importDiffEvidence } from './case-diff.js';
import { verifyInCase } from './case-run.js';
import { inspectBundle } from './inspect.js';

if (!parentPort) throw new Error('case-tasks.worker.ts must run in a worker thread');
const port = parentPort;

/** Progress messages at most this often (stage changes always go through). */
const PROGRESS_MS = 100;

interface TaskContext<K extends TaskKind> {
  readonly signal: AbortSignal;
  /** The shared stop flag: for synchronous loops, which cannot see `signal` fire. */
  readonly stopped: () => boolean;
  readonly progress: (p: TaskProgress<K>) => void;
}

type TaskFn<K extends TaskKind> = (args: TaskArgs<K>, ctx: TaskContext<K>) => TaskResult<K> | Promise<TaskResult<K>>;

function withCase<T>(ref: CaseRef, fn: (cf: CaseFile) => T | Promise<T>): Promise<T> {
  const cf = openCase(ref.dir, { actor: ref.actor });
  return (async () => {
    try {
      return await fn(cf);
    } finally {
      cf.close();
    }
  })();
}

function importProgress(ctx: TaskContext<'case.import'>): (p: ImportProgress) => void {
  return (p) => {
    if (p.stage === 'copy') ctx.progress({ stage: 'import', bytesDone: p.bytesDone, bytesTotal: p.bytesTotal });
  };
}

/** A copy or index step as the run progress the verify screen already shows. */
function runProgress(
  stage: 'import' | 'index',
  t0: number,
  p: { entriesDone?: number; bytesDone: number; bytesTotal: number },
): RunProgress {
  const elapsedMs = Date.now() - t0;
  const rate = elapsedMs > 0 ? (p.entriesDone ?? 0) / (elapsedMs / 1000) : 0;
  const eta =
    p.bytesDone > 0 && p.bytesTotal > p.bytesDone
      ? Math.round((elapsedMs * (p.bytesTotal - p.bytesDone)) / p.bytesDone)
      : undefined;
  return {
    stage,
    entriesDone: p.entriesDone ?? 0,
    bytesDone: p.bytesDone,
    bytesTotal: p.bytesTotal,
    elapsedMs,
    entriesPerSecond: rate,
    ...(eta !== undefined ? { etaMs: eta } : {}),
    perWorker: [],
  };
}

const TASKS: { readonly [K in TaskKind]: TaskFn<K> } = {
  'case.create': (a) => {
    const cf = createCase(
      a.dir,
      { title: a.title, ...(a.reference !== undefined ? { reference: a.reference } : {}) },
      { actor: a.actor },
    );
    try {
      return { caseId: cf.caseId };
    } finally {
      cf.close();
    }
  },
  'case.revoke': (a) =>
    withCase(a, (cf) => {
      const r = revokeKey(cf, a.fingerprint, { revokedAt: a.revokedAt, reason: a.reason });
      return { fingerprint: r.fingerprint, revokedAt: r.revokedAt, reason: r.reason };
    }),
  'case.check': (a) => {
    const t0 = Date.now();
    const cf = openCase(a.dir, { readonly: true });
    try {
      const r = verifyCase(cf);
      return {
        ok: r.ok,
        journalRows: r.journal.rows,
        head: r.journal.head,
        evidence: r.evidence,
        reports: r.reports.reports,
        problems: r.problems.map((p) => ({
          code: p.code,
          severity: p.severity,
          where: [
            p.location.journalSeq !== undefined ? `journal row ${p.location.journalSeq}` : '',
            p.location.table && p.location.id !== undefined ? `${p.location.table} #${p.location.id}` : '',
            p.location.path ?? '',
          ]
            .filter(Boolean)
            .join(', '),
          message: p.message,
        })),
        elapsedMs: Date.now() - t0,
      };
    } finally {
      cf.close();
    }
  },
  'case.export': (a) =>
    withCase(a, (cf) => {
      const r = exportCase(cf, { out: a.out, withIndex: a.withIndex });
      return { path: r.path, size: r.size, sha256: r.sha256, journalHead: r.journalHead, files: r.files };
    }),
  'case.diff': (a, ctx) =>
    withCase(a, async (cf) => {
      const out = await diffInCase(cf, {
        a: a.a,
        b: a.b,
        extraTrust: a.extraTrust,
        cwd: a.cwd,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
        ...(a.workers !== undefined ? { workers: a.workers } : {}),
        ...(a.alignBy !== undefined ? { alignBy: { kind: a.alignBy } } : {}),
      });
      // The proof of misbehaviour (or of consistency) is evidence: kept in the case's locker.
      const files = diffProofFiles(out.run.result);
      let proofs: Array<{ evidenceId: number; label: string }> = [];
      if (files.length) {
        const dir = mkdtempSync(join(tmpdir(), 'proofdesk-proofs-'));
        try {
          const written = files.map((f) => {
            const p = join(dir, f.name);
            writeFileSync(p, f.text);
            return p;
          });
          proofs = importDiffEvidence(cf, out.runId, written).map((e) => ({
            evidenceId: e.id,
            label: e.label ?? e.storedPath,
          }));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return { run: out.run, runId: out.runId, proofs };
    }),
  'case.query': (a) => {
    const cf = openCase(a.dir, { readonly: true });
    try {
      const r = queryEntries(cf, {
        text: a.text,
        evidenceIds: [a.evidenceId],
        ...(a.fields ? { fields: a.fields } : {}),
        limit: a.limit,
        count: a.count,
        ...(a.from !== undefined ? { from: a.from } : {}),
        ...(a.to !== undefined ? { to: a.to } : {}),
        ...(a.after !== undefined ? { after: a.after } : {}),
      });
      return {
        hits: r.hits.map((h) => ({
          entry: h.entry,
          seq: h.seq,
          ts: h.ts,
          actor: h.actor,
          action: h.action,
          target: h.target,
          line: h.line,
        })),
        more: r.more,
        ...(r.total !== undefined ? { total: r.total } : {}),
        elapsedMs: r.elapsedMs,
        indexed: !r.notIndexed.includes(a.evidenceId),
      };
    } finally {
      cf.close();
    }
  },
  'entries.times': (a) => ('dir' in a ? timesFromIndex(a.dir, a.evidenceId, a.count) : entryTimes(a.region, a.count)),
  'case.open': (a) => withCase(a, (cf) => ({ caseId: cf.caseId })),
  'case.import': (a, ctx) =>
    withCase(a, (cf) => {
      const r = importEvidence(cf, a.path, {
        ...(a.label !== undefined ? { label: a.label } : {}),
        ...(a.kind !== undefined ? { kind: a.kind } : {}),
        onProgress: importProgress(ctx),
      });
      const stored = storedPathOf(cf, r.evidence);
      let bundle: BundleInfo | undefined;
      if (r.evidence.kind === 'bundle') {
        try {
          bundle = inspectBundle(stored, { digest: r.evidence.digest });
        } catch {
          bundle = undefined; // imported as a bundle by its layout, but not one the inspector reads
        }
      }
      return { evidence: r.evidence, duplicate: r.duplicate, stored, ...(bundle ? { bundle } : {}) };
    }),
  'case.trust': (a) =>
    withCase(
      a,
      (cf) =>
        trustKeyFrom(cf, a.key, a.cwd, {
          ...(a.role !== undefined ? { role: a.role } : {}),
          ...(a.label !== undefined ? { label: a.label } : {}),
          ...(a.origin !== undefined ? { origin: a.origin } : {}),
          ...(a.validFrom !== undefined ? { validFrom: a.validFrom } : {}),
          ...(a.validUntil !== undefined ? { validUntil: a.validUntil } : {}),
        }).grant,
    ),
  'case.verify': (a, ctx) =>
    withCase(a, async (cf) => {
      const t0 = Date.now();
      // The verification's own 'done' is held back until the search index is built: the run
      // ends after its last stage.
      let verified: RunProgress | undefined;
      const out = await verifyInCase(cf, {
        bundle: a.bundle,
        extraTrust: a.extraTrust,
        cwd: a.cwd,
        ...(a.workers !== undefined ? { workers: a.workers } : {}),
        signal: ctx.signal,
        onProgress: (p) => (p.stage === 'done' ? (verified = p) : ctx.progress(p)),
        onImportProgress: (p) => {
          if (p.stage === 'copy') ctx.progress(runProgress('import', t0, p));
        },
        // Built below, where it can be stopped without losing the recorded run.
        index: false,
      });
      let searchIndex: TaskResult<'case.verify'>['searchIndex'];
      if (!ctx.stopped()) {
        const ti = Date.now();
        try {
          const b = buildEntryIndex(cf, out.evidence.id, {
            runId: out.runId,
            onProgress: (p: IndexProgress) => ctx.progress(runProgress('index', ti, p)),
            shouldStop: ctx.stopped,
          });
          searchIndex = { entries: b.set.entries ?? 0, reused: b.reused };
        } catch (e) {
          if (!(e instanceof ProofdeskError && e.code === 'CANCELLED')) throw e;
        }
      }
      if (verified) ctx.progress(verified);
      return {
        run: out.run,
        ...(out.index ? { index: out.index } : {}),
        ...(out.archive ? { archive: out.archive } : {}),
        runId: out.runId,
        evidenceId: out.evidence.id,
        alreadyInCase: out.alreadyInCase,
        ...(searchIndex ? { searchIndex } : {}),
      };
    }),
  'case.recordReport': (a) => withCase(a, (cf) => recordReport(cf, a.report)),
  inspect: (a) => inspectBundle(a.path),
  digest: (a) => fileDigest(a.path),
  'report.render': (a) => renderVerificationPdf(a.statement, a.envelopeBytes, a.reportId),
  'report.check': (a, ctx) =>
    verifyReport({
      input: a.input,
      examinerKey: a.examinerKey,
      ...(a.rerun ? { rerun: { bundle: a.rerun.bundle, trusted: a.rerun.trusted, signal: ctx.signal } } : {}),
    }),
};

/** Entry times from the case's search index (exact: the index parsed every ts). */
function timesFromIndex(dir: string, evidenceId: number, count: number): Float64Array {
  const cf = openCase(dir, { readonly: true });
  try {
    const set = readySet(cf, evidenceId);
    if (!set) throw new ProofdeskError('USAGE', `evidence #${evidenceId} has no search index`);
    const out = new Float64Array(count).fill(Number.NaN);
    const rows = cf.db.prepare(`SELECT idx, t_s, t_ns FROM ${entriesTable(set.id)} WHERE t_s IS NOT NULL`).raw();
    for (const r of rows.iterate() as Iterable<[number, number, number]>) {
      if (r[0] < count) out[r[0]] = r[1] * 1000 + Math.floor(r[2] / 1e6);
    }
    return out;
  } finally {
    cf.close();
  }
}

const running = new Map<number, AbortController>();

function post(m: FromTaskWorker): void {
  port.postMessage(m);
}

async function run(m: Extract<ToTaskWorker, { type: 'run' }>): Promise<void> {
  const ac = new AbortController();
  running.set(m.seq, ac);
  const stop = new Int32Array(m.stop);
  let last = 0;
  let lastStage: unknown;
  const ctx: TaskContext<TaskKind> = {
    signal: ac.signal,
    stopped: () => Atomics.load(stop, 0) === 1,
    progress: (p) => {
      const stage = (p as { stage?: unknown }).stage;
      const now = Date.now();
      if (stage === lastStage && stage !== 'done' && now - last < PROGRESS_MS) return;
      last = now;
      lastStage = stage;
      post({ type: 'progress', seq: m.seq, progress: p });
    },
  };
  try {
    const fn = TASKS[m.kind] as TaskFn<TaskKind>;
    if (!fn) throw new ProofdeskError('INTERNAL', `unknown task ${String(m.kind)}`);
    const value = await fn(m.args as never, ctx);
    post({ type: 'done', seq: m.seq, value });
  } catch (e) {
    post({ type: 'error', seq: m.seq, error: toErrorData(e) });
  } finally {
    running.delete(m.seq);
  }
}

port.on('message', (m: ToTaskWorker) => {
  switch (m.type) {
    case 'run':
      void run(m);
      return;
    case 'cancel':
      running.get(m.seq)?.abort();
      return;
    default:
      assertNever(m, 'task message');
  }
});
post({ type: 'ready' });
