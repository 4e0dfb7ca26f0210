/**
 * Builds the one VerificationResult model (shared/result.ts) from what a format adapter found,
 * so that reports, diffs, the case file and the app read every format the way they read a
 * Proofdesk bundle: same coverage statuses, same verdict rules (docs/bundle-format.md §7), same
 * finding order and per-code cap. The format itself is recorded as an INPUT_FORMAT finding whose
 * evidence names the format, its layout and the signature rules applied.
 */
import { ED25519_RULESET } from '../crypto/ed25519.js';
import { type CoverageCheckpoint, computeCoverage, mergeRanges } from './coverage.js';
import { compareFindings, type Finding, type FindingCode, finding } from './findings.js';
import {
  type BundleFileReport,
  type CheckId,
  type CheckpointReport,
  type CheckStatus,
  type CheckSummary,
  type Coverage,
  type CoverageRange,
  type CoverageReason,
  type CoverageStatus,
  type EvidenceTime,
  type ProofReport,
  RESULT_SCHEMA,
  type TrustedKeyReport,
  type Verdict,
  type VerificationResult,
} from './result.js';

/** The formats Proofdesk reads besides its own bundle (docs/formats.md). */
export const FORMAT_IDS = [
  'c2sp-tiles',
  'sumdb',
  'serverless',
  'signed-note',
  'tlog-proof',
  'sigstore',
  'ct-sth',
  'ct-log',
  'cloudtrail',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

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
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly findings: readonly Finding[];
  /** Either checkpoint coverage (prefix trees: C2SP logs) … */
  readonly coverageCheckpoints?: readonly CoverageCheckpoint[];
  readonly failedEntries?: readonly (readonly [number, number])[];
  /** … or one status per entry (entries judged individually). */
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
}

/** Coverage from one status per entry, as [from, to) runs of equal status and reason. */
function coverageFromStatuses(statuses: readonly EntryStatus[]): Coverage {
  const ranges: CoverageRange[] = [];
  const counts: Record<CoverageStatus, number> = { verified: 0, failed: 0, unverifiable: 0 };
  statuses.forEach((s, i) => {
    counts[s.status]++;
    const last = ranges[ranges.length - 1];
    if (last && last.status === s.status && last.reason === s.reason && last.to === i)
      ranges[ranges.length - 1] = { ...last, to: i + 1 };
    else ranges.push({ from: i, to: i + 1, status: s.status, reason: s.reason });
  });
  return { ...counts, ranges };
}

/** A check summary from a problem count and a total (the convention of electron/engine/verify.ts). */
export function checkSummary(
  id: CheckId,
  bad: number,
  total: number,
  counts: Record<string, number>,
  status?: CheckStatus,
): CheckSummary {
  return { id, status: status ?? (bad > 0 ? 'fail' : total > 0 ? 'pass' : 'skipped'), counts };
}

const CHECK_ORDER: readonly CheckId[] = [
  'manifest',
  'entries',
  'chain',
  'sequence',
  'timestamps',
  'entry-signatures',
  'checkpoint-signatures',
  'merkle-roots',
  'proofs',
  'coverage',
];

export function buildFormatResult(p: FormatResultParts): VerificationResult {
  const F: Finding[] = [...p.findings];
  F.push(
    finding(
      'INPUT_FORMAT',
      { file: p.name },
      `read as ${p.format.id} (${p.format.layout}); docs/formats.md lists what is verified for it`,
      {
        format: p.format.id,
        layout: p.format.layout,
        signatureRules: p.format.signatureRules.join(' '),
      },
    ),
  );
  let coverage: Coverage;
  if (p.entryStatuses) coverage = coverageFromStatuses(p.entryStatuses);
  else coverage = computeCoverage(p.entryCount, p.coverageCheckpoints ?? [], mergeRanges(p.failedEntries ?? []));
  const trustedCps = p.checkpoints.filter((c) => c.status === 'trusted').length;
  if (!p.entryStatuses && p.entryCount > 0) {
    if (p.checkpoints.length === 0)
      F.push(
        finding('NO_CHECKPOINTS', { file: p.name }, 'no checkpoint: no entry can be verified against a signed root'),
      );
    const tail = coverage.ranges[coverage.ranges.length - 1];
    if (tail && tail.status === 'unverifiable' && p.checkpoints.length > 0) {
      F.push(
        finding(
          'UNSEALED_ENTRIES',
          { file: p.name, range: [tail.from, tail.to] },
          `entries ${tail.from}..${tail.to - 1} are not covered by any trusted checkpoint`,
          { count: tail.to - tail.from },
        ),
      );
    }
  }

  const all = F.sort(compareFindings);
  const omitted: Partial<Record<FindingCode, number>> = {};
  const kept: Finding[] = [];
  const perCode = new Map<FindingCode, number>();
  for (const f of all) {
    const n = perCode.get(f.code) ?? 0;
    perCode.set(f.code, n + 1);
    if (n < p.findingsPerCode) kept.push(f);
    else omitted[f.code] = (omitted[f.code] ?? 0) + 1;
  }
  for (const [code, n] of Object.entries(omitted) as Array<[FindingCode, number]>) {
    kept.push(
      finding(
        'FINDINGS_TRUNCATED',
        { file: p.name },
        `${n} more ${code} findings are counted but not listed (limit ${p.findingsPerCode} per code)`,
        { code, omitted: n },
      ),
    );
  }
  kept.sort(compareFindings);

  const hasError = kept.some((f) => f.severity === 'error');
  const verdict: Verdict = hasError
    ? 'FAIL'
    : coverage.unverifiable > 0 || coverage.verified < p.entryCount || trustedCps === 0 || p.inconclusive
      ? 'INCONCLUSIVE'
      : 'PASS';

  const byId = new Map(p.checks.map((c) => [c.id, c]));
  const coverageCheck: CheckSummary = {
    id: 'coverage',
    status:
      coverage.failed > 0 ? 'fail' : coverage.unverifiable > 0 ? 'inconclusive' : p.entryCount > 0 ? 'pass' : 'skipped',
    counts: { verified: coverage.verified, failed: coverage.failed, unverifiable: coverage.unverifiable },
  };
  byId.set('coverage', coverageCheck);
  const checks = CHECK_ORDER.map((id) => byId.get(id) ?? { id, status: 'skipped' as const, counts: {} });

  return {
    schema: RESULT_SCHEMA,
    verdict,
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
    checks,
    coverage,
    evidenceTime: p.evidenceTime,
    findings: kept,
    findingsOmitted: omitted,
  };
}
