import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBundle, readRegion } from '../../../../electron/platform/bundle-source.js';
import { readTarIndex, tarHeader, writeTar } from '../../../../electron/platform/tar.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-tar-');
  writeFileSync(join(tmp, 'a.txt'), 'hello\n');
  writeFileSync(join(tmp, 'b.bin'), Buffer.alloc(1025, 7));
});
afterAll(() => removeDir(tmp));

function rawTar(entries: Array<{ name: string; data?: Buffer; type?: string }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const h = tarHeader(e.name, data.length);
    if (e.type) {
      h.write(e.type, 156, 1, 'latin1');
      h.fill(32, 148, 156);
      let sum = 0;
      for (const b of h) sum += b;
      h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
    }
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

describe('ustar reader and writer', () => {
  it('writes archives that GNU tar reads, and reads archives GNU tar writes', () => {
    const ours = join(tmp, 'ours.tar');
    writeTar(ours, [
      { name: 'a.txt', source: join(tmp, 'a.txt') },
      { name: 'dir/b.bin', source: join(tmp, 'b.bin') },
    ]);
    expect(execFileSync('tar', ['-tf', ours], { encoding: 'utf8' }).trim().split('\n')).toEqual(['a.txt', 'dir/b.bin']);
    const theirs = join(tmp, 'theirs.tar');
    mkdirSync(join(tmp, 'src', 'sub'), { recursive: true });
    writeFileSync(join(tmp, 'src', 'sub', 'x.txt'), 'x'.repeat(700));
    execFileSync('tar', ['-cf', theirs, '-C', join(tmp, 'src'), '.']);
    const idx = readTarIndex(theirs);
    const x = idx.find((m) => m.name === 'sub/x.txt')!;
    expect(x.size).toBe(700);
    expect(
      readFileSync(theirs)
        .subarray(x.offset, x.offset + 3)
        .toString(),
    ).toBe('xxx');
  });
  it('is deterministic', () => {
    writeTar(join(tmp, 'd1.tar'), [{ name: 'a.txt', source: join(tmp, 'a.txt') }]);
    writeTar(join(tmp, 'd2.tar'), [{ name: 'a.txt', source: join(tmp, 'a.txt') }]);
    expect(readFileSync(join(tmp, 'd1.tar')).equals(readFileSync(join(tmp, 'd2.tar')))).toBe(true);
  });
  it('refuses broken archives with a typed error', () => {
    const good = rawTar([{ name: 'a', data: Buffer.from('abc') }]);
    const badSum = Buffer.from(good);
    badSum[0] = 0x41;
    writeFileSync(join(tmp, 'badsum.tar'), badSum);
    expect(() => readTarIndex(join(tmp, 'badsum.tar'))).toThrow(expect.objectContaining({ code: 'INPUT_MALFORMED' }));
    writeFileSync(join(tmp, 'trunc.tar'), good.subarray(0, 600));
    expect(() => readTarIndex(join(tmp, 'trunc.tar'))).toThrow(expect.objectContaining({ code: 'INPUT_MALFORMED' }));
    writeFileSync(
      join(tmp, 'dup.tar'),
      rawTar([
        { name: 'manifest.json', data: Buffer.from('{}') },
        { name: 'manifest.json', data: Buffer.from('[]') },
      ]),
    );
    expect(() => openBundle(join(tmp, 'dup.tar'))).toThrow(expect.objectContaining({ code: 'INPUT_MALFORMED' }));
  });
  it('refuses unsafe names and non-regular members; resolves only regular files', () => {
    // Refused as a whole: a name tools normalise differently, a link (docs/bundle-format.md §1.1).
    writeFileSync(
      join(tmp, 'evil.tar'),
      rawTar([
        { name: '../../etc/passwd', data: Buffer.from('root') },
        { name: 'ok', data: Buffer.from('fine') },
      ]),
    );
    expect(() => openBundle(join(tmp, 'evil.tar'))).toThrow(
      expect.objectContaining({
        code: 'INPUT_MALFORMED',
        detail: { reason: 'NAME_NOT_CANONICAL', member: '../../etc/passwd' },
      }),
    );
    writeFileSync(
      join(tmp, 'link.tar'),
      rawTar([
        { name: 'link', type: '2' },
        { name: 'ok', data: Buffer.from('fine') },
      ]),
    );
    expect(() => openBundle(join(tmp, 'link.tar'))).toThrow(
      expect.objectContaining({ code: 'INPUT_MALFORMED', detail: { reason: 'MEMBER_TYPE', member: 'link' } }),
    );
    writeFileSync(
      join(tmp, 'fine.tar'),
      rawTar([
        { name: 'dir', type: '5' },
        { name: 'ok', data: Buffer.from('fine') },
      ]),
    );
    const b = openBundle(join(tmp, 'fine.tar'));
    expect(b.locate('../../etc/passwd')).toMatchObject({ ok: false, reason: 'UNSAFE' });
    expect(b.locate('dir')).toMatchObject({ ok: false, reason: 'UNSAFE' });
    const ok = b.locate('ok');
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(readRegion(ok.region, 100, 'ok').toString()).toBe('fine');
    expect(b.members().map((m) => [m.path, m.kind])).toEqual([
      ['dir', 'directory'],
      ['ok', 'file'],
    ]);
  });
});
