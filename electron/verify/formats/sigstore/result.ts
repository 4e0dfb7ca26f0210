/** The Sigstore result: what the bundle showed, summarised as checks and finished like every format's. */
import { ECDSA_P256_RULESET } from '../../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../../shared/crypto/ed25519.js';
import { buildFormatResult, checkSummary } from '../../../../shared/verdict/format-result.js';
import type { CheckSummary, VerificationResult } from '../../../../shared/verdict/result.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions } from '../common.js';
import { trustReports } from '../trust.js';
import type { SigstoreOutcome } from './judge.js';

export function sigstoreResult(a: AdapterOptions, name: string, o: SigstoreOutcome): VerificationResult {
  const { checkpoints } = o;
  return buildFormatResult({
    format: { id: 'sigstore', layout: o.layout, signatureRules: [ECDSA_P256_RULESET, ED25519_RULESET] },
    toolVersion: TOOL_VERSION,
    name,
    container: 'directory',
    origin: checkpoints.find((c) => c.origin !== undefined)?.origin ?? '',
    entryCount: o.entryCount,
    entriesBytes: 0,
    files: o.files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs: o.proofs,
    findings: o.findings,
    entryStatuses: o.statuses,
    checks: sigstoreChecks(o),
    evidenceTime: {},
    ...(o.inconclusive ? { inconclusive: true } : {}),
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
}

function sigstoreChecks(o: SigstoreOutcome): CheckSummary[] {
  const { checkpoints, proofs, counters, entryCount } = o;
  const n = (code: string) => o.findings.filter((f) => f.code === code).length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  return [
    checkSummary('manifest', n('DOCUMENT_INVALID'), 1, { documents: 1, problems: n('DOCUMENT_INVALID') }),
    checkSummary('entries', counters.bodyProblems + counters.artifactProblems, entryCount + counters.artifactChecks, {
      entries: entryCount,
      bodyMismatches: counters.bodyProblems,
      artifactChecks: counters.artifactChecks,
      artifactProblems: counters.artifactProblems,
    }),
    checkSummary('entry-signatures', counters.setsInvalid, counters.sets, {
      signedEntryTimestamps: counters.sets,
      invalid: counters.setsInvalid,
    }),
    checkSummary('checkpoint-signatures', cpBad, checkpoints.length, {
      checkpoints: checkpoints.length,
      trusted: checkpoints.length - cpBad,
      problems: cpBad,
    }),
    checkSummary('merkle-roots', n('PROOF_CHECKPOINT_MISMATCH'), checkpoints.length - cpBad, {
      checked: checkpoints.length - cpBad,
      problems: n('PROOF_CHECKPOINT_MISMATCH'),
    }),
    checkSummary('proofs', proofs.filter((x) => x.status !== 'verified').length, proofs.length, {
      proofs: proofs.length,
      verified: proofs.filter((x) => x.status === 'verified').length,
    }),
  ];
}
