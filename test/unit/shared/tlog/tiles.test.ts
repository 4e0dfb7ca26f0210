/**
 * The tiled-log layouts (shared/tlog/tiles.ts) and the streaming tree rebuild
 * (tree-builder.ts): tile paths and arithmetic from the C2SP tlog-tiles text, entry bundle and
 * sumdb data-tile decoding, and roots and tile nodes checked against the RFC 9162 reference.
 */
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../../electron/platform/node-hash.js';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, tryDecodeUtf8, utf8 } from '../../../../shared/encoding/bytes.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { merkleRoot, merkleRootRange } from '../../../../shared/tlog/merkle/tree.js';
import {
  decodeTileIndex,
  encodeTileIndex,
  formatEntryBundle,
  parseDataTile,
  parseEntryBundle,
  parseTilePath,
  serverlessLeafPath,
  tilePath,
  tilesForSize,
} from '../../../../shared/tlog/tiles.js';
import { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import { prng } from '../../../support/fixtures.js';

describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('encodes indices as the spec example and round-trips them', () => {
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
    expect(encodeTileIndex(0)).toBe('000');
    expect(encodeTileIndex(999)).toBe('999');
    expect(encodeTileIndex(1000)).toBe('x001/000');
    for (const n of [0, 7, 999, 1000, 1001, 999999, 1000000, 123456789012])
      expect(decodeTileIndex(encodeTileIndex(n).split('/'))).toBe(n);
  });

  it('refuses non-canonical index paths', () => {
    for (const bad of ['1', '0001', 'x001', '001/x002', 'x000/001', 'x01/002', '-01'])
      expect(decodeTileIndex(bad.split('/'))).toBeUndefined();
  });

  it('names tiles and bundles in both layouts, and parses its own names back', () => {
    const refs = [
      { kind: 'hash' as const, level: 0, index: 1234067, width: 256 },
      { kind: 'hash' as const, level: 2, index: 5, width: 17 },
      { kind: 'entries' as const, level: 0, index: 12, width: 3 },
    ];
    expect(refs.map((t) => tilePath('tlog-tiles', t))).toEqual([
      'tile/0/x001/x234/067',
      'tile/2/005.p/17',
      'tile/entries/012.p/3',
    ]);
    expect(refs.map((t) => tilePath('sumdb', t))).toEqual([
      'tile/8/0/x001/x234/067',
      'tile/8/2/005.p/17',
      'tile/8/data/012.p/3',
    ]);
    for (const layout of ['tlog-tiles', 'sumdb'] as const)
      for (const t of refs) expect(parseTilePath(layout, tilePath(layout, t))).toEqual(t);
    for (const bad of [
      'tile/64/000',
      'tile/0/000.p/256',
      'tile/0/000.p/0',
      'tile/0/000.p/01',
      'tile/00/000',
      'tiles/0/000',
      'tile/entries/12',
    ])
      expect(parseTilePath('tlog-tiles', bad)).toBeUndefined();
  });

  it('lists the tiles of a size as the spec example: 70,000 and 256', () => {
    const t = tilesForSize(70000);
    const at = (level: number) => t.filter((x) => x.level === level);
    expect(at(0).filter((x) => x.width === 256).length).toBe(273);
    expect(
      at(0)
        .filter((x) => x.width < 256)
        .map((x) => x.width),
    ).toEqual([112]);
    expect(at(1).map((x) => x.width)).toEqual([256, 17]);
    expect(at(2).map((x) => x.width)).toEqual([1]);
    expect(tilesForSize(256).map((x) => [x.level, x.width])).toEqual([
      [0, 256],
      [1, 1],
    ]);
    expect(tilesForSize(0)).toEqual([]);
  });

  it('names serverless leaf files by their 10 hex digits in pairs', () => {
    expect(serverlessLeafPath(0)).toBe('seq/00/00/00/00/00');
    expect(serverlessLeafPath(14)).toBe('seq/00/00/00/00/0e');
    expect(serverlessLeafPath(0x0123456789)).toBe('seq/01/23/45/67/89');
  });
});

describe('entry bundles and data tiles', () => {
  const entries = [utf8(''), utf8('a'), new Uint8Array(300).fill(7), utf8('last\n')];

  it('entry bundles round-trip and must hold exactly the width, with no trailing bytes', () => {
    const b = formatEntryBundle(entries);
    const p = parseEntryBundle(b, 4);
    expect(p.ok && p.entries.map((e) => e.length)).toEqual([0, 1, 300, 5]);
    expect(parseEntryBundle(b, 3)).toMatchObject({ ok: false, reason: 'TOO_MANY_ENTRIES' });
    expect(parseEntryBundle(b, 5)).toMatchObject({ ok: false, reason: 'TOO_FEW_ENTRIES' });
    expect(parseEntryBundle(b.subarray(0, b.length - 1), 4)).toMatchObject({
      ok: false,
      reason: 'TRUNCATED_ENTRY',
      entries: { length: 3 },
    });
    expect(parseEntryBundle(concatBytes(b, Uint8Array.of(0)), 4)).toMatchObject({
      ok: false,
      reason: 'TOO_MANY_ENTRIES',
    });
    expect(parseEntryBundle(Uint8Array.of(0), 1)).toMatchObject({ ok: false, reason: 'TRUNCATED_LENGTH' });
  });

  it('sumdb data tiles: record texts each followed by a blank line; records must be valid record text', () => {
    const recs = [
      'golang.org/x/text v0.3.0 h1:abc=\ngolang.org/x/text v0.3.0/go.mod h1:def=\n',
      'rsc.io/quote v1.5.2 h1:xyz=\n',
    ];
    const tile = utf8(recs.map((r) => r + '\n').join(''));
    const p = parseDataTile(tile, 2, tryDecodeUtf8);
    expect(p.ok && p.entries.map((e) => tryDecodeUtf8(e))).toEqual(recs);
    expect(parseDataTile(utf8('one\n\n\ntwo\n\n'), 2, tryDecodeUtf8)).toMatchObject({
      ok: false,
      reason: 'RECORD_INVALID',
    });
    expect(parseDataTile(utf8('one\n\ntwo\n'), 2, tryDecodeUtf8)).toMatchObject({
      ok: false,
      reason: 'TRUNCATED_ENTRY',
    });
    expect(parseDataTile(utf8('on\u0001e\n\n'), 1, tryDecodeUtf8)).toMatchObject({
      ok: false,
      reason: 'RECORD_INVALID',
    });
    expect(parseDataTile(Uint8Array.of(0xff, 0x0a, 0x0a), 1, tryDecodeUtf8)).toMatchObject({
      ok: false,
      reason: 'RECORD_INVALID',
    });
  });
});

describe('TreeBuilder: streaming roots and tile nodes against the RFC 9162 reference', () => {
  it('roots at every wanted size, inside tiles and at their edges, equal MTH of the prefix', () => {
    const rand = prng(81);
    const count = 70_000;
    const leaves = Array.from({ length: count }, (_, i) => utf8(`leaf ${i} ${Math.floor(rand() * 1e6)}`));
    // node:crypto SHA-256 for speed here; it equals @noble/hashes (test/unit/shared/crypto/hash.test.ts).
    const h = nodeSha256;
    const hashes = leaves.map((l) => hashLeaf(l, h));
    const wanted = [
      0,
      1,
      2,
      255,
      256,
      257,
      511,
      512,
      65535,
      65536,
      65537,
      69999,
      70000,
      ...Array.from({ length: 6 }, () => 1 + Math.floor(rand() * count)),
    ];
    const b = new TreeBuilder({ hash: h, wantedSizes: wanted, wantedLeaves: [0, 300, 69999] });
    for (let t = 0; t * 256 < count; t++) b.appendTile(t, leaves.slice(t * 256, (t + 1) * 256));
    expect(b.size).toBe(count);
    for (const s of wanted)
      expect(Buffer.from(b.root(s)!).toString('hex')).toBe(
        Buffer.from(s === 0 ? sha256(new Uint8Array(0)) : merkleRoot(hashes.slice(0, s), h)).toString('hex'),
      );
    // The builder keeps copies as plain Uint8Arrays (node:crypto's digests are Buffers): compare bytes.
    expect(b.leafHash(300)).toEqual(new Uint8Array(hashes[300]!));
    // Tile-level nodes: level 1 = MTH of each 256-leaf block, level 2 = MTH of each 65536-leaf block.
    expect(b.nodes(1).length).toBe(273);
    expect(b.nodes(1)[100]).toEqual(new Uint8Array(merkleRootRange(hashes, 100 * 256, 101 * 256, h)));
    expect(b.nodes(2)).toEqual([new Uint8Array(merkleRootRange(hashes, 0, 65536, h))]);
  });

  it('appendLeafHashes (hashes computed by the caller, with or without the tile root) builds what appendTile builds', () => {
    const rand = prng(82);
    const count = 3 * 256 + 77;
    const leaves = Array.from({ length: count }, (_, i) => utf8(`entry ${i} ${rand()}`));
    const wanted = [1, 255, 256, 300, 512, 700, count];
    const opts = { hash: sha256, wantedSizes: wanted, wantedLeaves: [0, 257, count - 1] };
    const a = new TreeBuilder(opts);
    const b = new TreeBuilder(opts);
    const c = new TreeBuilder(opts);
    // Only sizes at tile edges: every full tile is merged by the root given.
    const edges = [256, 512, 768, count];
    const ref = new TreeBuilder({ hash: sha256, wantedSizes: edges });
    const d = new TreeBuilder({ hash: sha256, wantedSizes: edges });
    for (let t = 0; t * 256 < count; t++) {
      const tile = leaves.slice(t * 256, (t + 1) * 256);
      a.appendTile(t, tile);
      const flat = concatBytes(...tile.map((l) => hashLeaf(l)));
      b.appendLeafHashes(t, flat.slice());
      const root = tile.length === 256 ? merkleRoot(tile.map((l) => hashLeaf(l))) : undefined;
      c.appendLeafHashes(t, flat, root);
      ref.appendTile(t, tile);
      d.appendLeafHashes(t, flat, root);
      // The builder copied what it keeps: the caller reuses both buffers.
      flat.fill(0);
      root?.fill(0);
    }
    for (const x of [b, c]) {
      expect(x.size).toBe(count);
      for (const s of wanted) expect(x.root(s)).toEqual(a.root(s));
      for (const i of [0, 257, count - 1]) expect(x.leafHash(i)).toEqual(a.leafHash(i));
      expect(x.nodeBytes(1)).toEqual(a.nodeBytes(1));
      const last = concatBytes(...leaves.slice(768).map((l) => hashLeaf(l)));
      expect(x.compareTile({ kind: 'hash', level: 0, index: 3, width: 77 }, last)).toEqual({ ok: true });
    }
    for (const s of edges) expect(d.root(s)).toEqual(ref.root(s));
    expect(d.nodeBytes(1)).toEqual(ref.nodeBytes(1));
    expect(() => b.appendLeafHashes(9, new Uint8Array(32))).toThrow(RangeError);
    expect(() => new TreeBuilder({ hash: sha256 }).appendLeafHashes(0, new Uint8Array(257 * 32))).toThrow(RangeError);
  });

  it('compares tiles: equal, wrong size, and the first differing hash', () => {
    const leaves = Array.from({ length: 600 }, (_, i) => utf8(`x${i}`));
    const b = new TreeBuilder({ hash: sha256 });
    for (let t = 0; t < 3; t++) b.appendTile(t, leaves.slice(t * 256, (t + 1) * 256));
    const level1 = concatBytes(...b.nodes(1));
    expect(b.compareTile({ kind: 'hash', level: 1, index: 0, width: 2 }, level1)).toEqual({ ok: true });
    expect(b.compareTile({ kind: 'hash', level: 1, index: 0, width: 2 }, level1.subarray(1))).toMatchObject({
      ok: false,
      reason: 'SIZE',
    });
    const bad = level1.slice();
    bad[40]! ^= 1;
    expect(b.compareTile({ kind: 'hash', level: 1, index: 0, width: 2 }, bad)).toMatchObject({
      ok: false,
      reason: 'MISMATCH',
      position: 1,
      mismatches: 1,
    });
    expect(
      b.compareTile({ kind: 'hash', level: 1, index: 0, width: 3 }, concatBytes(level1, new Uint8Array(32))),
    ).toMatchObject({ ok: false, reason: 'NOT_COMPUTED' });
    // Level 0: only the tile appended last (tile 2, 88 leaves) can be compared.
    const last = concatBytes(...leaves.slice(512).map((l) => hashLeaf(l)));
    expect(b.compareTile({ kind: 'hash', level: 0, index: 2, width: 88 }, last)).toEqual({ ok: true });
    expect(b.compareTile({ kind: 'hash', level: 0, index: 2, width: 20 }, last.subarray(0, 640))).toEqual({ ok: true });
    expect(b.compareTile({ kind: 'hash', level: 0, index: 1, width: 256 }, new Uint8Array(8192))).toMatchObject({
      reason: 'NOT_COMPUTED',
    });
  });
});
