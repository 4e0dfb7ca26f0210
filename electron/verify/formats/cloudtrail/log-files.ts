/**
 * The log files: each one a digest lists is an entry of the result, in chain order, checked
 * against the SHA-256 the digest states; each digest becomes a checkpoint whose "root" matches
 * when all its files do. Log files no digest lists follow, unverifiable.
 */
import { toHex } from '../../../../shared/encoding/bytes.js';
import { type CloudTrailLogFile, cloudTrailChainId } from '../../../../shared/formats/cloudtrail/digest.js';
import type { CloudTrailKey } from '../../../../shared/formats/cloudtrail/public-keys.js';
import { finding } from '../../../../shared/verdict/findings.js';
import type { EntryStatus } from '../../../../shared/verdict/format-result.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import { nodeSha256 } from '../../../platform/node-hash.js';
import { throwIfCancelled, yieldToEventLoop } from '../common.js';
import type { LoadedDigest } from './digests.js';
import { type CloudTrailExport, isLogPath, pathOf, readMaybeGzip } from './export.js';

export interface LogFilesOutcome {
  /** One per entry: the listed log files in chain order, then the unlisted ones. */
  readonly statuses: EntryStatus[];
  /** One per digest, in chain order. */
  readonly checkpoints: CheckpointReport[];
  /** Inflated bytes of the log files read. */
  readonly entryBytes: number;
  /** Log files read whose SHA-256 is not the one listed. */
  readonly mismatches: number;
}

/** Requires the digests in chain order with their signatures judged. Throws CANCELLED when `signal` aborts. */
export async function checkLogFiles(
  ex: CloudTrailExport,
  digests: readonly LoadedDigest[],
  keys: readonly CloudTrailKey[],
  signal: AbortSignal | undefined,
): Promise<LogFilesOutcome> {
  const statuses: EntryStatus[] = [];
  const listed = new Set<string>();
  const checkpoints: CheckpointReport[] = [];
  let entryBytes = 0;
  let mismatches = 0;
  for (const d of digests) {
    await yieldToEventLoop();
    throwIfCancelled(signal);
    let allMatch = true;
    for (const lf of d.digest.logFiles) {
      const p = pathOf(ex, lf.s3Bucket, lf.s3Object);
      if (p) listed.add(p);
      const judged = judgeLogFile(ex, d, lf, p, statuses.length);
      statuses.push(judged.status);
      allMatch &&= judged.matches;
      entryBytes += judged.bytes;
      if (judged.changed) mismatches++;
    }
    checkpoints.push(digestCheckpoint(d, keys, allMatch));
  }
  reportUnlistedLogs(ex, listed, statuses);
  return { statuses, checkpoints, entryBytes, mismatches };
}

interface JudgedLogFile {
  readonly status: EntryStatus;
  readonly matches: boolean;
  readonly bytes: number;
  /** Read, and its hash is not the listed one. */
  readonly changed: boolean;
}

/** Only a trusted digest's list is held against the export: an untrusted one's files are unverifiable. */
function judgeLogFile(
  ex: CloudTrailExport,
  d: LoadedDigest,
  lf: CloudTrailLogFile,
  p: string | undefined,
  entry: number,
): JudgedLogFile {
  const trusted = d.status === 'trusted';
  const unread: EntryStatus = trusted
    ? { status: 'failed', reason: 'ENTRY_ERRORS' }
    : { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' };
  if (!p) {
    if (trusted)
      ex.findings.push(
        finding(
          'LOG_FILE_MISSING',
          { file: lf.s3Object, entry },
          `${lf.s3Bucket}/${lf.s3Object}, listed by ${d.path}, is not in the export`,
          { digest: d.path },
        ),
      );
    return { status: unread, matches: false, bytes: 0, changed: false };
  }
  const got = readMaybeGzip(ex.source, p, 'entries');
  if ('problem' in got) {
    ex.findings.push(
      finding('LOG_FILE_MISMATCH', { file: p, entry }, `the log file cannot be read: ${got.problem}`, {
        expected: lf.hashValue,
      }),
    );
    return { status: unread, matches: false, bytes: 0, changed: false };
  }
  ex.files.push(got.report);
  const h = toHex(nodeSha256(got.bytes));
  const matches = h === lf.hashValue;
  if (!matches && trusted)
    ex.findings.push(
      finding('LOG_FILE_MISMATCH', { file: p, entry }, `the log file's SHA-256 is not the one ${d.path} lists`, {
        expected: lf.hashValue,
        actual: h,
        digest: d.path,
      }),
    );
  const status: EntryStatus = !trusted
    ? { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' }
    : matches
      ? { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }
      : { status: 'failed', reason: 'ENTRY_CHANGED' };
  return { status, matches, bytes: got.bytes.length, changed: !matches };
}

/** A digest as a checkpoint of the result: its "root" is the digest file's SHA-256. */
function digestCheckpoint(d: LoadedDigest, keys: readonly CloudTrailKey[], allMatch: boolean): CheckpointReport {
  const fp =
    d.key?.key.fingerprint ?? keys.find((k) => k.fingerprint === d.digest.digestPublicKeyFingerprint)?.key.fingerprint;
  return {
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
  };
}

function reportUnlistedLogs(ex: CloudTrailExport, listed: ReadonlySet<string>, statuses: EntryStatus[]): void {
  for (const p of ex.members) {
    if (!isLogPath(p) || listed.has(p)) continue;
    ex.findings.push(
      finding(
        'FILE_UNLISTED',
        { file: p, entry: statuses.length },
        `${p} is a log file that no digest in the export lists: it is unverifiable`,
      ),
    );
    statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
  }
}
