/**
 * The preload: exposes `window.proofdesk`, one named function per call of the IPC contract
 * (shared/protocol/ipc.ts), the event subscription, and the path of a dropped file. Never
 * ipcRenderer itself. Bundled to one CommonJS file (vite --mode preload) because a
 * sandboxed preload cannot load modules.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import {
  CHANNELS,
  DROPPED_PATH_CHANNEL,
  EVENT_CHANNEL,
  type IpcEvent,
  type ProofdeskBridge,
} from '../../shared/protocol/ipc.js';

const calls = Object.fromEntries(CHANNELS.map((c) => [c, (args: unknown) => ipcRenderer.invoke(c, args)]));

const bridge = {
  ...calls,
  onEvent(listener: (e: IpcEvent) => void) {
    const h = (_e: IpcRendererEvent, ev: IpcEvent) => listener(ev);
    ipcRenderer.on(EVENT_CHANNEL, h);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, h);
  },
  pathForFile(file: unknown) {
    let path = '';
    try {
      path = webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
    // A dropped file is a path the user chose: the main process may then accept calls naming it.
    if (path !== '') ipcRenderer.send(DROPPED_PATH_CHANNEL, path);
    return path;
  },
} as unknown as ProofdeskBridge;

contextBridge.exposeInMainWorld('proofdesk', bridge);
