/**
 * The glue between `proofdesk verify` and verify(): the format flags, and a function with
 * verifyBundle's shape so the verify command calls it in place of verifyBundle.
 */
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { TrustArg } from '../keys/trust-files.js';
import type { VerifyOptions } from '../verify/bundle/verify.js';
import { INPUT_FORMATS, parseFormatName } from '../verify/input-format.js';
import type { VerifyInputOutput } from '../verify/verify.js';
import type { FlagSpecs } from './args.js';

export const FORMAT_FLAGS = {
  format: { kind: 'string', help: `input format (default: detected): ${INPUT_FORMATS.join(', ')}` },
  origin: { kind: 'string', help: 'expected log origin (tiled logs, signed notes, tlog-proof files)' },
  artifact: { kind: 'string', help: 'Sigstore: the signed artifact, to check its digest and signature' },
  entry: { kind: 'string', help: 'tlog-proof: file holding the logged entry the proof is for' },
} as const satisfies FlagSpecs;

export interface FormatArgs {
  readonly trustArgs: readonly TrustArg[];
  readonly format?: string | undefined;
  readonly origin?: string | undefined;
  readonly artifact?: string | undefined;
  readonly entry?: string | undefined;
  readonly case?: string | undefined;
}

/** verifyBundle's shape over verify(): `o.trusted` is ignored, trust comes from the --trust arguments. */
export function verifyFromArgs(a: FormatArgs, cwd: string): (o: VerifyOptions) => Promise<VerifyInputOutput> {
  const format = a.format === undefined || a.format === 'auto' ? 'auto' : parseFormatName(a.format);
  return async (o) => {
    const { bundle, trusted: _ignored, ...engine } = o;
    // Imported here, not at the top: `verify --help` lists the flags without loading the verifiers.
    const { verify } = await import('../verify/verify.js');
    return verify(bundle, {
      ...engine,
      format,
      trustArgs: a.trustArgs,
      cwd,
      ...(a.origin !== undefined ? { origin: a.origin } : {}),
      ...(a.artifact !== undefined ? { artifact: a.artifact } : {}),
      ...(a.entry !== undefined ? { entry: a.entry } : {}),
    });
  };
}

/** Case runs record Proofdesk bundles; the format flags do not apply to them. */
export function checkFormatArgsForCase(a: Omit<FormatArgs, 'trustArgs'>): void {
  if (a.case === undefined) return;
  const used = (['format', 'origin', 'artifact', 'entry'] as const).filter(
    (k) => a[k] !== undefined && !(k === 'format' && a.format === 'proofdesk-bundle'),
  );
  if (used.length)
    throw new ProofdeskError(
      'USAGE',
      `--case records Proofdesk bundles; --${used.join(', --')} cannot be used with it`,
    );
}
