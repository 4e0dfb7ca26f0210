/** What `case verify` reports: the problem codes, a problem, the result and the options (docs/case-file.md §9). */
import type { Severity } from '../../../shared/verdict/findings.js';

export const CASE_PROBLEM_CODES = {
  JOURNAL_SEQUENCE_BROKEN: [
    'error',
    'A journal row number is not the previous one plus one: rows were deleted, inserted or renumbered.',
  ],
  JOURNAL_CHAIN_BROKEN: [
    'error',
    "A journal row's prev_hash is not the previous row's hash (the genesis value for row 1).",
  ],
  JOURNAL_HASH_MISMATCH: ['error', "A journal row's hash is not the hash of its content: the row was edited."],
  JOURNAL_DETAILS_INVALID: ['error', "A journal row's details are not a JSON object."],
  RECORD_MISMATCH: [
    'error',
    'A case record disagrees with the journal row that created it, or a record the journal names is missing.',
  ],
  RECORD_UNJOURNALED: ['error', 'A case record has no journal row that created it.'],
  EVIDENCE_MISSING: ['error', 'A stored evidence file is missing from the locker.'],
  EVIDENCE_MODIFIED: [
    'error',
    'A stored evidence file differs from its recorded size or SHA-256, or a directory item from its tree digest.',
  ],
  EVIDENCE_UNEXPECTED_FILE: [
    'error',
    'The locker holds a file the case does not list: inside an evidence item, or an item no evidence row names (other than a leftover of an interrupted import).',
  ],
  REPORT_MISSING: ['error', 'A recorded report file is not at its recorded path.'],
  REPORT_MODIFIED: ['error', 'A recorded report file differs from its recorded SHA-256.'],
  REPORT_ANCHOR_MISMATCH: [
    'error',
    'The journal head a report anchors (as recorded, or as its signed attestation states it) is not a row of this journal with that hash: the journal was changed or rewritten up to that row after the report was signed.',
  ],
  REPORT_ATTESTATION_MISMATCH: [
    'error',
    "A report's attestation names another case, run or journal head than the case recorded for it: the record or the attestation was replaced.",
  ],
  REPORT_NOT_ANCHORED: [
    'info',
    "A report recorded with an anchored head whose attestation carries no case anchor (or no readable one): that anchor rests on the case's own records only.",
  ],
  LEFTOVER_STAGING: [
    'info',
    'A staging directory of an interrupted import (not evidence; removed when the case is next opened for writing).',
  ],
  LEFTOVER_UNRECORDED: [
    'info',
    'A copy in the locker that neither an evidence row nor a journal row names (an import interrupted after placing it; removed when the case is next opened for writing).',
  ],
  REPORT_OUTSIDE_CASE: [
    'info',
    "A report file is recorded at a path outside the case (an older version recorded the original's absolute path, or the row was edited): it is not followed, so its bytes are not checked here; check the report with `proofdesk report verify`.",
  ],
  LOCKER_LINKED: [
    'error',
    "The locker (evidence/ or tmp/), or an evidence item in it, is a symbolic link, not a directory, or resolves outside the case: what it shows may be another case's evidence. It is not read.",
  ],
  RUN_INCOMPLETE: [
    'info',
    'A run that has no end: still running, or its process died (ended as failed when the case is next opened for writing).',
  ],
} as const satisfies Record<string, readonly [Severity, string]>;

export type CaseProblemCode = keyof typeof CASE_PROBLEM_CODES;

export interface CaseProblem {
  readonly code: CaseProblemCode;
  readonly severity: Severity;
  readonly location: {
    readonly journalSeq?: number;
    readonly table?: string;
    readonly id?: number;
    /** Case-relative path (evidence) or absolute path (reports). */
    readonly path?: string;
  };
  readonly message: string;
  readonly expected?: string | number | null;
  readonly actual?: string | number | null;
}

export interface CaseVerifyResult {
  /** No problem of severity error. */
  readonly ok: boolean;
  readonly caseId: string;
  readonly journal: {
    readonly rows: number;
    readonly head: { readonly seq: number; readonly hash: string };
    readonly firstBreak?: number;
  };
  readonly evidence: { readonly items: number; readonly files: number; readonly bytes: number };
  readonly reports: { readonly reports: number; readonly files: number };
  /** At most MAX_PROBLEMS_PER_CODE per code, in the order found. */
  readonly problems: readonly CaseProblem[];
  /** Problems found beyond that, counted per code (absent when none were left out). */
  readonly problemsOmitted?: Partial<Record<CaseProblemCode, number>>;
}

export interface CaseVerifyOptions {
  /** Called before each evidence file is hashed. */
  readonly onFile?: (p: { readonly path: string; readonly size: number }) => void;
}

/**
 * Problems listed per code; the rest are counted in `problemsOmitted`. A case someone hands over
 * can hold a million forged journal rows: listing a problem for each would take gigabytes, and
 * the first hundred of a kind already say what happened and where it starts.
 */
export const MAX_PROBLEMS_PER_CODE = 100;
