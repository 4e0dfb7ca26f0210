/**
 * The divergence attestation (docs/diff.md §7): what an examiner attests about comparing two
 * exports, as the predicate of an in-toto Statement v1. It shares the Statement layer and the
 * VSA-style verifier fields with the verification report (shared/report/), and is signed by the
 * same DSSE machinery (electron/report/sign.ts signAttestation).
 *
 * Subjects are every file of both exports that was read (by digest, named `A/<path>` and
 * `B/<path>`) and the evidence files the comparison produced (consistency proof, proof of
 * misbehaviour), so the attestation binds exactly the bytes it speaks about.
 */

import { sha256 } from '../crypto/hash.js';
import { toHex, utf8 } from '../encoding/bytes.js';
import type { CaseAnchor } from '../report/case-anchor.js';
import { type ExaminerIdentity, VERIFIER_ID } from '../report/predicate.js';
import { makeStatement, type Statement, type SubjectDescriptor } from '../report/statement.js';
import type { DiffResult, DiffVerdict } from './model.js';

/** Our predicate type. A new major version gets a new URI. */
export const DIVERGENCE_PREDICATE_TYPE = 'https://proofdesk.dev/attestation/divergence-report/v1';

/** Subject names of the evidence files a comparison can produce. */
const CONSISTENCY_PROOF_SUBJECT = 'evidence/consistency.proof';
const MISBEHAVIOUR_PROOF_SUBJECT = 'evidence/misbehaviour.proof';

export interface DivergencePredicate {
  readonly verifier: { readonly id: string; readonly version: Readonly<Record<string, string>> };
  /** = examinerClock.finishedAt. */
  readonly timeVerified: string;
  readonly verdict: DiffVerdict;
  readonly origin: string;
  readonly tool: { readonly name: 'proofdesk'; readonly version: string };
  readonly examiner: ExaminerIdentity;
  readonly caseReference?: string;
  /** Signed inside a case: the case and its custody journal head at signing time (docs/report-format.md §3.1). */
  readonly case?: CaseAnchor;
  /** The examiner machine's clock: recorded, labelled, never evidence. */
  readonly examinerClock: {
    readonly source: 'examiner-machine-clock';
    readonly trusted: false;
    readonly startedAt: string;
    readonly finishedAt: string;
  };
  /** The complete comparison, both verifications included. */
  readonly result: DiffResult;
}

export type DivergenceStatement = Statement<DivergencePredicate>;

export interface DivergenceReportMeta {
  readonly examiner: ExaminerIdentity;
  readonly caseReference?: string;
  readonly case?: CaseAnchor;
  /** RFC 3339 UTC, from the examiner machine's clock. */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** The subjects: both exports' files (as read) and the evidence files, by SHA-256. */
function divergenceSubjects(result: DiffResult): SubjectDescriptor[] {
  const out: SubjectDescriptor[] = [];
  for (const [label, side] of [
    ['A', result.a],
    ['B', result.b],
  ] as const) {
    for (const f of side.verification.bundle.files)
      out.push({ name: `${label}/${f.path}`, digest: { sha256: f.sha256 } });
  }
  const digest = (text: string) => toHex(sha256(utf8(text)));
  if (result.consistency)
    out.push({ name: CONSISTENCY_PROOF_SUBJECT, digest: { sha256: digest(result.consistency.file) } });
  if (result.misbehaviour)
    out.push({ name: MISBEHAVIOUR_PROOF_SUBJECT, digest: { sha256: result.misbehaviour.sha256 } });
  return out;
}

/**
 * Builds the unsigned in-toto Statement for one comparison; sign it with signAttestation.
 * Pure and deterministic: equal results and metadata give equal statements.
 */
export function buildDivergenceStatement(result: DiffResult, meta: DivergenceReportMeta): DivergenceStatement {
  const predicate: DivergencePredicate = {
    verifier: { id: VERIFIER_ID, version: { proofdesk: result.tool.version } },
    timeVerified: meta.finishedAt,
    verdict: result.verdict,
    origin: result.origin,
    tool: result.tool,
    examiner: meta.examiner,
    ...(meta.caseReference !== undefined ? { caseReference: meta.caseReference } : {}),
    ...(meta.case !== undefined ? { case: meta.case } : {}),
    examinerClock: {
      source: 'examiner-machine-clock',
      trusted: false,
      startedAt: meta.startedAt,
      finishedAt: meta.finishedAt,
    },
    result,
  };
  return makeStatement(divergenceSubjects(result), DIVERGENCE_PREDICATE_TYPE, predicate);
}
