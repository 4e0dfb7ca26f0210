/**
 * Fixtures for the format adapters, written by our own code from the formats' documentation:
 * CloudTrail exports signed with a committed test-only RSA key (test/fixtures/formats), tiled
 * logs (electron/write/tiles-writer.ts), and CT tree heads taken from the vectors.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { p256 } from '@noble/curves/nist.js';
import { nodeSha256 } from '../../electron/platform/node-hash.js';
import { concatBytes, toBase64, u64BE } from '../../shared/encoding/bytes.js';
import { treeHeadSignatureInput } from '../../shared/encoding/tls.js';
import { type CloudTrailDigest, cloudTrailStringToSign } from '../../shared/formats/cloudtrail/digest.js';
import { parseCheckpointBody } from '../../shared/tlog/checkpoint.js';
import { rfc6962NoteKeyId } from '../../shared/tlog/checkpoints.js';
import { formatNote } from '../../shared/tlog/note.js';
import { REPO_ROOT } from './vectors.js';

export const CLOUDTRAIL_TEST_KEY = join(REPO_ROOT, 'test', 'fixtures', 'formats', 'cloudtrail-test-rsa.pem');

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface CloudTrailFixture {
  readonly dir: string;
  /** `aws cloudtrail list-public-keys` output for the test key, written outside the export. */
  readonly keysFile: string;
  readonly fingerprint: string;
  readonly digests: readonly string[];
  readonly logs: readonly string[];
}

export interface CloudTrailFixtureOptions {
  readonly hours?: number;
  readonly logsPerHour?: number;
  /** Key validity window written to the key list (RFC 3339). */
  readonly validFrom?: string;
  readonly validUntil?: string;
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-2';
const TRAIL = 'audit-trail';
const BUCKET = 'example-trail-bucket';

/**
 * Writes an export of `hours` digests (each listing `logsPerHour` gzipped log files) as
 * `aws s3 sync s3://bucket .` would leave it, with a head-object sidecar per digest.
 * Digest files follow the AWS documentation's structure; signatures are by the test key.
 */
export function writeCloudTrailExport(dir: string, o: CloudTrailFixtureOptions = {}): CloudTrailFixture {
  const hours = o.hours ?? 3;
  const per = o.logsPerHour ?? 2;
  const priv = createPrivateKey(readFileSync(CLOUDTRAIL_TEST_KEY));
  const pkcs1 = createPublicKey(priv).export({ format: 'der', type: 'pkcs1' });
  // AWS does not document how its fingerprints are derived; the fixture uses the first 16 bytes of SHA-256(DER).
  const fingerprint = hex(nodeSha256(pkcs1).subarray(0, 16));
  const keysFile = `${dir}.public-keys.json`;
  writeFileSync(
    keysFile,
    JSON.stringify(
      {
        PublicKeyList: [
          {
            Value: pkcs1.toString('base64'),
            ValidityStartTime: o.validFrom ?? '2026-01-01T00:00:00+00:00',
            ValidityEndTime: o.validUntil ?? '2026-12-31T00:00:00+00:00',
            Fingerprint: fingerprint,
          },
        ],
      },
      null,
      2,
    ),
  );
  const put = (key: string, bytes: Uint8Array) => {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), bytes);
  };
  const digests: string[] = [];
  const logs: string[] = [];
  let prev: { key: string; sha: string; sig: string } | undefined;
  for (let h = 0; h < hours; h++) {
    const start = new Date(Date.UTC(2026, 5, 1, 10 + h, 0, 0));
    const end = new Date(start.getTime() + 3600_000);
    const day = `${start.getUTCFullYear()}/${pad(start.getUTCMonth() + 1)}/${pad(start.getUTCDate())}`;
    const stamp = (d: Date, secs: boolean) =>
      `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${secs ? pad(d.getUTCSeconds()) : ''}Z`;
    const logFiles = [];
    for (let k = 0; k < per; k++) {
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${day}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(new Date(start.getTime() + k * 60_000 + 300_000), false)}_f${h}x${k}.json.gz`;
      const content = Buffer.from(
        JSON.stringify({
          Records: [
            {
              eventVersion: '1.09',
              eventTime: start.toISOString().replace('.000', ''),
              eventName: k % 2 ? 'GetObject' : 'ConsoleLogin',
              awsRegion: REGION,
              requestID: `req-${h}-${k}`,
            },
          ],
        }),
      );
      put(key, gzipSync(content));
      logs.push(key);
      logFiles.push({
        s3Bucket: BUCKET,
        s3Object: key,
        hashValue: hex(nodeSha256(content)),
        hashAlgorithm: 'SHA-256',
        newestEventTime: start.toISOString().replace('.000', ''),
        oldestEventTime: start.toISOString().replace('.000', ''),
      });
    }
    const key = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${day}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${stamp(end, true)}.json.gz`;
    const digest = {
      awsAccountId: ACCOUNT,
      digestStartTime: start.toISOString().replace('.000', ''),
      digestEndTime: end.toISOString().replace('.000', ''),
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: start.toISOString().replace('.000', ''),
      oldestEventTime: start.toISOString().replace('.000', ''),
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? prev.sha : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.sig : null,
      logFiles,
    };
    const raw = Buffer.from(JSON.stringify(digest));
    const sha = hex(nodeSha256(raw));
    const parsed: CloudTrailDigest = {
      ...digest,
      endTime: end.getTime() / 1000,
      ...(prev ? { previous: { s3Bucket: BUCKET, s3Object: prev.key, hashValue: prev.sha, signature: prev.sig } } : {}),
    };
    const sig = hex(sign('sha256', Buffer.from(cloudTrailStringToSign(parsed, sha)), priv));
    put(key, gzipSync(raw));
    put(
      `${key}.metadata.json`,
      Buffer.from(
        JSON.stringify(
          {
            ContentType: 'application/json',
            ContentEncoding: 'gzip',
            Metadata: { signature: sig, 'signature-algorithm': 'SHA256withRSA' },
          },
          null,
          2,
        ),
      ),
    );
    digests.push(key);
    prev = { key, sha, sig };
  }
  return { dir, keysFile, fingerprint, digests, logs };
}

// ── ECDSA P-256 test keys (deterministic: RFC 6979 signatures from a fixed secret) ─────────

const P256_SPKI_PREFIX = Uint8Array.of(
  0x30,
  0x59,
  0x30,
  0x13,
  0x06,
  0x07,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x02,
  0x01,
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
  0x03,
  0x42,
  0x00,
);

export interface EcTestKey {
  readonly secret: Uint8Array;
  readonly point: Uint8Array;
  readonly spki: Uint8Array;
  readonly pem: string;
  /** DER ECDSA P-256/SHA-256 signature of `message`. */
  sign(message: Uint8Array): Uint8Array;
}

export function ecTestKey(label: string): EcTestKey {
  // 48 seed bytes: noble reduces them to a scalar without bias (FIPS 186-5 A.2.1).
  const secret = p256.utils.randomSecretKey(
    concatBytes(
      nodeSha256(Buffer.from(`proofdesk-ec-test-key:${label}`)),
      nodeSha256(Buffer.from(`proofdesk-ec-test-key-2:${label}`)).subarray(0, 16),
    ),
  );
  const point = p256.getPublicKey(secret, false);
  const spki = concatBytes(P256_SPKI_PREFIX, point);
  const b64 = toBase64(spki);
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return {
    secret,
    point,
    spki,
    pem,
    sign: (m) =>
      p256.Signature.fromBytes(p256.sign(m, secret, { prehash: true, lowS: false }), 'compact').toBytes('der'),
  };
}

/** TLS DigitallySigned with SHA-256 / ECDSA (RFC 6962 §2.1.4). */
export function digitallySigned(derSig: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(4, 3, derSig.length >> 8, derSig.length & 0xff), derSig);
}

/** A static-CT checkpoint (c2sp.org/static-ct-api): RFC6962NoteSignature (type 0x05) by `key`, named after the origin. */
export function staticCtCheckpoint(text: string, key: EcTestKey, timestampMs: number): Uint8Array {
  const body = parseCheckpointBody(text);
  if (!body.ok) throw new Error(body.detail);
  const sig = key.sign(treeHeadSignatureInput(0, timestampMs, body.size, body.rootHash));
  return formatNote(text, [
    {
      name: body.origin,
      keyId: rfc6962NoteKeyId(body.origin, key.spki),
      signature: concatBytes(u64BE(timestampMs), digitallySigned(sig)),
    },
  ]);
}
