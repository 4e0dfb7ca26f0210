/**
 * The services behind the IPC contract, assembled once per process and shared by every
 * transport (Electron IPC and the local HTTP host). Optional services are absent until
 * their implementation is present; the contract answers UNAVAILABLE for them.
 */
import type { BundleRef, IpcEvent } from '../../../shared/protocol/ipc.js';
import { CaseTasks } from '../../services/case-tasks.js';
import { CaseSession } from '../../services/cases.js';
import { CompareRegistry } from '../../services/compare.js';
import { EntryBrowser } from '../../services/entries.js';
import { RunRegistry } from '../../services/runs.js';
import type { PathPolicy } from './path-policy.js';

export type DialogKind = 'bundle' | 'key' | 'report' | 'save-report';

export interface Backend {
  readonly transport: 'electron' | 'local-http';
  readonly runs: RunRegistry;
  readonly compares: CompareRegistry;
  /** The case open in this window, if any. */
  readonly cases: CaseSession;
  /** Worker threads for the long work (case writes, imports, index builds, PDFs). */
  readonly tasks: CaseTasks;
  /** Emits an event to every connected renderer. */
  readonly emit: (e: IpcEvent) => void;
  /** A native file dialog (Electron); absent in headless use. */
  readonly dialog?: (kind: DialogKind, defaultName?: string) => Promise<string[]>;
  /** Default worker count for runs. */
  readonly workers?: number;
  /** Entry browsers of finished runs, created on first use. */
  readonly browsers: Map<string, EntryBrowser>;
  /** Which paths a call may name (path-policy.ts): checked before every handler. */
  readonly paths: PathPolicy;
}

export interface BackendOptions {
  readonly transport: Backend['transport'];
  readonly dialog?: Backend['dialog'];
  readonly workers?: number;
  /** Required: each transport says which paths its callers may use. */
  readonly paths: PathPolicy;
}

/** A backend whose events go to `sink` (set later by the transport: listeners come and go). */
export function createBackend(
  o: BackendOptions,
): Backend & { setSink(sink: (e: IpcEvent) => void): void; close(): Promise<void> } {
  let sink: (e: IpcEvent) => void = () => {};
  const emit = (e: IpcEvent) => sink(e);
  const runs = new RunRegistry(emit);
  const compares = new CompareRegistry(emit);
  const tasks = new CaseTasks();
  const cases = new CaseSession(tasks);
  return {
    transport: o.transport,
    runs,
    compares,
    cases,
    tasks,
    emit,
    ...(o.dialog ? { dialog: o.dialog } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    browsers: new Map(),
    paths: o.paths,
    setSink(s) {
      sink = s;
    },
    close: async () => {
      await Promise.all([runs.close(), compares.close()]);
      await tasks.close();
      cases.close();
    },
  };
}

/** The entry browser of a finished run. */
export function browserFor(b: Backend, runId: string): EntryBrowser {
  let br = b.browsers.get(runId);
  if (br) return br;
  const rec = b.runs.record(runId);
  if (rec.state !== 'done' || !rec.index || !rec.run) {
    throw Object.assign(new Error(`run ${runId} has not finished, so its entries are not indexed yet`), {
      ipcCode: 'UNAVAILABLE' as const,
    });
  }
  br = new EntryBrowser(rec.index, rec.run.result);
  if (b.browsers.size >= 8) b.browsers.delete(b.browsers.keys().next().value!);
  b.browsers.set(runId, br);
  return br;
}

/** The file a bundle reference names: a path as given, or the stored copy of a case's evidence. */
export function bundlePath(b: Backend, ref: BundleRef): string {
  return 'path' in ref ? ref.path : b.cases.evidencePath(Number(ref.evidenceId));
}
