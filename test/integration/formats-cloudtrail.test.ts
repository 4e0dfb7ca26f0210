/**
 * CloudTrail digest chains, offline: exports written by test/support/formats-fixtures.ts from
 * the AWS documentation's digest structure and signing string, signed with a committed
 * test-only RSA key, verified from disk (gzip and all), then tampered with.
 */

import { generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { verify } from '../../electron/verify/verify.js';
import { cloudTrailStringToSign, parseCloudTrailDigest } from '../../shared/formats/cloudtrail/digest.js';
import type { FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { type CloudTrailFixture, writeCloudTrailExport } from '../support/formats-fixtures.js';

let tmp: string;
let fx: CloudTrailFixture;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-ct-');
  fx = writeCloudTrailExport(join(tmp, 'export'), { hours: 4, logsPerHour: 3 });
});
afterAll(() => removeDir(tmp));

let n = 0;
function copy(): string {
  const d = join(tmp, `c${n++}`);
  cpSync(fx.dir, d, { recursive: true });
  return d;
}
async function run(input: string, keys = [fx.keysFile]): Promise<VerificationResult> {
  return (await verify(input, { trustArgs: keys })).run.result;
}
const codes = (r: VerificationResult): FindingCode[] =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => f.code);

describe('CloudTrail digest chains', () => {
  it('the fixture follows the documented signing string (checked independently with openssl)', async () => {
    const key = fx.digests[1]!;
    const raw = gunzipSync(readFileSync(join(fx.dir, key)));
    const d = parseCloudTrailDigest(JSON.parse(raw.toString('utf8'))).digest!;
    const { createHash } = await import('node:crypto');
    const s = cloudTrailStringToSign(d, createHash('sha256').update(raw).digest('hex'));
    expect(s.split('\n')).toEqual([
      d.digestEndTime,
      `${d.digestS3Bucket}/${d.digestS3Object}`,
      createHash('sha256').update(raw).digest('hex'),
      d.previous!.signature,
    ]);
    // openssl verifies the sidecar signature over that string with the public half of the test key.
    const { execFileSync } = await import('node:child_process');
    const sig = JSON.parse(readFileSync(join(fx.dir, `${key}.metadata.json`), 'utf8')).Metadata.signature as string;
    writeFileSync(join(tmp, 'sts'), s);
    writeFileSync(join(tmp, 'sig'), Buffer.from(sig, 'hex'));
    const pub = execFileSync('openssl', [
      'pkey',
      '-in',
      join(process.cwd(), 'test/fixtures/formats/cloudtrail-test-rsa.pem'),
      '-pubout',
    ]);
    writeFileSync(join(tmp, 'pub.pem'), pub);
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(tmp, 'pub.pem'),
      '-signature',
      join(tmp, 'sig'),
      join(tmp, 'sts'),
    ]).toString();
    expect(out.trim()).toBe('Verified OK');
  });

  it('verifies: 4 digests trusted and chained, 12 log files matching', async () => {
    const out = await verify(fx.dir, { trustArgs: [fx.keysFile] });
    const r = out.run.result;
    expect(out.format).toBe('cloudtrail');
    expect(r.verdict).toBe('PASS');
    expect(r.coverage).toMatchObject({ verified: 12, failed: 0, unverifiable: 0 });
    expect(r.checkpoints.map((c) => [c.status, c.rootStatus])).toEqual(Array(4).fill(['trusted', 'match']));
    expect(r.checks.find((c) => c.id === 'chain')).toMatchObject({
      status: 'pass',
      counts: { linksChecked: 3, broken: 0 },
    });
    expect(r.rules.chain).toBe('aws-cloudtrail-digest-chain');
  });

  it('through the CLI: exit 0, and exit 2 without the key list', async () => {
    const io = { out: () => {}, err: () => {}, env: {}, stdinIsTTY: false, stderrIsTTY: false, cwd: tmp };
    expect(await runCli(['verify', fx.dir, '--trust', fx.keysFile, '--json'], io)).toBe(0);
    expect(await runCli(['verify', fx.dir, '--trust', 'abc+01234567+AbCd'], io)).toBe(2);
  });

  it('an altered log file (even recompressed) fails at that entry only', async () => {
    const d = copy();
    const p = join(d, fx.logs[4]!);
    writeFileSync(p, gzipSync(Buffer.from(gunzipSync(readFileSync(p)).toString().replace('GetObject', 'PutObject'))));
    const r = await run(d);
    expect(codes(r)).toEqual(['LOG_FILE_MISMATCH']);
    expect(r.coverage.ranges.filter((x) => x.status === 'failed')).toEqual([
      { from: 4, to: 5, status: 'failed', reason: 'ENTRY_CHANGED' },
    ]);
    expect(
      r.diagnosis.map((c) => [c.cause, c.entries]),
      r.headline + JSON.stringify(r.diagnosis),
    ).toEqual([['ENTRY_ALTERED', { from: 4, to: 5 }]]);
  });

  it('a deleted log file is missing', async () => {
    const d = copy();
    unlinkSync(join(d, fx.logs[0]!));
    const r = await run(d);
    expect(codes(r)).toEqual(['LOG_FILE_MISSING']);
    expect(r.findings.find((f) => f.code === 'LOG_FILE_MISSING')!.location.entry).toBe(0);
  });

  it('an altered digest: its signature fails and its successor no longer chains to it', async () => {
    const d = copy();
    const p = join(d, fx.digests[1]!);
    const json = JSON.parse(gunzipSync(readFileSync(p)).toString());
    json.logFiles.pop();
    writeFileSync(p, gzipSync(Buffer.from(JSON.stringify(json))));
    const r = await run(d);
    // The log file dropped from the digest is now listed by none: reported, and unverifiable.
    expect(codes(r).sort()).toEqual(['DIGEST_CHAIN_BROKEN', 'FILE_UNLISTED', 'SIGNATURE_INVALID']);
    expect(r.findings.find((f) => f.code === 'DIGEST_CHAIN_BROKEN')!.location).toMatchObject({
      file: fx.digests[2],
      path: '$.previousDigestHashValue',
    });
    expect(r.verdict).toBe('FAIL');
  });

  it('a digest removed from the middle of the chain is detected', async () => {
    const d = copy();
    rmSync(join(d, fx.digests[2]!));
    rmSync(join(d, `${fx.digests[2]!}.metadata.json`));
    const r = await run(d);
    expect(codes(r)).toContain('DIGEST_CHAIN_BROKEN');
    expect(r.findings.some((f) => f.code === 'FILE_UNLISTED')).toBe(true); // its log files are now listed by no digest
  });

  it('a missing sidecar is replaced by the signature the next digest vouches for; the newest needs its own', async () => {
    const d = copy();
    unlinkSync(join(d, `${fx.digests[1]!}.metadata.json`));
    expect((await run(d)).verdict).toBe('PASS');
    unlinkSync(join(d, `${fx.digests[3]!}.metadata.json`));
    const r = await run(d);
    expect(codes(r)).toContain('KEY_UNTRUSTED');
    expect(r.coverage.unverifiable).toBeGreaterThan(0);
  });

  it('the key list is trust input: another key fails, a window that ends too early fails', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      format: 'der',
      type: 'pkcs1',
    });
    const list = JSON.parse(readFileSync(fx.keysFile, 'utf8'));
    writeFileSync(
      join(tmp, 'other-keys.json'),
      JSON.stringify({ PublicKeyList: [{ ...list.PublicKeyList[0], Value: other.toString('base64') }] }),
    );
    expect(codes(await run(fx.dir, [join(tmp, 'other-keys.json')]))).toContain('SIGNATURE_INVALID');
    writeFileSync(
      join(tmp, 'early-keys.json'),
      JSON.stringify({ PublicKeyList: [{ ...list.PublicKeyList[0], ValidityEndTime: '2026-06-01T12:30:00Z' }] }),
    );
    const early = await run(fx.dir, [join(tmp, 'early-keys.json')]);
    expect(early.findings.filter((f) => f.code === 'KEY_NOT_VALID_AT_TIME').length).toBe(2);
    writeFileSync(
      join(tmp, 'bad-keys.json'),
      JSON.stringify({ PublicKeyList: [{ ...list.PublicKeyList[0], Value: 'not base64!' }] }),
    );
    await expect(run(fx.dir, [join(tmp, 'bad-keys.json')])).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });

  it('a malformed digest is a finding with its JSON path, not a crash', async () => {
    const d = copy();
    const p = join(d, fx.digests[0]!);
    const json = JSON.parse(gunzipSync(readFileSync(p)).toString());
    json.logFiles[0].hashValue = 'xyz';
    writeFileSync(p, gzipSync(Buffer.from(JSON.stringify(json))));
    writeFileSync(join(d, fx.digests[1]!), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    const r = await run(d);
    const docs = r.findings.filter((f) => f.code === 'DOCUMENT_INVALID');
    expect(docs.map((f) => f.location.path ?? '')).toContain('$.logFiles[0].hashValue');
    expect(docs.some((f) => f.location.file === fx.digests[1])).toBe(true);
    expect(r.verdict).toBe('FAIL');
  });
});
