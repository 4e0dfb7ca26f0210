/**
 * The Electron main process (thin): one window with the settings of security.ts, the
 * renderer served from app://, IPC calls adapted by electron/transport/ipc to the same services the
 * CLI and the local host use. Started with a CLI subcommand (`proofdesk verify …`), it runs
 * the command and exits without a window, so the RunAsNode fuse can stay off.
 */

import { dirname, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { CHANNELS, DROPPED_PATH_CHANNEL, EVENT_CHANNEL } from '../../shared/protocol/ipc.js';
import { processIO } from '../cli/io.js';
import { runCli } from '../cli/main.js';
import { packageRoot } from '../platform/paths.js';
import { SAMPLE } from '../services/sample.js';
import { readAsset, rendererDir } from '../transport/host/assets.js';
import { createBackend, type DialogKind } from '../transport/ipc/backend.js';
import { ChosenPaths } from '../transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../transport/ipc/router.js';
import { launchPath, menuTemplate } from './desktop.js';
import { cliArgs } from './launch.js';
import {
  APP_ENTRY,
  APP_SCHEME_PRIVILEGES,
  applySessionPolicy,
  hardenWebContents,
  isAppUrl,
  windowOptions,
} from './security.js';

async function runAsCli(args: string[]): Promise<void> {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const code = await runCli(args, processIO(ac.signal));
  app.exit(code);
}

const FILTERS: Record<DialogKind, Electron.FileFilter[]> = {
  bundle: [{ name: 'Bundle archive', extensions: ['tar'] }],
  key: [
    { name: 'Keys', extensions: ['pub', 'pem', 'vkey', 'key', 'txt'] },
    { name: 'All files', extensions: ['*'] },
  ],
  report: [{ name: 'Reports', extensions: ['json', 'pdf', 'intoto', 'dsse'] }],
  'save-report': [{ name: 'PDF', extensions: ['pdf'] }],
};

/** The backend as the main process holds it: the contract, its event sink and its close. */
type AppBackend = ReturnType<typeof createBackend>;

/** What the steps of start-up share: the window once it exists, and a path to open before it does. */
interface AppState {
  win?: BrowserWindow;
  /** A path to open that arrived before the window could take it (macOS open-file at launch). */
  launchOpen?: string;
  emitOpen?: (path: string) => void;
}

async function startApp(): Promise<void> {
  // One window per user session: a second launch (a case or bundle opened from the system)
  // hands its path to this one and quits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
  const state: AppState = {};
  const launched = launchPath(process.argv, app.isPackaged, process.cwd());
  if (launched) state.launchOpen = launched;
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (state.emitOpen) state.emitOpen(path);
    else state.launchOpen = path;
  });
  await app.whenReady();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform, name: app.name })),
  );
  const root = rendererDir();
  applySessionPolicy(session.defaultSession, (urlPath) => readAsset(root, urlPath));

  const paths = chosenPaths(state);
  const backend = createBackend({
    transport: 'electron',
    paths,
    openPath: (p) => shell.openPath(p),
    takeLaunchPath: () => {
      const p = state.launchOpen;
      state.launchOpen = undefined;
      // The system handed this path to the app (double-click, open-with): the user chose it.
      if (p) paths.allow(p);
      return p;
    },
    dialog: (kind, defaultName) => nativeDialog(state, paths, kind, defaultName),
  });
  ipcMain.on(DROPPED_PATH_CHANNEL, (event, path: unknown) => {
    if (isAppUrl(event.senderFrame?.url ?? '') && typeof path === 'string') paths.allow(path);
  });
  serveCalls(state, backend);
  await openWindow(state, paths, backend);
}

/**
 * Calls may name paths the user chose (dialog, drop) or confirmed in a native dialog the page
 * cannot answer; the bundled samples are the app's own.
 */
function chosenPaths(state: AppState): ChosenPaths {
  const paths = new ChosenPaths(async (path) => {
    if (!state.win) return false;
    const r = await dialog.showMessageBox(state.win, {
      type: 'question',
      buttons: ['Allow', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'Allow Proofdesk to use this path?',
      detail: `${path}\n\nIt was typed in the window, not chosen in a file dialog or dropped.`,
    });
    return r.response === 0;
  });
  paths.allow(dirname(SAMPLE.bundle()));
  return paths;
}

/** The system's open or save dialog; what the user picks becomes a path calls may name. */
async function nativeDialog(
  state: AppState,
  paths: ChosenPaths,
  kind: DialogKind,
  defaultName: string | undefined,
): Promise<string[]> {
  if (!state.win) return [];
  if (kind === 'save-report') {
    const r = await dialog.showSaveDialog(state.win, {
      filters: FILTERS[kind],
      ...(defaultName ? { defaultPath: defaultName } : {}),
    });
    if (r.canceled || !r.filePath) return [];
    // Saving names a file to create: its folder is where the report goes.
    paths.allow(dirname(r.filePath));
    return [r.filePath];
  }
  const props: Array<'openFile' | 'openDirectory' | 'multiSelections'> =
    kind === 'bundle' ? ['openFile', 'openDirectory'] : ['openFile', 'multiSelections'];
  const r = await dialog.showOpenDialog(state.win, { properties: props, filters: FILTERS[kind] });
  if (r.canceled) return [];
  for (const p of r.filePaths) paths.allow(p);
  return r.filePaths;
}

/** One IPC handler per contract channel, answering only the app's own page; events go to the window. */
function serveCalls(state: AppState, backend: AppBackend): void {
  const handlers = createHandlers(backend);
  backend.setSink((e) => {
    if (state.win && !state.win.isDestroyed()) state.win.webContents.send(EVENT_CHANNEL, e);
  });
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, args) => {
      // Only our own page may call: a frame from anywhere else gets nothing.
      const from = event.senderFrame?.url ?? '';
      if (!isAppUrl(from))
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'calls are accepted from the Proofdesk window only' },
        };
      return dispatch(handlers, channel, args);
    });
  }
}

/** The window; paths the system opens later (open-file, a second launch) are handed to it. */
async function openWindow(state: AppState, paths: ChosenPaths, backend: AppBackend): Promise<void> {
  const win = new BrowserWindow(
    windowOptions(join(packageRoot(), 'dist', 'preload', 'preload.cjs'), { devTools: !app.isPackaged }),
  );
  state.win = win;
  win.once('ready-to-show', () => win.show());
  state.emitOpen = (path) => {
    paths.allow(path);
    backend.emit({ type: 'app.open', path });
  };
  app.on('second-instance', (_e, argv, cwd) => {
    if (!win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
    const p = launchPath(argv, app.isPackaged, cwd);
    if (p) state.emitOpen?.(p);
  });
  await win.loadURL(APP_ENTRY);
  app.on('window-all-closed', () => {
    void backend.close().finally(() => app.quit());
  });
}

const cli = cliArgs(process.argv, app.isPackaged);
if (cli) void runAsCli(cli);
else void startApp();
