/**
 * The options `proofdesk verify` takes for a signed report (docs/report-format.md). They live
 * apart from commands/report.ts so that the verify command's flags and --help do not load the
 * report writer (and with it the PDF stack): commands/report.ts is imported only with --report.
 */
import type { FlagSpecs } from './args.js';

/** Flags `proofdesk verify` adds for a signed report. */
export const REPORT_FLAGS = {
  report: {
    kind: 'string',
    help: 'write a signed report into this directory: report.pdf, report.pdf.sig, attestation.dsse.json',
  },
  'examiner-key': {
    kind: 'string',
    help: 'the examiner key file that signs the report (proofdesk keygen, proofdesk key import)',
  },
  'passphrase-file': { kind: 'string', help: 'read the examiner key passphrase from this file' },
  'case-ref': { kind: 'string', help: 'case reference printed on the report' },
} as const satisfies FlagSpecs;
