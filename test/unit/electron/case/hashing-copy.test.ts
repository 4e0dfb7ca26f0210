/**
 * The locker's copy: the digest is the SHA-256 of exactly the bytes written (checked with
 * openssl), on the inline path and on the two-thread path, at sizes around the chunk size and
 * the ring-buffer length.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyAndHash, PARALLEL_HASH_MIN } from '../../../../electron/case/hashing-copy.js';
import { makeTempDir, prng, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-copy-');
afterAll(() => removeDir(tmp));
const MIB = 1024 * 1024;

describe('copyAndHash', () => {
  const rand = prng(3);
  const sizes = [0, 1, 8 * MIB - 1, 8 * MIB, 8 * MIB + 1, 32 * MIB, 41 * MIB + 7];
  for (const size of sizes) {
    it(`${size} bytes: same bytes, digest as openssl, inline and on two threads`, () => {
      const src = join(tmp, `src-${size}`);
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) bytes[i] = Math.floor(rand() * 256);
      writeFileSync(src, bytes);
      const expected = execFileSync('openssl', ['dgst', '-sha256', '-r', src]).toString().slice(0, 64);
      for (const mode of ['inline', 'parallel'] as const) {
        const dest = join(tmp, `dst-${size}-${mode}`);
        const fd = openSync(src, 'r');
        let reported = 0;
        try {
          // The size argument picks the strategy; force each one.
          const r = copyAndHash(
            fd,
            dest,
            mode === 'parallel' ? Math.max(size, PARALLEL_HASH_MIN) : 0,
            (n) => (reported += n),
          );
          expect(r).toEqual({ digest: expected, size });
        } finally {
          closeSync(fd);
        }
        expect(reported).toBe(size);
        expect(statSync(dest).size).toBe(size);
        expect(readFileSync(dest).equals(bytes)).toBe(true);
      }
    });
  }

  it('refuses to overwrite an existing file', () => {
    const src = join(tmp, 'x');
    writeFileSync(src, 'x');
    const fd = openSync(src, 'r');
    try {
      expect(() => copyAndHash(fd, src, 1, () => {})).toThrowError(
        expect.objectContaining({ code: 'EEXIST' }) as Error,
      );
    } finally {
      closeSync(fd);
    }
  });
});
