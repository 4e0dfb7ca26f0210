/** What the shell does beside drawing: screen keys, and paths the desktop asks to open. */
import { type Dispatch, useEffect } from 'react';
import { call } from '../api.js';
import { type Action, SCREENS, type Workspace } from '../state.js';

/** Alt+1…6 switch screens (with no other modifier, so the system's shortcuts stay theirs). */
export function useScreenKeys(dispatch: Dispatch<Action>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const s = SCREENS[n - 1];
      if (s) {
        e.preventDefault();
        dispatch({ type: 'goto', screen: s.id });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch]);
}

/** A path the desktop was asked to open: a case folder goes to Case, anything else to Import. */
export function useOpenRequest(request: Workspace['openRequest'], dispatch: Dispatch<Action>): void {
  useEffect(() => {
    const r = request;
    if (!r) return;
    void call('paths.classify', { path: r.path }).then(
      (k) => dispatch({ type: 'goto', screen: k.kind === 'case' ? 'cases' : 'import' }),
      () => undefined,
    );
  }, [request, dispatch]);
}
