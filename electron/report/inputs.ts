/**
 * Describes the input files of a run for the attestation subject: trusted-key files (by the
 * bytes given to the tool) and the archive of a tar bundle. Reading is streamed and bounded.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { TrustInput } from '../../shared/report/predicate.js';
import { loadTrustedKey } from '../keys/trust-files.js';

const MAX_KEY_FILE = 64 * 1024;

/**
 * The key files among `--trust` arguments, with their digests and the fingerprint of the key
 * each holds. Inline keys (not files) are skipped: they appear in the result's trusted keys.
 */
export function describeTrustFiles(args: readonly string[], cwd: string): TrustInput[] {
  const out: TrustInput[] = [];
  for (const a of args) {
    const path = resolve(cwd, a);
    if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size > MAX_KEY_FILE) continue;
    const bytes = readFileSync(path);
    out.push({ name: basename(path), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), fingerprint: loadTrustedKey(a, cwd).fingerprint });
  }
  return out;
}

/** SHA-256 and size of a file, read in 4 MiB chunks. */
export function fileDigest(path: string): { size: number; sha256: string } {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: h.digest('hex') };
}

/** The archive to list in the subject when `bundle` is a tar file; undefined for a directory. */
export function archiveInput(bundle: string): { size: number; sha256: string } | undefined {
  return statSync(bundle).isFile() ? fileDigest(bundle) : undefined;
}
