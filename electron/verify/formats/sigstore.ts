/**
 * A Sigstore bundle file (v0.1–v0.3, Rekor v1 and v2 entries), verified offline against the
 * trusted roots given with --trust (shared/formats/sigstore/verify.ts). Each transparency-log
 * entry is one entry of the result; its checkpoint is a checkpoint of the result.
 */
import { basename, dirname } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { openBundle, readRegion } from '../../platform/bundle-source.js';
import { type AdapterOptions, type AdapterOutput, readIn, runOf, signaturePaths } from './common.js';
import { type BundleFile, judgeSigstoreBundle } from './sigstore/judge.js';
import { sigstoreResult } from './sigstore/result.js';

const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
/** Artifacts are hashed and signature-checked in memory; larger ones are refused with a clear error. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

/**
 * The steps: refuse to run without a trusted root, read the bundle and the artifact, verify
 * (`sigstore/judge.ts`), and finish the result (`sigstore/result.ts`).
 */
export async function verifySigstoreBundle(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  if (a.trust.sigstoreRoots.length === 0)
    throw new ProofdeskError(
      'USAGE',
      'give the Sigstore trusted root (trusted_root.json) with --trust: a bundle cannot vouch for its own log',
    );
  const bundle = readBundleFile(a.input);
  const artifact = a.artifact !== undefined ? readArtifact(a.artifact) : undefined;
  const outcome = judgeSigstoreBundle(bundle, a, signaturePaths(a.crossCheck), artifact);
  return { run: runOf(sigstoreResult(a, bundle.name, outcome), t0, bundle.bytes.length) };
}

function readBundleFile(input: string): BundleFile {
  const name = basename(input);
  const r = readIn(openBundle(dirname(input)), name, MAX_BUNDLE_BYTES, 'proof');
  if (r.kind !== 'ok')
    throw new ProofdeskError(
      r.kind === 'too-large' ? 'INPUT_TOO_LARGE' : 'INPUT_UNREADABLE',
      r.kind === 'unsafe' ? r.detail : `cannot read ${name}`,
    );
  return { name, bytes: r.bytes, report: r.report };
}

function readArtifact(path: string): Uint8Array {
  const art = openBundle(dirname(path)).locate(basename(path));
  if (!art.ok)
    throw new ProofdeskError('INPUT_UNREADABLE', art.reason === 'UNSAFE' ? art.detail : `artifact not found: ${path}`);
  return readRegion(art.region, MAX_ARTIFACT_BYTES, 'artifact');
}
