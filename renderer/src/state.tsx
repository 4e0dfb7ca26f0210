/**
 * The workspace the screens share: imported bundles and keys, runs and their progress, the
 * screen shown, and the entry to open. One reducer; backend events feed it.
 */
import { createContext, type Dispatch, type ReactNode, useContext, useEffect, useReducer } from 'react';
import type {
  AppInfo,
  BundleInfo,
  CaseView,
  CompareProgress,
  CompareView,
  KeyInfo,
  KeyRef,
  RunProgress,
  RunState,
  RunView,
} from '../../shared/protocol/ipc.js';
import { assertNever } from '../../shared/protocol/ipc.js';
import { api, call } from './api.js';

export type Screen = 'import' | 'verify' | 'entries' | 'compare' | 'reports' | 'cases';
export const SCREENS: ReadonlyArray<{ id: Screen; label: string }> = [
  { id: 'cases', label: 'Case' },
  { id: 'import', label: 'Import' },
  { id: 'verify', label: 'Verify' },
  { id: 'entries', label: 'Entries' },
  { id: 'compare', label: 'Compare' },
  { id: 'reports', label: 'Reports' },
];

export interface ImportedBundle {
  readonly id: string;
  readonly info: BundleInfo;
  /** Set when the bundle was imported into the open case. */
  readonly evidenceId?: number;
}
export interface ImportedKey {
  readonly id: string;
  readonly ref: KeyRef;
  readonly info: KeyInfo;
  readonly use: boolean;
}

export interface Workspace {
  readonly app?: AppInfo;
  readonly screen: Screen;
  /** The open case; undefined when none. */
  readonly case?: CaseView;
  readonly compares: Readonly<Record<string, CompareView>>;
  readonly currentCompare?: string;
  readonly bundles: readonly ImportedBundle[];
  readonly keys: readonly ImportedKey[];
  readonly selectedBundle?: string;
  readonly runs: Readonly<Record<string, RunView>>;
  /** Newest first. */
  readonly runOrder: readonly string[];
  readonly currentRun?: string;
  /** The entry the entry browser should open (set by a finding's link). */
  readonly focus?: { readonly runId: string; readonly index: number; readonly seq: number };
}

export type Action =
  | { type: 'app'; app: AppInfo }
  | { type: 'goto'; screen: Screen }
  | { type: 'case'; view: CaseView | null }
  | { type: 'compare.view'; view: CompareView }
  | { type: 'compare.progress'; jobId: string; progress: CompareProgress }
  | { type: 'compare.state'; jobId: string; state: RunState }
  | { type: 'bundle.add'; bundle: BundleInfo; evidenceId?: number }
  | { type: 'bundle.remove'; id: string }
  | { type: 'bundle.select'; id: string }
  | { type: 'key.add'; ref: KeyRef; info: KeyInfo }
  | { type: 'key.toggle'; id: string }
  | { type: 'key.remove'; id: string }
  | { type: 'run.view'; view: RunView }
  | { type: 'run.starting' }
  | { type: 'run.started'; view: RunView }
  | { type: 'run.progress'; runId: string; progress: RunProgress }
  | { type: 'run.state'; runId: string; state: RunState }
  | { type: 'run.select'; runId: string }
  | { type: 'entry.open'; runId: string; index: number };

const initial: Workspace = { screen: 'import', bundles: [], keys: [], runs: {}, runOrder: [], compares: {} };

function reduce(w: Workspace, a: Action): Workspace {
  switch (a.type) {
    case 'app':
      return { ...w, app: a.app, screen: w.screen };
    case 'goto':
      return { ...w, screen: a.screen };
    case 'case': {
      if (a.view === null) {
        // Leaving a case: its evidence and runs belong to it, not to the next one.
        return w.case
          ? {
              ...w,
              case: undefined,
              bundles: w.bundles.filter((b) => b.evidenceId === undefined),
              selectedBundle: undefined,
            }
          : w;
      }
      const switched = w.case !== undefined && w.case.caseId !== a.view.caseId;
      return {
        ...w,
        case: a.view,
        ...(switched
          ? { bundles: w.bundles.filter((b) => b.evidenceId === undefined), selectedBundle: undefined }
          : {}),
      };
    }
    case 'compare.view':
      return { ...w, compares: { ...w.compares, [a.view.jobId]: a.view }, currentCompare: a.view.jobId };
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
    case 'bundle.add': {
      const id = a.bundle.digest + ':' + a.bundle.path;
      const bundles = w.bundles.some((b) => b.id === id)
        ? w.bundles
        : [...w.bundles, { id, info: a.bundle, ...(a.evidenceId !== undefined ? { evidenceId: a.evidenceId } : {}) }];
      return { ...w, bundles, selectedBundle: id };
    }
    case 'bundle.remove':
      return {
        ...w,
        bundles: w.bundles.filter((b) => b.id !== a.id),
        ...(w.selectedBundle === a.id ? { selectedBundle: undefined } : {}),
      };
    case 'bundle.select':
      return { ...w, selectedBundle: a.id };
    case 'key.add': {
      // One row per key and role: the same key imported in another role is trusted in both (the services merge them).
      const id = `${a.info.fingerprint}:${a.info.roles.join(',')}`;
      if (w.keys.some((k) => k.id === id)) return w;
      return { ...w, keys: [...w.keys, { id, ref: a.ref, info: a.info, use: true }] };
    }
    case 'key.toggle':
      return { ...w, keys: w.keys.map((k) => (k.id === a.id ? { ...k, use: !k.use } : k)) };
    case 'key.remove':
      return { ...w, keys: w.keys.filter((k) => k.id !== a.id) };
    case 'run.view':
      return withRunView(w, a.view);
    case 'run.starting':
      // The previous run's verdict must not stand in for the new run's while it starts.
      return { ...w, currentRun: undefined };
    case 'run.started':
      return { ...withRunView(w, a.view), currentRun: a.view.runId };
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
      return { ...w, currentRun: a.runId };
    case 'entry.open':
      return {
        ...w,
        screen: 'entries',
        currentRun: a.runId,
        focus: { runId: a.runId, index: a.index, seq: (w.focus?.seq ?? 0) + 1 },
      };
    default:
      return assertNever(a, 'action');
  }
}

/**
 * Stores a run's view. A run only ever goes from running to a final state, so a view that says
 * "running" never replaces a final one: the answer to an early verify.get can arrive after the
 * one fetched when the run.state event said it had ended.
 */
function withRunView(w: Workspace, view: RunView): Workspace {
  const prev = w.runs[view.runId];
  if (prev && prev.state !== 'running' && view.state === 'running') return w;
  return { ...w, runs: { ...w.runs, [view.runId]: view }, runOrder: prev ? w.runOrder : [view.runId, ...w.runOrder] };
}

const Ctx = createContext<{ w: Workspace; dispatch: Dispatch<Action> } | undefined>(undefined);

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const [w, dispatch] = useReducer(reduce, initial);
  useEffect(() => {
    void call('app.info', {}).then(
      (app) => dispatch({ type: 'app', app }),
      () => undefined,
    );
    void call('cases.current', {}).then(
      (view) => dispatch({ type: 'case', view }),
      () => undefined,
    );
    return api.onEvent((e) => {
      switch (e.type) {
        case 'run.progress':
          dispatch({ type: 'run.progress', runId: e.runId, progress: e.progress });
          return;
        case 'run.state':
          dispatch({ type: 'run.state', runId: e.runId, state: e.state });
          if (e.state !== 'running')
            void call('verify.get', { runId: e.runId }).then(
              (view) => dispatch({ type: 'run.view', view }),
              () => undefined,
            );
          return;
        case 'compare.progress':
          dispatch({ type: 'compare.progress', jobId: e.jobId, progress: e.progress });
          return;
        case 'compare.state':
          dispatch({ type: 'compare.state', jobId: e.jobId, state: e.state });
          if (e.state !== 'running')
            void call('compare.get', { jobId: e.jobId }).then(
              (view) => dispatch({ type: 'compare.view', view }),
              () => undefined,
            );
          return;
        case 'case.changed':
          void call('cases.current', {}).then(
            (view) => dispatch({ type: 'case', view }),
            () => undefined,
          );
          return;
        case 'case.progress':
          // Import progress of the open case: not shown yet (the import screen shows it is busy).
          return;
        default:
          assertNever(e, 'event');
      }
    });
  }, []);
  return <Ctx.Provider value={{ w, dispatch }}>{children}</Ctx.Provider>;
}

export function useWorkspace() {
  const c = useContext(Ctx);
  if (!c) throw new Error('useWorkspace outside WorkspaceProvider');
  return c;
}
