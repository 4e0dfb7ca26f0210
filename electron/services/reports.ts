/**
 * Signed reports from the app: preview (the same ReportDocument the PDF is drawn from),
 * sign with the examiner's key file (decrypted here, in the main process, only for this
 * call), and check a report someone else sent. Building, signing and checking are the
 * report service's (electron/report); this module only adapts them to the app.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProofdeskError } from '../../shared/errors.js';
import type { ReportCheckView, ReportPreview, SignedReportView } from '../../shared/ipc.js';
import { buildVerificationStatement } from '../../shared/report/predicate.js';
import { verificationReportDocument } from '../../shared/report/verification-document.js';
import type { TrustedKey } from '../../shared/trust.js';
import { readKeyFile, unlockKeyFile } from '../keys/keyfile.js';
import { componentVersions, toolBuild } from '../report/build-digest.js';
import { archiveInput, describeTrustFiles } from '../report/inputs.js';
import { createVerificationReport, REPORT_FILES, writeVerificationReport } from '../report/verification-report.js';
import { verifyReport } from '../report/verify-report.js';
import { recordReport } from '../store/reports.js';
import type { CaseSession } from './cases.js';
import type { RunRecord } from './runs.js';

function finished(rec: RunRecord) {
  if (rec.state !== 'done' || !rec.run) throw new ProofdeskError('USAGE', 'only a finished run can be reported');
  return rec.run.result;
}

const PLACEHOLDER_FP = '0'.repeat(64);

/** The case reference for a run of the open case. */
function caseReferenceFor(rec: RunRecord, cases: CaseSession): string | undefined {
  const cf = cases.open;
  if (!cf || rec.caseId !== cf.caseId) return undefined;
  return cases.view().reference ?? undefined;
}

/** What the report will show, before it is signed (examiner and signature are placeholders). */
export function previewReport(rec: RunRecord, cases: CaseSession): ReportPreview {
  const result = finished(rec);
  const caseReference = caseReferenceFor(rec, cases);
  const statement = buildVerificationStatement(result, {
    examiner: { name: '(the holder of the key you sign with)', keyFingerprint: PLACEHOLDER_FP },
    ...(caseReference !== undefined ? { caseReference } : {}),
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt ?? rec.startedAt,
    toolBuild: toolBuild(),
    componentVersions: componentVersions(),
    trustInputs: describeTrustFiles(rec.keyFiles, process.cwd()),
  });
  const doc = verificationReportDocument(statement, new Uint8Array(0), 'not signed yet');
  // The placeholder fingerprint would read like a real (all-zero) key.
  const blocks = doc.blocks.map((b) =>
    b.kind === 'fields' ? { ...b, rows: b.rows.map((r) => (r.value.includes(PLACEHOLDER_FP) ? { ...r, value: '(fingerprint of the key you sign with)', mono: false } : r)) } : b,
  );
  return { title: doc.title, blocks };
}

export async function signReport(rec: RunRecord, o: { keyPath: string; passphrase?: string; outDir: string; cases: CaseSession }): Promise<SignedReportView> {
  const result = finished(rec);
  const kf = readKeyFile(o.keyPath);
  const key = unlockKeyFile(kf, o.passphrase === '' ? undefined : o.passphrase);
  const caseReference = caseReferenceFor(rec, o.cases);
  try {
    const archive = statSync(rec.bundle).isFile() ? archiveInput(rec.bundle) : undefined;
    const report = await createVerificationReport({
      result,
      examiner: key,
      ...(caseReference !== undefined ? { caseReference } : {}),
      startedAt: rec.startedAt,
      finishedAt: rec.finishedAt ?? rec.startedAt,
      ...(archive ? { archive } : {}),
      trustInputs: describeTrustFiles(rec.keyFiles, process.cwd()),
    });
    const written = writeVerificationReport(o.outDir, report);
    let caseReportId: number | undefined;
    const cf = o.cases.open;
    if (cf && rec.caseId === cf.caseId) {
      caseReportId = recordReport(cf, {
        ...(rec.caseRunId !== undefined ? { runId: rec.caseRunId } : {}),
        files: [
          { role: 'attestation', path: written.attestation },
          { role: 'pdf', path: written.pdf },
          { role: 'signature', path: written.signature },
        ],
        examinerFingerprint: key.fingerprint,
      }).id;
    }
    return { reportId: report.attestation.reportId, ...written, examinerFingerprint: key.fingerprint, ...(caseReportId !== undefined ? { caseReportId } : {}) };
  } finally {
    key.seed.fill(0);
  }
}

/**
 * Checks a received report with the report service's checker (the same as `proofdesk report
 * verify`): `path` is the report PDF, its attestation, or the folder holding them; the
 * examiner's public key comes from the examiner, never from the report.
 */
export async function checkReport(path: string, examinerKey: TrustedKey): Promise<ReportCheckView> {
  if (!existsSync(path)) throw new ProofdeskError('INPUT_UNREADABLE', `not found: ${path}`);
  let input = path;
  if (statSync(path).isDirectory()) {
    input = [REPORT_FILES.pdf, REPORT_FILES.attestation].map((f) => join(path, f)).find((f) => existsSync(f)) ?? '';
    if (!input) throw new ProofdeskError('INPUT_UNREADABLE', `no ${REPORT_FILES.pdf} or ${REPORT_FILES.attestation} in ${path}`);
  }
  const v = await verifyReport({ input, examinerKey: examinerKey.publicKey });
  const a = v.attested;
  return {
    verdict: v.verdict,
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
            timeVerified: a.timeVerified,
          },
        }
      : {}),
  };
}
