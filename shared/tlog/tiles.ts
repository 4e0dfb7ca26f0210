/**
 * Static tiled logs: the C2SP tlog-tiles layout (c2sp.org/tlog-tiles) and the Go checksum
 * database layout it grew from (golang.org/x/mod/sumdb/tlog, tile.go), plus the older
 * transparency-dev serverless-log leaf layout. Paths, tile arithmetic and entry decoding only;
 * reading is electron/verify/formats/tiled-log.ts.
 *
 * tlog-tiles: hash tiles `tile/<L>/<N>[.p/<W>]`, entry bundles `tile/entries/<N>[.p/<W>]`.
 *   N is written as zero-padded 3-digit path elements, all but the last prefixed with "x"
 *   (1234067 → x001/x234/067); W is 1..255 for partial tiles. Tile N at level L holds
 *   MTH(D[(N·256 + i)·256^L : (N·256 + i + 1)·256^L]) for i < 256 (or W). Entry bundles are
 *   big-endian uint16 length-prefixed entries.
 * sumdb: tile height H in the path, `tile/<H>/<L>/<N>[.p/<W>]`, data tiles
 *   `tile/<H>/data/<N>[.p/<W>]` holding records (text ending in a newline, no blank line)
 *   each followed by a blank line (tlog.FormatRecord without its id line). Go's sum.golang.org
 *   uses H = 8; the layout is read for 1 <= H <= 30 as x/mod allows.
 * serverless: leaf i at `seq/<aa>/<bb>/<cc>/<dd>/<ee>`, the 10 lowercase hex digits of i in
 *   pairs; one file per leaf holding its raw bytes.
 */

/** Hashes per full tile in tlog-tiles (height 8). */
const TILE_WIDTH = 256;
const TILE_HEIGHT = 8;
export const HASH_SIZE = 32;
/** Largest entry an entry bundle can hold: the uint16 length prefix. */
const MAX_BUNDLE_ENTRY = 0xffff;

/** `x001/x234/067` for 1234067 (tlog-tiles "Merkle Tree"). Requires a non-negative safe integer. */
export function encodeTileIndex(n: number): string {
  return tileIndexParts(n).join('/');
}

/** The path elements of encodeTileIndex, first to last. */
function tileIndexParts(n: number): string[] {
  const parts = [String(n % 1000).padStart(3, '0')];
  for (let m = Math.floor(n / 1000); m > 0; m = Math.floor(m / 1000))
    parts.unshift(`x${String(m % 1000).padStart(3, '0')}`);
  return parts;
}

/** Inverse of encodeTileIndex for the path elements after the level; undefined if not canonical. */
export function decodeTileIndex(parts: readonly string[]): number | undefined {
  if (parts.length === 0 || parts.length > 6) return undefined;
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const last = i === parts.length - 1;
    const m = last ? /^(\d{3})$/.exec(p) : /^x(\d{3})$/.exec(p);
    if (!m) return undefined;
    n = n * 1000 + Number(m[1]);
  }
  // Canonical form: no leading "x000/" element (x/mod tile.go refuses it as well).
  if (parts.length > 1 && parts[0] === 'x000') return undefined;
  return n;
}

export type TileKind = 'hash' | 'entries';

export interface TileRef {
  readonly kind: TileKind;
  /** Hash tiles: the level L (0 = leaf hashes). Entry bundles: 0. */
  readonly level: number;
  readonly index: number;
  /** 256 for full tiles, 1..255 for partial ones. */
  readonly width: number;
}

export type Layout = 'tlog-tiles' | 'sumdb' | 'serverless';

/** The relative path of a tile in a layout. `height` is the sumdb tile height (8 for tlog-tiles). */
export function tilePath(layout: Exclude<Layout, 'serverless'>, t: TileRef, height = TILE_HEIGHT): string {
  // Built with join, which gives one flat string: a verifier keeps a path per tile file it read
  // (78,000 at 10M entries), and concatenation left each as a rope of a dozen pieces.
  const parts = ['tile'];
  if (layout === 'sumdb') parts.push(String(height));
  parts.push(t.kind === 'entries' ? (layout === 'tlog-tiles' ? 'entries' : 'data') : String(t.level));
  parts.push(...tileIndexParts(t.index));
  if (t.width !== 1 << height) {
    parts[parts.length - 1] += '.p';
    parts.push(String(t.width));
  }
  return parts.join('/');
}

/**
 * Classifies a relative path of a tiled layout, or returns undefined for anything that is not
 * a canonically named tile of it (such files are reported and ignored).
 */
export function parseTilePath(
  layout: Exclude<Layout, 'serverless'>,
  path: string,
  height = TILE_HEIGHT,
): TileRef | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'tile') return undefined;
  let rest = parts.slice(1);
  if (layout === 'sumdb') {
    if (rest[0] !== String(height)) return undefined;
    rest = rest.slice(1);
  }
  const head = rest[0];
  let kind: TileKind;
  let level = 0;
  if (head === (layout === 'tlog-tiles' ? 'entries' : 'data')) kind = 'entries';
  else if (head !== undefined && /^(0|[1-9][0-9]?)$/.test(head) && Number(head) <= 63) {
    kind = 'hash';
    level = Number(head);
  } else return undefined;
  let idxParts = rest.slice(1);
  let width = 1 << height;
  const last = idxParts[idxParts.length - 1];
  if (
    idxParts.length >= 2 &&
    idxParts[idxParts.length - 2]!.endsWith('.p') &&
    last !== undefined &&
    /^[1-9][0-9]{0,2}$/.test(last)
  ) {
    width = Number(last);
    if (width >= 1 << height) return undefined;
    idxParts = [...idxParts.slice(0, -2), idxParts[idxParts.length - 2]!.slice(0, -2)];
  }
  const index = decodeTileIndex(idxParts);
  if (index === undefined) return undefined;
  return { kind, level, index, width };
}

/** Path of serverless-log leaf i: the 10 hex digits of i in 5 pairs (`seq/00/00/00/01/0f`). */
export function serverlessLeafPath(i: number): string {
  const h = i.toString(16).padStart(10, '0');
  return `seq/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4, 6)}/${h.slice(6, 8)}/${h.slice(8, 10)}`;
}

export type BundleParse =
  | { readonly ok: true; readonly entries: readonly Uint8Array[] }
  | {
      readonly ok: false;
      readonly reason:
        | 'TRUNCATED_LENGTH'
        | 'TRUNCATED_ENTRY'
        | 'TOO_MANY_ENTRIES'
        | 'TOO_FEW_ENTRIES'
        | 'RECORD_INVALID';
      readonly offset: number;
      readonly entries: readonly Uint8Array[];
    };

/**
 * Splits a tlog-tiles entry bundle into its entries (uint16 big-endian length prefixes) and
 * requires exactly `width` of them with no trailing bytes. Entries are subarrays of `bytes`.
 * On failure, returns the entries decoded before the problem and the byte offset of it.
 */
export function parseEntryBundle(bytes: Uint8Array, width: number): BundleParse {
  const entries: Uint8Array[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (entries.length === width) return { ok: false, reason: 'TOO_MANY_ENTRIES', offset: off, entries };
    if (off + 2 > bytes.length) return { ok: false, reason: 'TRUNCATED_LENGTH', offset: off, entries };
    const len = (bytes[off]! << 8) | bytes[off + 1]!;
    if (off + 2 + len > bytes.length) return { ok: false, reason: 'TRUNCATED_ENTRY', offset: off, entries };
    entries.push(bytes.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  if (entries.length !== width) return { ok: false, reason: 'TOO_FEW_ENTRIES', offset: off, entries };
  return { ok: true, entries };
}

/** Encodes entries as a tlog-tiles entry bundle. Requires every entry to be at most 65535 bytes. */
export function formatEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const e of entries) {
    if (e.length > MAX_BUNDLE_ENTRY) throw new RangeError('entry longer than 65535 bytes');
    n += 2 + e.length;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const e of entries) {
    out[off] = e.length >> 8;
    out[off + 1] = e.length & 0xff;
    out.set(e, off + 2);
    off += 2 + e.length;
  }
  return out;
}

/**
 * Whether `text` is valid sumdb record text (x/mod tlog isValidRecordText): valid UTF-8 without
 * control characters other than newline, ending in a newline, with no blank line.
 * Requires the bytes to have been decoded strictly already (`text` is a JS string).
 */
function isValidRecordText(text: string): boolean {
  if (!text.endsWith('\n')) return false;
  if (text.includes('\n\n') || text.startsWith('\n')) return false;
  return !/[\u0000-\u0009\u000b-\u001f]/.test(text);
}

/**
 * Splits a sumdb data tile into `width` records: each record text (ending in a newline) is
 * followed by one blank line. The leaf of record i is its text (tlog.RecordHash hashes the
 * text). Records are returned as subarrays of `bytes`.
 * `decode` must decode UTF-8 strictly (returning undefined for invalid input).
 */
export function parseDataTile(
  bytes: Uint8Array,
  width: number,
  decode: (b: Uint8Array) => string | undefined,
): BundleParse {
  const entries: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    // A record ends at the first "\n\n" from its start; its text keeps the first "\n".
    let j = start;
    while (j + 1 < bytes.length && !(bytes[j] === 0x0a && bytes[j + 1] === 0x0a)) j++;
    if (j + 1 >= bytes.length) return { ok: false, reason: 'TRUNCATED_ENTRY', offset: start, entries };
    if (entries.length === width) return { ok: false, reason: 'TOO_MANY_ENTRIES', offset: start, entries };
    const rec = bytes.subarray(start, j + 1);
    const text = decode(rec);
    if (text === undefined || !isValidRecordText(text))
      return { ok: false, reason: 'RECORD_INVALID', offset: start, entries };
    entries.push(rec);
    start = j + 2;
  }
  if (entries.length !== width) return { ok: false, reason: 'TOO_FEW_ENTRIES', offset: start, entries };
  return { ok: true, entries };
}

/**
 * The tiles a tree of `size` leaves is made of, at every level up to the top: full tiles
 * [0, full) and, when the level has a remainder, one partial tile (tlog-tiles "Partial Tiles":
 * width floor(size / 256^L) mod 256). An empty tree has no tiles.
 */
export function tilesForSize(size: number, height = TILE_HEIGHT): TileRef[] {
  const out: TileRef[] = [];
  const w = 2 ** height;
  for (let level = 0; ; level++) {
    const nodes = Math.floor(size / w ** level); // complete nodes at tree level height·L
    if (nodes === 0) break;
    const full = Math.floor(nodes / w);
    for (let i = 0; i < full; i++) out.push({ kind: 'hash', level, index: i, width: w });
    const rem = nodes % w;
    if (rem > 0) out.push({ kind: 'hash', level, index: full, width: rem });
  }
  return out;
}
