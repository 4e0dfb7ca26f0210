/**
 * The DiffResult model: what comparing two exports of one log found (docs/diff.md). Like
 * VerificationResult it holds no timings and no absolute paths, so the same two exports give
 * the same result on any machine; run statistics live beside it in DiffRun.
 */
import type { Cause } from '../verdict/cause.js';
import type { Finding } from '../verdict/findings.js';
import type { VerificationResult } from '../verdict/result.js';
import type { EntryDiff, EntryView } from './entries.js';

/** v2 adds `headline` and `diagnosis` (in the causes of shared/verdict/cause.ts). */
export const DIFF_SCHEMA = 'proofdesk-diff-result/v2';

/**
 * IDENTICAL     both exports hold the same entries.
 * B_EXTENDS_A   A's entries are a prefix of B's and every signed checkpoint is consistent.
 * A_EXTENDS_B   the same, the other way round.
 * TRUNCATED     one export's entries are a prefix of the other's, and it lacks entries its own
 *               signed checkpoints commit to.
 * REWRITTEN     the exports hold different entries from index k on; no two signed checkpoints
 *               contradict each other (the rewrite is not signed by the log).
 * FORKED        two checkpoints signed by trusted keys cannot both be true: same size and
 *               different roots, or the smaller is not a prefix of the larger.
 */
export type DiffVerdict = 'IDENTICAL' | 'B_EXTENDS_A' | 'A_EXTENDS_B' | 'TRUNCATED' | 'REWRITTEN' | 'FORKED';

const DIFF_VERDICTS: readonly DiffVerdict[] = [
  'IDENTICAL',
  'B_EXTENDS_A',
  'A_EXTENDS_B',
  'TRUNCATED',
  'REWRITTEN',
  'FORKED',
];

export type Side = 'A' | 'B';

export interface DiffSide {
  readonly name: string;
  readonly container: 'directory' | 'tar';
  readonly entryCount: number;
  /** SHA-256 of the entries file, when it was read. */
  readonly entriesSha256?: string;
  /** Each export's own verification, findings included. */
  readonly verification: VerificationResult;
}

/** A signed tree head (size, root) seen in one or both exports, and what each export's entries say about it. */
export interface CheckpointRelation {
  readonly size: number;
  /** Lowercase hex. */
  readonly rootHash: string;
  readonly files: ReadonlyArray<{ readonly side: Side; readonly file: string }>;
  /** Exports whose first `size` entries have this root. */
  readonly backedBy: readonly Side[];
  /** Exports holding at least `size` entries whose root differs. */
  readonly contradictedBy: readonly Side[];
  /** Exports holding fewer than `size` entries. */
  readonly beyond: readonly Side[];
}

export interface CheckpointRef {
  readonly size: number;
  readonly rootHash: string;
  readonly side: Side;
  readonly file: string;
}

export interface ForkPair {
  /** same-size: equal sizes, different roots. not-a-prefix: the larger tree's first `smaller.size` leaves have another root. */
  readonly kind: 'same-size' | 'not-a-prefix';
  readonly smaller: CheckpointRef;
  readonly larger: CheckpointRef;
  /** Fingerprints of the trusted log keys that signed both checkpoints (never empty), sorted. */
  readonly signers: readonly string[];
  /** The export whose entries reproduce the larger checkpoint and so show its prefix root. */
  readonly tree?: Side;
  /** Root of the larger tree's first smaller.size leaves (not-a-prefix only), lowercase hex. */
  readonly prefixRoot?: string;
}

export interface ConsistencyEvidence {
  readonly older: CheckpointRef;
  readonly newer: CheckpointRef;
  /** The export whose entries produced the proof. */
  readonly tree: Side;
  /** RFC 9162 §2.1.4 proof, base64 hashes. */
  readonly proof: readonly string[];
  /** The proof as a consistency proof file (docs/bundle-format.md §6), checkable with `proofdesk check-proof`. */
  readonly file: string;
}

export interface MisbehaviourEvidence {
  readonly fork: ForkPair;
  /** The proof-of-misbehaviour file (docs/diff.md §6), checkable with `proofdesk check-proof`. */
  readonly file: string;
  readonly sha256: string;
  /** The first leaf at which the two signed trees differ, when both are backed by an export. */
  readonly leafIndex?: number;
}

export interface Divergence {
  /** First index at which the exports' entries differ. */
  readonly index: number;
  /** Entries around it, as each export holds them. */
  readonly context: { readonly a: readonly EntryView[]; readonly b: readonly EntryView[] };
}

export interface DivergenceSearchReport {
  /** Entries compared: min(A count, B count). */
  readonly compared: number;
  /** Subtree hashes compared while descending the two trees. */
  readonly comparisons: number;
}

export interface DiffResult {
  readonly schema: typeof DIFF_SCHEMA;
  readonly verdict: DiffVerdict;
  /** One sentence: what differs, where, and what the two exports agree on (shared/diff/diagnosis.ts). */
  readonly headline: string;
  /** The changes as causes, with exact entries on the side that departs from the signed history. */
  readonly diagnosis: readonly Cause[];
  readonly tool: { readonly name: 'proofdesk'; readonly version: string };
  readonly origin: string;
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Number of leading entries the two exports hold identically. */
  readonly commonPrefix: number;
  readonly search: DivergenceSearchReport;
  readonly divergence?: Divergence;
  /** REWRITTEN: which export departs from the signed history ('unknown' when no signed checkpoint covers the divergence). */
  readonly rewritten?: { readonly index: number; readonly side: Side | 'unknown' };
  /** When one export's entries are a prefix of the other's: the extra entries and how far signed checkpoints cover them. */
  readonly extension?: { readonly longer: Side; readonly from: number; readonly to: number; readonly signedTo: number };
  /** Exports holding fewer entries than their own trusted checkpoints commit to. */
  readonly truncation: ReadonlyArray<{ readonly side: Side; readonly held: number; readonly committed: number }>;
  readonly checkpoints: readonly CheckpointRelation[];
  readonly forks: readonly ForkPair[];
  readonly forksOmitted: number;
  readonly consistency?: ConsistencyEvidence;
  readonly misbehaviour?: MisbehaviourEvidence;
  readonly entryDiff?: EntryDiff;
  /** Findings of the comparison itself (each export's own are in its verification). */
  readonly findings: readonly Finding[];
}

export interface DiffStats {
  readonly elapsedMs: number;
  readonly verifyMs: { readonly a: number; readonly b: number };
  readonly compareMs: number;
  /** Interior-node hashes computed from block roots and leaf blocks. */
  readonly hashes: number;
  /** 256-entry blocks read from the entries files. */
  readonly blocksRead: number;
}

export interface DiffRun {
  readonly result: DiffResult;
  readonly stats: DiffStats;
}
