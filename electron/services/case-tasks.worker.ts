/**
 * Worker-thread entry point of the app's long tasks (shared/protocol/case-tasks.ts): runs one task at a
 * time and answers it with progress messages and one 'done' or 'error'. Case tasks open the
 * case with this thread's own better-sqlite3 connection, for the task only; the store's own
 * functions do the work and journal it, exactly as the CLI calls them.
 */

import { parentPort } from 'node:worker_threads';
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
import { ProofdeskError, toErrorData } from '../../shared/verdict/errors.js';
import { type CaseFile, createCase, openCase } from '../case/case.js';
import { buildEntryIndex, type IndexProgress } from '../case/entry-index.js';
import { type ImportProgress, importEvidence, storedPathOf } from '../case/evidence.js';
import { recordReport } from '../case/reports.js';
import { trustKeyFrom } from '../case/trust.js';
import { fileDigest } from '../report/inputs.js';
import { renderVerificationPdf } from '../report/verification-report.js';
import { verifyReport } from '../report/verify-report.js';
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
  'case.open': (a) => withCase(a, (cf) => ({ caseId: cf.caseId })),
  'case.import': (a, ctx) =>
    withCase(a, (cf) => {
      const r = importEvidence(cf, a.path, {
        ...(a.label !== undefined ? { label: a.label } : {}),
        onProgress: importProgress(ctx),
      });
      const stored = storedPathOf(cf, r.evidence);
      let bundle: BundleInfo | undefined;
      if (r.evidence.kind === 'bundle') {
        try {
          bundle = inspectBundle(stored);
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
  'report.check': (a) => verifyReport({ input: a.input, examinerKey: a.examinerKey }),
};

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
