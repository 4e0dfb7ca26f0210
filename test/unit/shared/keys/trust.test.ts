/**
 * Key roles (docs/bundle-format.md §8.2) where trust material is read: a verifier key's type
 * decides its role, a PEM/raw/key-file key takes the role asked for, a contradiction is a usage
 * error, a key given in two roles holds both, and every format's loader keeps the roles apart.
 * Real key files on disk.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrustedKey, loadTrustedKeys, parseTrustedKeyText } from '../../../../electron/keys/trust-files.js';
import { keysInRole, loadFormatTrust, trustReports } from '../../../../electron/verify/formats/trust.js';
import { fromBase64 } from '../../../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, encodeSpkiPem } from '../../../../shared/keys/keys.js';
import {
  hasRole,
  isKeyRole,
  KEY_ROLES,
  mergeTrustedKeys,
  type TrustedKey,
  unionRoles,
} from '../../../../shared/keys/trust.js';
import { logSigners, RootsBySize, shareSigner } from '../../../../shared/tlog/checkpoint-verify.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import { makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';
import { readVectorJson, vectorPath } from '../../../support/vectors.js';

const tmp = makeTempDir('proofdesk-roles-');
afterAll(() => removeDir(tmp));

const k = testKey('roles-unit', 'roles.example/log');
const logVkey = encodeNoteVerifierKey(k.name, k.publicKey);
const witnessVkey = encodeNoteVerifierKey(k.name, k.publicKey, 0x04);
const pem = encodeSpkiPem(k.publicKey);

function pemOf(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64.trimEnd()}\n-----END PUBLIC KEY-----\n`;
}

describe('the role of a trusted key', () => {
  it('is its verifier key type when it has one (0x01 log, 0x04 witness), else the role asked for, else log', () => {
    expect(parseTrustedKeyText(logVkey, 'l').roles).toEqual(['log']);
    expect(parseTrustedKeyText(witnessVkey, 'w').roles).toEqual(['witness']);
    expect(parseTrustedKeyText(witnessVkey, 'w', 'witness').roles).toEqual(['witness']);
    expect(parseTrustedKeyText(pem, 'p').roles).toEqual(['log']);
    for (const role of KEY_ROLES) expect(parseTrustedKeyText(pem, 'p', role).roles).toEqual([role]);
    expect(parseTrustedKeyText(Buffer.from(k.publicKey).toString('hex'), 'raw', 'entry').roles).toEqual(['entry']);
  });

  it('refuses a role the key type contradicts with a USAGE error (KEY_ROLE_CONFLICT), from files too', () => {
    const cases: Array<[string, 'log' | 'witness' | 'entry']> = [
      [logVkey, 'witness'],
      [logVkey, 'entry'],
      [witnessVkey, 'log'],
      [witnessVkey, 'entry'],
    ];
    for (const [text, role] of cases) {
      expect(() => parseTrustedKeyText(text, 'x', role), `${role}`).toThrowError(
        expect.objectContaining({
          code: 'USAGE',
          detail: expect.objectContaining({ reason: 'KEY_ROLE_CONFLICT', asked: role }),
        }) as Error,
      );
    }
    const file = join(tmp, 'log.vkey');
    writeFileSync(file, logVkey + '\n');
    expect(() => loadTrustedKey({ arg: file, role: 'entry' })).toThrowError(
      expect.objectContaining({
        code: 'USAGE',
        detail: expect.objectContaining({ reason: 'KEY_ROLE_CONFLICT' }),
      }) as Error,
    );
    expect(loadTrustedKey(file).roles).toEqual(['log']);
  });

  it('a key given twice in different roles is one key with both', () => {
    const file = join(tmp, 'k.pem');
    writeFileSync(file, pem);
    const keys = loadTrustedKeys([file, { arg: file, role: 'entry' }, witnessVkey], tmp);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.roles).toEqual(['log', 'witness', 'entry']);
  });
});

describe('shared/keys/trust.ts helpers', () => {
  it('name the roles, test membership and merge keys by fingerprint, keeping the first window', () => {
    expect(KEY_ROLES).toEqual(['log', 'witness', 'entry']);
    expect(KEY_ROLES.every(isKeyRole)).toBe(true);
    for (const v of ['LOG', 'auditor', '', 1, null, undefined]) expect(isKeyRole(v)).toBe(false);
    expect(hasRole(k.trusted, 'log')).toBe(true);
    expect(hasRole(k.trusted, 'witness')).toBe(false);
    expect(unionRoles(['entry'], ['log', 'entry'])).toEqual(['log', 'entry']);
    const windowed: TrustedKey = { ...k.trusted, roles: ['entry'], validUntil: '2026-01-01T00:00:00Z' };
    const other = testKey('roles-other').trusted;
    const merged = mergeTrustedKeys([windowed, other, { ...k.trusted, roles: ['witness'] }]);
    expect(merged.map((x) => [x.fingerprint, x.roles, x.validUntil])).toEqual([
      [k.trusted.fingerprint, ['witness', 'entry'], '2026-01-01T00:00:00Z'],
      [other.fingerprint, ['log'], undefined],
    ]);
  });

  it('logSigners lists the keys whose log signatures count; shareSigner tells whether two lists meet', () => {
    const report: CheckpointReport = {
      file: 'cp',
      status: 'trusted',
      rootStatus: 'match',
      signatures: [
        { name: 'a', keyId: '00000001', kind: 'log', status: 'verified', fingerprint: 'aa' },
        { name: 'a', keyId: '00000001', kind: 'log', status: 'verified', fingerprint: 'aa' },
        { name: 'w', keyId: '00000002', kind: 'cosignature', status: 'verified', fingerprint: 'ww' },
        { name: 'b', keyId: '00000003', kind: 'log', status: 'wrong-role', fingerprint: 'bb' },
        { name: 'c', keyId: '00000004', kind: 'log', status: 'not-valid-at-time', fingerprint: 'cc' },
        { name: 'd', keyId: '00000005', kind: 'log', status: 'revoked', fingerprint: 'dd' },
      ],
    };
    expect(logSigners(report)).toEqual(['aa']);
    expect(shareSigner(['aa', 'xx'], ['yy', 'aa'])).toBe(true);
    expect(shareSigner(['aa'], ['bb'])).toBe(false);
    expect(shareSigner([], [])).toBe(false);
  });

  it('RootsBySize reports a different root of the same size only when a log key signed both', () => {
    const by = (...fps: string[]): CheckpointReport => ({
      file: 'cp',
      status: 'trusted',
      rootStatus: 'match',
      signatures: fps.map((fingerprint) => ({
        name: 'n',
        keyId: '00000001',
        kind: 'log',
        status: 'verified',
        fingerprint,
      })),
    });
    const [r1, r2, r3] = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3)];
    const roots = new RootsBySize();
    expect(roots.conflict(10, r1, by('aa'))).toBeUndefined();
    expect(roots.conflict(10, r1, by('aa'))).toBeUndefined(); // the same root again
    expect(roots.conflict(10, r2, by('bb'))).toBeUndefined(); // another key: not equivocation
    expect(roots.conflict(20, r2, by('aa'))).toBeUndefined(); // another size
    expect(roots.conflict(10, r3, by('cc', 'bb'))).toEqual(r2);
    expect(roots.conflict(10, r3, by('aa'))).toEqual(r1);
  });
});

describe('trust material of other formats', () => {
  const root = vectorPath('sigstore', 'trusted_root.public-good.json');
  const rekorDer = fromBase64(
    readVectorJson<{ tlogs: Array<{ publicKey: { rawBytes: string } }> }>('sigstore', 'trusted_root.public-good.json')
      .tlogs[0]!.publicKey.rawBytes,
  );

  it('PEM keys of other algorithms are log keys by default and entry keys with --entry-key; one key in both roles holds both', () => {
    const file = join(tmp, 'rekor.pem');
    writeFileSync(file, pemOf(rekorDer));
    const asLog = loadFormatTrust([file], tmp);
    expect([keysInRole(asLog, 'log').length, keysInRole(asLog, 'entry').length]).toEqual([1, 0]);
    const asEntry = loadFormatTrust([{ arg: file, role: 'entry' }], tmp);
    expect([keysInRole(asEntry, 'log').length, keysInRole(asEntry, 'entry').length]).toEqual([0, 1]);
    const both = loadFormatTrust([file, { arg: file, role: 'entry' }], tmp);
    expect(both.keys.map((x) => x.roles)).toEqual([['log', 'entry']]);
    expect(trustReports(both).map((r) => r.roles)).toEqual([['log', 'entry']]);
  });

  it('a trusted root or a CloudTrail key list holds log keys: only --trust takes it', () => {
    const t = loadFormatTrust([root], tmp);
    expect(trustReports(t).every((r) => r.roles.join() === 'log')).toBe(true);
    for (const role of ['witness', 'entry'] as const) {
      expect(() => loadFormatTrust([{ arg: root, role }], tmp)).toThrowError(
        expect.objectContaining({ code: 'USAGE', detail: { reason: 'KEY_ROLE_CONFLICT' } }) as Error,
      );
    }
  });

  it('Ed25519 keys keep their roles, case keys first', () => {
    const preloaded: TrustedKey = { ...k.trusted, roles: ['entry'], validFrom: '2026-01-01T00:00:00Z' };
    const t = loadFormatTrust([logVkey], tmp, [preloaded]);
    expect(t.ed25519.map((x) => [x.roles, x.validFrom])).toEqual([[['log', 'entry'], '2026-01-01T00:00:00Z']]);
  });
});
