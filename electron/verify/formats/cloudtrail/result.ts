/** The CloudTrail result: what the steps found, summarised as checks and finished like every format's. */
import { RSA_RULESET } from '../../../../shared/crypto/ecdsa.js';
import { CLOUDTRAIL_CHAIN_RULESET } from '../../../../shared/formats/cloudtrail/digest.js';
import type { Finding } from '../../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary } from '../../../../shared/verdict/format-result.js';
import type { CheckSummary, EvidenceTime, VerificationResult } from '../../../../shared/verdict/result.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions } from '../common.js';
import { trustReports } from '../trust.js';
import type { ChainCounts } from './chain.js';
import type { LoadedDigest } from './digests.js';
import type { CloudTrailExport } from './export.js';
import type { LogFilesOutcome } from './log-files.js';

export interface CloudTrailFacts extends LogFilesOutcome {
  readonly digests: readonly LoadedDigest[];
  readonly chain: ChainCounts;
}

export function cloudTrailResult(ex: CloudTrailExport, a: AdapterOptions, facts: CloudTrailFacts): VerificationResult {
  const { digests, statuses, checkpoints } = facts;
  const acct = digests[0]?.digest.awsAccountId;
  return buildFormatResult({
    format: { id: 'cloudtrail', layout: 'CloudTrail digests + head-object sidecars', signatureRules: [RSA_RULESET] },
    toolVersion: TOOL_VERSION,
    name: ex.source.name,
    container: ex.source.container,
    origin: acct !== undefined ? `aws:${acct}` : '',
    entryCount: statuses.length,
    entriesBytes: facts.entryBytes,
    files: ex.files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs: [],
    findings: ex.findings,
    entryStatuses: statuses,
    checks: cloudTrailChecks(ex.findings, facts),
    evidenceTime: digestHours(digests),
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
    chainRule: CLOUDTRAIL_CHAIN_RULESET,
  });
}

function cloudTrailChecks(F: readonly Finding[], facts: CloudTrailFacts): CheckSummary[] {
  const { digests, statuses, checkpoints, chain } = facts;
  const n = (code: string) => F.filter((f) => f.code === code).length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  return [
    checkSummary('manifest', n('DOCUMENT_INVALID'), digests.length, {
      documents: digests.length,
      problems: n('DOCUMENT_INVALID'),
    }),
    checkSummary('entries', n('LOG_FILE_MISMATCH') + n('LOG_FILE_MISSING'), statuses.length, {
      logFiles: statuses.length,
      mismatched: facts.mismatches,
      missing: n('LOG_FILE_MISSING'),
    }),
    checkSummary('chain', chain.broken, chain.links, { linksChecked: chain.links, broken: chain.broken }),
    checkSummary(
      'checkpoint-signatures',
      cpBad,
      checkpoints.length,
      { digests: checkpoints.length, trusted: checkpoints.length - cpBad, problems: cpBad },
      checkpoints.length === 0 ? 'inconclusive' : undefined,
    ),
  ];
}

/** The hours the signed digests cover (UTC, "YYYY-MM-DDTHH:MM:SSZ": ordered as strings). */
function digestHours(digests: readonly LoadedDigest[]): EvidenceTime {
  if (!digests.length) return {};
  return {
    firstEntryTs: digests.map((d) => d.digest.digestStartTime).sort()[0]!,
    lastEntryTs: digests
      .map((d) => d.digest.digestEndTime)
      .sort()
      .at(-1)!,
  };
}
