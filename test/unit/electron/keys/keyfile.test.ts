import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  parseKeyFile,
  readKeyFile,
  sealKeyFile,
  unlockKeyFile,
  writeKeyFile,
} from '../../../../electron/keys/keyfile.js';
import { caseCli } from '../../../support/cli.js';
import { makeTempDir, removeDir, seedFor } from '../../../support/fixtures.js';
import { REPO_ROOT } from '../../../support/vectors.js';

let tmp: string;
beforeAll(() => (tmp = makeTempDir('proofdesk-keyfile-')));
afterAll(() => removeDir(tmp));

describe('key files', () => {
  const seed = seedFor('keyfile');
  it('round-trips encrypted and plain keys', () => {
    const enc = sealKeyFile(seed, { name: 'Jane Examiner', organisation: 'Audit & Co' }, 'pw');
    expect(unlockKeyFile(enc, 'pw').seed).toEqual(seed);
    const plain = sealKeyFile(seed, { name: 'demo' }, null);
    expect(unlockKeyFile(plain, undefined).seed).toEqual(seed);
    expect(enc.fingerprint).toBe(plain.fingerprint);
  });
  it('rejects a wrong or missing passphrase and any edit of the clear fields', () => {
    const enc = sealKeyFile(seed, { name: 'Jane' }, 'pw');
    expect(() => unlockKeyFile(enc, 'PW')).toThrow(expect.objectContaining({ code: 'PASSPHRASE_WRONG' }));
    expect(() => unlockKeyFile(enc, undefined)).toThrow(expect.objectContaining({ code: 'PASSPHRASE_REQUIRED' }));
    expect(() => unlockKeyFile({ ...enc, identity: { name: 'Mallory' } }, 'pw')).toThrow(
      expect.objectContaining({ code: 'PASSPHRASE_WRONG' }),
    );
    const other = sealKeyFile(seedFor('other'), { name: 'Jane' }, null);
    expect(() =>
      unlockKeyFile({ ...sealKeyFile(seed, { name: 'Jane' }, null), publicKey: other.publicKey }, undefined),
    ).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
  it('refuses unsafe KDF parameters and non-key files', () => {
    const enc = sealKeyFile(seed, { name: 'Jane' }, 'pw');
    expect(() => parseKeyFile(JSON.stringify({ ...enc, kdf: { ...enc.kdf, N: 2 ** 30 } }))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => parseKeyFile('-----BEGIN PRIVATE KEY-----')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
  it('writes atomically with mode 0600 and never overwrites', () => {
    const p = join(tmp, 'k.key');
    writeKeyFile(p, sealKeyFile(seed, { name: 'Jane' }, null));
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readKeyFile(p).identity.name).toBe('Jane');
    expect(() => writeKeyFile(p, sealKeyFile(seed, { name: 'Other' }, null))).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileSync(join(tmp, 'junk.key'), 'not json');
    expect(() => readKeyFile(join(tmp, 'junk.key'))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(readFileSync(p, 'utf8')).toContain('"format": "proofdesk-key"');
  });
});

describe('key file cost', () => {
  const seed = seedFor('keyfile-cost');

  it('new files use scrypt N = 2^17, r = 8, p = 1 (OWASP); one guess takes a measurable time here', () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const k = sealKeyFile(seed, { name: 'Jane' }, 'a good long passphrase');
    expect(k.kdf).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    const t = performance.now();
    expect(() => unlockKeyFile(k, 'a wrong guess')).toThrow(expect.objectContaining({ code: 'PASSPHRASE_WRONG' }));
    const ms = performance.now() - t;
    console.log(`scrypt N=2^17 r=8 p=1: ${ms.toFixed(0)} ms per guess`);
    expect(ms).toBeGreaterThan(50);
  });

  it('a file written by the former default (N = 2^15) is read and unlocked as it is', () => {
    const old = readKeyFile(join(REPO_ROOT, 'test/fixtures/keys/scrypt-2-15.key'));
    expect(old.kdf).toMatchObject({ N: 2 ** 15, r: 8, p: 1 });
    expect(unlockKeyFile(old, 'an old passphrase').identity.name).toBe('Old Examiner');
  });

  it('parameters inside the format range but over 1 GiB of memory are a clear KEY_INVALID, at once', () => {
    const enc = sealKeyFile(seed, { name: 'Jane' }, 'pw', undefined, { N: 16, r: 8, p: 1 });
    for (const kdf of [
      { N: 2 ** 20, r: 32, p: 16 },
      { N: 2 ** 20, r: 9, p: 1 },
      { N: 2 ** 19, r: 32, p: 1 },
    ]) {
      const t = Date.now();
      expect(() => unlockKeyFile(parseKeyFile(JSON.stringify({ ...enc, kdf: { ...enc.kdf, ...kdf } })), 'pw')).toThrow(
        expect.objectContaining({ code: 'KEY_INVALID', detail: expect.objectContaining({ reason: 'SCRYPT_MEMORY' }) }),
      );
      expect(Date.now() - t).toBeLessThan(100);
    }
    // The largest r the format allows, at the largest N that fits, is accepted by the parser.
    expect(parseKeyFile(JSON.stringify({ ...enc, kdf: { ...enc.kdf, N: 2 ** 18, r: 32, p: 16 } })).kdf?.r).toBe(32);
  });

  it('a short passphrase for a new key is accepted with a warning on stderr', async () => {
    const { cli } = caseCli(() => tmp);
    writeFileSync(join(tmp, 'short.txt'), 'x\n');
    writeFileSync(join(tmp, 'long.txt'), 'correct horse battery staple\n');
    const short = await cli(['keygen', '--out', join(tmp, 'short'), '--passphrase-file', join(tmp, 'short.txt')]);
    expect(short.code, short.err).toBe(0);
    expect(short.err).toMatch(/warning: the passphrase has only 1 character; .* use at least 12/);
    const long = await cli(['keygen', '--out', join(tmp, 'long'), '--passphrase-file', join(tmp, 'long.txt')]);
    expect(long.code, long.err).toBe(0);
    expect(long.err).not.toMatch(/warning/);
  });
});
