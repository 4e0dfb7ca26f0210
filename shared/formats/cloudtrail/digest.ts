/**
 * AWS CloudTrail log file integrity validation, offline (AWS CloudTrail User Guide, "CloudTrail
 * digest file structure" and "Custom implementations of CloudTrail log file integrity
 * validation"; the AWS CLI `cloudtrail validate-logs` command implements the same):
 *
 *  - every hour CloudTrail writes a digest file (JSON, gzip-compressed in S3) listing the log
 *    files delivered with the hex SHA-256 of each one's uncompressed content;
 *  - it signs, with RSA PKCS#1 v1.5 / SHA-256 ("SHA256withRSA") and a regional key, the string
 *        digestEndTime "\n" digestS3Bucket "/" digestS3Object "\n"
 *        hex(SHA-256(uncompressed digest file)) "\n" previousDigestSignature (or "null")
 *    and stores the hex signature in the digest object's S3 metadata (`x-amz-meta-signature`);
 *  - each digest names the previous one (S3 location, SHA-256, signature), so the digests form a
 *    chain in which a removed or altered digest is detected by its successor.
 */
import type { JsonObject, JsonProblem } from '../../encoding/json.js';
import { JsonReader } from '../../encoding/json.js';

export const CLOUDTRAIL_SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const CLOUDTRAIL_CHAIN_RULESET = 'aws-cloudtrail-digest-chain';

export interface CloudTrailLogFile {
  readonly s3Bucket: string;
  readonly s3Object: string;
  /** Lowercase hex SHA-256 of the uncompressed log file. */
  readonly hashValue: string;
}

export interface CloudTrailPrevious {
  readonly s3Bucket: string;
  readonly s3Object: string;
  readonly hashValue: string;
  readonly signature: string;
}

export interface CloudTrailDigest {
  readonly awsAccountId: string;
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  /** Seconds since the epoch of digestEndTime: the signed time of the digest. */
  readonly endTime: number;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly digestPublicKeyFingerprint: string;
  readonly digestSignatureAlgorithm: string;
  /** Absent for the first digest of a chain (the previous* members are null). */
  readonly previous?: CloudTrailPrevious;
  readonly logFiles: readonly CloudTrailLogFile[];
}

const MAX_LOG_FILES = 1_000_000;

const PREVIOUS_KEYS = [
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
  'previousDigestSignature',
] as const;

/** The previous-digest link: undefined for a chain's first digest (all null) or when unusable (problems recorded). */
function readPrevious(r: JsonReader, o: JsonObject): CloudTrailPrevious | undefined {
  const nulls = PREVIOUS_KEYS.filter((k) => o[k] === null || o[k] === undefined).length;
  if (nulls === PREVIOUS_KEYS.length) return undefined;
  if (nulls !== 0) r.problem('$', 'the previous-digest members must be all present or all null');
  const alg = r.string(o.previousDigestHashAlgorithm, '$.previousDigestHashAlgorithm', { max: 32 });
  if (alg !== undefined && alg !== 'SHA-256') r.problem('$.previousDigestHashAlgorithm', `unsupported ${alg}`);
  const pb = r.string(o.previousDigestS3Bucket, '$.previousDigestS3Bucket', { max: 255 });
  const po = r.string(o.previousDigestS3Object, '$.previousDigestS3Object', { max: 2048 });
  const ph = r.hex(o.previousDigestHashValue, '$.previousDigestHashValue', { length: 32 });
  const ps = r.hex(o.previousDigestSignature, '$.previousDigestSignature', { max: 4096 });
  if (pb === undefined || po === undefined || !ph || !ps) return undefined;
  return {
    s3Bucket: pb,
    s3Object: po,
    hashValue: (o.previousDigestHashValue as string).toLowerCase(),
    signature: (o.previousDigestSignature as string).toLowerCase(),
  };
}

/** The listed log files that narrowed cleanly, in order (problems recorded for the rest). */
function readLogFiles(r: JsonReader, o: JsonObject): CloudTrailLogFile[] {
  const logFiles: CloudTrailLogFile[] = [];
  const arr = r.array(o.logFiles, '$.logFiles', MAX_LOG_FILES);
  arr?.forEach((f, i) => {
    const p = `$.logFiles[${i}]`;
    const fo = r.object(f, p);
    if (!fo) return;
    const s3Bucket = r.string(fo.s3Bucket, `${p}.s3Bucket`, { max: 255 });
    const s3Object = r.string(fo.s3Object, `${p}.s3Object`, { max: 2048 });
    const alg = r.string(fo.hashAlgorithm, `${p}.hashAlgorithm`, { max: 32 });
    if (alg !== undefined && alg !== 'SHA-256') r.problem(`${p}.hashAlgorithm`, `unsupported ${alg}`);
    const hv = r.hex(fo.hashValue, `${p}.hashValue`, { length: 32 });
    if (s3Bucket !== undefined && s3Object !== undefined && hv)
      logFiles.push({ s3Bucket, s3Object, hashValue: (fo.hashValue as string).toLowerCase() });
  });
  return logFiles;
}

/** Narrows a digest file's JSON, collecting every problem by JSON path. */
export function parseCloudTrailDigest(v: unknown): { digest?: CloudTrailDigest; problems: readonly JsonProblem[] } {
  const r = new JsonReader();
  const o = r.object(v, '$');
  if (!o) return { problems: r.problems };
  const s = (k: string, max = 2048) => r.string(o[k], `$.${k}`, { max });
  const awsAccountId = s('awsAccountId', 64);
  const digestStartTime = s('digestStartTime', 64);
  const digestEndTime = s('digestEndTime', 64);
  const endTime = digestEndTime !== undefined ? r.time(digestEndTime, '$.digestEndTime') : undefined;
  const digestS3Bucket = s('digestS3Bucket', 255);
  const digestS3Object = s('digestS3Object');
  const digestPublicKeyFingerprint = s('digestPublicKeyFingerprint', 256);
  const digestSignatureAlgorithm = s('digestSignatureAlgorithm', 64);
  const previous = readPrevious(r, o);
  const logFiles = readLogFiles(r, o);
  if (
    r.problems.length ||
    awsAccountId === undefined ||
    digestStartTime === undefined ||
    digestEndTime === undefined ||
    endTime === undefined ||
    digestS3Bucket === undefined ||
    digestS3Object === undefined ||
    digestPublicKeyFingerprint === undefined ||
    digestSignatureAlgorithm === undefined
  ) {
    return { problems: r.problems };
  }
  return {
    digest: {
      awsAccountId,
      digestStartTime,
      digestEndTime,
      endTime,
      digestS3Bucket,
      digestS3Object,
      digestPublicKeyFingerprint: digestPublicKeyFingerprint.toLowerCase(),
      digestSignatureAlgorithm,
      ...(previous ? { previous } : {}),
      logFiles,
    },
    problems: [],
  };
}

/** The data signing string (User Guide, "Custom implementations…", step B.3). */
export function cloudTrailStringToSign(d: CloudTrailDigest, digestSha256Hex: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${digestSha256Hex}\n${d.previous ? d.previous.signature : 'null'}`;
}

/**
 * The signature sidecar of a digest: the output of `aws s3api head-object` for the digest
 * object, whose `Metadata` holds `signature` (hex) and `signature-algorithm` (the S3 metadata
 * `x-amz-meta-signature`, `x-amz-meta-signature-algorithm`).
 */
export function parseSignatureSidecar(v: unknown): {
  signature?: string;
  algorithm?: string;
  problems: readonly JsonProblem[];
} {
  const r = new JsonReader();
  const o = r.object(v, '$');
  const m = o ? r.object(o.Metadata, '$.Metadata') : undefined;
  const sig = m ? r.hex(m.signature, '$.Metadata.signature', { max: 4096 }) : undefined;
  const alg = m ? r.string(m['signature-algorithm'], '$.Metadata.signature-algorithm', { max: 64 }) : undefined;
  if (!sig || alg === undefined) return { problems: r.problems };
  return { signature: (m!.signature as string).toLowerCase(), algorithm: alg, problems: r.problems };
}

/** The chain a digest belongs to: its S3 key without the end-time part of the file name. */
export function cloudTrailChainId(d: CloudTrailDigest): string {
  return `${d.digestS3Bucket}/${d.digestS3Object.replace(/\/\d{4}\/\d{2}\/\d{2}\/([^/]*)_\d{8}T\d{4,6}Z\.json(\.gz)?$/, '/$1')}`;
}
