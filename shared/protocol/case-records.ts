/**
 * The case file's records as plain data: what the case-task workers return and the app shows.
 * electron/case/ writes and reads them (docs/case-file.md).
 */
import type { KeyRole } from '../keys/trust.js';

export type EvidenceKind = 'bundle' | 'key' | 'other';
export type EvidenceContainer = 'file' | 'directory';

export interface JournalHead {
  readonly seq: number;
  /** Lowercase hex; the genesis value when the journal is empty. */
  readonly hash: string;
}

export interface EvidenceRecord {
  readonly id: number;
  readonly kind: EvidenceKind;
  readonly container: EvidenceContainer;
  /** SHA-256 of the file, or the tree digest of a directory (treeDigest). */
  readonly digest: string;
  readonly size: number;
  readonly fileCount: number;
  /** Case-relative path of the stored file or directory: evidence/<digest>/<original name>. */
  readonly storedPath: string;
  readonly originalPath: string;
  readonly originalMtime: string | null;
  readonly importedAt: string;
  readonly importedBy: string;
  readonly label: string | null;
  readonly journalSeq: number;
}

export interface ReportFileInput {
  /** What the file is: 'pdf', 'attestation', 'signature', … (unique within a report). */
  readonly role: string;
  readonly path: string;
}

export interface RecordReport {
  /** The run the report is about (absent for reports not tied to one run). */
  readonly runId?: number;
  readonly files: readonly ReportFileInput[];
  /** Fingerprint of the examiner key that signed the report. */
  readonly examinerFingerprint?: string;
  /** The journal head written into the attestation. */
  readonly anchoredHead?: JournalHead;
}

export interface ReportFile {
  readonly role: string;
  readonly path: string;
  readonly size: number;
  readonly digest: string;
}

export interface ReportRecord {
  readonly id: number;
  readonly runId: number | null;
  readonly signedAt: string;
  readonly signedBy: string;
  readonly examinerFingerprint: string | null;
  readonly anchoredHead: JournalHead | null;
  readonly journalSeq: number;
  readonly files: readonly ReportFile[];
}

export interface TrustGrant {
  readonly id: number;
  readonly fingerprint: string;
  readonly algorithm: 'ed25519';
  /** Lowercase hex of the 32-byte key. */
  readonly publicKey: string;
  readonly keyName: string | null;
  readonly label: string;
  /** The log origin the key is trusted for; null: any origin (e.g. a witness key). */
  readonly origin: string | null;
  /** What the key is trusted to sign (grants made before schema v3 are 'log'). */
  readonly role: KeyRole;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly sourceEvidenceId: number | null;
  readonly trustedAt: string;
  readonly trustedBy: string;
  readonly journalSeq: number;
  /** The earliest revocation time of this fingerprint, if any. */
  readonly revokedAt: string | null;
}
