/**
 * What a bundle is, before anything is verified: container, digest, size, format, origin,
 * entry count and checkpoints, for the import screen. Reads only the manifest, the
 * checkpoint notes (their sizes) and, for an archive, the archive bytes for its digest.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../../shared/encoding/bytes.js';
import type { BundleInfo } from '../../shared/protocol/ipc.js';
import { openBundle } from '../platform/bundle-source.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { digestRegular } from '../platform/open-regular.js';
import { readCheckpoints, readManifest } from '../verify/bundle/manifest-reader.js';

/** Throws ProofdeskError (INPUT_UNREADABLE, INPUT_MALFORMED, UNSUPPORTED_FORMAT…) for a non-bundle. */
export function inspectBundle(path: string): BundleInfo {
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
  return {
    path: abs,
    name: source.name,
    container: source.container,
    sizeBytes: isTar ? statSync(abs).size : listedBytes,
    digestOf: isTar ? 'archive' : 'manifest',
    digest: isTar ? digestRegular(abs, { what: 'archive', follow: true }).sha256 : toHex(nodeSha256(bytes)),
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
