/**
 * The problems of one `case verify` run, in the order found, listed up to MAX_PROBLEMS_PER_CODE
 * per code and counted past that.
 */
import { CASE_PROBLEM_CODES, type CaseProblem, type CaseProblemCode, MAX_PROBLEMS_PER_CODE } from './model.js';

export class Problems {
  readonly list: CaseProblem[] = [];
  readonly omitted: Partial<Record<CaseProblemCode, number>> = {};
  private readonly perCode = new Map<CaseProblemCode, number>();
  errors = 0;
  add(
    code: CaseProblemCode,
    location: CaseProblem['location'],
    message: string,
    expected?: string | number | null,
    actual?: string | number | null,
  ): void {
    const severity = CASE_PROBLEM_CODES[code][0];
    if (severity === 'error') this.errors++;
    const n = this.perCode.get(code) ?? 0;
    this.perCode.set(code, n + 1);
    if (n >= MAX_PROBLEMS_PER_CODE) {
      this.omitted[code] = (this.omitted[code] ?? 0) + 1;
      return;
    }
    this.list.push({
      code,
      severity,
      location,
      message,
      ...(expected !== undefined ? { expected } : {}),
      ...(actual !== undefined ? { actual } : {}),
    });
  }
}
