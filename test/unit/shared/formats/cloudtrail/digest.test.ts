/**
 * CloudTrail parsers (shared/formats/cloudtrail/digest.ts, cloudtrail-keys.ts) on an export written by
 * test/support/formats-fixtures.ts from the AWS documentation (digest files, `head-object`
 * signature sidecars, `list-public-keys` output) and signed with the committed test RSA key, plus
 * malformed documents: problems with JSON paths, or a typed KEY_INVALID for unusable trust input.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../../../../shared/encoding/bytes.js';
import {
  CLOUDTRAIL_CHAIN_RULESET,
  CLOUDTRAIL_SIGNATURE_ALGORITHM,
  type CloudTrailDigest,
  cloudTrailChainId,
  parseSignatureSidecar,
} from '../../../../../shared/formats/cloudtrail/digest.js';
import { isCloudTrailKeyList, parseCloudTrailKeyList } from '../../../../../shared/formats/cloudtrail/public-keys.js';
import { ProofdeskError } from '../../../../../shared/verdict/errors.js';
import { makeTempDir, removeDir } from '../../../../support/fixtures.js';
import { CLOUDTRAIL_TEST_KEY, ecTestKey, writeCloudTrailExport } from '../../../../support/formats-fixtures.js';

const tmp = makeTempDir('proofdesk-ct-unit-');
afterAll(() => removeDir(tmp));
const fx = writeCloudTrailExport(join(tmp, 'export'), { hours: 2, logsPerHour: 1 });
/** The test key's PKCS#1 RSAPublicKey, as openssl writes it. */
const pkcs1 = new Uint8Array(
  execFileSync('openssl', ['rsa', '-in', CLOUDTRAIL_TEST_KEY, '-RSAPublicKey_out', '-outform', 'DER'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  }),
);

function keyError(f: () => unknown): ProofdeskError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProofdeskError);
    return e as ProofdeskError;
  }
  throw new Error('expected a ProofdeskError');
}

describe('the names CloudTrail verification records', () => {
  it('SHA256withRSA is the algorithm AWS names in digests and sidecars; the chain rule set name is stable', () => {
    expect(CLOUDTRAIL_SIGNATURE_ALGORITHM).toBe('SHA256withRSA');
    expect(
      JSON.parse(readFileSync(join(fx.dir, `${fx.digests[0]}.metadata.json`), 'utf8')).Metadata['signature-algorithm'],
    ).toBe(CLOUDTRAIL_SIGNATURE_ALGORITHM);
    // Recorded as rules.chain in every CloudTrail result and report; a new rule needs a new name.
    expect(CLOUDTRAIL_CHAIN_RULESET).toBe('aws-cloudtrail-digest-chain');
  });
});

describe('parseSignatureSidecar', () => {
  it('reads the head-object output of the export: the hex signature and its algorithm', () => {
    const raw = JSON.parse(readFileSync(join(fx.dir, `${fx.digests[1]}.metadata.json`), 'utf8'));
    const sc = parseSignatureSidecar(raw);
    expect(sc).toEqual({ signature: raw.Metadata.signature, algorithm: 'SHA256withRSA', problems: [] });
    expect(sc.signature).toMatch(/^[0-9a-f]{512}$/); // a 2048-bit RSA signature
    // Hex is matched case-insensitively and reported in lowercase.
    expect(
      parseSignatureSidecar({ Metadata: { ...raw.Metadata, signature: raw.Metadata.signature.toUpperCase() } })
        .signature,
    ).toBe(raw.Metadata.signature);
  });

  it('reports each missing or malformed member by path', () => {
    const ok = { signature: 'ab'.repeat(256), 'signature-algorithm': 'SHA256withRSA' };
    const cases: Array<[unknown, string[]]> = [
      [null, ['$']],
      [{}, ['$.Metadata']],
      [{ Metadata: [] }, ['$.Metadata']],
      [{ Metadata: { ...ok, signature: 'xyz' } }, ['$.Metadata.signature']],
      [{ Metadata: { ...ok, signature: 'ab'.repeat(2049) } }, ['$.Metadata.signature']],
      [{ Metadata: { signature: ok.signature } }, ['$.Metadata.signature-algorithm']],
      [{ Metadata: {} }, ['$.Metadata.signature', '$.Metadata.signature-algorithm']],
    ];
    for (const [doc, want] of cases) {
      const sc = parseSignatureSidecar(doc);
      expect(
        sc.problems.map((p) => p.path),
        JSON.stringify(doc).slice(0, 50),
      ).toEqual(want);
      expect(sc.signature).toBeUndefined();
    }
  });
});

describe('cloudTrailChainId', () => {
  const digest = (bucket: string, object: string) =>
    ({ digestS3Bucket: bucket, digestS3Object: object }) as CloudTrailDigest;
  const key = (region: string, trail: string, day: string, stamp: string) =>
    `AWSLogs/111122223333/CloudTrail-Digest/${region}/${day}/111122223333_CloudTrail-Digest_${region}_${trail}_${region}_${stamp}.json.gz`;

  it('is the digest key without its date folders and end time: one id per trail, region and bucket', () => {
    const a = cloudTrailChainId(digest('b', key('us-east-2', 'audit', '2026/06/01', '20260601T110000Z')));
    expect(a).toBe(
      'b/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/111122223333_CloudTrail-Digest_us-east-2_audit_us-east-2',
    );
    expect(cloudTrailChainId(digest('b', key('us-east-2', 'audit', '2026/07/15', '20260715T0900Z')))).toBe(a); // 4-digit time, other day
    expect(
      cloudTrailChainId(digest('b', key('us-east-2', 'audit', '2026/06/01', '20260601T110000Z').replace(/\.gz$/, ''))),
    ).toBe(a);
    for (const other of [
      digest('b2', key('us-east-2', 'audit', '2026/06/01', '20260601T110000Z')),
      digest('b', key('eu-west-1', 'audit', '2026/06/01', '20260601T110000Z')),
      digest('b', key('us-east-2', 'other', '2026/06/01', '20260601T110000Z')),
    ]) {
      expect(cloudTrailChainId(other)).not.toBe(a);
    }
    // A key that does not have the documented shape is its own chain, whole.
    expect(cloudTrailChainId(digest('b', 'somewhere/else.json'))).toBe('b/somewhere/else.json');
  });

  it('gives one chain id for every digest of the fixture export', () => {
    const ids = new Set(fx.digests.map((d) => cloudTrailChainId(digest('example-trail-bucket', d))));
    expect(ids.size).toBe(1);
  });
});

describe('parseCloudTrailKeyList', () => {
  const list = JSON.parse(readFileSync(fx.keysFile, 'utf8'));

  it('recognises a key list by its PublicKeyList member', () => {
    expect(isCloudTrailKeyList(list)).toBe(true);
    expect(isCloudTrailKeyList({ PublicKeyList: [] })).toBe(true);
    for (const v of [
      null,
      [],
      'PublicKeyList',
      { PublicKeyList: {} },
      { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' },
    ])
      expect(isCloudTrailKeyList(v)).toBe(false);
  });

  it('reads the list-public-keys output: the RSA key openssl derives, its fingerprint and validity window', () => {
    const keys = parseCloudTrailKeyList(list, 'keys.json');
    expect(keys).toHaveLength(1);
    const k = keys[0]!;
    expect(k.key.kind).toBe('rsa');
    expect(toHex(k.key.pkcs1)).toBe(toHex(pkcs1));
    expect(k.key.bits).toBe(2048);
    expect([k.fingerprint, k.validFrom, k.validUntil, k.label]).toEqual([
      fx.fingerprint,
      Date.UTC(2026, 0, 1) / 1000,
      Date.UTC(2026, 11, 31) / 1000,
      'keys.json',
    ]);
  });

  it('accepts epoch seconds (--cli-timestamp-format) and labels several keys by index', () => {
    const entry = {
      Value: toBase64(pkcs1),
      ValidityStartTime: 1_767_225_600,
      ValidityEndTime: 1_798_675_200,
      Fingerprint: 'ABCDEF01',
    };
    const keys = parseCloudTrailKeyList({ PublicKeyList: [entry, { ...entry, Fingerprint: '02' }] }, 'k');
    expect(keys.map((k) => [k.fingerprint, k.validFrom, k.validUntil, k.label])).toEqual([
      ['abcdef01', 1_767_225_600, 1_798_675_200, 'k#0'],
      ['02', 1_767_225_600, 1_798_675_200, 'k#1'],
    ]);
  });

  it('refuses unusable lists with KEY_INVALID and a reason', () => {
    const good = list.PublicKeyList[0];
    const ec = ecTestKey('cloudtrail-unit');
    const cases: Array<[unknown, string]> = [
      [{ PublicKeyList: [] }, 'CLOUDTRAIL_KEYS_EMPTY'],
      [{}, 'CLOUDTRAIL_KEYS_INVALID'],
      [[], 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [7] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [{ ...good, Value: toBase64(ec.spki) }] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [{ ...good, Value: toBase64(pkcs1.subarray(0, 100)) }] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [{ ...good, Fingerprint: 'not-hex' }] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [{ ...good, ValidityStartTime: 'yesterday' }] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [{ PublicKeyList: [{ ...good, ValidityEndTime: -5 }] }, 'CLOUDTRAIL_KEYS_INVALID'],
      [
        {
          PublicKeyList: [
            { ...good, ValidityStartTime: good.ValidityEndTime, ValidityEndTime: good.ValidityStartTime },
          ],
        },
        'CLOUDTRAIL_KEYS_INVALID',
      ],
      [{ PublicKeyList: [good, { ...good, Value: 'AAAA' }] }, 'CLOUDTRAIL_KEYS_INVALID'], // one bad key spoils the list
    ];
    for (const [doc, reason] of cases) {
      const e = keyError(() => parseCloudTrailKeyList(doc, 'k'));
      expect([e.code, e.detail?.reason], JSON.stringify(doc).slice(0, 80)).toEqual(['KEY_INVALID', reason]);
    }
  });
});
