/** The navigation column: the screens, the open case, and the display settings. */
import type { Dispatch } from 'react';
import { type Action, SCREENS, type Workspace } from '../state.js';
import { localZoneName } from '../time.js';
import type { Theme } from './theme.js';

export function NavScreens({ w, dispatch }: { w: Workspace; dispatch: Dispatch<Action> }) {
  const running = w.runOrder.some((id) => w.runs[id]?.state === 'running');
  return (
    <ul>
      {SCREENS.map((s, i) => (
        <li key={s.id}>
          <button
            type="button"
            className={`nav-item${w.screen === s.id ? ' active' : ''}`}
            aria-current={w.screen === s.id ? 'page' : undefined}
            onClick={() => dispatch({ type: 'goto', screen: s.id })}
            data-screen={s.id}
          >
            <span>{s.label}</span>
            {s.id === 'verify' && running ? <span className="pulse" role="img" aria-label="running" /> : null}
            <kbd>Alt {i + 1}</kbd>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function NavCase({ c }: { c: Workspace['case'] }) {
  return (
    <div className="nav-case" data-testid="nav-case">
      {c ? (
        <>
          <span className="field-label">Case</span>
          <b>{c.title}</b>
          <span className="muted small">examiner {c.examiner}</span>
        </>
      ) : (
        <span className="muted small">No case open</span>
      )}
    </div>
  );
}

export function NavFoot({
  w,
  dispatch,
  theme,
  setTheme,
}: {
  w: Workspace;
  dispatch: Dispatch<Action>;
  theme: Theme;
  setTheme: (t: Theme) => void;
}) {
  return (
    <div className="nav-foot">
      <label className="field compact">
        <span className="field-label">Times shown in</span>
        <select
          value={w.zone}
          onChange={(e) => dispatch({ type: 'zone', zone: e.target.value === 'local' ? 'local' : 'UTC' })}
          name="zone"
        >
          <option value="UTC">UTC</option>
          <option value="local">local: {localZoneName()}</option>
        </select>
      </label>
      <label className="field compact">
        <span className="field-label">Theme</span>
        <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} name="theme">
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <p className="muted small">
        v{w.app?.version ?? '…'} · offline · {w.app?.transport === 'electron' ? 'desktop' : 'local host'}
      </p>
    </div>
  );
}
