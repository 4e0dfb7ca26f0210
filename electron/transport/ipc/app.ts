/** app.* and dialog.*: what this backend offers, and the native file dialog. */
import { existsSync, type Stats, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AppInfo } from '../../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { CASE_DB } from '../../case/layout.js';
import { openBundle } from '../../platform/bundle-source.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { SAMPLE } from '../../services/sample.js';
import { readManifest } from '../../verify/bundle/manifest-reader.js';
import { defaultWorkerCount } from '../../verify/bundle/verify.js';
import type { Backend } from './backend.js';
import { type AreaHandlers, Unavailable } from './handler.js';

export function appHandlers(b: Backend): AreaHandlers<'app.info' | 'dialog.open' | 'paths.classify' | 'files.open'> {
  return {
    'app.info': (): AppInfo => {
      const open = b.takeLaunchPath?.();
      // The log and witness verifier keys carry their role in their type; the source key is a PEM key and needs its role said.
      const keys = [
        { path: SAMPLE.logKey(), role: 'log' as const },
        { path: SAMPLE.witnessKey(), role: 'witness' as const },
        { path: SAMPLE.sourceKey(), role: 'entry' as const },
      ];
      const sample =
        existsSync(SAMPLE.bundle()) && keys.every((k) => existsSync(k.path))
          ? { bundle: SAMPLE.bundle(), keys }
          : undefined;
      return {
        version: TOOL_VERSION,
        transport: b.transport,
        workers: b.workers ?? defaultWorkerCount(),
        features: {
          cases: true,
          reports: true,
          compare: true,
          fileDialog: b.dialog !== undefined,
          openFiles: b.openPath !== undefined,
        },
        ...(sample ? { sample } : {}),
        ...(open !== undefined ? { open } : {}),
      };
    },
    'dialog.open': async (a) => {
      if (!b.dialog) throw new Unavailable('there is no native file dialog here: type or paste the path instead');
      return { paths: await b.dialog(a.kind, a.defaultName) };
    },
    // What a path handed to the app (a second launch, a file opened from the system) is.
    'paths.classify': (a) => {
      let st: Stats;
      try {
        st = statSync(a.path);
      } catch {
        return { kind: 'missing' as const };
      }
      if (st.isDirectory() && existsSync(join(a.path, CASE_DB))) return { kind: 'case' as const };
      try {
        readManifest(openBundle(a.path));
        return { kind: 'bundle' as const };
      } catch {
        return { kind: 'other' as const };
      }
    },
    // Only a report's PDF, in the system's viewer: nothing else is handed to the desktop.
    'files.open': async (a) => {
      if (!b.openPath) throw new Unavailable('files can be opened only in the desktop app');
      if (extname(a.path).toLowerCase() !== '.pdf')
        throw new ProofdeskError('USAGE', 'only a report PDF can be opened');
      if (!statSync(a.path, { throwIfNoEntry: false })?.isFile())
        throw new ProofdeskError('INPUT_UNREADABLE', `not found: ${a.path}`);
      const err = await b.openPath(a.path);
      if (err) throw new ProofdeskError('INPUT_UNREADABLE', `the PDF could not be opened: ${err}`);
      return { opened: true };
    },
  };
}
