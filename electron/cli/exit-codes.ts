/** The documented exit codes of `proofdesk` (README.md, "Command line"). */
import type { ErrorCode } from '../../shared/verdict/errors.js';
import type { Verdict } from '../../shared/verdict/result.js';

export const EXIT = {
  /** Verified: PASS, or the command succeeded. */
  OK: 0,
  /** Evidence problems found: FAIL. */
  FAIL: 1,
  /** Unusable input or a usage error: nothing was judged. */
  USAGE: 2,
  /** No problem found, but not everything could be verified: INCONCLUSIVE. */
  INCONCLUSIVE: 3,
  /** A bug in Proofdesk. */
  INTERNAL: 4,
  /** Cancelled (Ctrl-C). */
  CANCELLED: 130,
} as const;

export function exitForVerdict(v: Verdict): number {
  return v === 'PASS' ? EXIT.OK : v === 'FAIL' ? EXIT.FAIL : EXIT.INCONCLUSIVE;
}

export function exitForError(code: ErrorCode): number {
  return code === 'CANCELLED' ? EXIT.CANCELLED : code === 'INTERNAL' ? EXIT.INTERNAL : EXIT.USAGE;
}
