/**
 * The exported bucket as the CloudTrail steps see it: its files, where an S3 location lands in
 * it, and the record every step adds to (findings and files read, each in the order made).
 */
import { gunzipSync } from 'node:zlib';
import type { Finding } from '../../../../shared/verdict/findings.js';
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import { type BundleSource, openBundle } from '../../../platform/bundle-source.js';
import { readIn } from '../common.js';

/** Compressed files are read up to this size, and inflated up to MAX_INFLATED (a gzip bomb stops there). */
const MAX_FILE = 256 * 1024 * 1024;
const MAX_INFLATED = 1024 * 1024 * 1024;
export const SIDECAR = '.metadata.json';
const DIGEST_PATH = /(^|\/)CloudTrail-Digest\/.+\.json(\.gz)?$/;
const LOG_PATH = /(^|\/)CloudTrail\/.+\.json(\.gz)?$/;

export interface CloudTrailExport {
  readonly source: BundleSource;
  /** The export's regular files, sorted. */
  readonly members: readonly string[];
  readonly present: ReadonlySet<string>;
  /** Shared by every step, so the findings keep the order in which the steps find them. */
  readonly findings: Finding[];
  readonly files: BundleFileReport[];
}

export function openCloudTrailExport(input: string): CloudTrailExport {
  const source = openBundle(input);
  const members = source
    .members()
    .filter((m) => m.kind === 'file')
    .map((m) => m.path)
    .sort();
  return { source, members, present: new Set(members), findings: [], files: [] };
}

/** An S3 location inside the export: the bucket's root, or a directory named after the bucket. */
export function pathOf(ex: CloudTrailExport, bucket: string, key: string): string | undefined {
  return ex.present.has(key) ? key : ex.present.has(`${bucket}/${key}`) ? `${bucket}/${key}` : undefined;
}

/** Digest files, without their signature sidecars, in path order. */
export function digestPaths(ex: CloudTrailExport): string[] {
  return ex.members.filter((m) => DIGEST_PATH.test(m) && !m.endsWith(SIDECAR));
}

export function isLogPath(p: string): boolean {
  return LOG_PATH.test(p) && !p.endsWith(SIDECAR);
}

/** Reads a file and inflates it when it is gzip (CloudTrail stores digests and logs as .json.gz). */
export function readMaybeGzip(
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
