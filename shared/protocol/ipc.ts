/**
 * The IPC contract between the renderer and the backend, defined once. Electron's preload
 * builds one named function per call from CALLS; the local HTTP transport (electron/transport/host)
 * serves the same calls; the renderer's API type is derived from CALLS. Handlers
 * (electron/transport/ipc) validate every argument at runtime with the schemas below, because the
 * other side of a process boundary is not trusted to respect types, and answer with a
 * Result instead of throwing (an error thrown from ipcMain.handle loses all but its message).
 *
 * Platform-free: no Node, DOM or Electron types.
 */

import type { DiffRun } from '../diff/model.js';
import { KEY_ROLES, type KeyRole } from '../keys/trust.js';
import type { Block } from '../report/document.js';
import type { ErrorCode } from '../verdict/errors.js';
import type { Finding } from '../verdict/findings.js';
import type { CheckStatus, Verdict, VerificationRun } from '../verdict/result.js';
import type { SilentPeriod, TimelineBar } from '../verdict/timeline.js';
import type { RunProgress, RunStage } from './progress.js';

export type { EntryView } from '../diff/entries.js';
export type { CheckpointRef, DiffResult, DiffVerdict } from '../diff/model.js';
// What the renderer needs from the rest of shared/, re-exported so it imports only the contract.
export { assertNever } from '../encoding/assert.js';
export type { SilentPeriod, TimelineBar } from '../verdict/timeline.js';
export type { KeyRole };

// ───────────────────────────── results and errors ─────────────────────────────

export type IpcErrorCode = ErrorCode | 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAVAILABLE' | 'FORBIDDEN';

export interface IpcError {
  readonly code: IpcErrorCode;
  readonly message: string;
  /** Argument problems, each with its path (`$.keys[1].path: expected a string`). */
  readonly issues?: readonly string[];
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

// ───────────────────────────── runtime schemas ─────────────────────────────

/** A validator: returns the narrowed value, or records every problem with its path. */
export interface Schema<T> {
  readonly check: (v: unknown, path: string, issues: string[]) => T;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** An object schema's type: members whose schema admits undefined are optional. */
type ObjectOf<F extends Record<string, Schema<unknown>>> = Simplify<
  { [K in keyof F as undefined extends Infer<F[K]> ? never : K]: Infer<F[K]> } & {
    [K in keyof F as undefined extends Infer<F[K]> ? K : never]?: Infer<F[K]>;
  }
>;

const schema = <T>(check: Schema<T>['check']): Schema<T> => ({ check });

export const s = {
  string: (o: { min?: number; max?: number } = {}) =>
    schema<string>((v, p, issues) => {
      if (typeof v !== 'string') issues.push(`${p}: expected a string`);
      else if (v.length < (o.min ?? 0)) issues.push(`${p}: must not be empty`);
      else if (v.length > (o.max ?? 4096)) issues.push(`${p}: longer than ${o.max ?? 4096} characters`);
      return v as string;
    }),
  int: (o: { min?: number; max?: number } = {}) =>
    schema<number>((v, p, issues) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) issues.push(`${p}: expected an integer`);
      else if (v < (o.min ?? 0) || v > (o.max ?? Number.MAX_SAFE_INTEGER))
        issues.push(`${p}: out of range [${o.min ?? 0}, ${o.max ?? Number.MAX_SAFE_INTEGER}]`);
      return v as number;
    }),
  boolean: () =>
    schema<boolean>((v, p, issues) => {
      if (typeof v !== 'boolean') issues.push(`${p}: expected true or false`);
      return v as boolean;
    }),
  literal: <const L extends readonly string[]>(...values: L) =>
    schema<L[number]>((v, p, issues) => {
      if (typeof v !== 'string' || !values.includes(v)) issues.push(`${p}: expected one of ${values.join(', ')}`);
      return v as L[number];
    }),
  optional: <T>(inner: Schema<T>) =>
    schema<T | undefined>((v, p, issues) => (v === undefined ? undefined : inner.check(v, p, issues))),
  array: <T>(inner: Schema<T>, o: { max?: number } = {}) =>
    schema<T[]>((v, p, issues) => {
      if (!Array.isArray(v)) {
        issues.push(`${p}: expected an array`);
        return [];
      }
      if (v.length > (o.max ?? 1000)) issues.push(`${p}: more than ${o.max ?? 1000} items`);
      return v.slice(0, o.max ?? 1000).map((x, i) => inner.check(x, `${p}[${i}]`, issues));
    }),
  object: <F extends Record<string, Schema<unknown>>>(fields: F) =>
    schema<ObjectOf<F>>((v, p, issues) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push(`${p}: expected an object`);
        return {} as ObjectOf<F>;
      }
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) if (!Object.hasOwn(fields, k)) issues.push(`${p}.${k}: unknown member`);
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(fields)) {
        const val = f.check(Object.hasOwn(rec, k) ? rec[k] : undefined, `${p}.${k}`, issues);
        if (val !== undefined) out[k] = val;
      }
      return out as ObjectOf<F>;
    }),
  /**
   * Exactly one of the listed members is present (a tagged choice without a tag), plus any of
   * the `common` members, which every choice may carry.
   */
  oneOf: <F extends Record<string, Schema<unknown>>, C extends Record<string, Schema<unknown>> = Record<never, never>>(
    fields: F,
    common?: C,
  ) =>
    schema<{ [K in keyof F]: Simplify<{ [P in K]: Infer<F[P]> } & ObjectOf<C>> }[keyof F]>((v, p, issues) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push(`${p}: expected an object`);
        return {} as never;
      }
      const shared: Record<string, Schema<unknown>> = common ?? {};
      const present = Object.keys(v).filter((k) => Object.hasOwn(fields, k));
      const unknown = Object.keys(v).filter((k) => !Object.hasOwn(fields, k) && !Object.hasOwn(shared, k));
      for (const k of unknown) issues.push(`${p}.${k}: unknown member`);
      if (present.length !== 1) {
        issues.push(`${p}: expected exactly one of ${Object.keys(fields).join(', ')}`);
        return {} as never;
      }
      const k = present[0]!;
      const out: Record<string, unknown> = {
        [k]: fields[k]!.check((v as Record<string, unknown>)[k], `${p}.${k}`, issues),
      };
      for (const [name, f] of Object.entries(shared)) {
        const val = f.check(
          Object.hasOwn(v, name) ? (v as Record<string, unknown>)[name] : undefined,
          `${p}.${name}`,
          issues,
        );
        if (val !== undefined) out[name] = val;
      }
      return out as never;
    }),
};

/** Validates `v` against `sch`; every problem comes back with its path. */
export function validate<T>(sch: Schema<T>, v: unknown): { ok: true; value: T } | { ok: false; issues: string[] } {
  const issues: string[] = [];
  const value = sch.check(v, '$', issues);
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

// ───────────────────────────── shared argument shapes ─────────────────────────────

const id = () => s.string({ min: 1, max: 128 });
const path = () => s.string({ min: 1, max: 4096 });

/** What a trusted key may sign (shared/keys/trust.ts). */
const keyRoleSchema = s.literal(...KEY_ROLES);

/**
 * A key to trust for a run: a key file, key text pasted by the examiner, or a key of the open
 * case; with the role it is trusted in. Without a role a key is a log key, unless it is a
 * witness verifier key (type 0x04); a role contradicting a verifier key's type is refused.
 */
const keyRefSchema = s.oneOf(
  { path: path(), text: s.string({ min: 1, max: 64 * 1024 }), caseKeyId: id() },
  { role: s.optional(keyRoleSchema) },
);
export type KeyRef = Infer<typeof keyRefSchema>;

/** A bundle: a path on this machine, or evidence of the open case. */
const bundleRefSchema = s.oneOf({ path: path(), evidenceId: id() });
export type BundleRef = Infer<typeof bundleRefSchema>;

// ───────────────────────────── response shapes ─────────────────────────────

export interface Features {
  /** Case files (electron/case) are available. */
  readonly cases: boolean;
  /** Signed reports (electron/report). */
  readonly reports: boolean;
  /** Comparing two exports (engine diff). */
  readonly compare: boolean;
  /** A native file dialog exists (Electron only). */
  readonly fileDialog: boolean;
  /** Files (a report PDF) can be opened in the system's viewer (Electron only). */
  readonly openFiles: boolean;
}

export interface AppInfo {
  readonly version: string;
  readonly transport: 'electron' | 'local-http';
  readonly workers: number;
  readonly features: Features;
  /** A case folder or bundle the desktop was asked to open at launch (given once). */
  readonly open?: string;
  /** The bundled sample and its DEMO keys (each with the role it is trusted in), for a first look. */
  readonly sample?: {
    readonly bundle: string;
    readonly keys: ReadonlyArray<{ readonly path: string; readonly role: KeyRole }>;
  };
}

export interface BundleInfo {
  readonly path: string;
  readonly name: string;
  readonly container: 'directory' | 'tar';
  /** Total bytes of the files the manifest lists plus the manifest (directory), or of the archive. */
  readonly sizeBytes: number;
  /**
   * What `digest` is: the SHA-256 of the archive, or the proofdesk-tree-v1 digest of the
   * folder's files (shared/bundle/tree-digest.ts). It is the evidence digest: the one the
   * case locker names the bundle by, the custody journal records and a report's page 1 states.
   */
  readonly digestOf: 'archive' | 'tree';
  readonly digest: string;
  /** Regular files the digest covers (a folder). */
  readonly fileCount?: number;
  readonly format: string;
  readonly origin: string;
  /** What the manifest claims, read before anything is verified. */
  readonly entryCount: number;
  readonly entriesBytes: number;
  readonly checkpoints: ReadonlyArray<{ readonly file: string; readonly size?: number }>;
  readonly proofs: number;
  readonly shippedKeys: number;
  readonly created?: string;
  readonly producer?: string;
}

export interface KeyInfo {
  readonly fingerprint: string;
  readonly format: string;
  readonly label: string;
  readonly name?: string;
  /** The roles the key would be trusted in (its verifier key type decides, else the role asked for). */
  readonly roles: readonly KeyRole[];
  /** The key as a C2SP verifier key when it has a name, else SPKI PEM. */
  readonly display: string;
}

export type RunState = 'running' | 'done' | 'failed' | 'cancelled';

export type { RunProgress, RunStage };

export interface RunView {
  readonly runId: string;
  readonly state: RunState;
  readonly bundle: string;
  readonly caseId?: string;
  /** A run of the open case: its evidence item and its run id in the case (once recorded). */
  readonly evidenceId?: number;
  readonly caseRunId?: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly progress?: RunProgress;
  /** How long each stage took (ms), in the order they ran: the total is what the examiner waited. */
  readonly stages?: ReadonlyArray<{ readonly stage: RunStage; readonly ms: number }>;
  readonly run?: VerificationRun;
  readonly error?: IpcError;
  /** The entry browser is available (the run finished and indexed the entries). */
  readonly browsable: boolean;
  /** The entries are in the case's search index (search with filters, counts). */
  readonly indexed?: boolean;
  /** Outside a case: the bundle's evidence digest now differs from the one shown when it was imported. */
  readonly changedSinceImport?: { readonly importedDigest: string; readonly digestNow: string };
}

/** The id the app gives a run recorded in a case (verify.get, entries.*, reports.*, compare.get accept it). */
export function caseRunKey(caseId: string, runId: number): string {
  return `case:${caseId}:${runId}`;
}

/** The case id and run id of a case run key, or undefined. */
export function parseCaseRunKey(key: string): { readonly caseId: string; readonly runId: number } | undefined {
  const m = /^case:([0-9a-f-]{36}):(\d{1,15})$/.exec(key);
  return m ? { caseId: m[1]!, runId: Number(m[2]) } : undefined;
}

export interface EntryRow {
  readonly index: number;
  /** Byte offset of the line in the entries file. */
  readonly offset: number;
  readonly length: number;
  readonly seq?: number;
  readonly ts?: string;
  /** A short one-line rendering of the event (or of the raw line if it does not parse). */
  readonly summary: string;
  readonly parses: boolean;
  /** Who did what to what, as common audit formats name them (electron/case/entry-fields.ts). */
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
}

export interface EntryPage {
  readonly from: number;
  readonly total: number;
  readonly rows: readonly EntryRow[];
}

export type LinkStatus = 'ok' | 'broken' | 'unknown';

export interface ProofStep {
  /** Leaves [from, to) whose root is the sibling. */
  readonly siblingRange: readonly [number, number];
  readonly side: 'left' | 'right';
  readonly sibling: string;
  /** The node after combining, covering the union of both ranges. */
  readonly node: string;
  readonly nodeRange: readonly [number, number];
}

export interface InclusionView {
  readonly checkpointFile: string;
  readonly size: number;
  readonly trusted: boolean;
  readonly leafHash: string;
  readonly steps: readonly ProofStep[];
  readonly computedRoot: string;
  readonly signedRoot: string;
  readonly matches: boolean;
}

export interface EntryDetail {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  /** The exact line (UTF-8, lossy for invalid bytes), cut at 64 KiB. */
  readonly raw: string;
  readonly rawTruncated: boolean;
  readonly leafHash: string;
  readonly prev?: string;
  /** What prev should be: the genesis value or SHA-256(prev_{i-1} || leaf_{i-1}). */
  readonly expectedPrev?: string;
  readonly prevStatus: LinkStatus;
  /** SHA-256(prev || leaf hash): what the next entry's prev must be. */
  readonly link?: string;
  readonly nextPrev?: string;
  readonly nextStatus: LinkStatus | 'last';
  readonly findings: readonly Finding[];
  readonly coverage: 'verified' | 'failed' | 'unverifiable';
  readonly proof?: InclusionView;
  /** Why no proof is drawn (no checkpoint covers the entry). */
  readonly proofUnavailable?: string;
}

/** Coverage of one entry as the examiner reads it: no longer proven is kept apart from never proven. */
export type EntryStatus = 'verified' | 'failed' | 'no-longer-proven' | 'unverifiable';

export interface QueryHitView {
  readonly index: number;
  readonly seq: number | null;
  readonly ts: string | null;
  readonly actor: string | null;
  readonly action: string | null;
  readonly target: string | null;
  /** In the run shown (not in the run the index was built for). */
  readonly status: EntryStatus;
  readonly findings: readonly string[];
  /** The start of the line, as stored. */
  readonly line: string;
}

export interface EntryQueryView {
  readonly hits: readonly QueryHitView[];
  /** Every match, counted (indexed search only). */
  readonly total?: number;
  readonly more: boolean;
  readonly elapsedMs: number;
  /** The terms to highlight in what is shown (words, phrases and field values of the query). */
  readonly highlight: readonly string[];
}

export interface TimelineView {
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  readonly bars: readonly TimelineBar[];
  /** Silences longer than `silenceMs` that overlap [from, to). */
  readonly silences: readonly SilentPeriod[];
  /** The log's usual rhythm: the median time between consecutive entries. */
  readonly typicalGapMs: number;
  /** A gap at least this long is a silence. */
  readonly silenceMs: number;
  /** Whole log. */
  readonly first: number;
  readonly last: number;
  readonly entriesWithoutTime: number;
  readonly elapsedMs: number;
}

export interface SearchResult {
  readonly matches: readonly number[];
  /** The next index to continue from; equals total when the end was reached. */
  readonly next: number;
  readonly total: number;
}

// ── cases ──

export interface CaseEvidenceView {
  readonly id: number;
  readonly kind: 'bundle' | 'key' | 'other';
  readonly container: 'file' | 'directory';
  readonly digest: string;
  readonly size: number;
  readonly fileCount: number;
  readonly name: string;
  readonly originalPath: string;
  readonly importedAt: string;
  readonly importedBy: string;
  /** Absolute path of the stored (read-only) copy. */
  readonly storedPath: string;
  /** A bundle: what its manifest says (read from the stored copy; nothing verified yet). */
  readonly bundle?: {
    readonly format: string;
    readonly origin: string;
    readonly entryCount: number;
    readonly container: 'directory' | 'tar';
    readonly checkpoints: number;
  };
}

export interface CaseKeyView {
  readonly id: number;
  readonly fingerprint: string;
  readonly label: string;
  readonly keyName: string | null;
  readonly origin: string | null;
  readonly role: KeyRole;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly revokedAt: string | null;
  readonly revocationReason: string | null;
  readonly trustedAt: string;
  readonly trustedBy: string;
}

export interface CaseRunView {
  readonly id: number;
  /** The id to ask verify.get / compare.get and the entry browser for this run. */
  readonly appRunId: string;
  readonly kind: string;
  readonly inputs: ReadonlyArray<{ readonly role: string; readonly evidenceId: number }>;
  readonly startedBy: string;
  readonly status: string;
  readonly verdict: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly evidenceIds: readonly number[];
  readonly counts: { readonly entries?: number; readonly errors: number; readonly warnings: number } | null;
  readonly error: string | null;
}

export interface CaseReportView {
  readonly id: number;
  readonly runId: number | null;
  readonly signedAt: string;
  readonly signedBy: string;
  readonly examinerFingerprint: string | null;
  readonly files: ReadonlyArray<{
    readonly role: string;
    readonly path: string;
    readonly size: number;
    readonly digest: string;
  }>;
}

export interface JournalRowView {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  /** What `proofdesk case journal` prints about the row (path, digest, size, …). */
  readonly summary: string;
  readonly details: string;
  readonly hash: string;
}

export interface CaseView {
  readonly dir: string;
  readonly caseId: string;
  readonly title: string;
  readonly reference: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Who the app journals as in this case (asked when the case is created or opened). */
  readonly examiner: string;
  readonly head: { readonly seq: number; readonly hash: string };
  readonly evidence: readonly CaseEvidenceView[];
  readonly keys: readonly CaseKeyView[];
  readonly runs: readonly CaseRunView[];
  readonly reports: readonly CaseReportView[];
}

/** The integrity check of the open case (`proofdesk case verify`). */
export interface CaseCheckView {
  readonly ok: boolean;
  readonly journalRows: number;
  readonly head: { readonly seq: number; readonly hash: string };
  readonly evidence: { readonly items: number; readonly files: number; readonly bytes: number };
  readonly reports: number;
  readonly problems: ReadonlyArray<{
    readonly code: string;
    readonly severity: 'error' | 'warning' | 'info';
    readonly where: string;
    readonly message: string;
  }>;
  readonly elapsedMs: number;
}

export interface CaseExportView {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly journalHead: { readonly seq: number; readonly hash: string };
  readonly files: number;
}

// ── compare ──

export type CompareProgress =
  | { readonly stage: 'verify'; readonly side: 'A' | 'B'; readonly verify: RunProgress }
  | { readonly stage: 'compare' }
  | { readonly stage: 'done' };

export interface CompareView {
  readonly jobId: string;
  readonly state: RunState;
  readonly a: string;
  readonly b: string;
  readonly caseId?: string;
  /** A comparison of the open case: its run id there, once recorded. */
  readonly caseRunId?: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly progress?: CompareProgress;
  readonly run?: DiffRun;
  readonly error?: IpcError;
  /** Proof files the comparison produced, stored as evidence of the case. */
  readonly proofs?: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
}

// ── reports ──

export interface ReportPreview {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface SignedReportView {
  readonly reportId: string;
  readonly dir: string;
  readonly pdf: string;
  readonly signature: string;
  readonly attestation: string;
  readonly examinerFingerprint: string;
  /** The report's id in the open case, when one is open. */
  readonly caseReportId?: number;
}

/** The result of checking a signed report (electron/report/verify-report.ts, as `proofdesk report verify`). */
export interface ReportCheckView {
  readonly verdict: Verdict;
  /**
   * What the signature says about the report: signed by the key given and unchanged since;
   * signed by another key (the examiner's key fingerprint from the envelope, unverified, is in
   * `signer`: nothing says it was changed); altered after signing (a signature of the key given
   * no longer matches); or undetermined (no readable attestation).
   */
  readonly authenticity: 'authentic' | 'other-key' | 'altered' | 'undetermined';
  /** Who the report says signed it (hints from the envelope and the statement; not verified). */
  readonly signer?: { readonly fingerprints: readonly string[] };
  /** The PDF checked, when there is one (to open it). */
  readonly pdf?: string;
  readonly rerun?: { readonly verdict: Verdict; readonly differences: number };
  /** The file checked: the report PDF, or the attestation when no PDF was given. */
  readonly input: string;
  readonly examinerKey: string;
  readonly checks: ReadonlyArray<{ readonly id: string; readonly status: CheckStatus }>;
  readonly findings: readonly Finding[];
  readonly attested?: {
    readonly reportId: string;
    readonly verdict: Verdict;
    readonly bundle: string;
    readonly origin: string;
    readonly entryCount: number;
    readonly examiner: string;
    readonly caseReference?: string;
    /** Signed inside a case: the case, its run and the journal head the signature anchors. */
    readonly case?: {
      readonly caseId: string;
      readonly reference?: string;
      readonly runId?: number;
      readonly journalHead: { readonly seq: number; readonly hash: string };
    };
    readonly timeVerified: string;
  };
}

// ───────────────────────────── the calls ─────────────────────────────

interface CallDef<A, R> {
  readonly args: Schema<A>;
  /** Phantom: the response type. Never read at run time. */
  readonly res?: R;
}
const call =
  <R>() =>
  <A>(args: Schema<A>): CallDef<A, R> => ({ args });

/**
 * Every call: channel name → argument schema and response type. Channel names are
 * `area.verb`; one handler module per area lives in electron/transport/ipc/.
 */
export const CALLS = {
  'app.info': call<AppInfo>()(s.object({})),
  'dialog.open': call<{ readonly paths: readonly string[] }>()(
    s.object({
      kind: s.literal('bundle', 'key', 'report', 'save-report'),
      defaultName: s.optional(s.string({ max: 255 })),
    }),
  ),

  'evidence.inspect': call<BundleInfo>()(s.object({ path: path() })),
  'keys.inspect': call<KeyInfo>()(keyRefSchema),

  'verify.start': call<{ readonly runId: string }>()(
    s.object({
      bundle: bundleRefSchema,
      keys: s.array(keyRefSchema, { max: 64 }),
      caseId: s.optional(id()),
      workers: s.optional(s.int({ min: 1, max: 64 })),
      /** The evidence digest shown when the bundle was imported: a change since then is reported. */
      expectDigest: s.optional(s.string({ min: 64, max: 64 })),
    }),
  ),
  'verify.cancel': call<{ readonly cancelled: boolean }>()(s.object({ runId: id() })),
  'verify.get': call<RunView>()(s.object({ runId: id() })),
  'verify.list': call<readonly RunView[]>()(s.object({})),

  'entries.page': call<EntryPage>()(s.object({ runId: id(), from: s.int(), count: s.int({ min: 1, max: 1000 }) })),
  'entries.detail': call<EntryDetail>()(s.object({ runId: id(), index: s.int() })),
  'entries.query': call<EntryQueryView>()(
    s.object({
      runId: id(),
      text: s.optional(s.string({ max: 1024 })),
      actor: s.optional(s.string({ min: 1, max: 512 })),
      action: s.optional(s.string({ min: 1, max: 512 })),
      target: s.optional(s.string({ min: 1, max: 512 })),
      /** Inclusive, RFC 3339 UTC or YYYY-MM-DD. */
      from: s.optional(s.string({ min: 1, max: 40 })),
      to: s.optional(s.string({ min: 1, max: 40 })),
      /** Hits after this entry (the next page). */
      after: s.optional(s.int()),
      limit: s.optional(s.int({ min: 1, max: 1000 })),
      count: s.optional(s.boolean()),
    }),
  ),
  'entries.timeline': call<TimelineView>()(
    s.object({
      runId: id(),
      from: s.optional(s.int({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 })),
      to: s.optional(s.int({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 })),
      buckets: s.int({ min: 1, max: 2000 }),
    }),
  ),
  'entries.search': call<SearchResult>()(
    s.object({
      runId: id(),
      query: s.string({ min: 1, max: 1024 }),
      from: s.int(),
      limit: s.optional(s.int({ min: 1, max: 1000 })),
    }),
  ),

  'cases.create': call<CaseView>()(
    s.object({
      dir: path(),
      title: s.string({ min: 1, max: 200 }),
      reference: s.optional(s.string({ max: 200 })),
      examiner: s.string({ min: 1, max: 200 }),
    }),
  ),
  'cases.open': call<CaseView>()(s.object({ dir: path(), examiner: s.optional(s.string({ min: 1, max: 200 })) })),
  'cases.close': call<{ readonly closed: boolean }>()(s.object({})),
  'cases.current': call<CaseView | null>()(s.object({})),
  'cases.importEvidence': call<{
    readonly evidence: CaseEvidenceView;
    readonly duplicate: boolean;
    readonly bundle?: BundleInfo;
  }>()(
    s.object({
      path: path(),
      label: s.optional(s.string({ max: 200 })),
      /** 'other': the examiner chose to keep something that is not a bundle as other evidence. */
      kind: s.optional(s.literal('bundle', 'key', 'other')),
    }),
  ),
  'cases.revokeKey': call<CaseKeyView>()(
    s.object({
      fingerprint: s.string({ min: 8, max: 64 }),
      /** From when on its signatures no longer count (RFC 3339 UTC); the epoch untrusts it entirely. */
      revokedAt: s.string({ min: 1, max: 40 }),
      reason: s.string({ min: 1, max: 1000 }),
    }),
  ),
  'cases.check': call<CaseCheckView>()(s.object({})),
  'cases.export': call<CaseExportView>()(s.object({ out: path(), withIndex: s.optional(s.boolean()) })),
  'paths.classify': call<{ readonly kind: 'case' | 'bundle' | 'other' | 'missing' }>()(s.object({ path: path() })),
  'files.open': call<{ readonly opened: boolean }>()(s.object({ path: path() })),
  'cases.trustKey': call<CaseKeyView>()(
    s.object({
      key: s.oneOf({ path: path(), text: s.string({ min: 1, max: 64 * 1024 }) }),
      role: s.optional(keyRoleSchema),
      label: s.optional(s.string({ max: 200 })),
      origin: s.optional(s.string({ min: 1, max: 1024 })),
      validFrom: s.optional(s.string({ max: 40 })),
      validUntil: s.optional(s.string({ max: 40 })),
    }),
  ),
  'cases.journal': call<readonly JournalRowView[]>()(
    s.object({ fromSeq: s.optional(s.int({ min: 1 })), limit: s.optional(s.int({ min: 1, max: 10_000 })) }),
  ),

  'compare.start': call<{ readonly jobId: string }>()(
    s.object({
      a: bundleRefSchema,
      b: bundleRefSchema,
      keys: s.array(keyRefSchema, { max: 64 }),
      alignBy: s.optional(s.literal('seq', 'content')),
      caseId: s.optional(id()),
    }),
  ),
  'compare.sign': call<{ readonly path: string; readonly caseReportId?: number }>()(
    s.object({ jobId: id(), keyPath: path(), passphrase: s.optional(s.string({ max: 1024 })), out: path() }),
  ),
  'compare.cancel': call<{ readonly cancelled: boolean }>()(s.object({ jobId: id() })),
  'compare.get': call<CompareView>()(s.object({ jobId: id() })),

  'reports.preview': call<ReportPreview>()(s.object({ runId: id() })),
  'reports.sign': call<SignedReportView>()(
    s.object({ runId: id(), keyPath: path(), passphrase: s.optional(s.string({ max: 1024 })), outDir: path() }),
  ),
  'reports.verify': call<ReportCheckView>()(
    s.object({
      path: path(),
      examinerKey: s.oneOf({ path: path(), text: s.string({ min: 1, max: 64 * 1024 }) }),
      /** Verify the evidence again and compare with what the report attests (`--rerun`). */
      rerun: s.optional(s.object({ bundle: bundleRefSchema, keys: s.array(keyRefSchema, { max: 64 }) })),
    }),
  ),
} as const;

export type Channel = keyof typeof CALLS;
export type ArgsOf<C extends Channel> = (typeof CALLS)[C] extends CallDef<infer A, unknown> ? A : never;
export type ResOf<C extends Channel> = (typeof CALLS)[C] extends CallDef<unknown, infer R> ? R : never;
export const CHANNELS = Object.keys(CALLS) as Channel[];

export function isChannel(x: unknown): x is Channel {
  return typeof x === 'string' && Object.hasOwn(CALLS, x);
}

// ───────────────────────────── events (backend → renderer) ─────────────────────────────

export type IpcEvent =
  | { readonly type: 'run.progress'; readonly runId: string; readonly progress: RunProgress }
  | { readonly type: 'run.state'; readonly runId: string; readonly state: RunState }
  | { readonly type: 'compare.progress'; readonly jobId: string; readonly progress: CompareProgress }
  | { readonly type: 'compare.state'; readonly jobId: string; readonly state: RunState }
  | { readonly type: 'case.changed'; readonly caseId: string | null }
  /** The desktop asked to open a path (a second launch, a file opened from the system): a case or a bundle. */
  | { readonly type: 'app.open'; readonly path: string }
  /** Evidence being copied into the open case (cases.importEvidence), throttled. */
  | {
      readonly type: 'case.progress';
      readonly caseId: string;
      readonly task: 'import';
      readonly path: string;
      readonly bytesDone: number;
      readonly bytesTotal: number;
    };

/** The one Electron channel events travel on (each event carries its own type). */
export const EVENT_CHANNEL = 'proofdesk.event';
/**
 * The preload tells the main process, on this channel, the path of a file the user dropped
 * (pathForFile): a path the user chose, which calls may then name. Only the preload sends on
 * it; the page cannot, and a File the page makes up has no path.
 */
export const DROPPED_PATH_CHANNEL = 'proofdesk.dropped-path';

/**
 * What the Electron preload exposes on `window.proofdesk`: one named function per call of
 * the contract (never a generic send/invoke), plus the event subscription.
 */
export type ProofdeskBridge = { readonly [C in Channel]: (args: ArgsOf<C>) => Promise<IpcResult<ResOf<C>>> } & {
  readonly onEvent: (listener: (e: IpcEvent) => void) => () => void;
  /** The file-system path of a dropped file (Electron's webUtils.getPathForFile); '' when unknown. */
  readonly pathForFile: (file: unknown) => string;
};

/** The API a renderer sees, whatever the transport. */
export interface ProofdeskApi {
  call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<IpcResult<ResOf<C>>>;
  /** Subscribes to backend events; returns the unsubscribe function. */
  onEvent(listener: (e: IpcEvent) => void): () => void;
}
