/**
 * Typed errors for unusable input and I/O failure. Evidence problems are never thrown:
 * they are returned as findings (see findings.ts). A ProofdeskError crosses thread and
 * IPC boundaries as plain data via toErrorData().
 */
export type ErrorCode =
  | 'USAGE' // bad command-line or API arguments
  | 'INPUT_UNREADABLE' // file missing, unreadable, not a bundle
  | 'INPUT_MALFORMED' // structurally unusable input (e.g. manifest is not JSON)
  | 'INPUT_TOO_LARGE' // a bounded resource (manifest, note, key file) exceeds its limit
  | 'UNSUPPORTED_FORMAT' // unknown bundle format or format version
  | 'PATH_UNSAFE' // a path inside a bundle would escape it
  | 'KEY_INVALID' // a key that cannot be parsed or used
  | 'PASSPHRASE_REQUIRED'
  | 'PASSPHRASE_WRONG'
  | 'CASE_BUSY' // another process holds what the operation needs (an index build of the same bundle)
  | 'CANCELLED'
  | 'INTERNAL';

export class ProofdeskError extends Error {
  override readonly name = 'ProofdeskError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: Readonly<Record<string, string | number | boolean>>,
  ) {
    super(message);
  }
}

export interface ErrorData {
  readonly name: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export function toErrorData(e: unknown): ErrorData {
  if (e instanceof ProofdeskError) {
    return { name: e.name, code: e.code, message: e.message, stack: e.stack, detail: e.detail };
  }
  if (e instanceof Error) return { name: e.name, code: 'INTERNAL', message: e.message, stack: e.stack };
  return { name: 'Error', code: 'INTERNAL', message: String(e) };
}

export function fromErrorData(d: ErrorData): ProofdeskError {
  const err = new ProofdeskError(d.code, d.message, d.detail);
  if (d.stack) err.stack = d.stack;
  return err;
}
