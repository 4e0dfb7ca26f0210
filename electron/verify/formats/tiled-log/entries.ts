/**
 * The entries of a tiled log, read leaf tile by leaf tile in order (entry bundles, sumdb data
 * tiles, or serverless leaf files), hashed, and appended to the tree; the level-0 hash tiles are
 * compared as each leaf tile is appended. Only one leaf tile is held at a time.
 */
import { tryDecodeUtf8 } from '../../../../shared/encoding/bytes.js';
import {
  type Layout,
  parseDataTile,
  parseEntryBundle,
  serverlessLeafPath,
  tilePath,
} from '../../../../shared/tlog/tiles.js';
import type { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import type { BundleSource } from '../../../platform/bundle-source.js';
import { type AdapterOptions, type ReadResult, readIn, throwIfCancelled, yieldToEventLoop } from '../common.js';
import type { HashTiles } from './hash-tiles.js';
import type { LeafTileHasher } from './leaf-hashes.js';
import type { TiledLogRun } from './run.js';
import type { TileReader } from './tile-reader.js';

/** A full entry bundle is at most 256 × (2 + 65535) bytes. */
const MAX_BUNDLE_BYTES = 256 * (2 + 0xffff);
/** sumdb data tiles: 2^H records of at most a few KiB each. */
const MAX_DATA_TILE_BYTES = 64 * 1024 * 1024;

type TileLayout = Exclude<Layout, 'serverless'>;

export interface EntrySteps {
  readonly entries: EntryReader;
  readonly hasher: LeafTileHasher;
  readonly builder: TreeBuilder;
  readonly tiles: HashTiles;
}

/** Reads, hashes and appends every leaf tile, comparing level-0 tiles on the way; reports progress per leaf tile. */
export async function hashAllEntries(
  run: TiledLogRun,
  o: Pick<AdapterOptions, 'signal' | 'onProgress'>,
  t0: number,
  s: EntrySteps,
): Promise<void> {
  const { entries: reader, hasher, builder, tiles } = s;
  // Entries of the tiled layouts are views of one tile file: hashed where they lie.
  const inPlace = run.layout !== 'serverless';
  for (let n = 0; !reader.done; n++) {
    if (n % 32 === 0) await yieldToEventLoop();
    throwIfCancelled(o.signal);
    const entries = reader.read(n);
    if (!entries) break;
    hasher.append(builder, n, entries, inPlace);
    tiles.checkLevel0(n);
    o.onProgress?.({
      stage: 'verify',
      entriesDone: builder.size,
      bytesDone: reader.bytes,
      bytesTotal: reader.bytes,
      elapsedMs: Date.now() - t0,
      entriesPerSecond: (builder.size * 1000) / Math.max(1, Date.now() - t0),
      perWorker: [],
    });
  }
}

/** Reads the entries of one leaf tile at a time, until the last (partial or missing) one. */
export class EntryReader {
  #done = false;
  #bytes = 0;
  readonly #run: TiledLogRun;
  readonly #reader: TileReader;
  readonly #listedPartials: readonly string[] | undefined;
  readonly #maxEntryBytes: number;

  constructor(
    run: TiledLogRun,
    reader: TileReader,
    listedPartials: readonly string[] | undefined,
    maxEntryBytes: number,
  ) {
    this.#run = run;
    this.#reader = reader;
    this.#listedPartials = listedPartials;
    this.#maxEntryBytes = maxEntryBytes;
  }

  /**
   * The entries of leaf tile n, or undefined when there are none to hash. In the tiled layouts they
   * are views of the tile file just read, valid until the next read.
   */
  read(n: number): Uint8Array[] | undefined {
    const layout = this.#run.layout;
    const entries = layout === 'serverless' ? this.#readLeafFiles(n) : this.#readBundle(n, layout);
    // A partial leaf tile is the last one.
    if (entries && entries.length < this.#run.width) this.#done = true;
    return entries;
  }

  /** Whether no leaf tile follows the one read (or reading cannot go on). */
  get done(): boolean {
    return this.#done;
  }

  /** Bytes of the entry files read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The serverless layout: one file per leaf, up to the first missing one. */
  #readLeafFiles(n: number): Uint8Array[] | undefined {
    const W = this.#run.width;
    const entries: Uint8Array[] = [];
    for (let i = n * W; i < (n + 1) * W; i++) {
      const p = serverlessLeafPath(i);
      const r = readIn(this.#run.source, p, this.#maxEntryBytes, 'entries');
      if (r.kind === 'missing') {
        this.#done = true;
        break;
      }
      if (r.kind !== 'ok') {
        this.#leafFileUnreadable(p, i, r);
        this.#done = true;
        break;
      }
      this.#run.files.push(r.report);
      this.#bytes += r.bytes.length;
      entries.push(r.bytes);
    }
    return entries.length === 0 ? undefined : entries;
  }

  #leafFileUnreadable(p: string, i: number, r: Exclude<ReadResult, { kind: 'ok' | 'missing' }>): void {
    this.#run.entryProblems++;
    this.#run.add(
      r.kind === 'unsafe' ? 'PATH_UNSAFE' : 'TILE_MALFORMED',
      { file: p, entry: i },
      r.kind === 'unsafe'
        ? r.detail
        : `leaf file of ${r.size} bytes exceeds the maximum entry size; entries from here on are not read`,
    );
  }

  /** An entry bundle or data tile: the full one, or else the widest partial one present (the last). */
  #readBundle(n: number, layout: TileLayout): Uint8Array[] | undefined {
    const { width: W, height } = this.#run;
    const max = layout === 'sumdb' ? MAX_DATA_TILE_BYTES : MAX_BUNDLE_BYTES;
    let width = W;
    let p = tilePath(layout, { kind: 'entries', level: 0, index: n, width: W }, height);
    let r = this.#reader.read(p, max, 'entries');
    if (r.kind === 'missing') {
      // The last, partial bundle: take the widest one present.
      this.#done = true;
      const widths = partialWidths(this.#listedPartials, this.#run.source, p, W);
      if (widths.length === 0) return undefined;
      width = widths[widths.length - 1]!;
      p = tilePath(layout, { kind: 'entries', level: 0, index: n, width }, height);
      r = this.#reader.read(p, max, 'entries');
    }
    if (r.kind !== 'ok') {
      this.#bundleUnreadable(p, n, r);
      return undefined;
    }
    this.#run.files.push(r.report);
    this.#bytes += r.bytes.length;
    return this.#decodeBundle(p, n, r.bytes, width, layout);
  }

  #bundleUnreadable(p: string, n: number, r: Exclude<ReadResult, { kind: 'ok' }>): void {
    this.#run.entryProblems++;
    if (r.kind === 'unsafe') this.#run.add('PATH_UNSAFE', { file: p }, r.detail);
    else if (r.kind === 'too-large')
      this.#run.add(
        'TILE_MALFORMED',
        { file: p, entry: n * this.#run.width },
        `entry bundle of ${r.size} bytes is larger than any bundle can be`,
      );
  }

  /** The entries decoded; those before a decoding problem, which ends the reading. */
  #decodeBundle(p: string, n: number, bytes: Uint8Array, width: number, layout: TileLayout): Uint8Array[] {
    const parsed = layout === 'sumdb' ? parseDataTile(bytes, width, tryDecodeUtf8) : parseEntryBundle(bytes, width);
    const entries = [...parsed.entries];
    if (!parsed.ok) {
      this.#run.entryProblems++;
      this.#done = true;
      this.#run.add(
        'TILE_MALFORMED',
        { file: p, entry: n * this.#run.width + parsed.entries.length, offset: parsed.offset },
        `${layout === 'sumdb' ? 'data tile' : 'entry bundle'} ${p} cannot be decoded (${parsed.reason}) after ${parsed.entries.length} of ${width} entries; later entries are not read`,
        { reason: parsed.reason, width },
      );
    }
    return entries;
  }
}

/** Widths of the partial tiles present for a full-tile path, ascending (from the listed partial tiles, when listed). */
function partialWidths(
  listed: readonly string[] | undefined,
  source: BundleSource,
  fullPath: string,
  full: number,
): number[] {
  const prefix = `${fullPath}.p/`;
  if (listed) {
    return [...listed]
      .filter((p) => p.startsWith(prefix) && /^[1-9][0-9]{0,2}$/.test(p.slice(prefix.length)))
      .map((p) => Number(p.slice(prefix.length)))
      .filter((w) => w < full)
      .sort((a, b) => a - b);
  }
  const out: number[] = [];
  for (let w = 1; w < full; w++) if (source.locate(prefix + w).ok) out.push(w);
  return out;
}
