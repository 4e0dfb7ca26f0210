/** The shell: navigation, theme, and the screen shown. Keyboard: Alt+1…6 switch screens. */
import { useEffect, useState } from 'react';
import { assertNever } from '../../shared/protocol/ipc.js';
import { call } from './api.js';
import { CasesScreen } from './screens/Cases.js';
import { CompareScreen } from './screens/Compare.js';
import { EntriesScreen } from './screens/Entries.js';
import { ImportScreen } from './screens/Import.js';
import { ReportsScreen } from './screens/Reports.js';
import { VerifyScreen } from './screens/Verify.js';
import { SCREENS, type Screen, useWorkspace, WorkspaceProvider } from './state.js';
import { localZoneName } from './time.js';

type Theme = 'light' | 'dark' | 'system';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem('proofdesk-theme') as Theme | null) ?? 'system',
  );
  useEffect(() => {
    localStorage.setItem('proofdesk-theme', theme);
    const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [theme]);
  return [theme, setTheme];
}

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'import':
      return <ImportScreen />;
    case 'verify':
      return <VerifyScreen />;
    case 'entries':
      return <EntriesScreen />;
    case 'cases':
      return <CasesScreen />;
    case 'compare':
      return <CompareScreen />;
    case 'reports':
      return <ReportsScreen />;
    default:
      return assertNever(screen, 'screen');
  }
}

function Shell() {
  const { w, dispatch } = useWorkspace();
  const [theme, setTheme] = useTheme();
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
  // A path the desktop was asked to open: a case folder goes to Case, anything else to Import.
  useEffect(() => {
    const r = w.openRequest;
    if (!r) return;
    void call('paths.classify', { path: r.path }).then(
      (k) => dispatch({ type: 'goto', screen: k.kind === 'case' ? 'cases' : 'import' }),
      () => undefined,
    );
  }, [w.openRequest, dispatch]);
  const running = w.runOrder.some((id) => w.runs[id]?.state === 'running');
  return (
    <div className="shell">
      <nav className="nav" aria-label="screens">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Proofdesk
        </div>
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
        <div className="nav-case" data-testid="nav-case">
          {w.case ? (
            <>
              <span className="field-label">Case</span>
              <b>{w.case.title}</b>
              <span className="muted small">examiner {w.case.examiner}</span>
            </>
          ) : (
            <span className="muted small">No case open</span>
          )}
        </div>
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
      </nav>
      <main className="main">
        <ScreenView screen={w.screen} />
      </main>
    </div>
  );
}

export function App() {
  return (
    <WorkspaceProvider>
      <Shell />
    </WorkspaceProvider>
  );
}
