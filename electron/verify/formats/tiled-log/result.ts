/** The tiled-log result: what the steps found, summarised as checks and finished like every format's. */
import { ECDSA_P256_RULESET } from '../../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../../shared/crypto/ed25519.js';
import { cosignedRange } from '../../../../shared/keys/validity.js';
import type { Layout } from '../../../../shared/tlog/tiles.js';
import type { FindingCode } from '../../../../shared/verdict/findings.js';
import type { FormatId } from '../../../../shared/verdict/format-ids.js';
import { buildFormatResult, checkSummary } from '../../../../shared/verdict/format-result.js';
import type {
  CheckpointReport,
  CheckSummary,
  ProofReport,
  VerificationResult,
} from '../../../../shared/verdict/result.js';
import type { BundleMember } from '../../../platform/bundle-source.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions } from '../common.js';
import { trustReports } from '../trust.js';
import type { TiledLogRun } from './run.js';

const FORMAT_OF: Record<Layout, FormatId> = { 'tlog-tiles': 'c2sp-tiles', sumdb: 'sumdb', serverless: 'serverless' };

export interface TiledLogFacts {
  readonly origin: string;
  /** Whether any ECDSA key could sign a checkpoint (its rule set is then named). */
  readonly ecdsaKeys: boolean;
  /** Entries read. */
  readonly count: number;
  readonly entriesBytes: number;
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
}

/**
 * Unknown files: reported, never read. (Files of the layout beyond what was needed were left out
 * of maybeUnlisted.)
 */
export function reportUnlisted(
  run: TiledLogRun,
  maybeUnlisted: readonly BundleMember[] | undefined,
  compared: ReadonlySet<string>,
): void {
  if (!maybeUnlisted) return;
  const known = new Set(run.files.map((f) => f.path));
  for (const m of maybeUnlisted) {
    if (known.has(m.path) || compared.has(m.path)) continue;
    run.add(
      'FILE_UNLISTED',
      { file: m.path },
      `${m.path} (${m.kind}) is not part of the ${run.layout} layout; ignored`,
    );
  }
}

export function tiledLogResult(run: TiledLogRun, o: AdapterOptions, facts: TiledLogFacts): VerificationResult {
  const { layout, height } = run;
  return buildFormatResult({
    format: {
      id: FORMAT_OF[layout],
      layout: layout === 'sumdb' ? `sumdb tiles, height ${height}` : layout,
      signatureRules: [ED25519_RULESET, ...(facts.ecdsaKeys ? [ECDSA_P256_RULESET] : [])],
    },
    toolVersion: TOOL_VERSION,
    name: run.source.name,
    container: run.source.container,
    origin: facts.origin,
    entryCount: facts.count,
    entriesBytes: facts.entriesBytes,
    files: run.files,
    trustedKeys: trustReports(o.trust),
    checkpoints: facts.checkpoints,
    proofs: facts.proofs,
    findings: run.findings,
    failedEntries: [],
    checks: tiledLogChecks(run, facts),
    evidenceTime: cosignedRange(facts.checkpoints) ?? {},
    findingsPerCode: o.findingsPerCode,
    crossCheck: o.crossCheck,
    maxEntryBytes: o.maxEntryBytes,
  });
}

function tiledLogChecks(run: TiledLogRun, facts: TiledLogFacts): CheckSummary[] {
  const { count, checkpoints: cpReports, proofs: proofReports } = facts;
  const n = (codes: FindingCode[]) => run.findings.filter((f) => codes.includes(f.code)).length;
  const cpBad =
    n(['CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN_MISMATCH', 'KEY_UNTRUSTED', 'KEY_NOT_VALID_AT_TIME', 'KEY_REVOKED']) +
    cpReports.filter((x) => x.status === 'rejected').length;
  const tileAndRootProblems = run.rootProblems + run.tileProblems;
  return [
    checkSummary('entries', run.entryProblems, count, { entries: count, problems: run.entryProblems }),
    checkSummary(
      'checkpoint-signatures',
      cpBad,
      cpReports.length,
      {
        checkpoints: cpReports.length,
        trusted: cpReports.filter((x) => x.status === 'trusted').length,
        problems: cpBad,
      },
      cpReports.length === 0 ? 'inconclusive' : undefined,
    ),
    checkSummary(
      'merkle-roots',
      tileAndRootProblems,
      run.rootsChecked + run.tilesChecked,
      { roots: run.rootsChecked, tiles: run.tilesChecked, problems: tileAndRootProblems },
      run.rootsChecked + run.rootProblems === 0 ? 'inconclusive' : undefined,
    ),
    checkSummary('proofs', proofReports.filter((x) => x.status !== 'verified').length, proofReports.length, {
      proofs: proofReports.length,
      verified: proofReports.filter((x) => x.status === 'verified').length,
    }),
  ];
}
