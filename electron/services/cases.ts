/**
 * The case open in the app (at most one at a time), over the case store (electron/case).
 * Only adapts: every change goes through the store's own functions, which journal it.
 *
 * The main process only reads the case (a read-only connection: views, the journal, evidence
 * paths, trust for an origin). Every write — creating or opening it for writing (migration,
 * recovery), importing evidence, trusting a key, verification runs, recording reports — runs in
 * a worker thread with its own connection (case-tasks.ts), so neither a long import or index
 * build nor a wait for the case's write lock ever blocks the main process.
 * Reading the case's title and creation time is the one thing the store does not export,
 * so it is read here from case_meta (thin adapter).
 */
import { basename } from 'node:path';
import type { KeyRole, TrustedKey } from '../../shared/keys/trust.js';
import type { CaseRef, ImportTaskProgress, TaskResult } from '../../shared/protocol/case-tasks.js';
import type {
  CaseEvidenceView,
  CaseKeyView,
  CaseReportView,
  CaseRunView,
  CaseView,
  JournalRowView,
} from '../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type CaseFile, defaultActor, openCase } from '../case/case.js';
import { type EvidenceRecord, getEvidence, listEvidence, storedPathOf } from '../case/evidence.js';
import { readJournal } from '../case/journal.js';
import { listReports } from '../case/reports.js';
import { listRuns } from '../case/runs.js';
import { listTrust, type TrustGrant, trustedKeysFor } from '../case/trust.js';
import type { CaseTasks } from './case-tasks.js';

export class CaseSession {
  #cf: CaseFile | undefined;
  /** Journal actor of the app's actions: $PROOFDESK_EXAMINER, else user@host. */
  readonly actor: string;

  constructor(
    readonly tasks: CaseTasks,
    actor?: string,
  ) {
    this.actor = actor ?? defaultActor();
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
    return { dir: this.require(caseId).dir, actor: this.actor };
  }

  async create(dir: string, title: string, reference?: string): Promise<CaseView> {
    this.close();
    await this.tasks.run('case.create', { dir, actor: this.actor, title, ...(reference ? { reference } : {}) });
    this.#cf = openCase(dir, { readonly: true, actor: this.actor });
    return this.view();
  }

  async openDir(dir: string): Promise<CaseView> {
    this.close();
    // Opened for writing once, in a worker: schema migration and recovery of interrupted work.
    await this.tasks.run('case.open', { dir, actor: this.actor });
    this.#cf = openCase(dir, { readonly: true, actor: this.actor });
    return this.view();
  }

  close(): boolean {
    const had = this.#cf !== undefined;
    this.#cf?.close();
    this.#cf = undefined;
    return had;
  }

  view(): CaseView {
    const cf = this.require();
    const meta = cf.db.prepare('SELECT title, reference, created_at FROM case_meta WHERE singleton = 1').get() as {
      title: string;
      reference: string | null;
      created_at: string;
    };
    return {
      dir: cf.dir,
      caseId: cf.caseId,
      title: meta.title,
      reference: meta.reference,
      createdAt: meta.created_at,
      head: cf.head(),
      evidence: listEvidence(cf).map((e) => evidenceView(cf, e)),
      keys: listTrust(cf).map(keyView),
      runs: listRuns(cf).map(
        (r): CaseRunView => ({
          id: r.id,
          kind: r.kind,
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

  /** Copies a file or directory into the case (in a worker), with copy progress. */
  async importEvidence(
    path: string,
    label?: string,
    onProgress?: (p: ImportTaskProgress) => void,
  ): Promise<Omit<TaskResult<'case.import'>, 'evidence'> & { evidence: CaseEvidenceView }> {
    const ref = this.ref();
    const r = await this.tasks.run(
      'case.import',
      { ...ref, path, ...(label ? { label } : {}) },
      onProgress ? { onProgress } : {},
    );
    return { ...r, evidence: evidenceView(this.require(), r.evidence) };
  }

  async trustKey(
    arg: string,
    opts: { role?: KeyRole; label?: string; origin?: string; validFrom?: string; validUntil?: string },
  ): Promise<CaseKeyView> {
    return keyView(await this.tasks.run('case.trust', { ...this.ref(), key: arg, cwd: process.cwd(), ...opts }));
  }

  /** The case's trust material for a log origin (windows and revocations included). */
  trustedFor(origin: string): TrustedKey[] {
    return trustedKeysFor(this.require(), origin);
  }

  evidencePath(id: number): string {
    const cf = this.require();
    const e = getEvidence(cf, id);
    if (!e) throw new ProofdeskError('USAGE', `no evidence #${id} in this case`, { notFound: true });
    return storedPathOf(cf, e);
  }

  journal(fromSeq?: number, limit?: number): JournalRowView[] {
    const cf = this.require();
    return readJournal(cf.db, { ...(fromSeq !== undefined ? { fromSeq } : {}), limit: limit ?? 500 }).map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: r.detailsText,
      hash: r.hash,
    }));
  }
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

function keyView(g: TrustGrant): CaseKeyView {
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
    trustedAt: g.trustedAt,
  };
}
