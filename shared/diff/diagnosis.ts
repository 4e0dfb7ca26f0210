/**
 * The diagnosis of a comparison, in the causes of a single verification (shared/verdict/cause.ts):
 * with a second export of the same log the evidence is stronger, so a rewrite is pinned to the
 * exact entries removed, inserted, changed or re-chained, on the side that departs from the
 * signed history. The headline says it in one sentence, as a verification's does.
 */
import { capitalize, count, entriesCount, entrySpan, num } from '../present/words.js';
import type { Cause, CauseCode, EntrySpan } from '../verdict/cause.js';
import type { EntryOp } from './entries.js';
import type { DiffResult, Side } from './model.js';

type DiffFacts = Omit<DiffResult, 'headline' | 'diagnosis'>;

const other = (s: Side): Side => (s === 'A' ? 'B' : 'A');

interface Change {
  readonly cause: CauseCode;
  /** Index in the departing export (for an entry it lacks: where it would be). */
  readonly at: number;
  /** Index in the faithful export, when the entry is there. */
  readonly faithful?: number;
  readonly fields?: readonly string[];
}

/**
 * Ops are written A → B (removed: in A only; inserted: in B only). Seen from the departing side D
 * against the faithful side F: an entry only F holds was removed from D, one only D holds was
 * inserted into D, a pair that differs was altered in D. Positions in D of entries it lacks are
 * counted from the ops before them.
 */
function changesOf(ops: readonly EntryOp[], departing: Side): Change[] {
  let delta = 0; // B index minus A index at the current point
  const out: Change[] = [];
  for (const op of ops) {
    if (op.op === 'changed') {
      delta = op.b.index - op.a.index;
      const [d, f] = departing === 'B' ? [op.b.index, op.a.index] : [op.a.index, op.b.index];
      out.push({ cause: 'ENTRY_ALTERED', at: d, faithful: f, fields: op.fields });
    } else if (op.op === 'removed') {
      // In A only.
      out.push(
        departing === 'B'
          ? { cause: 'ENTRIES_REMOVED', at: op.a.index + delta, faithful: op.a.index }
          : { cause: 'ENTRIES_INSERTED', at: op.a.index },
      );
      delta--;
    } else {
      out.push(
        departing === 'B'
          ? { cause: 'ENTRIES_INSERTED', at: op.b.index }
          : { cause: 'ENTRIES_REMOVED', at: op.b.index - delta, faithful: op.b.index },
      );
      delta++;
    }
  }
  return out;
}

/** Neighbouring changes of one kind are one cause over their range. */
function group(
  changes: readonly Change[],
): Array<{ cause: CauseCode; span: EntrySpan; faithful?: EntrySpan; fields: Set<string>; n: number }> {
  const out: Array<{ cause: CauseCode; span: EntrySpan; faithful?: EntrySpan; fields: Set<string>; n: number }> = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    const removed = c.cause === 'ENTRIES_REMOVED';
    const next = removed ? last?.span.from : last?.span.to;
    if (
      last &&
      last.cause === c.cause &&
      next === c.at &&
      (!removed || (last.faithful && c.faithful === last.faithful.to))
    ) {
      if (!removed) last.span = { from: last.span.from, to: c.at + 1 };
      if (last.faithful && c.faithful !== undefined) last.faithful = { from: last.faithful.from, to: c.faithful + 1 };
      for (const f of c.fields ?? []) last.fields.add(f);
      last.n++;
    } else {
      out.push({
        cause: c.cause,
        span: removed ? { from: c.at, to: c.at } : { from: c.at, to: c.at + 1 },
        ...(c.faithful !== undefined ? { faithful: { from: c.faithful, to: c.faithful + 1 } } : {}),
        fields: new Set(c.fields ?? []),
        n: 1,
      });
    }
  }
  return out;
}

function changeText(g: ReturnType<typeof group>[number], d: Side, f: Side): string {
  switch (g.cause) {
    case 'ENTRIES_REMOVED': {
      const where =
        g.span.from === 0
          ? `before entry 0 of ${d}`
          : `between entries ${num(g.span.from - 1)} and ${num(g.span.from)} of ${d}`;
      return `${capitalize(entriesCount(g.n))} of ${f} (${g.faithful ? entrySpan(g.faithful.from, g.faithful.to) : '?'}) ${g.n === 1 ? 'is' : 'are'} missing from ${d}: removed ${where}.`;
    }
    case 'ENTRIES_INSERTED':
      return `${capitalize(entrySpan(g.span.from, g.span.to))} of ${d} ${g.n === 1 ? 'is' : 'are'} not in ${f}: inserted.`;
    default: {
      const fields = [...g.fields].slice(0, 6);
      return `${capitalize(entrySpan(g.span.from, g.span.to))} of ${d} ${g.n === 1 ? 'differs' : 'differ'} from ${f}'s${g.faithful ? ` ${entrySpan(g.faithful.from, g.faithful.to)}` : ''}${fields.length ? ` in ${fields.join(', ')}` : ''}: altered.`;
    }
  }
}

function rewriteCauses(r: DiffFacts): Cause[] {
  const departing = r.rewritten && r.rewritten.side !== 'unknown' ? r.rewritten.side : 'B';
  const faithful = other(departing);
  const d = r.entryDiff;
  const at = r.rewritten?.index ?? r.commonPrefix;
  const causes: Cause[] = [];
  if (d && d.ops.length) {
    for (const g of group(changesOf(d.ops, departing))) {
      causes.push({
        cause: g.cause,
        severity: 'error',
        entries: g.span,
        findings: [],
        text: changeText(g, departing, faithful),
      });
    }
  }
  for (const run of d?.relinked ?? []) {
    const [from, to] = departing === 'B' ? run.b : run.a;
    causes.push({
      cause: 'HISTORY_REWRITTEN',
      severity: 'error',
      entries: { from, to },
      findings: [],
      text: `${capitalize(entrySpan(from, to))} of ${departing} were re-chained: only ${run.fields.join(' and ')} differ from ${faithful}'s, recomputed to hide the change before them.`,
    });
  }
  if (!causes.length) {
    causes.push({
      cause: 'HISTORY_REWRITTEN',
      severity: 'error',
      entries: { from: at, to: at + 1 },
      findings: [],
      text: `The exports differ from entry ${num(at)} on; the entries there could not be compared one by one.`,
    });
  }
  const known = r.rewritten?.side !== undefined && r.rewritten.side !== 'unknown';
  if (!known) {
    for (const c of causes)
      (c as { text: string }).text +=
        ` No signed checkpoint covers entry ${num(at)}, so which export departs from the log is not shown; ${departing} is named the departing one only for the wording.`;
  }
  return causes;
}

function forkCauses(r: DiffFacts): Cause[] {
  return r.forks.map((f) => ({
    cause: 'CHECKPOINTS_CONFLICT' as const,
    severity: 'error' as const,
    checkpoints: [
      { file: `${f.smaller.side}:${f.smaller.file}`, size: f.smaller.size },
      { file: `${f.larger.side}:${f.larger.file}`, size: f.larger.size },
    ],
    findings: [],
    text:
      f.kind === 'same-size'
        ? `The log signed two different roots for size ${num(f.smaller.size)} (${f.smaller.side} and ${f.larger.side}) with the same key: it signed two histories.`
        : `The log's checkpoint of size ${num(f.smaller.size)} (${f.smaller.side}) is not a prefix of its checkpoint of size ${num(f.larger.size)} (${f.larger.side}), both signed by the same key: it signed two histories.`,
  }));
}

function truncationCauses(r: DiffFacts): Cause[] {
  return r.truncation.map((t) => ({
    cause: 'LOG_TRUNCATED' as const,
    severity: 'error' as const,
    entries: { from: t.held, to: t.held },
    findings: [],
    text: `Export ${t.side} holds ${entriesCount(t.held)}; its own signed checkpoints commit to ${num(t.committed)}: the last ${entriesCount(t.committed - t.held)} are missing from it.`,
  }));
}

function headlineOf(r: DiffFacts, causes: readonly Cause[]): string {
  const agree = `The exports agree on their first ${entriesCount(r.commonPrefix)}.`;
  switch (r.verdict) {
    case 'IDENTICAL':
      return `Both exports hold the same ${entriesCount(r.a.entryCount)}.`;
    case 'B_EXTENDS_A':
    case 'A_EXTENDS_B': {
      const longer = r.verdict === 'B_EXTENDS_A' ? 'B' : 'A';
      return `${longer} consistently extends ${other(longer)}: the ${entriesCount(r.commonPrefix)} of ${other(longer)} are exactly the start of ${longer}, and every signed checkpoint agrees.`;
    }
    default: {
      const first = causes[0];
      if (!first) return agree;
      const more =
        causes.length > 1 ? `, and ${count(causes.length - 1, 'other change was', 'other changes were')} found` : '';
      const lead = first.text.replace(/\.$/, '');
      return `${lead}${more}. ${agree}`;
    }
  }
}

export function diffDiagnosis(r: DiffFacts): { readonly headline: string; readonly diagnosis: readonly Cause[] } {
  const causes =
    r.verdict === 'FORKED'
      ? [...forkCauses(r), ...rewriteCauses(r)]
      : r.verdict === 'REWRITTEN'
        ? rewriteCauses(r)
        : r.verdict === 'TRUNCATED'
          ? truncationCauses(r)
          : [];
  return { headline: headlineOf(r, causes), diagnosis: causes };
}
