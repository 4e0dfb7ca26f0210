/**
 * `proofdesk report verify <report.pdf | attestation.dsse.json> --key <examiner.pub> [--sig F]
 *  [--rerun <bundle> --trust <key>… [--witness <key>…] [--entry-key <key>…]] [--workers N] [--json]`, and the `--report` option of
 * `proofdesk verify` (prepareReport before the run, finishReport after it).
 */
import { resolve } from 'node:path';
import type { EntryIndex } from '../../../shared/protocol/verify-output.js';
import type { CaseAnchor } from '../../../shared/report/case-anchor.js';
import { formatLocation, formatUtc, groupThousands } from '../../../shared/report/text.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { VerificationRun } from '../../../shared/verdict/result.js';
import { timelineModel, timelineSummary } from '../../../shared/verdict/timeline.js';
import { type CaseFile, openCase } from '../../case/case.js';
import { type EvidenceRecord, storedPathIn } from '../../case/evidence.js';
import { caseJournalView } from '../../case/reports.js';
import { type KeyFile, readKeyFile, unlockKeyFile } from '../../keys/keyfile.js';
import { loadTrustedKey, type TrustArg } from '../../keys/trust-files.js';
import {
  assertTrustFilesUsed,
  checkedArchive,
  describeTrustFiles,
  type InputDigest,
  verifiedArchive,
} from '../../report/inputs.js';
import {
  assertReportDirFree,
  createVerificationReport,
  type WrittenReport,
  writeVerificationReport,
} from '../../report/verification-report.js';
import { type ReportVerification, verifyReport } from '../../report/verify-report.js';
import { entryTimes } from '../../verify/bundle/entry-times.js';
import type { VerifyProgress } from '../../verify/bundle/verify.js';
import { type FlagSpecs, helpText, type Parsed, parseArgs } from '../args.js';
import { exitForVerdict } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import { progressPrinter } from '../progress.js';
import { anyTrust, TRUST_FLAGS, trustArgsOf } from '../trust-flags.js';

// ── `proofdesk verify … --report` ────────────────────────────────────────────────────────

export interface ReportRequest {
  readonly dir: string;
  readonly keyFile: KeyFile;
  readonly passphrase: string | undefined;
  readonly caseReference?: string;
  readonly trustArgs: readonly TrustArg[];
  readonly bundle: string;
  readonly startedAt: Date;
}

const MAX_CASE_REF = 200;

/**
 * Checks the report options before a run, so that a wrong passphrase or an occupied report
 * directory fails in seconds rather than after a long verification. The key is unlocked once
 * to check the passphrase and the secret is wiped; it is unlocked again only to sign.
 * Returns undefined when no report is asked for.
 */
export async function prepareReport(
  a: {
    readonly report?: string | undefined;
    readonly 'examiner-key'?: string | undefined;
    readonly 'passphrase-file'?: string | undefined;
    readonly 'case-ref'?: string | undefined;
  },
  trustArgs: readonly TrustArg[],
  bundle: string,
  io: CliIO,
): Promise<ReportRequest | undefined> {
  if (a.report === undefined) {
    if (a['examiner-key'] !== undefined || a['case-ref'] !== undefined)
      throw new ProofdeskError('USAGE', '--examiner-key and --case-ref only apply with --report <dir>');
    return undefined;
  }
  if (a['examiner-key'] === undefined)
    throw new ProofdeskError('USAGE', '--report needs --examiner-key <file>: a report is signed by its examiner');
  const caseRef = a['case-ref'];
  if (
    caseRef !== undefined &&
    (caseRef.length === 0 || caseRef.length > MAX_CASE_REF || /[\u0000-\u001f\u007f]/.test(caseRef))
  ) {
    throw new ProofdeskError('USAGE', `--case-ref must be 1 to ${MAX_CASE_REF} printable characters`);
  }
  const dir = resolve(io.cwd, a.report);
  assertReportDirFree(dir);
  const keyFile = readKeyFile(resolve(io.cwd, a['examiner-key']));
  const passphrase =
    keyFile.kdf === null
      ? undefined
      : await obtainPassphrase(io, {
          ...(a['passphrase-file'] ? { file: a['passphrase-file'] } : {}),
          purpose: 'unlock the examiner key',
        });
  unlockKeyFile(keyFile, passphrase).seed.fill(0);
  return {
    dir,
    keyFile,
    passphrase,
    ...(caseRef !== undefined ? { caseReference: caseRef } : {}),
    trustArgs,
    bundle: resolve(io.cwd, bundle),
    startedAt: new Date(),
  };
}

/** A finished run as the verify command has it: the run, and what signing checks its inputs against. */
export interface ReportedRun {
  readonly run: VerificationRun;
  /** The archive as the run read it (VerifyOutput.archive). */
  readonly archive?: InputDigest;
  /** A case run: the bundle's evidence (the stored copy is what was verified) and the case. */
  readonly evidence?: EvidenceRecord;
  readonly caseRun?: { readonly dir: string };
  /** Where each entry is (VerifyOutput.index): the report's timeline reads the entries' times. */
  readonly index?: EntryIndex;
}

/**
 * Signs and writes the report of a finished run; prints where it went on stderr. `anchor`:
 * the run was recorded in a case, whose id and journal head go into the attestation (and
 * whose reference is printed unless --case-ref gives another).
 */
export async function finishReport(
  req: ReportRequest,
  out: ReportedRun,
  io: CliIO,
  anchor?: CaseAnchor,
): Promise<WrittenReport> {
  const finishedAt = new Date();
  const run = out.run;
  // The report vouches for the bytes the run verified: inputs read again now must be those.
  const trustInputs = describeTrustFiles(req.trustArgs, io.cwd);
  assertTrustFilesUsed(trustInputs, run.result);
  const e = out.caseRun ? out.evidence : undefined;
  const source = verifiedArchive(
    {
      result: run.result,
      ...(out.archive ? { archive: out.archive } : {}),
      ...(e && out.caseRun
        ? {
            evidence: {
              container: e.container,
              size: e.size,
              digest: e.digest,
              storedAt: storedPathIn(out.caseRun.dir, e),
            },
          }
        : {}),
    },
    req.bundle,
  );
  const archive = source ? checkedArchive(source) : undefined;
  const caseReference = req.caseReference ?? anchor?.reference;
  const timeline = out.index
    ? timelineSummary(timelineModel(entryTimes(out.index.region, out.index.count), run.result.coverage.ranges))
    : undefined;
  const key = unlockKeyFile(req.keyFile, req.passphrase);
  try {
    const report = await createVerificationReport({
      result: run.result,
      examiner: key,
      ...(caseReference !== undefined ? { caseReference } : {}),
      ...(anchor !== undefined ? { case: anchor } : {}),
      startedAt: req.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...(archive ? { archive } : {}),
      trustInputs,
      ...(timeline ? { timeline } : {}),
    });
    const written = writeVerificationReport(req.dir, report);
    io.err(
      `signed report written to ${req.dir}\n  ${written.pdf}\n  ${written.signature}\n  ${written.attestation}\n  report ID ${report.attestation.reportId}\n`,
    );
    return written;
  } finally {
    key.seed.fill(0);
  }
}

// ── `proofdesk report verify` ────────────────────────────────────────────────────────────

const VERIFY_REPORT_FLAGS = {
  key: {
    kind: 'string',
    help: "the examiner's public key (PEM, OpenSSH, verifier key, raw, or their Proofdesk key file)",
  },
  sig: { kind: 'string', help: 'detached signature of the PDF (default: <report.pdf>.sig)' },
  rerun: { kind: 'string', help: 'verify this bundle again and compare with the attested result' },
  ...TRUST_FLAGS, // for --rerun: the same keys, in the same roles, as the report lists
  workers: { kind: 'integer', help: 'worker threads for --rerun' },
  case: {
    kind: 'string',
    help: 'the case the report was signed in: check that its journal still has the row the report anchors',
  },
  json: { kind: 'boolean', help: 'print the machine-readable result on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const VERIFY_REPORT_USAGE =
  'usage: proofdesk report verify <report.pdf | attestation.dsse.json> --key <examiner.pub> [--rerun <bundle> --trust <key>… [--witness <key>…] [--entry-key <key>…]] [--case <case-dir>]';

function formatReportVerification(v: ReportVerification): string {
  const lines: string[] = [];
  const what =
    v.verdict === 'PASS' ? 'authentic' : v.verdict === 'FAIL' ? 'NOT authentic or not reproduced' : 'not fully checked';
  lines.push(`${v.verdict}  ${v.input.name}: ${what} (examiner key ${v.examinerKey.slice(0, 16)}…)`);
  lines.push('');
  for (const c of v.checks) lines.push(`  ${c.id.padEnd(20)} ${c.status.toUpperCase()}`);
  const a = v.attested;
  if (a) {
    lines.push('');
    lines.push(
      `  attests      ${a.verdict} for bundle ${a.bundle} (origin ${a.origin}), ${groupThousands(a.entryCount)} entries, ${groupThousands(a.findings)} findings`,
    );
    lines.push(`  examiner     ${a.examiner}${a.caseReference !== undefined ? `, case ${a.caseReference}` : ''}`);
    if (a.case) {
      lines.push(
        `  signed in    case ${a.case.caseId}${a.case.reference !== undefined ? ` (${a.case.reference})` : ''}${a.case.runId !== undefined ? `, run #${a.case.runId}` : ''}`,
      );
      lines.push(`  anchors      journal row ${a.case.journalHead.seq} ${a.case.journalHead.hash}`);
    }
    lines.push(`  verified     ${formatUtc(a.timeVerified)} (examiner machine clock)`);
    lines.push(`  tool         Proofdesk ${a.toolVersion}, build ${a.toolBuild}`);
    lines.push(`  report ID    ${a.reportId}`);
  }
  if (v.rerun) lines.push(`  re-run       ${v.rerun.verdict}, ${v.rerun.differences} differences`);
  if (v.findings.length) {
    lines.push('');
    lines.push('  findings');
    for (const f of v.findings) {
      lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.code}  ${formatLocation(f.location)}`);
      lines.push(`             ${f.message}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function reportVerifyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, VERIFY_REPORT_FLAGS);
  if (a.help) {
    io.out(helpText(VERIFY_REPORT_USAGE, VERIFY_REPORT_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', `${VERIFY_REPORT_USAGE}\n(expected exactly one report)`);
  if (a.key === undefined)
    throw new ProofdeskError('USAGE', "give the examiner's public key with --key: a report cannot vouch for itself");
  if (a.rerun === undefined && anyTrust(a))
    throw new ProofdeskError('USAGE', '--trust, --witness and --entry-key only apply with --rerun <bundle>');
  if (a.rerun !== undefined && !anyTrust(a))
    throw new ProofdeskError('USAGE', '--rerun needs the trusted keys the report lists (--trust)');
  const examinerKey = loadTrustedKey(a.key, io.cwd).publicKey;
  const onProgress = a.json || a.rerun === undefined ? undefined : progressPrinter(io);
  // The case is opened read-only for the whole check: nothing in it changes.
  const caseFile = a.case !== undefined ? openCase(resolve(io.cwd, a.case), { readonly: true }) : undefined;
  try {
    return await reportVerifyWith(a, io, examinerKey, onProgress, caseFile);
  } finally {
    caseFile?.close();
  }
}

async function reportVerifyWith(
  a: Parsed<typeof VERIFY_REPORT_FLAGS>,
  io: CliIO,
  examinerKey: Uint8Array,
  onProgress: ((p: VerifyProgress) => void) | undefined,
  caseFile: CaseFile | undefined,
): Promise<number> {
  const v = await verifyReport({
    ...(caseFile ? { caseJournal: caseJournalView(caseFile) } : {}),
    input: resolve(io.cwd, a._[0]!),
    examinerKey,
    ...(a.sig !== undefined ? { signature: resolve(io.cwd, a.sig) } : {}),
    ...(a.rerun !== undefined
      ? {
          rerun: {
            bundle: resolve(io.cwd, a.rerun),
            trustArgs: trustArgsOf(a),
            cwd: io.cwd,
            ...(a.workers !== undefined ? { workers: a.workers } : {}),
            ...(io.signal ? { signal: io.signal } : {}),
            ...(onProgress ? { onProgress } : {}),
          },
        }
      : {}),
  });
  io.out(a.json ? JSON.stringify(v, null, 2) + '\n' : formatReportVerification(v));
  return exitForVerdict(v.verdict);
}

const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIO) => Promise<number>>> = {
  verify: reportVerifyCommand,
};

export async function reportCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!run) {
    if (sub === '--help' || sub === '-h') {
      io.out(`${VERIFY_REPORT_USAGE}\n`);
      return 0;
    }
    throw new ProofdeskError(
      'USAGE',
      `${VERIFY_REPORT_USAGE}\n(unknown report subcommand ${JSON.stringify(sub ?? '')})`,
    );
  }
  return run(rest, io);
}
