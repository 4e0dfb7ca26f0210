/**
 * The check summaries of a bundle: what each check looked at and whether it held, from the
 * workers' counters and the (capped) findings. finish() adds the coverage check and the order.
 */
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { cosignedRange } from '../../../shared/keys/validity.js';
import type { FindingCode } from '../../../shared/verdict/findings.js';
import type { ChecksContext } from '../../../shared/verdict/finish.js';
import type {
  CheckpointReport,
  CheckStatus,
  CheckSummary,
  ProofReport,
  VerificationResult,
} from '../../../shared/verdict/result.js';
import type { MergeOutput } from './merge.js';

const status = (bad: number, total: number): CheckStatus => (bad > 0 ? 'fail' : total > 0 ? 'pass' : 'skipped');

/** Checkpoint problems: malformed, another origin, a key outside its window, a trusted signature that fails. */
function checkpointSummary(
  ctx: ChecksContext,
  cps: readonly CheckpointReport[],
  n: (codes: FindingCode[]) => number,
): CheckSummary {
  const trusted = cps.filter((x) => x.status === 'trusted').length;
  // Entry signatures share the KEY_* codes (and have their own check): only findings that are not at an entry are the checkpoints'.
  const windowCodes: readonly FindingCode[] = ['KEY_NOT_VALID_AT_TIME', 'KEY_REVOKED'];
  const windowBad = ctx.findings.filter((f) => f.location.entry === undefined && windowCodes.includes(f.code)).length;
  const bad =
    n(['CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN_MISMATCH']) +
    windowBad +
    cps.filter((x) => x.status === 'rejected').length;
  // A checkpoint that is neither bad nor trusted (an unknown signer, a key whose time or role
  // could not be established) leaves this check open, never passed and never failed.
  const st: CheckStatus =
    cps.length === 0 || (bad === 0 && trusted < cps.length) ? 'inconclusive' : status(bad, cps.length);
  return { id: 'checkpoint-signatures', status: st, counts: { checkpoints: cps.length, trusted, problems: bad } };
}

function entrySignatureSummary(c: Readonly<Record<string, number>>): CheckSummary {
  const sigs = c.signatures ?? 0;
  const bad = (c.signaturesInvalid ?? 0) + (c.signaturesOutsideWindow ?? 0);
  const open = (c.signaturesUndated ?? 0) + (c.signaturesUntrusted ?? 0);
  const base = status(bad, sigs);
  return {
    id: 'entry-signatures',
    status: base === 'pass' && open > 0 ? 'inconclusive' : base,
    counts: {
      signatures: sigs,
      valid: c.signaturesValid ?? 0,
      invalid: c.signaturesInvalid ?? 0,
      untrusted: c.signaturesUntrusted ?? 0,
      // Keys with a window: made outside it by the evidence's own times, or not shown inside it.
      ...((c.signaturesOutsideWindow ?? 0) + (c.signaturesUndated ?? 0) > 0
        ? { outsideWindow: c.signaturesOutsideWindow ?? 0, undated: c.signaturesUndated ?? 0 }
        : {}),
    },
  };
}

export function bundleChecks(
  ctx: ChecksContext,
  merged: MergeOutput | undefined,
  cps: readonly CheckpointReport[],
  proofs: readonly ProofReport[],
  manifest: Manifest,
): CheckSummary[] {
  const n = (codes: FindingCode[]) =>
    ctx.findings.filter((f) => codes.includes(f.code)).length + codes.reduce((s, c) => s + (ctx.omitted[c] ?? 0), 0);
  const c = merged?.counters ?? {};
  const manifestBad = n([
    'MANIFEST_INVALID',
    'MANIFEST_DIGEST_MISMATCH',
    'MANIFEST_SIZE_MISMATCH',
    'MANIFEST_FILE_MISSING',
    'MANIFEST_COUNT_MISMATCH',
    'PATH_UNSAFE',
  ]);
  const entriesBad = n(['ENTRY_MALFORMED', 'ENTRY_FIELD_INVALID', 'ENTRY_TOO_LARGE', 'ENTRIES_TRUNCATED']);
  const tsBad = n(['TIMESTAMP_REGRESSION', 'TIMESTAMP_INVALID']);
  const rootsChecked = cps.filter((x) => x.rootStatus === 'match' || x.rootStatus === 'mismatch').length;
  const rootsBad =
    cps.filter((x) => x.rootStatus === 'mismatch' || x.rootStatus === 'beyond-entries').length +
    n(['CHECKPOINT_CONFLICT']);
  const count = merged?.count ?? 0;
  return [
    {
      id: 'manifest',
      status: status(manifestBad, manifest.files.length + 1),
      counts: { files: manifest.files.length, problems: manifestBad },
    },
    { id: 'entries', status: status(entriesBad, count), counts: { entries: count, problems: entriesBad } },
    {
      id: 'chain',
      status: status(c.linksBroken ?? 0, c.linksChecked ?? 0),
      counts: { linksChecked: c.linksChecked ?? 0, broken: c.linksBroken ?? 0 },
    },
    {
      id: 'sequence',
      status: status(c.seqProblems ?? 0, c.seqChecked ?? 0),
      counts: { checked: c.seqChecked ?? 0, problems: c.seqProblems ?? 0 },
    },
    {
      id: 'timestamps',
      status: status(tsBad, c.tsChecked ?? 0),
      counts: { checked: c.tsChecked ?? 0, problems: tsBad },
    },
    entrySignatureSummary(c),
    checkpointSummary(ctx, cps, n),
    {
      id: 'merkle-roots',
      status: rootsChecked + rootsBad === 0 ? 'inconclusive' : status(rootsBad, rootsChecked),
      counts: { checked: rootsChecked, problems: rootsBad },
    },
    {
      id: 'proofs',
      status: status(proofs.filter((p) => p.status !== 'verified').length, proofs.length),
      counts: { proofs: proofs.length, verified: proofs.filter((p) => p.status === 'verified').length },
    },
  ];
}

export function evidenceTime(
  merged: MergeOutput | undefined,
  cps: readonly CheckpointReport[],
): VerificationResult['evidenceTime'] {
  return {
    ...(merged?.firstTs !== undefined ? { firstEntryTs: merged.firstTs } : {}),
    ...(merged?.lastTs !== undefined ? { lastEntryTs: merged.lastTs } : {}),
    ...cosignedRange(cps),
  };
}
