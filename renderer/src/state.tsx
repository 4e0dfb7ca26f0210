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
import type { RunView } from '../../shared/protocol/ipc.js';
import { assertNever } from '../../shared/protocol/ipc.js';
import { api, call } from './api.js';
import { reduce } from './state/reduce.js';
import { type Action, empty, type Workspace } from './state/workspace.js';
import type { Zone } from './time.js';

export { bundlesOf, type RunItem, runKey, runsOf } from './state/runs.js';
export type { Action, ImportedBundle, ImportedKey, Screen, Workspace } from './state/workspace.js';
export { SCREENS } from './state/workspace.js';

const ZONE_KEY = 'proofdesk-zone';

function initialZone(): Zone {
  try {
    return localStorage.getItem(ZONE_KEY) === 'local' ? 'local' : 'UTC';
  } catch {
    return 'UTC';
  }
}

const initial: Workspace = { screen: 'import', zone: initialZone(), ...empty };

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
