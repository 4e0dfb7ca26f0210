/**
 * What a bundle is, before anything is verified: container, evidence digest, size, format,
 * origin, the entry count the manifest claims and its checkpoints, for the import screen.
 * Reads the manifest, the checkpoint notes (their sizes) and, for the evidence digest, every
 * byte: the SHA-256 of an archive, or the proofdesk-tree-v1 digest of a folder's files — the
 * digest the case locker names the bundle by, the journal records and the report states.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TreeFile, treeDigest } from '../../shared/bundle/tree-digest.js';
import type { BundleInfo } from '../../shared/protocol/ipc.js';
import type { BundleFileReport } from '../../shared/verdict/result.js';
import { openBundle } from '../platform/bundle-source.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { digestRegular } from '../platform/open-regular.js';
import { readCheckpoints, readManifest } from '../verify/bundle/manifest-reader.js';

/** Regular files under `dir`, relative and `/`-separated (links and special files are not followed or listed). */
export function folderFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(dir, rel))) {
    const r = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(...folderFiles(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out;
}

/**
 * The tree digest of a folder (the case locker's rule). Files whose path and size a
 * verification already reported are taken with the digest it read, so a folder is not read
 * twice; the others are hashed now.
 */
export function folderDigest(dir: string, known: readonly BundleFileReport[] = []): { digest: string; files: number } {
  const byPath = new Map(known.map((f) => [f.path, f]));
  const files: TreeFile[] = folderFiles(dir).map((p) => {
    const k = byPath.get(p);
    const abs = join(dir, ...p.split('/'));
    if (k && statSync(abs).size === k.size) return { path: p, size: k.size, digest: k.sha256 };
    const d = digestRegular(abs, { what: 'bundle file' });
    return { path: p, size: d.size, digest: d.sha256 };
  });
  return { digest: treeDigest(files, nodeSha256), files: files.length };
}

/**
 * Throws ProofdeskError (INPUT_UNREADABLE, INPUT_MALFORMED, UNSUPPORTED_FORMAT…) for a non-bundle.
 * `digest`: the evidence digest when it is already known (a stored copy in a case), so the
 * bytes are not hashed again.
 */
export function inspectBundle(path: string, opts: { readonly digest?: string } = {}): BundleInfo {
  const abs = resolve(path);
  const source = openBundle(abs);
  const { manifest, bytes } = readManifest(source);
  const cps = readCheckpoints(source, manifest);
  const sizeOf = new Map(cps.map((c) => [c.path, c.size]));
  let entriesBytes = 0;
  let listedBytes = bytes.length;
  for (const f of manifest.files) {
    const loc = source.locate(f.path);
    if (!loc.ok) continue;
    listedBytes += loc.region.size;
    if (f.path === manifest.entries.path) entriesBytes = loc.region.size;
  }
  const isTar = source.container === 'tar';
  const folder = isTar || opts.digest !== undefined ? undefined : folderDigest(abs);
  return {
    path: abs,
    name: source.name,
    container: source.container,
    sizeBytes: isTar ? statSync(abs).size : listedBytes,
    digestOf: isTar ? 'archive' : 'tree',
    digest:
      opts.digest ?? (isTar ? digestRegular(abs, { what: 'archive', follow: true }).sha256 : (folder?.digest ?? '')),
    ...(folder ? { fileCount: folder.files } : {}),
    format: `${manifest.format} v${manifest.version}`,
    origin: manifest.origin,
    entryCount: manifest.entries.count,
    entriesBytes,
    checkpoints: manifest.checkpoints.map((file) => ({
      file,
      ...(sizeOf.has(file) ? { size: sizeOf.get(file)! } : {}),
    })),
    proofs: manifest.proofs.length,
    shippedKeys: manifest.keys.length,
    ...(manifest.created !== undefined ? { created: manifest.created } : {}),
    ...(manifest.producer !== undefined ? { producer: manifest.producer } : {}),
  };
}
