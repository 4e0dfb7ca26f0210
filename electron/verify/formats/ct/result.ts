/** The CT result: what the steps found, summarised as checks and finished like every format's. */
import { ECDSA_P256_RULESET, RSA_RULESET } from '../../../../shared/crypto/ecdsa.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../../shared/verdict/format-result.js';
import type {
  CheckpointReport,
  CheckSummary,
  ProofReport,
  VerificationResult,
} from '../../../../shared/verdict/result.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions } from '../common.js';
import { type LabelledKey, trustReports } from '../trust.js';
import type { CtEvidence, CtFormatId } from './files.js';

export interface CtFacts {
  readonly id: CtFormatId;
  readonly name: string;
  /** The examiner's log keys; at least one. */
  readonly keys: readonly LabelledKey[];
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly statuses: readonly EntryStatus[];
}

export function ctResult(ev: CtEvidence, a: AdapterOptions, facts: CtFacts): VerificationResult {
  const { id, keys, checkpoints } = facts;
  return buildFormatResult({
    format: {
      id,
      layout: 'RFC 6962 get-sth' + (id === 'ct-log' ? ' + proofs' : ''),
      signatureRules: [
        ...(keys.some((k) => k.key.kind === 'ecdsa-p256') ? [ECDSA_P256_RULESET] : []),
        ...(keys.some((k) => k.key.kind === 'rsa') ? [RSA_RULESET] : []),
      ],
    },
    toolVersion: TOOL_VERSION,
    name: facts.name,
    container: ev.source.container,
    origin: checkpoints.find((c) => c.status === 'trusted')?.origin ?? keys[0]!.key.fingerprint,
    entryCount: facts.statuses.length,
    entriesBytes: 0,
    files: ev.files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs: facts.proofs,
    findings: ev.findings,
    entryStatuses: facts.statuses,
    checks: ctChecks(ev, facts),
    evidenceTime: {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
}

function ctChecks(ev: CtEvidence, facts: CtFacts): CheckSummary[] {
  const { checkpoints, proofs } = facts;
  const docBad = ev.findings.filter((f) => f.code === 'DOCUMENT_INVALID').length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  return [
    checkSummary('manifest', docBad, ev.files.length, { documents: ev.files.length, problems: docBad }),
    checkSummary(
      'checkpoint-signatures',
      cpBad,
      checkpoints.length,
      { checkpoints: checkpoints.length, trusted: checkpoints.length - cpBad, problems: cpBad },
      checkpoints.length === 0 ? 'inconclusive' : undefined,
    ),
    checkSummary('proofs', proofs.filter((x) => x.status !== 'verified').length, proofs.length, {
      proofs: proofs.length,
      verified: proofs.filter((x) => x.status === 'verified').length,
    }),
  ];
}
