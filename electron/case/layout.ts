/** Names inside a case directory (docs/case-file.md §1). */
export const CASE_DB = 'case.sqlite';
/** One read-only directory per evidence item, named by its digest. */
export const EVIDENCE_DIR = 'evidence';
/** Staging for imports in progress; never evidence. */
export const STAGING_DIR = 'tmp';
/** Copies of the files of recorded reports, one read-only directory per file, named by its digest. */
export const REPORTS_DIR = 'reports';
