/** What one `report verify` run records as it goes: its findings in the order found, and each check's status. */
import type { ReportCheckId } from '../../../shared/report/report-verification.js';
import { type Finding, type FindingCode, finding } from '../../../shared/verdict/findings.js';
import type { CheckStatus } from '../../../shared/verdict/result.js';

export type Add = (
  code: FindingCode,
  location: Finding['location'],
  message: string,
  evidence?: Record<string, string | number | boolean | null>,
) => void;

export class ReportChecks {
  readonly findings: Finding[] = [];
  readonly checks = new Map<ReportCheckId, CheckStatus>();
  /** Bound, so the steps that take an Add can be handed it. */
  readonly add: Add = (code, location, message, evidence) => {
    this.findings.push(finding(code, location, message, evidence));
  };
}
