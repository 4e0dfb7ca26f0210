/**
 * The diagnosis: what happened to the evidence, most fundamental cause first, with the exact
 * entries and what still stands. It runs after every check, before the result is finished
 * (verdict/finish.ts), for every input format, and reads only what the checks produced:
 * findings, checkpoint reports and, where the format has them, authenticated subtrees.
 *
 * Consequences are folded under their cause: a root mismatch caused by an altered entry, the
 * manifest digest of an entries file that was edited, a checkpoint beyond the entries because
 * an entry was removed. Independent causes are each listed.
 */

import {
  capitalize,
  checkpointSizes,
  count,
  entriesCount,
  entrySpan,
  joinAnd,
  num,
  seqSpan,
} from '../present/words.js';
import { CAUSE_CODES, type Cause, type CauseCode, type SignerSeen } from './cause.js';
import {
  type ChainBreak,
  type EntrySpan,
  entryIncidents,
  type Incident,
  type IncidentKind,
  runsOf,
  type SeqStep,
} from './entry-incidents.js';
import type { EvidenceValue, Finding, FindingCode, Severity } from './findings.js';
import type { CheckpointReport, ProofReport } from './result.js';

export type { EntrySpan } from './entry-incidents.js';
export type { Cause, CauseCode, SignerSeen };

/** Range facts from authenticated Merkle material (inclusion proofs): does the export's subtree match? */
export interface SubtreeFact {
  readonly from: number;
  readonly to: number;
  readonly matches: boolean;
  /** The file whose signed material authenticates it. */
  readonly source: string;
}

export interface DiagnosisInput {
  readonly entryCount: number;
  /** Findings after the per-code cap, in the standard order (findings.ts compareFindings). */
  readonly findings: readonly Finding[];
  /** Counted but not listed, per code: facts past the cap are not analysed entry by entry. */
  readonly omitted: Readonly<Partial<Record<FindingCode, number>>>;
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  /** The entries file (its manifest findings are consequences of entry causes). */
  readonly entriesFile?: string;
  /** first_seq, for formats whose entries carry sequence numbers. */
  readonly firstSeq?: number;
  readonly subtrees?: readonly SubtreeFact[];
  readonly sameEntry?: (a: number, b: number) => boolean | undefined;
  /**
   * Whether the checkpoints commit to prefixes of the entries (bundles, C2SP logs: a matching
   * root of size n proves entries [0, n)). Formats whose entries are judged one by one
   * (Sigstore, CT, CloudTrail) say false, and their checkpoints' roots are not read so.
   */
  readonly prefixTree?: boolean;
}

/** A cause before its findings are numbered: the finisher orders findings, then numbers them. */
export interface DraftCause extends Omit<Cause, 'findings'> {
  readonly refs: readonly Finding[];
}

export interface DiagnosisOutput {
  readonly causes: readonly DraftCause[];
  /** Entries the evidence shows to be changed, inserted or moved. */
  readonly changed: readonly EntrySpan[];
  /** Entries that break the entry rules where nothing shows a change (the log recorded them so, or no root covers them). */
  readonly defective: readonly EntrySpan[];
  /** [0, provenPrefix) is proven by a matching trusted root. */
  readonly provenPrefix: number;
  /** Entries under a trusted root that no longer matches (or cannot be computed), not otherwise failed. */
  readonly noLongerProven: readonly EntrySpan[];
  /** Chain and sequence anomalies past the per-code cap were not analysed one by one. */
  readonly incomplete: boolean;
}

const ENTRY_ERROR_CODES: ReadonlySet<FindingCode> = new Set([
  'ENTRY_MALFORMED',
  'ENTRY_FIELD_INVALID',
  'ENTRY_TOO_LARGE',
  'TIMESTAMP_INVALID',
  'SIGNATURE_INVALID',
]);
const SEQ_UNREADABLE_CODES: ReadonlySet<FindingCode> = new Set(['ENTRY_MALFORMED', 'ENTRY_TOO_LARGE']);
const ENTRY_FACT_CODES: ReadonlySet<FindingCode> = new Set([
  'CHAIN_BROKEN',
  'SEQ_GAP',
  'SEQ_REGRESSION',
  'TIMESTAMP_REGRESSION',
  ...ENTRY_ERROR_CODES,
  'PROOF_LEAF_MISMATCH',
]);
const CHANGING_KINDS: ReadonlySet<IncidentKind> = new Set([
  'ENTRY_ALTERED',
  'ENTRIES_REMOVED',
  'ENTRIES_INSERTED',
  'ENTRIES_DUPLICATED',
  'ENTRIES_REORDERED',
  'ENTRY_INVALID',
]);
/** More causes of one kind than this are summed up in one cause with its ranges. */
const MAX_CAUSES_PER_KIND = 10;

function num64(v: EvidenceValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

function str(v: EvidenceValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const isEntryFinding = (f: Finding) => f.location.entry !== undefined;

/** Severity of a group of findings: the worst of them. */
function worst(refs: readonly Finding[], fallback: Severity = 'warning'): Severity {
  if (refs.some((f) => f.severity === 'error')) return 'error';
  if (refs.some((f) => f.severity === 'warning')) return 'warning';
  return refs.length ? 'info' : fallback;
}

/** Everything the entry-level analysis reads, taken from the listed findings. */
function entryFactsOf(input: DiagnosisInput, provenPrefix: number, provenIntact: (i: number) => boolean) {
  const breaks: ChainBreak[] = [];
  const steps: SeqStep[] = [];
  const timeRegressions: number[] = [];
  const entryErrors: number[] = [];
  const seqUnknown: number[] = [];
  for (const f of input.findings) {
    const i = f.location.entry;
    if (i === undefined || i >= input.entryCount) continue;
    const ev = f.evidence ?? {};
    switch (f.code) {
      case 'CHAIN_BROKEN': {
        const expected = str(ev.expected);
        const actual = str(ev.actual);
        breaks.push({ index: i, ...(expected ? { expected } : {}), ...(actual ? { actual } : {}) });
        break;
      }
      case 'SEQ_GAP':
      case 'SEQ_REGRESSION': {
        const expected = num64(ev.expected);
        const actual = num64(ev.actual);
        if (expected !== undefined && actual !== undefined) steps.push({ index: i, expected, actual });
        break;
      }
      case 'TIMESTAMP_REGRESSION':
        timeRegressions.push(i);
        break;
      default:
        break;
    }
    if (ENTRY_ERROR_CODES.has(f.code)) entryErrors.push(i);
    if (SEQ_UNREADABLE_CODES.has(f.code) || (f.code === 'ENTRY_FIELD_INVALID' && ev.member === 'seq'))
      seqUnknown.push(i);
  }
  const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  const byIndex = <T extends { index: number }>(xs: T[]) =>
    xs.filter((x, k) => k === 0 || x.index !== (xs[k - 1] as T).index).sort((a, b) => a.index - b.index);
  return {
    entryCount: input.entryCount,
    ...(input.firstSeq !== undefined ? { firstSeq: input.firstSeq } : {}),
    breaks: byIndex(breaks),
    seqSteps: byIndex(steps),
    timeRegressions: uniq(timeRegressions),
    entryErrors: uniq(entryErrors),
    seqUnknown: uniq(seqUnknown),
    provenPrefix,
    provenIntact,
    ...(input.sameEntry ? { sameEntry: input.sameEntry } : {}),
  };
}

interface TrustedView {
  readonly provenPrefix: number;
  readonly matching: readonly CheckpointReport[];
  readonly mismatching: readonly CheckpointReport[];
  readonly beyond: readonly CheckpointReport[];
  readonly trustedCount: number;
}

function trustedView(cps: readonly CheckpointReport[]): TrustedView {
  const trusted = cps.filter((c) => c.status === 'trusted' && c.size !== undefined);
  const matching = trusted.filter((c) => c.rootStatus === 'match');
  return {
    provenPrefix: matching.reduce((m, c) => Math.max(m, c.size as number), 0),
    matching,
    mismatching: trusted.filter((c) => c.rootStatus === 'mismatch'),
    beyond: trusted.filter((c) => c.rootStatus === 'beyond-entries'),
    trustedCount: trusted.length,
  };
}

/** Mutable state while causes are built: which findings are already assigned. */
class Assign {
  readonly causes: DraftCause[] = [];
  readonly #used = new Set<Finding>();
  readonly #byCode = new Map<FindingCode, Finding[]>();
  readonly #byEntry = new Map<number, Finding[]>();
  readonly #pos = new Map<Finding, number>();
  constructor(readonly findings: readonly Finding[]) {
    // Indexed once: the causes take findings by code or by entry, never by scanning them all.
    for (const [k, f] of findings.entries()) {
      this.#pos.set(f, k);
      const c = this.#byCode.get(f.code);
      if (c) c.push(f);
      else this.#byCode.set(f.code, [f]);
      const e = f.location.entry;
      if (e === undefined) continue;
      const l = this.#byEntry.get(e);
      if (l) l.push(f);
      else this.#byEntry.set(e, [f]);
    }
  }
  #mark(out: Finding[]): Finding[] {
    for (const f of out) this.#used.add(f);
    return out;
  }
  /** The unused findings of these codes (that pass `pred`), in their order. */
  take(codes: FindingCode | readonly FindingCode[], pred: (f: Finding) => boolean = () => true): Finding[] {
    const list = typeof codes === 'string' ? [codes] : codes;
    const out: Finding[] = [];
    for (const code of list)
      for (const f of this.#byCode.get(code) ?? []) if (!this.#used.has(f) && pred(f)) out.push(f);
    if (list.length > 1) out.sort((x, y) => (this.#pos.get(x) ?? 0) - (this.#pos.get(y) ?? 0));
    return this.#mark(out);
  }
  /** The unused findings at these entries whose code is in `codes`. */
  takeAt(entries: Iterable<number>, codes: ReadonlySet<FindingCode>): Finding[] {
    const out: Finding[] = [];
    for (const e of new Set(entries))
      for (const f of this.#byEntry.get(e) ?? []) if (!this.#used.has(f) && codes.has(f.code)) out.push(f);
    return this.#mark(out);
  }
  /** These findings, where still unused. */
  takeList(list: readonly Finding[]): Finding[] {
    return this.#mark(list.filter((f) => !this.#used.has(f)));
  }
  /** The unused findings of a code, grouped by a key (once, so per-checkpoint lookups stay cheap). */
  group(code: FindingCode, key: (f: Finding) => string): Map<string, Finding[]> {
    const m = new Map<string, Finding[]>();
    for (const f of this.#byCode.get(code) ?? []) {
      if (this.#used.has(f)) continue;
      const k = key(f);
      const l = m.get(k);
      if (l) l.push(f);
      else m.set(k, [f]);
    }
    return m;
  }
  add(c: Omit<DraftCause, 'severity'> & { severity?: Severity }): DraftCause {
    const full: DraftCause = { ...c, severity: c.severity ?? worst(c.refs) };
    this.causes.push(full);
    return full;
  }
}

/** What one incident says, in words. */
function incidentText(inc: Incident, firstSeq: number | undefined): string {
  const e = inc.entries;
  const seq = inc.seq ? ` (${seqSpan(inc.seq.from, inc.seq.to)})` : '';
  switch (inc.kind) {
    case 'ENTRY_ALTERED': {
      const d = inc.detail;
      const many = e.to - e.from > 1;
      if (d.tile !== undefined)
        return `${capitalize(entrySpan(e.from, e.to))} was altered: its hash differs from the one the log's published tile ${d.tile} gives for it.`;
      const how = d.seqChanged
        ? `: its seq reads ${num(d.seqChanged.actual)} where ${num(d.seqChanged.expected)} belongs`
        : d.prevChanged
          ? ': its recorded link to the entry before it was changed'
          : many
            ? `: their bytes no longer give the links ${entrySpan(e.from + 1, e.to + 1)} recorded`
            : `: its bytes no longer give the link ${entrySpan(e.to, e.to + 1)} recorded`;
      const sig = d.entryError
        ? ` ${many ? 'Some fail' : 'It fails'} the entry rules too (a signature that no longer verifies, or malformed content).`
        : '';
      return `${capitalize(entrySpan(e.from, e.to))} ${many ? 'were' : 'was'} altered${how}.${sig}`;
    }
    case 'ENTRIES_REMOVED': {
      const n = inc.seq ? inc.seq.to - inc.seq.from : 0;
      const where = e.from === 0 ? 'before entry 0' : `between entries ${num(e.from - 1)} and ${num(e.from)}`;
      return `${capitalize(entriesCount(n))}${seq} ${n === 1 ? 'was' : 'were'} removed ${where}.`;
    }
    case 'ENTRIES_INSERTED':
      return `${capitalize(entrySpan(e.from, e.to))}${seq} ${e.to - e.from === 1 ? 'was' : 'were'} inserted: ${e.to - e.from === 1 ? 'it does' : 'they do'} not belong to the log's sequence at this place.`;
    case 'ENTRIES_DUPLICATED': {
      const of = inc.detail.duplicateOf ?? [];
      return `${capitalize(entrySpan(e.from, e.to))}${seq} ${e.to - e.from === 1 ? 'is a copy' : 'are copies'} of ${of.length === 1 ? `entry ${num(of[0] as number)}` : 'earlier entries'}, inserted a second time.`;
    }
    case 'ENTRIES_REORDERED':
      return inc.detail.movedFrom !== undefined
        ? `${capitalize(entrySpan(e.from, e.to))}${seq} was moved here from between entries ${num(inc.detail.movedFrom - 1)} and ${num(inc.detail.movedFrom)}.`
        : `${capitalize(entrySpan(e.from, e.to))} are out of order${seq}: the same entries, in another order.`;
    case 'ENTRY_INVALID':
      return inc.detail.defect === 'time'
        ? `${capitalize(entrySpan(e.from, e.to))} has a ts earlier than the entry before it, and no signed root shows the log wrote it so.`
        : `${capitalize(entrySpan(e.from, e.to))} breaks the bundle's entry rules (malformed, or its signature does not verify), and no signed root shows the log wrote it so.`;
    case 'LOG_DEFECT': {
      const what: Record<NonNullable<Incident['detail']['defect']>, string> = {
        chain: 'does not link to the entry before it',
        'sequence-gap': `skips ${seqSpan(inc.seq?.from ?? 0, inc.seq?.to ?? 0)} in the log's numbering`,
        'sequence-repeat': "repeats a seq value of the log's numbering",
        time: 'has a ts earlier than the entry before it',
        entry: "breaks the bundle's entry rules",
      };
      const d = inc.detail.defect ?? 'entry';
      return `${capitalize(entrySpan(e.from, e.to))} ${what[d]}, and the log recorded it so (the entries agree with their chain${d === 'time' ? '' : ' and the signed root'}): a defect of the log itself, not of this copy.`;
    }
  }
  void firstSeq;
}

/** Causes from the entry incidents; one per incident, or summed up when there are many of one kind. */
function incidentCauses(
  a: Assign,
  incidents: readonly Incident[],
  input: DiagnosisInput,
  extraRefs: ReadonlyMap<Incident, readonly Finding[]>,
): Map<Incident, DraftCause> {
  const byCause = new Map<Incident, DraftCause>();
  const byKind = new Map<IncidentKind, Incident[]>();
  for (const inc of incidents) {
    const list = byKind.get(inc.kind) ?? [];
    list.push(inc);
    byKind.set(inc.kind, list);
  }
  for (const [kind, list] of byKind) {
    const head = list.length <= MAX_CAUSES_PER_KIND + 1 ? list : list.slice(0, MAX_CAUSES_PER_KIND);
    const tail = list.slice(head.length);
    for (const inc of head) {
      const at = new Set(inc.explains);
      const own = extraRefs.get(inc) ?? [];
      const refs = [...a.takeList(own), ...a.takeAt(at, ENTRY_FACT_CODES)];
      const c = a.add({
        cause: kind,
        entries: inc.entries,
        ...(inc.seq ? { seq: inc.seq } : {}),
        refs,
        text: incidentText(inc, input.firstSeq),
        severity: kind === 'LOG_DEFECT' ? worst(refs, 'error') : 'error',
      });
      byCause.set(inc, c);
    }
    if (tail.length) {
      const at = new Set(tail.flatMap((i) => i.explains));
      const refs = a.takeAt(at, ENTRY_FACT_CODES);
      const ranges = tail.map((i) => i.entries);
      const from = Math.min(...ranges.map((r) => r.from));
      const to = Math.max(...ranges.map((r) => r.to));
      const n = tail.reduce((s, i) => s + Math.max(1, i.entries.to - i.entries.from), 0);
      const what: Record<IncidentKind, string> = {
        ENTRY_ALTERED: 'altered',
        ENTRIES_REMOVED: 'removals',
        ENTRIES_INSERTED: 'inserted',
        ENTRIES_DUPLICATED: 'duplicated',
        ENTRIES_REORDERED: 'out of order',
        ENTRY_INVALID: 'invalid',
        LOG_DEFECT: 'recorded wrongly by the log',
      };
      const c = a.add({
        cause: kind,
        entries: { from, to },
        ranges,
        refs,
        text: `${capitalize(count(tail.length, 'more place', 'more places'))} between entries ${num(from)} and ${num(Math.max(from, to - 1))} (${entriesCount(n)}, ${what[kind]}): each is listed in the findings and the coverage ranges.`,
        severity: kind === 'LOG_DEFECT' ? worst(refs, 'error') : 'error',
      });
      for (const inc of tail) byCause.set(inc, c);
    }
  }
  return byCause;
}

/** Removed minus inserted entries, by the incidents: how far the export's length moved from the log's. */
function netRemoved(incidents: readonly Incident[]): number {
  let n = 0;
  for (const inc of incidents) {
    if (inc.kind === 'ENTRIES_REMOVED' && inc.seq) n += inc.seq.to - inc.seq.from;
    if (inc.kind === 'ENTRIES_INSERTED' || inc.kind === 'ENTRIES_DUPLICATED') n -= inc.entries.to - inc.entries.from;
  }
  return n;
}

/** The narrowest range the authenticated subtrees allow for a change within [lo, hi). */
function narrow(lo: number, hi: number, facts: readonly SubtreeFact[]): { from: number; to: number; by?: string } {
  let from = lo;
  let to = hi;
  let by: string | undefined;
  const intact = facts.filter((f) => f.matches).sort((x, y) => x.from - y.from);
  for (const f of facts.filter((x) => !x.matches)) {
    if (f.from >= from && f.to <= to && f.to - f.from < to - from) {
      from = f.from;
      to = f.to;
      by = f.source;
    }
  }
  // Trim intact parts at both ends.
  for (let moved = true; moved; ) {
    moved = false;
    for (const f of intact) {
      if (f.from <= from && f.to > from && f.to < to) {
        from = f.to;
        moved = true;
        by ??= f.source;
      }
      if (f.to >= to && f.from < to && f.from > from) {
        to = f.from;
        moved = true;
        by ??= f.source;
      }
    }
  }
  return { from, to, ...(by ? { by } : {}) };
}

function cpRef(c: CheckpointReport): { file: string; size?: number } {
  return c.size !== undefined ? { file: c.file, size: c.size } : { file: c.file };
}

/** Adds findings to a cause already assigned (draft causes are built up in place). */
function foldInto(cause: DraftCause, refs: readonly Finding[]): void {
  (cause.refs as Finding[]).push(...refs);
}

/** The entry causes the merkle steps fold under. */
interface EntryCauses {
  /** Incidents that change a leaf, in position order. */
  readonly changing: readonly Incident[];
  readonly byIncident: ReadonlyMap<Incident, DraftCause>;
}

/** Root mismatches and checkpoints beyond the entries: folded under entry causes, or causes of their own. */
function merkleCauses(
  a: Assign,
  input: DiagnosisInput,
  view: TrustedView,
  incidents: readonly Incident[],
  byIncident: ReadonlyMap<Incident, DraftCause>,
): void {
  // A ts out of order changes no leaf: it cannot be why a root no longer matches.
  const changing = incidents
    .filter((i) => CHANGING_KINDS.has(i.kind) && i.detail.defect !== 'time')
    .sort((x, y) => x.position - y.position);
  const ec: EntryCauses = { changing, byIncident };
  const rewrite = rootMismatchCauses(a, input, view, ec);
  if (!view.beyond.length) return;
  beyondEntriesCauses(a, input, view, ec, input.entryCount + netRemoved(incidents), rewrite);
}

/**
 * Root mismatches: within the proven prefix the log signed two histories; beyond it, folded under
 * the first leaf-changing incident before the checkpoint's size, else one rewrite cause (returned).
 */
function rootMismatchCauses(
  a: Assign,
  input: DiagnosisInput,
  view: TrustedView,
  ec: EntryCauses,
): DraftCause | undefined {
  // A root that disagrees with a larger matching one: the log signed two histories.
  const bySize = (f: Finding) => String(f.location.checkpointSize);
  const mismatchBySize = a.group('ROOT_MISMATCH', bySize);
  const conflictBySize = a.group('CHECKPOINT_CONFLICT', bySize);
  for (const c of view.mismatching.filter((x) => (x.size as number) <= view.provenPrefix)) {
    const k = String(c.size);
    const refs = a.takeList([...(mismatchBySize.get(k) ?? []), ...(conflictBySize.get(k) ?? [])]);
    a.add({
      cause: 'CHECKPOINTS_CONFLICT',
      checkpoints: [cpRef(c)],
      refs,
      severity: 'error',
      text: `The log signed a root for size ${num(c.size as number)} (${c.file}) that is not the root of the first ${num(c.size as number)} entries of the tree it signed at size ${num(view.provenPrefix)}: the log signed two different histories.`,
    });
  }
  const unexplained: CheckpointReport[] = [];
  for (const c of view.mismatching.filter((x) => (x.size as number) > view.provenPrefix)) {
    const size = c.size as number;
    const inc = ec.changing.find((i) => i.position < size);
    const cause = inc ? ec.byIncident.get(inc) : undefined;
    if (cause)
      foldInto(cause, a.takeList((mismatchBySize.get(String(c.size)) ?? []).filter((f) => f.location.file === c.file)));
    else unexplained.push(c);
  }
  return unexplained.length ? rewriteCause(a, input, view, unexplained) : undefined;
}

/**
 * Checkpoints that commit to more entries than the export holds (`original`: the entry count
 * before removals): folded under the rewrite or the first removal, or a truncation cause.
 */
function beyondEntriesCauses(
  a: Assign,
  input: DiagnosisInput,
  view: TrustedView,
  ec: EntryCauses,
  original: number,
  rewrite: DraftCause | undefined,
): void {
  const committed = Math.max(...view.beyond.map((c) => c.size as number));
  const missing = committed - original;
  const beyondRefs = a.take('CHECKPOINT_BEYOND_ENTRIES');
  if (missing > 0 && rewrite) {
    // The rewrite may have removed entries anywhere after its start: say so, do not guess the tail.
    foldInto(rewrite, [...beyondRefs, ...a.take('ENTRIES_TRUNCATED')]);
    (rewrite as { text: string }).text +=
      ` The export also holds ${entriesCount(missing)} fewer than the log signed (${num(committed)}).`;
  } else if (missing > 0) {
    const trailing = a.take('ENTRIES_TRUNCATED');
    const seqFrom = input.firstSeq !== undefined ? input.firstSeq + original : undefined;
    const last = missing === 1 ? 'entry' : entriesCount(missing);
    a.add({
      cause: 'LOG_TRUNCATED',
      entries: { from: input.entryCount, to: input.entryCount },
      ...(seqFrom !== undefined ? { seq: { from: seqFrom, to: seqFrom + missing } } : {}),
      checkpoints: view.beyond.map(cpRef),
      refs: [...beyondRefs, ...trailing],
      severity: 'error',
      text: `The export was cut short: the log signed ${entriesCount(committed)}, the export holds ${num(input.entryCount)}; the last ${last}${seqFrom !== undefined ? ` (${seqSpan(seqFrom, seqFrom + missing)})` : ''} ${missing === 1 ? 'is' : 'are'} missing.`,
    });
  } else {
    const first = ec.changing.find((i) => i.kind === 'ENTRIES_REMOVED');
    const cause = first ? ec.byIncident.get(first) : undefined;
    if (cause) foldInto(cause, beyondRefs);
    else
      a.add({
        cause: 'LOG_TRUNCATED',
        entries: { from: input.entryCount, to: input.entryCount },
        checkpoints: view.beyond.map(cpRef),
        refs: beyondRefs,
        severity: 'error',
        text: `The log signed ${entriesCount(committed)}; the export holds ${num(input.entryCount)}.`,
      });
  }
}

/** A root mismatch no entry cause explains: the chain was recomputed. Located as narrowly as the signed evidence allows. */
function rewriteCause(
  a: Assign,
  input: DiagnosisInput,
  view: TrustedView,
  unexplained: readonly CheckpointReport[],
): DraftCause {
  const sizes = unexplained.map((c) => c.size as number);
  const n = narrow(view.provenPrefix, Math.min(...sizes), input.subtrees ?? []);
  const keys = new Set(unexplained.map((c) => `${c.file}\u0000${c.size}`));
  const refs = a.take('ROOT_MISMATCH', (f) => keys.has(`${f.location.file}\u0000${f.location.checkpointSize}`));
  const single = n.to - n.from === 1;
  const atEnd = n.to >= input.entryCount;
  const by = n.by ? ` (shown by ${n.by})` : '';
  const why = atEnd
    ? 'and its chain and sequence do not show where (they were recomputed, or the last entry changed: no later entry records its link)'
    : 'although its chain and sequence are consistent: they were recomputed after the change';
  return a.add({
    cause: single ? 'ENTRY_ALTERED' : 'HISTORY_REWRITTEN',
    entries: { from: n.from, to: n.to },
    checkpoints: unexplained.map(cpRef),
    refs,
    severity: 'error',
    text: single
      ? `${capitalize(entrySpan(n.from, n.to))} is not the entry the log signed${by}: the export no longer matches ${checkpointSizes(sizes)}.`
      : `History was rewritten: the export no longer matches ${checkpointSizes(sizes)}, ${why}. The change lies within ${entrySpan(n.from, n.to)}, the narrowest range the signed evidence allows${by}.`,
  });
}

/** Signers of untrusted checkpoints, without repeats. */
function signersSeen(cps: readonly CheckpointReport[]): SignerSeen[] {
  const seen = new Map<string, SignerSeen>();
  for (const c of cps) {
    for (const s of c.signatures) {
      if (s.status !== 'unknown-key' && s.status !== 'bundle-key') continue;
      const k = `${s.name}\u0000${s.keyId}`;
      if (!seen.has(k))
        seen.set(k, { name: s.name, keyId: s.keyId, ...(s.fingerprint ? { fingerprint: s.fingerprint } : {}) });
    }
  }
  return [...seen.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.keyId < y.keyId ? -1 : 1));
}

function signerWords(s: SignerSeen): string {
  return `${s.name} (key ID ${s.keyId}${s.fingerprint ? `, shipped in the bundle as ${s.fingerprint.slice(0, 16)}…` : ''})`;
}

const cpLevel = (f: Finding) => f.location.entry === undefined;

/** Checkpoints a trusted key's failing signature shows forged or changed; equivocation; another log's checkpoints. */
function checkpointCauses(a: Assign, input: DiagnosisInput): void {
  const invalidByFile = a.group('SIGNATURE_INVALID', (f) => (cpLevel(f) ? (f.location.file ?? '') : '\u0000entry'));
  for (const c of input.checkpoints) {
    const refs = a.takeList(invalidByFile.get(c.file) ?? []);
    if (refs.length)
      a.add({
        cause: 'CHECKPOINT_SIGNATURE_INVALID',
        checkpoints: [cpRef(c)],
        refs,
        severity: 'error',
        text: `Checkpoint ${c.file} carries a signature by a trusted key that does not verify: it was changed after it was signed, or forged.`,
      });
  }
  const conflicts = new Map<number | undefined, Finding[]>();
  for (const f of a.take('CHECKPOINT_CONFLICT'))
    conflicts.set(f.location.checkpointSize, [...(conflicts.get(f.location.checkpointSize) ?? []), f]);
  for (const [size, refs] of conflicts) {
    a.add({
      cause: 'CHECKPOINTS_CONFLICT',
      ...(size !== undefined ? { checkpoints: refs.map((f) => ({ file: f.location.file ?? '', size })) } : {}),
      refs,
      severity: 'error',
      text: `Two checkpoints signed by the same trusted log key give different roots for size ${size !== undefined ? num(size) : '?'}: the log signed two histories (equivocation).`,
    });
  }
  const origin = a.take('CHECKPOINT_ORIGIN_MISMATCH');
  if (origin.length)
    a.add({
      cause: 'ORIGIN_MISMATCH',
      checkpoints: origin.map((f) => ({ file: f.location.file ?? '' })),
      refs: origin,
      text: `${count(origin.length, 'checkpoint names', 'checkpoints name')} another log than the export's origin; ${origin.length === 1 ? 'it was' : 'they were'} not used.`,
    });
}

/** Signatures by trusted keys outside their windows, and keys signing in another role (returned, for the signer cause). */
function keyCauses(a: Assign): DraftCause[] {
  const windows = a.take(['KEY_REVOKED', 'KEY_NOT_VALID_AT_TIME']);
  if (windows.length) {
    const entries = windows.filter(isEntryFinding).map((f) => f.location.entry as number);
    const runs = runsOf([...new Set(entries)].sort((x, y) => x - y));
    a.add({
      cause: 'KEY_NOT_VALID',
      ...(runs.length
        ? {
            entries: { from: (runs[0] as EntrySpan).from, to: (runs[runs.length - 1] as EntrySpan).to },
            ...(runs.length > 1 ? { ranges: runs } : {}),
          }
        : {}),
      refs: windows,
      severity: 'error',
      text: `${count(windows.length, 'signature was', 'signatures were')} made by a trusted key outside the time it is trusted for (revoked, or not yet or no longer valid); ${windows.length === 1 ? 'it does' : 'they do'} not count.`,
    });
  }

  const roles = a.take('KEY_WRONG_ROLE');
  const roleCauses: DraftCause[] = [];
  for (const fp of [...new Set(roles.map((f) => str(f.evidence?.fingerprint) ?? ''))]) {
    const refs = roles.filter((f) => (str(f.evidence?.fingerprint) ?? '') === fp);
    const signedAs = str(refs[0]?.evidence?.signedAs) ?? 'log';
    const trustedAs = str(refs[0]?.evidence?.trustedAs) ?? '?';
    const flag = signedAs === 'log' ? '--trust' : signedAs === 'witness' ? '--witness' : '--entry-key';
    roleCauses.push(
      a.add({
        cause: 'KEY_WRONG_ROLE',
        checkpoints: refs.map((f) => ({
          file: f.location.file ?? '',
          ...(f.location.checkpointSize !== undefined ? { size: f.location.checkpointSize } : {}),
        })),
        refs,
        severity: 'warning',
        text: `Key ${fp.slice(0, 16)}… signs as the ${signedAs} but was given as ${trustedAs}; its signatures do not count. If it is the log's ${signedAs} key, give it with ${flag}.`,
      }),
    );
  }

  return roleCauses;
}

/** Checkpoints no trusted log key signed: the signers seen are named. */
function signerCauses(a: Assign, input: DiagnosisInput, view: TrustedView, roleCauses: readonly DraftCause[]): void {
  const untrusted = a.take('KEY_UNTRUSTED', cpLevel);
  const signers = signersSeen(input.checkpoints.filter((c) => c.status === 'untrusted'));
  // No trusted checkpoint, and some carry no signature by a trusted log key at all (rather than
  // one whose time could not be established): which key signed them is the question.
  const firstRole = roleCauses[0];
  if (view.trustedCount === 0 && untrusted.length && signers.length === 0 && firstRole) {
    // Signed only by trusted keys in another role: that is the cause, not an unknown signer.
    (firstRole.refs as Finding[]).push(...untrusted);
  } else if (view.trustedCount === 0 && untrusted.length) {
    const shipped = a.take('BUNDLE_KEY_NOT_TRUSTED');
    const who = signers.length
      ? `Its checkpoints are signed by ${joinAnd(signers.map(signerWords))}`
      : 'Its checkpoints carry no signature at all';
    a.add({
      cause: 'NO_TRUSTED_SIGNER',
      checkpoints: untrusted.map((f) => ({
        file: f.location.file ?? '',
        ...(f.location.checkpointSize !== undefined ? { size: f.location.checkpointSize } : {}),
      })),
      signers,
      refs: [...untrusted, ...shipped],
      severity: 'warning',
      text: `No checkpoint is signed by a key you trusted, so no entry can be verified. ${who}. If ${signers.length === 1 ? 'this is' : 'one of these is'} the log's key, trust it; otherwise these checkpoints are not the log's.`,
    });
  } else if (untrusted.length) {
    a.add({
      cause: 'CHECKPOINTS_NOT_TRUSTED',
      checkpoints: untrusted.map((f) => ({ file: f.location.file ?? '' })),
      signers,
      refs: untrusted,
      severity: 'warning',
      text: `${count(untrusted.length, 'checkpoint is', 'checkpoints are')} not signed by a trusted log key${signers.length ? ` (signed by ${joinAnd(signers.map(signerWords))})` : ''}; ${untrusted.length === 1 ? 'it was' : 'they were'} not used.`,
    });
  }
}

/** Entries from a log, or signed by a source, the examiner did not trust; signatures nothing dates. */
function entryTrustCauses(a: Assign): void {
  // An entry-level KEY_UNTRUSTED without a signer fingerprint names a log, not an event source
  // (a Sigstore entry from a log no trusted root lists): the trust in the log is the question.
  const untrustedLogs = a.take('KEY_UNTRUSTED', (f) => isEntryFinding(f) && str(f.evidence?.fingerprint) === undefined);
  if (untrustedLogs.length) {
    const first = untrustedLogs[0] as Finding;
    const which = untrustedLogs.length === 1 ? 'this entry is' : 'these entries are';
    a.add({
      cause: 'NO_TRUSTED_SIGNER',
      refs: untrustedLogs,
      severity: 'warning',
      text: `${capitalize(count(untrustedLogs.length, 'entry', 'entries'))}: ${first.message}. If it is a log you trust, give its trusted material; otherwise ${which} not verified.`,
    });
  }
  const entrySigners = a.take('KEY_UNTRUSTED', isEntryFinding);
  if (entrySigners.length) {
    const runs = runsOf([...new Set(entrySigners.map((f) => f.location.entry as number))].sort((x, y) => x - y));
    const keys = [
      ...new Set(entrySigners.map((f) => str(f.evidence?.fingerprint)).filter((x): x is string => x !== undefined)),
    ];
    a.add({
      cause: 'ENTRY_SIGNER_NOT_TRUSTED',
      entries: { from: (runs[0] as EntrySpan).from, to: (runs[runs.length - 1] as EntrySpan).to },
      ...(runs.length > 1 ? { ranges: runs } : {}),
      refs: entrySigners,
      severity: 'warning',
      text: `${capitalize(count(entrySigners.length, 'entry is', 'entries are'))} signed by ${keys.length === 1 ? `key ${(keys[0] as string).slice(0, 16)}…` : `${keys.length} keys`} that you did not trust as an event source; their signatures were not checked. If ${keys.length === 1 ? 'it is' : 'they are'} the source's key, give ${keys.length === 1 ? 'it' : 'them'} with --entry-key.`,
    });
  }
  const time = a.take(['TIME_NOT_ESTABLISHED', 'KEY_WINDOW_INVALID']);
  if (time.length) {
    // A certificate's window (Sigstore) is met by a signed entry timestamp, not by a witness.
    const isCert = (f: Finding) => f.evidence?.notBefore !== undefined;
    const certs = time.filter(isCert).length;
    const cps = time.filter((f) => !isCert(f) && !isEntryFinding(f)).length;
    const ents = time.length - cps - certs;
    const what = joinAnd([
      ...(cps ? [count(cps, 'checkpoint signature', 'checkpoint signatures')] : []),
      ...(ents ? [count(ents, 'entry signature', 'entry signatures')] : []),
      ...(certs ? [count(certs, 'certificate signature', 'certificate signatures')] : []),
    ]);
    const one = time.length === 1;
    const dating = certs
      ? 'no trusted witness cosignature or verified signed entry timestamp dates'
      : 'no trusted witness cosignature dates';
    a.add({
      cause: 'SIGNATURE_TIME_NOT_ESTABLISHED',
      refs: time,
      text: `Nothing in the evidence shows that ${what} by a key with a validity window (${certs ? "revoked, trusted only for a time, or a certificate's" : 'revoked, or trusted only for a time'}) ${one ? 'was' : 'were'} made inside it: ${dating} ${one ? 'it' : 'them'}. What ${one ? 'it signs' : 'they sign'} is unverifiable, not failed.`,
    });
  }
}

/** Trust and set-up: forged checkpoints, equivocation, keys outside their windows or roles, unknown signers. */
function trustCauses(a: Assign, input: DiagnosisInput, view: TrustedView): void {
  checkpointCauses(a, input);
  signerCauses(a, input, view, keyCauses(a));
  entryTrustCauses(a);
}

/** Evidence that cannot be read as its format requires. */
function unreadableCauses(a: Assign): void {
  const unreadable = a.take([
    'MANIFEST_INVALID',
    'MANIFEST_FILE_MISSING',
    'PATH_UNSAFE',
    'CHECKPOINT_MALFORMED',
    'PROOF_MALFORMED',
    'TILE_MALFORMED',
    'DOCUMENT_INVALID',
    'ENTRIES_TRUNCATED',
    'TILE_MISSING',
  ]);
  if (unreadable.length) {
    const files = [...new Set(unreadable.map((f) => f.location.file).filter((x): x is string => x !== undefined))];
    a.add({
      cause: 'EVIDENCE_UNREADABLE',
      refs: unreadable,
      text: `Part of the evidence cannot be read as its format requires (${joinAnd(files.slice(0, 5))}${files.length > 5 ? ' and more' : ''}); what it would show is not checked.`,
    });
  }
}

/** The manifest's digests (a consequence of an entry cause when it is the entries file), and proofs. */
function manifestAndProofCauses(a: Assign, input: DiagnosisInput): void {
  const entryCause = a.causes.find(
    (c) => c.entries !== undefined && c.severity === 'error' && c.cause !== 'LOG_DEFECT',
  );
  const manifest = a.take(['MANIFEST_DIGEST_MISMATCH', 'MANIFEST_SIZE_MISMATCH', 'MANIFEST_COUNT_MISMATCH']);
  const ofEntries = manifest.filter((f) => input.entriesFile === undefined || f.location.file === input.entriesFile);
  const others = manifest.filter((f) => !ofEntries.includes(f));
  if (entryCause && ofEntries.length) (entryCause.refs as Finding[]).push(...ofEntries);
  const rest = entryCause ? others : manifest;
  if (rest.length) {
    const files = [...new Set(rest.map((f) => f.location.file ?? '?'))];
    a.add({
      cause: 'MANIFEST_MISMATCH',
      refs: rest,
      text: `The manifest does not describe ${joinAnd(files)} as ${files.length === 1 ? 'it is' : 'they are'}: ${files.length === 1 ? 'it was' : 'they were'} changed after the manifest was written, or the manifest was.`,
    });
  }
  const proofs = a.take(['PROOF_INVALID', 'PROOF_LEAF_MISMATCH', 'PROOF_CHECKPOINT_MISMATCH']);
  if (proofs.length)
    a.add({
      cause: 'PROOF_INVALID',
      refs: proofs,
      text: `${capitalize(count(new Set(proofs.map((f) => f.location.file)).size, 'proof does', 'proofs do'))} not verify against ${proofs.length === 1 ? 'its' : 'their'} signed checkpoint.`,
    });
}

/** Other formats' own codes, in these terms. */
function formatCauses(a: Assign): void {
  // Other formats: what their own codes mean in these terms.
  const perCode: ReadonlyArray<readonly [FindingCode, CauseCode, (n: number) => string]> = [
    [
      'LOG_FILE_MISMATCH',
      'ENTRY_ALTERED',
      (n) =>
        `${capitalize(count(n, 'log file differs', 'log files differ'))} from the digest the signed digest file lists: altered after the digest was signed.`,
    ],
    [
      'LOG_FILE_MISSING',
      'ENTRIES_REMOVED',
      (n) =>
        `${capitalize(count(n, 'log file', 'log files'))} that a signed digest lists ${n === 1 ? 'is' : 'are'} missing from the export.`,
    ],
    [
      'TLOG_BODY_MISMATCH',
      'ENTRY_ALTERED',
      (n) =>
        `${capitalize(count(n, 'log entry body does', 'log entry bodies do'))} not describe the content shipped with ${n === 1 ? 'it' : 'them'}.`,
    ],
    [
      'TILE_HASH_MISMATCH',
      'PUBLISHED_TREE_MISMATCH',
      (n) =>
        `${capitalize(count(n, 'published tile hash differs', 'published tile hashes differ'))} from the hashes of the entries, which the signed roots prove: the published tiles are wrong there, not the entries.`,
    ],
    [
      'DIGEST_CHAIN_BROKEN',
      'HISTORY_REWRITTEN',
      (n) =>
        `The chain of signed digests is broken in ${count(n, 'place', 'places')}: a digest was removed or replaced.`,
    ],
    ['ARTIFACT_MISMATCH', 'ARTIFACT_MISMATCH', () => 'The artifact given is not the one that was signed and logged.'],
    [
      'CONTENT_NOT_CHECKED',
      'CONTENT_NOT_CHECKED',
      () => 'The content the log entries are about was not given, so only the log side was verified.',
    ],
  ];
  for (const [code, cause, text] of perCode) {
    const refs = a.take(code);
    if (!refs.length) continue;
    const idx = refs.map((f) => f.location.entry).filter((x): x is number => x !== undefined);
    const runs = runsOf([...new Set(idx)].sort((x, y) => x - y));
    a.add({
      cause,
      ...(runs.length
        ? { entries: { from: (runs[0] as EntrySpan).from, to: (runs[runs.length - 1] as EntrySpan).to } }
        : {}),
      ...(runs.length > 1 ? { ranges: runs } : {}),
      refs,
      text: text(refs.length),
    });
  }
}

/** Notes on coverage: no checkpoint at all, entries after the last trusted one. */
function coverageNoteCauses(a: Assign): void {
  const none = a.take('NO_CHECKPOINTS');
  if (none.length)
    a.add({
      cause: 'NO_CHECKPOINTS',
      refs: none,
      severity: 'warning',
      text: 'The export carries no checkpoint, so no entry can be verified against a signed root.',
    });
  const tail = a.take('UNSEALED_ENTRIES');
  // Entries past the last checkpoint only because entries were inserted before it: a consequence.
  const inserting = a.causes.find((c) => c.cause === 'ENTRIES_INSERTED' || c.cause === 'ENTRIES_DUPLICATED');
  const insertedCount = a.causes
    .filter((c) => c.cause === 'ENTRIES_INSERTED' || c.cause === 'ENTRIES_DUPLICATED')
    .reduce((n, c) => n + (c.entries ? c.entries.to - c.entries.from : 0), 0);
  for (const f of tail) {
    const r = f.location.range;
    if (inserting && r && r[1] - r[0] <= insertedCount) {
      (inserting.refs as Finding[]).push(f);
      continue;
    }
    a.add({
      cause: 'UNSEALED_TAIL',
      ...(r ? { entries: { from: r[0], to: r[1] } } : {}),
      refs: [f],
      severity: 'warning',
      text: r
        ? `${capitalize(entrySpan(r[0], r[1]))} came after the last trusted checkpoint; no signed root covers ${r[1] - r[0] === 1 ? 'it' : 'them'} yet.`
        : 'Entries after the last trusted checkpoint are not covered by a signed root.',
    });
  }
}

/** Unreadable evidence, the manifest, proofs, other formats' findings, coverage notes. */
function evidenceCauses(a: Assign, input: DiagnosisInput): void {
  unreadableCauses(a);
  manifestAndProofCauses(a, input);
  formatCauses(a);
  coverageNoteCauses(a);
}

const RANK: Readonly<Record<CauseCode, number>> = {
  EVIDENCE_UNREADABLE: 0,
  CHECKPOINT_SIGNATURE_INVALID: 1,
  CHECKPOINTS_CONFLICT: 1,
  ORIGIN_MISMATCH: 1,
  KEY_NOT_VALID: 1,
  ENTRY_ALTERED: 2,
  ENTRIES_REMOVED: 2,
  ENTRIES_INSERTED: 2,
  ENTRIES_DUPLICATED: 2,
  ENTRIES_REORDERED: 2,
  ENTRY_INVALID: 2,
  HISTORY_REWRITTEN: 2,
  LOG_TRUNCATED: 2,
  ARTIFACT_MISMATCH: 2,
  LOG_DEFECT: 3,
  PUBLISHED_TREE_MISMATCH: 3,
  MANIFEST_MISMATCH: 3,
  PROOF_INVALID: 3,
  NO_TRUSTED_SIGNER: 4,
  KEY_WRONG_ROLE: 4,
  CHECKPOINTS_NOT_TRUSTED: 4,
  ENTRY_SIGNER_NOT_TRUSTED: 4,
  SIGNATURE_TIME_NOT_ESTABLISHED: 4,
  CONTENT_NOT_CHECKED: 4,
  NO_CHECKPOINTS: 5,
  UNSEALED_TAIL: 5,
};
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Most fundamental first: evidence, then the log's signatures, then changes by place, then setup, then notes. */
export function compareCauses(x: Omit<Cause, 'findings'>, y: Omit<Cause, 'findings'>): number {
  return (
    RANK[x.cause] - RANK[y.cause] ||
    SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] ||
    (x.entries?.from ?? -1) - (y.entries?.from ?? -1) ||
    CAUSE_CODES.indexOf(x.cause) - CAUSE_CODES.indexOf(y.cause) ||
    (x.text < y.text ? -1 : x.text > y.text ? 1 : 0)
  );
}

/**
 * A published leaf tile (C2SP tiled logs) whose hash for one entry differs from the entry's own:
 * that entry changed. The tiles above it that disagree for the same reason go with it.
 */
function tileIncidents(
  findings: readonly Finding[],
  known: readonly Incident[],
  proven: (i: number) => boolean,
): Map<Incident, Finding[]> {
  const out = new Map<Incident, Finding[]>();
  const tiles = findings.filter((f) => f.code === 'TILE_HASH_MISMATCH' && f.location.range);
  // Tiles above the leaf level (a range wider than one entry), few: those a leaf tile's change shows through.
  const wide = tiles.filter((f) => {
    const r = f.location.range as readonly [number, number];
    return r[1] - r[0] > 1;
  });
  const blamed = new Set(known.flatMap((i) => i.blamed));
  for (const f of tiles) {
    const [a, b] = f.location.range as readonly [number, number];
    if (b - a !== 1 || blamed.has(a) || proven(a)) continue;
    blamed.add(a);
    const above = wide.filter(
      (t) =>
        t !== f &&
        (t.location.range as readonly [number, number])[0] <= a &&
        a < (t.location.range as readonly [number, number])[1],
    );
    out.set(
      {
        kind: 'ENTRY_ALTERED',
        position: a,
        entries: { from: a, to: a + 1 },
        blamed: [a],
        explains: [],
        detail: { tile: f.location.file ?? 'tile' },
      },
      [f, ...above],
    );
  }
  return out;
}

/** Reads the causes off the checks' output. Pure; the same input gives the same causes. */
export function diagnose(input: DiagnosisInput): DiagnosisOutput {
  const full = trustedView(input.checkpoints);
  const view =
    input.prefixTree === false ? { ...full, provenPrefix: 0, matching: [], mismatching: [], beyond: [] } : full;
  const subtrees = input.subtrees ?? [];
  const provenIntact = (i: number) => subtrees.some((s) => s.matches && i >= s.from && i < s.to);
  const facts = entryFactsOf(input, view.provenPrefix, provenIntact);
  const fromEntries = entryIncidents(facts);
  const fromTiles = tileIncidents(input.findings, fromEntries, (i) => i < view.provenPrefix || provenIntact(i));
  const incidents = [...fromEntries, ...fromTiles.keys()].sort((x, y) => x.entries.from - y.entries.from);
  const a = new Assign(input.findings);
  trustCauses(a, input, view);
  const byIncident = incidentCauses(a, incidents, input, fromTiles);
  merkleCauses(a, input, view, incidents, byIncident);
  evidenceCauses(a, input);

  const changed: number[] = [];
  const defective: number[] = [];
  for (const inc of incidents) {
    if (inc.kind === 'LOG_DEFECT' || inc.kind === 'ENTRY_INVALID') defective.push(...inc.blamed);
    else changed.push(...inc.blamed);
  }
  for (const c of a.causes)
    if (
      c.cause === 'ENTRY_ALTERED' &&
      c.entries &&
      c.entries.to - c.entries.from === 1 &&
      !incidents.some((i) => i.blamed.includes(c.entries?.from as number))
    )
      changed.push(c.entries.from);
  const runs = (xs: number[]) => runsOf([...new Set(xs)].sort((x, y) => x - y));

  // Entries a trusted root covers that no matching root proves.
  const covering = [...view.mismatching, ...view.beyond].map((c) => Math.min(c.size as number, input.entryCount));
  const top = covering.length ? Math.max(...covering) : 0;
  const noLongerProven = top > view.provenPrefix ? [{ from: view.provenPrefix, to: top }] : [];

  const omittedFacts = (['CHAIN_BROKEN', 'SEQ_GAP', 'SEQ_REGRESSION', 'TIMESTAMP_REGRESSION'] as const).some(
    (c) => (input.omitted[c] ?? 0) > 0,
  );
  const causes = [...a.causes].sort(compareCauses);
  return {
    causes,
    changed: runs(changed),
    defective: runs(defective),
    provenPrefix: view.provenPrefix,
    noLongerProven,
    incomplete: omittedFacts,
  };
}
