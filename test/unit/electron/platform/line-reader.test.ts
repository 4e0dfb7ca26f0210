/**
 * The one line reader (electron/platform/line-reader.ts) gives the same lines with and without hashing
 * on positions and bytes, including lines across buffer boundaries, lines longer than the
 * limit or than the buffer, empty lines, CR LF, and a trailing line without a line feed.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine, forEachRawLine } from '../../../../electron/platform/line-reader.js';
import { makeTempDir, prng, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-lines-');
afterAll(() => removeDir(tmp));

type Seen = Array<[number, number, number, string | null]>;

function both(content: Buffer, maxLine: number, chunk: number): { raw: Seen; engine: Seen } {
  const file = join(tmp, `f-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, content);
  const region = { file, offset: 0, size: statSync(file).size };
  const raw: Seen = [];
  const n = forEachRawLine(
    region,
    (l) => {
      raw.push([l.index, l.offset, l.length, l.bytes ? l.bytes.toString('latin1') : null]);
    },
    { maxLineBytes: maxLine, chunkBytes: chunk },
  );
  expect(n).toBe(raw.length);
  const engine: Seen = [];
  forEachLine(
    region,
    (v) => void engine.push([v.index, v.offset, v.length, v.bytes ? v.bytes.toString('latin1') : null]),
    { maxLineBytes: maxLine },
  );
  return { raw, engine };
}

describe('forEachRawLine', () => {
  it('matches the engine reader on edge cases', () => {
    const cases = [
      '',
      'no newline at all',
      '\n',
      '\n\n\n',
      'a\r\nb\r\n',
      'one\ntwo\nthree',
      'x'.repeat(40) + '\nshort\n' + 'y'.repeat(25) + '\n',
    ];
    for (const c of cases) {
      const { raw, engine } = both(Buffer.from(c, 'latin1'), 30, 16);
      expect(raw).toEqual(engine);
    }
  });

  it('matches on random content with a tiny buffer (every line crosses a boundary somewhere)', () => {
    const rand = prng(11);
    for (let round = 0; round < 20; round++) {
      const parts: string[] = [];
      const lines = 1 + Math.floor(rand() * 60);
      for (let i = 0; i < lines; i++) parts.push('z'.repeat(Math.floor(rand() * rand() * 120)));
      const text = parts.join('\n') + (rand() < 0.5 ? '\n' : '');
      const { raw, engine } = both(Buffer.from(text, 'latin1'), 50, 17);
      expect(raw).toEqual(engine);
    }
  });
});
