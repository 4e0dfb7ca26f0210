/**
 * The formats verify() knows, as a table from format id to its verifier. Adding a format is one
 * row here (and its detection in detect.ts); the table's type makes the compiler demand a row
 * for every InputFormat, so no format can be detected and then have no verifier.
 */
import { resolve } from 'node:path';
import { DEFAULT_MAX_ENTRY_BYTES } from '../../shared/bundle/entry.js';
import { mergeTrustedKeys, type TrustArg, type TrustedKey } from '../../shared/keys/trust.js';
import type { VerifyOutput } from '../../shared/protocol/verify-output.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { loadTrustedKeys } from '../keys/trust-files.js';
import { DEFAULT_FINDINGS_PER_CODE, type VerifyOptions, verifyBundle } from './bundle/verify.js';
import type { Detected } from './detect.js';
import { verifyCloudTrail } from './formats/cloudtrail.js';
import { type AdapterOptions, type TiledLogIndex, throwIfCancelled } from './formats/common.js';
import { verifyCtLog, verifyCtSth } from './formats/ct.js';
import { verifySignedNote, verifyTlogProofFile } from './formats/note.js';
import { verifySigstoreBundle } from './formats/sigstore.js';
import { verifyTiledLog } from './formats/tiled-log.js';
import { loadFormatTrust } from './formats/trust.js';
import type { InputFormat } from './input-format.js';

/** What verify() takes besides the input path. */
export interface VerifyInputOptions extends Omit<VerifyOptions, 'bundle' | 'trusted'> {
  /** Forces a format; detected from the input when absent or 'auto'. */
  readonly format?: InputFormat | 'auto';
  /** `--trust` arguments (key files, inline keys, trusted roots, CloudTrail key lists), and keys given in a role (`--witness`, `--entry-key`). */
  readonly trustArgs?: readonly TrustArg[];
  /** Ed25519 keys already loaded (e.g. a case's trust store, with validity windows). */
  readonly trusted?: readonly TrustedKey[];
  /** Directory relative paths are resolved against. */
  readonly cwd?: string;
  /** Expected log origin (tiled logs, notes, tlog-proof files). */
  readonly origin?: string;
  /** Sigstore: the signed artifact. */
  readonly artifact?: string;
  /** tlog-proof: the logged entry. */
  readonly entry?: string;
}

/** What a format's verifier returns: the run, and for a tiled log the block index diffs use. */
export interface FormatOutput extends VerifyOutput {
  /** Tiled logs: roots of 256-leaf blocks, for diffs. */
  readonly tiles?: TiledLogIndex;
}

/** One verification: the input (absolute), the options as given, what detection found. */
export interface FormatRequest {
  readonly input: string;
  readonly cwd: string;
  readonly options: VerifyInputOptions;
  readonly detected: Detected;
}

export type FormatVerifier = (r: FormatRequest) => Promise<FormatOutput>;

/** A Proofdesk bundle keeps exactly its own trust rules: Ed25519 keys only. */
const bundle: FormatVerifier = (r) => {
  const opts = r.options;
  const trusted = [...(opts.trusted ?? []), ...loadTrustedKeys(opts.trustArgs ?? [], r.cwd)];
  const { format: _f, trustArgs: _t, trusted: _k, cwd: _c, origin: _o, artifact: _a, entry: _e, ...rest } = opts;
  return verifyBundle({ ...rest, bundle: r.input, trusted: mergeTrustedKeys(trusted) });
};

/** The options every other format's adapter takes: trust of any kind, limits, cancellation. */
function adapterOptions(r: FormatRequest): AdapterOptions {
  const opts = r.options;
  const trust = loadFormatTrust(opts.trustArgs ?? [], r.cwd, opts.trusted ?? []);
  const findingsPerCode = opts.findingsPerCode ?? DEFAULT_FINDINGS_PER_CODE;
  if (!Number.isSafeInteger(findingsPerCode) || findingsPerCode < 1)
    throw new ProofdeskError('USAGE', 'findings limit must be a positive integer');
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const a: AdapterOptions = {
    input: r.input,
    trust,
    crossCheck: opts.crossCheck ?? false,
    maxEntryBytes,
    findingsPerCode,
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    ...(opts.artifact !== undefined ? { artifact: resolve(r.cwd, opts.artifact) } : {}),
    ...(opts.entry !== undefined ? { entry: resolve(r.cwd, opts.entry) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
  throwIfCancelled(opts.signal);
  return a;
}

const tiled =
  (layout: 'tlog-tiles' | 'sumdb' | 'serverless'): FormatVerifier =>
  async (r) => {
    const out = await verifyTiledLog({
      ...adapterOptions(r),
      layout,
      ...(r.detected.height !== undefined ? { height: r.detected.height } : {}),
    });
    return { run: out.run, ...(out.tiles ? { tiles: out.tiles } : {}) };
  };

/** An adapter whose output is just the run. */
const runOnly =
  (f: (a: AdapterOptions) => Promise<{ readonly run: FormatOutput['run'] }>): FormatVerifier =>
  async (r) => ({ run: (await f(adapterOptions(r))).run });

export const FORMAT_VERIFIERS: { readonly [F in InputFormat]: FormatVerifier } = {
  'proofdesk-bundle': bundle,
  'c2sp-tiles': tiled('tlog-tiles'),
  sumdb: tiled('sumdb'),
  serverless: tiled('serverless'),
  'signed-note': runOnly(verifySignedNote),
  'tlog-proof': runOnly(verifyTlogProofFile),
  sigstore: runOnly(verifySigstoreBundle),
  'ct-sth': runOnly(verifyCtSth),
  'ct-log': runOnly(verifyCtLog),
  cloudtrail: runOnly(verifyCloudTrail),
};
