/**
 * Loading the digest files: each parsed, checked to be stored where it says it is, and given the
 * signature its head-object sidecar states; then put in chain order.
 */
import { toHex } from '../../../../shared/encoding/bytes.js';
import { parseJsonBytes } from '../../../../shared/encoding/json.js';
import {
  CLOUDTRAIL_SIGNATURE_ALGORITHM,
  type CloudTrailDigest,
  cloudTrailChainId,
  parseCloudTrailDigest,
  parseSignatureSidecar,
} from '../../../../shared/formats/cloudtrail/digest.js';
import type { CloudTrailKey } from '../../../../shared/formats/cloudtrail/public-keys.js';
import { finding } from '../../../../shared/verdict/findings.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import { nodeSha256 } from '../../../platform/node-hash.js';
import { readIn } from '../common.js';
import { type CloudTrailExport, digestPaths, pathOf, readMaybeGzip, SIDECAR } from './export.js';

/** A digest as the steps judge it: the signature and status are filled in as they go. */
export interface LoadedDigest {
  readonly path: string;
  readonly digest: CloudTrailDigest;
  readonly sha256: string;
  signature?: string;
  signatureFrom?: 'sidecar' | 'successor';
  status: CheckpointReport['status'];
  key?: CloudTrailKey;
  outsideWindow?: boolean;
}

/** Where each digest says it is stored (`bucket/key`), the form a `previous` reference takes. */
export type DigestsByLocation = ReadonlyMap<string, LoadedDigest>;

/** The digests in chain order; `bytesRead` counts their inflated bytes. */
export function loadDigests(ex: CloudTrailExport): { digests: LoadedDigest[]; bytesRead: number } {
  const digests: LoadedDigest[] = [];
  let bytesRead = 0;
  for (const p of digestPaths(ex)) {
    const got = readMaybeGzip(ex.source, p, 'checkpoint');
    if ('problem' in got) {
      ex.findings.push(finding('DOCUMENT_INVALID', { file: p }, got.problem));
      continue;
    }
    ex.files.push(got.report);
    bytesRead += got.bytes.length;
    const digest = parseDigest(ex, p, got.bytes);
    if (!digest) continue;
    const ld: LoadedDigest = { path: p, digest, sha256: toHex(nodeSha256(got.bytes)), status: 'untrusted' };
    takeSidecarSignature(ex, ld);
    digests.push(ld);
  }
  return { digests: digests.sort(inChainOrder), bytesRead };
}

export function locationIndex(digests: readonly LoadedDigest[]): DigestsByLocation {
  return new Map(digests.map((d) => [`${d.digest.digestS3Bucket}/${d.digest.digestS3Object}`, d]));
}

/** The digest this one names as its predecessor, when the export holds it. */
export function previousIn(byLocation: DigestsByLocation, d: LoadedDigest): LoadedDigest | undefined {
  const prev = d.digest.previous;
  return prev && byLocation.get(`${prev.s3Bucket}/${prev.s3Object}`);
}

/** Chain order: per chain (trail and region), by end time. */
function inChainOrder(x: LoadedDigest, y: LoadedDigest): number {
  return cloudTrailChainId(x.digest) < cloudTrailChainId(y.digest)
    ? -1
    : cloudTrailChainId(x.digest) > cloudTrailChainId(y.digest)
      ? 1
      : x.digest.endTime - y.digest.endTime;
}

/** The digest in the file, or undefined when it does not parse; a digest moved from where it says it is stored is invalid. */
function parseDigest(ex: CloudTrailExport, p: string, bytes: Uint8Array): CloudTrailDigest | undefined {
  const json = parseJsonBytes(bytes);
  const parsed = json.ok ? parseCloudTrailDigest(json.value) : { problems: [json.problem] };
  for (const pr of parsed.problems)
    ex.findings.push(finding('DOCUMENT_INVALID', { file: p, path: pr.path }, pr.message));
  if (!('digest' in parsed) || !parsed.digest) return undefined;
  const d = parsed.digest;
  const expected = pathOf(ex, d.digestS3Bucket, d.digestS3Object);
  if (expected !== p)
    ex.findings.push(
      finding(
        'DOCUMENT_INVALID',
        { file: p, path: '$.digestS3Object' },
        `the digest says it is stored at ${d.digestS3Bucket}/${d.digestS3Object}; it was found at ${p}`,
        { expected: d.digestS3Object, actual: p },
      ),
    );
  return d;
}

/** A sidecar is optional (a later digest may vouch instead); one that is there must be readable and name the one supported algorithm. */
function takeSidecarSignature(ex: CloudTrailExport, ld: LoadedDigest): void {
  const file = ld.path + SIDECAR;
  const side = readIn(ex.source, file, 1024 * 1024, 'key');
  if (side.kind !== 'ok') return;
  ex.files.push(side.report);
  const sj = parseJsonBytes(side.bytes);
  const sc = sj.ok ? parseSignatureSidecar(sj.value) : { problems: [sj.problem] };
  for (const pr of sc.problems) ex.findings.push(finding('DOCUMENT_INVALID', { file, path: pr.path }, pr.message));
  if (!('signature' in sc) || sc.signature === undefined) return;
  if (sc.algorithm !== CLOUDTRAIL_SIGNATURE_ALGORITHM) {
    ex.findings.push(
      finding(
        'DOCUMENT_INVALID',
        { file, path: '$.Metadata.signature-algorithm' },
        `unsupported signature algorithm ${sc.algorithm}`,
      ),
    );
    return;
  }
  ld.signature = sc.signature;
  ld.signatureFrom = 'sidecar';
}
