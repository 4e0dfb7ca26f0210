/** The report verification: its verdict, what the checks say of the report's authenticity, and what it attests. */
import type { VerificationStatement } from '../../../shared/report/predicate.js';
import {
  REPORT_VERIFICATION_SCHEMA,
  type ReportCheckId,
  type ReportVerification,
} from '../../../shared/report/report-verification.js';
import type { Verdict } from '../../../shared/verdict/result.js';
import { reportIdOf } from '../sign.js';
import type { ReportChecks } from './checks.js';
import type { SignedAttestation } from './envelope.js';

/** The order checks are listed in, whichever order they ran in. */
const CHECK_ORDER: readonly ReportCheckId[] = [
  'detached-signature',
  'attachment',
  'envelope',
  'dsse-signature',
  'statement',
  'render',
  'rerun',
  'case-anchor',
];

export interface ReportFacts {
  readonly input: ReportVerification['input'];
  readonly examinerKey: string;
  readonly signed: SignedAttestation;
  /** The PDF's detached signature verified. */
  readonly detachedOk: boolean;
  readonly rerun: ReportVerification['rerun'];
}

export function reportVerification(r: ReportChecks, f: ReportFacts): ReportVerification {
  const { checks, findings } = r;
  const { claimedSigners, payload } = f.signed;
  const otherSigner =
    claimedSigners !== undefined && claimedSigners.length > 0 && !claimedSigners.includes(f.examinerKey);
  const p = f.signed.statement?.predicate;
  return {
    schema: REPORT_VERIFICATION_SCHEMA,
    verdict: verdictOf(r, f.detachedOk),
    input: f.input,
    examinerKey: f.examinerKey,
    authenticity: authenticityOf(r, otherSigner),
    ...(otherSigner ? { signer: { fingerprints: claimedSigners! } } : {}),
    checks: CHECK_ORDER.filter((id) => checks.has(id)).map((id) => ({ id, status: checks.get(id)! })),
    findings,
    ...(p && payload ? { attested: attestedSummary(p, payload) } : {}),
    ...(f.rerun ? { rerun: f.rerun } : {}),
  };
}

/**
 * FAIL on any error; INCONCLUSIVE when something could not be decided (another trust for the
 * re-run, no anchor to compare with the case, another build's rendering and no detached
 * signature); PASS otherwise.
 */
function verdictOf(r: ReportChecks, detachedOk: boolean): Verdict {
  const { findings } = r;
  const hasError = findings.some((f) => f.severity === 'error');
  const undecided =
    findings.some((f) => f.code === 'RERUN_TRUST_DIFFERS' || f.code === 'REPORT_NOT_ANCHORED') ||
    (findings.some((f) => f.code === 'REPORT_RENDERER_DIFFERS') && !detachedOk);
  return hasError ? 'FAIL' : undecided ? 'INCONCLUSIVE' : 'PASS';
}

/**
 * A signature that fails for a key the report does not name is not evidence of a change: the
 * report was signed by someone else (or its key was not the one given). Only a signature of
 * the key given that no longer matches, or a PDF that is not what the signed attestation
 * renders to, shows the report was altered.
 */
function authenticityOf(r: ReportChecks, otherSigner: boolean): ReportVerification['authenticity'] {
  const { checks } = r;
  const changed =
    checks.get('dsse-signature') === 'fail' ||
    checks.get('detached-signature') === 'fail' ||
    checks.get('render') === 'fail' ||
    checks.get('statement') === 'fail';
  return otherSigner
    ? 'other-key'
    : changed
      ? 'altered'
      : checks.get('dsse-signature') === 'pass'
        ? 'authentic'
        : 'undetermined';
}

function attestedSummary(
  p: VerificationStatement['predicate'],
  payload: Uint8Array,
): NonNullable<ReportVerification['attested']> {
  return {
    reportId: reportIdOf(payload),
    verdict: p.result.verdict,
    bundle: p.result.bundle.name,
    origin: p.result.bundle.origin,
    entryCount: p.result.bundle.entryCount,
    findings: p.result.findings.length,
    examiner: p.examiner.organisation ? `${p.examiner.name}, ${p.examiner.organisation}` : p.examiner.name,
    ...(p.caseReference !== undefined ? { caseReference: p.caseReference } : {}),
    ...(p.case !== undefined ? { case: p.case } : {}),
    timeVerified: p.timeVerified,
    toolVersion: p.tool.version,
    toolBuild: p.tool.build.sha256,
  };
}
