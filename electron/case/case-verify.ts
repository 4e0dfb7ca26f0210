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
import { existsSync, lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { DiffResult } from '../../shared/diff/model.js';
import { diffRunFindings } from '../../shared/diff/run-findings.js';
import { assertNever } from '../../shared/encoding/assert.js';
import { readAttestedAnchor } from '../../shared/report/case-anchor.js';
import { MAX_ENVELOPE_BYTES } from '../../shared/report/dsse.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { Severity } from '../../shared/verdict/findings.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { readRegular } from '../platform/open-regular.js';
import type { CaseFile } from './case-file.js';
import { custodyGenesis, custodyHash, type JsonObject } from './custody.js';

import {
  assertLockerLayout,
  deadStaging,
  type EvidenceRecord,
  evidenceFiles,
  interruptedCopies,
  interruptedReportCopies,
  listEvidence,
  storedPathOf,
  treeDigest,
  unrecordedCopies,
  unrecordedReportCopies,
} from './evidence.js';
import { iterateJournal, parseDetails } from './journal.js';
import { EVIDENCE_DIR, REPORTS_DIR, STAGING_DIR } from './layout.js';
import { digestFile, listReports, type ReportRecord, storedReportPath } from './reports.js';
import { DIFF_RUN_KIND, listRuns, resultDigest, runResultText, VERIFY_RUN_KIND } from './runs.js';
import { listRevocations, listTrust } from './trust.js';

export const CASE_PROBLEM_CODES = {
  JOURNAL_SEQUENCE_BROKEN: [
    'error',
    'A journal row number is not the previous one plus one: rows were deleted, inserted or renumbered.',
  ],
  JOURNAL_CHAIN_BROKEN: [
    'error',
    "A journal row's prev_hash is not the previous row's hash (the genesis value for row 1).",
  ],
  JOURNAL_HASH_MISMATCH: ['error', "A journal row's hash is not the hash of its content: the row was edited."],
  JOURNAL_DETAILS_INVALID: ['error', "A journal row's details are not a JSON object."],
  RECORD_MISMATCH: [
    'error',
    'A case record disagrees with the journal row that created it, or a record the journal names is missing.',
  ],
  RECORD_UNJOURNALED: ['error', 'A case record has no journal row that created it.'],
  EVIDENCE_MISSING: ['error', 'A stored evidence file is missing from the locker.'],
  EVIDENCE_MODIFIED: [
    'error',
    'A stored evidence file differs from its recorded size or SHA-256, or a directory item from its tree digest.',
  ],
  EVIDENCE_UNEXPECTED_FILE: [
    'error',
    'The locker holds a file the case does not list: inside an evidence item, or an item no evidence row names (other than a leftover of an interrupted import).',
  ],
  REPORT_MISSING: ['error', 'A recorded report file is not at its recorded path.'],
  REPORT_MODIFIED: ['error', 'A recorded report file differs from its recorded SHA-256.'],
  REPORT_ANCHOR_MISMATCH: [
    'error',
    'The journal head a report anchors (as recorded, or as its signed attestation states it) is not a row of this journal with that hash: the journal was changed or rewritten up to that row after the report was signed.',
  ],
  REPORT_ATTESTATION_MISMATCH: [
    'error',
    "A report's attestation names another case, run or journal head than the case recorded for it: the record or the attestation was replaced.",
  ],
  REPORT_NOT_ANCHORED: [
    'info',
    "A report recorded with an anchored head whose attestation carries no case anchor (or no readable one): that anchor rests on the case's own records only.",
  ],
  LEFTOVER_STAGING: [
    'info',
    'A staging directory of an interrupted import (not evidence; removed when the case is next opened for writing).',
  ],
  LEFTOVER_UNRECORDED: [
    'info',
    'A copy in the locker that neither an evidence row nor a journal row names (an import interrupted after placing it; removed when the case is next opened for writing).',
  ],
  REPORT_OUTSIDE_CASE: [
    'info',
    "A report file is recorded at a path outside the case (an older version recorded the original's absolute path, or the row was edited): it is not followed, so its bytes are not checked here; check the report with `proofdesk report verify`.",
  ],
  LOCKER_LINKED: [
    'error',
    "The locker (evidence/ or tmp/), or an evidence item in it, is a symbolic link, not a directory, or resolves outside the case: what it shows may be another case's evidence. It is not read.",
  ],
  RUN_INCOMPLETE: [
    'info',
    'A run that has no end: still running, or its process died (ended as failed when the case is next opened for writing).',
  ],
} as const satisfies Record<string, readonly [Severity, string]>;

export type CaseProblemCode = keyof typeof CASE_PROBLEM_CODES;

export interface CaseProblem {
  readonly code: CaseProblemCode;
  readonly severity: Severity;
  readonly location: {
    readonly journalSeq?: number;
    readonly table?: string;
    readonly id?: number;
    /** Case-relative path (evidence) or absolute path (reports). */
    readonly path?: string;
  };
  readonly message: string;
  readonly expected?: string | number | null;
  readonly actual?: string | number | null;
}

export interface CaseVerifyResult {
  /** No problem of severity error. */
  readonly ok: boolean;
  readonly caseId: string;
  readonly journal: {
    readonly rows: number;
    readonly head: { readonly seq: number; readonly hash: string };
    readonly firstBreak?: number;
  };
  readonly evidence: { readonly items: number; readonly files: number; readonly bytes: number };
  readonly reports: { readonly reports: number; readonly files: number };
  /** At most MAX_PROBLEMS_PER_CODE per code, in the order found. */
  readonly problems: readonly CaseProblem[];
  /** Problems found beyond that, counted per code (absent when none were left out). */
  readonly problemsOmitted?: Partial<Record<CaseProblemCode, number>>;
}

export interface CaseVerifyOptions {
  /** Called before each evidence file is hashed. */
  readonly onFile?: (p: { readonly path: string; readonly size: number }) => void;
}

/**
 * Problems listed per code; the rest are counted in `problemsOmitted`. A case someone hands over
 * can hold a million forged journal rows: listing a problem for each would take gigabytes, and
 * the first hundred of a kind already say what happened and where it starts.
 */
export const MAX_PROBLEMS_PER_CODE = 100;

class Problems {
  readonly list: CaseProblem[] = [];
  readonly omitted: Partial<Record<CaseProblemCode, number>> = {};
  private readonly perCode = new Map<CaseProblemCode, number>();
  errors = 0;
  add(
    code: CaseProblemCode,
    location: CaseProblem['location'],
    message: string,
    expected?: string | number | null,
    actual?: string | number | null,
  ): void {
    const severity = CASE_PROBLEM_CODES[code][0];
    if (severity === 'error') this.errors++;
    const n = this.perCode.get(code) ?? 0;
    this.perCode.set(code, n + 1);
    if (n >= MAX_PROBLEMS_PER_CODE) {
      this.omitted[code] = (this.omitted[code] ?? 0) + 1;
      return;
    }
    this.list.push({
      code,
      severity,
      location,
      message,
      ...(expected !== undefined ? { expected } : {}),
      ...(actual !== undefined ? { actual } : {}),
    });
  }
}

type Journaled = { seq: number; details: JsonObject };

/** Compares named fields of a record with the journaled details; one problem per differing field. */
function compareFields(
  P: Problems,
  table: string,
  id: number,
  seq: number,
  pairs: ReadonlyArray<readonly [string, unknown, unknown]>,
): void {
  for (const [name, recorded, journaled] of pairs) {
    const a = recorded === undefined ? null : recorded;
    const b = journaled === undefined ? null : journaled;
    if (a !== b) {
      P.add(
        'RECORD_MISMATCH',
        { table, id, journalSeq: seq },
        `${table} #${id}: ${name} is ${JSON.stringify(a)}, the journal (row ${seq}) says ${JSON.stringify(b)}`,
        b as string | number | null,
        a as string | number | null,
      );
    }
  }
}

/** Verifies the case. Requires nothing but read access; changes nothing. */
export function verifyCase(cf: CaseFile, opts: CaseVerifyOptions = {}): CaseVerifyResult {
  const P = new Problems();
  const db = cf.db;

  // ── 1. journal chain, streamed: nothing per row is kept ──
  let prev = custodyGenesis(cf.caseId, nodeSha256);
  let expectSeq = 1;
  let rows = 0;
  let head = { seq: 0, hash: prev };
  let firstBreak: number | undefined;
  const brk = (seq: number) => {
    if (firstBreak === undefined) firstBreak = seq;
  };
  for (const r of iterateJournal(db)) {
    rows++;
    if (r.seq !== expectSeq) {
      P.add(
        'JOURNAL_SEQUENCE_BROKEN',
        { journalSeq: r.seq, table: 'journal' },
        `journal row ${r.seq} follows row ${expectSeq - 1}`,
        expectSeq,
        r.seq,
      );
      brk(Math.min(r.seq, expectSeq));
    }
    const details = parseDetails(r.details);
    if (!details) {
      P.add(
        'JOURNAL_DETAILS_INVALID',
        { journalSeq: r.seq, table: 'journal' },
        `journal row ${r.seq}: details are not a JSON object`,
      );
      brk(r.seq);
    }
    if (r.prev_hash !== prev) {
      P.add(
        'JOURNAL_CHAIN_BROKEN',
        { journalSeq: r.seq, table: 'journal' },
        `journal row ${r.seq} does not link to row ${r.seq - 1}`,
        prev,
        r.prev_hash,
      );
      brk(r.seq);
    }
    if (details) {
      // The content is checked against the row's own prev_hash, so an edited row and a broken
      // link are reported separately, each at the row where it is.
      const linkedTo = /^[0-9a-f]{64}$/.test(r.prev_hash) ? r.prev_hash : prev;
      let computed: string | undefined;
      try {
        computed = custodyHash(
          linkedTo,
          { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details },
          nodeSha256,
        );
      } catch {
        computed = undefined; // details that JCS refuses (e.g. lone surrogates) cannot match any hash
      }
      if (computed !== r.hash) {
        P.add(
          'JOURNAL_HASH_MISMATCH',
          { journalSeq: r.seq, table: 'journal' },
          `journal row ${r.seq} (${r.action}) does not hash to its recorded hash: its content was changed`,
          computed ?? null,
          r.hash,
        );
        brk(r.seq);
      }
    }
    prev = r.hash;
    head = { seq: r.seq, hash: r.hash };
    expectSeq = r.seq + 1;
  }

  // ── 2. records against the journal (rows of each action streamed again) ──
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

  const evidence = listEvidence(cf);
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

  const grants = listTrust(cf);
  checkAgainst(
    P,
    'trusted_keys',
    grants,
    db,
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
    db,
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

  const runs = listRuns(cf);
  checkAgainst(
    P,
    'runs',
    runs,
    db,
    'run.started',
    (d) => d.runId as number,
    (r, j) => {
      const inputs = (j.details.inputs as Array<{ role: string; evidenceId: number }> | undefined) ?? [];
      compareFields(P, 'runs', r.id, j.seq, [
        ['kind', r.kind, j.details.kind],
        ['start_seq', r.startSeq, j.seq],
        [
          'inputs',
          JSON.stringify(r.inputs.map((i) => `${i.role}:${i.evidenceId}`).sort()),
          JSON.stringify(inputs.map((i) => `${i.role}:${i.evidenceId}`).sort()),
        ],
      ]);
    },
  );
  const runIds = new Set(runs.map((r) => r.id));
  const finished = new Map<number, Journaled>();
  const orphanFinish = new OrphanRows();
  for (const j of journaledRows(db, 'run.finished')) {
    const runId = j.details.runId as number;
    if (runIds.has(runId)) finished.set(runId, j);
    else if (orphanFinish.first(runId))
      P.add(
        'RECORD_MISMATCH',
        { table: 'runs', id: runId, journalSeq: j.seq },
        `journal row ${j.seq} ends run #${runId}, which is not in the case`,
      );
  }
  for (const r of runs) {
    const j = finished.get(r.id);
    if (!j) {
      if (r.status === 'running') P.add('RUN_INCOMPLETE', { table: 'runs', id: r.id }, `run #${r.id} has not ended`);
      else
        P.add(
          'RECORD_UNJOURNALED',
          { table: 'runs', id: r.id },
          `run #${r.id} is ${r.status} but the journal has no run.finished row for it`,
        );
      continue;
    }
    compareFields(P, 'runs', r.id, j.seq, [
      ['status', r.status, j.details.status],
      ['verdict', r.verdict, j.details.verdict],
      ['result_digest', r.resultDigest, j.details.resultDigest],
      ['finish_seq', r.finishSeq, j.seq],
    ]);
    const text = runResultText(cf, r.id);
    if (r.status === 'finished') {
      const actual = text === undefined ? null : resultDigest(text);
      if (actual !== j.details.resultDigest) {
        P.add(
          'RECORD_MISMATCH',
          { table: 'runs', id: r.id, journalSeq: j.seq },
          `run #${r.id}: the stored result does not have the digest the journal recorded`,
          j.details.resultDigest as string,
          actual,
        );
      } else if (text !== undefined) checkFindings(P, cf, r.id, j.seq, r.kind, text);
    }
  }

  const reports = listReports(cf);
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

  // ── 3. evidence on disk ──
  let files = 0;
  let bytes = 0;
  // A locker linked to another case's holds files with the very digests recorded here: read
  // through the link it would check INTACT. It is reported and not read.
  const lockerLinked = checkLockerLayout(P, cf);
  for (const e of lockerLinked ? [] : evidence) {
    const r = checkEvidenceOnDisk(P, cf, e, opts);
    files += r.files;
    bytes += r.bytes;
  }
  // One listing for both questions: an import running beside us can place a copy between two
  // listings, and that copy must not look unlisted in one and unmentioned in the other.
  const unrecorded = lockerLinked ? [] : unrecordedCopies(cf);
  const interrupted = new Set(interruptedCopies(cf, unrecorded));
  for (const n of unrecorded) {
    if (interrupted.has(n))
      P.add(
        'LEFTOVER_UNRECORDED',
        { path: `${EVIDENCE_DIR}/${n}` },
        `${EVIDENCE_DIR}/${n} has no evidence row and no journal row: an import that was interrupted, or one not yet committed`,
      );
    else
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { path: `${EVIDENCE_DIR}/${n}` },
        `${EVIDENCE_DIR}/${n} is in the locker but no evidence row names it`,
      );
  }
  const staging = cf.path(STAGING_DIR);
  if (existsSync(staging)) {
    const dead = new Set(deadStaging(cf));
    for (const n of readdirSync(staging)) {
      P.add(
        'LEFTOVER_STAGING',
        { path: `${STAGING_DIR}/${n}` },
        `${STAGING_DIR}/${n} is ${dead.has(n) ? `left by an interrupted ${n.startsWith('export-') ? 'export' : 'import'}` : `an ${n.startsWith('export-') ? 'export' : 'import'} in progress or of another machine`}`,
      );
    }
  }

  // ── 4. reports: their copies inside the case, never a path outside it ──
  let reportFiles = 0;
  const reportPaths = new Map<number, Map<string, string>>();
  for (const r of reports) {
    // Files whose bytes are as recorded: only those are read for the attested anchor.
    const intact = new Set<string>();
    const where = new Map<string, string>();
    reportPaths.set(r.id, where);
    for (const f of r.files) {
      reportFiles++;
      const loc = { table: 'report_files', id: r.id, path: f.path };
      const abs = storedReportPath(cf.dir, f);
      if (abs === undefined) {
        P.add(
          'REPORT_OUTSIDE_CASE',
          loc,
          `report #${r.id} ${f.role} is recorded at ${f.path}, not as its copy in the case; not followed`,
        );
        continue;
      }
      if (lockerLinked) continue;
      const linked = reportCopyLinked(cf, f.digest);
      if (linked) {
        P.add('LOCKER_LINKED', loc, `report #${r.id} ${f.role}: ${linked}; not followed`);
        continue;
      }
      if (!existsSync(abs)) {
        P.add('REPORT_MISSING', loc, `report #${r.id} ${f.role} is not at ${f.path}`);
        continue;
      }
      let d: { size: number; digest: string } | undefined;
      try {
        d = digestFile(abs, false);
      } catch {
        P.add('REPORT_MISSING', loc, `report #${r.id} ${f.role} at ${f.path} cannot be read`);
        continue;
      }
      if (d.digest !== f.digest || d.size !== f.size)
        P.add(
          'REPORT_MODIFIED',
          loc,
          `report #${r.id} ${f.role} was changed after it was recorded`,
          f.digest,
          d.digest,
        );
      else {
        intact.add(f.role);
        where.set(f.role, abs);
      }
    }
    checkReportAnchors(P, cf, r, intact, where);
  }
  if (!lockerLinked) {
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

  const problems = P.list;
  return {
    ok: P.errors === 0,
    caseId: cf.caseId,
    journal: { rows, head, ...(firstBreak !== undefined ? { firstBreak } : {}) },
    evidence: { items: evidence.length, files, bytes },
    reports: { reports: reports.length, files: reportFiles },
    problems,
    ...(Object.keys(P.omitted).length > 0 ? { problemsOmitted: P.omitted } : {}),
  };
}

/**
 * A report's anchors: the head recorded for it, and the head its signed attestation states
 * (`predicate.case`, docs/report-format.md §3.1), which was fixed by the examiner's signature
 * outside the case. Each must be a journal row with that hash; the attestation must name this
 * case, the recorded head and the recorded run. Signatures are not checked here (that needs
 * the examiner's key: `proofdesk report verify --case`).
 */
function checkReportAnchors(
  P: Problems,
  cf: CaseFile,
  r: ReportRecord,
  intact: ReadonlySet<string>,
  where: ReadonlyMap<string, string>,
): void {
  const loc = { table: 'reports', id: r.id } as const;
  const anchors = new Map<string, { seq: number; hash: string }>();
  if (r.anchoredHead) anchors.set(`${r.anchoredHead.seq}:${r.anchoredHead.hash}`, r.anchoredHead);
  const att = r.files.find((f) => f.role === 'attestation');
  if (att && intact.has('attestation')) {
    const a = readAttestedAnchor(readReportFile(where.get('attestation')!));
    switch (a.kind) {
      case 'anchor': {
        const c = a.anchor;
        const head = `${c.journalHead.seq}:${c.journalHead.hash}`;
        anchors.set(head, c.journalHead);
        if (c.caseId !== cf.caseId)
          P.add(
            'REPORT_ATTESTATION_MISMATCH',
            { ...loc, path: att.path },
            `report #${r.id} was signed in case ${c.caseId}, not in this case`,
            c.caseId,
            cf.caseId,
          );
        const recorded = r.anchoredHead ? `${r.anchoredHead.seq}:${r.anchoredHead.hash}` : null;
        if (recorded !== head)
          P.add(
            'REPORT_ATTESTATION_MISMATCH',
            { ...loc, journalSeq: c.journalHead.seq, path: att.path },
            `report #${r.id}: its attestation anchors journal row ${c.journalHead.seq}, the case recorded ${recorded === null ? 'no head' : `row ${r.anchoredHead!.seq}`}`,
            head,
            recorded,
          );
        if (c.runId !== undefined && c.runId !== r.runId)
          P.add(
            'REPORT_ATTESTATION_MISMATCH',
            { ...loc, path: att.path },
            `report #${r.id}: its attestation is about run #${c.runId}, the case recorded run ${r.runId === null ? 'none' : `#${r.runId}`}`,
            c.runId,
            r.runId,
          );
        break;
      }
      case 'none':
      case 'unreadable':
        if (r.anchoredHead)
          P.add(
            'REPORT_NOT_ANCHORED',
            { ...loc, path: att.path },
            `report #${r.id}: its attestation ${a.kind === 'none' ? 'carries no case anchor' : 'cannot be read as a DSSE envelope with a statement'}; the anchored head rests on the case's records only`,
          );
        break;
      default:
        assertNever(a, 'attested anchor');
    }
  }
  const rowHash = cf.db.prepare('SELECT hash FROM journal WHERE seq = ?');
  for (const h of anchors.values()) {
    const row = rowHash.get(h.seq) as { hash: string } | undefined;
    if (!row || row.hash !== h.hash) {
      P.add(
        'REPORT_ANCHOR_MISMATCH',
        { ...loc, journalSeq: h.seq },
        `report #${r.id} anchors journal row ${h.seq} with a hash the journal ${row ? 'no longer has' : 'has no row for'}`,
        h.hash,
        row?.hash ?? null,
      );
    }
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

/** Journal rows of one action whose details are a JSON object, streamed in seq order. */
function* journaledRows(db: CaseFile['db'], action: string): Generator<Journaled> {
  const rows = db
    .prepare('SELECT seq, details FROM journal WHERE action = ? ORDER BY seq')
    .iterate(action) as Iterable<{
    seq: number;
    details: string;
  }>;
  for (const r of rows) {
    const details = parseDetails(r.details);
    if (details) yield { seq: r.seq, details };
  }
}

/**
 * Ids named by journal rows that have no record: each reported once, as long as the ids seen
 * can be remembered cheaply; past that, every further row counts (towards problemsOmitted).
 */
class OrphanRows {
  private readonly seen = new Set<number>();
  first(id: number): boolean {
    if (this.seen.has(id)) return false;
    if (this.seen.size < 4 * MAX_PROBLEMS_PER_CODE) this.seen.add(id);
    return true;
  }
}

/**
 * Pairs records with the journal rows that created them: both directions, then field by field.
 * The rows are streamed; only the row for each existing record is kept (the last one naming it).
 */
function checkAgainst<T extends { id: number }>(
  P: Problems,
  table: string,
  records: readonly T[],
  db: CaseFile['db'],
  action: string,
  idOf: (d: JsonObject) => number,
  compare: (r: T, j: Journaled) => void,
): void {
  const ids = new Set(records.map((r) => r.id));
  const byId = new Map<number, Journaled>();
  const orphans = new OrphanRows();
  for (const j of journaledRows(db, action)) {
    const id = idOf(j.details);
    if (ids.has(id)) byId.set(id, j);
    else if (orphans.first(id))
      P.add(
        'RECORD_MISMATCH',
        { table, id, journalSeq: j.seq },
        `journal row ${j.seq} created ${table} #${id}, which is not in the case`,
      );
  }
  for (const r of records) {
    const j = byId.get(r.id);
    if (!j) P.add('RECORD_UNJOURNALED', { table, id: r.id }, `${table} #${r.id} has no journal row`);
    else compare(r, j);
  }
}

/**
 * The findings rows of a run against the findings of its digested result: a verify run's
 * result lists them; a diff run's are derived from its result (diffRunFindings). Other kinds
 * are not checked.
 */
function checkFindings(P: Problems, cf: CaseFile, runId: number, seq: number, kind: string, resultText: string): void {
  let expected: Array<{ code: string; location?: { entry?: number } }> = [];
  try {
    const result = JSON.parse(resultText) as unknown;
    if (kind === VERIFY_RUN_KIND) expected = (result as { findings?: typeof expected }).findings ?? [];
    else if (kind === DIFF_RUN_KIND) expected = diffRunFindings(result as DiffResult);
    else return;
  } catch {
    return; // a result that does not parse does not have its journaled digest either (reported above)
  }
  const rows = cf.db
    .prepare('SELECT ordinal, code, entry FROM findings WHERE run_id = ? ORDER BY ordinal')
    .all(runId) as Array<{ ordinal: number; code: string; entry: number | null }>;
  if (rows.length !== expected.length) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'findings', id: runId, journalSeq: seq },
      `run #${runId} has ${rows.length} findings rows; its result lists ${expected.length}`,
      expected.length,
      rows.length,
    );
    return;
  }
  rows.forEach((r, i) => {
    const f = expected[i]!;
    if (r.ordinal !== i || r.code !== f.code || r.entry !== (f.location?.entry ?? null)) {
      P.add(
        'RECORD_MISMATCH',
        { table: 'findings', id: runId, journalSeq: seq },
        `run #${runId} finding ${i} is ${r.code} at entry ${r.entry}; its result says ${f.code} at entry ${f.location?.entry ?? null}`,
        f.code,
        r.code,
      );
    }
  });
}

/** LOCKER_LINKED for evidence/ or tmp/ that is a link, not a directory, or resolves elsewhere. True when reported. */
function checkLockerLayout(P: Problems, cf: CaseFile): boolean {
  try {
    assertLockerLayout(cf);
    return false;
  } catch (e) {
    if (!(e instanceof ProofdeskError) || e.code !== 'PATH_UNSAFE') throw e;
    P.add('LOCKER_LINKED', { path: EVIDENCE_DIR }, e.message);
    return true;
  }
}

/**
 * An item's directory (and a directory item's top folder) must be a real directory at its own
 * place in this case's locker: a link there would show another locker's copy.
 */
function itemLinked(cf: CaseFile, e: EvidenceRecord, stored: string): string | undefined {
  const itemDir = cf.path(EVIDENCE_DIR, e.digest);
  for (const p of e.container === 'directory' ? [itemDir, stored] : [itemDir]) {
    let l: Stats;
    try {
      l = lstatSync(p);
    } catch {
      return undefined; // missing: reported as such
    }
    if (l.isSymbolicLink()) return `${p} is a symbolic link`;
    if (!l.isDirectory() && p === itemDir) return `${p} is not a directory`;
  }
  const real = realpathSync(itemDir);
  if (real !== join(realpathSync(cf.path(EVIDENCE_DIR)), e.digest)) return `${itemDir} resolves to ${real}`;
  return undefined;
}

/** Lists every non-directory path under `root` (relative, '/'-separated), links included (never followed). */
function walk(root: string): string[] {
  const out: string[] = [];
  const rec = (rel: string) => {
    for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) rec(p);
      else out.push(p);
    }
  };
  rec('');
  return out;
}

function checkEvidenceOnDisk(
  P: Problems,
  cf: CaseFile,
  e: EvidenceRecord,
  opts: CaseVerifyOptions,
): { files: number; bytes: number } {
  const loc = { table: 'evidence', id: e.id };
  let stored: string;
  try {
    stored = storedPathOf(cf, e);
  } catch {
    P.add(
      'RECORD_MISMATCH',
      { ...loc, path: e.storedPath },
      `evidence #${e.id}: the recorded path is not a locker path; not followed`,
    );
    return { files: 0, bytes: 0 };
  }
  const itemDir = cf.path(EVIDENCE_DIR, e.digest);
  const name = e.storedPath.split('/').slice(2).join('/');
  const linked = itemLinked(cf, e, stored);
  if (linked) {
    P.add(
      'LOCKER_LINKED',
      { ...loc, path: `${EVIDENCE_DIR}/${e.digest}` },
      `evidence #${e.id}: ${linked}; not followed`,
    );
    return { files: 0, bytes: 0 };
  }
  if (!existsSync(itemDir)) {
    P.add(
      'EVIDENCE_MISSING',
      { ...loc, path: `${EVIDENCE_DIR}/${e.digest}` },
      `evidence #${e.id} is missing from the locker`,
    );
    return { files: 0, bytes: 0 };
  }
  for (const n of readdirSync(itemDir)) {
    if (n !== name)
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { ...loc, path: `${EVIDENCE_DIR}/${e.digest}/${n}` },
        `evidence #${e.id} holds ${n}, which it does not list`,
      );
  }
  const hashOne = (abs: string, rel: string, size: number, digest: string): number => {
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch {
      P.add('EVIDENCE_MISSING', { ...loc, path: rel }, `${rel} (evidence #${e.id}) is missing`);
      return 0;
    }
    if (!st.isFile()) {
      P.add('EVIDENCE_MODIFIED', { ...loc, path: rel }, `${rel} (evidence #${e.id}) is no longer a regular file`);
      return 0;
    }
    opts.onFile?.({ path: rel, size: st.size });
    const d = digestFile(abs);
    if (d.size !== size || d.digest !== digest)
      P.add(
        'EVIDENCE_MODIFIED',
        { ...loc, path: rel },
        `${rel} (evidence #${e.id}) differs from what was imported`,
        digest,
        d.digest,
      );
    return d.size;
  };
  if (e.container === 'file') {
    return { files: 1, bytes: hashOne(stored, e.storedPath, e.size, e.digest) };
  }
  const members = evidenceFiles(cf, e.id);
  const listed = new Set(members.map((m) => m.path));
  if (members.length !== e.fileCount || treeDigest(members) !== e.digest) {
    P.add(
      'RECORD_MISMATCH',
      { table: 'evidence_files', id: e.id },
      `the member list of evidence #${e.id} does not produce its digest`,
      e.digest,
      treeDigest(members),
    );
  }
  if (!existsSync(stored)) {
    P.add('EVIDENCE_MISSING', { ...loc, path: e.storedPath }, `evidence #${e.id} is missing from the locker`);
    return { files: 0, bytes: 0 };
  }
  for (const p of walk(stored)) {
    if (!listed.has(p))
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { ...loc, path: `${e.storedPath}/${p}` },
        `${e.storedPath}/${p} is not a member of evidence #${e.id}`,
      );
  }
  let bytes = 0;
  for (const m of members)
    bytes += hashOne(join(stored, ...m.path.split('/')), `${e.storedPath}/${m.path}`, m.size, m.digest);
  return { files: members.length, bytes };
}
