/** The workspace's shape and the actions that change it. */
import type {
  AppInfo,
  BundleInfo,
  CaseView,
  CompareProgress,
  CompareView,
  KeyInfo,
  KeyRef,
  RunProgress,
  RunState,
  RunView,
} from '../../../shared/protocol/ipc.js';
import type { Zone } from '../time.js';

export type Screen = 'import' | 'verify' | 'entries' | 'compare' | 'reports' | 'cases';
export const SCREENS: ReadonlyArray<{ id: Screen; label: string }> = [
  { id: 'cases', label: 'Case' },
  { id: 'import', label: 'Import' },
  { id: 'verify', label: 'Verify' },
  { id: 'entries', label: 'Entries' },
  { id: 'compare', label: 'Compare' },
  { id: 'reports', label: 'Reports' },
];

export interface ImportedBundle {
  readonly id: string;
  readonly info: BundleInfo;
  /** Set for evidence of the open case. */
  readonly evidenceId?: number;
  readonly importedAt?: string;
  readonly importedBy?: string;
}
export interface ImportedKey {
  readonly id: string;
  readonly ref: KeyRef;
  readonly info: KeyInfo;
  readonly use: boolean;
  /** One of the bundled sample's DEMO keys. */
  readonly demo?: boolean;
}

export interface Workspace {
  readonly app?: AppInfo;
  readonly screen: Screen;
  readonly zone: Zone;
  /** The open case; undefined when none. */
  readonly case?: CaseView;
  readonly compares: Readonly<Record<string, CompareView>>;
  readonly currentCompare?: string;
  /** Bundles imported for this session (no case open). */
  readonly bundles: readonly ImportedBundle[];
  /** Keys imported for this session (no case open): with a case, its trust store is the trust. */
  readonly keys: readonly ImportedKey[];
  readonly selectedBundle?: string;
  /** Run views by key: a run's id, or its case key once it is recorded in the case. */
  readonly runs: Readonly<Record<string, RunView>>;
  /** Runs started in this session, newest first (case runs are listed from the case). */
  readonly runOrder: readonly string[];
  readonly currentRun?: string;
  /** The entry the entry browser should open (set by a finding's link or a timeline bar). */
  readonly focus?: {
    readonly runId: string;
    readonly index: number;
    readonly seq: number;
    /** Entries of a time range to list (a bar of the timeline). */
    readonly range?: { readonly from: string; readonly to: string };
  };
  /** A path the desktop asked to open (a second launch, a file opened from the system). */
  readonly openRequest?: { readonly path: string; readonly seq: number };
}

export type Action =
  | { type: 'app'; app: AppInfo }
  | { type: 'goto'; screen: Screen }
  | { type: 'zone'; zone: Zone }
  | { type: 'case'; view: CaseView | null }
  | { type: 'compare.view'; view: CompareView; select?: boolean }
  | { type: 'compare.select'; key: string }
  | { type: 'compare.progress'; jobId: string; progress: CompareProgress }
  | { type: 'compare.state'; jobId: string; state: RunState }
  | { type: 'bundle.add'; bundle: BundleInfo }
  | { type: 'bundle.remove'; id: string }
  | { type: 'bundle.select'; id: string }
  | { type: 'key.add'; ref: KeyRef; info: KeyInfo; demo?: boolean }
  | { type: 'key.toggle'; id: string }
  | { type: 'key.remove'; id: string }
  | { type: 'run.view'; view: RunView }
  | { type: 'run.starting' }
  | { type: 'run.started'; view: RunView }
  | { type: 'run.progress'; runId: string; progress: RunProgress }
  | { type: 'run.state'; runId: string; state: RunState }
  | { type: 'run.select'; runId: string }
  | {
      type: 'entry.open';
      runId: string;
      index: number;
      range?: { readonly from: string; readonly to: string };
    }
  | { type: 'open.request'; path: string }
  | { type: 'open.done' };

/** What opening, closing or switching a case clears: nothing of one case is left in the next. */
export const empty = {
  bundles: [],
  keys: [],
  runs: {},
  runOrder: [],
  compares: {},
  selectedBundle: undefined,
  currentRun: undefined,
  currentCompare: undefined,
  focus: undefined,
} as const;
