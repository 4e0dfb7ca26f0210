/**
 * The custody journal: every action taken in a case, appended as one hash-chained row
 * (custody.ts defines the bytes). Rows are written only through appendJournal, inside the
 * same transaction as the records they describe, so a record never exists without its
 * journal row and vice versa. SQLite triggers refuse UPDATE and DELETE on the table.
 */

import { canonicalJson } from '../../shared/encoding/jcs.js';
import type { KeyRole } from '../../shared/keys/trust.js';
import type { EvidenceContainer, EvidenceKind, JournalHead } from '../../shared/protocol/case-records.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { type CustodyRecord, custodyGenesis, custodyHash, type JsonObject } from './custody.js';
import type { Db } from './db.js';

export type { EvidenceContainer, EvidenceKind, JournalHead };

export type EvidenceImportedDetails = {
  readonly evidenceId: number;
  readonly kind: EvidenceKind;
  readonly container: EvidenceContainer;
  readonly digest: string;
  readonly size: number;
  readonly fileCount: number;
  readonly storedPath: string;
  readonly originalPath: string;
  readonly originalMtime: string | null;
  readonly label: string | null;
};

export type KeyTrustedDetails = {
  readonly keyId: number;
  readonly fingerprint: string;
  readonly algorithm: 'ed25519';
  readonly publicKey: string;
  readonly keyName: string | null;
  readonly label: string;
  readonly origin: string | null;
  /** 'log', 'witness' or 'entry'; absent in rows journaled before schema v3 (those grants are 'log'). */
  readonly role?: KeyRole;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly sourceEvidenceId: number | null;
};

export type KeyRevokedDetails = {
  readonly revocationId: number;
  readonly fingerprint: string;
  readonly revokedAt: string;
  readonly reason: string | null;
};

export type RunStartedDetails = {
  readonly runId: number;
  readonly kind: string;
  readonly inputs: ReadonlyArray<{ readonly role: string; readonly evidenceId: number; readonly digest: string }>;
  readonly parameters: JsonObject;
  readonly trustedKeys: readonly JsonObject[];
  readonly toolVersion: string;
};

export type RunFinishedDetails = {
  readonly runId: number;
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly verdict: string | null;
  readonly resultDigest: string | null;
  readonly counts: JsonObject;
  readonly error: string | null;
};

export type ReportSignedDetails = {
  readonly reportId: number;
  readonly runId: number | null;
  readonly examinerFingerprint: string | null;
  readonly anchoredHead: { readonly seq: number; readonly hash: string } | null;
  readonly files: ReadonlyArray<{
    readonly role: string;
    readonly path: string;
    readonly size: number;
    readonly digest: string;
  }>;
};

/** Every action the journal records, with the details that are hashed into its row. */
export type JournalAction =
  | {
      readonly action: 'case.created';
      readonly details: {
        readonly caseId: string;
        readonly title: string;
        readonly reference: string | null;
        readonly toolVersion: string;
        readonly schemaVersion: number;
      };
    }
  | {
      readonly action: 'case.migrated';
      readonly details: { readonly from: number; readonly to: number; readonly toolVersion: string };
    }
  | {
      readonly action: 'case.recovered';
      readonly details: {
        readonly removedStaging: readonly string[];
        readonly removedUnrecorded: readonly string[];
        readonly interruptedRuns: readonly number[];
      };
    }
  | { readonly action: 'evidence.imported'; readonly details: EvidenceImportedDetails }
  | {
      readonly action: 'evidence.presented';
      readonly details: {
        readonly evidenceId: number;
        readonly digest: string;
        readonly originalPath: string;
        readonly originalMtime: string | null;
      };
    }
  | { readonly action: 'key.trusted'; readonly details: KeyTrustedDetails }
  | { readonly action: 'key.revoked'; readonly details: KeyRevokedDetails }
  | { readonly action: 'run.started'; readonly details: RunStartedDetails }
  | { readonly action: 'run.finished'; readonly details: RunFinishedDetails }
  | {
      readonly action: 'index.built';
      readonly details: {
        readonly evidenceId: number;
        readonly runId: number | null;
        readonly entries: number;
        readonly extractor: string;
        readonly derived: true;
      };
    }
  | { readonly action: 'report.signed'; readonly details: ReportSignedDetails }
  | {
      readonly action: 'case.exported';
      readonly details: { readonly destination: string; readonly withIndex: boolean };
    };

export type JournalActionName = JournalAction['action'];

export const JOURNAL_ACTIONS: readonly JournalActionName[] = [
  'case.created',
  'case.migrated',
  'case.recovered',
  'evidence.imported',
  'evidence.presented',
  'key.trusted',
  'key.revoked',
  'run.started',
  'run.finished',
  'index.built',
  'report.signed',
  'case.exported',
];

/** Subject of an action: the record it concerns ("evidence:3", "run:7", "key:<fingerprint>"), or null. */
export function subjectOf(a: JournalAction): string | null {
  switch (a.action) {
    case 'case.created':
    case 'case.migrated':
    case 'case.recovered':
    case 'case.exported':
      return null;
    case 'evidence.imported':
    case 'evidence.presented':
      return `evidence:${a.details.evidenceId}`;
    case 'key.trusted':
    case 'key.revoked':
      return `key:${a.details.fingerprint}`;
    case 'run.started':
    case 'run.finished':
      return `run:${a.details.runId}`;
    case 'index.built':
      return `evidence:${a.details.evidenceId}`;
    case 'report.signed':
      return `report:${a.details.reportId}`;
    default:
      return assertNeverAction(a);
  }
}

function assertNeverAction(x: never): never {
  throw new ProofdeskError('INTERNAL', `unknown journal action ${JSON.stringify(x)}`);
}

export interface JournalRow extends CustodyRecord {
  readonly prevHash: string;
  readonly hash: string;
}

interface RawRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export function caseIdOf(db: Db): string {
  const r = db.prepare('SELECT case_id FROM case_meta WHERE singleton = 1').get() as { case_id: string } | undefined;
  if (!r) throw new ProofdeskError('INPUT_MALFORMED', 'the case file has no case record (it was never initialised)');
  return r.case_id;
}

/** The last row's seq and hash. */
export function journalHeadOf(db: Db, caseId = caseIdOf(db)): JournalHead {
  const r = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  return r ? { seq: r.seq, hash: r.hash } : { seq: 0, hash: custodyGenesis(caseId, nodeSha256) };
}

/**
 * Appends one row. Requires an open write transaction (the caller's record and this row
 * commit together) and `caseId` of the case (for the genesis value of the first row).
 */
export function appendJournal(
  db: Db,
  caseId: string,
  a: JournalAction,
  ctx: { readonly at: string; readonly actor: string },
): JournalRow {
  if (!db.inTransaction)
    throw new ProofdeskError('INTERNAL', 'journal rows are appended inside the transaction of the change they record');
  const head = journalHeadOf(db, caseId);
  const record: CustodyRecord = {
    seq: head.seq + 1,
    at: ctx.at,
    actor: ctx.actor,
    action: a.action,
    subject: subjectOf(a),
    details: a.details as unknown as JsonObject,
  };
  const hash = custodyHash(head.hash, record, nodeSha256);
  db.prepare(
    'INSERT INTO journal (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    record.seq,
    record.at,
    record.actor,
    record.action,
    record.subject,
    canonicalJson(record.details),
    head.hash,
    hash,
  );
  return { ...record, prevHash: head.hash, hash };
}

/** Parsed journal rows, oldest first. Details that do not parse are returned as null. */
export function readJournal(
  db: Db,
  opts: { fromSeq?: number; limit?: number } = {},
): Array<JournalRow & { readonly detailsText: string }> {
  const rows = db
    .prepare('SELECT * FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?')
    .all(opts.fromSeq ?? 1, opts.limit ?? -1) as RawRow[];
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: parseDetails(r.details) ?? {},
    detailsText: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

export function parseDetails(text: string): JsonObject | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Iterates raw rows in seq order without loading the whole journal. */
export function* iterateJournal(db: Db): Generator<RawRow> {
  yield* db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as Iterable<RawRow>;
}

export type { RawRow as JournalRawRow };

export interface ChainHash {
  /**
   * The hash the journal's content gives row `seq` when the chain is recomputed from the
   * genesis value (stored hashes and links are not used); undefined when rows 1..seq are not
   * all there, in order.
   */
  readonly hash: string | undefined;
  /** The first row up to `seq` whose stored hash or link differs from the recomputed chain. */
  readonly firstChanged?: number;
}

/**
 * Recomputes the custody chain from the genesis value up to row `seq` (docs/case-file.md §4)
 * from the rows' content alone. An anchor (a head written into a signed attestation) holds
 * exactly when this gives the anchored hash; `firstChanged` localises an edit made without
 * recomputing the hashes after it. Requires 0 <= seq.
 */
export function recomputeChainTo(db: Db, caseId: string, seq: number): ChainHash {
  let computed = custodyGenesis(caseId, nodeSha256);
  if (seq === 0) return { hash: computed };
  let expect = 1;
  let firstChanged: number | undefined;
  for (const r of db.prepare('SELECT * FROM journal WHERE seq <= ? ORDER BY seq').iterate(seq) as Iterable<RawRow>) {
    if (r.seq !== expect) return { hash: undefined, firstChanged: firstChanged ?? Math.min(r.seq, expect) };
    const details = parseDetails(r.details);
    if (!details) return { hash: undefined, firstChanged: firstChanged ?? r.seq };
    const prev = computed;
    try {
      computed = custodyHash(
        prev,
        { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details },
        nodeSha256,
      );
    } catch {
      return { hash: undefined, firstChanged: firstChanged ?? r.seq }; // details JCS refuses cannot hash to anything
    }
    if (firstChanged === undefined && (r.prev_hash !== prev || r.hash !== computed)) firstChanged = r.seq;
    expect++;
  }
  if (expect !== seq + 1) return { hash: undefined, ...(firstChanged !== undefined ? { firstChanged } : {}) };
  return { hash: computed, ...(firstChanged !== undefined ? { firstChanged } : {}) };
}
