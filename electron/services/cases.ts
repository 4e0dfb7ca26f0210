/**
 * The case open in the app (at most one at a time), over the case store (electron/case).
 * Only adapts: every change goes through the store's own functions, which journal it.
 *
 * The main process only reads the case (a read-only connection: views, the journal, evidence
 * paths, trust for an origin, the runs recorded in it). Every write — creating or opening it for
 * writing (migration, recovery), importing evidence, trusting and revoking keys, verification
 * runs, comparisons, recording reports, exports — runs in a worker thread with its own
 * connection (case-tasks.ts), so neither a long import or index build nor a wait for the case's
 * write lock ever blocks the main process.
 *
 * The case is the app's source of truth: a run recorded in it is reopened from it (its stored
 * result, its EntryIndex), so after a restart everything done in the case is there again.
 */
import { basename } from 'node:path';
import type { DiffRun } from '../../shared/diff/model.js';
import type { KeyRole, TrustedKey } from '../../shared/keys/trust.js';
import type { CaseRef, ImportTaskProgress, TaskResult } from '../../shared/protocol/case-tasks.js';
import {
  type CaseCheckView,
  type CaseEvidenceView,
  type CaseExportView,
  type CaseKeyView,
  type CaseReportView,
  type CaseRunView,
  type CaseView,
  caseRunKey,
  type JournalRowView,
} from '../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { type CaseFile, caseMeta, defaultActor, openCase } from '../case/case.js';
import { loadBlockIndex, readySet } from '../case/entry-index.js';
import { type EvidenceRecord, getEvidence, listEvidence, storedPathOf } from '../case/evidence.js';
import { readJournal } from '../case/journal.js';
import { journalSummary } from '../case/journal-summary.js';
import { listReports } from '../case/reports.js';
import { DIFF_RUN_KIND, getRun, listRuns, runResultText, VERIFY_RUN_KIND } from '../case/runs.js';
import { listRevocations, listTrust, type TrustGrant, trustedKeysFor } from '../case/trust.js';
import { openBundle } from '../platform/bundle-source.js';
import { readManifest } from '../verify/bundle/manifest-reader.js';
import type { EntryIndex } from '../verify/bundle/verify.js';
import type { CaseTasks } from './case-tasks.js';

/** A verification run as recorded in the case, ready to be shown and browsed again. */
export interface StoredVerifyRun {
  readonly caseId: string;
  readonly runId: number;
  readonly status: 'running' | 'finished' | 'failed' | 'cancelled';
  readonly evidenceId: number;
  readonly bundle: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly run?: VerificationRun;
  readonly index?: EntryIndex;
}

/** A comparison as recorded in the case. */
export interface StoredDiffRun {
  readonly caseId: string;
  readonly runId: number;
  readonly status: 'running' | 'finished' | 'failed' | 'cancelled';
  readonly a: string;
  readonly b: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly run?: DiffRun;
  readonly proofs: ReadonlyArray<{ readonly evidenceId: number; readonly label: string }>;
}

type BundleSummary = NonNullable<CaseEvidenceView['bundle']>;

export class CaseSession {
  #cf: CaseFile | undefined;
  #actor: string;
  /** Evidence never changes once stored: what its manifest says is read once. */
  readonly #manifests = new Map<number, BundleSummary | null>();

  constructor(
    readonly tasks: CaseTasks,
    actor?: string,
  ) {
    this.#actor = actor ?? defaultActor();
  }

  /** Journal actor of the app's actions in the open case: the examiner named when it was created or opened. */
  get actor(): string {
    return this.#actor;
  }

  /** The open case (a read-only handle), if any. */
  get open(): CaseFile | undefined {
    return this.#cf;
  }

  /** The open case, or a USAGE error that says to open one. */
  require(caseId?: string): CaseFile {
    const cf = this.#cf;
    if (!cf) throw new ProofdeskError('USAGE', 'no case is open: create or open a case first');
    if (caseId !== undefined && cf.caseId !== caseId) throw new ProofdeskError('USAGE', 'that case is no longer open');
    return cf;
  }

  /** Where case tasks find the open case, and who they journal as. */
  ref(caseId?: string): CaseRef {
    return { dir: this.require(caseId).dir, actor: this.#actor };
  }

  async create(dir: string, title: string, reference: string | undefined, examiner: string): Promise<CaseView> {
    this.close();
    const actor = examiner.trim();
    if (actor === '') throw new ProofdeskError('USAGE', 'name the examiner: the custody journal records who acts');
    await this.tasks.run('case.create', { dir, actor, title, ...(reference ? { reference } : {}) });
    this.#actor = actor;
    this.#cf = openCase(dir, { readonly: true, actor });
    return this.view();
  }

  async openDir(dir: string, examiner?: string): Promise<CaseView> {
    this.close();
    const actor = examiner?.trim() || defaultActor();
    // Opened for writing once, in a worker: schema migration and recovery of interrupted work.
    await this.tasks.run('case.open', { dir, actor });
    this.#actor = actor;
    this.#cf = openCase(dir, { readonly: true, actor });
    return this.view();
  }

  close(): boolean {
    const had = this.#cf !== undefined;
    this.#cf?.close();
    this.#cf = undefined;
    this.#manifests.clear();
    return had;
  }

  view(): CaseView {
    const cf = this.require();
    const meta = caseMeta(cf);
    const reasons = new Map<string, string | null>();
    for (const r of listRevocations(cf)) if (!reasons.has(r.fingerprint)) reasons.set(r.fingerprint, r.reason);
    return {
      dir: cf.dir,
      caseId: cf.caseId,
      title: meta.title,
      reference: meta.reference,
      createdAt: meta.createdAt,
      createdBy: meta.createdBy,
      examiner: this.#actor,
      head: cf.head(),
      evidence: listEvidence(cf).map((e) => this.#evidenceView(cf, e)),
      keys: listTrust(cf).map((g) => keyView(g, reasons.get(g.fingerprint) ?? null)),
      runs: listRuns(cf).map(
        (r): CaseRunView => ({
          id: r.id,
          appRunId: caseRunKey(cf.caseId, r.id),
          kind: r.kind,
          inputs: r.inputs,
          startedBy: r.startedBy,
          status: r.status,
          verdict: r.verdict,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          evidenceIds: r.inputs.filter((i) => i.role !== 'key').map((i) => i.evidenceId),
          counts: r.counts
            ? {
                ...(r.counts.entries !== undefined ? { entries: r.counts.entries } : {}),
                errors: r.counts.errors,
                warnings: r.counts.warnings,
              }
            : null,
          error: r.error,
        }),
      ),
      reports: listReports(cf).map(
        (r): CaseReportView => ({
          id: r.id,
          runId: r.runId,
          signedAt: r.signedAt,
          signedBy: r.signedBy,
          examinerFingerprint: r.examinerFingerprint,
          files: r.files,
        }),
      ),
    };
  }

  #evidenceView(cf: CaseFile, e: EvidenceRecord): CaseEvidenceView {
    const v = evidenceView(cf, e);
    if (e.kind !== 'bundle') return v;
    let m = this.#manifests.get(e.id);
    if (m === undefined) {
      try {
        const source = openBundle(v.storedPath);
        const { manifest } = readManifest(source);
        m = {
          format: `${manifest.format} v${manifest.version}`,
          origin: manifest.origin,
          entryCount: manifest.entries.count,
          container: source.container,
          checkpoints: manifest.checkpoints.length,
        };
      } catch {
        m = null; // stored as a bundle by its layout, but its manifest does not read
      }
      this.#manifests.set(e.id, m);
    }
    return m ? { ...v, bundle: m } : v;
  }

  /** Copies a file or directory into the case (in a worker), with copy progress. */
  async importEvidence(
    path: string,
    label?: string,
    onProgress?: (p: ImportTaskProgress) => void,
    kind?: 'bundle' | 'key' | 'other',
  ): Promise<Omit<TaskResult<'case.import'>, 'evidence'> & { evidence: CaseEvidenceView }> {
    const ref = this.ref();
    const r = await this.tasks.run(
      'case.import',
      { ...ref, path, ...(label ? { label } : {}), ...(kind ? { kind } : {}) },
      onProgress ? { onProgress } : {},
    );
    const cf = this.require();
    return { ...r, evidence: this.#evidenceView(cf, r.evidence) };
  }

  async trustKey(
    arg: string,
    opts: { role?: KeyRole; label?: string; origin?: string; validFrom?: string; validUntil?: string },
  ): Promise<CaseKeyView> {
    return keyView(await this.tasks.run('case.trust', { ...this.ref(), key: arg, cwd: process.cwd(), ...opts }), null);
  }

  /** Revokes (from `revokedAt` on) every grant of a key, with the examiner's reason; journaled. */
  async revokeKey(fingerprint: string, revokedAt: string, reason: string): Promise<CaseKeyView> {
    const r = await this.tasks.run('case.revoke', { ...this.ref(), fingerprint, revokedAt, reason });
    const g = listTrust(this.require()).find((x) => x.fingerprint === r.fingerprint);
    if (!g) throw new ProofdeskError('INTERNAL', `no grant of ${r.fingerprint} after revoking it`);
    return keyView(g, r.reason);
  }

  /** `proofdesk case verify`, in a worker (it re-hashes every stored file). */
  check(): Promise<CaseCheckView> {
    return this.tasks.run('case.check', { dir: this.require().dir });
  }

  /** `proofdesk case export`, in a worker; journaled in the case. */
  export(out: string, withIndex: boolean): Promise<CaseExportView> {
    return this.tasks.run('case.export', { ...this.ref(), out, withIndex });
  }

  /** The case's trust material for a log origin (windows and revocations included). */
  trustedFor(origin: string): TrustedKey[] {
    return trustedKeysFor(this.require(), origin);
  }

  evidence(id: number): EvidenceRecord {
    const cf = this.require();
    const e = getEvidence(cf, id);
    if (!e) throw new ProofdeskError('USAGE', `no evidence #${id} in this case`, { notFound: true });
    return e;
  }

  evidencePath(id: number): string {
    return storedPathOf(this.require(), this.evidence(id));
  }

  /** The bundle's search index is complete (queries and timelines can use it). */
  indexed(evidenceId: number): boolean {
    return readySet(this.require(), evidenceId)?.state === 'ready';
  }

  /** A verification run recorded in the open case, with its result and EntryIndex. */
  verifyRun(runId: number): StoredVerifyRun | undefined {
    const cf = this.require();
    const r = getRun(cf, runId);
    if (!r || r.kind !== VERIFY_RUN_KIND) return undefined;
    const evidenceId = r.inputs.find((i) => i.role === 'bundle')?.evidenceId;
    if (evidenceId === undefined) return undefined;
    const text = r.status === 'finished' ? runResultText(cf, runId) : undefined;
    const run = text !== undefined ? { result: JSON.parse(text), stats: storedStats(cf, runId, r) } : undefined;
    const index = run ? loadBlockIndex(cf, evidenceId) : undefined;
    return {
      caseId: cf.caseId,
      runId,
      status: r.status,
      evidenceId,
      bundle: this.evidencePath(evidenceId),
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      error: r.error,
      ...(run ? { run } : {}),
      ...(index && index.count === run?.result.bundle.entryCount ? { index } : {}),
    };
  }

  /** A comparison recorded in the open case, with its result and the proof files stored from it. */
  diffRun(runId: number): StoredDiffRun | undefined {
    const cf = this.require();
    const r = getRun(cf, runId);
    if (!r || r.kind !== DIFF_RUN_KIND) return undefined;
    const side = (role: string) => r.inputs.find((i) => i.role === role)?.evidenceId;
    const a = side('old');
    const b = side('new');
    if (a === undefined || b === undefined) return undefined;
    const text = r.status === 'finished' ? runResultText(cf, runId) : undefined;
    const prefix = `run #${runId}: `;
    return {
      caseId: cf.caseId,
      runId,
      status: r.status,
      a: this.evidencePath(a),
      b: this.evidencePath(b),
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      error: r.error,
      ...(text !== undefined ? { run: { result: JSON.parse(text), stats: storedStats(cf, runId, r) } } : {}),
      proofs: listEvidence(cf)
        .filter((e) => e.kind === 'other' && e.label?.startsWith(prefix))
        .map((e) => ({ evidenceId: e.id, label: e.label! })),
    };
  }

  journal(fromSeq?: number, limit?: number): JournalRowView[] {
    const cf = this.require();
    return readJournal(cf.db, { ...(fromSeq !== undefined ? { fromSeq } : {}), limit: limit ?? 500 }).map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      summary: journalSummary(r.action, r.details),
      details: r.detailsText,
      hash: r.hash,
    }));
  }
}

/**
 * The timings stored beside a run's result (not part of its digest); a run recorded without
 * them gets its examiner-clock duration.
 */
function storedStats(cf: CaseFile, runId: number, r: { startedAt: string; finishedAt: string | null }) {
  const row = cf.db.prepare('SELECT stats FROM runs WHERE id = ?').get(runId) as { stats: string | null } | undefined;
  if (row?.stats) {
    try {
      return JSON.parse(row.stats);
    } catch {
      // fall through
    }
  }
  const ms = r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : 0;
  return { workers: 0, elapsedMs: ms, entriesPerSecond: 0, bytesPerSecond: 0, crossCheckedSignatures: 0 };
}

function evidenceView(cf: CaseFile, e: EvidenceRecord): CaseEvidenceView {
  return {
    id: e.id,
    kind: e.kind,
    container: e.container,
    digest: e.digest,
    size: e.size,
    fileCount: e.fileCount,
    name: e.label ?? basename(e.storedPath),
    originalPath: e.originalPath,
    importedAt: e.importedAt,
    importedBy: e.importedBy,
    storedPath: storedPathOf(cf, e),
  };
}

function keyView(g: TrustGrant, reason: string | null): CaseKeyView {
  return {
    id: g.id,
    fingerprint: g.fingerprint,
    label: g.label,
    keyName: g.keyName,
    origin: g.origin,
    role: g.role,
    validFrom: g.validFrom,
    validUntil: g.validUntil,
    revokedAt: g.revokedAt,
    revocationReason: g.revokedAt ? reason : null,
    trustedAt: g.trustedAt,
    trustedBy: g.trustedBy,
  };
}
