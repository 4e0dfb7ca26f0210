/**
 * The case file (better-sqlite3): the one API the CLI, the app and the report writer use.
 * docs/case-file.md describes the directory layout, schema, journal hash chain and import protocol.
 */
export { CaseFile, caseMeta, createCase, journalRows, type CaseMeta, defaultActor, openCase, withCase, EXAMINER_ENV, type CaseOptions, type NewCase, type OpenCaseOptions } from './case.js';
export { CASE_DB, EVIDENCE_DIR, STAGING_DIR } from './layout.js';
export { SCHEMA_VERSION } from './schema.js';
export { CUSTODY_CHAIN, custodyGenesis, custodyHash, custodyRecordBytes, type CustodyRecord } from './custody.js';
export { JOURNAL_ACTIONS, type JournalAction, type JournalActionName, type JournalHead, type JournalRow } from './journal.js';
export {
  detectKind,
  evidenceFiles,
  findEvidenceByDigest,
  getEvidence,
  importEvidence,
  listEvidence,
  resolveEvidence,
  storedPathOf,
  treeDigest,
  type EvidenceRecord,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type TreeFile,
} from './evidence.js';
export { listRevocations, listTrust, revokeKey, trustedKeysFor, trustKey, trustKeyFrom, type Revocation, type TrustGrant, type TrustInput } from './trust.js';
export { DIFF_RUN_KIND, finishRun, getRun, listRuns, startRun, VERIFY_RUN_KIND, verifyOutcome, type RunCounts, type RunInput, type RunOutcome, type RunRecord, type StartRun } from './runs.js';
export { caseJournalHead, caseJournalView, caseReportAnchor, digestFile, listReports, recordReport, reportAnchor, type RecordReport, type ReportFile, type ReportFileInput, type ReportRecord } from './reports.js';
export { runTrust, verifyInCase, type CaseVerifyOptions as VerifyInCaseOptions, type CaseVerifyOutput, type RunTrust } from '../services/case-run.js';
export { DIFF_ROLES, diffInCase, diffOutcome, importDiffEvidence, type CaseDiffOptions, type CaseDiffOutput } from '../services/case-diff.js';
export { buildEntryIndex, dropEntryIndex, listEntrySets, loadBlockIndex, saveBlockIndex, type BuildIndexResult, type EntrySet, type IndexProgress } from './entry-index.js';
export { parseQuery, queryEntries, type EntryQuery, type QueryHit, type QueryResult } from './query.js';
export { CASE_PROBLEM_CODES, verifyCase, type CaseProblem, type CaseProblemCode, type CaseVerifyResult } from './case-verify.js';
export { exportCase, EXPORT_FORMAT, type ExportOptions, type ExportResult } from './export.js';
