/**
 * Step "files": every file the manifest lists is present, of the listed size and digest; every
 * file present is listed. Checkpoint, proof and key files are read here (they are small and
 * bounded); the entries file is hashed by the workers in the same pass that verifies it.
 */
import { MANIFEST_FILE, type Manifest } from '../../../shared/bundle/manifest.js';
import { toHex } from '../../../shared/encoding/bytes.js';
import type { BundleFileReport } from '../../../shared/verdict/result.js';
import { type BundleSource, type FileRegion, readRegion } from '../../platform/bundle-source.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import type { Findings } from './collect.js';

const MAX_NOTE_BYTES = 1024 * 1024;
const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface LoadedFile {
  readonly path: string;
  readonly role: BundleFileReport['role'];
  readonly region: FileRegion;
  readonly bytes?: Buffer;
  /** SHA-256 of the bytes read; for the entries file, set once the workers have hashed it. */
  sha256?: string;
}

function roleOf(manifest: Manifest, p: string): BundleFileReport['role'] {
  if (p === manifest.entries.path) return 'entries';
  if (manifest.checkpoints.includes(p)) return 'checkpoint';
  if (manifest.proofs.includes(p)) return 'proof';
  return 'key';
}

/** One listed file: located, its size compared, and (unless it is the entries file) read and hashed. */
function loadListed(
  source: BundleSource,
  manifest: Manifest,
  f: Manifest['files'][number],
  F: Findings,
): LoadedFile | undefined {
  const loc = source.locate(f.path);
  if (!loc.ok) {
    if (loc.reason === 'UNSAFE') F.add('PATH_UNSAFE', { file: f.path }, loc.detail);
    else F.add('MANIFEST_FILE_MISSING', { file: f.path }, `${f.path} is listed in the manifest but not present`);
    return undefined;
  }
  if (f.size !== undefined && loc.region.size !== f.size) {
    F.add(
      'MANIFEST_SIZE_MISMATCH',
      { file: f.path },
      `${f.path} is ${loc.region.size} bytes; the manifest says ${f.size}`,
      {
        expected: f.size,
        actual: loc.region.size,
      },
    );
  }
  const role = roleOf(manifest, f.path);
  if (role === 'entries') return { path: f.path, role, region: loc.region };
  const limit = role === 'key' ? MAX_KEY_FILE_BYTES : MAX_NOTE_BYTES * 4;
  if (loc.region.size > limit) {
    F.add(
      'MANIFEST_INVALID',
      { file: f.path },
      `${f.path} is ${loc.region.size} bytes, more than the ${limit}-byte limit for a ${role} file; not read`,
    );
    return undefined;
  }
  const bytes = readRegion(loc.region, limit, f.path);
  const sha256 = toHex(nodeSha256(bytes));
  if (f.sha256 !== undefined && sha256 !== f.sha256) {
    F.add('MANIFEST_DIGEST_MISMATCH', { file: f.path }, `SHA-256 of ${f.path} differs from the manifest`, {
      expected: f.sha256,
      actual: sha256,
    });
  }
  return { path: f.path, role, region: loc.region, bytes, sha256 };
}

export function readBundleFiles(source: BundleSource, manifest: Manifest, F: Findings): Map<string, LoadedFile> {
  const files = new Map<string, LoadedFile>();
  for (const f of manifest.files) {
    const lf = loadListed(source, manifest, f, F);
    if (lf) files.set(f.path, lf);
  }
  const listed = new Set([MANIFEST_FILE, ...manifest.files.map((f) => f.path)]);
  for (const m of source.members()) {
    if (m.kind === 'directory' || listed.has(m.path)) continue;
    F.add('FILE_UNLISTED', { file: m.path }, `${m.path} (${m.kind}) is in the bundle but not in the manifest; ignored`);
  }
  return files;
}

/** The entries file's digest, from the workers' pass, against the manifest. */
export function checkEntriesDigest(
  manifest: Manifest,
  files: ReadonlyMap<string, LoadedFile>,
  sha256: string | undefined,
  F: Findings,
): void {
  const entries = files.get(manifest.entries.path);
  if (!entries || sha256 === undefined) return;
  entries.sha256 = sha256;
  const listed = manifest.files.find((f) => f.path === manifest.entries.path)?.sha256;
  if (listed !== undefined && listed !== sha256) {
    F.add(
      'MANIFEST_DIGEST_MISMATCH',
      { file: manifest.entries.path },
      `SHA-256 of ${manifest.entries.path} differs from the manifest`,
      {
        expected: listed,
        actual: sha256,
      },
    );
  }
}

/** The files as read, for the result (and the report's list of inputs). */
export function fileReports(manifestBytes: Uint8Array, files: ReadonlyMap<string, LoadedFile>): BundleFileReport[] {
  const out: BundleFileReport[] = [
    { path: MANIFEST_FILE, size: manifestBytes.length, sha256: toHex(nodeSha256(manifestBytes)), role: 'manifest' },
  ];
  for (const f of files.values())
    if (f.sha256 !== undefined) out.push({ path: f.path, size: f.region.size, sha256: f.sha256, role: f.role });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
