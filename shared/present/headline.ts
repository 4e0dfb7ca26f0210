/**
 * The headline: one plain sentence (two at most) on what happened and what still stands. It
 * is what the examiner reads first on the CLI, in the app and on page 1 of the PDF, and what
 * goes into their own report, so all three take it from the result, never rebuild it.
 */
import type { Cause, CauseCode } from '../verdict/diagnosis.js';
import type { CheckpointReport, Coverage, CoverageReason, Verdict } from '../verdict/result.js';
import { capitalize, count, entriesCount, entrySpan, num, seqSpan } from './words.js';

export interface HeadlineInput {
  readonly verdict: Verdict;
  readonly diagnosis: readonly Cause[];
  readonly coverage: Coverage;
  readonly entryCount: number;
  readonly checkpoints: readonly CheckpointReport[];
  readonly provenPrefix: number;
}

function reasonCount(c: Coverage, reason: CoverageReason): number {
  return c.ranges.filter((g) => g.reason === reason).reduce((a, g) => a + (g.to - g.from), 0);
}

/** The text up to the end of its first sentence. */
function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m?.[1] ?? text).replace(/[.!?]$/, '');
}

function spanOf(c: Cause): { from: number; to: number } | undefined {
  return c.entries;
}

/** One cause, as the first clause of the headline. */
export function causeSummary(c: Cause): string {
  const e = spanOf(c);
  const seq = c.seq ? ` (${seqSpan(c.seq.from, c.seq.to)})` : '';
  switch (c.cause) {
    case 'ENTRY_ALTERED':
      if (!e || c.ranges) return firstSentence(c.text);
      return `${capitalize(entrySpan(e.from, e.to))} ${e.to - e.from === 1 ? 'was' : 'were'} altered`;
    case 'ENTRIES_REMOVED': {
      if (!e || !c.seq) return firstSentence(c.text);
      const n = c.seq.to - c.seq.from;
      return `${capitalize(entriesCount(n))}${seq} ${n === 1 ? 'was' : 'were'} removed ${e.from === 0 ? 'before entry 0' : `between entries ${num(e.from - 1)} and ${num(e.from)}`}`;
    }
    case 'ENTRIES_INSERTED':
      if (!e || c.ranges) return firstSentence(c.text);
      return `${capitalize(entrySpan(e.from, e.to))}${seq} ${e.to - e.from === 1 ? 'was' : 'were'} inserted`;
    case 'ENTRIES_DUPLICATED':
      if (!e || c.ranges) return firstSentence(c.text);
      return `${capitalize(entrySpan(e.from, e.to))}${seq} ${e.to - e.from === 1 ? 'is a duplicate' : 'are duplicates'} of earlier entries`;
    case 'HISTORY_REWRITTEN':
      if (!e) return firstSentence(c.text);
      // At the end of the export the chain cannot tell: no later entry records the last one's link.
      if (c.text.includes('no later entry records its link'))
        return `The export no longer matches the log's signed root: a change lies within ${entrySpan(e.from, e.to)}, which the chain cannot narrow (it ends there, or was recomputed)`;
      return `History was rewritten, starting within ${entrySpan(e.from, e.to)} (the chain was recomputed, so only the signed roots show it)`;
    case 'LOG_TRUNCATED':
      return firstSentence(c.text.replace(/^The export was cut short: /, 'The export was cut short; '));
    default:
      return firstSentence(c.text);
  }
}

/** The same kind of cause more than once: summed up. */
function manySummary(code: CauseCode, causes: readonly Cause[]): string | undefined {
  const entries = causes.reduce(
    (n, c) =>
      n +
      (c.ranges
        ? c.ranges.reduce((m, r) => m + Math.max(1, r.to - r.from), 0)
        : c.entries
          ? Math.max(1, c.entries.to - c.entries.from)
          : 0),
    0,
  );
  const first = causes[0]?.entries?.from;
  const at = first !== undefined ? ` (the first at entry ${num(first)})` : '';
  // A cause that sums up many places lists them in `ranges`.
  const places = count(
    causes.reduce((n, c) => n + (c.ranges?.length ?? 1), 0),
    'place',
    'places',
  );
  switch (code) {
    case 'ENTRY_ALTERED':
      return `${capitalize(entriesCount(entries))} were altered in ${places}${at}`;
    case 'ENTRIES_REMOVED':
      return `Entries were removed in ${places}${at}`;
    case 'ENTRIES_INSERTED':
      return `${capitalize(entriesCount(entries))} were inserted in ${places}${at}`;
    case 'ENTRIES_REORDERED':
      return `Entries are out of order in ${places}${at}`;
    default:
      return undefined;
  }
}

/** What still stands: verified entries, and why the others are not. */
function stands(h: HeadlineInput): string {
  const c = h.coverage;
  const n = h.entryCount;
  if (n === 0)
    return h.verdict === 'PASS' ? 'The export holds no entries, as the log signed.' : 'The export holds no entries.';
  const parts: string[] = [];
  if (n === 1) parts.push(c.verified === 1 ? 'The only entry is verified' : 'The only entry cannot be verified');
  else if (c.verified === n) parts.push(`All ${entriesCount(n)} are verified`);
  else if (c.verified > 0)
    parts.push(
      `${num(c.verified)} of ${entriesCount(n)} are verified${h.provenPrefix > 0 && h.provenPrefix < n ? ` (up to the signed checkpoint of size ${num(h.provenPrefix)})` : ''}`,
    );
  else parts.push(`None of the ${entriesCount(n)} can be verified`);
  if (c.failed > 0) parts.push(`${num(c.failed)} failed`);
  const nlp = reasonCount(c, 'ROOT_NO_LONGER_MATCHES');
  if (nlp > 0) parts.push(`${num(nlp)} ${nlp === 1 ? 'is' : 'are'} no longer proven by a signed root`);
  const unsealed = reasonCount(c, 'NO_TRUSTED_CHECKPOINT');
  if (unsealed > 0 && c.verified > 0)
    parts.push(`${num(unsealed)} ${unsealed === 1 ? 'is' : 'are'} not covered by a trusted checkpoint`);
  const unchecked = reasonCount(c, 'SIGNER_NOT_TRUSTED') + reasonCount(c, 'SIGNATURE_TIME_NOT_ESTABLISHED');
  if (unchecked > 0)
    parts.push(
      `${num(unchecked)} ${unchecked === 1 ? 'has a signature' : 'have signatures'} that could not be checked`,
    );
  return `${parts.join('; ')}.`;
}

function largestMatching(cps: readonly CheckpointReport[]): number | undefined {
  const sizes = cps
    .filter((c) => c.status === 'trusted' && c.rootStatus === 'match' && c.size !== undefined)
    .map((c) => c.size as number);
  return sizes.length ? Math.max(...sizes) : undefined;
}

export function headlineOf(h: HeadlineInput): string {
  const problems = h.diagnosis.filter((c) => c.severity !== 'info');
  if (h.verdict === 'PASS') {
    const size = largestMatching(h.checkpoints);
    if (h.entryCount === 0) return "The export holds no entries, and the log's signed checkpoint of size 0 agrees.";
    const what =
      h.entryCount === 1
        ? 'The only entry is verified: it matches'
        : `All ${entriesCount(h.entryCount)} are verified: they match`;
    return `${what} the log's signed checkpoint${size !== undefined ? ` of size ${num(size)}` : 's'}.`;
  }
  const first = problems[0];
  if (!first) return stands(h);
  const same = problems.filter((c) => c.cause === first.cause && c.severity === first.severity);
  const lead = (same.length > 1 ? manySummary(first.cause, same) : undefined) ?? causeSummary(first);
  const others = problems.length - (same.length > 1 && manySummary(first.cause, same) ? same.length : 1);
  const more = others > 0 ? `, and ${count(others, 'other problem was', 'other problems were')} found` : '';
  return `${lead}${more}. ${stands(h)}`;
}
