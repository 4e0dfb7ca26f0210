/**
 * What a format adapter found, handed to the one finisher (finish.ts) so that reports, diffs, the
 * case file and the app read every format the way they read a Proofdesk bundle: same coverage
 * statuses, diagnosis, verdict rules (docs/bundle-format.md §7), finding order and per-code cap.
 * The format itself is recorded as an INPUT_FORMAT finding whose evidence names the format, its
 * layout and the signature rules applied.
 */
import { ED25519_RULESET } from '../crypto/ed25519.js';
import type { SubtreeFact } from './diagnosis.js';
import { type Finding, finding } from './findings.js';
import { finish } from './finish.js';
import type { FormatId } from './format-ids.js';
import {
  type BundleFileReport,
  type CheckId,
  type CheckpointReport,
  type CheckStatus,
  type CheckSummary,
  type CoverageReason,
  type CoverageStatus,
  type EvidenceTime,
  type ProofReport,
  RESULT_SCHEMA,
  type TrustedKeyReport,
  type VerificationResult,
} from './result.js';

export interface FormatInfo {
  readonly id: FormatId;
  /** Human name of the layout or version read, e.g. "tlog-tiles", "bundle v0.3". */
  readonly layout: string;
  /** Signature rule sets applied, e.g. proofdesk-ecdsa-p256-sha256-v1. */
  readonly signatureRules: readonly string[];
}

/** Per-entry status for formats whose entries are judged one by one (Sigstore, CloudTrail). */
export interface EntryStatus {
  readonly status: CoverageStatus;
  readonly reason: CoverageReason;
}

export interface FormatResultParts {
  readonly format: FormatInfo;
  readonly toolVersion: string;
  readonly name: string;
  readonly container: 'directory' | 'tar';
  readonly origin: string;
  readonly entryCount: number;
  readonly entriesBytes: number;
  readonly files: readonly BundleFileReport[];
  readonly trustedKeys: readonly TrustedKeyReport[];
  /** Prefix trees (C2SP logs): coverage follows from the trusted checkpoints' root statuses. */
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly findings: readonly Finding[];
  /** Entries with errors of their own (prefix trees). */
  readonly failedEntries?: readonly (readonly [number, number])[];
  /** Or one status per entry, for formats whose entries are judged individually. */
  readonly entryStatuses?: readonly EntryStatus[];
  readonly checks: readonly CheckSummary[];
  readonly evidenceTime: EvidenceTime;
  readonly findingsPerCode: number;
  readonly crossCheck: boolean;
  readonly maxEntryBytes: number;
  /** Hash-chain rule set, when the format has one ("none" otherwise). */
  readonly chainRule?: string;
  /** Something the format could not judge makes the run inconclusive even without unverifiable entries. */
  readonly inconclusive?: boolean;
  /** Subtrees authenticated by verified proofs, compared with the entries (they narrow a rewrite down). */
  readonly subtrees?: readonly SubtreeFact[];
}

/** A check summary from a problem count and a total: fail with problems, pass with something checked, else skipped. */
export function checkSummary(
  id: CheckId,
  bad: number,
  total: number,
  counts: Record<string, number>,
  status?: CheckStatus,
): CheckSummary {
  return { id, status: status ?? (bad > 0 ? 'fail' : total > 0 ? 'pass' : 'skipped'), counts };
}

export function buildFormatResult(p: FormatResultParts): VerificationResult {
  const input = finding(
    'INPUT_FORMAT',
    { file: p.name },
    `read as ${p.format.id} (${p.format.layout}); docs/formats.md lists what is verified for it`,
    {
      format: p.format.id,
      layout: p.format.layout,
      signatureRules: p.format.signatureRules.join(' '),
    },
  );
  return finish({
    schema: RESULT_SCHEMA,
    tool: { name: 'proofdesk', version: p.toolVersion },
    rules: {
      ed25519: ED25519_RULESET,
      merkle: 'rfc9162-sha256',
      chain: p.chainRule ?? 'none',
      checkpoint: `${p.format.layout}; ${p.format.signatureRules.join(' ')}`,
    },
    parameters: { maxEntryBytes: p.maxEntryBytes, findingsPerCode: p.findingsPerCode, crossCheck: p.crossCheck },
    bundle: {
      name: p.name,
      container: p.container,
      origin: p.origin,
      // Not a Proofdesk bundle: the format and its version are in the INPUT_FORMAT finding.
      formatVersion: 0,
      entryCount: p.entryCount,
      entriesBytes: p.entriesBytes,
      files: [...p.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    },
    trustedKeys: [...p.trustedKeys].sort((a, b) =>
      a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
    ),
    checkpoints: p.checkpoints,
    proofs: p.proofs,
    evidenceTime: p.evidenceTime,
    findings: [...p.findings, input],
    coverage: p.entryStatuses
      ? { kind: 'per-entry', statuses: p.entryStatuses }
      : { kind: 'prefix', errors: p.failedEntries ?? [] },
    checks: () => p.checks,
    noteFile: p.name,
    ...(p.subtrees ? { subtrees: p.subtrees } : {}),
    ...(p.inconclusive ? { inconclusive: true } : {}),
  });
}
