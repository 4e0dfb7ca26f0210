/**
 * One archive, one view: the names Proofdesk reads from a tar are the names GNU tar extracts.
 * Archives made by the system's GNU tar with long names (over 100 bytes) in --format=gnu (GNU
 * 'L' long-name headers) and --format=pax ('x' headers); hand-made headers for what GNU tar
 * will not write (junk in the ustar prefix bytes of a GNU-magic header, pax global headers, GNU
 * long link names, conflicting extended headers); links, hard links and FIFOs archived by GNU
 * tar; and names that tools normalise differently or that collide on case-insensitive file
 * systems. Refusals are asserted by error code and detail.reason / detail.member.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../../../electron/platform/bundle-source.js';
import { readTarIndex, tarHeader } from '../../../../electron/platform/tar.js';
import { verifyBundle } from '../../../../electron/verify/bundle/verify.js';
import { repoModule, scriptBounded } from '../../../support/bounded.js';
import { generateBundle, makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-tar-hostile-');
afterAll(() => removeDir(tmp));

const LONG_DIR = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
const LONG_FILE = `${LONG_DIR}/${'f'.repeat(120)}.txt`;

/** GNU tar's own listing, in the form the reader reports (no "./", no directory "/"). */
function gnuList(tar: string): string[] {
  return execFileSync('tar', ['-tf', tar], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '' && l !== './')
    .map((l) => l.replace(/^\.\//, '').replace(/\/$/, ''));
}

function setChecksum(h: Buffer): Buffer {
  h.fill(32, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

interface RawMember {
  readonly name: string;
  readonly data?: Buffer;
  readonly type?: string;
  /** Overwrites header bytes at these offsets (before the checksum is set). */
  readonly patch?: ReadonlyArray<readonly [number, string]>;
}

/** An archive from hand-made ustar headers (tarHeader), each optionally patched. */
function rawTar(members: readonly RawMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const data = m.data ?? Buffer.alloc(0);
    const h = tarHeader(m.name.slice(0, 100), data.length);
    if (m.type) h.write(m.type, 156, 1, 'latin1');
    for (const [off, text] of m.patch ?? []) h.write(text, off, 'latin1');
    parts.push(setChecksum(h), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

function write(name: string, bytes: Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

const refused = (reason: string, member?: string) =>
  expect.objectContaining({
    code: 'INPUT_MALFORMED',
    detail: member === undefined ? expect.objectContaining({ reason }) : { reason, member },
  });

describe('names longer than 100 bytes, as GNU tar writes them', () => {
  const src = join(tmp, 'src');
  mkdirSync(join(src, LONG_DIR), { recursive: true });
  writeFileSync(join(src, LONG_FILE), 'long name content\n');
  writeFileSync(join(src, 'short.txt'), 'short\n');

  for (const format of ['gnu', 'pax'] as const) {
    it(`--format=${format}: the reader's names and data are GNU tar's`, () => {
      const tar = join(tmp, `long-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', tar, '-C', src, '.']);
      const idx = readTarIndex(tar);
      expect(idx.map((m) => m.name).sort()).toEqual(gnuList(tar).sort());
      const f = idx.find((m) => m.name === LONG_FILE)!;
      expect(f).toMatchObject({ type: '0', size: 18 });
      expect(
        readFileSync(tar)
          .subarray(f.offset, f.offset + f.size)
          .toString(),
      ).toBe('long name content\n');
    });
  }

  it('a bundle archived with --format=gnu reports an unlisted long-named file under its full name', async () => {
    const g = generateBundle(join(tmp, 'bundle'), 30, { checkpointEvery: 10 });
    mkdirSync(join(g.dir, LONG_DIR), { recursive: true });
    writeFileSync(join(g.dir, LONG_FILE), 'not in the manifest\n');
    const tar = join(tmp, 'bundle-gnu.tar');
    execFileSync('tar', ['--format=gnu', '-cf', tar, '-C', g.dir, '.']);
    const { run } = await verifyBundle({ bundle: tar, trusted: [g.logKey.trusted], workers: 1 });
    expect(run.result.findings.filter((f) => f.code === 'FILE_UNLISTED').map((f) => f.location.file)).toEqual([
      LONG_FILE,
    ]);
    expect(run.result.verdict).toBe('PASS');
  });
});

describe('the ustar prefix field counts only under the POSIX magic', () => {
  it('a GNU-magic header with bytes in the prefix area is read by its name field alone, as GNU tar lists it', () => {
    const gnuMagic: [number, string] = [257, 'ustar  \0'];
    const tar = write(
      'gnu-prefix.tar',
      rawTar([{ name: 'manifest.json', data: Buffer.from('{}'), patch: [gnuMagic, [345, 'evil']] }]),
    );
    expect(gnuList(tar)).toEqual(['manifest.json']);
    expect(readTarIndex(tar).map((m) => m.name)).toEqual(['manifest.json']);
    // Under the POSIX magic the same bytes are a directory prefix, for GNU tar as for us.
    const posix = write(
      'posix-prefix.tar',
      rawTar([{ name: 'manifest.json', data: Buffer.from('{}'), patch: [[345, 'sub']] }]),
    );
    expect(gnuList(posix)).toEqual(['sub/manifest.json']);
    expect(readTarIndex(posix).map((m) => m.name)).toEqual(['sub/manifest.json']);
  });
});

describe('only regular files and directories', () => {
  it('a symbolic link, a hard link and a FIFO archived by GNU tar are each refused, naming the member', () => {
    const cases: Array<[string, (dir: string) => void]> = [
      ['symlink', (d) => symlinkSync('target.txt', join(d, 'symlink'))],
      ['hardlink', (d) => linkSync(join(d, 'target.txt'), join(d, 'hardlink'))],
      ['fifo', (d) => execFileSync('mkfifo', [join(d, 'fifo')])],
    ];
    for (const [member, make] of cases) {
      const dir = join(tmp, `types-${member}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'target.txt'), 'x');
      make(dir);
      const tar = join(tmp, `types-${member}.tar`);
      // Sorted so that the hard link's target is archived first and the link is the link.
      execFileSync('tar', ['--sort=name', '-cf', tar, '-C', dir, 'target.txt', member]);
      expect(() => readTarIndex(tar)).toThrow(refused('MEMBER_TYPE', member));
    }
  });

  it('pax global headers, GNU long link names and other types are refused', () => {
    const g = paxRecord('comment', 'global');
    expect(() =>
      readTarIndex(
        write(
          'g.tar',
          rawTar([
            { name: 'pax_global_header', type: 'g', data: Buffer.from(g) },
            { name: 'a', data: Buffer.from('a') },
          ]),
        ),
      ),
    ).toThrow(refused('MEMBER_TYPE'));
    expect(() =>
      readTarIndex(
        write(
          'k.tar',
          rawTar([
            { name: '././@LongLink', type: 'K', data: Buffer.from('target\0') },
            { name: 'a', type: '2' },
          ]),
        ),
      ),
    ).toThrow(refused('MEMBER_TYPE'));
    for (const t of ['1', '3', '4', '6', '7', 'S', 'V']) {
      expect(() => readTarIndex(write(`type-${t}.tar`, rawTar([{ name: `m${t}`, type: t }])))).toThrow(
        refused('MEMBER_TYPE', `m${t}`),
      );
    }
    const sparse = paxRecord('GNU.sparse.major', '1') + paxRecord('GNU.sparse.minor', '0');
    expect(() =>
      readTarIndex(
        write(
          'sparse.tar',
          rawTar([
            { name: 'x', type: 'x', data: Buffer.from(sparse) },
            { name: 'a', data: Buffer.from('a') },
          ]),
        ),
      ),
    ).toThrow(refused('MEMBER_TYPE', 'a'));
  });
});

describe('extended headers are read as GNU tar reads them, or refused when readers disagree', () => {
  const L = (name: string): RawMember => ({ name: '././@LongLink', type: 'L', data: Buffer.from(`${name}\0`) });
  const X = (...records: string[]): RawMember => ({
    name: 'PaxHeaders/x',
    type: 'x',
    data: Buffer.from(records.join('')),
  });

  it('a GNU long name replaces the header name (up to its first NUL), as GNU tar lists it', () => {
    const tar = write(
      'long.tar',
      rawTar([
        { ...L('real/name.txt'), data: Buffer.from('real/name.txt\0ignored') },
        { name: 'decoy.txt', data: Buffer.from('x') },
      ]),
    );
    expect(gnuList(tar)).toEqual(['real/name.txt']);
    expect(readTarIndex(tar).map((m) => m.name)).toEqual(['real/name.txt']);
  });

  it('conflicting or dangling extended headers are refused', () => {
    const m = { name: 'a', data: Buffer.from('a') };
    expect(() => readTarIndex(write('l-l.tar', rawTar([L('one'), L('two'), m])))).toThrow(refused('EXTENDED_HEADER'));
    expect(() => readTarIndex(write('x-l.tar', rawTar([X(paxRecord('path', 'one')), L('two'), m])))).toThrow(
      refused('EXTENDED_HEADER'),
    );
    expect(() => readTarIndex(write('l-end.tar', rawTar([L('one')])))).toThrow(refused('EXTENDED_HEADER'));
    expect(() => readTarIndex(write('x-nul.tar', rawTar([X(paxRecord('path', 'manifest.json\0x')), m])))).toThrow(
      refused('EXTENDED_HEADER'),
    );
    expect(() =>
      readTarIndex(write('x-dup.tar', rawTar([X(paxRecord('path', 'b'), paxRecord('path', 'c')), m]))),
    ).toThrow(refused('STRUCTURE'));
  });
});

describe('no two members extract to one file', () => {
  const file = (name: string, text = 'x'): RawMember => ({ name, data: Buffer.from(text) });

  it('names that tools normalise differently are refused, naming the member', () => {
    for (const name of [
      'sub/../manifest.json',
      'a//manifest.json',
      'a/./manifest.json',
      '/manifest.json',
      '././manifest.json',
      'dir\\manifest.json',
      'file/',
    ]) {
      expect(() => readTarIndex(write('odd.tar', rawTar([file(name)])))).toThrow(refused('NAME_NOT_CANONICAL', name));
    }
  });

  it('two spellings of one path, two letter cases, or a file under a file are refused', () => {
    expect(() =>
      openBundle(write('dot.tar', rawTar([file('./manifest.json', '{}'), file('manifest.json', '[]')]))),
    ).toThrow(refused('DUPLICATE_NAME', 'manifest.json'));
    expect(() =>
      openBundle(write('case.tar', rawTar([file('manifest.json', '{}'), file('Manifest.json', '[]')]))),
    ).toThrow(refused('NAME_COLLISION', 'Manifest.json'));
    expect(() => openBundle(write('nfd.tar', rawTar([file('caf\u00e9'), file('cafe\u0301')])))).toThrow(
      refused('NAME_COLLISION'),
    );
    expect(() => openBundle(write('parent.tar', rawTar([file('a'), file('a/b')])))).toThrow(
      refused('PARENT_IS_FILE', 'a/b'),
    );
    // Names that are not UTF-8 would all read as U+FFFD.
    const bad = rawTar([file('n'), file('m')]);
    bad[0] = 0xff;
    setChecksum(bad.subarray(0, 512));
    expect(() => readTarIndex(write('latin1.tar', bad))).toThrow(refused('NAME_ENCODING'));
    // The same directory twice holds no data: accepted.
    expect(
      readTarIndex(write('dirs.tar', rawTar([{ name: 'd/', type: '5' }, { name: 'd/', type: '5' }, file('d/x')]))).map(
        (m) => m.name,
      ),
    ).toEqual(['d', 'd', 'd/x']);
  });
});

describe('long names are checked in time linear in their length', () => {
  const MiB = 1024 * 1024;
  const deep = (bytes: number) => `${'a/'.repeat(Math.floor((bytes - 1) / 2))}f`;

  /** readTarIndex of `tar` in a child process that is killed after `timeoutMs`. */
  async function indexBounded(tar: string, timeoutMs: number) {
    const r = await scriptBounded(
      [
        `import { readTarIndex } from ${repoModule('electron/platform/tar.ts')};`,
        `try { const m = readTarIndex(${JSON.stringify(tar)}); console.log(JSON.stringify({ members: m.length })); }`,
        `catch (e) { console.log(JSON.stringify({ code: e.code, detail: e.detail })); }`,
      ].join('\n'),
      { timeoutMs },
    );
    expect(r.timedOut, `still running after ${r.ms} ms`).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    return { ...r, outcome: JSON.parse(r.stdout) as { members?: number; code?: string; detail?: { reason: string } } };
  }

  it('a 1 MiB pax path and a 1 MiB GNU long name (half a million segments) are refused at once', async () => {
    const name = deep(MiB - 64);
    const pax = write(
      'pax-1mib.tar',
      rawTar([
        { name: 'PaxHeaders/x', type: 'x', data: Buffer.from(paxRecord('path', name)) },
        { name: 'x', data: Buffer.from('x') },
      ]),
    );
    const gnu = write(
      'gnu-1mib.tar',
      rawTar([
        { name: '././@LongLink', type: 'L', data: Buffer.from(`${name}\0`) },
        { name: 'x', data: Buffer.from('x') },
      ]),
    );
    for (const tar of [pax, gnu]) {
      const r = await indexBounded(tar, 20_000);
      expect(r.outcome).toEqual({ code: 'INPUT_MALFORMED', detail: { reason: 'NAME_TOO_LONG' } });
      expect(r.ms).toBeLessThan(10_000);
    }
  });

  it('2,000 members of 4,000 bytes and 2,000 segments each, the last under a file: PARENT_IS_FILE in seconds', async () => {
    const members: RawMember[] = [];
    for (let i = 0; i < 2000; i++) {
      const name = `${String(i).padStart(4, '0')}/${deep(3990)}`;
      members.push(
        { name: '././@LongLink', type: 'L', data: Buffer.from(`${name}\0`) },
        { name: 'x', data: Buffer.from('x') },
      );
    }
    const under = `1999/${'a/'.repeat(10)}`;
    members.push({ name: under.slice(0, -1), data: Buffer.from('file') });
    const r = await indexBounded(write('deep-many.tar', rawTar(members)), 60_000);
    expect(r.outcome).toEqual({
      code: 'INPUT_MALFORMED',
      detail: { reason: 'PARENT_IS_FILE', member: expect.stringMatching(/^1999\//) },
    });
    expect(r.ms).toBeLessThan(15_000);
  });
});
