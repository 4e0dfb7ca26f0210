/**
 * The signed verification report: attestation (DSSE + in-toto), PDF rendered from it, and a
 * detached signature of the PDF. docs/report-format.md describes the three files.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseAnchor } from '../../shared/report/case-anchor.js';
import {
  buildVerificationStatement,
  type TrustInput,
  type VerificationPredicate,
  type VerificationStatement,
} from '../../shared/report/predicate.js';
import { verificationReportDocument } from '../../shared/report/verification-document.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import type { TimelineSummary } from '../../shared/verdict/timeline.js';
import { writeFileAtomic } from '../keys/keyfile.js';
import { componentVersions, toolBuild } from './build-digest.js';
import { renderReportPdf } from './pdf/render.js';
import { type ExaminerKey, examinerIdentity, type SignedAttestation, signAttestation, signDetached } from './sign.js';

export const REPORT_FILES = {
  pdf: 'report.pdf',
  signature: 'report.pdf.sig',
  attestation: 'attestation.dsse.json',
} as const;

export interface VerificationReportInput {
  readonly result: VerificationResult;
  readonly examiner: ExaminerKey;
  readonly caseReference?: string;
  /** Signed inside a case: its id and custody journal head (read just before signing). */
  readonly case?: CaseAnchor;
  /** RFC 3339 UTC from the examiner machine's clock. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The archive of a tar bundle. */
  readonly archive?: { readonly size: number; readonly sha256: string };
  readonly trustInputs: readonly TrustInput[];
  /** The entries over time, for the report's picture. */
  readonly timeline?: TimelineSummary;
}

export interface VerificationReport {
  readonly attestation: SignedAttestation<VerificationPredicate>;
  readonly pdf: Uint8Array;
  /** Raw 64-byte Ed25519 signature of `pdf`. */
  readonly pdfSignature: Uint8Array;
}

/**
 * Renders the PDF of a verification statement. The same (statement, envelope) always gives the
 * same bytes; `report verify` relies on this to detect any edit of a PDF.
 * Requires: `statement` is the checked payload of `envelopeBytes`, `reportId` its SHA-256.
 */
export function renderVerificationPdf(
  statement: VerificationStatement,
  envelopeBytes: Uint8Array,
  reportId: string,
): Promise<Uint8Array> {
  return renderReportPdf(verificationReportDocument(statement, envelopeBytes, reportId));
}

/** Builds, signs and renders a verification report (nothing is written). */
export async function createVerificationReport(input: VerificationReportInput): Promise<VerificationReport> {
  const statement = buildVerificationStatement(input.result, {
    examiner: examinerIdentity(input.examiner),
    ...(input.caseReference !== undefined ? { caseReference: input.caseReference } : {}),
    ...(input.case !== undefined ? { case: input.case } : {}),
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    toolBuild: toolBuild(),
    componentVersions: componentVersions(),
    ...(input.archive ? { archive: input.archive } : {}),
    trustInputs: input.trustInputs,
    ...(input.timeline ? { timeline: input.timeline } : {}),
  });
  const attestation = signAttestation(statement, input.examiner);
  const pdf = await renderVerificationPdf(attestation.statement, attestation.envelopeBytes, attestation.reportId);
  return { attestation, pdf, pdfSignature: signDetached(pdf, input.examiner) };
}

export interface WrittenReport {
  readonly dir: string;
  readonly pdf: string;
  readonly signature: string;
  readonly attestation: string;
}

/** Fails with USAGE when any report file already exists in `dir` (reports are evidence: never replaced silently). */
export function assertReportDirFree(dir: string): void {
  for (const f of Object.values(REPORT_FILES)) {
    if (existsSync(join(dir, f)))
      throw new ProofdeskError('USAGE', `${join(dir, f)} already exists; choose another --report directory`);
  }
}

/** Writes the three report files into `dir` (created if needed), each atomically. */
export function writeVerificationReport(
  dir: string,
  report: VerificationReport,
  opts: { overwrite?: boolean } = {},
): WrittenReport {
  mkdirSync(dir, { recursive: true });
  if (!opts.overwrite) assertReportDirFree(dir);
  const out = {
    dir,
    pdf: join(dir, REPORT_FILES.pdf),
    signature: join(dir, REPORT_FILES.signature),
    attestation: join(dir, REPORT_FILES.attestation),
  };
  const overwrite = opts.overwrite ?? false;
  const written: string[] = [];
  try {
    for (const [path, bytes] of [
      [out.attestation, report.attestation.envelopeBytes],
      [out.pdf, report.pdf],
      [out.signature, report.pdfSignature],
    ] as const) {
      writeFileAtomic(path, bytes, { overwrite });
      written.push(path);
    }
  } catch (e) {
    // Half a report is no report: the files this call wrote go, so writing it again works.
    if (!overwrite) for (const p of written) rmSync(p, { force: true });
    throw e;
  }
  return out;
}
