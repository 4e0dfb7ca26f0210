/**
 * Tiled logs written by our own TiledLogWriter (C2SP tlog-tiles and the sumdb layout, several
 * thousand entries), verified through verifyAny from real files on disk, then tampered with in
 * every way the layout allows: entries, hash tiles, missing and truncated files, equivocating
 * checkpoints, unsealed entries, untrusted keys, key windows, static-CT (0x05) signatures and
 * witness cosignatures, directories and tar archives.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VerifyInputOptions, verify } from '../../electron/verify/verify.js';
import { syntheticLogEntry, TiledLogWriter } from '../../electron/write/tiles-writer.js';
import { sha256 } from '../../shared/crypto/hash.js';
import { utf8 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, NOTE_SIG_COSIGNATURE_V1 } from '../../shared/keys/keys.js';
import { formatCheckpointBody } from '../../shared/tlog/checkpoint.js';
import { cosignatureSigner } from '../../shared/tlog/cosignature.js';
import { signNote } from '../../shared/tlog/note.js';
import { tilePath } from '../../shared/tlog/tiles.js';
import type { FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { ecTestKey, staticCtCheckpoint } from '../support/formats-fixtures.js';

const ORIGIN = 'log.example.com/tiles';
const LOG = testKey('formats-tile-log', ORIGIN);
const VKEY = encodeNoteVerifierKey(ORIGIN, LOG.publicKey);
/** Checkpoint sizes of the fixture log: inside a tile, at a tile boundary, and the end. */
const SIZES = [100, 256, 3000, 5000];
const COUNT = 5000;

let tmp: string;
let base: string;
let sumdb: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-tiles-');
  base = join(tmp, 'base');
  writeLog(base, 'tlog-tiles', COUNT, SIZES);
  sumdb = join(tmp, 'sumdb');
  writeLog(sumdb, 'sumdb', 1000, [700, 1000]);
});
afterAll(() => removeDir(tmp));

function writeLog(
  dir: string,
  layout: 'tlog-tiles' | 'sumdb',
  count: number,
  sizes: readonly number[],
  extra: Parameters<typeof signNote>[1] = [],
): void {
  const w = new TiledLogWriter({
    dir,
    layout,
    origin: ORIGIN,
    signers: [{ name: LOG.name, seed: LOG.seed }, ...extra],
    keepHistory: true,
  });
  for (let i = 0; i < count; i++) {
    w.append(syntheticLogEntry(i));
    if (sizes.includes(i + 1)) w.checkpoint();
  }
}

let n = 0;
function copy(from = base): string {
  const d = join(tmp, `c${n++}`);
  cpSync(from, d, { recursive: true });
  return d;
}

async function run(input: string, o: Partial<VerifyInputOptions> = {}): Promise<VerificationResult> {
  return (await verify(input, { trustArgs: [VKEY], ...o })).run.result;
}
const codes = (r: VerificationResult): FindingCode[] =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => f.code);

describe('C2SP tlog-tiles log of 5,000 entries', () => {
  it('verifies: every checkpoint, every root, every tile', async () => {
    const out = await verify(base, { trustArgs: [VKEY] });
    const r = out.run.result;
    expect(out.format).toBe('c2sp-tiles');
    expect(r.verdict).toBe('PASS');
    expect(r.bundle.entryCount).toBe(COUNT);
    expect(r.coverage).toMatchObject({ verified: COUNT, failed: 0, unverifiable: 0 });
    expect(r.checkpoints.map((c) => [c.size, c.status, c.rootStatus])).toEqual([
      [5000, 'trusted', 'match'],
      ...SIZES.map((s) => [s, 'trusted', 'match']),
    ]);
    // 19 full + 1 partial leaf tile for 5000, the partial leaf tiles of 100 and 3000, the level-1
    // partials of 256, 3000 and 5000: every one of them compared.
    expect(r.checks.find((c) => c.id === 'merkle-roots')!.counts).toMatchObject({ roots: 5, tiles: 25, problems: 0 });
    expect(codes(r)).toEqual([]);
    expect(out.tiles!.blockRoots.length).toBe(19 * 32);
  });

  it('is read the same from an uncompressed tar of the directory', async () => {
    const tar = join(tmp, 'log.tar');
    execFileSync('tar', ['--format=ustar', '-cf', tar, '-C', base, '.']);
    const out = await verify(tar, { trustArgs: [VKEY] });
    expect(out.format).toBe('c2sp-tiles');
    expect(out.run.result.verdict).toBe('PASS');
    expect(out.run.result.bundle.container).toBe('tar');
    expect(out.run.result.coverage.verified).toBe(COUNT);
  });

  it('an altered entry: roots from there on mismatch, and the leaf and level-1 tiles disagree with it', async () => {
    const d = copy();
    const p = join(d, tilePath('tlog-tiles', { kind: 'entries', level: 0, index: 7, width: 256 }));
    const b = readFileSync(p);
    b[10] = b[10]! ^ 1; // inside entry 1792 (the first of tile 7)
    writeFileSync(p, b);
    const r = await run(d);
    expect(r.verdict).toBe('FAIL');
    const mism = r.findings.filter((f) => f.code === 'ROOT_MISMATCH').map((f) => f.location.checkpointSize);
    expect(mism.sort()).toEqual([3000, 5000, 5000]);
    const tiles = r.findings.filter((f) => f.code === 'TILE_HASH_MISMATCH');
    expect(tiles.map((f) => f.location.file).sort()).toEqual(['tile/0/007', 'tile/1/000.p/11', 'tile/1/000.p/19']);
    expect(tiles.find((f) => f.location.file === 'tile/0/007')!.location.range).toEqual([1792, 1793]);
    // The published leaf tile pins the entry: it alone failed; the rest under the mismatching roots is no longer proven.
    expect(r.coverage.ranges.filter((x) => x.status === 'failed').map((x) => [x.from, x.to])).toEqual([[1792, 1793]]);
    expect(r.diagnosis.map((c) => [c.cause, c.entries])).toEqual([['ENTRY_ALTERED', { from: 1792, to: 1793 }]]);
    expect(r.headline).toMatch(/^Entry 1,792 was altered/);
  });

  it('a hash tile altered alone: the entries still match the signed roots, but the tile is reported', async () => {
    const d = copy();
    const p = join(d, 'tile/0/003');
    const b = readFileSync(p);
    b[32 * 5] = b[32 * 5]! ^ 0x80;
    writeFileSync(p, b);
    const r = await run(d);
    expect(codes(r)).toEqual(['TILE_HASH_MISMATCH']);
    expect(r.findings.find((f) => f.code === 'TILE_HASH_MISMATCH')!.location.range).toEqual([773, 774]);
    expect(r.coverage.verified).toBe(COUNT);
    expect(r.verdict).toBe('FAIL');
  });

  it('a tile of the wrong size is malformed; a missing tile is a warning', async () => {
    const d = copy();
    writeFileSync(join(d, 'tile/0/004'), readFileSync(join(d, 'tile/0/004')).subarray(0, 8000));
    rmSync(join(d, 'tile/0/010'));
    const r = await run(d);
    expect(codes(r).sort()).toEqual(['TILE_MALFORMED', 'TILE_MISSING']);
    expect(r.findings.find((f) => f.code === 'TILE_MISSING')!.evidence).toMatchObject({ level: 0, count: 1 });
  });

  it('a partial tile replaced by the full one is still compared (tlog-tiles "Partial Tiles")', async () => {
    const d = copy();
    rmSync(join(d, 'tile/0/000.p'), { recursive: true });
    const r = await run(d);
    expect(r.verdict).toBe('PASS');
    expect(codes(r)).toEqual([]);
  });

  it('a missing entry bundle: the checkpoints beyond it commit to entries that are not there', async () => {
    const d = copy();
    rmSync(join(d, 'tile/entries/012'));
    const r = await run(d);
    expect(r.bundle.entryCount).toBe(12 * 256);
    const beyond = r.findings.filter((f) => f.code === 'CHECKPOINT_BEYOND_ENTRIES');
    expect(beyond.map((f) => f.location.range)).toEqual([
      [3072, 5000],
      [3072, 5000],
    ]);
    expect(r.verdict).toBe('FAIL');
  });

  it('a truncated entry bundle is malformed and reading stops there', async () => {
    const d = copy();
    const p = join(d, 'tile/entries/002');
    writeFileSync(p, readFileSync(p).subarray(0, 1000));
    const r = await run(d);
    const f = r.findings.find((x) => x.code === 'TILE_MALFORMED')!;
    expect(f.location.file).toBe('tile/entries/002');
    expect(f.evidence!.reason).toMatch(/^TRUNCATED_(LENGTH|ENTRY)$/);
    expect(r.bundle.entryCount).toBeLessThan(768);
    expect(r.verdict).toBe('FAIL');
  });

  it('entries appended after the newest checkpoint are unverifiable: INCONCLUSIVE', async () => {
    const d = join(tmp, 'unsealed');
    const w = new TiledLogWriter({
      dir: d,
      layout: 'tlog-tiles',
      origin: ORIGIN,
      signers: [{ name: LOG.name, seed: LOG.seed }],
    });
    for (let i = 0; i < 700; i++) {
      w.append(syntheticLogEntry(i));
      if (i + 1 === 300) w.checkpoint();
    }
    // Two more full bundles exist (512 entries) beyond the checkpoint of 300.
    const r = await run(d);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.coverage).toMatchObject({ verified: 300, unverifiable: 212 });
    expect(codes(r)).toEqual(['UNSEALED_ENTRIES']);
  });

  it('two validly signed checkpoints of one size with different roots: equivocation', async () => {
    const d = copy();
    const fake = signNote(
      formatCheckpointBody({ origin: ORIGIN, size: 3000, rootHash: sha256(utf8('another history')) }),
      [{ name: LOG.name, seed: LOG.seed }],
    );
    writeFileSync(join(d, 'checkpoint.3001'), readFileSync(join(d, 'checkpoint.3000')));
    writeFileSync(join(d, 'checkpoint.3000'), fake);
    const r = await run(d);
    expect(codes(r)).toContain('CHECKPOINT_CONFLICT');
    expect(codes(r)).toContain('ROOT_MISMATCH');
  });

  it('keys: an untrusted key fails, a wrong --origin fails, a window with an end and no witness is not established', async () => {
    const other = encodeNoteVerifierKey(ORIGIN, testKey('formats-other').publicKey);
    expect(codes(await run(base, { trustArgs: [other] }))).toContain('KEY_UNTRUSTED');
    expect(codes(await run(base, { origin: 'log.example.com/other' }))).toContain('CHECKPOINT_ORIGIN_MISMATCH');
    const bounded = await run(base, {
      trustArgs: [],
      trusted: [{ ...LOG.trusted, validUntil: '2030-01-01T00:00:00Z' }],
    });
    expect(codes(bounded)).toContain('TIME_NOT_ESTABLISHED');
    expect([bounded.verdict, bounded.coverage.verified]).toEqual(['INCONCLUSIVE', 0]);
    const open = await run(base, { trustArgs: [], trusted: [{ ...LOG.trusted, validFrom: '2020-01-01T00:00:00Z' }] });
    expect(open.verdict).toBe('PASS');
    expect(codes(open)).toContain('TIME_NOT_ESTABLISHED');
  });

  it('a witness cosignature dates the checkpoints: the end of a key window is judged by it', async () => {
    const d = join(tmp, 'cosigned');
    const witness = testKey('formats-witness', 'witness.example');
    writeLog(d, 'tlog-tiles', 600, [600], [cosignatureSigner(witness.name, witness.seed, 1_780_000_000)]);
    const wkey = encodeNoteVerifierKey(witness.name, witness.publicKey, NOTE_SIG_COSIGNATURE_V1);
    const ok = await run(d, {
      trustArgs: [wkey],
      trusted: [{ ...LOG.trusted, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }],
    });
    expect(ok.verdict).toBe('PASS');
    expect(ok.evidenceTime).toMatchObject({ cosignedFrom: 1_780_000_000, cosignedTo: 1_780_000_000 });
    // Opaque entries state no time, so the start is accepted unchecked (with a warning).
    expect([...new Set(codes(ok))]).toEqual(['TIME_NOT_ESTABLISHED']);
    const revokedBefore = await run(d, {
      trustArgs: [wkey],
      trusted: [{ ...LOG.trusted, revokedAt: '2026-06-01T00:00:00Z' }],
    });
    expect([revokedBefore.verdict, codes(revokedBefore)]).toEqual(['PASS', []]);
    // Witnessed after the window's end or the revocation: the signature may predate it, but nothing shows it.
    for (const w of [{ validUntil: '2021-01-01T00:00:00Z' }, { revokedAt: '2026-05-01T00:00:00Z' }]) {
      const late = await run(d, { trustArgs: [wkey], trusted: [{ ...LOG.trusted, ...w }] });
      expect(
        [late.verdict, [...new Set(codes(late))], [...new Set(late.checkpoints.map((c) => c.status))]],
        JSON.stringify(w),
      ).toEqual(['INCONCLUSIVE', ['TIME_NOT_ESTABLISHED'], ['untrusted']]);
    }
    // Witnessed before the window opens: signed before it, for certain.
    const early = await run(d, { trustArgs: [wkey], trusted: [{ ...LOG.trusted, validFrom: '2027-01-01T00:00:00Z' }] });
    expect([early.verdict, [...new Set(codes(early))]]).toEqual(['FAIL', ['KEY_NOT_VALID_AT_TIME']]);
  });

  it('unknown files beside the layout are reported and not read', async () => {
    const d = copy();
    writeFileSync(join(d, 'notes.txt'), 'hello');
    const r = await run(d);
    expect(r.verdict).toBe('PASS');
    expect(r.findings.filter((f) => f.code === 'FILE_UNLISTED').map((f) => f.location.file)).toEqual(['notes.txt']);
  });

  it('--cross-check (both Ed25519 paths on every signature) gives the same result', async () => {
    const a = await run(base);
    const b = await run(base, { crossCheck: true });
    expect({ ...b, parameters: a.parameters }).toEqual(a);
  });
});

describe('static-CT checkpoints (RFC6962NoteSignature, type 0x05)', () => {
  const ec = ecTestKey('static-ct');
  it('a tiled log whose checkpoints are signed only with 0x05 verifies with the PEM key, and fails when altered', async () => {
    const d = copy();
    const pem = join(tmp, 'static-ct.pem');
    writeFileSync(pem, ec.pem);
    for (const f of ['checkpoint', ...SIZES.map((s) => `checkpoint.${s}`)]) {
      const text = readFileSync(join(d, f), 'utf8');
      writeFileSync(join(d, f), staticCtCheckpoint(text.slice(0, text.indexOf('\n\n') + 1), ec, 1_780_000_000_123));
    }
    const r = await run(d, { trustArgs: [pem] });
    expect(r.verdict).toBe('PASS');
    expect(r.checkpoints[0]!.signatures[0]).toMatchObject({ kind: 'log', status: 'verified', time: 1_780_000_000 });
    const single = await run(join(d, 'checkpoint.3000'), { trustArgs: [pem] });
    expect(single.verdict).toBe('PASS');
    const t = readFileSync(join(d, 'checkpoint'), 'utf8').replace('\n5000\n', '\n5001\n');
    writeFileSync(join(d, 'checkpoint'), t);
    expect(codes(await run(d, { trustArgs: [pem] }))).toContain('SIGNATURE_INVALID');
  });
});

describe('the Go checksum-database layout (sumdb)', () => {
  it('verifies a 1,000-record log with data tiles and `latest`', async () => {
    const out = await verify(sumdb, { trustArgs: [VKEY] });
    expect(out.format).toBe('sumdb');
    expect(out.run.result.verdict).toBe('PASS');
    expect(out.run.result.coverage.verified).toBe(1000);
  });

  it('an altered record fails; a record containing a blank line is malformed', async () => {
    const d = copy(sumdb);
    const p = join(d, 'tile/8/data/001');
    const b = readFileSync(p);
    b[3] = b[3] === 0x41 ? 0x42 : 0x41;
    writeFileSync(p, b);
    expect(codes(await run(d))).toContain('ROOT_MISMATCH');
    const e = copy(sumdb);
    const q = join(e, 'tile/8/data/000');
    const c = readFileSync(q);
    writeFileSync(q, Buffer.concat([Buffer.from('\n'), c.subarray(1)]));
    expect(codes(await run(e))).toContain('TILE_MALFORMED');
  });
});

describe('detection and unusable input', () => {
  it('a Proofdesk bundle still goes to verifyBundle; an empty directory is a usage error', async () => {
    const { generateBundle } = await import('../support/fixtures.js');
    const b = join(tmp, 'native');
    const g = generateBundle(b, 20);
    const out = await verify(b, { trusted: [g.logKey.trusted] });
    expect(out.format).toBe('proofdesk-bundle');
    expect(out.run.result.verdict).toBe('PASS');
    const empty = join(tmp, 'empty');
    cpSync(join(tmp, 'native'), empty, { recursive: true });
    for (const f of ['manifest.json']) unlinkSync(join(empty, f));
    await expect(verify(empty, { trustArgs: [VKEY] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(verify(join(tmp, 'nope'), { trustArgs: [VKEY] })).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await expect(verify(base, { format: 'sigstore', trustArgs: [VKEY] })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('cancellation', () => {
  it('an abort during the read ends the run with CANCELLED', async () => {
    const ac = new AbortController();
    let seen = 0;
    const p = verify(base, {
      trustArgs: [VKEY],
      signal: ac.signal,
      onProgress: () => (++seen === 2 ? ac.abort() : undefined),
    });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBeLessThan(COUNT / 256);
  });
});
