/**
 * `case verify`: re-checks a whole case without changing it (docs/case-file.md §9):
 *
 * 1. the custody journal: row numbers 1, 2, 3…, every prev_hash equal to the previous row's
 *    hash (genesis for row 1), every hash recomputed from the row's content;
 * 2. every record against the journal row that created it (case, evidence, evidence members,
 *    trust grants, revocations, runs with the digest of their stored result, findings,
 *    reports), and every journaled record still present;
 * 3. every evidence file on disk against its recorded size and SHA-256, every directory item
 *    against its member list and tree digest, and nothing extra in the locker;
 * 4. every report file against its recorded digest, and the journal head each report anchors,
 *    as recorded and as its signed attestation states it.
 *
 * Problems are data (CaseProblem) with a location; the first journal break is reported as
 * such. Leftovers of interrupted work (staging, copies no row names, runs without an end) are
 * informational: they are not evidence and are removed by the next writable open.
 */
import type { CaseFile } from './case-file.js';
import { checkJournalChain } from './case-verify/journal-chain.js';
import { checkLocker } from './case-verify/locker.js';
import type { CaseVerifyOptions, CaseVerifyResult } from './case-verify/model.js';
import { Problems } from './case-verify/problems.js';
import { checkCaseMeta, checkEvidenceRecords, checkReportRecords, checkTrustRecords } from './case-verify/records.js';
import { checkReports } from './case-verify/report-files.js';
import { checkRunRecords } from './case-verify/run-records.js';
import { listEvidence } from './evidence.js';
import { listReports } from './reports.js';

export {
  CASE_PROBLEM_CODES,
  type CaseProblem,
  type CaseProblemCode,
  type CaseVerifyOptions,
  type CaseVerifyResult,
  MAX_PROBLEMS_PER_CODE,
} from './case-verify/model.js';

/** Verifies the case. Requires nothing but read access; changes nothing. */
export function verifyCase(cf: CaseFile, opts: CaseVerifyOptions = {}): CaseVerifyResult {
  const P = new Problems();
  const journal = checkJournalChain(P, cf);

  // Records against the journal: the rows of each action are streamed again.
  checkCaseMeta(P, cf.db);
  const evidence = listEvidence(cf);
  checkEvidenceRecords(P, cf.db, evidence);
  checkTrustRecords(P, cf);
  checkRunRecords(P, cf);
  const reports = listReports(cf);
  checkReportRecords(P, cf.db, reports);

  const locker = checkLocker(P, cf, evidence, opts);
  const reportFiles = checkReports(P, cf, reports, locker.linked);

  return {
    ok: P.errors === 0,
    caseId: cf.caseId,
    journal,
    evidence: { items: evidence.length, files: locker.files, bytes: locker.bytes },
    reports: { reports: reports.length, files: reportFiles },
    problems: P.list,
    ...(Object.keys(P.omitted).length > 0 ? { problemsOmitted: P.omitted } : {}),
  };
}
