/**
 * An open case: its directory, its database handle, who acts and the clock, the write lock and
 * the journal. The repositories (evidence, trust, runs, reports, …) take one; case.ts opens and
 * creates them.
 */
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { Db } from './db.js';
import {
  appendJournal,
  caseIdOf,
  type JournalAction,
  type JournalHead,
  type JournalRow,
  journalHeadOf,
} from './journal.js';

export const EXAMINER_ENV = 'PROOFDESK_EXAMINER';

export interface CaseOptions {
  /** Who acts (journal `actor`). Default: $PROOFDESK_EXAMINER, else user@host. */
  readonly actor?: string;
  /** The clock for journal times (RFC 3339 UTC). Tests pass a fixed clock. */
  readonly now?: () => string;
}

export function defaultActor(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const e = env[EXAMINER_ENV];
  if (e !== undefined && e.trim() !== '') return e.trim();
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  return `${user}@${hostname()}`;
}

export const systemClock = (): string => new Date().toISOString();

export class CaseFile {
  readonly dir: string;
  readonly db: Db;
  readonly readonly: boolean;
  readonly caseId: string;
  readonly actor: string;
  readonly now: () => string;

  constructor(dir: string, db: Db, readonly: boolean, opts: CaseOptions) {
    this.dir = dir;
    this.db = db;
    this.readonly = readonly;
    this.caseId = caseIdOf(db);
    this.actor = opts.actor ?? defaultActor();
    this.now = opts.now ?? systemClock;
  }

  /** Absolute path of a case-relative path. */
  path(...rel: string[]): string {
    return join(this.dir, ...rel);
  }

  /** Runs `fn` in one IMMEDIATE transaction: it holds the case's write lock from the start. */
  write<T>(fn: () => T): T {
    if (this.readonly) throw new ProofdeskError('INTERNAL', 'the case was opened read-only');
    return this.db.transaction(fn).immediate();
  }

  /** Appends a journal row. Requires an open write transaction (see write()). */
  journal(a: JournalAction, at = this.now()): JournalRow {
    return appendJournal(this.db, this.caseId, a, { at, actor: this.actor });
  }

  head(): JournalHead {
    return journalHeadOf(this.db, this.caseId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
