/**
 * The workspace's reducer: each action goes to the reducer of its area (the shell, the case,
 * comparisons, bundles, keys, runs), which returns the next workspace or the same one.
 */
import type { CaseView, CompareView, RunView } from '../../../shared/protocol/ipc.js';
import { assertNever, caseRunKey } from '../../../shared/protocol/ipc.js';
import { latestRunOf, runKey, runsOf, withRunView } from './runs.js';
import { type Action, empty, type Workspace } from './workspace.js';

type ShellAction = Extract<Action, { type: 'app' | 'goto' | 'zone' | 'open.request' | 'open.done' }>;
type CompareAction = Extract<Action, { type: `compare.${string}` }>;
type BundleAction = Extract<Action, { type: `bundle.${string}` }>;
type KeyAction = Extract<Action, { type: `key.${string}` }>;
type RunAction = Extract<Action, { type: `run.${string}` | 'entry.open' }>;

export function reduce(w: Workspace, a: Action): Workspace {
  switch (a.type) {
    case 'app':
    case 'goto':
    case 'zone':
    case 'open.request':
    case 'open.done':
      return reduceShell(w, a);
    case 'case':
      return withCase(w, a.view);
    case 'compare.view':
    case 'compare.select':
    case 'compare.progress':
    case 'compare.state':
      return reduceCompare(w, a);
    case 'bundle.add':
    case 'bundle.remove':
    case 'bundle.select':
      return reduceBundle(w, a);
    case 'key.add':
    case 'key.toggle':
    case 'key.remove':
      return reduceKey(w, a);
    case 'run.view':
    case 'run.starting':
    case 'run.started':
    case 'run.progress':
    case 'run.state':
    case 'run.select':
    case 'entry.open':
      return reduceRun(w, a);
    default:
      return assertNever(a, 'action');
  }
}

function reduceShell(w: Workspace, a: ShellAction): Workspace {
  switch (a.type) {
    case 'app':
      return { ...w, app: a.app };
    case 'goto':
      return { ...w, screen: a.screen };
    case 'zone':
      return { ...w, zone: a.zone };
    case 'open.request':
      return { ...w, openRequest: { path: a.path, seq: (w.openRequest?.seq ?? 0) + 1 } };
    case 'open.done':
      return { ...w, openRequest: undefined };
    default:
      return assertNever(a, 'action');
  }
}

/** Opening, closing or switching a case starts from a clean workspace; the same case, reread, keeps it. */
function withCase(w: Workspace, view: CaseView | null): Workspace {
  if (view === null) return w.case ? { ...w, ...empty, case: undefined } : w;
  const switched = w.case === undefined || w.case.caseId !== view.caseId;
  return switched ? { ...w, ...empty, case: view } : { ...w, case: view };
}

function reduceCompare(w: Workspace, a: CompareAction): Workspace {
  switch (a.type) {
    case 'compare.view':
      return withCompareView(w, a.view, a.select);
    case 'compare.select':
      return { ...w, currentCompare: a.key };
    case 'compare.progress': {
      const c = w.compares[a.jobId];
      if (c?.state !== 'running') return w;
      return { ...w, compares: { ...w.compares, [a.jobId]: { ...c, progress: a.progress } } };
    }
    case 'compare.state': {
      const c = w.compares[a.jobId];
      if (!c) return w;
      return { ...w, compares: { ...w.compares, [a.jobId]: { ...c, state: a.state } } };
    }
    default:
      return assertNever(a, 'action');
  }
}

/** A comparison's view, known by its case key once the case recorded it (as runs are). */
function withCompareView(w: Workspace, v: CompareView, select: boolean | undefined): Workspace {
  const key = v.caseId !== undefined && v.caseRunId !== undefined ? caseRunKey(v.caseId, v.caseRunId) : v.jobId;
  const compares: Record<string, CompareView> = { ...w.compares, [key]: v };
  if (key !== v.jobId) delete compares[v.jobId];
  const current = select || w.currentCompare === v.jobId ? key : w.currentCompare;
  return { ...w, compares, ...(current !== undefined ? { currentCompare: current } : {}) };
}

function reduceBundle(w: Workspace, a: BundleAction): Workspace {
  switch (a.type) {
    case 'bundle.add': {
      const id = a.bundle.digest + ':' + a.bundle.path;
      const bundles = w.bundles.some((b) => b.id === id) ? w.bundles : [...w.bundles, { id, info: a.bundle }];
      return { ...w, bundles, selectedBundle: id, currentRun: latestRunOf({ ...w, bundles }, id) };
    }
    case 'bundle.remove':
      return {
        ...w,
        bundles: w.bundles.filter((b) => b.id !== a.id),
        ...(w.selectedBundle === a.id ? { selectedBundle: undefined, currentRun: undefined } : {}),
      };
    case 'bundle.select':
      // The verdict shown is always the selected bundle's: its newest run, or none.
      return { ...w, selectedBundle: a.id, currentRun: latestRunOf(w, a.id) };
    default:
      return assertNever(a, 'action');
  }
}

function reduceKey(w: Workspace, a: KeyAction): Workspace {
  switch (a.type) {
    case 'key.add':
      return withKey(w, a);
    case 'key.toggle':
      return { ...w, keys: w.keys.map((k) => (k.id === a.id ? { ...k, use: !k.use } : k)) };
    case 'key.remove':
      return { ...w, keys: w.keys.filter((k) => k.id !== a.id) };
    default:
      return assertNever(a, 'action');
  }
}

function withKey(w: Workspace, a: Extract<Action, { type: 'key.add' }>): Workspace {
  // One row per key and role: the same key imported in another role is trusted in both (the services merge them).
  const id = `${a.info.fingerprint}:${a.info.roles.join(',')}`;
  if (w.keys.some((k) => k.id === id)) return w;
  const realKeys = w.keys.some((k) => !k.demo);
  // A DEMO key is never ticked next to a real one: importing a real key unticks the DEMO keys.
  const keys = a.demo ? w.keys : w.keys.map((k) => (k.demo ? { ...k, use: false } : k));
  const use = a.demo ? !realKeys : true;
  return { ...w, keys: [...keys, { id, ref: a.ref, info: a.info, use, ...(a.demo ? { demo: true } : {}) }] };
}

function reduceRun(w: Workspace, a: RunAction): Workspace {
  switch (a.type) {
    case 'run.view':
      return withRunView(w, a.view);
    case 'run.starting':
      // The previous run's verdict must not stand in for the new run's while it starts.
      return { ...w, currentRun: undefined };
    case 'run.started':
      return withStartedRun(w, a.view);
    case 'run.progress': {
      const r = w.runs[a.runId];
      if (r?.state !== 'running') return w;
      return { ...w, runs: { ...w.runs, [a.runId]: { ...r, progress: a.progress } } };
    }
    case 'run.state': {
      const r = w.runs[a.runId];
      if (!r) return w;
      return { ...w, runs: { ...w.runs, [a.runId]: { ...r, state: a.state } } };
    }
    case 'run.select':
      return withSelectedRun(w, a.runId);
    case 'entry.open':
      return withOpenEntry(w, a);
    default:
      return assertNever(a, 'action');
  }
}

function withStartedRun(w: Workspace, view: RunView): Workspace {
  const next = withRunView(w, view);
  return { ...next, currentRun: runKey(view) };
}

/** Picking a run picks its bundle too: the selector and the verdict never disagree. */
function withSelectedRun(w: Workspace, runId: string): Workspace {
  const item = runsOf(w).find((r) => r.key === runId);
  return { ...w, currentRun: runId, ...(item?.bundleId ? { selectedBundle: item.bundleId } : {}) };
}

/** The entry browser, opened on a run's entry (and its bundle selected, as picking the run does). */
function withOpenEntry(w: Workspace, a: Extract<Action, { type: 'entry.open' }>): Workspace {
  const item = runsOf(w).find((r) => r.key === a.runId);
  return {
    ...w,
    screen: 'entries',
    currentRun: a.runId,
    ...(item?.bundleId ? { selectedBundle: item.bundleId } : {}),
    focus: { runId: a.runId, index: a.index, seq: (w.focus?.seq ?? 0) + 1, ...(a.range ? { range: a.range } : {}) },
  };
}
