/**
 * The services behind the IPC contract, assembled once per process and shared by every
 * transport (Electron IPC and the local HTTP host). Optional services are absent until
 * their implementation is present; the contract answers UNAVAILABLE for them.
 */
import { type BundleRef, type IpcEvent, parseCaseRunKey, type RunState } from '../../../shared/protocol/ipc.js';
import { CaseTasks } from '../../services/case-tasks.js';
import { CaseSession } from '../../services/cases.js';
import { CompareRegistry, type LoadedCompare } from '../../services/compare.js';
import { EntryBrowser } from '../../services/entries.js';
import { type LoadedRun, RunRegistry } from '../../services/runs.js';
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
  /** Opens a file in the system's viewer (Electron); absent in headless use. Resolves with an error text, '' when opened. */
  readonly openPath?: (path: string) => Promise<string>;
  /** A path the desktop asked to open before the window could take it (once). */
  readonly takeLaunchPath?: () => string | undefined;
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
  readonly openPath?: Backend['openPath'];
  readonly takeLaunchPath?: Backend['takeLaunchPath'];
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
  // Runs and comparisons recorded in the open case are found by their case key, after a restart too.
  runs.loader = (key) => loadCaseRun(cases, key);
  compares.loader = (key) => loadCaseCompare(cases, key);
  return {
    transport: o.transport,
    runs,
    compares,
    cases,
    tasks,
    emit,
    ...(o.dialog ? { dialog: o.dialog } : {}),
    ...(o.openPath ? { openPath: o.openPath } : {}),
    ...(o.takeLaunchPath ? { takeLaunchPath: o.takeLaunchPath } : {}),
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

function loadCaseRun(cases: CaseSession, key: string): LoadedRun | undefined {
  const k = parseCaseRunKey(key);
  if (!k || cases.open?.caseId !== k.caseId) return undefined;
  const r = cases.verifyRun(k.runId);
  if (!r) return undefined;
  return {
    runId: key,
    bundle: r.bundle,
    caseId: r.caseId,
    caseRunId: r.runId,
    evidenceId: r.evidenceId,
    state: stateOf(r.status),
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.run ? { run: r.run } : {}),
    ...(r.index ? { index: r.index } : {}),
    ...(r.error ? { error: { code: r.status === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: r.error } } : {}),
  };
}

function loadCaseCompare(cases: CaseSession, key: string): LoadedCompare | undefined {
  const k = parseCaseRunKey(key);
  if (!k || cases.open?.caseId !== k.caseId) return undefined;
  const r = cases.diffRun(k.runId);
  if (!r) return undefined;
  return {
    jobId: key,
    a: r.a,
    b: r.b,
    caseId: r.caseId,
    caseRunId: r.runId,
    state: stateOf(r.status),
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.run ? { run: r.run } : {}),
    ...(r.error ? { error: { code: r.status === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: r.error } } : {}),
    proofs: r.proofs,
  };
}

function stateOf(status: 'running' | 'finished' | 'failed' | 'cancelled'): RunState {
  return status === 'finished' ? 'done' : status;
}

/**
 * Everything of the open case the backend holds besides the case itself — its runs, their entry
 * browsers, its comparisons — is let go: after closing (or switching) a case, nothing of it can
 * be shown or signed outside it. Running work of the case is cancelled.
 */
export async function forgetCase(b: Backend): Promise<void> {
  const caseId = b.cases.open?.caseId;
  if (caseId === undefined) return;
  const gone = await b.runs.dropCase(caseId);
  await b.compares.dropCase(caseId);
  for (const id of gone) b.browsers.delete(id);
}

/** The entry browser of a finished run. */
export function browserFor(b: Backend, key: string): EntryBrowser {
  const rec = b.runs.record(key);
  const runId = rec.runId;
  let br = b.browsers.get(runId);
  if (br) return br;
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
