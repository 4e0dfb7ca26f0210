/**
 * The names people read for the identifiers in a result: checks, their statuses, coverage
 * reasons and causes. The CLI, the app and the PDF all take them from here, so a check is
 * called the same thing everywhere ("Merkle roots match signed checkpoints", not merkle-roots).
 */
import type { CauseCode } from '../verdict/cause.js';
import type { CheckId, CheckStatus, CoverageReason, Verdict } from '../verdict/result.js';

/** What each check establishes when it passes. */
export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  manifest: 'Manifest lists every file, with its size and digest',
  entries: 'Entries are well-formed',
  chain: 'Hash chain links every entry to the one before',
  sequence: 'Sequence numbers are contiguous',
  timestamps: 'Timestamps never go backwards',
  'entry-signatures': 'Entry signatures verify',
  'checkpoint-signatures': 'Checkpoints are signed by trusted keys',
  'merkle-roots': 'Merkle roots match signed checkpoints',
  proofs: 'Shipped proofs verify',
  coverage: 'Every entry is covered by a matching signed root',
};

export const CHECK_STATUS_LABELS: Readonly<Record<CheckStatus, string>> = {
  pass: 'passed',
  fail: 'failed',
  inconclusive: 'open',
  skipped: 'not applicable',
};

/** Why an entry has its coverage status, as a short phrase ("no longer proven"). */
export const COVERAGE_REASON_LABELS: Readonly<Record<CoverageReason, string>> = {
  SIGNED_ROOT_MATCHES: 'verified',
  ENTRY_CHANGED: 'changed, inserted or moved',
  ENTRY_ERRORS: 'breaks the entry rules',
  ROOT_NO_LONGER_MATCHES: 'no longer proven',
  NO_TRUSTED_CHECKPOINT: 'not covered by a trusted checkpoint',
  SIGNER_NOT_TRUSTED: 'signer not trusted',
  SIGNATURE_TIME_NOT_ESTABLISHED: 'signing time not established',
};

/** A title for each cause, for lists and headings. */
export const CAUSE_LABELS: Readonly<Record<CauseCode, string>> = {
  EVIDENCE_UNREADABLE: 'Evidence cannot be read',
  CHECKPOINT_SIGNATURE_INVALID: 'Checkpoint signature invalid',
  CHECKPOINTS_CONFLICT: 'The log signed two histories',
  ORIGIN_MISMATCH: 'Checkpoint of another log',
  KEY_NOT_VALID: 'Key used outside its validity',
  ENTRY_ALTERED: 'Entry altered',
  ENTRIES_REMOVED: 'Entries removed',
  ENTRIES_INSERTED: 'Entries inserted',
  ENTRIES_DUPLICATED: 'Entries duplicated',
  ENTRIES_REORDERED: 'Entries out of order',
  ENTRY_INVALID: 'Entry breaks the rules',
  HISTORY_REWRITTEN: 'History rewritten',
  LOG_TRUNCATED: 'Export cut short',
  ARTIFACT_MISMATCH: 'Artifact differs',
  LOG_DEFECT: 'Defect of the log itself',
  PUBLISHED_TREE_MISMATCH: 'Published tiles disagree',
  MANIFEST_MISMATCH: 'Manifest does not match',
  PROOF_INVALID: 'Proof does not verify',
  NO_TRUSTED_SIGNER: 'No trusted signer',
  KEY_WRONG_ROLE: 'Key given in the wrong role',
  CHECKPOINTS_NOT_TRUSTED: 'Checkpoints not trusted',
  ENTRY_SIGNER_NOT_TRUSTED: 'Entry signer not trusted',
  SIGNATURE_TIME_NOT_ESTABLISHED: 'Signing time not established',
  CONTENT_NOT_CHECKED: 'Content not checked',
  NO_CHECKPOINTS: 'No checkpoints',
  UNSEALED_TAIL: 'Entries not yet sealed',
};

export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  PASS: 'PASS — verified',
  FAIL: 'FAIL — evidence problems found',
  INCONCLUSIVE: 'INCONCLUSIVE — not everything could be verified',
};
