/**
 * Signed reports from the app: preview (the same ReportDocument the PDF is drawn from),
 * sign with the examiner's key file (decrypted here, in the main process, only for this
 * call), and check a report someone else sent. Building, signing and checking are the
 * report service's (electron/report); this module only adapts them to the app.
 *
 * A run of the open case is reported as `verify --case --report` does it: the attestation
 * carries the case's journal head (docs/report-format.md §3.1) and the case records the report
 * against that same head. What takes seconds on large results — hashing an archive, rendering
 * the PDF, checking a received report, writing to the case — runs in worker threads
 * (case-tasks.ts); the key stays here and only signs.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildDivergenceStatement } from '../../shared/diff/attestation.js';
import type { DiffRun } from '../../shared/diff/model.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import type { ReportCheckView, ReportPreview, SignedReportView } from '../../shared/protocol/ipc.js';
import type { CaseAnchor } from '../../shared/report/case-anchor.js';
import { buildVerificationStatement } from '../../shared/report/predicate.js';
import { verificationReportDocument } from '../../shared/report/verification-document.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { timelineSummary } from '../../shared/verdict/timeline.js';
import { getEvidence, storedPathOf } from '../case/evidence.js';
import { reportAnchor } from '../case/reports.js';
import { getRun } from '../case/runs.js';
import { readKeyFile, unlockKeyFile, writeFileAtomic } from '../keys/keyfile.js';
import { componentVersions, toolBuild } from '../report/build-digest.js';
import {
  type ArchiveSource,
  assertTrustFilesUsed,
  describeTrustFiles,
  judgeArchive,
  verifiedArchive,
} from '../report/inputs.js';
import { examinerIdentity, signAttestation, signDetached } from '../report/sign.js';
import { assertReportDirFree, REPORT_FILES, writeVerificationReport } from '../report/verification-report.js';
import type { CaseTasks } from './case-tasks.js';
import type { CaseSession } from './cases.js';
import { timelineOf } from './entry-search.js';
import type { RunRecord } from './runs.js';

function finished(rec: RunRecord, cases: CaseSession) {
  if (rec.state !== 'done' || !rec.run) throw new ProofdeskError('USAGE', 'only a finished run can be reported');
  // A run of a case is reported in that case, anchored to its journal: never once it is closed.
  if (rec.caseId !== undefined && cases.open?.caseId !== rec.caseId)
    throw new ProofdeskError('USAGE', 'this run belongs to a case that is not open: open the case to report on it');
  return rec.run.result;
}

const PLACEHOLDER_FP = '0'.repeat(64);

/** The open case, when the run is one of its runs. */
function caseOf(rec: RunRecord, cases: CaseSession) {
  const cf = cases.open;
  return cf && rec.caseId === cf.caseId ? cf : undefined;
}

/** What the attestation of a report on this run carries about the open case (its head now). */
function anchorFor(rec: RunRecord, cases: CaseSession): CaseAnchor | undefined {
  const cf = caseOf(rec, cases);
  return cf ? reportAnchor(cf, rec.caseRunId) : undefined;
}

/**
 * A run of the open case: its bundle's evidence record, whose digest is the reference for the
 * archive a report lists (the run verified the stored copy). Empty for other runs.
 */
function caseEvidence(rec: RunRecord, cases: CaseSession): Pick<ArchiveSource, 'evidence'> {
  const cf = caseOf(rec, cases);
  if (!cf || rec.caseRunId === undefined) return {};
  const input = getRun(cf, rec.caseRunId)?.inputs.find((i) => i.role === 'bundle');
  const e = input ? getEvidence(cf, input.evidenceId) : undefined;
  return e
    ? { evidence: { container: e.container, size: e.size, digest: e.digest, storedAt: storedPathOf(cf, e) } }
    : {};
}

/** What the report will show, before it is signed (examiner and signature are placeholders). */
/** The run's entries over time for the report's picture (the timeline the entry browser draws). */
async function reportTimeline(rec: RunRecord, cases: CaseSession, tasks: CaseTasks) {
  if (!rec.index) return undefined;
  return timelineSummary(await timelineOf(rec, cases, tasks));
}

export async function previewReport(rec: RunRecord, cases: CaseSession, tasks: CaseTasks): Promise<ReportPreview> {
  const result = finished(rec, cases);
  const timeline = await reportTimeline(rec, cases, tasks);
  const anchor = anchorFor(rec, cases);
  const caseReference = anchor?.reference;
  const statement = buildVerificationStatement(result, {
    examiner: { name: '(the holder of the key you sign with)', keyFingerprint: PLACEHOLDER_FP },
    ...(caseReference !== undefined ? { caseReference } : {}),
    ...(anchor ? { case: anchor } : {}),
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt ?? rec.startedAt,
    toolBuild: toolBuild(),
    componentVersions: componentVersions(),
    trustInputs: describeTrustFiles(rec.keyFiles, process.cwd()),
    ...(timeline ? { timeline } : {}),
  });
  const doc = verificationReportDocument(statement, new Uint8Array(0), 'not signed yet');
  // The placeholder fingerprint would read like a real (all-zero) key.
  const blocks = doc.blocks.map((b) =>
    b.kind === 'fields'
      ? {
          ...b,
          rows: b.rows.map((r) =>
            r.value.includes(PLACEHOLDER_FP)
              ? { ...r, value: '(fingerprint of the key you sign with)', mono: false }
              : r,
          ),
        }
      : b,
  );
  return { title: doc.title, blocks };
}

export async function signReport(
  rec: RunRecord,
  o: { keyPath: string; passphrase?: string; outDir: string; cases: CaseSession; tasks: CaseTasks },
): Promise<SignedReportView> {
  const result = finished(rec, o.cases);
  const kf = readKeyFile(o.keyPath);
  const key = unlockKeyFile(kf, o.passphrase === '' ? undefined : o.passphrase);
  try {
    // Refuse an occupied folder before any work (reports are evidence: never replaced).
    assertReportDirFree(o.outDir);
    // The report vouches for the bytes the run verified: what is read again now must be those.
    const trustInputs = describeTrustFiles(rec.keyFiles, process.cwd());
    assertTrustFilesUsed(trustInputs, result);
    const source = verifiedArchive(
      { result, ...(rec.archive ? { archive: rec.archive } : {}), ...caseEvidence(rec, o.cases) },
      rec.bundle,
    );
    const archive = source ? judgeArchive(source, await o.tasks.run('digest', { path: source.path })) : undefined;
    const timeline = await reportTimeline(rec, o.cases, o.tasks);
    // The head is read just before signing; the case records the report against the same head.
    const anchor = anchorFor(rec, o.cases);
    const caseReference = anchor?.reference;
    const finishedAt = rec.finishedAt ?? rec.startedAt;
    const statement = buildVerificationStatement(result, {
      examiner: examinerIdentity(key),
      ...(caseReference !== undefined ? { caseReference } : {}),
      ...(anchor ? { case: anchor } : {}),
      startedAt: rec.startedAt,
      finishedAt,
      toolBuild: toolBuild(),
      componentVersions: componentVersions(),
      ...(archive ? { archive } : {}),
      trustInputs,
      ...(timeline ? { timeline } : {}),
    });
    const attestation = signAttestation(statement, key);
    const pdf = await o.tasks.run('report.render', {
      statement: attestation.statement,
      envelopeBytes: attestation.envelopeBytes,
      reportId: attestation.reportId,
    });
    const written = writeVerificationReport(o.outDir, { attestation, pdf, pdfSignature: signDetached(pdf, key) });
    let caseReportId: number | undefined;
    const cf = caseOf(rec, o.cases);
    if (cf && anchor) {
      const recorded = await o.tasks.run('case.recordReport', {
        ...o.cases.ref(cf.caseId),
        report: {
          ...(rec.caseRunId !== undefined ? { runId: rec.caseRunId } : {}),
          files: [
            { role: 'attestation', path: written.attestation },
            { role: 'pdf', path: written.pdf },
            { role: 'signature', path: written.signature },
          ],
          examinerFingerprint: key.fingerprint,
          anchoredHead: anchor.journalHead,
        },
      });
      caseReportId = recorded.id;
    }
    return {
      reportId: attestation.reportId,
      ...written,
      examinerFingerprint: key.fingerprint,
      ...(caseReportId !== undefined ? { caseReportId } : {}),
    };
  } finally {
    key.seed.fill(0);
  }
}

/**
 * Checks a received report with the report service's checker (the same as `proofdesk report
 * verify`): `path` is the report PDF, its attestation, or the folder holding them; the
 * examiner's public key comes from the examiner, never from the report.
 */
export async function checkReport(
  path: string,
  examinerKey: TrustedKey,
  tasks: CaseTasks,
  rerun?: { readonly bundle: string; readonly trusted: readonly TrustedKey[] },
): Promise<ReportCheckView> {
  if (!existsSync(path)) throw new ProofdeskError('INPUT_UNREADABLE', `not found: ${path}`);
  let input = path;
  if (statSync(path).isDirectory()) {
    input = [REPORT_FILES.pdf, REPORT_FILES.attestation].map((f) => join(path, f)).find((f) => existsSync(f)) ?? '';
    if (!input)
      throw new ProofdeskError('INPUT_UNREADABLE', `no ${REPORT_FILES.pdf} or ${REPORT_FILES.attestation} in ${path}`);
  }
  // Reading, re-rendering and comparing a large PDF takes seconds: in a worker.
  const v = await tasks.run('report.check', { input, examinerKey: examinerKey.publicKey, ...(rerun ? { rerun } : {}) });
  const a = v.attested;
  return {
    verdict: v.verdict,
    authenticity: v.authenticity,
    ...(v.signer ? { signer: v.signer } : {}),
    ...(v.input.kind === 'pdf' ? { pdf: input } : {}),
    ...(v.rerun ? { rerun: v.rerun } : {}),
    input,
    examinerKey: v.examinerKey,
    checks: v.checks,
    findings: v.findings,
    ...(a
      ? {
          attested: {
            reportId: a.reportId,
            verdict: a.verdict,
            bundle: a.bundle,
            origin: a.origin,
            entryCount: a.entryCount,
            examiner: a.examiner,
            ...(a.caseReference !== undefined ? { caseReference: a.caseReference } : {}),
            ...(a.case !== undefined ? { case: a.case } : {}),
            timeVerified: a.timeVerified,
          },
        }
      : {}),
  };
}

/**
 * Signs the divergence attestation of a finished comparison (as `proofdesk diff --sign-key
 * --attestation`): in a case, it carries the case anchor and is recorded as a report of the run.
 */
export async function signDivergence(
  job: {
    readonly caseId?: string;
    readonly caseRunId?: number;
    readonly startedAt: string;
    readonly finishedAt?: string;
    readonly run?: DiffRun;
    readonly state: string;
  },
  o: { keyPath: string; passphrase?: string; out: string; cases: CaseSession; tasks: CaseTasks },
): Promise<{ path: string; caseReportId?: number }> {
  if (job.state !== 'done' || !job.run) throw new ProofdeskError('USAGE', 'only a finished comparison can be signed');
  const cf = job.caseId !== undefined ? o.cases.open : undefined;
  if (job.caseId !== undefined && cf?.caseId !== job.caseId)
    throw new ProofdeskError('USAGE', 'this comparison belongs to a case that is not open: open the case to sign it');
  if (existsSync(o.out)) throw new ProofdeskError('USAGE', `${o.out} already exists; not overwriting it`);
  const kf = readKeyFile(o.keyPath);
  const key = unlockKeyFile(kf, o.passphrase === '' ? undefined : o.passphrase);
  try {
    const anchor = cf && job.caseRunId !== undefined ? reportAnchor(cf, job.caseRunId) : undefined;
    const statement = buildDivergenceStatement(job.run.result, {
      examiner: examinerIdentity(key),
      ...(anchor?.reference !== undefined ? { caseReference: anchor.reference } : {}),
      ...(anchor ? { case: anchor } : {}),
      startedAt: job.startedAt,
      finishedAt: job.finishedAt ?? job.startedAt,
    });
    writeFileAtomic(o.out, signAttestation(statement, key).envelopeBytes);
    if (!cf || !anchor) return { path: o.out };
    const r = await o.tasks.run('case.recordReport', {
      ...o.cases.ref(cf.caseId),
      report: {
        ...(job.caseRunId !== undefined ? { runId: job.caseRunId } : {}),
        files: [{ role: 'attestation', path: o.out }],
        examinerFingerprint: key.fingerprint,
        anchoredHead: anchor.journalHead,
      },
    });
    return { path: o.out, caseReportId: r.id };
  } finally {
    key.seed.fill(0);
  }
}
