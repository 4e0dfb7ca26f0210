/**
 * The one entry point for verifying any supported input: detect the format (or take the one
 * forced), then run that format's verifier from the registry. A Proofdesk bundle goes to
 * verifyBundle unchanged; every other format goes to its adapter, which returns the same
 * `{ run }` shape (and, for tiled logs, a block index). The CLI, the app, case runs and the
 * tests call this.
 */
import { resolve } from 'node:path';
import { detectFormat } from './detect.js';
import type { InputFormat } from './input-format.js';
import { FORMAT_VERIFIERS, type FormatOutput, type VerifyInputOptions } from './registry.js';

export type { VerifyInputOptions };

export interface VerifyInputOutput extends FormatOutput {
  readonly format: InputFormat;
}

export async function verify(inputArg: string, opts: VerifyInputOptions = {}): Promise<VerifyInputOutput> {
  const cwd = opts.cwd ?? process.cwd();
  const input = resolve(cwd, inputArg);
  const detected = opts.format === undefined || opts.format === 'auto' ? detectFormat(input) : { format: opts.format };
  const out = await FORMAT_VERIFIERS[detected.format]({ input, cwd, options: opts, detected });
  return { ...out, format: detected.format };
}
