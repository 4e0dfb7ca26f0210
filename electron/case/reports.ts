/**
 * Signed reports recorded in a case (docs/case-file.md §7). The report writer:
 *   1. reads the journal head (caseJournalHead / CaseFile.head) and writes it into the
 *      attestation it signs, which anchors the whole journal up to that row outside the case;
 *   2. writes its files (PDF, attestation, detached signature…);
 *   3. calls recordReport, which hashes the files as they are on disk, checks that the
 *      anchored head is a row of this journal, and appends report.signed.
 * `case verify` re-hashes every recorded file and re-checks the anchor.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { RecordReport, ReportFile, ReportFileInput, ReportRecord } from '../../shared/protocol/case-records.js';
import { type CaseAnchor, caseAnchor, readAttestedAnchor } from '../../shared/report/case-anchor.js';
import { MAX_ENVELOPE_BYTES } from '../../shared/report/dsse.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { digestRegular, openRegular, readRegular } from '../platform/open-regular.js';
import { type CaseFile, caseMeta, openCase } from './case.js';
import { nextId } from './db.js';
import {
  assertLockerLayout,
  assertOwnTree,
  fsyncPath,
  interruptedReportCopies,
  lexists,
  removeTree,
  STORED_DIR_MODE,
  STORED_FILE_MODE,
  stagingName,
} from './evidence.js';
import { copyAndHash } from './hashing-copy.js';
import { type ChainHash, type JournalHead, recomputeChainTo } from './journal.js';
import { REPORTS_DIR, STAGING_DIR } from './layout.js';

export type { RecordReport, ReportFile, ReportFileInput, ReportRecord };

/**
 * SHA-256 and size of a regular file (a named pipe or device is refused at once), streamed.
 * `follow`: a link in the last component is followed (a path the examiner gave).
 */
export function digestFile(path: string, follow = true): { size: number; digest: string } {
  const d = digestRegular(path, { what: 'report file', follow });
  return { size: d.size, digest: d.sha256 };
}

/** A report file's copy in the case: reports/<its SHA-256>/<its name>. */
const STORED_REPORT = /^reports\/([0-9a-f]{64})\/([^/]+)$/;

/**
 * Where a recorded report file is read: its copy inside the case, or undefined when the recorded
 * path is anything else (an absolute path recorded by an older version, or an edited row). A
 * path from the case's own records is never followed outside it: a case someone hands over
 * could name any file on the reader's machine.
 */
export function storedReportPath(caseDir: string, f: Pick<ReportFile, 'path' | 'digest'>): string | undefined {
  const m = STORED_REPORT.exec(f.path);
  if (!m || m[1] !== f.digest || m[2] === '.' || m[2] === '..') return undefined;
  return join(caseDir, REPORTS_DIR, m[1]!, m[2]!);
}

interface StagedReportFile extends ReportFile {
  readonly original: string;
  readonly name: string;
}

/**
 * Records a signed report: hashes its files, copies them into the case (reports/<digest>/<name>,
 * read-only, crash-safe like an import: staged in tmp/, renamed into place under the write lock,
 * committed with the rows) and appends report.signed naming the copies and the originals.
 */
export function recordReport(cf: CaseFile, r: RecordReport): ReportRecord {
  if (r.files.length === 0) throw new ProofdeskError('USAGE', 'a report has at least one file');
  const roles = new Set<string>();
  for (const f of r.files) {
    if (f.role.trim() === '') throw new ProofdeskError('USAGE', 'a report file needs a role');
    if (roles.has(f.role)) throw new ProofdeskError('USAGE', `two report files have the role ${f.role}`);
    roles.add(f.role);
  }
  assertLockerLayout(cf);
  const staging = cf.path(STAGING_DIR, stagingName());
  mkdirSync(staging, { mode: 0o700 });
  try {
    const files = r.files.map((f) => stageReportFile(staging, resolve(f.path), f.role));
    checkAttestedAnchor(cf, r, files);
    fsyncPath(staging);
    const id = cf.write(() => {
      if (r.runId !== undefined && !cf.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(r.runId))
        throw new ProofdeskError('USAGE', `no run #${r.runId} in this case`);
      if (r.anchoredHead) {
        const row = cf.db.prepare('SELECT hash FROM journal WHERE seq = ?').get(r.anchoredHead.seq) as
          | { hash: string }
          | undefined;
        if (!row || row.hash !== r.anchoredHead.hash) {
          throw new ProofdeskError(
            'USAGE',
            `the anchored journal head (row ${r.anchoredHead.seq}, ${r.anchoredHead.hash.slice(0, 16)}…) is not a row of this case's journal`,
          );
        }
      }
      const stored = files.map((f) => ({ ...f, path: placeReportCopy(cf, staging, f) }));
      const id = nextId(cf.db, 'reports');
      const at = cf.now();
      const j = cf.journal(
        {
          action: 'report.signed',
          details: {
            reportId: id,
            runId: r.runId ?? null,
            examinerFingerprint: r.examinerFingerprint ?? null,
            anchoredHead: r.anchoredHead ? { seq: r.anchoredHead.seq, hash: r.anchoredHead.hash } : null,
            files: stored.map((f) => ({
              role: f.role,
              path: f.path,
              size: f.size,
              digest: f.digest,
              originalPath: f.original,
            })),
          },
        },
        at,
      );
      cf.db
        .prepare(
          'INSERT INTO reports (id, run_id, signed_at, signed_by, examiner_fingerprint, anchored_seq, anchored_hash, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          r.runId ?? null,
          at,
          cf.actor,
          r.examinerFingerprint ?? null,
          r.anchoredHead?.seq ?? null,
          r.anchoredHead?.hash ?? null,
          j.seq,
        );
      const ins = cf.db.prepare(
        'INSERT INTO report_files (report_id, role, path, size, digest) VALUES (?, ?, ?, ?, ?)',
      );
      for (const f of stored) ins.run(id, f.role, f.path, f.size, f.digest);
      return id;
    });
    return listReports(cf).find((x) => x.id === id)!;
  } finally {
    removeTree(staging);
    fsyncPath(cf.path(STAGING_DIR));
  }
}

/** Copies one report file into staging/<digest>/<name>, hashing the bytes copied. */
function stageReportFile(staging: string, original: string, role: string): StagedReportFile {
  const f = openRegular(original, { what: 'report file', follow: true });
  try {
    const probe = join(staging, `copy-${role.replace(/[^A-Za-z0-9_-]/g, '_')}`);
    mkdirSync(probe, { mode: 0o700 });
    const c = copyAndHash(f.fd, join(probe, basename(original)), f.size, () => {});
    const dir = join(staging, c.digest);
    if (!existsSync(dir)) renameSync(probe, dir);
    else removeTree(probe); // two roles with the same bytes: one copy
    chmodSync(join(dir, readdirSync(dir)[0]!), STORED_FILE_MODE);
    chmodSync(dir, STORED_DIR_MODE);
    const name = readdirSync(dir)[0]!;
    // Until it is placed, `path` is the staged copy: the bytes the anchor check reads are the ones recorded.
    return { role, path: join(dir, name), size: c.size, digest: c.digest, original, name };
  } finally {
    closeSync(f.fd);
  }
}

/**
 * Moves a staged copy to reports/<digest> (under the write lock) and returns its case-relative
 * path. The same bytes recorded before (by another report, or another role) are not copied
 * twice; a copy an interrupted recording left is replaced.
 */
function placeReportCopy(cf: CaseFile, staging: string, f: StagedReportFile): string {
  const target = cf.path(REPORTS_DIR, f.digest);
  const staged = join(staging, f.digest);
  if (lexists(target)) {
    const recorded = cf.db
      .prepare('SELECT path FROM report_files WHERE instr(path, ?) = 1 LIMIT 1')
      .get(`${REPORTS_DIR}/${f.digest}/`) as { path: string } | undefined;
    if (recorded) return recorded.path;
    if (!existsSync(staged)) return `${REPORTS_DIR}/${f.digest}/${readdirSync(target)[0]}`; // placed for another role just now
    if (!interruptedReportCopies(cf).includes(f.digest))
      throw new ProofdeskError(
        'INPUT_MALFORMED',
        `${REPORTS_DIR}/${f.digest} exists but is not a leftover of an interrupted recording; run proofdesk case verify`,
      );
    assertOwnTree(target, cf.path(REPORTS_DIR));
    removeTree(target);
  }
  renameSync(staged, target);
  fsyncPath(cf.path(REPORTS_DIR));
  return `${REPORTS_DIR}/${f.digest}/${f.name}`;
}

/**
 * An attestation that carries a case anchor must carry this case and the head being recorded:
 * the two are the same anchor, one inside the case and one outside it (case verify compares
 * them later, so a disagreement is refused now rather than recorded).
 */
function checkAttestedAnchor(cf: CaseFile, r: RecordReport, files: readonly ReportFile[]): void {
  const att = files.find((f) => f.role === 'attestation');
  if (!att || att.size > MAX_ENVELOPE_BYTES) return;
  const a = readAttestedAnchor(
    readRegular(att.path, { what: 'attestation', follow: true, maxBytes: MAX_ENVELOPE_BYTES }),
  );
  if (a.kind !== 'anchor') return;
  const h = a.anchor.journalHead;
  if (a.anchor.caseId !== cf.caseId)
    throw new ProofdeskError(
      'USAGE',
      `the attestation was signed in case ${a.anchor.caseId}, not in this case (${cf.caseId})`,
    );
  if (!r.anchoredHead || r.anchoredHead.seq !== h.seq || r.anchoredHead.hash !== h.hash) {
    throw new ProofdeskError(
      'USAGE',
      `the attestation anchors journal row ${h.seq}; record the report with that head (anchoredHead)`,
    );
  }
  if (a.anchor.runId !== undefined && a.anchor.runId !== r.runId)
    throw new ProofdeskError(
      'USAGE',
      `the attestation is about run #${a.anchor.runId}, not ${r.runId === undefined ? 'no run' : `run #${r.runId}`}`,
    );
}

export function listReports(cf: CaseFile): ReportRecord[] {
  const rows = cf.db.prepare('SELECT * FROM reports ORDER BY id').all() as Array<Record<string, unknown>>;
  const filesOf = cf.db.prepare('SELECT role, path, size, digest FROM report_files WHERE report_id = ? ORDER BY role');
  return rows.map((r) => ({
    id: r.id as number,
    runId: (r.run_id as number | null) ?? null,
    signedAt: r.signed_at as string,
    signedBy: r.signed_by as string,
    examinerFingerprint: (r.examiner_fingerprint as string | null) ?? null,
    anchoredHead: r.anchored_seq === null ? null : { seq: r.anchored_seq as number, hash: r.anchored_hash as string },
    journalSeq: r.journal_seq as number,
    files: filesOf.all(r.id) as ReportFile[],
  }));
}

/**
 * The journal head of the case in `dir` (read-only): the value a report writer puts into its
 * attestation. `caseId` identifies the case the journal belongs to.
 */
export function caseJournalHead(dir: string): JournalHead & { readonly caseId: string } {
  const cf = openCase(dir, { readonly: true });
  try {
    return { caseId: cf.caseId, ...cf.head() };
  } finally {
    cf.close();
  }
}

/**
 * What a report signed in this case carries in its attestation (`predicate.case`,
 * docs/report-format.md §3.1): the case id and reference, the run, and the journal head now.
 * Read it just before signing and pass the same head to recordReport as `anchoredHead`.
 */
export function reportAnchor(cf: CaseFile, runId?: number): CaseAnchor {
  return caseAnchor({
    caseId: cf.caseId,
    reference: caseMeta(cf).reference,
    ...(runId !== undefined ? { runId } : {}),
    journalHead: cf.head(),
  });
}

/** reportAnchor of the case in `dir`, read through a read-only handle. */
export function caseReportAnchor(dir: string, runId?: number): CaseAnchor {
  const cf = openCase(dir, { readonly: true });
  try {
    return reportAnchor(cf, runId);
  } finally {
    cf.close();
  }
}

/**
 * The journal of an open case as `report verify --case` reads it: the case id, its head, and
 * the hash its content gives any row (the chain recomputed from the genesis value, so an edited
 * row changes every later hash even when the stored hashes were left alone). Requires `cf` to
 * stay open while the view is used.
 */
export function caseJournalView(cf: CaseFile): {
  caseId: string;
  head: JournalHead;
  chainHash: (seq: number) => ChainHash;
} {
  return { caseId: cf.caseId, head: cf.head(), chainHash: (seq) => recomputeChainTo(cf.db, cf.caseId, seq) };
}
