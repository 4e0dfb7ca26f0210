/**
 * `proofdesk diff <bundleA> <bundleB> --trust <key>… [--witness <key>…] [--entry-key <key>…] [--json] [--align-by seq|content|<member>]
 *  [--window N] [--out-dir D] [--sign-key K --attestation F] [--case DIR]`: compares two exports
 * of one log (docs/diff.md). With --case the comparison is a run of that case
 * (electron/services/case-diff.ts). Also the `check-proof` handler for proof-of-misbehaviour files.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDivergenceStatement } from '../../../shared/diff/attestation.js';
import { parseAlignBy } from '../../../shared/diff/entries.js';
import { verifyMisbehaviourProof } from '../../../shared/diff/misbehaviour.js';
import type { DiffResult, DiffRun, Side } from '../../../shared/diff/model.js';
import { assertNever } from '../../../shared/encoding/assert.js';
import { utf8 } from '../../../shared/encoding/bytes.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import { CAUSE_LABELS } from '../../../shared/present/labels.js';
import type { CaseAnchor } from '../../../shared/report/case-anchor.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { Verdict } from '../../../shared/verdict/result.js';
import { DEFAULT_DIFF_WINDOW, type DiffProgress, diffBundles } from '../../diff/diff.js';
import { isEncrypted, readKeyFile, unlockKeyFile, writeFileAtomic } from '../../keys/keyfile.js';
import { loadTrustedKeys } from '../../keys/trust-files.js';
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { examinerIdentity, signAttestation } from '../../report/sign.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatLocation } from '../format.js';
import type { CliIO } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import { progressPrinter } from '../progress.js';
import { anyTrust, TRUST_FLAGS, trustArgsOf } from '../trust-flags.js';

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

  const startedAt = new Date().toISOString();
  const printer = a.json ? undefined : progressPrinter(io);
  const engine = {
    ...(alignBy ? { alignBy } : {}),
    ...(a.window !== undefined ? { window: a.window } : {}),
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
    ...(a['max-entry-bytes'] !== undefined ? { maxEntryBytes: a['max-entry-bytes'] } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(printer ? { onProgress: (p: DiffProgress) => (p.stage === 'verify' ? printer(p.verify) : undefined) } : {}),
  };
  const sign = (result: DiffResult, anchor?: CaseAnchor): string | undefined => {
    if (!examiner || attestationPath === undefined) return undefined;
    const caseReference = a['case-ref'] ?? anchor?.reference;
    const statement = buildDivergenceStatement(result, {
      examiner: examinerIdentity(examiner),
      ...(caseReference !== undefined ? { caseReference } : {}),
      ...(anchor ? { case: anchor } : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
    });
    writeFileAtomic(attestationPath, signAttestation(statement, examiner).envelopeBytes);
    return attestationPath;
  };

  let run: DiffRun;
  const written: string[] = [];
  if (a.case !== undefined) {
    // The case store (SQLite) is loaded only for a diff recorded in a case.
    const [{ defaultActor, openCase }, { recordReport, reportAnchor }, { diffInCase, importDiffEvidence }] =
      await Promise.all([
        import('../../case/case.js'),
        import('../../case/reports.js'),
        import('../../services/case-diff.js'),
      ]);
    const cf = openCase(resolve(io.cwd, a.case), { actor: defaultActor(io.env) });
    try {
      const out = await diffInCase(cf, { a: a._[0]!, b: a._[1]!, extraTrust: trustArgs, cwd: io.cwd, ...engine });
      run = out.run;
      const ev = (s: Side) =>
        `${out.alreadyInCase[s] ? 'already in the case as' : 'imported as'} evidence #${out.evidence[s].id}`;
      io.err(`case ${cf.caseId}: A ${ev('A')}, B ${ev('B')}; run #${out.runId} recorded\n`);
      if (outDir) {
        written.push(...writeEvidence(outDir, run.result));
        for (const e of importDiffEvidence(cf, out.runId, written))
          io.err(`case ${cf.caseId}: ${e.label} imported as evidence #${e.id}\n`);
      }
      // The attestation carries the journal head as it is now; the case records it against that head.
      const anchor = reportAnchor(cf, out.runId);
      const att = sign(run.result, anchor);
      if (att !== undefined) {
        written.push(att);
        const r = recordReport(cf, {
          runId: out.runId,
          files: [{ role: 'attestation', path: att }],
          examinerFingerprint: examiner!.fingerprint,
          anchoredHead: anchor.journalHead,
        });
        io.err(
          `case ${cf.caseId}: attestation recorded as report #${r.id} of run #${out.runId}, anchoring journal row ${anchor.journalHead.seq}\n`,
        );
      }
      io.err(`case ${cf.caseId}: journal head ${cf.head().seq}\n`);
    } finally {
      cf.close();
    }
  } else {
    run = await diffBundles({ a: resolve(io.cwd, a._[0]!), b: resolve(io.cwd, a._[1]!), trusted, ...engine });
    if (outDir) written.push(...writeEvidence(outDir, run.result));
    const att = sign(run.result);
    if (att !== undefined) written.push(att);
  }
  if (a.json) io.out(JSON.stringify(run, null, 2) + '\n');
  else io.out(formatDiff(run, written));
  return exitForDiff(run.result);
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

const n = (x: number) => x.toLocaleString('en-US');
const short = (hex: string) => `${hex.slice(0, 16)}…`;

export function formatDiff(run: DiffRun, written: readonly string[] = []): string {
  const r = run.result;
  const L: string[] = [];
  L.push(`${r.verdict}  ${r.a.name} ↔ ${r.b.name}  (origin ${r.origin})`, '', `  ${r.headline}`, '');
  if (r.diagnosis.length) {
    L.push('  What differs');
    for (const [k, c] of r.diagnosis.slice(0, 20).entries())
      L.push(`    ${k + 1}. ${CAUSE_LABELS[c.cause]}  [${c.cause}]`, `       ${c.text}`);
    if (r.diagnosis.length > 20) L.push(`    … ${r.diagnosis.length - 20} more (use --json)`);
    L.push('');
  }
  for (const [s, x] of [
    ['A', r.a],
    ['B', r.b],
  ] as const) {
    L.push(`  ${s}  ${x.name}: ${n(x.entryCount)} entries, verification ${x.verification.verdict}`);
  }
  L.push(`  common prefix  ${n(r.commonPrefix)} entries (${n(r.search.comparisons)} subtree hashes compared)`);
  if (r.extension)
    L.push(
      `  extension      ${r.extension.longer} holds entries ${n(r.extension.from)}..${n(r.extension.to - 1)}; signed checkpoints cover up to ${n(r.extension.signedTo)}`,
    );
  for (const t of r.truncation)
    L.push(`  truncated      ${t.side} holds ${n(t.held)} entries; its checkpoints commit to ${n(t.committed)}`);
  if (r.rewritten)
    L.push(
      `  rewritten      from entry ${n(r.rewritten.index)}; ${r.rewritten.side === 'unknown' ? 'no signed checkpoint covers it, so neither export can be shown faithful' : `export ${r.rewritten.side} departs from the signed history`}`,
    );
  if (r.divergence) {
    L.push('', `  first divergence: entry ${n(r.divergence.index)}`);
    for (const [s, views] of [
      ['A', r.divergence.context.a],
      ['B', r.divergence.context.b],
    ] as const) {
      for (const v of views)
        L.push(
          `    ${s} ${String(v.index).padStart(8)} @${v.offset}  ${v.text !== undefined ? v.text.slice(0, 160) : `(${v.length} bytes, not shown)`}`,
        );
    }
  }
  if (r.checkpoints.length) {
    L.push('', '  signed checkpoints');
    for (const c of r.checkpoints) {
      const rel = (label: string, xs: readonly Side[]) => (xs.length ? `${label} ${xs.join('+')}` : '');
      const what = [rel('backed by', c.backedBy), rel('contradicted by', c.contradictedBy), rel('beyond', c.beyond)]
        .filter(Boolean)
        .join('; ');
      L.push(
        `    size ${String(c.size).padStart(10)}  ${short(c.rootHash)}  ${c.files.map((f) => `${f.side}:${f.file}`).join(', ')}  (${what})`,
      );
    }
  }
  if (r.forks.length) {
    L.push('', `  forks (${r.forks.length + r.forksOmitted})`);
    for (const f of r.forks.slice(0, 10))
      L.push(
        `    ${f.kind}: ${f.smaller.side}:${f.smaller.file} (size ${n(f.smaller.size)}) vs ${f.larger.side}:${f.larger.file} (size ${n(f.larger.size)})`,
      );
  }
  if (r.consistency)
    L.push(
      '',
      `  consistency proof ${n(r.consistency.older.size)} → ${n(r.consistency.newer.size)} (from export ${r.consistency.tree}, ${r.consistency.proof.length} hashes)`,
    );
  if (r.misbehaviour)
    L.push(
      '',
      `  proof of misbehaviour: sizes ${n(r.misbehaviour.fork.smaller.size)}/${n(r.misbehaviour.fork.larger.size)}, sha256 ${short(r.misbehaviour.sha256)}${r.misbehaviour.leafIndex !== undefined ? `, differing leaf ${n(r.misbehaviour.leafIndex)}` : ''}`,
    );
  const d = r.entryDiff;
  if (d) {
    const c = d.counts;
    L.push(
      '',
      `  entry diff (aligned by ${d.alignBy}; A ${n(d.a.from)}..${n(d.a.to - 1)}, B ${n(d.b.from)}..${n(d.b.to - 1)})`,
    );
    L.push(
      `    changed ${n(c.changed)}, removed ${n(c.removed)}, inserted ${n(c.inserted)}, relinked ${n(c.relinked)}, equal ${n(c.equal)}${c.notCompared ? `, not compared ${n(c.notCompared)} (window ends)` : ''}`,
    );
    for (const op of d.ops.slice(0, 20)) {
      if (op.op === 'removed')
        L.push(`    - A ${op.a.index}${op.a.key !== undefined ? ` (key ${op.a.key})` : ''} removed`);
      else if (op.op === 'inserted')
        L.push(`    + B ${op.b.index}${op.b.key !== undefined ? ` (key ${op.b.key})` : ''} inserted`);
      else
        L.push(
          `    ~ A ${op.a.index} / B ${op.b.index} changed: ${op.representationOnly ? '(same values, different bytes)' : op.fields.join(', ')}${op.fieldsOmitted ? ` … +${op.fieldsOmitted}` : ''}${op.fieldsDepthLimit !== undefined ? ` (compared to depth ${op.fieldsDepthLimit}; the values differ deeper inside)` : ''}`,
        );
    }
    if (d.ops.length > 20 || d.opsOmitted)
      L.push(`    … ${n(Math.max(0, d.ops.length - 20) + d.opsOmitted)} more (use --json)`);
  }
  const important = r.findings.filter((f) => f.severity !== 'info');
  if (important.length) {
    L.push('', '  findings');
    for (const f of important.slice(0, 20))
      L.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.code}  ${formatLocation(f)}`, `             ${f.message}`);
  }
  if (written.length) L.push('', '  wrote', ...written.map((p) => `    ${p}`));
  const s = run.stats;
  L.push(
    '',
    `  ${(s.elapsedMs / 1000).toFixed(2)} s (verify A ${(s.verifyMs.a / 1000).toFixed(2)} s, B ${(s.verifyMs.b / 1000).toFixed(2)} s, compare ${(s.compareMs / 1000).toFixed(3)} s; ${n(s.blocksRead)} blocks read)`,
  );
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
