/**
 * A cause of the diagnosis, as results carry it (result.diagnosis): what happened, to which
 * entries, shown by which findings. The diagnosis (diagnosis.ts) finds them; this module only
 * names them, so the result model can refer to them without depending on the diagnosis.
 */
import type { Severity } from './findings.js';

/** [from, to) of entry indexes (to exclusive); from === to is a position between entries. */
export interface EntrySpan {
  readonly from: number;
  readonly to: number;
}

/** Cause names tools may rely on (docs/bundle-format.md §7.1). */
export const CAUSE_CODES = [
  'EVIDENCE_UNREADABLE',
  'CHECKPOINT_SIGNATURE_INVALID',
  'CHECKPOINTS_CONFLICT',
  'ORIGIN_MISMATCH',
  'KEY_NOT_VALID',
  'ENTRY_ALTERED',
  'ENTRIES_REMOVED',
  'ENTRIES_INSERTED',
  'ENTRIES_DUPLICATED',
  'ENTRIES_REORDERED',
  'ENTRY_INVALID',
  'HISTORY_REWRITTEN',
  'LOG_TRUNCATED',
  'ARTIFACT_MISMATCH',
  'LOG_DEFECT',
  'PUBLISHED_TREE_MISMATCH',
  'MANIFEST_MISMATCH',
  'PROOF_INVALID',
  'NO_TRUSTED_SIGNER',
  'KEY_WRONG_ROLE',
  'CHECKPOINTS_NOT_TRUSTED',
  'ENTRY_SIGNER_NOT_TRUSTED',
  'SIGNATURE_TIME_NOT_ESTABLISHED',
  'CONTENT_NOT_CHECKED',
  'NO_CHECKPOINTS',
  'UNSEALED_TAIL',
] as const;
export type CauseCode = (typeof CAUSE_CODES)[number];

/** A signer seen on a checkpoint that no trusted key matches. */
export interface SignerSeen {
  readonly name: string;
  /** 8 hex digits (C2SP note key ID). */
  readonly keyId: string;
  /** SHA-256 of the key's SPKI, when the bundle ships the key. */
  readonly fingerprint?: string;
}

export interface Cause {
  readonly cause: CauseCode;
  readonly severity: Severity;
  /** Entries concerned, [from, to) of entry indexes; from === to is a position between entries. */
  readonly entries?: EntrySpan;
  /** When the cause covers several separate runs of entries (then `entries` spans them all). */
  readonly ranges?: readonly EntrySpan[];
  /** Seq values concerned, [from, to). */
  readonly seq?: EntrySpan;
  readonly checkpoints?: ReadonlyArray<{ readonly file: string; readonly size?: number }>;
  readonly signers?: readonly SignerSeen[];
  /** Indexes into the result's findings. */
  readonly findings: readonly number[];
  /** One or two plain sentences. */
  readonly text: string;
}
