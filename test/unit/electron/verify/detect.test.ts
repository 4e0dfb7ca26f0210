/**
 * Detection on real files: what is not any known format is a usage error naming the formats
 * tried (never a "malformed signed note"), and a bundle is recognised from its whole manifest.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTar } from '../../../../electron/platform/tar.js';
import { detectFormat, FORMATS_TRIED } from '../../../../electron/verify/detect.js';
import { verify } from '../../../../electron/verify/verify.js';
import { generateBundle, makeTempDir, prng, removeDir, testKey } from '../../../support/fixtures.js';
import { readManifestJson } from '../../../support/tamper.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-detect-');
  generateBundle(join(tmp, 'bundle'), 20, { checkpointEvery: 10 });
  writeTar(
    join(tmp, 'bundle.tar'),
    ['manifest.json', ...readManifestJson(join(tmp, 'bundle')).files.map((f) => f.path)].map((name) => ({
      name,
      source: join(tmp, 'bundle', name),
    })),
  );
});
afterAll(() => removeDir(tmp));

const put = (name: string, bytes: Uint8Array | string): string => {
  writeFileSync(join(tmp, name), bytes);
  return join(tmp, name);
};

function usageError(path: string): string {
  try {
    detectFormat(path);
  } catch (e) {
    expect(e).toMatchObject({ code: 'USAGE' });
    const m = (e as Error).message;
    expect(m).toContain(FORMATS_TRIED);
    return m;
  }
  throw new Error(`${path} was detected`);
}

/** The ustar archive turned into a pre-POSIX one: magic and version cleared, checksum recomputed. */
function v7Tar(): Buffer {
  const t = Buffer.from(readFileSync(join(tmp, 'bundle.tar')));
  let at = 0;
  while (at + 512 <= t.length && t.subarray(at, at + 512).some((b) => b !== 0)) {
    const h = t.subarray(at, at + 512);
    h.fill(0, 257, 265);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const size = Number.parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/, ''), 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return t;
}

describe('input that is no known format', () => {
  it('an empty file, an empty tar, a v7 tar, a .tar.gz, a zip and random bytes are usage errors that say what they are', () => {
    const rand = prng(7);
    const random = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
    const cases: Array<[string, Uint8Array | string, RegExp]> = [
      ['empty', '', /the file is empty/],
      ['empty.tar', new Uint8Array(10240), /all-zero block/],
      ['v7.tar', v7Tar(), /pre-POSIX \(v7\) tar/],
      ['bundle.tar.gz', gzipSync(readFileSync(join(tmp, 'bundle.tar'))), /gzip-compressed/],
      ['bundle.zip', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from(random.subarray(0, 200))]), /zip/],
      ['random.bin', random, /binary data/],
    ];
    for (const [name, bytes, why] of cases) expect(usageError(put(name, bytes)), name).toMatch(why);
    // The genuine archive is still a bundle; a text file is still read as a (malformed) note.
    expect(detectFormat(join(tmp, 'bundle.tar')).format).toBe('proofdesk-bundle');
    expect(detectFormat(put('note.txt', 'not signed\n')).format).toBe('signed-note');
    // One stray invalid byte in a note is a malformed note, not binary data (the x/mod vectors hold one).
    const stray = Buffer.concat([
      Buffer.from([0xff]),
      Buffer.from('If you think cryptography is the answer\n\n— a b\n'),
    ]);
    expect(detectFormat(put('stray.txt', stray)).format).toBe('signed-note');
  });

  it('a directory of nothing known names the formats tried', () => {
    mkdirSync(join(tmp, 'other'));
    put('other/manifest.json', '{"format":"something-else","entries":{}}');
    expect(usageError(join(tmp, 'other'))).toMatch(/holds no manifest\.json, checkpoint/);
  });
});

describe('the manifest decides, read whole', () => {
  it('a conformant manifest with sorted keys and a hundred checkpoints is a bundle, and verifies', async () => {
    const dir = join(tmp, 'sorted');
    const log = testKey('log', 'audit.example.com/prod');
    generateBundle(dir, 100, { checkpointEvery: 1, logKey: log });
    const m = readManifestJson(dir) as unknown as Record<string, unknown>;
    const sorted = Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]]),
    );
    const text = JSON.stringify(sorted, null, 2);
    expect(text.indexOf('"format"')).toBeGreaterThan(4096);
    writeFileSync(join(dir, 'manifest.json'), text);
    expect(detectFormat(dir).format).toBe('proofdesk-bundle');
    const out = await verify(dir, { trusted: [log.trusted], workers: 1 });
    expect(out.run.result.verdict).toBe('PASS');
  });

  it('a damaged manifest is reported as damaged, not as missing', async () => {
    const dir = join(tmp, 'damaged');
    generateBundle(dir, 5);
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), text.slice(0, text.length / 2));
    expect(detectFormat(dir).format).toBe('proofdesk-bundle');
    await expect(verify(dir, { trusted: [testKey('log').trusted] })).rejects.toMatchObject({
      code: 'INPUT_MALFORMED',
      message: expect.stringMatching(/manifest\.json is not valid UTF-8 JSON/),
    });
  });
});
