/**
 * The one place a VerificationResult is finished, for every input format: coverage notes,
 * the per-code cap, the diagnosis, coverage, the verdict rule, check summaries, the order of
 * findings (under their causes, most fundamental first) and the headline.
 *
 *   findings ─ notes (NO_CHECKPOINTS, UNSEALED_ENTRIES) ─ cap ─ diagnose ─ coverage ─ verdict
 *            ─ checks ─ order + number ─ headline
 *
 * The cap keeps the first N findings of each code in the standard order before anything reads
 * them, so every later step sees the same findings for any worker count.
 */

import { headlineOf } from '../present/headline.js';
import { computeCoverage, coverageFromStatuses, mergeRanges, type Ranges } from './coverage.js';
import { type Cause, type DiagnosisInput, type DiagnosisOutput, diagnose, type SubtreeFact } from './diagnosis.js';
import { compareFindings, type Finding, type FindingCode, finding } from './findings.js';
import type {
  CheckId,
  CheckpointReport,
  CheckStatus,
  CheckSummary,
  Coverage,
  CoverageReason,
  CoverageStatus,
  Verdict,
  VerificationResult,
} from './result.js';

/** Entries judged as a prefix tree under signed checkpoints (bundles, C2SP logs). */
export interface PrefixCoverageInput {
  readonly kind: 'prefix';
  /** Entries with errors of their own. */
  readonly errors: Ranges;
  /** Entries with chain, sequence or time anomalies (the diagnosis says which entry is to blame; past the cap these count as failed). */
  readonly anomalies?: Ranges;
  readonly signerUntrusted?: Ranges;
  readonly undated?: Ranges;
}

/** Entries judged one by one (Sigstore, CT, CloudTrail). */
export interface PerEntryCoverageInput {
  readonly kind: 'per-entry';
  readonly statuses: ReadonlyArray<{ readonly status: CoverageStatus; readonly reason: CoverageReason }>;
}

export type FinishParts = Omit<
  VerificationResult,
  | 'verdict'
  | 'headline'
  | 'diagnosis'
  | 'checks'
  | 'coverage'
  | 'findings'
  | 'findingsOmitted'
  | 'checkpoints'
  | 'proofs'
> & {
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: VerificationResult['proofs'];
  /** Every finding of every check, uncapped, in any order. */
  readonly findings: readonly Finding[];
  /** Findings already counted but not kept (the workers cap per code too). */
  readonly omitted?: Readonly<Partial<Record<FindingCode, number>>>;
  readonly coverage: PrefixCoverageInput | PerEntryCoverageInput;
  /** The format's check summaries, given the capped findings and the coverage; 'coverage' is added here. */
  readonly checks: (ctx: ChecksContext) => readonly CheckSummary[];
  /** Where notes about the whole export point (the entries file, or the input's name). */
  readonly noteFile: string;
  readonly firstSeq?: number;
  readonly entriesFile?: string;
  readonly subtrees?: readonly SubtreeFact[];
  readonly sameEntry?: (a: number, b: number) => boolean | undefined;
  /** Something the format could not judge makes the run inconclusive even without unverifiable entries. */
  readonly inconclusive?: boolean;
};

export interface ChecksContext {
  readonly findings: readonly Finding[];
  readonly omitted: Readonly<Partial<Record<FindingCode, number>>>;
  readonly coverage: Coverage;
}

export const CHECK_ORDER: readonly CheckId[] = [
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

const trustedSizesOf = (cps: readonly CheckpointReport[]) =>
  cps.filter((c) => c.status === 'trusted' && c.size !== undefined).map((c) => c.size as number);

/** NO_CHECKPOINTS and UNSEALED_ENTRIES: notes that depend only on the checkpoints and the entry count. */
function coverageNotes(p: FinishParts): Finding[] {
  const n = p.bundle.entryCount;
  if (p.coverage.kind !== 'prefix' || n === 0) return [];
  if (p.checkpoints.length === 0)
    return [
      finding(
        'NO_CHECKPOINTS',
        { file: p.noteFile },
        'the export has no checkpoints: no entry can be verified against a signed root',
      ),
    ];
  const sizes = trustedSizesOf(p.checkpoints);
  // Without any trusted checkpoint the cause is the trust (NO_TRUSTED_SIGNER), not an unsealed tail.
  if (sizes.length === 0) return [];
  const covered = Math.max(...sizes);
  if (covered >= n) return [];
  return [
    finding(
      'UNSEALED_ENTRIES',
      { file: p.noteFile, range: [covered, n] },
      `entries ${covered}..${n - 1} are not covered by any trusted checkpoint`,
      { count: n - covered },
    ),
  ];
}

/** Keeps the first `perCode` findings of each code in the standard order; counts the rest. */
export function capFindings(
  all: readonly Finding[],
  perCode: number,
  already: Readonly<Partial<Record<FindingCode, number>>> = {},
): { kept: Finding[]; omitted: Partial<Record<FindingCode, number>> } {
  const sorted = [...all].sort(compareFindings);
  const counts = new Map<FindingCode, number>();
  const kept: Finding[] = [];
  const omitted: Partial<Record<FindingCode, number>> = { ...already };
  for (const f of sorted) {
    const k = counts.get(f.code) ?? 0;
    counts.set(f.code, k + 1);
    if (k < perCode) kept.push(f);
    else omitted[f.code] = (omitted[f.code] ?? 0) + 1;
  }
  const ordered: Partial<Record<FindingCode, number>> = {};
  for (const code of (Object.keys(omitted) as FindingCode[]).sort()) ordered[code] = omitted[code] as number;
  return { kept, omitted: ordered };
}

/** Anomalous entries past the last one the diagnosis analysed: counted failed, as nothing says which entry is to blame. */
function unanalysed(
  anomalies: Ranges,
  kept: readonly Finding[],
  omitted: Readonly<Partial<Record<FindingCode, number>>>,
): Ranges {
  const capped = (['CHAIN_BROKEN', 'SEQ_GAP', 'SEQ_REGRESSION', 'TIMESTAMP_REGRESSION'] as const).filter(
    (c) => (omitted[c] ?? 0) > 0,
  );
  if (!capped.length) return [];
  const cutoff = Math.min(
    ...capped.map((c) => kept.filter((f) => f.code === c).reduce((m, f) => Math.max(m, f.location.entry ?? -1), -1)),
  );
  return anomalies.filter(([, b]) => b > cutoff + 1).map(([a, b]) => [Math.max(a, cutoff + 1), b] as [number, number]);
}

function coverageOf(
  p: FinishParts,
  d: DiagnosisOutput,
  kept: readonly Finding[],
  omitted: Readonly<Partial<Record<FindingCode, number>>>,
): Coverage {
  if (p.coverage.kind === 'per-entry') return coverageFromStatuses(p.coverage.statuses);
  const c = p.coverage;
  const toPairs = (xs: readonly { from: number; to: number }[]) => xs.map((x) => [x.from, x.to] as [number, number]);
  return computeCoverage({
    entryCount: p.bundle.entryCount,
    trustedSizes: trustedSizesOf(p.checkpoints),
    provenPrefix: d.provenPrefix,
    changed: toPairs(d.changed),
    errors: mergeRanges([...c.errors, ...toPairs(d.defective), ...unanalysed(c.anomalies ?? [], kept, omitted)]),
    ...(c.signerUntrusted ? { signerUntrusted: c.signerUntrusted } : {}),
    ...(c.undated ? { undated: c.undated } : {}),
  });
}

/**
 * FAIL: an error finding. INCONCLUSIVE: no error, but some entry is not verified, no trusted
 * checkpoint was found, or the format could not judge something. PASS: everything verified.
 */
export function verdictOf(
  findings: readonly Finding[],
  coverage: Coverage,
  entryCount: number,
  trustedCheckpoints: number,
  inconclusive = false,
): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'FAIL';
  if (coverage.unverifiable > 0 || coverage.verified < entryCount || trustedCheckpoints === 0 || inconclusive)
    return 'INCONCLUSIVE';
  return 'PASS';
}

/**
 * The coverage check: failed entries fail it, unverifiable ones leave it open. An export with
 * no entries passes it only when a trusted checkpoint (of size 0) says the log is empty.
 */
function coverageCheck(coverage: Coverage, entryCount: number, trustedCheckpoints: number): CheckSummary {
  const status: CheckStatus =
    coverage.failed > 0
      ? 'fail'
      : coverage.unverifiable > 0
        ? 'inconclusive'
        : entryCount > 0 || trustedCheckpoints > 0
          ? 'pass'
          : 'inconclusive';
  return {
    id: 'coverage',
    status,
    counts: { verified: coverage.verified, failed: coverage.failed, unverifiable: coverage.unverifiable },
  };
}

/** Within a cause: the evidence at entries first (where the change shows), then its consequences. */
function compareUnderCause(a: Finding, b: Finding): number {
  const ea = a.location.entry;
  const eb = b.location.entry;
  if ((ea === undefined) !== (eb === undefined)) return ea === undefined ? 1 : -1;
  return compareFindings(a, b);
}

/** Findings under their causes (in cause order), then the rest; causes then get the indexes. */
function orderFindings(
  causes: DiagnosisOutput['causes'],
  kept: readonly Finding[],
  notes: readonly Finding[],
): { findings: Finding[]; diagnosis: Cause[] } {
  const findings: Finding[] = [];
  const at = new Map<Finding, number>();
  for (const c of causes) {
    for (const f of [...c.refs].sort(compareUnderCause)) {
      if (at.has(f)) continue;
      at.set(f, findings.length);
      findings.push(f);
    }
  }
  for (const f of kept) {
    if (at.has(f)) continue;
    at.set(f, findings.length);
    findings.push(f);
  }
  findings.push(...notes);
  const diagnosis: Cause[] = causes.map(({ refs, ...c }) => ({
    ...c,
    findings: [...new Set(refs.map((f) => at.get(f) as number))].sort((x, y) => x - y),
  }));
  return { findings, diagnosis };
}

export function finish(p: FinishParts): VerificationResult {
  const perCode = p.parameters.findingsPerCode;
  const { kept, omitted } = capFindings([...p.findings, ...coverageNotes(p)], perCode, p.omitted);
  const input: DiagnosisInput = {
    entryCount: p.bundle.entryCount,
    findings: kept,
    omitted,
    checkpoints: p.checkpoints,
    proofs: p.proofs,
    prefixTree: p.coverage.kind === 'prefix',
    ...(p.entriesFile !== undefined ? { entriesFile: p.entriesFile } : {}),
    ...(p.firstSeq !== undefined ? { firstSeq: p.firstSeq } : {}),
    ...(p.subtrees ? { subtrees: p.subtrees } : {}),
    ...(p.sameEntry ? { sameEntry: p.sameEntry } : {}),
  };
  const d = diagnose(input);
  const coverage = coverageOf(p, d, kept, omitted);
  const trustedCps = p.checkpoints.filter((c) => c.status === 'trusted').length;
  const verdict = verdictOf(kept, coverage, p.bundle.entryCount, trustedCps, p.inconclusive);
  const byId = new Map(p.checks({ findings: kept, omitted, coverage }).map((c) => [c.id, c]));
  byId.set('coverage', coverageCheck(coverage, p.bundle.entryCount, trustedCps));
  const checks = CHECK_ORDER.map((id) => byId.get(id) ?? { id, status: 'skipped' as const, counts: {} });
  const truncated = (Object.entries(omitted) as Array<[FindingCode, number]>).map(([code, n]) =>
    finding(
      'FINDINGS_TRUNCATED',
      { file: p.noteFile },
      `${n} more ${code} findings are counted but not listed (limit ${perCode} per code)`,
      { code, omitted: n },
    ),
  );
  const { findings, diagnosis } = orderFindings(d.causes, kept, truncated);
  return {
    schema: p.schema,
    verdict,
    headline: headlineOf({
      verdict,
      diagnosis,
      coverage,
      entryCount: p.bundle.entryCount,
      checkpoints: p.checkpoints,
      provenPrefix: d.provenPrefix,
    }),
    diagnosis,
    tool: p.tool,
    rules: p.rules,
    parameters: p.parameters,
    bundle: p.bundle,
    trustedKeys: p.trustedKeys,
    checkpoints: p.checkpoints,
    proofs: p.proofs,
    checks,
    coverage,
    evidenceTime: p.evidenceTime,
    findings,
    findingsOmitted: omitted,
  };
}
