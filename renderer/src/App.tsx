/** The shell: navigation, theme, and the screen shown. Keyboard: Alt+1…6 switch screens. */
import { assertNever } from '../../shared/protocol/ipc.js';
import { CasesScreen } from './screens/Cases.js';
import { CompareScreen } from './screens/Compare.js';
import { EntriesScreen } from './screens/Entries.js';
import { ImportScreen } from './screens/Import.js';
import { ReportsScreen } from './screens/Reports.js';
import { VerifyScreen } from './screens/Verify.js';
import { useOpenRequest, useScreenKeys } from './shell/hooks.js';
import { NavCase, NavFoot, NavScreens } from './shell/Nav.js';
import { useTheme } from './shell/theme.js';
import { type Screen, useWorkspace, WorkspaceProvider } from './state.js';

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
  useScreenKeys(dispatch);
  useOpenRequest(w.openRequest, dispatch);
  return (
    <div className="shell">
      <nav className="nav" aria-label="screens">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Proofdesk
        </div>
        <NavScreens w={w} dispatch={dispatch} />
        <NavCase c={w.case} />
        <NavFoot w={w} dispatch={dispatch} theme={theme} setTheme={setTheme} />
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
