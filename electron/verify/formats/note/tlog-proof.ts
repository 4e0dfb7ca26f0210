/**
 * A C2SP tlog-proof file (c2sp.org/tlog-proof): its checkpoint judged, then its proof. An
 * inclusion proof is verified only for a given entry (`--entry`), against the signed size and root.
 */
import { ED25519_RULESET } from '../../../../shared/crypto/ed25519.js';
import { checkpointOriginOf } from '../../../../shared/tlog/checkpoints.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { type InclusionProofFile, parseProofFile, verifyProof } from '../../../../shared/tlog/proof-file.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../../shared/verdict/format-result.js';
import type {
  BundleFileReport,
  CheckpointReport,
  ProofReport,
  VerificationResult,
} from '../../../../shared/verdict/result.js';
import { nodeSha256 } from '../../../platform/node-hash.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions, SignaturePaths } from '../common.js';
import { trustReports } from '../trust.js';
import { judgeTrustedCheckpoint, readSingle } from './inputs.js';

/** What the proof file showed, ready for the result. */
export interface ProofFileOutcome {
  readonly origin: string;
  readonly files: BundleFileReport[];
  readonly checkpoints: CheckpointReport[];
  readonly proofs: ProofReport[];
  readonly findings: Finding[];
  readonly status: EntryStatus;
  readonly entryCount: number;
}

type ProofPart = Pick<ProofFileOutcome, 'proofs' | 'findings' | 'status'>;

/** What every step of one proof file's run reads. */
interface ProofRun {
  readonly file: string;
  readonly a: AdapterOptions;
  readonly sig: SignaturePaths;
  readonly origin: string;
}

function unverifiable(): EntryStatus {
  return { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' };
}

export function judgeProofFile(
  file: string,
  bytes: Uint8Array,
  fileReport: BundleFileReport,
  a: AdapterOptions,
  sig: SignaturePaths,
): ProofFileOutcome {
  const parsed = parseProofFile(bytes);
  if (!parsed.ok)
    return {
      origin: a.origin ?? '',
      files: [fileReport],
      checkpoints: [],
      proofs: [{ file, kind: 'unknown', status: 'malformed' }],
      findings: [finding('PROOF_MALFORMED', { file }, `proof file cannot be parsed: ${parsed.reason}`)],
      status: unverifiable(),
      entryCount: 0,
    };
  const p = parsed.proof;
  const cpBytes = p.kind === 'inclusion' ? p.checkpoint : p.checkpoint2;
  const origin = a.origin ?? checkpointOriginOf(cpBytes)?.origin ?? '';
  const run: ProofRun = { file, a, sig, origin };
  const judged = judgeTrustedCheckpoint(file, cpBytes, a, sig, origin);
  if (p.kind === 'inclusion') {
    const findings = judged.findings.filter((f) => f.code !== 'COSIGNATURE_VALID');
    // The entry file holds the logged entry's exact bytes (C2SP entries are opaque).
    const entry = a.entry !== undefined ? readSingle(a.entry, a.maxEntryBytes, 'entries') : undefined;
    const files = entry ? [fileReport, entry.report] : [fileReport];
    const part = judgeInclusion(run, p, judged, entry && hashLeaf(entry.bytes, nodeSha256));
    findings.push(...part.findings);
    return { origin, files, checkpoints: [judged.report], ...part, findings, entryCount: 1 };
  }
  const out = verifyProof(file, p, { origin, trusted: a.trust.ed25519, bundleKeys: [], verify: sig.ed25519 });
  return {
    origin,
    files: [fileReport],
    checkpoints: [judged.report],
    proofs: [out.report],
    findings: [...out.findings],
    status: unverifiable(),
    entryCount: 0,
  };
}

type JudgedCheckpoint = ReturnType<typeof judgeTrustedCheckpoint>;

function judgeInclusion(
  run: ProofRun,
  p: InclusionProofFile,
  judged: JudgedCheckpoint,
  leaf: Uint8Array | undefined,
): ProofPart {
  const { file } = run;
  if (!judged.trusted) {
    // Untrusted only by key validity: its finding says why, and the entry stays unverifiable.
    const findings = judged.timeLost
      ? []
      : [
          finding(
            'PROOF_INVALID',
            { file, entry: p.index },
            "the proof's checkpoint is not trusted, so the proof proves nothing",
          ),
        ];
    return {
      proofs: [{ file, kind: 'inclusion', index: p.index, status: 'failed' }],
      findings,
      status: unverifiable(),
    };
  }
  if (leaf === undefined) {
    const f = finding(
      'CONTENT_NOT_CHECKED',
      { file, entry: p.index },
      'no --entry was given: the checkpoint was judged, but the inclusion of a known entry was not',
    );
    return { proofs: [], findings: [f], status: unverifiable() };
  }
  return verifyInclusion(run, p, judged, leaf);
}

/**
 * The rule bundles apply (shared/tlog/proof-file.ts): judged against the signed size and root
 * only, for the given entry and for the entry the proof may carry in `extra`.
 */
function verifyInclusion(run: ProofRun, p: InclusionProofFile, judged: JudgedCheckpoint, leaf: Uint8Array): ProofPart {
  const out = verifyProof(run.file, p, {
    origin: run.origin,
    trusted: run.a.trust.ed25519,
    bundleKeys: [],
    verify: run.sig.ed25519,
    leafHash: () => leaf,
    entryCount: p.index + 1,
    extraIsOpaque: true,
    judged: () => judged,
  });
  let status = unverifiable();
  if (out.report.status === 'verified') status = { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' };
  else if (out.findings.some((f) => f.code === 'PROOF_LEAF_MISMATCH'))
    status = { status: 'failed', reason: 'ENTRY_CHANGED' };
  return { proofs: [out.report], findings: out.findings, status };
}

export function tlogProofResult(a: AdapterOptions, file: string, o: ProofFileOutcome): VerificationResult {
  const { checkpoints, proofs } = o;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  return buildFormatResult({
    format: { id: 'tlog-proof', layout: 'c2sp.org/tlog-proof@v1', signatureRules: [ED25519_RULESET] },
    toolVersion: TOOL_VERSION,
    name: file,
    container: 'directory',
    origin: o.origin,
    entryCount: o.entryCount,
    entriesBytes: 0,
    files: o.files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs,
    findings: o.findings,
    entryStatuses: o.entryCount ? [o.status] : [],
    checks: [
      checkSummary('checkpoint-signatures', cpBad, checkpoints.length, {
        checkpoints: checkpoints.length,
        trusted: checkpoints.filter((c) => c.status === 'trusted').length,
        problems: cpBad,
      }),
      checkSummary('proofs', proofs.filter((x) => x.status !== 'verified').length, proofs.length, {
        proofs: proofs.length,
        verified: proofs.filter((x) => x.status === 'verified').length,
      }),
    ],
    evidenceTime: {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
}
