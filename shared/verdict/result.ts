/**
 * The VerificationResult model: what a run found, in a form that is identical for 1, 2 or N
 * workers and on any machine (no timings, no absolute paths). Run statistics live beside it
 * in VerificationRun.
 */

import type { KeyRole } from '../keys/trust.js';
import type { Cause } from './cause.js';
import type { Finding, FindingCode } from './findings.js';

/** v2 adds `headline` and `diagnosis`; v1 results (older reports) are still read. */
export const RESULT_SCHEMA = 'proofdesk-verification-result/v2';
export const RESULT_SCHEMA_V1 = 'proofdesk-verification-result/v1';

export type Verdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE';
export type CoverageStatus = 'verified' | 'failed' | 'unverifiable';

/** Entries [from, to) share one status. */
export interface CoverageRange {
  readonly from: number;
  readonly to: number;
  readonly status: CoverageStatus;
  readonly reason: CoverageReason;
}

/** Why an entry has its status (docs/bundle-format.md §7); verdict/coverage.ts applies them in this order. */
export type CoverageReason =
  | 'ENTRY_CHANGED' // failed: the diagnosis shows this entry changed, inserted or moved
  | 'ENTRY_ERRORS' // failed: the entry itself has an error finding (malformed, bad signature, key window)
  | 'NO_TRUSTED_CHECKPOINT' // unverifiable: no trusted checkpoint covers it
  | 'ROOT_NO_LONGER_MATCHES' // unverifiable: the trusted root covering it no longer matches the export ("no longer proven")
  | 'SIGNER_NOT_TRUSTED' // unverifiable: signed by a key not trusted as an event source
  | 'SIGNATURE_TIME_NOT_ESTABLISHED' // unverifiable: its signature's key has a window no time in the evidence shows it met
  | 'SIGNED_ROOT_MATCHES'; // verified: under a trusted checkpoint whose root matches

export interface Coverage {
  readonly verified: number;
  readonly failed: number;
  readonly unverifiable: number;
  readonly ranges: readonly CoverageRange[];
}

/**
 * 'wrong-role': the line's key is trusted, but not in the role the line signs in (KEY_WRONG_ROLE); not counted.
 * 'validity-unknown': the signature verifies, but nothing shows it was made inside its key's validity
 * window (TIME_NOT_ESTABLISHED, KEY_WINDOW_INVALID; shared/formats/validity.ts); not counted.
 */
export type SignatureStatus =
  | 'verified'
  | 'failed'
  | 'unknown-key'
  | 'bundle-key'
  | 'not-valid-at-time'
  | 'revoked'
  | 'wrong-role'
  | 'validity-unknown';

export interface SignatureReport {
  readonly name: string;
  /** 8 hex digits. */
  readonly keyId: string;
  readonly kind: 'log' | 'cosignature' | 'unknown';
  readonly status: SignatureStatus;
  readonly fingerprint?: string;
  /** Cosignature timestamp, seconds since the epoch (as signed by the witness). */
  readonly time?: number;
}

export type CheckpointStatus = 'trusted' | 'untrusted' | 'rejected' | 'malformed';
export type RootStatus = 'match' | 'mismatch' | 'beyond-entries' | 'not-checked';

export interface CheckpointReport {
  readonly file: string;
  readonly origin?: string;
  readonly size?: number;
  /** Lowercase hex of the signed root. */
  readonly rootHash?: string;
  /** Lowercase hex of the root recomputed from the entries (when size <= entries). */
  readonly computedRoot?: string;
  readonly status: CheckpointStatus;
  readonly rootStatus: RootStatus;
  readonly signatures: readonly SignatureReport[];
}

export interface ProofReport {
  readonly file: string;
  readonly kind: 'inclusion' | 'consistency' | 'unknown';
  readonly status: 'verified' | 'failed' | 'malformed';
  readonly index?: number;
  readonly size?: number;
  readonly size1?: number;
  readonly size2?: number;
}

export type CheckId =
  | 'manifest'
  | 'entries'
  | 'chain'
  | 'sequence'
  | 'timestamps'
  | 'entry-signatures'
  | 'checkpoint-signatures'
  | 'merkle-roots'
  | 'proofs'
  | 'coverage';

export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

export interface CheckSummary {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** What was checked, e.g. { links: 1000, broken: 1 }. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface TrustedKeyReport {
  readonly fingerprint: string;
  readonly name?: string;
  readonly label?: string;
  /** The roles the key was trusted in (shared/trust.ts KeyRole). */
  readonly roles?: readonly KeyRole[];
}

export interface BundleFileReport {
  readonly path: string;
  readonly size: number;
  /** SHA-256 of the bytes actually read. */
  readonly sha256: string;
  readonly role: 'manifest' | 'entries' | 'checkpoint' | 'proof' | 'key';
}

export interface RuleSets {
  readonly ed25519: string;
  readonly merkle: 'rfc9162-sha256';
  readonly chain: string;
  /** How checkpoints (signed tree heads) are judged, e.g. 'c2sp-tlog-checkpoint+signed-note'. */
  readonly checkpoint: string;
}

export interface VerificationParameters {
  readonly maxEntryBytes: number;
  readonly findingsPerCode: number;
  readonly crossCheck: boolean;
}

/** Time bounds the evidence itself supports (never the examiner machine's clock). */
export interface EvidenceTime {
  readonly firstEntryTs?: string;
  readonly lastEntryTs?: string;
  /** Earliest and latest trusted cosignature times (seconds since the epoch). */
  readonly cosignedFrom?: number;
  readonly cosignedTo?: number;
}

export interface VerificationResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly verdict: Verdict;
  /** One plain sentence: what happened and what still stands (shared/present/headline.ts). */
  readonly headline: string;
  /** The causes, most fundamental first; each names its entries and the findings it explains. */
  readonly diagnosis: readonly Cause[];
  readonly tool: { readonly name: 'proofdesk'; readonly version: string };
  readonly rules: RuleSets;
  readonly parameters: VerificationParameters;
  readonly bundle: {
    readonly name: string;
    readonly container: 'directory' | 'tar';
    readonly origin: string;
    readonly formatVersion: number;
    readonly entryCount: number;
    readonly entriesBytes: number;
    readonly files: readonly BundleFileReport[];
  };
  readonly trustedKeys: readonly TrustedKeyReport[];
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly checks: readonly CheckSummary[];
  readonly coverage: Coverage;
  readonly evidenceTime: EvidenceTime;
  readonly findings: readonly Finding[];
  /** Findings counted but not listed because their code exceeded the per-code limit. */
  readonly findingsOmitted: Readonly<Partial<Record<FindingCode, number>>>;
}

export interface RunStats {
  readonly workers: number;
  readonly elapsedMs: number;
  readonly entriesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly crossCheckedSignatures: number;
  /** Peak resident memory of the verifying process (all its threads) so far, in bytes. */
  readonly peakRssBytes?: number;
  /**
   * How the hot hashing ran: "native" (the addon in native/), "node:crypto" (with why not the
   * addon), or "native+node:crypto" (both, compared, with --cross-check). Same results either way.
   */
  readonly hashing?: string;
}

export interface VerificationRun {
  readonly result: VerificationResult;
  readonly stats: RunStats;
}
