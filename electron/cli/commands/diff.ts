/**
 * `proofdesk diff <bundleA> <bundleB> --trust <key>… [--witness <key>…] [--entry-key <key>…] [--json] [--align-by seq|content|<member>]
 *  [--window N] [--out-dir D] [--sign-key K --attestation F] [--case DIR]`: compares two exports
 * of one log (docs/diff.md). With --case the comparison is a run of that case
 * (electron/services/case-diff.ts). Also the `check-proof` handler for proof-of-misbehaviour files.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDivergenceStatement } from '../../../shared/diff/attestation.js';
import { type AlignBy, parseAlignBy } from '../../../shared/diff/entries.js';
import { verifyMisbehaviourProof } from '../../../shared/diff/misbehaviour.js';
import type { DiffResult, DiffRun, Side } from '../../../shared/diff/model.js';
import { assertNever } from '../../../shared/encoding/assert.js';
import { utf8 } from '../../../shared/encoding/bytes.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import type { CaseAnchor } from '../../../shared/report/case-anchor.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { Verdict } from '../../../shared/verdict/result.js';
import { DEFAULT_DIFF_WINDOW, type DiffOptions, type DiffProgress, diffBundles } from '../../diff/diff.js';
import { isEncrypted, readKeyFile, type UnlockedKey, unlockKeyFile, writeFileAtomic } from '../../keys/keyfile.js';
import { loadTrustedKeys, type TrustArg } from '../../keys/trust-files.js';
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { examinerIdentity, signAttestation } from '../../report/sign.js';
import { type FlagSpecs, helpText, type Parsed, parseArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatLocation } from '../format.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import { progressPrinter } from '../progress.js';
import { anyTrust, TRUST_FLAGS, trustArgsOf } from '../trust-flags.js';
import {
  pushCheckpoints,
  pushDiagnosis,
  pushDivergence,
  pushEntryDiff,
  pushFindings,
  pushForks,
  pushProofs,
  pushRelation,
  pushStats,
  short,
} from './diff-text.js';

const FLAGS = {
  ...TRUST_FLAGS, // --trust (log), --witness, --entry-key
  json: { kind: 'boolean', help: 'print the machine-readable result on stdout' },
  'align-by': {
    kind: 'string',
    help: 'pair entries in the entry diff by seq (default), content, or a member path such as event.id',
  },
  window: {
    kind: 'integer',
    help: `entries read from each export from the divergence on (default ${DEFAULT_DIFF_WINDOW})`,
  },
  'out-dir': {
    kind: 'string',
    help: 'write the evidence files (consistency proof, proof of misbehaviour, diff.json) here',
  },
  'sign-key': { kind: 'string', help: 'examiner key file: sign a divergence attestation (DSSE, in-toto)' },
  attestation: { kind: 'string', help: 'where to write the signed attestation (with --sign-key)' },
  'case-ref': { kind: 'string', help: 'case reference recorded in the attestation' },
  'passphrase-file': { kind: 'string', help: 'read the examiner key passphrase from this file' },
  workers: { kind: 'integer', help: 'worker threads (default: one per core)' },
  'max-entry-bytes': { kind: 'integer', help: 'largest entry line parsed (default 1048576)' },
  case: {
    kind: 'string',
    help: "record the comparison in this case: both exports are imported, the case's trusted keys apply (with --trust keys added)",
  },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE = 'usage: proofdesk diff <bundleA> <bundleB> --trust <key>… [options]';

/**
 * Exit code: 0 when one export is the other or an append-only extension of it and both verify;
 * 1 for TRUNCATED, REWRITTEN, FORKED, or when either export fails verification; 3 when the
 * relation is clean but an export is inconclusive (entries not covered by a signed checkpoint).
 */
export function exitForDiff(r: DiffResult): number {
  const verdicts: Verdict[] = [r.a.verification.verdict, r.b.verification.verdict];
  switch (r.verdict) {
    case 'TRUNCATED':
    case 'REWRITTEN':
    case 'FORKED':
      return EXIT.FAIL;
    case 'IDENTICAL':
    case 'A_EXTENDS_B':
    case 'B_EXTENDS_A':
      return verdicts.includes('FAIL') ? EXIT.FAIL : verdicts.includes('INCONCLUSIVE') ? EXIT.INCONCLUSIVE : EXIT.OK;
    default:
      return assertNever(r.verdict, 'diff verdict');
  }
}

export async function diffCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  const setup = await diffSetup(a, io);
  const startedAt = new Date().toISOString();
  const engine = engineOptions(a, io, setup.alignBy);
  const { run, written } =
    a.case !== undefined
      ? await diffRecordedInCase(a.case, a, setup, engine, startedAt, io)
      : await diffStandalone(a, setup, engine, startedAt, io);
  if (a.json) io.out(JSON.stringify(run, null, 2) + '\n');
  else io.out(formatDiff(run, written));
  return exitForDiff(run.result);
}

type DiffArgs = Parsed<typeof FLAGS>;
/** What the engine is asked to do besides which exports and keys: the same with or without a case. */
type EngineOptions = Omit<DiffOptions, 'a' | 'b' | 'trusted'>;

/** The command line checked, with everything that can fail fast done before the long part. */
interface DiffSetup {
  readonly trustArgs: TrustArg[];
  readonly trusted: TrustedKey[];
  readonly alignBy: AlignBy | undefined;
  readonly examiner: UnlockedKey | undefined;
  readonly outDir: string | undefined;
  readonly attestationPath: string | undefined;
}

async function diffSetup(a: DiffArgs, io: CliIO): Promise<DiffSetup> {
  if (a._.length !== 2) throw new ProofdeskError('USAGE', `${USAGE}\n(expected exactly two bundles)`);
  if (!anyTrust(a) && a.case === undefined)
    throw new ProofdeskError('USAGE', 'give at least one --trust key: an export cannot vouch for itself');
  const trustArgs = trustArgsOf(a);
  if ((a['sign-key'] === undefined) !== (a.attestation === undefined))
    throw new ProofdeskError('USAGE', '--sign-key and --attestation go together');
  const alignBy = a['align-by'] === undefined ? undefined : parseAlignBy(a['align-by']);
  if (a['align-by'] !== undefined && !alignBy)
    throw new ProofdeskError('USAGE', '--align-by takes seq, content, or a member path such as event.id');
  // Without a case the keys are loaded here; a case run resolves them against its trust store.
  const trusted = a.case === undefined ? loadTrustedKeys(trustArgs, io.cwd) : [];
  // Unlock the examiner key before the long part, so a wrong passphrase fails fast.
  const examiner =
    a['sign-key'] !== undefined ? await unlockExaminer(a['sign-key'], a['passphrase-file'], io) : undefined;
  const outDir = a['out-dir'] !== undefined ? resolve(io.cwd, a['out-dir']) : undefined;
  const attestationPath = a.attestation !== undefined ? resolve(io.cwd, a.attestation) : undefined;
  return { trustArgs, trusted, alignBy, examiner, outDir, attestationPath };
}

function engineOptions(a: DiffArgs, io: CliIO, alignBy: AlignBy | undefined): EngineOptions {
  const printer = a.json ? undefined : progressPrinter(io);
  return {
    ...(alignBy ? { alignBy } : {}),
    ...(a.window !== undefined ? { window: a.window } : {}),
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
    ...(a['max-entry-bytes'] !== undefined ? { maxEntryBytes: a['max-entry-bytes'] } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(printer ? { onProgress: (p: DiffProgress) => (p.stage === 'verify' ? printer(p.verify) : undefined) } : {}),
  };
}

/** Signs and writes the divergence attestation when one was asked for; returns its path. */
function signDivergence(
  result: DiffResult,
  setup: DiffSetup,
  caseRef: string | undefined,
  startedAt: string,
  anchor?: CaseAnchor,
): string | undefined {
  const { examiner, attestationPath } = setup;
  if (!examiner || attestationPath === undefined) return undefined;
  const caseReference = caseRef ?? anchor?.reference;
  const statement = buildDivergenceStatement(result, {
    examiner: examinerIdentity(examiner),
    ...(caseReference !== undefined ? { caseReference } : {}),
    ...(anchor ? { case: anchor } : {}),
    startedAt,
    finishedAt: new Date().toISOString(),
  });
  writeFileAtomic(attestationPath, signAttestation(statement, examiner).envelopeBytes);
  return attestationPath;
}

interface DiffOutcome {
  readonly run: DiffRun;
  /** Evidence files and attestation written, in the order written. */
  readonly written: string[];
}

async function diffStandalone(
  a: DiffArgs,
  setup: DiffSetup,
  engine: EngineOptions,
  startedAt: string,
  io: CliIO,
): Promise<DiffOutcome> {
  const written: string[] = [];
  const run = await diffBundles({
    a: resolve(io.cwd, a._[0]!),
    b: resolve(io.cwd, a._[1]!),
    trusted: setup.trusted,
    ...engine,
  });
  if (setup.outDir) written.push(...writeEvidence(setup.outDir, run.result));
  const att = signDivergence(run.result, setup, a['case-ref'], startedAt);
  if (att !== undefined) written.push(att);
  return { run, written };
}

/** The comparison as a run of a case: both exports imported, evidence files and the attestation recorded. */
async function diffRecordedInCase(
  caseDir: string,
  a: DiffArgs,
  setup: DiffSetup,
  engine: EngineOptions,
  startedAt: string,
  io: CliIO,
): Promise<DiffOutcome> {
  // The case store (SQLite) is loaded only for a diff recorded in a case.
  const [{ defaultActor, openCase }, { recordReport, reportAnchor }, { diffInCase, importDiffEvidence }] =
    await Promise.all([
      import('../../case/case.js'),
      import('../../case/reports.js'),
      import('../../services/case-diff.js'),
    ]);
  const written: string[] = [];
  const cf = openCase(resolve(io.cwd, caseDir), { actor: defaultActor(io.env) });
  try {
    const out = await diffInCase(cf, { a: a._[0]!, b: a._[1]!, extraTrust: setup.trustArgs, cwd: io.cwd, ...engine });
    const run = out.run;
    const ev = (s: Side) =>
      `${out.alreadyInCase[s] ? 'already in the case as' : 'imported as'} evidence #${out.evidence[s].id}`;
    io.err(`case ${cf.caseId}: A ${ev('A')}, B ${ev('B')}; run #${out.runId} recorded\n`);
    if (setup.outDir) {
      written.push(...writeEvidence(setup.outDir, run.result));
      for (const e of importDiffEvidence(cf, out.runId, written))
        io.err(`case ${cf.caseId}: ${e.label} imported as evidence #${e.id}\n`);
    }
    // The attestation carries the journal head as it is now; the case records it against that head.
    const anchor = reportAnchor(cf, out.runId);
    const att = signDivergence(run.result, setup, a['case-ref'], startedAt, anchor);
    if (att !== undefined) {
      written.push(att);
      const r = recordReport(cf, {
        runId: out.runId,
        files: [{ role: 'attestation', path: att }],
        examinerFingerprint: setup.examiner!.fingerprint,
        anchoredHead: anchor.journalHead,
      });
      io.err(
        `case ${cf.caseId}: attestation recorded as report #${r.id} of run #${out.runId}, anchoring journal row ${anchor.journalHead.seq}\n`,
      );
    }
    io.err(`case ${cf.caseId}: journal head ${cf.head().seq}\n`);
    return { run, written };
  } finally {
    cf.close();
  }
}

async function unlockExaminer(path: string, passphraseFile: string | undefined, io: CliIO) {
  const kf = readKeyFile(resolve(io.cwd, path));
  const passphrase = isEncrypted(kf)
    ? await obtainPassphrase(io, {
        ...(passphraseFile !== undefined ? { file: passphraseFile } : {}),
        purpose: 'unlock the examiner key',
      })
    : undefined;
  return unlockKeyFile(kf, passphrase);
}

/** Writes the evidence files; refuses to overwrite. Returns the paths written. */
export function writeEvidence(dir: string, r: DiffResult): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileAtomic(p, utf8(text));
    out.push(p);
  };
  if (r.consistency)
    write(`consistency-${r.consistency.older.size}-${r.consistency.newer.size}.proof`, r.consistency.file);
  if (r.misbehaviour)
    write(
      `misbehaviour-${r.misbehaviour.fork.smaller.size}-${r.misbehaviour.fork.larger.size}.proof`,
      r.misbehaviour.file,
    );
  write('diff.json', JSON.stringify(r, null, 2) + '\n');
  return out;
}

export function formatDiff(run: DiffRun, written: readonly string[] = []): string {
  const r = run.result;
  const L: string[] = [];
  L.push(`${r.verdict}  ${r.a.name} ↔ ${r.b.name}  (origin ${r.origin})`, '', `  ${r.headline}`, '');
  pushDiagnosis(L, r);
  pushRelation(L, r);
  pushDivergence(L, r);
  pushCheckpoints(L, r);
  pushForks(L, r);
  pushProofs(L, r);
  if (r.entryDiff) pushEntryDiff(L, r.entryDiff);
  pushFindings(L, r);
  if (written.length) L.push('', '  wrote', ...written.map((p) => `    ${p}`));
  pushStats(L, run.stats);
  return L.join('\n') + '\n';
}

/**
 * The `check-proof` handler for proof-of-misbehaviour files: exit 0 when the proof holds against
 * a key that signed both checkpoints and that the examiner trusts as a log key, 1 otherwise.
 */
export function checkMisbehaviourProofFile(
  file: string,
  bytes: Uint8Array,
  trusted: readonly TrustedKey[],
  json: boolean,
  io: CliIO,
): number {
  const check = verifyMisbehaviourProof(file, bytes, { trusted, verify: verifyEd25519Node, hash: nodeSha256 });
  const ok = check.status === 'proven' && check.signers.some((s) => s.trusted);
  if (json) io.out(JSON.stringify({ ok, kind: 'misbehaviour', check }, null, 2) + '\n');
  else {
    const what =
      check.status === 'proven'
        ? `misbehaviour: checkpoints of sizes ${check.size1} and ${check.size2} cannot both be true (${check.shows.join(', ')})`
        : `misbehaviour proof does not hold (${check.reasons.join(', ')})`;
    io.out(`${ok ? 'VERIFIED' : 'FAILED'}  ${what}${check.origin ? `  (origin ${check.origin})` : ''}\n`);
    for (const s of check.signers)
      io.out(`  signed by ${s.name} ${short(s.fingerprint)}${s.trusted ? '' : ' (NOT among the trusted log keys)'}\n`);
    for (const f of check.findings)
      io.out(`  ${f.severity.toUpperCase()} ${f.code} ${formatLocation(f)}: ${f.message}\n`);
  }
  return ok ? EXIT.OK : EXIT.FAIL;
}
