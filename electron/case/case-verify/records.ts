/**
 * Step 2 of `case verify`, table by table: the case, evidence, trust grants, revocations and
 * reports against the journal rows that created them (runs: run-records.ts).
 */
import type { CaseFile } from '../case-file.js';
import type { EvidenceRecord } from '../evidence.js';
import type { ReportRecord } from '../reports.js';
import { listRevocations, listTrust } from '../trust.js';
import { checkAgainst, compareFields, type Journaled, journaledRows } from './journal-rows.js';
import type { Problems } from './problems.js';

/** The journal starts with exactly one case.created row, and case_meta says what it says. */
export function checkCaseMeta(P: Problems, db: CaseFile['db']): void {
  let createdRows = 0;
  let created: Journaled | undefined;
  for (const j of journaledRows(db, 'case.created')) {
    createdRows++;
    created ??= j;
  }
  const meta = db.prepare('SELECT * FROM case_meta WHERE singleton = 1').get() as Record<string, unknown>;
  if (createdRows !== 1 || created?.seq !== 1) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'case_meta', journalSeq: created?.seq ?? 1 },
      'the journal does not start with exactly one case.created row',
    );
  } else {
    const d = created.details;
    compareFields(P, 'case_meta', 1, 1, [
      ['case_id', meta.case_id, d.caseId],
      ['title', meta.title, d.title],
      ['reference', meta.reference, d.reference],
    ]);
  }
}

/** Evidence rows against evidence.imported, and every evidence.presented row against its item. */
export function checkEvidenceRecords(P: Problems, db: CaseFile['db'], evidence: readonly EvidenceRecord[]): void {
  checkAgainst(
    P,
    'evidence',
    evidence,
    db,
    'evidence.imported',
    (d) => d.evidenceId as number,
    (e, j) =>
      compareFields(P, 'evidence', e.id, j.seq, [
        ['kind', e.kind, j.details.kind],
        ['container', e.container, j.details.container],
        ['digest', e.digest, j.details.digest],
        ['size', e.size, j.details.size],
        ['file_count', e.fileCount, j.details.fileCount],
        ['stored_path', e.storedPath, j.details.storedPath],
        ['original_path', e.originalPath, j.details.originalPath],
        ['original_mtime', e.originalMtime, j.details.originalMtime],
        ['label', e.label, j.details.label],
        ['journal_seq', e.journalSeq, j.seq],
      ]),
  );
  const evidenceById = new Map(evidence.map((e) => [e.id, e]));
  for (const j of journaledRows(db, 'evidence.presented')) {
    const id = j.details.evidenceId as number;
    const e = evidenceById.get(id);
    if (!e)
      P.add(
        'RECORD_MISMATCH',
        { table: 'evidence', id, journalSeq: j.seq },
        `journal row ${j.seq} names evidence #${id}, which is not in the case`,
      );
    else compareFields(P, 'evidence', id, j.seq, [['digest', e.digest, j.details.digest]]);
  }
}

/** Trust grants against key.trusted, revocations against key.revoked. */
export function checkTrustRecords(P: Problems, cf: CaseFile): void {
  checkAgainst(
    P,
    'trusted_keys',
    listTrust(cf),
    cf.db,
    'key.trusted',
    (d) => d.keyId as number,
    (g, j) =>
      compareFields(P, 'trusted_keys', g.id, j.seq, [
        ['fingerprint', g.fingerprint, j.details.fingerprint],
        ['public_key', g.publicKey, j.details.publicKey],
        ['key_name', g.keyName, j.details.keyName],
        ['label', g.label, j.details.label],
        ['origin', g.origin, j.details.origin],
        // Grants journaled before schema v3 carry no role; the migration made them 'log' grants.
        ['role', g.role, j.details.role ?? 'log'],
        ['valid_from', g.validFrom, j.details.validFrom],
        ['valid_until', g.validUntil, j.details.validUntil],
        ['source_evidence_id', g.sourceEvidenceId, j.details.sourceEvidenceId],
        ['journal_seq', g.journalSeq, j.seq],
      ]),
  );
  checkAgainst(
    P,
    'key_revocations',
    listRevocations(cf),
    cf.db,
    'key.revoked',
    (d) => d.revocationId as number,
    (r, j) =>
      compareFields(P, 'key_revocations', r.id, j.seq, [
        ['fingerprint', r.fingerprint, j.details.fingerprint],
        ['revoked_at', r.revokedAt, j.details.revokedAt],
        ['reason', r.reason, j.details.reason],
        ['journal_seq', r.journalSeq, j.seq],
      ]),
  );
}

/** Report rows (their files and anchored head included) against report.signed. */
export function checkReportRecords(P: Problems, db: CaseFile['db'], reports: readonly ReportRecord[]): void {
  checkAgainst(
    P,
    'reports',
    reports,
    db,
    'report.signed',
    (d) => d.reportId as number,
    (r, j) => {
      const files =
        (j.details.files as Array<{ role: string; path: string; size: number; digest: string }> | undefined) ?? [];
      const anchored = j.details.anchoredHead as { seq: number; hash: string } | null;
      compareFields(P, 'reports', r.id, j.seq, [
        ['run_id', r.runId, j.details.runId],
        ['examiner_fingerprint', r.examinerFingerprint, j.details.examinerFingerprint],
        ['anchored_seq', r.anchoredHead?.seq ?? null, anchored?.seq ?? null],
        ['anchored_hash', r.anchoredHead?.hash ?? null, anchored?.hash ?? null],
        [
          'files',
          JSON.stringify(r.files.map((f) => [f.role, f.path, f.size, f.digest]).sort()),
          JSON.stringify(files.map((f) => [f.role, f.path, f.size, f.digest]).sort()),
        ],
        ['journal_seq', r.journalSeq, j.seq],
      ]);
    },
  );
}
