/**
 * Derived data about the entries of bundles in the case (docs/case-file.md §8):
 *
 * - the block index (EntryIndex from verifyBundle: byte offset and Merkle root of every
 *   256-entry block), kept per evidence item for random access and diffs;
 * - the entry search index: per bundle, a table of per-entry fields (derived_entries_<n>) and
 *   an FTS5 full-text index over each entry's event (derived_fts_<n>), where <n> is the
 *   derived_entry_sets id and the row id of both is the entry index.
 *
 * Everything here is rebuildable from the evidence and never evidence itself: tables are
 * named derived_*, a set is 'building' until complete (queries ignore it), and a rebuild drops
 * and recreates its tables.
 */
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type FileRegion, openBundle } from '../platform/bundle-source.js';
import { entriesRegion, readManifest } from '../verify/bundle/manifest-reader.js';
import type { EntryIndex } from '../verify/bundle/verify.js';
import type { CaseFile } from './case-file.js';
import { ENTRY_FIELDS_EXTRACTOR } from './entry-fields.js';
import { EntryRows, type IndexProgress } from './entry-index/entry-rows.js';
import { type EvidenceRecord, getEvidence, storedPathOf } from './evidence.js';
import { ownerDead, ownerId } from './owner.js';

export type { IndexProgress } from './entry-index/entry-rows.js';

/** Page cache during a build, in KiB (negative: SQLite's unit for KiB). */
const BUILD_CACHE_KIB = -256 * 1024;

export interface EntrySet {
  readonly id: number;
  readonly evidenceId: number;
  readonly runId: number | null;
  readonly state: 'building' | 'ready';
  readonly extractor: string;
  readonly entries: number | null;
  readonly tsMonotonic: boolean;
  /** s when every entry i has seq = s + i (a seq range is then an entry range); null otherwise. */
  readonly seqBase: number | null;
  readonly startedAt: string;
  readonly builtAt: string | null;
}

export function entriesTable(setId: number): string {
  if (!Number.isSafeInteger(setId) || setId <= 0) throw new ProofdeskError('INTERNAL', `bad entry set id ${setId}`);
  return `derived_entries_${setId}`;
}

export function ftsTable(setId: number): string {
  if (!Number.isSafeInteger(setId) || setId <= 0) throw new ProofdeskError('INTERNAL', `bad entry set id ${setId}`);
  return `derived_fts_${setId}`;
}

function hasDerivedSchema(cf: CaseFile): boolean {
  return (
    cf.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived_entry_sets'").get() !==
    undefined
  );
}

function toSet(r: Record<string, unknown>): EntrySet {
  return {
    id: r.id as number,
    evidenceId: r.evidence_id as number,
    runId: (r.run_id as number | null) ?? null,
    state: r.state as EntrySet['state'],
    extractor: r.extractor as string,
    entries: (r.entries as number | null) ?? null,
    tsMonotonic: r.ts_monotonic === 1,
    seqBase: (r.seq_base as number | null) ?? null,
    startedAt: r.started_at as string,
    builtAt: (r.built_at as string | null) ?? null,
  };
}

export function listEntrySets(cf: CaseFile): EntrySet[] {
  if (!hasDerivedSchema(cf)) return [];
  return (
    cf.db.prepare('SELECT * FROM derived_entry_sets ORDER BY evidence_id').all() as Array<Record<string, unknown>>
  ).map(toSet);
}

// ── block index (EntryIndex) ──────────────────────────────────────────────────────────────

/** Stores a bundle's EntryIndex (derived: replaced whenever the bundle is verified again). */
export function saveBlockIndex(cf: CaseFile, evidenceId: number, runId: number | null, index: EntryIndex): void {
  const offsets = Buffer.from(index.blockOffsets.buffer, index.blockOffsets.byteOffset, index.blockOffsets.byteLength);
  cf.write(() => {
    cf.db
      .prepare(
        `INSERT INTO derived_block_index (evidence_id, run_id, entries_path, count, block_leaves, block_offsets, block_roots, built_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (evidence_id) DO UPDATE SET run_id = excluded.run_id, entries_path = excluded.entries_path, count = excluded.count, block_leaves = excluded.block_leaves,
           block_offsets = excluded.block_offsets, block_roots = excluded.block_roots, built_at = excluded.built_at`,
      )
      .run(
        evidenceId,
        runId,
        index.entriesPath,
        index.count,
        index.blockLeaves,
        offsets,
        Buffer.from(index.blockRoots),
        cf.now(),
      );
  });
}

/** The stored EntryIndex of a bundle in the case (its region re-resolved in the locker), or undefined. */
export function loadBlockIndex(cf: CaseFile, evidenceId: number): EntryIndex | undefined {
  if (!hasDerivedSchema(cf)) return undefined;
  const r = cf.db.prepare('SELECT * FROM derived_block_index WHERE evidence_id = ?').get(evidenceId) as
    | { entries_path: string; count: number; block_leaves: number; block_offsets: Buffer; block_roots: Buffer }
    | undefined;
  if (!r) return undefined;
  const e = getEvidence(cf, evidenceId)!;
  const offsets = new Float64Array(r.block_offsets.byteLength / 8);
  new Uint8Array(offsets.buffer).set(r.block_offsets);
  return {
    entriesPath: r.entries_path,
    region: bundleEntries(cf, e).region,
    count: r.count,
    blockLeaves: r.block_leaves,
    blockOffsets: offsets,
    blockRoots: new Uint8Array(r.block_roots),
  };
}

/** The entries region of a bundle stored in the case. */
export function bundleEntries(cf: CaseFile, e: EvidenceRecord): { region: FileRegion; path: string; name: string } {
  if (e.kind !== 'bundle') throw new ProofdeskError('USAGE', `evidence #${e.id} is not a bundle (${e.kind})`);
  const source = openBundle(storedPathOf(cf, e));
  const { manifest } = readManifest(source);
  return { region: entriesRegion(source, manifest), path: manifest.entries.path, name: source.name };
}

// ── search index ──────────────────────────────────────────────────────────────────────────

export interface BuildIndexOptions {
  /** The run whose coverage and findings give each hit its status. */
  readonly runId?: number;
  /** Rebuild even when a complete index by the same extractor exists. */
  readonly rebuild?: boolean;
  readonly batch?: number;
  readonly onProgress?: (p: IndexProgress) => void;
  /**
   * Polled after every batch (the build is synchronous, so an AbortSignal could not fire
   * during it): true stops the build with CANCELLED and drops the partial index.
   */
  readonly shouldStop?: () => boolean;
  /**
   * Another live process building this bundle's index: wait for it and then use its index
   * ('wait', the default), or refuse at once with CASE_BUSY ('refuse').
   */
  readonly whenBusy?: 'wait' | 'refuse';
  /** How often a waiting build looks again (ms). */
  readonly pollMs?: number;
  /** Called once when the build starts waiting for another builder. */
  readonly onWait?: (builder: string) => void;
}

export interface BuildIndexResult {
  readonly set: EntrySet;
  /** True when an existing complete index was kept (only its run link was updated). */
  readonly reused: boolean;
  readonly elapsedMs: number;
  /** Time spent waiting for another process's build of the same index. */
  readonly waitedMs?: number;
}

function dropSetTables(cf: CaseFile, setId: number): void {
  cf.db.exec(`DROP TABLE IF EXISTS ${ftsTable(setId)}; DROP TABLE IF EXISTS ${entriesTable(setId)};`);
}

function getSet(cf: CaseFile, id: number): EntrySet {
  return toSet(cf.db.prepare('SELECT * FROM derived_entry_sets WHERE id = ?').get(id) as Record<string, unknown>);
}

/** The ready set of a bundle, if any (the one queries read). */
export function readySet(cf: CaseFile, evidenceId: number): EntrySet | undefined {
  if (!hasDerivedSchema(cf)) return undefined;
  const r = cf.db
    .prepare("SELECT * FROM derived_entry_sets WHERE evidence_id = ? AND state = 'ready'")
    .get(evidenceId) as Record<string, unknown> | undefined;
  return r ? toSet(r) : undefined;
}

type Claim =
  | { readonly kind: 'reuse'; readonly set: EntrySet }
  | { readonly kind: 'busy'; readonly builder: string; readonly startedAt: string }
  | { readonly kind: 'build'; readonly setId: number };

/**
 * Under the write lock: reuse a complete index, or see a live builder at work, or register
 * this process as the builder of a new set (beside the ready one, which keeps answering
 * queries). A building set whose process died is dropped on the way.
 */
function claimBuild(cf: CaseFile, evidenceId: number, opts: BuildIndexOptions): Claim {
  return cf.write((): Claim => {
    const rows = (
      cf.db.prepare('SELECT * FROM derived_entry_sets WHERE evidence_id = ?').all(evidenceId) as Array<
        Record<string, unknown>
      >
    ).map((r) => ({ set: toSet(r), builder: (r.builder as string | null) ?? null }));
    const building = rows.find((r) => r.set.state === 'building');
    if (building) {
      if (building.builder !== null && !ownerDead(building.builder))
        return { kind: 'busy', builder: building.builder, startedAt: building.set.startedAt };
      dropSetTables(cf, building.set.id);
      cf.db.prepare('DELETE FROM derived_entry_sets WHERE id = ?').run(building.set.id);
    }
    const ready = rows.find((r) => r.set.state === 'ready')?.set;
    if (ready && !opts.rebuild && ready.extractor === ENTRY_FIELDS_EXTRACTOR) {
      if (opts.runId !== undefined)
        cf.db.prepare('UPDATE derived_entry_sets SET run_id = ? WHERE id = ?').run(opts.runId, ready.id);
      return { kind: 'reuse', set: getSet(cf, ready.id) };
    }
    const r = cf.db
      .prepare(
        "INSERT INTO derived_entry_sets (evidence_id, run_id, state, extractor, started_at, builder) VALUES (?, ?, 'building', ?, ?, ?)",
      )
      .run(evidenceId, opts.runId ?? null, ENTRY_FIELDS_EXTRACTOR, cf.now(), ownerId());
    const id = Number(r.lastInsertRowid);
    // A set id is never reused, but a dead builder of an older schema may have left tables.
    dropSetTables(cf, id);
    cf.db.exec(`
      CREATE TABLE ${entriesTable(id)} (
        idx          INTEGER PRIMARY KEY,
        seq          INTEGER,
        t_s          INTEGER,
        t_ns         INTEGER,
        actor        TEXT,
        action       TEXT,
        target       TEXT,
        byte_offset  INTEGER NOT NULL,
        length       INTEGER NOT NULL,
        parsed       INTEGER NOT NULL
      ) STRICT;
      CREATE VIRTUAL TABLE ${ftsTable(id)} USING fts5(text, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');`);
    return { kind: 'build', setId: id };
  });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Builds (or reuses) the search index of a bundle in the case. Requires a case opened for
 * writing with the v2 schema. Reads the stored copy only. While it builds, the bundle's
 * previous index (if any) stays the one queries read; the two change places in one
 * transaction at the end. Two builders of one bundle never run at once: the second waits for
 * the first and then uses its index, or is refused with CASE_BUSY (`whenBusy`).
 */
export function buildEntryIndex(cf: CaseFile, evidenceId: number, opts: BuildIndexOptions = {}): BuildIndexResult {
  const t0 = Date.now();
  const e = getEvidence(cf, evidenceId);
  if (!e) throw new ProofdeskError('USAGE', `no evidence #${evidenceId} in this case`);
  const { region } = bundleEntries(cf, e);
  const { claim, waitedMs } = claimOrWait(cf, evidenceId, opts);
  if (claim.kind === 'reuse')
    return { set: claim.set, reused: true, elapsedMs: Date.now() - t0, ...(waitedMs ? { waitedMs } : {}) };
  const setId = claim.setId;
  const rows = fillSet(cf, setId, region, opts);
  opts.onProgress?.({ entriesDone: rows.count, bytesDone: region.size, bytesTotal: region.size });
  swapIn(cf, evidenceId, setId, rows, opts.runId);
  return { set: getSet(cf, setId), reused: false, elapsedMs: Date.now() - t0, ...(waitedMs ? { waitedMs } : {}) };
}

/**
 * Claims the build, waiting while another live process builds this bundle's index (or refusing
 * at once with CASE_BUSY). Returns the claim (reuse or build) and the time waited.
 */
function claimOrWait(
  cf: CaseFile,
  evidenceId: number,
  opts: BuildIndexOptions,
): { claim: Exclude<Claim, { kind: 'busy' }>; waitedMs: number } {
  let claim = claimBuild(cf, evidenceId, opts);
  let waitedMs = 0;
  let announced = false;
  while (claim.kind === 'busy') {
    if (opts.whenBusy === 'refuse')
      throw new ProofdeskError(
        'CASE_BUSY',
        `the search index of evidence #${evidenceId} is being built by process ${claim.builder} (since ${claim.startedAt}): nothing was done; run this again when that build has finished`,
        { reason: 'INDEX_BUILDING', builder: claim.builder, evidenceId },
      );
    if (!announced) opts.onWait?.(claim.builder);
    announced = true;
    const w0 = Date.now();
    Atomics.wait(sleeper, 0, 0, opts.pollMs ?? 250);
    waitedMs += Date.now() - w0;
    if (opts.shouldStop?.()) throw new ProofdeskError('CANCELLED', 'the search index build was cancelled');
    // The other build has finished (its index is reused now), failed, or is still going.
    claim = claimBuild(cf, evidenceId, { ...opts, rebuild: false });
  }
  return { claim, waitedMs };
}

/**
 * Writes the set's rows and builds its indexes. A stopped or failed build leaves nothing
 * half-built behind (derived data: rebuildable).
 */
function fillSet(cf: CaseFile, setId: number, region: FileRegion, opts: BuildIndexOptions): EntryRows {
  const rows = new EntryRows(cf.db, { entries: entriesTable(setId), fts: ftsTable(setId) }, region.size, opts);
  // Derived data can be rebuilt, so commits during the build need not survive power loss;
  // WAL with synchronous=NORMAL still never corrupts the file. A larger page cache keeps the
  // b-tree inserts and the index sorts of a multi-million-row build in memory.
  const cacheBefore = cf.db.pragma('cache_size', { simple: true }) as number;
  cf.db.pragma('synchronous = NORMAL');
  cf.db.pragma(`cache_size = ${BUILD_CACHE_KIB}`);
  try {
    rows.writeAll(region);
    createSetIndexes(cf, setId, rows.monotonic);
    return rows;
  } catch (e) {
    cf.write(() => {
      dropSetTables(cf, setId);
      cf.db.prepare("DELETE FROM derived_entry_sets WHERE id = ? AND state = 'building'").run(setId);
    });
    throw e;
  } finally {
    cf.db.pragma('synchronous = FULL');
    cf.db.pragma(`cache_size = ${cacheBefore}`);
  }
}

/** The set's column indexes, once its rows are in; then its FTS segments merged. */
function createSetIndexes(cf: CaseFile, setId: number, monotonic: boolean): void {
  cf.db.exec(`
      CREATE INDEX ${entriesTable(setId)}_actor ON ${entriesTable(setId)} (actor) WHERE actor IS NOT NULL;
      CREATE INDEX ${entriesTable(setId)}_action ON ${entriesTable(setId)} (action) WHERE action IS NOT NULL;`);
  // When time never goes backwards, time bounds are found by binary search over the entry
  // index (query.ts); only otherwise is a time index worth its build time and space.
  if (!monotonic)
    cf.db.exec(`CREATE INDEX ${entriesTable(setId)}_time ON ${entriesTable(setId)} (t_s, t_ns) WHERE t_s IS NOT NULL;`);
  // Merge the FTS segments written batch by batch: queries then read one b-tree per term.
  cf.db.prepare(`INSERT INTO ${ftsTable(setId)} (${ftsTable(setId)}) VALUES ('optimize')`).run();
}

/** The swap: the old index goes and the new one becomes the one queries read, at once (and is journaled). */
function swapIn(cf: CaseFile, evidenceId: number, setId: number, rows: EntryRows, runId: number | undefined): void {
  cf.write(() => {
    const old = readySet(cf, evidenceId);
    if (old) {
      dropSetTables(cf, old.id);
      cf.db.prepare('DELETE FROM derived_entry_sets WHERE id = ?').run(old.id);
    }
    cf.db
      .prepare(
        "UPDATE derived_entry_sets SET state = 'ready', entries = ?, ts_monotonic = ?, seq_base = ?, built_at = ?, builder = NULL WHERE id = ?",
      )
      .run(rows.count, rows.monotonic ? 1 : 0, rows.seqBase ?? null, cf.now(), setId);
    cf.journal({
      action: 'index.built',
      details: {
        evidenceId,
        runId: runId ?? null,
        entries: rows.count,
        extractor: ENTRY_FIELDS_EXTRACTOR,
        derived: true,
      },
    });
  });
}

/** Drops the search index of a bundle (derived data; rebuild with buildEntryIndex). */
export function dropEntryIndex(cf: CaseFile, evidenceId: number): boolean {
  return cf.write(() => {
    const r = readySet(cf, evidenceId);
    if (!r) return false;
    dropSetTables(cf, r.id);
    cf.db.prepare('DELETE FROM derived_entry_sets WHERE id = ?').run(r.id);
    return true;
  });
}
