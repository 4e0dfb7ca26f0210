/**
 * Step 6 of `report verify`: the PDF must be byte for byte the PDF rendered again from its
 * signed attestation. When it is not, the builds decide: the same build rendering otherwise is
 * a changed PDF; another build may just render differently (inconclusive).
 */
import { sha256 } from '../../../shared/crypto/hash.js';
import { toHex } from '../../../shared/encoding/bytes.js';
import type { VerificationStatement } from '../../../shared/report/predicate.js';
import { componentVersions, toolBuild } from '../build-digest.js';
import type { ByteSource } from '../pdf/attachments.js';
import { reportIdOf } from '../sign.js';
import { renderVerificationPdf } from '../verification-report.js';
import type { ReportChecks } from './checks.js';
import type { SignedAttestation } from './envelope.js';
import { firstDifference } from './input.js';

/** The PDF given: its source, its name in findings, and its SHA-256. */
export interface PdfInput {
  readonly src: ByteSource;
  readonly name: string;
  readonly sha256: string;
}

export async function checkRender(r: ReportChecks, signed: SignedAttestation, pdf: PdfInput): Promise<void> {
  const { statement, canonicalEnvelope, payload } = signed;
  if (!statement || !canonicalEnvelope || !payload) {
    r.checks.set('render', 'skipped');
    return;
  }
  const rendered = await renderVerificationPdf(statement, canonicalEnvelope, reportIdOf(payload));
  if (rendered.length === pdf.src.size && firstDifference(rendered, pdf.src) === pdf.src.size)
    r.checks.set('render', 'pass');
  else renderMismatch(r, statement, rendered, pdf);
}

function renderMismatch(r: ReportChecks, statement: VerificationStatement, rendered: Uint8Array, pdf: PdfInput): void {
  const { name } = pdf;
  const local = toolBuild();
  const versions = componentVersions();
  const attestedTool = statement.predicate.tool;
  const sameBuild =
    attestedTool.build.sha256 === local.sha256 && statement.predicate.verifier.version.pdfkit === versions.pdfkit;
  const evidence = {
    expected: toHex(sha256(rendered)),
    actual: pdf.sha256,
    firstDifference: firstDifference(rendered, pdf.src),
    attestedBuild: attestedTool.build.sha256,
    localBuild: local.sha256,
  };
  if (sameBuild) {
    r.checks.set('render', 'fail');
    r.add(
      'REPORT_RENDER_MISMATCH',
      { file: name, offset: evidence.firstDifference },
      `${name} differs from the PDF rendered from its attestation (first difference at byte ${evidence.firstDifference})`,
      evidence,
    );
  } else {
    r.checks.set('render', 'inconclusive');
    r.add(
      'REPORT_RENDERER_DIFFERS',
      { file: name },
      `${name} was rendered by Proofdesk ${attestedTool.version} build ${attestedTool.build.sha256.slice(0, 16)}…; this is build ${local.sha256.slice(0, 16)}…, whose rendering differs`,
      evidence,
    );
  }
}
