/** A problem found while narrowing untrusted JSON: where (a JSON path such as "$.subject[2].digest") and what. */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

/** Small helpers for validators that collect every problem instead of stopping at the first. */
export class Problems {
  readonly list: ValidationProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** RFC 3339 UTC instant as Proofdesk writes it: YYYY-MM-DDTHH:MM:SS[.fraction]Z. */
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
