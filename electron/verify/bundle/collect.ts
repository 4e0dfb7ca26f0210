/** The findings a bundle's verification steps collect, in the order they are found; finish() orders them. */
import { type EvidenceValue, type Finding, type FindingCode, finding } from '../../../shared/verdict/findings.js';

export class Findings {
  readonly list: Finding[] = [];

  add(
    code: FindingCode,
    location: Finding['location'],
    message: string,
    evidence?: Readonly<Record<string, EvidenceValue>>,
  ): void {
    this.list.push(finding(code, location, message, evidence as Record<string, EvidenceValue> | undefined));
  }

  push(...fs: readonly Finding[]): void {
    this.list.push(...fs);
  }
}
