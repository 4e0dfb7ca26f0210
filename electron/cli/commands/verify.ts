/** `proofdesk verify <bundle> --trust <key>… [--witness <key>…] [--entry-key <key>…] [--json] [--workers N] [--cross-check]` */
import { resolve } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import { exitForVerdict } from '../exit-codes.js';
import { formatRun } from '../format.js';
import { checkFormatArgsForCase, FORMAT_FLAGS, verifyFromArgs } from '../format-flags.js';
import type { CliIO } from '../io.js';
import { progressPrinter } from '../progress.js';
import { REPORT_FLAGS } from '../report-flags.js';
import { anyTrust, TRUST_FLAGS, trustArgsOf } from '../trust-flags.js';

export const VERIFY_FLAGS = {
  ...TRUST_FLAGS, // --trust (log), --witness, --entry-key

  json: { kind: 'boolean', help: 'print the machine-readable result on stdout' },
  workers: { kind: 'integer', help: 'worker threads (default: one per core)' },
  'cross-check': { kind: 'boolean', help: 'verify every signature with both Ed25519 implementations' },
  'max-entry-bytes': { kind: 'integer', help: 'largest entry line parsed (default 1048576)' },
  'findings-limit': { kind: 'integer', help: 'findings listed per code (default 10000; the rest are counted)' },
  case: {
    kind: 'string',
    help: "record the run in this case: the bundle is imported, the case's trusted keys apply (with --trust keys added)",
  },
  ...FORMAT_FLAGS, // --format --origin --artifact --entry: other log formats (docs/formats.md)
  ...REPORT_FLAGS, // --report <dir> --examiner-key <file> [--passphrase-file F] [--case-ref R]: a signed report (docs/report-format.md)
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

export const VERIFY_USAGE = 'usage: proofdesk verify <bundle-dir | bundle.tar> --trust <key>… [options]';

export async function verifyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, VERIFY_FLAGS);
  if (a.help) {
    io.out(helpText(VERIFY_USAGE, VERIFY_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', `${VERIFY_USAGE}\n(expected exactly one bundle)`);
  if (!anyTrust(a) && a.case === undefined)
    throw new ProofdeskError('USAGE', 'give at least one --trust key: a bundle cannot verify itself');
  checkFormatArgsForCase(a);
  const trustArgs = trustArgsOf(a);
  // The report writer (PDF stack) and the case store (SQLite) are loaded only when asked for:
  // a plain verification loads neither.
  const reporting = a.report !== undefined || a['examiner-key'] !== undefined || a['case-ref'] !== undefined;
  const reports = reporting ? await import('./report.js') : undefined;
  const caseRuns = a.case !== undefined ? await import('./case-verify-run.js') : undefined;
  const report = await reports?.prepareReport(a, trustArgs, a._[0]!, io);
  const onProgress = a.json ? undefined : progressPrinter(io);
  // Both paths load the trust arguments themselves: a case run against the case's grants for the
  // bundle's origin, verify() with every format's trust material.
  const out = await (caseRuns && a.case !== undefined
    ? caseRuns.verifyInCaseCli(io, a.case, trustArgs)
    : verifyFromArgs({ ...a, trustArgs }, io.cwd))({
    bundle: resolve(io.cwd, a._[0]!),
    trusted: [],
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
    crossCheck: a['cross-check'],
    ...(a['max-entry-bytes'] !== undefined ? { maxEntryBytes: a['max-entry-bytes'] } : {}),
    ...(a['findings-limit'] !== undefined ? { findingsPerCode: a['findings-limit'] } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  if (a.json) io.out(JSON.stringify(out.run, null, 2) + '\n');
  else io.out(formatRun(out.run));
  if (report && reports) {
    // In a case, the attestation carries the journal head as it is now (after the run and its
    // index were journaled), and the case records the report against that same head.
    const anchor =
      'caseRun' in out
        ? (await import('../../case/reports.js')).caseReportAnchor(out.caseRun.dir, out.caseRun.runId)
        : undefined;
    const written = await reports.finishReport(report, out, io, anchor);
    if ('caseRun' in out && anchor && caseRuns)
      caseRuns.recordCaseReportCli(io, out.caseRun, written, anchor.journalHead, report.keyFile.fingerprint);
  }
  return exitForVerdict(out.run.result.verdict);
}
