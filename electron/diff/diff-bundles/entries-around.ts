/**
 * The entries around the first divergent entry: a few before and after it from each export (the
 * context view), the HISTORY_DIVERGES finding, and the entry diff over the window from it on.
 */
import { type AlignBy, alignEntries, entryView, type WindowEntry } from '../../../shared/diff/entries.js';
import type { DiffResult, Divergence } from '../../../shared/diff/model.js';
import { toHex } from '../../../shared/encoding/bytes.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, finding } from '../../../shared/verdict/findings.js';
import type { ExportEntries } from '../../verify/bundle/export-entries.js';

/** Entries shown before and after the divergence in the context view. */
const CONTEXT_BEFORE = 2;
const CONTEXT_AFTER = 3;

export interface EntriesAround {
  readonly divergence: Divergence;
  readonly finding: Finding;
  readonly entryDiff: NonNullable<DiffResult['entryDiff']>;
}

export interface WindowOptions {
  /** Entries read from each export from the divergence on. */
  readonly window: number;
  readonly maxEntryBytes: number;
  readonly alignBy: AlignBy;
}

/** Requires k < both counts: entry k is in both exports. */
export function entriesAround(A: ExportEntries, B: ExportEntries, k: number, w: WindowOptions): EntriesAround {
  const from = Math.max(0, k - CONTEXT_BEFORE);
  const wa = A.readWindow(from, k - from + w.window, w.maxEntryBytes);
  const wb = B.readWindow(from, k - from + w.window, w.maxEntryBytes);
  const divergence = { index: k, context: { a: contextOf(wa.entries, k), b: contextOf(wb.entries, k) } };
  const ea = wa.entries.find((e) => e.index === k);
  const eb = wb.entries.find((e) => e.index === k);
  if (!ea || !eb) throw new ProofdeskError('INTERNAL', `entry ${k} could not be read back`);
  const diverges = finding('HISTORY_DIVERGES', { entry: k }, `the exports hold different entries from entry ${k} on`, {
    leafHashA: toHex(ea.leafHash),
    leafHashB: toHex(eb.leafHash),
    offsetA: ea.offset,
    offsetB: eb.offset,
  });
  const entryDiff = alignEntries(
    wa.entries.filter((e) => e.index >= k),
    wb.entries.filter((e) => e.index >= k),
    { alignBy: w.alignBy, aComplete: wa.complete, bComplete: wb.complete },
  );
  return { divergence, finding: diverges, entryDiff };
}

function contextOf(w: WindowEntry[], k: number) {
  return w.filter((e) => e.index < k + CONTEXT_AFTER).map((e) => entryView(e));
}
