/**
 * An exported CloudTrail bucket (docs/formats.md "AWS CloudTrail" says exactly what to export):
 * the digest files under `…/CloudTrail-Digest/…`, each with its signature sidecar
 * `<digest>.metadata.json` (`aws s3api head-object` output), the log files they list, and the
 * digest-signing public keys given with --trust (`aws cloudtrail list-public-keys` output).
 *
 * Every log file listed by a digest is one entry of the result, in chain order (oldest digest
 * first, files in listed order), followed by log files no digest lists. Each digest is a
 * checkpoint of the result: trusted when its RSA signature verifies under a trusted key valid at
 * its end time; its "root" matches when every log file it lists is present with its hash.
 */
import { gunzipSync } from 'node:zlib';
import { RSA_RULESET } from '../../../shared/crypto/ecdsa.js';
import { toHex, utf8 } from '../../../shared/encoding/bytes.js';
import { parseJsonBytes } from '../../../shared/encoding/json.js';
import {
  CLOUDTRAIL_CHAIN_RULESET,
  CLOUDTRAIL_SIGNATURE_ALGORITHM,
  type CloudTrailDigest,
  cloudTrailChainId,
  cloudTrailStringToSign,
  parseCloudTrailDigest,
  parseSignatureSidecar,
} from '../../../shared/formats/cloudtrail/digest.js';
import type { CloudTrailKey } from '../../../shared/formats/cloudtrail/public-keys.js';
import { counts, judgeKeyWindow } from '../../../shared/keys/validity.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, finding } from '../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport } from '../../../shared/verdict/result.js';
import { type BundleSource, openBundle } from '../../platform/bundle-source.js';
import { verifyRsaSha256Node } from '../../platform/crypto-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import {
  type AdapterOptions,
  type AdapterOutput,
  readIn,
  runOf,
  throwIfCancelled,
  yieldToEventLoop,
} from './common.js';
import { trustReports } from './trust.js';

/** Compressed files are read up to this size, and inflated up to MAX_INFLATED (a gzip bomb stops there). */
const MAX_FILE = 256 * 1024 * 1024;
const MAX_INFLATED = 1024 * 1024 * 1024;
const SIDECAR = '.metadata.json';
const DIGEST_PATH = /(^|\/)CloudTrail-Digest\/.+\.json(\.gz)?$/;
const LOG_PATH = /(^|\/)CloudTrail\/.+\.json(\.gz)?$/;

interface LoadedDigest {
  readonly path: string;
  readonly digest: CloudTrailDigest;
  readonly sha256: string;
  signature?: string;
  signatureFrom?: 'sidecar' | 'successor';
  status: CheckpointReport['status'];
  key?: CloudTrailKey;
  outsideWindow?: boolean;
}

/** Reads a file and inflates it when it is gzip (CloudTrail stores digests and logs as .json.gz). */
function readMaybeGzip(
  source: BundleSource,
  path: string,
  role: BundleFileReport['role'],
): { bytes: Uint8Array; report: BundleFileReport } | { problem: string; kind: 'missing' | 'bad' } {
  const r = readIn(source, path, MAX_FILE, role);
  if (r.kind === 'missing') return { kind: 'missing', problem: 'not in the export' };
  if (r.kind !== 'ok') return { kind: 'bad', problem: r.kind === 'unsafe' ? r.detail : `${r.size} bytes: too large` };
  if (r.bytes.length >= 2 && r.bytes[0] === 0x1f && r.bytes[1] === 0x8b) {
    try {
      return { bytes: gunzipSync(r.bytes, { maxOutputLength: MAX_INFLATED }), report: r.report };
    } catch (e) {
      return { kind: 'bad', problem: `gzip data cannot be inflated (${(e as Error).message})` };
    }
  }
  return { bytes: r.bytes, report: r.report };
}

export async function verifyCloudTrail(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  if (a.trust.cloudtrailKeys.length === 0)
    throw new ProofdeskError(
      'USAGE',
      'give the CloudTrail public keys (the output of `aws cloudtrail list-public-keys`) with --trust',
    );
  const source = openBundle(a.input);
  const members = source
    .members()
    .filter((m) => m.kind === 'file')
    .map((m) => m.path)
    .sort();
  const present = new Set(members);
  const F: Finding[] = [];
  const files: BundleFileReport[] = [];
  let bytesRead = 0;
  /** An S3 location inside the export: the bucket's root, or a directory named after the bucket. */
  const pathOf = (bucket: string, key: string): string | undefined =>
    present.has(key) ? key : present.has(`${bucket}/${key}`) ? `${bucket}/${key}` : undefined;

  // ── digests ──
  const digests: LoadedDigest[] = [];
  for (const p of members.filter((m) => DIGEST_PATH.test(m) && !m.endsWith(SIDECAR))) {
    const got = readMaybeGzip(source, p, 'checkpoint');
    if ('problem' in got) {
      F.push(finding('DOCUMENT_INVALID', { file: p }, got.problem));
      continue;
    }
    files.push(got.report);
    bytesRead += got.bytes.length;
    const json = parseJsonBytes(got.bytes);
    const parsed = json.ok ? parseCloudTrailDigest(json.value) : { problems: [json.problem] };
    for (const pr of parsed.problems) F.push(finding('DOCUMENT_INVALID', { file: p, path: pr.path }, pr.message));
    if (!('digest' in parsed) || !parsed.digest) continue;
    const d = parsed.digest;
    const expected = pathOf(d.digestS3Bucket, d.digestS3Object);
    if (expected !== p)
      F.push(
        finding(
          'DOCUMENT_INVALID',
          { file: p, path: '$.digestS3Object' },
          `the digest says it is stored at ${d.digestS3Bucket}/${d.digestS3Object}; it was found at ${p}`,
          { expected: d.digestS3Object, actual: p },
        ),
      );
    const ld: LoadedDigest = { path: p, digest: d, sha256: toHex(nodeSha256(got.bytes)), status: 'untrusted' };
    const side = readIn(source, p + SIDECAR, 1024 * 1024, 'key');
    if (side.kind === 'ok') {
      files.push(side.report);
      const sj = parseJsonBytes(side.bytes);
      const sc = sj.ok ? parseSignatureSidecar(sj.value) : { problems: [sj.problem] };
      for (const pr of sc.problems)
        F.push(finding('DOCUMENT_INVALID', { file: p + SIDECAR, path: pr.path }, pr.message));
      if ('signature' in sc && sc.signature !== undefined) {
        if (sc.algorithm !== CLOUDTRAIL_SIGNATURE_ALGORITHM)
          F.push(
            finding(
              'DOCUMENT_INVALID',
              { file: p + SIDECAR, path: '$.Metadata.signature-algorithm' },
              `unsupported signature algorithm ${sc.algorithm}`,
            ),
          );
        else {
          ld.signature = sc.signature;
          ld.signatureFrom = 'sidecar';
        }
      }
    }
    digests.push(ld);
  }
  // Chain order: per chain (trail and region), by end time.
  digests.sort((x, y) =>
    cloudTrailChainId(x.digest) < cloudTrailChainId(y.digest)
      ? -1
      : cloudTrailChainId(x.digest) > cloudTrailChainId(y.digest)
        ? 1
        : x.digest.endTime - y.digest.endTime,
  );
  const byLocation = new Map(digests.map((d) => [`${d.digest.digestS3Bucket}/${d.digest.digestS3Object}`, d]));

  // A digest without a sidecar takes the signature its successor states for it; the successor's
  // own signature then vouches for it, so verification runs newest first.
  const successor = new Map<LoadedDigest, LoadedDigest>();
  for (const d of digests) {
    const prev = d.digest.previous && byLocation.get(`${d.digest.previous.s3Bucket}/${d.digest.previous.s3Object}`);
    if (prev) successor.set(prev, d);
  }
  const keys = a.trust.cloudtrailKeys;
  const verifyDigest = (d: LoadedDigest) => {
    if (d.signature === undefined) {
      const next = successor.get(d);
      if (next && next.status === 'trusted' && next.digest.previous) {
        d.signature = next.digest.previous.signature;
        d.signatureFrom = 'successor';
      }
    }
    const loc = { file: d.path };
    if (d.digest.digestSignatureAlgorithm !== CLOUDTRAIL_SIGNATURE_ALGORITHM) {
      F.push(
        finding(
          'DOCUMENT_INVALID',
          { ...loc, path: '$.digestSignatureAlgorithm' },
          `unsupported ${d.digest.digestSignatureAlgorithm}`,
        ),
      );
      d.status = 'rejected';
      return;
    }
    if (d.signature === undefined) {
      F.push(
        finding(
          'KEY_UNTRUSTED',
          loc,
          `no signature for this digest: neither ${d.path}${SIDECAR} nor a verified later digest states it`,
        ),
      );
      return;
    }
    const candidates = keys.filter((k) => k.fingerprint === d.digest.digestPublicKeyFingerprint);
    if (candidates.length === 0) {
      F.push(
        finding(
          'KEY_UNTRUSTED',
          loc,
          `the digest is signed by key ${d.digest.digestPublicKeyFingerprint}, which is not among the trusted CloudTrail keys`,
          { fingerprint: d.digest.digestPublicKeyFingerprint },
        ),
      );
      return;
    }
    const message = utf8(cloudTrailStringToSign(d.digest, d.sha256));
    const sig = Buffer.from(d.signature, 'hex');
    const key = candidates.find((k) => verifyRsaSha256Node(k.key.pkcs1, message, sig));
    if (!key) {
      d.status = 'rejected';
      F.push(
        finding(
          'SIGNATURE_INVALID',
          loc,
          `the digest signature (from ${d.signatureFrom}) does not verify under trusted key ${d.digest.digestPublicKeyFingerprint}`,
          { fingerprint: d.digest.digestPublicKeyFingerprint, source: d.signatureFrom ?? 'none' },
        ),
      );
      return;
    }
    d.key = key;
    // digestEndTime is inside the signed string: a time the judged key signed (validity.ts "keySigned").
    if (
      !counts(judgeKeyWindow({ validFrom: key.validFrom, validUntil: key.validUntil }, { keySigned: d.digest.endTime }))
    ) {
      d.outsideWindow = true;
      F.push(
        finding(
          'KEY_NOT_VALID_AT_TIME',
          loc,
          `key ${key.fingerprint} is valid from ${new Date(key.validFrom * 1000).toISOString()} to ${new Date(key.validUntil * 1000).toISOString()}, not at ${d.digest.digestEndTime}`,
          { fingerprint: key.fingerprint, time: d.digest.digestEndTime },
        ),
      );
      return;
    }
    d.status = 'trusted';
  };
  for (let i = digests.length - 1; i >= 0; i--) verifyDigest(digests[i]!);

  // ── the chain ──
  let links = 0;
  let broken = 0;
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i]!;
    const before =
      i > 0 && cloudTrailChainId(digests[i - 1]!.digest) === cloudTrailChainId(d.digest) ? digests[i - 1]! : undefined;
    const prev = d.digest.previous;
    if (!prev) {
      if (before) {
        broken++;
        F.push(
          finding(
            'DIGEST_CHAIN_BROKEN',
            { file: d.path },
            `the digest starts a new chain, but ${before.path} precedes it in the same trail`,
            { previous: before.path },
          ),
        );
      }
      continue;
    }
    const target = byLocation.get(`${prev.s3Bucket}/${prev.s3Object}`);
    if (!target) {
      // The chain may begin before the export; a gap inside it is a missing digest.
      if (before) {
        broken++;
        F.push(
          finding(
            'DIGEST_CHAIN_BROKEN',
            { file: d.path },
            `the previous digest ${prev.s3Bucket}/${prev.s3Object} is not in the export`,
            { expected: prev.s3Object },
          ),
        );
      }
      continue;
    }
    links++;
    if (before && target !== before) {
      broken++;
      F.push(
        finding(
          'DIGEST_CHAIN_BROKEN',
          { file: d.path },
          `the digest names ${target.path} as previous, but ${before.path} comes before it`,
          { expected: target.path, actual: before.path },
        ),
      );
    }
    if (prev.hashValue !== target.sha256) {
      broken++;
      F.push(
        finding(
          'DIGEST_CHAIN_BROKEN',
          { file: d.path, path: '$.previousDigestHashValue' },
          `the previous digest ${target.path} is not the one this digest signed`,
          { expected: prev.hashValue, actual: target.sha256 },
        ),
      );
    }
    if (target.signature !== undefined && prev.signature !== target.signature) {
      broken++;
      F.push(
        finding(
          'DIGEST_CHAIN_BROKEN',
          { file: d.path, path: '$.previousDigestSignature' },
          `the previous digest's signature is not the one this digest chains to`,
          { expected: prev.signature, actual: target.signature },
        ),
      );
    }
  }

  // ── log files ──
  const statuses: EntryStatus[] = [];
  const listedLogs = new Set<string>();
  const checkpoints: CheckpointReport[] = [];
  let entryBytes = 0;
  let mismatches = 0;
  for (const d of digests) {
    await yieldToEventLoop();
    throwIfCancelled(a.signal);
    let allMatch = true;
    for (const lf of d.digest.logFiles) {
      const entry = statuses.length;
      const p = pathOf(lf.s3Bucket, lf.s3Object);
      if (p) listedLogs.add(p);
      if (!p) {
        allMatch = false;
        if (d.status === 'trusted')
          F.push(
            finding(
              'LOG_FILE_MISSING',
              { file: lf.s3Object, entry },
              `${lf.s3Bucket}/${lf.s3Object}, listed by ${d.path}, is not in the export`,
              { digest: d.path },
            ),
          );
        statuses.push(
          d.status === 'trusted'
            ? { status: 'failed', reason: 'ENTRY_ERRORS' }
            : { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
        );
        continue;
      }
      const got = readMaybeGzip(source, p, 'entries');
      if ('problem' in got) {
        allMatch = false;
        F.push(
          finding('LOG_FILE_MISMATCH', { file: p, entry }, `the log file cannot be read: ${got.problem}`, {
            expected: lf.hashValue,
          }),
        );
        statuses.push(
          d.status === 'trusted'
            ? { status: 'failed', reason: 'ENTRY_ERRORS' }
            : { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
        );
        continue;
      }
      files.push(got.report);
      entryBytes += got.bytes.length;
      const h = toHex(nodeSha256(got.bytes));
      if (h !== lf.hashValue) {
        allMatch = false;
        mismatches++;
        if (d.status === 'trusted')
          F.push(
            finding('LOG_FILE_MISMATCH', { file: p, entry }, `the log file's SHA-256 is not the one ${d.path} lists`, {
              expected: lf.hashValue,
              actual: h,
              digest: d.path,
            }),
          );
      }
      statuses.push(
        d.status !== 'trusted'
          ? { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' }
          : h === lf.hashValue
            ? { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }
            : { status: 'failed', reason: 'ENTRY_CHANGED' },
      );
    }
    const fp =
      d.key?.key.fingerprint ??
      keys.find((k) => k.fingerprint === d.digest.digestPublicKeyFingerprint)?.key.fingerprint;
    checkpoints.push({
      file: d.path,
      origin: cloudTrailChainId(d.digest),
      size: d.digest.logFiles.length,
      rootHash: d.sha256,
      status: d.status,
      rootStatus: d.status === 'trusted' ? (allMatch ? 'match' : 'mismatch') : 'not-checked',
      signatures: [
        {
          name: d.digest.digestPublicKeyFingerprint,
          keyId: d.digest.digestPublicKeyFingerprint.slice(0, 8).padEnd(8, '0'),
          kind: 'log',
          status:
            d.status === 'trusted'
              ? 'verified'
              : d.status === 'rejected'
                ? 'failed'
                : d.outsideWindow
                  ? 'not-valid-at-time'
                  : 'unknown-key',
          ...(fp ? { fingerprint: fp } : {}),
        },
      ],
    });
  }
  for (const p of members) {
    if (!LOG_PATH.test(p) || listedLogs.has(p) || p.endsWith(SIDECAR)) continue;
    F.push(
      finding(
        'FILE_UNLISTED',
        { file: p, entry: statuses.length },
        `${p} is a log file that no digest in the export lists: it is unverifiable`,
      ),
    );
    statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
  }
  if (digests.length === 0)
    F.push(
      finding(
        'NO_CHECKPOINTS',
        { file: source.name },
        'no CloudTrail digest file in the export: no log file can be verified',
      ),
    );

  const n = (code: string) => F.filter((f) => f.code === code).length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  const acct = digests[0]?.digest.awsAccountId;
  const result = buildFormatResult({
    format: { id: 'cloudtrail', layout: 'CloudTrail digests + head-object sidecars', signatureRules: [RSA_RULESET] },
    toolVersion: TOOL_VERSION,
    name: source.name,
    container: source.container,
    origin: acct !== undefined ? `aws:${acct}` : '',
    entryCount: statuses.length,
    entriesBytes: entryBytes,
    files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs: [],
    findings: F,
    entryStatuses: statuses,
    checks: [
      checkSummary('manifest', n('DOCUMENT_INVALID'), digests.length, {
        documents: digests.length,
        problems: n('DOCUMENT_INVALID'),
      }),
      checkSummary('entries', n('LOG_FILE_MISMATCH') + n('LOG_FILE_MISSING'), statuses.length, {
        logFiles: statuses.length,
        mismatched: mismatches,
        missing: n('LOG_FILE_MISSING'),
      }),
      checkSummary('chain', broken, links, { linksChecked: links, broken }),
      checkSummary(
        'checkpoint-signatures',
        cpBad,
        checkpoints.length,
        { digests: checkpoints.length, trusted: checkpoints.length - cpBad, problems: cpBad },
        checkpoints.length === 0 ? 'inconclusive' : undefined,
      ),
    ],
    // The hours the signed digests cover (UTC, "YYYY-MM-DDTHH:MM:SSZ": ordered as strings).
    evidenceTime: digests.length
      ? {
          firstEntryTs: digests.map((d) => d.digest.digestStartTime).sort()[0]!,
          lastEntryTs: digests
            .map((d) => d.digest.digestEndTime)
            .sort()
            .at(-1)!,
        }
      : {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
    chainRule: CLOUDTRAIL_CHAIN_RULESET,
  });
  return { run: runOf(result, t0, bytesRead + entryBytes) };
}
