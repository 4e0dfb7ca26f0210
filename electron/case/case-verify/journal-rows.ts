/**
 * Records against the journal rows that created them (step 2 of `case verify`): the rows of one
 * action streamed, paired with the records by id in both directions, compared field by field.
 */
import type { CaseFile } from '../case-file.js';
import type { JsonObject } from '../custody.js';
import { parseDetails } from '../journal.js';
import { MAX_PROBLEMS_PER_CODE } from './model.js';
import type { Problems } from './problems.js';

export type Journaled = { seq: number; details: JsonObject };

/** Compares named fields of a record with the journaled details; one problem per differing field. */
export function compareFields(
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

/** Journal rows of one action whose details are a JSON object, streamed in seq order. */
export function* journaledRows(db: CaseFile['db'], action: string): Generator<Journaled> {
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
export class OrphanRows {
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
export function checkAgainst<T extends { id: number }>(
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
