/** The result of checking a signed report (`proofdesk report verify`, the app's Reports screen): plain data. */
import type { Finding } from '../verdict/findings.js';
import type { CheckStatus, Verdict } from '../verdict/result.js';
import type { CaseAnchor } from './case-anchor.js';

export const REPORT_VERIFICATION_SCHEMA = 'proofdesk-report-verification/v1';
export type ReportCheckId =
  | 'detached-signature'
  | 'attachment'
  | 'envelope'
  | 'dsse-signature'
  | 'statement'
  | 'render'
  | 'rerun'
  | 'case-anchor';

export interface ReportCheck {
  readonly id: ReportCheckId;
  readonly status: CheckStatus;
}

export interface ReportVerification {
  readonly schema: typeof REPORT_VERIFICATION_SCHEMA;
  readonly verdict: Verdict;
  readonly input: {
    readonly kind: 'pdf' | 'attestation';
    readonly name: string;
    readonly size: number;
    readonly sha256: string;
  };
  /** Fingerprint of the examiner key the report was checked against. */
  readonly examinerKey: string;
  /**
   * authentic: signed by that key and unchanged since. other-key: that key did not sign it, and
   * the report names another (`signer`): nothing shows a change, ask for that key. altered: a
   * signature of that key no longer matches, or the PDF is not what the signed attestation
   * renders to. undetermined: no readable signed attestation.
   */
  readonly authenticity: 'authentic' | 'other-key' | 'altered' | 'undetermined';
  /** The examiner keys the report names (keyid hints and the statement; not verified). */
  readonly signer?: { readonly fingerprints: readonly string[] };
  readonly checks: readonly ReportCheck[];
  readonly findings: readonly Finding[];
  /** What the report attests, once its signature and structure are verified. */
  readonly attested?: {
    readonly reportId: string;
    readonly verdict: Verdict;
    readonly bundle: string;
    readonly origin: string;
    readonly entryCount: number;
    readonly findings: number;
    readonly examiner: string;
    readonly caseReference?: string;
    /** Signed inside a case: the case and the journal head the signature anchors. */
    readonly case?: CaseAnchor;
    readonly timeVerified: string;
    readonly toolVersion: string;
    readonly toolBuild: string;
  };
  readonly rerun?: { readonly verdict: Verdict; readonly differences: number };
}
