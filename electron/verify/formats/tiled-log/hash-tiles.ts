/**
 * The published hash tiles of a tiled log, compared with the nodes recomputed from the entries:
 * level-0 tiles as each leaf tile is read, higher tiles once every entry is read. Listed tiles are
 * compared when present; the tiles the trusted checkpoint sizes require are reported when missing.
 */
import { type Layout, parseTilePath, type TileRef, tilePath, tilesForSize } from '../../../../shared/tlog/tiles.js';
import type { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import type { ListingSurvey } from './listing.js';
import type { TiledLogRun } from './run.js';
import type { TileReader } from './tile-reader.js';

/** A hash tile is 8 KiB; anything much larger is refused unread. */
const MAX_TILE_BYTES = 64 * 1024;

/** A tile the trusted checkpoints require, with the full tile that may stand for a partial one. */
interface Required {
  readonly t: TileRef;
  readonly fallback?: string;
}

export class HashTiles {
  /** Paths judged (compared, unsafe or too large): each is judged once. */
  readonly compared = new Set<string>();
  readonly #missingByLevel = new Map<number, { count: number; first: string }>();
  readonly #run: TiledLogRun;
  readonly #reader: TileReader;
  readonly #builder: TreeBuilder;
  readonly #listing: Pick<ListingSurvey, 'listedAt0' | 'listedAbove'>;
  readonly #trustedSizes: readonly number[];
  /** Tiles above level 0 that the trusted checkpoint sizes require. */
  readonly #required: ReadonlyMap<string, Required>;

  constructor(
    run: TiledLogRun,
    reader: TileReader,
    builder: TreeBuilder,
    listing: Pick<ListingSurvey, 'listedAt0' | 'listedAbove'>,
    trustedSizes: readonly number[],
  ) {
    this.#run = run;
    this.#reader = reader;
    this.#builder = builder;
    this.#listing = listing;
    this.#trustedSizes = trustedSizes;
    this.#required = requiredAboveLevel0(run, trustedSizes);
  }

  /** Compares the level-0 tiles of leaf tile n, just appended to the tree. */
  checkLevel0(n: number): void {
    const layout = this.#run.layout;
    if (layout === 'serverless') return;
    for (const p of this.#listing.listedAt0.get(n) ?? [])
      this.#compare(p, parseTilePath(layout, p, this.#run.height)!, false);
    for (const [p, req] of requiredAtLevel0(this.#run, this.#trustedSizes, n)) this.#checkRequired(p, req);
  }

  /** Compares the tiles above level 0, once every entry is read. */
  checkAboveLevel0(): void {
    for (const [p, t] of this.#listing.listedAbove) this.#compare(p, t, false);
    for (const [p, req] of this.#required) this.#checkRequired(p, req);
  }

  /** One finding per level for the required tiles not in the export. */
  reportMissing(): void {
    for (const [level, m] of [...this.#missingByLevel].sort((a, b) => a[0] - b[0])) {
      this.#run.add(
        'TILE_MISSING',
        { file: m.first },
        `${m.count} level-${level} tile${m.count === 1 ? '' : 's'} required by the trusted checkpoints ${m.count === 1 ? 'is' : 'are'} not in the export (first: ${m.first})`,
        { level, count: m.count },
      );
    }
  }

  #checkRequired(p: string, req: Required): void {
    if (this.compared.has(p) || (req.fallback && this.compared.has(req.fallback))) return;
    const before = this.#missingByLevel.get(req.t.level)?.count ?? 0;
    this.#compare(p, req.t, !req.fallback);
    if (req.fallback && !this.compared.has(p)) {
      // The partial tile may have been replaced by the full one (tlog-tiles "Partial Tiles").
      this.#compare(req.fallback, { ...req.t, width: this.#run.width }, true);
      if (!this.compared.has(req.fallback)) {
        // Neither is there: count the partial tile once as missing.
        const m = this.#missingByLevel.get(req.t.level);
        if (m && m.count > before) m.first = p;
      }
    }
  }

  /** Reads the tile at path and judges it; a missing tile counts only when required. */
  #compare(path: string, t: TileRef, required: boolean): void {
    if (this.compared.has(path)) return;
    const r = this.#reader.read(path, MAX_TILE_BYTES, 'proof');
    if (r.kind === 'missing') {
      if (required) this.#countMissing(t.level, path);
      return;
    }
    this.compared.add(path);
    if (r.kind === 'unsafe') return this.#run.add('PATH_UNSAFE', { file: path }, r.detail);
    if (r.kind === 'too-large') {
      this.#run.tileProblems++;
      return this.#run.add(
        'TILE_MALFORMED',
        { file: path, range: this.#tileRange(t) },
        `hash tile of ${r.size} bytes; a tile of width ${t.width} has ${t.width * 32}`,
        { expected: t.width * 32, actual: r.size },
      );
    }
    this.#judge(path, t, r.bytes, r.report);
  }

  #countMissing(level: number, path: string): void {
    const m = this.#missingByLevel.get(level) ?? { count: 0, first: path };
    m.count++;
    this.#missingByLevel.set(level, m);
  }

  /** Compares a tile read whole with the recomputed nodes. */
  #judge(path: string, t: TileRef, bytes: Uint8Array, report: BundleFileReport): void {
    const run = this.#run;
    const cmp = this.#builder.compareTile(t, bytes);
    if (cmp.ok) {
      run.files.push(report);
      run.tilesChecked++;
      return;
    }
    switch (cmp.reason) {
      case 'NOT_COMPUTED':
        // Its nodes are not computed (yet): left to be judged when they are.
        this.compared.delete(path);
        return;
      case 'SIZE':
        run.files.push(report);
        run.tileProblems++;
        return run.add(
          'TILE_MALFORMED',
          { file: path, range: this.#tileRange(t) },
          `hash tile of ${cmp.actualBytes} bytes; width ${t.width} needs ${cmp.expectedBytes}`,
          { expected: cmp.expectedBytes, actual: cmp.actualBytes },
        );
      case 'MISMATCH': {
        run.files.push(report);
        run.tileProblems++;
        const [from] = this.#tileRange(t);
        const span = run.width ** t.level;
        return run.add(
          'TILE_HASH_MISMATCH',
          { file: path, range: [from + cmp.position * span, from + (cmp.position + 1) * span] },
          `hash ${cmp.position} of level-${t.level} tile ${t.index} differs from the hash recomputed from the entries (${cmp.mismatches} of ${t.width} differ)`,
          { expected: cmp.actual, actual: cmp.expected, position: cmp.position, mismatches: cmp.mismatches },
        );
      }
    }
  }

  /** The entries a tile covers, [from, to). */
  #tileRange(t: TileRef): [number, number] {
    const W = this.#run.width;
    const start = t.index * W ** (t.level + 1);
    return [start, start + t.width * W ** t.level];
  }
}

/** What the required tiles are worked out from. */
type Geometry = Pick<TiledLogRun, 'layout' | 'height' | 'width'>;

/**
 * The tiles above level 0 that the trusted sizes require, sizes ascending, first occurrence of a
 * path. Level-0 tiles (all but a few hundredth of them) are worked out per leaf tile instead
 * (requiredAtLevel0), in the same order.
 */
function requiredAboveLevel0(g: Geometry, trustedSizes: readonly number[]): Map<string, Required> {
  const required = new Map<string, Required>();
  const layout = g.layout;
  if (layout === 'serverless') return required;
  for (const s of trustedSizes) {
    for (const t of tilesForSize(s, g.height)) {
      if (t.level === 0) continue;
      const p = tilePath(layout, t, g.height);
      if (!required.has(p)) required.set(p, requiredOf(g, t));
    }
  }
  return required;
}

/** The level-0 tiles of leaf tile n that the trusted sizes require: full below a size, partial at its end. */
function requiredAtLevel0(g: Geometry, trustedSizes: readonly number[], n: number): Array<[string, Required]> {
  const out: Array<[string, Required]> = [];
  const { layout, width: W, height } = g;
  if (layout === 'serverless') return out;
  for (const s of trustedSizes) {
    const full = Math.floor(s / W);
    const t: TileRef | undefined =
      n < full
        ? { kind: 'hash', level: 0, index: n, width: W }
        : n === full && s % W > 0
          ? { kind: 'hash', level: 0, index: n, width: s % W }
          : undefined;
    if (!t) continue;
    const p = tilePath(layout, t, height);
    if (!out.some(([q]) => q === p)) out.push([p, requiredOf(g, t)]);
  }
  return out;
}

/** A partial tile may be replaced by the full one (tlog-tiles "Partial Tiles"): that is its fallback. */
function requiredOf(g: Geometry, t: TileRef): Required {
  const W = g.width;
  return {
    t,
    ...(t.width < W
      ? { fallback: tilePath(g.layout as Exclude<Layout, 'serverless'>, { ...t, width: W }, g.height) }
      : {}),
  };
}
