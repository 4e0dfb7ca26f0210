/**
 * Reading originals leaves their access time (docs/case-file.md §3): the tar indexing before an
 * import, `case trust` of a key file, `diff --case` (manifests read before the import, then the
 * comparison) and a plain `verify`. Every file's atime is set to 2020 first; on this file system
 * (relatime) a read without O_NOATIME would move it to now.
 */
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTar } from '../../electron/platform/tar.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { caseCli } from '../support/cli.js';
import { generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-atime-');
const { cli } = caseCli(() => tmp);
afterAll(() => removeDir(tmp));

const OLD = new Date('2020-01-01T00:00:00Z');

/** Every regular file under `p` (or `p` itself). */
function files(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { recursive: true, encoding: 'utf8' })
    .map((n) => join(p, n))
    .filter((f) => statSync(f).isFile());
}

/** Sets every file's atime to 2020 (mtime kept) and returns a check that none moved. */
function backdate(...paths: string[]): () => void {
  const all = paths.flatMap(files);
  for (const f of all) utimesSync(f, OLD, statSync(f).mtime);
  return () => {
    for (const f of all) expect(statSync(f).atime.toISOString(), f).toBe(OLD.toISOString());
  };
}

let a: string;
let b: string;
let tar: string;
let vkey: string;
beforeAll(async () => {
  const g = generateBundle(join(tmp, 'a'), 60, { checkpointEvery: 20 });
  a = g.dir;
  b = generateBundle(join(tmp, 'b'), 80, { checkpointEvery: 20 }).dir;
  tar = join(tmp, 'a.tar');
  writeTar(
    tar,
    files(a).map((f) => ({ name: f.slice(a.length + 1), source: f })),
  );
  vkey = join(tmp, 'log.vkey');
  writeFileSync(vkey, `${encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey)}\n`);
  expect((await cli(['case', 'new', join(tmp, 'case'), '--title', 'atime'])).code).toBe(0);
});

describe('originals keep their access time', () => {
  it('case import of a tar bundle (indexed to detect its kind, then copied)', async () => {
    const unchanged = backdate(tar);
    const r = await cli(['case', 'import', join(tmp, 'case'), tar]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/bundle/);
    unchanged();
  });

  it('case trust of a key file', async () => {
    const unchanged = backdate(vkey);
    const r = await cli(['case', 'trust', join(tmp, 'case'), vkey]);
    expect(r.code, r.err).toBe(0);
    unchanged();
  });

  it('diff --case of two bundle directories', async () => {
    const unchanged = backdate(a, b);
    const r = await cli(['diff', a, b, '--case', join(tmp, 'case')]);
    expect(r.code, r.err).toBe(0);
    unchanged();
  });

  it('verify of a bundle directory and of a tar', async () => {
    const unchanged = backdate(a, tar, vkey);
    for (const input of [a, tar]) expect((await cli(['verify', input, '--trust', vkey])).code).toBe(0);
    unchanged();
  });
});
