import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseKeyFile,
  readKeyFile,
  sealKeyFile,
  unlockKeyFile,
  writeKeyFile,
} from '../../../../electron/keys/keyfile.js';
import { makeTempDir, removeDir, seedFor } from '../../../support/fixtures.js';

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
