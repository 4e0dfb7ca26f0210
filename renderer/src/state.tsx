/**
 * The workspace the screens share. One reducer; backend events feed it.
 *
 * With a case open, the case is the source of truth: its evidence are the bundles, its trust
 * store the keys, its runs and comparisons what can be shown, browsed and signed — all read
 * from the case (so a reload or a restart shows the same). Without a case, imports, keys and
 * runs live for the session only. Opening, closing or switching a case starts from a clean
 * workspace: nothing of one case is left in the next, or outside it.
 */
import { createContext, type Dispatch, type ReactNode, useContext, useEffect, useReducer } from 'react';
import type {
  AppInfo,
  BundleInfo,
  CaseEvidenceView,
  CaseView,
  CompareProgress,
  CompareView,
  KeyInfo,
  KeyRef,
  RunProgress,
  RunState,
  RunView,
} from '../../shared/protocol/ipc.js';
import { assertNever, caseRunKey } from '../../shared/protocol/ipc.js';
import { api, call } from './api.js';
import type { Zone } from './time.js';

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
  /** Set for evidence of the open case. */
  readonly evidenceId?: number;
  readonly importedAt?: string;
  readonly importedBy?: string;
}
export interface ImportedKey {
  readonly id: string;
  readonly ref: KeyRef;
  readonly info: KeyInfo;
  readonly use: boolean;
  /** One of the bundled sample's DEMO keys. */
  readonly demo?: boolean;
}

export interface Workspace {
  readonly app?: AppInfo;
  readonly screen: Screen;
  readonly zone: Zone;
  /** The open case; undefined when none. */
  readonly case?: CaseView;
  readonly compares: Readonly<Record<string, CompareView>>;
  readonly currentCompare?: string;
  /** Bundles imported for this session (no case open). */
  readonly bundles: readonly ImportedBundle[];
  /** Keys imported for this session (no case open): with a case, its trust store is the trust. */
  readonly keys: readonly ImportedKey[];
  readonly selectedBundle?: string;
  /** Run views by key: a run's id, or its case key once it is recorded in the case. */
  readonly runs: Readonly<Record<string, RunView>>;
  /** Runs started in this session, newest first (case runs are listed from the case). */
  readonly runOrder: readonly string[];
  readonly currentRun?: string;
  /** The entry the entry browser should open (set by a finding's link or a timeline bar). */
  readonly focus?: {
    readonly runId: string;
    readonly index: number;
    readonly seq: number;
    /** Entries of a time range to list (a bar of the timeline). */
    readonly range?: { readonly from: string; readonly to: string };
  };
  /** A path the desktop asked to open (a second launch, a file opened from the system). */
  readonly openRequest?: { readonly path: string; readonly seq: number };
}

export type Action =
  | { type: 'app'; app: AppInfo }
  | { type: 'goto'; screen: Screen }
  | { type: 'zone'; zone: Zone }
  | { type: 'case'; view: CaseView | null }
  | { type: 'compare.view'; view: CompareView; select?: boolean }
  | { type: 'compare.select'; key: string }
  | { type: 'compare.progress'; jobId: string; progress: CompareProgress }
  | { type: 'compare.state'; jobId: string; state: RunState }
  | { type: 'bundle.add'; bundle: BundleInfo }
  | { type: 'bundle.remove'; id: string }
  | { type: 'bundle.select'; id: string }
  | { type: 'key.add'; ref: KeyRef; info: KeyInfo; demo?: boolean }
  | { type: 'key.toggle'; id: string }
  | { type: 'key.remove'; id: string }
  | { type: 'run.view'; view: RunView }
  | { type: 'run.starting' }
  | { type: 'run.started'; view: RunView }
  | { type: 'run.progress'; runId: string; progress: RunProgress }
  | { type: 'run.state'; runId: string; state: RunState }
  | { type: 'run.select'; runId: string }
  | {
      type: 'entry.open';
      runId: string;
      index: number;
      range?: { readonly from: string; readonly to: string };
    }
  | { type: 'open.request'; path: string }
  | { type: 'open.done' };

const ZONE_KEY = 'proofdesk-zone';

function initialZone(): Zone {
  try {
    return localStorage.getItem(ZONE_KEY) === 'local' ? 'local' : 'UTC';
  } catch {
    return 'UTC';
  }
}

const empty = {
  bundles: [],
  keys: [],
  runs: {},
  runOrder: [],
  compares: {},
  selectedBundle: undefined,
  currentRun: undefined,
  currentCompare: undefined,
  focus: undefined,
} as const;

const initial: Workspace = { screen: 'import', zone: initialZone(), ...empty };

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
function latestRunOf(w: Workspace, bundleId: string): string | undefined {
  return runsOf(w).find((r) => r.bundleId === bundleId)?.key;
}

function withRunView(w: Workspace, view: RunView): Workspace {
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

function reduce(w: Workspace, a: Action): Workspace {
  switch (a.type) {
    case 'app':
      return { ...w, app: a.app };
    case 'goto':
      return { ...w, screen: a.screen };
    case 'zone':
      return { ...w, zone: a.zone };
    case 'case': {
      if (a.view === null) return w.case ? { ...w, ...empty, case: undefined } : w;
      const switched = w.case === undefined || w.case.caseId !== a.view.caseId;
      return switched ? { ...w, ...empty, case: a.view } : { ...w, case: a.view };
    }
    case 'compare.view': {
      const v = a.view;
      const key = v.caseId !== undefined && v.caseRunId !== undefined ? caseRunKey(v.caseId, v.caseRunId) : v.jobId;
      const compares: Record<string, CompareView> = { ...w.compares, [key]: v };
      if (key !== v.jobId) delete compares[v.jobId];
      const current = a.select || w.currentCompare === v.jobId ? key : w.currentCompare;
      return { ...w, compares, ...(current !== undefined ? { currentCompare: current } : {}) };
    }
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
    case 'key.add': {
      // One row per key and role: the same key imported in another role is trusted in both (the services merge them).
      const id = `${a.info.fingerprint}:${a.info.roles.join(',')}`;
      if (w.keys.some((k) => k.id === id)) return w;
      const realKeys = w.keys.some((k) => !k.demo);
      // A DEMO key is never ticked next to a real one: importing a real key unticks the DEMO keys.
      const keys = a.demo ? w.keys : w.keys.map((k) => (k.demo ? { ...k, use: false } : k));
      const use = a.demo ? !realKeys : true;
      return { ...w, keys: [...keys, { id, ref: a.ref, info: a.info, use, ...(a.demo ? { demo: true } : {}) }] };
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
    case 'run.started': {
      const next = withRunView(w, a.view);
      return { ...next, currentRun: runKey(a.view) };
    }
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
    case 'run.select': {
      // Picking a run picks its bundle too: the selector and the verdict never disagree.
      const item = runsOf(w).find((r) => r.key === a.runId);
      return { ...w, currentRun: a.runId, ...(item?.bundleId ? { selectedBundle: item.bundleId } : {}) };
    }
    case 'entry.open': {
      const item = runsOf(w).find((r) => r.key === a.runId);
      return {
        ...w,
        screen: 'entries',
        currentRun: a.runId,
        ...(item?.bundleId ? { selectedBundle: item.bundleId } : {}),
        focus: { runId: a.runId, index: a.index, seq: (w.focus?.seq ?? 0) + 1, ...(a.range ? { range: a.range } : {}) },
      };
    }
    case 'open.request':
      return { ...w, openRequest: { path: a.path, seq: (w.openRequest?.seq ?? 0) + 1 } };
    case 'open.done':
      return { ...w, openRequest: undefined };
    default:
      return assertNever(a, 'action');
  }
}

const Ctx = createContext<{ w: Workspace; dispatch: Dispatch<Action> } | undefined>(undefined);

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const [w, dispatch] = useReducer(reduce, initial);
  useEffect(() => {
    try {
      localStorage.setItem(ZONE_KEY, w.zone);
    } catch {
      // storage unavailable: the choice lasts for this window
    }
  }, [w.zone]);
  useEffect(() => {
    void call('app.info', {}).then(
      (app) => {
        dispatch({ type: 'app', app });
        if (app.open) dispatch({ type: 'open.request', path: app.open });
      },
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
          // Import progress of the open case: the import screen shows it is busy.
          return;
        case 'app.open':
          dispatch({ type: 'open.request', path: e.path });
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

/**
 * The view of a run by key, fetched from the backend when the workspace does not hold it yet
 * (a run recorded in the case before this window opened).
 */
export function useRunView(key: string | undefined): RunView | undefined {
  const { w, dispatch } = useWorkspace();
  const v = key ? w.runs[key] : undefined;
  useEffect(() => {
    if (!key || v) return;
    let live = true;
    void call('verify.get', { runId: key }).then(
      (view) => live && dispatch({ type: 'run.view', view }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key, v, dispatch]);
  return v;
}
