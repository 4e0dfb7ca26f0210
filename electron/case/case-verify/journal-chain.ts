/**
 * Step 1 of `case verify`: the custody journal, streamed (nothing per row is kept): row numbers
 * 1, 2, 3…, every prev_hash equal to the previous row's hash (genesis for row 1), every hash
 * recomputed from the row's content.
 */
import { nodeSha256 } from '../../platform/node-hash.js';
import type { CaseFile } from '../case-file.js';
import { custodyGenesis, custodyHash, type JsonObject } from '../custody.js';
import { iterateJournal, type JournalRawRow, parseDetails } from '../journal.js';
import type { CaseVerifyResult } from './model.js';
import type { Problems } from './problems.js';

export function checkJournalChain(P: Problems, cf: CaseFile): CaseVerifyResult['journal'] {
  let prev = custodyGenesis(cf.caseId, nodeSha256);
  let expectSeq = 1;
  let rows = 0;
  let head = { seq: 0, hash: prev };
  let firstBreak: number | undefined;
  for (const r of iterateJournal(cf.db)) {
    rows++;
    const broken = checkJournalRow(P, r, prev, expectSeq);
    if (firstBreak === undefined) firstBreak = broken;
    prev = r.hash;
    head = { seq: r.seq, hash: r.hash };
    expectSeq = r.seq + 1;
  }
  return { rows, head, ...(firstBreak !== undefined ? { firstBreak } : {}) };
}

/** Reports what is wrong with one row; returns where the chain breaks at it (undefined: it holds). */
function checkJournalRow(P: Problems, r: JournalRawRow, prev: string, expectSeq: number): number | undefined {
  let broken: number | undefined;
  if (r.seq !== expectSeq) {
    P.add(
      'JOURNAL_SEQUENCE_BROKEN',
      { journalSeq: r.seq, table: 'journal' },
      `journal row ${r.seq} follows row ${expectSeq - 1}`,
      expectSeq,
      r.seq,
    );
    broken = Math.min(r.seq, expectSeq);
  }
  const details = parseDetails(r.details);
  if (!details) {
    P.add(
      'JOURNAL_DETAILS_INVALID',
      { journalSeq: r.seq, table: 'journal' },
      `journal row ${r.seq}: details are not a JSON object`,
    );
    broken ??= r.seq;
  }
  if (r.prev_hash !== prev) {
    P.add(
      'JOURNAL_CHAIN_BROKEN',
      { journalSeq: r.seq, table: 'journal' },
      `journal row ${r.seq} does not link to row ${r.seq - 1}`,
      prev,
      r.prev_hash,
    );
    broken ??= r.seq;
  }
  if (details && !checkRowHash(P, r, details, prev)) broken ??= r.seq;
  return broken;
}

/**
 * JOURNAL_HASH_MISMATCH when the row's content does not hash to its hash. The content is checked
 * against the row's own prev_hash, so an edited row and a broken link are reported separately,
 * each at the row where it is. True when the hash matches.
 */
function checkRowHash(P: Problems, r: JournalRawRow, details: JsonObject, prev: string): boolean {
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
  if (computed === r.hash) return true;
  P.add(
    'JOURNAL_HASH_MISMATCH',
    { journalSeq: r.seq, table: 'journal' },
    `journal row ${r.seq} (${r.action}) does not hash to its recorded hash: its content was changed`,
    computed ?? null,
    r.hash,
  );
  return false;
}
