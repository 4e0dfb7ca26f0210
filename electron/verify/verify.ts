/**
 * The one entry point for verifying any supported input: a Proofdesk bundle goes to
 * verifyBundle unchanged; every other format goes to its adapter, which returns the same
 * `{ run }` shape (and, for tiled logs, a block index). The CLI, the app and the tests call this.
 */
import { resolve } from 'node:path';
import { DEFAULT_MAX_ENTRY_BYTES } from '../../shared/bundle/entry.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { assertNever } from '../../shared/encoding/assert.js';
import { mergeTrustedKeys, type TrustedKey } from '../../shared/keys/trust.js';
import { loadTrustedKeys, type TrustArg } from '../keys/trust-files.js';
import { DEFAULT_FINDINGS_PER_CODE, verifyBundle, type VerifyOptions, type VerifyOutput } from './bundle/verify.js';
import { throwIfCancelled, type AdapterOptions, type TiledLogIndex } from './formats/common.js';
import { detectFormat, type InputFormat } from './detect.js';
import { verifyTiledLog } from './formats/tiled-log.js';
import { loadFormatTrust } from './formats/trust.js';
import { verifySignedNote, verifyTlogProofFile } from './formats/note.js';
import { verifySigstoreBundle } from './formats/sigstore.js';
import { verifyCtLog, verifyCtSth } from './formats/ct.js';
import { verifyCloudTrail } from './formats/cloudtrail.js';

export interface VerifyAnyOptions extends Omit<VerifyOptions, 'bundle' | 'trusted'> {
  readonly input: string;
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

export interface VerifyAnyOutput extends VerifyOutput {
  readonly format: InputFormat;
  /** Tiled logs: roots of 256-leaf blocks, for diffs. */
  readonly tiles?: TiledLogIndex;
}

export async function verifyAny(opts: VerifyAnyOptions): Promise<VerifyAnyOutput> {
  const cwd = opts.cwd ?? process.cwd();
  const input = resolve(cwd, opts.input);
  const detected = opts.format === undefined || opts.format === 'auto' ? detectFormat(input) : { format: opts.format };
  const format = detected.format;
  if (format === 'proofdesk-bundle') {
    // Bundles keep exactly their own trust rules: Ed25519 keys only.
    const trusted = [...(opts.trusted ?? []), ...loadTrustedKeys(opts.trustArgs ?? [], cwd)];
    const { input: _i, format: _f, trustArgs: _t, trusted: _k, cwd: _c, origin: _o, artifact: _a, entry: _e, ...rest } = opts;
    const out = await verifyBundle({ ...rest, bundle: input, trusted: mergeTrustedKeys(trusted) });
    return { ...out, format };
  }
  const trust = loadFormatTrust(opts.trustArgs ?? [], cwd, opts.trusted ?? []);
  const findingsPerCode = opts.findingsPerCode ?? DEFAULT_FINDINGS_PER_CODE;
  if (!Number.isSafeInteger(findingsPerCode) || findingsPerCode < 1) throw new ProofdeskError('USAGE', 'findings limit must be a positive integer');
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const a: AdapterOptions = {
    input,
    trust,
    crossCheck: opts.crossCheck ?? false,
    maxEntryBytes,
    findingsPerCode,
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    ...(opts.artifact !== undefined ? { artifact: resolve(cwd, opts.artifact) } : {}),
    ...(opts.entry !== undefined ? { entry: resolve(cwd, opts.entry) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
  throwIfCancelled(opts.signal);
  switch (format) {
    case 'c2sp-tiles':
    case 'sumdb':
    case 'serverless': {
      const layout = format === 'c2sp-tiles' ? 'tlog-tiles' : format;
      const out = await verifyTiledLog({ ...a, layout, ...(detected.height !== undefined ? { height: detected.height } : {}) });
      return { run: out.run, format, ...(out.tiles ? { tiles: out.tiles } : {}) };
    }
    case 'signed-note':
      return { run: (await verifySignedNote(a)).run, format };
    case 'tlog-proof':
      return { run: (await verifyTlogProofFile(a)).run, format };
    case 'sigstore':
      return { run: (await verifySigstoreBundle(a)).run, format };
    case 'ct-sth':
      return { run: (await verifyCtSth(a)).run, format };
    case 'ct-log':
      return { run: (await verifyCtLog(a)).run, format };
    case 'cloudtrail':
      return { run: (await verifyCloudTrail(a)).run, format };
    default:
      return assertNever(format, 'format');
  }
}
