/**
 * `proofdesk demo [--out dir]`: verifies the sample bundle shipped in resources/samples with
 * its published keys. The sample and its keys are demo material, made by
 * scripts/make-sample.ts from fixed, public seeds: never trust them for anything real.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPORT_FILES } from '../../report/verification-report.js';
import { DEMO_EXAMINER, DEMO_REPORT_DIR, SAMPLE } from '../../services/sample.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { verifyCommand } from './verify.js';

const FLAGS = {
  json: { kind: 'boolean', help: 'print the machine-readable result' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

export async function demoCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText('usage: proofdesk demo', FLAGS) + '\n');
    return 0;
  }
  io.err(
    `Verifying the sample bundle ${SAMPLE.bundle()}\nwith the sample log, witness and event-source keys (DEMO keys: public seeds, never trust them for real evidence).\n\n`,
  );
  // The demo report is regenerated on every run: remove the previous one (only its three files).
  const reportDir = resolve(io.cwd, DEMO_REPORT_DIR);
  for (const f of Object.values(REPORT_FILES)) rmSync(join(reportDir, f), { force: true });
  const code = await verifyCommand(
    [
      SAMPLE.bundle(),
      '--trust',
      SAMPLE.logKey(),
      '--witness',
      SAMPLE.witnessKey(),
      '--entry-key',
      SAMPLE.sourceKey(),
      '--report',
      reportDir,
      '--examiner-key',
      DEMO_EXAMINER.key(),
      '--case-ref',
      'DEMO (sample bundle)',
      ...(a.json ? ['--json'] : []),
    ],
    io,
  );
  io.err(
    `\nThe report is signed with the DEMO examiner key (resources/demo: public seed, never trust it). Check it with\n  proofdesk report verify ${join(DEMO_REPORT_DIR, REPORT_FILES.pdf)} --key ${DEMO_EXAMINER.publicKey()}\n`,
  );
  return code;
}
