/**
 * The hot loop of an entry search index build: one row per entry line (its position, seq,
 * time and fields) and its text for FTS5, written in batches, one transaction each. It also
 * learns what the set records of its entries: their count, whether time never goes backwards,
 * and whether every entry i has seq = s + i.
 */
import { parseTimestamp } from '../../../shared/bundle/entry.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { FileRegion } from '../../platform/bundle-source.js';
import { forEachRawLine, type RawLine } from '../../platform/line-reader.js';
import type { Db } from '../db.js';
import { type EntryFields, extractEntryFields } from '../entry-fields.js';

/** Lines longer than this are indexed by position only (the verifier reports them anyway). */
const MAX_INDEXED_LINE = 1024 * 1024;
/** Rows per write transaction: long enough to amortise commits, short enough not to starve other writers. */
const DEFAULT_BATCH = 50_000;
const NO_FIELDS: EntryFields = { actor: null, action: null, target: null, text: '' };

export interface IndexProgress {
  readonly entriesDone: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface EntryRowsOptions {
  readonly batch?: number;
  readonly onProgress?: (p: IndexProgress) => void;
  /** Polled after every batch: true stops the build with CANCELLED. */
  readonly shouldStop?: () => boolean;
}

/** idx, seq, t_s, t_ns, actor, action, target, byte_offset, length, parsed; then the FTS text. */
type Row = [
  number,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
  string | null,
  number,
  number,
  number,
  string,
];

/** The tables of one entry set: derived_entries_<n> and derived_fts_<n>. */
export interface SetTables {
  readonly entries: string;
  readonly fts: string;
}

export class EntryRows {
  count = 0;
  /** No entry without a time, and no time before the previous entry's. */
  monotonic = true;
  /** undefined before the first entry; null once some entry i has no seq or one other than s + i. */
  seqBase: number | null | undefined;
  private lastS = -Infinity;
  private lastNs = 0;
  private batch: Row[] = [];
  private readonly batchSize: number;
  private readonly flush: (rows: Row[]) => void;

  constructor(
    db: Db,
    tables: SetTables,
    private readonly bytesTotal: number,
    private readonly opts: EntryRowsOptions,
  ) {
    const insEntry = db.prepare(
      `INSERT INTO ${tables.entries} (idx, seq, t_s, t_ns, actor, action, target, byte_offset, length, parsed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insText = db.prepare(`INSERT INTO ${tables.fts} (rowid, text) VALUES (?, ?)`);
    this.batchSize = opts.batch ?? DEFAULT_BATCH;
    this.flush = db.transaction((rows: Row[]) => {
      for (const r of rows) {
        insEntry.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
        if (r[10] !== '') insText.run(r[0], r[10]);
      }
    });
  }

  /** Writes a row for every line of the region; the last batch too. */
  writeAll(region: FileRegion): void {
    forEachRawLine(region, (v) => this.add(v), { maxLineBytes: MAX_INDEXED_LINE });
    if (this.batch.length) this.flush(this.batch);
    this.batch = [];
  }

  private add(v: RawLine): void {
    const row = entryRow(v);
    this.noteTime(row[2], row[3]);
    this.noteSeq(row[1], v.index);
    this.batch.push(row);
    this.count++;
    if (this.batch.length >= this.batchSize) this.commitBatch(v);
  }

  /** `s`, `ns`: the entry's time (both null when it has none). */
  private noteTime(s: number | null, ns: number | null): void {
    if (s === null || s < this.lastS || (s === this.lastS && ns! < this.lastNs)) this.monotonic = false;
    if (s !== null) {
      this.lastS = s;
      this.lastNs = ns!;
    }
  }

  private noteSeq(seq: number | null, index: number): void {
    if (this.seqBase === undefined) this.seqBase = seq;
    else if (this.seqBase !== null && seq !== this.seqBase + index) this.seqBase = null;
  }

  /** Commits the batch, reports progress up to line `v`, and stops when asked to. */
  private commitBatch(v: RawLine): void {
    this.flush(this.batch);
    this.batch = [];
    this.opts.onProgress?.({
      entriesDone: this.count,
      bytesDone: v.offset + v.length + 1,
      bytesTotal: this.bytesTotal,
    });
    if (this.opts.shouldStop?.()) throw new ProofdeskError('CANCELLED', 'the search index build was cancelled');
  }
}

/** The row of one line: an entry that is not a JSON object, or is too long, is indexed by position (and raw text). */
function entryRow(v: RawLine): Row {
  let seq: number | null = null;
  let ts: { seconds: number; nanos: number } | undefined;
  let fields = NO_FIELDS;
  let parsed = 0;
  if (v.bytes) {
    const text = v.bytes.toString('utf8');
    let obj: unknown;
    try {
      obj = JSON.parse(text);
      parsed = 1;
    } catch {
      // A malformed line is still an entry: index it by position and raw text.
      fields = { ...NO_FIELDS, text: text.slice(0, 4096) };
    }
    if (parsed && typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
      const o = obj as Record<string, unknown>;
      if (typeof o.seq === 'number' && Number.isSafeInteger(o.seq)) seq = o.seq;
      if (typeof o.ts === 'string') ts = parseTimestamp(o.ts);
      fields = extractEntryFields(o);
    }
  }
  return [
    v.index,
    seq,
    ts?.seconds ?? null,
    ts?.nanos ?? null,
    fields.actor,
    fields.action,
    fields.target,
    v.offset,
    v.length,
    parsed,
    fields.text,
  ];
}
