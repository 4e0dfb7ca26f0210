/**
 * `proofdesk demo [--out dir]`: verifies the sample bundle shipped in resources/samples with
 * its published keys. The sample and its keys are demo material, made by
 * scripts/make-sample.ts from fixed, public seeds: never trust them for anything real.
 */
import { resourcePath } from '../../paths.js';
import { verifyCommand } from './verify.js';
import { helpText, parseArgs, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';

const FLAGS = {
  json: { kind: 'boolean', help: 'print the machine-readable result' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

export const SAMPLE = {
  bundle: () => resourcePath('samples', 'sample-bundle'),
  logKey: () => resourcePath('samples', 'sample-log.vkey'),
  witnessKey: () => resourcePath('samples', 'sample-witness.vkey'),
  sourceKey: () => resourcePath('samples', 'sample-source.pub'),
};

export async function demoCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText('usage: proofdesk demo', FLAGS) + '\n');
    return 0;
  }
  io.err(`Verifying the sample bundle ${SAMPLE.bundle()}\nwith the sample log, witness and event-source keys (DEMO keys: public seeds, never trust them for real evidence).\n\n`);
  return verifyCommand([SAMPLE.bundle(), '--trust', SAMPLE.logKey(), '--trust', SAMPLE.witnessKey(), '--trust', SAMPLE.sourceKey(), ...(a.json ? ['--json'] : [])], io);
}
