/** app.* and dialog.*: what this backend offers, and the native file dialog. */
import { existsSync } from 'node:fs';
import type { AppInfo } from '../../../shared/protocol/ipc.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { SAMPLE } from '../../services/sample.js';
import { defaultWorkerCount } from '../../verify/bundle/verify.js';
import type { Backend } from './backend.js';
import { type AreaHandlers, Unavailable } from './handler.js';

export function appHandlers(b: Backend): AreaHandlers<'app.info' | 'dialog.open'> {
  return {
    'app.info': (): AppInfo => {
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
        features: { cases: true, reports: true, compare: true, fileDialog: b.dialog !== undefined },
        ...(sample ? { sample } : {}),
      };
    },
    'dialog.open': async (a) => {
      if (!b.dialog) throw new Unavailable('there is no native file dialog here: type or paste the path instead');
      return { paths: await b.dialog(a.kind, a.defaultName) };
    },
  };
}
