/**
 * The Electron main process (thin): one window with the settings of security.ts, the
 * renderer served from app://, IPC calls adapted by electron/transport/ipc to the same services the
 * CLI and the local host use. Started with a CLI subcommand (`proofdesk verify …`), it runs
 * the command and exits without a window, so the RunAsNode fuse can stay off.
 */

import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { CHANNELS, EVENT_CHANNEL } from '../../shared/protocol/ipc.js';
import { processIO } from '../cli/io.js';
import { runCli } from '../cli/main.js';
import { packageRoot } from '../platform/paths.js';
import { readAsset, rendererDir } from '../transport/host/assets.js';
import { createBackend, type DialogKind } from '../transport/ipc/backend.js';
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
  // A path to open that arrives before the window can take it (macOS open-file at launch).
  let launchOpen = launchPath(process.argv, app.isPackaged, process.cwd());
  let emitOpen: ((path: string) => void) | undefined;
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (emitOpen) emitOpen(path);
    else launchOpen = path;
  });
  await app.whenReady();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform, name: app.name })),
  );

  const root = rendererDir();
  applySessionPolicy(session.defaultSession, (urlPath) => readAsset(root, urlPath));

  let win: BrowserWindow | undefined;
  const backend = createBackend({
    transport: 'electron',
    openPath: (p) => shell.openPath(p),
    takeLaunchPath: () => {
      const p = launchOpen;
      launchOpen = undefined;
      return p;
    },
    dialog: async (kind, defaultName) => {
      if (!win) return [];
      if (kind === 'save-report') {
        const r = await dialog.showSaveDialog(win, {
          filters: FILTERS[kind],
          ...(defaultName ? { defaultPath: defaultName } : {}),
        });
        return r.canceled || !r.filePath ? [] : [r.filePath];
      }
      const props: Array<'openFile' | 'openDirectory' | 'multiSelections'> =
        kind === 'bundle' ? ['openFile', 'openDirectory'] : ['openFile', 'multiSelections'];
      const r = await dialog.showOpenDialog(win, { properties: props, filters: FILTERS[kind] });
      return r.canceled ? [] : r.filePaths;
    },
  });
  const handlers = createHandlers(backend);
  backend.setSink((e) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e);
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

  win = new BrowserWindow(
    windowOptions(join(packageRoot(), 'dist', 'preload', 'preload.cjs'), { devTools: !app.isPackaged }),
  );
  win.once('ready-to-show', () => win?.show());
  emitOpen = (path) => backend.emit({ type: 'app.open', path });
  app.on('second-instance', (_e, argv, cwd) => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
    const p = launchPath(argv, app.isPackaged, cwd);
    if (p) emitOpen?.(p);
  });
  await win.loadURL(APP_ENTRY);
  app.on('window-all-closed', () => {
    void backend.close().finally(() => app.quit());
  });
}

const cli = cliArgs(process.argv, app.isPackaged);
if (cli) void runAsCli(cli);
else void startApp();
