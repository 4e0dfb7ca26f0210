/**
 * electron/platform/bundle-source.ts: bundle-relative paths of a directory or a tar resolve to
 * regions of regular files inside the bundle only. read() (check and read through one
 * descriptor) answers as locate() followed by readRegion() does, on every kind of path: a file,
 * a missing one, a link as the file or as a directory on the way, a directory as the file, a
 * path the lexical rules refuse, a file over the size limit, and a directory swapped for a link
 * between two reads.
 */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleSource, openBundle, readRegion } from '../../../../electron/platform/bundle-source.js';
import { writeTar } from '../../../../electron/platform/tar.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-source-');
  const b = join(tmp, 'bundle');
  mkdirSync(join(b, 'tile', 'entries'), { recursive: true });
  writeFileSync(join(b, 'checkpoint'), 'a checkpoint\n');
  writeFileSync(join(b, 'tile', 'entries', '000'), 'entries of tile 0');
  writeFileSync(join(b, 'big'), Buffer.alloc(5000, 7));
  writeFileSync(join(tmp, 'outside'), 'not in the bundle');
  mkdirSync(join(tmp, 'elsewhere', 'entries'), { recursive: true });
  writeFileSync(join(tmp, 'elsewhere', 'entries', '000'), 'entries from outside');
  symlinkSync(join(tmp, 'outside'), join(b, 'link-to-file'));
  symlinkSync(join(tmp, 'elsewhere'), join(b, 'linkdir'));
});
afterAll(() => removeDir(tmp));

/** What locate + readRegion give, in read()'s terms. */
function viaLocate(src: BundleSource, path: string, max: number): unknown {
  const loc = src.locate(path);
  if (!loc.ok) return loc;
  if (loc.region.size > max) return { ok: false, reason: 'TOO_LARGE', size: loc.region.size };
  return { ok: true, region: loc.region, bytes: readRegion(loc.region, max, path) };
}

const PATHS = [
  'checkpoint',
  'tile/entries/000',
  'big',
  'missing',
  'tile/missing/000',
  'checkpoint/under-a-file',
  'link-to-file',
  'linkdir/entries/000',
  'tile',
  'tile/entries',
  '../outside',
  '/etc/passwd',
  'tile/./entries/000',
  '',
];

describe('BundleSource.read', () => {
  it('a directory bundle: read() equals locate() + readRegion() on every kind of path', () => {
    const src = openBundle(join(tmp, 'bundle'));
    for (const p of PATHS) expect(src.read(p, 4096), p).toEqual(viaLocate(src, p, 4096));
    const ok = src.read('tile/entries/000', 4096);
    expect(ok.ok && ok.bytes.toString()).toBe('entries of tile 0');
    expect(src.read('big', 4096)).toEqual({ ok: false, reason: 'TOO_LARGE', size: 5000 });
    expect(src.read('linkdir/entries/000', 4096)).toMatchObject({ ok: false, reason: 'UNSAFE' });
    expect(src.read('link-to-file', 4096)).toMatchObject({ ok: false, reason: 'UNSAFE' });
    expect(src.read('tile', 4096)).toMatchObject({ ok: false, reason: 'UNSAFE' });
    expect(src.read('missing', 4096)).toMatchObject({ ok: false, reason: 'MISSING' });
  });

  it('a directory swapped for a link to the outside between two reads is refused on the second', () => {
    const b = join(tmp, 'swap');
    mkdirSync(join(b, 'tile', 'entries'), { recursive: true });
    writeFileSync(join(b, 'tile', 'entries', '000'), 'inside');
    const src = openBundle(b);
    const first = src.read('tile/entries/000', 4096);
    expect(first.ok && first.bytes.toString()).toBe('inside');
    renameSync(join(b, 'tile'), join(b, 'tile-was'));
    symlinkSync(join(tmp, 'elsewhere'), join(b, 'tile'));
    expect(src.read('entries/000', 4096)).toMatchObject({ ok: false, reason: 'MISSING' });
    expect(src.read('tile/entries/000', 4096)).toMatchObject({ ok: false, reason: 'UNSAFE' });
    expect(src.locate('tile/entries/000')).toMatchObject({ ok: false, reason: 'UNSAFE' });
  });

  it('a tar bundle: read() equals locate() + readRegion()', () => {
    const tar = join(tmp, 'bundle.tar');
    const b = join(tmp, 'bundle');
    writeTar(tar, [
      { name: 'checkpoint', source: join(b, 'checkpoint') },
      { name: 'tile/entries/000', source: join(b, 'tile', 'entries', '000') },
      { name: 'big', source: join(b, 'big') },
    ]);
    const src = openBundle(tar);
    for (const p of PATHS) expect(src.read(p, 4096), p).toEqual(viaLocate(src, p, 4096));
    const ok = src.read('tile/entries/000', 4096);
    expect(ok.ok && ok.bytes.toString()).toBe('entries of tile 0');
  });
});
