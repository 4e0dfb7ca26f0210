/** The runs and bundles the workspace shows, and how a run's view joins it. */
import type { CaseEvidenceView, RunState, RunView } from '../../../shared/protocol/ipc.js';
import { caseRunKey } from '../../../shared/protocol/ipc.js';
import type { ImportedBundle, Workspace } from './workspace.js';

/** The key a run is known by: its case key once the case recorded it. */
export function runKey(v: RunView): string {
  return v.caseId !== undefined && v.caseRunId !== undefined ? caseRunKey(v.caseId, v.caseRunId) : v.runId;
}

/** A bundle of the case, from its evidence record (nothing read from the bundle but its manifest). */
function evidenceBundle(e: CaseEvidenceView): ImportedBundle | undefined {
  if (e.kind !== 'bundle' || !e.bundle) return undefined;
  const m = e.bundle;
  return {
    id: `ev:${e.id}`,
    evidenceId: e.id,
    importedAt: e.importedAt,
    importedBy: e.importedBy,
    info: {
      path: e.storedPath,
      name: e.name,
      container: m.container,
      sizeBytes: e.size,
      digestOf: e.container === 'directory' ? 'tree' : 'archive',
      digest: e.digest,
      fileCount: e.fileCount,
      format: m.format,
      origin: m.origin,
      entryCount: m.entryCount,
      entriesBytes: 0,
      checkpoints: Array.from({ length: m.checkpoints }, (_, k) => ({ file: `checkpoint ${k + 1}` })),
      proofs: 0,
      shippedKeys: 0,
    },
  };
}

/** The bundles shown: the case's evidence bundles, or this session's imports. */
export function bundlesOf(w: Workspace): readonly ImportedBundle[] {
  if (!w.case) return w.bundles;
  return w.case.evidence.map(evidenceBundle).filter((b): b is ImportedBundle => b !== undefined);
}

/** A run as listed (for pickers and lists): enough to label it before its result is loaded. */
export interface RunItem {
  readonly key: string;
  readonly bundleId?: string;
  readonly bundleName: string;
  readonly state: RunState;
  readonly verdict?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly startedBy?: string;
  readonly caseRunId?: number;
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** Verification runs, newest first: the case's (and its runs still going), or this session's. */
export function runsOf(w: Workspace): RunItem[] {
  const live = w.runOrder
    .map((id) => w.runs[id])
    .filter((v): v is RunView => v !== undefined && (w.case ? v.caseId === w.case.caseId : v.caseId === undefined));
  if (!w.case) {
    const bundles = w.bundles;
    return live.map((v) => ({
      key: runKey(v),
      ...(bundles.find((b) => b.info.path === v.bundle)
        ? { bundleId: bundles.find((b) => b.info.path === v.bundle)!.id }
        : {}),
      bundleName: baseName(v.bundle),
      state: v.state,
      ...(v.run ? { verdict: v.run.result.verdict } : {}),
      startedAt: v.startedAt,
      ...(v.finishedAt ? { finishedAt: v.finishedAt } : {}),
    }));
  }
  const c = w.case;
  const name = (id: number | undefined) => c.evidence.find((e) => e.id === id)?.name ?? `#${id ?? '?'}`;
  const recorded = new Set(c.runs.map((r) => r.id));
  const pending = live
    .filter((v) => v.state === 'running' && (v.caseRunId === undefined || !recorded.has(v.caseRunId)))
    .map(
      (v): RunItem => ({
        key: runKey(v),
        ...(v.evidenceId !== undefined ? { bundleId: `ev:${v.evidenceId}` } : {}),
        bundleName: v.evidenceId !== undefined ? name(v.evidenceId) : baseName(v.bundle),
        state: 'running',
        startedAt: v.startedAt,
      }),
    );
  const fromCase = [...c.runs]
    .filter((r) => r.kind === 'verify')
    .reverse()
    .map((r): RunItem => {
      const ev = r.inputs.find((i) => i.role === 'bundle')?.evidenceId;
      return {
        key: r.appRunId,
        ...(ev !== undefined ? { bundleId: `ev:${ev}` } : {}),
        bundleName: name(ev),
        state: r.status === 'finished' ? 'done' : r.status === 'running' ? 'running' : (r.status as RunState),
        ...(r.verdict ? { verdict: r.verdict } : {}),
        startedAt: r.startedAt,
        ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
        startedBy: r.startedBy,
        caseRunId: r.id,
      };
    })
    // A run of the case still going in this window is listed once, with its live progress.
    .filter((it) => !(it.state === 'running' && pending.length > 0));
  return [...pending, ...fromCase];
}

/** The newest run of a bundle, if any. */
export function latestRunOf(w: Workspace, bundleId: string): string | undefined {
  return runsOf(w).find((r) => r.bundleId === bundleId)?.key;
}

export function withRunView(w: Workspace, view: RunView): Workspace {
  const key = runKey(view);
  const prev = w.runs[key] ?? w.runs[view.runId];
  // A run only ever goes from running to a final state: an early answer never replaces a final one.
  if (prev && prev.state !== 'running' && view.state === 'running') return w;
  const runs: Record<string, RunView> = { ...w.runs, [key]: view };
  let runOrder = w.runOrder;
  if (key !== view.runId) {
    // Recorded in the case: from now on the run is known by its case key.
    delete runs[view.runId];
    runOrder = runOrder.map((id) => (id === view.runId ? key : id));
  }
  if (!runOrder.includes(key) && (prev !== undefined || view.state === 'running')) runOrder = [key, ...runOrder];
  return {
    ...w,
    runs,
    runOrder,
    ...(w.currentRun === view.runId ? { currentRun: key } : {}),
    ...(w.focus?.runId === view.runId ? { focus: { ...w.focus, runId: key } } : {}),
  };
}
