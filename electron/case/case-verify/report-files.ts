/**
 * Step 4 of `case verify`: every report file's copy inside the case against its recorded digest
 * (never a path outside the case), and the journal head each report anchors, as recorded and as
 * its signed attestation states it.
 */
import { existsSync, lstatSync, realpathSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { assertNever } from '../../../shared/encoding/assert.js';
import { type AttestedAnchor, readAttestedAnchor } from '../../../shared/report/case-anchor.js';
import { MAX_ENVELOPE_BYTES } from '../../../shared/report/dsse.js';
import { readRegular } from '../../platform/open-regular.js';
import type { CaseFile } from '../case-file.js';
import { interruptedReportCopies, unrecordedReportCopies } from '../evidence.js';
import { REPORTS_DIR } from '../layout.js';
import { digestFile, type ReportRecord, storedReportPath } from '../reports.js';
import type { Problems } from './problems.js';

/** Checks every report's files and anchors; returns the number of report files recorded. */
export function checkReports(
  P: Problems,
  cf: CaseFile,
  reports: readonly ReportRecord[],
  lockerLinked: boolean,
): number {
  let reportFiles = 0;
  for (const r of reports) {
    reportFiles += r.files.length;
    const where = checkReportFiles(P, cf, r, lockerLinked);
    checkReportAnchors(P, cf, r, where);
  }
  if (!lockerLinked) checkUnrecordedReportCopies(P, cf);
  return reportFiles;
}

/**
 * The report's files inside the case against their recorded digests. Returns where the intact
 * ones are, by role: only those are read for the attested anchor.
 */
function checkReportFiles(
  P: Problems,
  cf: CaseFile,
  r: ReportRecord,
  lockerLinked: boolean,
): ReadonlyMap<string, string> {
  const where = new Map<string, string>();
  for (const f of r.files) {
    const abs = checkReportFile(P, cf, r, f, lockerLinked);
    if (abs !== undefined) where.set(f.role, abs);
  }
  return where;
}

/** One recorded report file: its copy in the case, present and as recorded. Its path when intact. */
function checkReportFile(
  P: Problems,
  cf: CaseFile,
  r: ReportRecord,
  f: ReportRecord['files'][number],
  lockerLinked: boolean,
): string | undefined {
  const loc = { table: 'report_files', id: r.id, path: f.path };
  const abs = storedReportPath(cf.dir, f);
  if (abs === undefined) {
    P.add(
      'REPORT_OUTSIDE_CASE',
      loc,
      `report #${r.id} ${f.role} is recorded at ${f.path}, not as its copy in the case; not followed`,
    );
    return undefined;
  }
  if (lockerLinked) return undefined;
  const linked = reportCopyLinked(cf, f.digest);
  if (linked) {
    P.add('LOCKER_LINKED', loc, `report #${r.id} ${f.role}: ${linked}; not followed`);
    return undefined;
  }
  if (!existsSync(abs)) {
    P.add('REPORT_MISSING', loc, `report #${r.id} ${f.role} is not at ${f.path}`);
    return undefined;
  }
  let d: { size: number; digest: string } | undefined;
  try {
    d = digestFile(abs, false);
  } catch {
    P.add('REPORT_MISSING', loc, `report #${r.id} ${f.role} at ${f.path} cannot be read`);
    return undefined;
  }
  if (d.digest === f.digest && d.size === f.size) return abs;
  P.add('REPORT_MODIFIED', loc, `report #${r.id} ${f.role} was changed after it was recorded`, f.digest, d.digest);
  return undefined;
}

/**
 * A report's anchors: the head recorded for it, and the head its signed attestation states
 * (`predicate.case`, docs/report-format.md §3.1), which was fixed by the examiner's signature
 * outside the case. Each must be a journal row with that hash; the attestation must name this
 * case, the recorded head and the recorded run. Signatures are not checked here (that needs
 * the examiner's key: `proofdesk report verify --case`). `where`: the intact files by role.
 */
function checkReportAnchors(P: Problems, cf: CaseFile, r: ReportRecord, where: ReadonlyMap<string, string>): void {
  const anchors = new Map<string, { seq: number; hash: string }>();
  if (r.anchoredHead) anchors.set(`${r.anchoredHead.seq}:${r.anchoredHead.hash}`, r.anchoredHead);
  const att = r.files.find((f) => f.role === 'attestation');
  const attPath = where.get('attestation');
  if (att && attPath !== undefined) {
    const a = readAttestedAnchor(readReportFile(attPath));
    const attested = checkAttestation(P, cf, r, att.path, a);
    if (attested) anchors.set(`${attested.seq}:${attested.hash}`, attested);
  }
  const rowHash = cf.db.prepare('SELECT hash FROM journal WHERE seq = ?');
  for (const h of anchors.values()) {
    const row = rowHash.get(h.seq) as { hash: string } | undefined;
    if (!row || row.hash !== h.hash) {
      P.add(
        'REPORT_ANCHOR_MISMATCH',
        { table: 'reports', id: r.id, journalSeq: h.seq },
        `report #${r.id} anchors journal row ${h.seq} with a hash the journal ${row ? 'no longer has' : 'has no row for'}`,
        h.hash,
        row?.hash ?? null,
      );
    }
  }
}

/**
 * The attestation's case anchor against what the case recorded for the report (case, head, run).
 * Returns the journal head it attests, if it carries one.
 */
function checkAttestation(
  P: Problems,
  cf: CaseFile,
  r: ReportRecord,
  path: string,
  a: AttestedAnchor,
): { seq: number; hash: string } | undefined {
  const loc = { table: 'reports', id: r.id } as const;
  switch (a.kind) {
    case 'anchor': {
      const c = a.anchor;
      const head = `${c.journalHead.seq}:${c.journalHead.hash}`;
      if (c.caseId !== cf.caseId)
        P.add(
          'REPORT_ATTESTATION_MISMATCH',
          { ...loc, path },
          `report #${r.id} was signed in case ${c.caseId}, not in this case`,
          c.caseId,
          cf.caseId,
        );
      const recorded = r.anchoredHead ? `${r.anchoredHead.seq}:${r.anchoredHead.hash}` : null;
      if (recorded !== head)
        P.add(
          'REPORT_ATTESTATION_MISMATCH',
          { ...loc, journalSeq: c.journalHead.seq, path },
          `report #${r.id}: its attestation anchors journal row ${c.journalHead.seq}, the case recorded ${recorded === null ? 'no head' : `row ${r.anchoredHead!.seq}`}`,
          head,
          recorded,
        );
      if (c.runId !== undefined && c.runId !== r.runId)
        P.add(
          'REPORT_ATTESTATION_MISMATCH',
          { ...loc, path },
          `report #${r.id}: its attestation is about run #${c.runId}, the case recorded run ${r.runId === null ? 'none' : `#${r.runId}`}`,
          c.runId,
          r.runId,
        );
      return c.journalHead;
    }
    case 'none':
    case 'unreadable':
      if (r.anchoredHead)
        P.add(
          'REPORT_NOT_ANCHORED',
          { ...loc, path },
          `report #${r.id}: its attestation ${a.kind === 'none' ? 'carries no case anchor' : 'cannot be read as a DSSE envelope with a statement'}; the anchored head rests on the case's own records only`,
        );
      return undefined;
    default:
      return assertNever(a, 'attested anchor');
  }
}
/** reports/<digest> must be a real directory at its own place in this case (as an evidence item's). */
function reportCopyLinked(cf: CaseFile, digest: string): string | undefined {
  const dir = cf.path(REPORTS_DIR, digest);
  let l: Stats;
  try {
    l = lstatSync(dir);
  } catch {
    return undefined; // missing: reported as such
  }
  if (l.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!l.isDirectory()) return `${dir} is not a directory`;
  const real = realpathSync(dir);
  return real === join(realpathSync(cf.path(REPORTS_DIR)), digest) ? undefined : `${dir} resolves to ${real}`;
}

/** A recorded report file, bounded by the largest envelope Proofdesk parses. */
function readReportFile(path: string): Uint8Array {
  try {
    return readRegular(path, { what: 'report file', maxBytes: MAX_ENVELOPE_BYTES });
  } catch {
    return new Uint8Array(0);
  }
}

/** Copies in reports/ that no report file names: leftovers of an interrupted recording, or unexpected. */
function checkUnrecordedReportCopies(P: Problems, cf: CaseFile): void {
  const unrecordedReports = unrecordedReportCopies(cf);
  const interruptedReports = new Set(interruptedReportCopies(cf, unrecordedReports));
  for (const n of unrecordedReports) {
    if (interruptedReports.has(n))
      P.add(
        'LEFTOVER_UNRECORDED',
        { path: `${REPORTS_DIR}/${n}` },
        `${REPORTS_DIR}/${n} has no report row and no journal row: a recording that was interrupted, or one not yet committed`,
      );
    else
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { path: `${REPORTS_DIR}/${n}` },
        `${REPORTS_DIR}/${n} is in the case but no report file names it`,
      );
  }
}
