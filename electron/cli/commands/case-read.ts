/** The `case` subcommands that only read (the case is opened read-only): show, runs, journal, verify. */
import { resolve } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type CaseFile, caseMeta, openCase } from '../../case/case.js';
import { type CaseVerifyResult, verifyCase } from '../../case/case-verify.js';
import { listEntrySets } from '../../case/entry-index.js';
import { listEvidence } from '../../case/evidence.js';
import { readJournal } from '../../case/journal.js';
import { journalSummary as summary } from '../../case/journal-summary.js';
import { listReports } from '../../case/reports.js';
import { listRuns } from '../../case/runs.js';
import { listTrust } from '../../case/trust.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';

const JSON_FLAG = { kind: 'boolean', help: 'print the machine-readable result on stdout' } as const;
const HELP = { kind: 'boolean', help: 'show this help', short: 'h' } as const;
const READ_FLAGS = { json: JSON_FLAG, help: HELP } as const satisfies FlagSpecs;

export function withReadOnly<T>(io: CliIO, dir: string, fn: (cf: CaseFile) => T): T {
  const cf = openCase(resolve(io.cwd, dir), { readonly: true });
  try {
    return fn(cf);
  } finally {
    cf.close();
  }
}

function one(argv: readonly string[], usage: string, io: CliIO): { dir: string; json: boolean } | number {
  const a = parseArgs(argv, READ_FLAGS);
  if (a.help) {
    io.out(helpText(usage, READ_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', usage);
  return { dir: a._[0]!, json: a.json };
}

export async function caseShowCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = one(argv, 'usage: proofdesk case show <case-dir> [--json]', io);
  if (typeof p === 'number') return p;
  const v = withReadOnly(io, p.dir, (cf) => ({
    case: caseMeta(cf),
    journalHead: cf.head(),
    evidence: listEvidence(cf),
    trustedKeys: listTrust(cf),
    runs: listRuns(cf).length,
    reports: listReports(cf).length,
    searchIndexes: listEntrySets(cf),
  }));
  if (p.json) {
    io.out(JSON.stringify(v, null, 2) + '\n');
    return 0;
  }
  const L: string[] = [];
  L.push(`case ${v.case.caseId}  ${v.case.title}${v.case.reference ? `  (${v.case.reference})` : ''}`);
  L.push(
    `  created ${v.case.createdAt} by ${v.case.createdBy}; schema v${v.case.schemaVersion}; ${v.runs} runs, ${v.reports} reports`,
  );
  L.push(`  journal head ${v.journalHead.seq} ${v.journalHead.hash}`);
  L.push('', `evidence (${v.evidence.length})`);
  for (const e of v.evidence) {
    const ix = v.searchIndexes.find((s) => s.evidenceId === e.id);
    L.push(
      `  #${String(e.id).padEnd(4)} ${e.kind.padEnd(6)} ${e.digest.slice(0, 16)}…  ${e.size.toLocaleString('en-US').padStart(14)} B  ${e.storedPath.split('/').slice(2).join('/')}${ix ? `  [indexed: ${ix.state}]` : ''}`,
    );
  }
  L.push('', `trusted keys (${v.trustedKeys.length})`);
  for (const g of v.trustedKeys) {
    L.push(
      `  #${String(g.id).padEnd(4)} ${g.fingerprint.slice(0, 16)}…  ${g.label}  ${g.role.padEnd(7)} for ${g.origin ?? 'any origin'}, ${g.validFrom ?? '−∞'} .. ${g.validUntil ?? '+∞'}${g.revokedAt ? `  REVOKED from ${g.revokedAt}` : ''}`,
    );
  }
  io.out(L.join('\n') + '\n');
  return 0;
}

export async function caseRunsCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = one(argv, 'usage: proofdesk case runs <case-dir> [--json]', io);
  if (typeof p === 'number') return p;
  const runs = withReadOnly(io, p.dir, (cf) => listRuns(cf));
  if (p.json) {
    io.out(JSON.stringify(runs, null, 2) + '\n');
    return 0;
  }
  const L = [`${runs.length} run${runs.length === 1 ? '' : 's'}`];
  for (const r of runs) {
    const c = r.counts;
    const inputs = r.inputs.map((i) => `${i.role} #${i.evidenceId}`).join(', ');
    L.push(
      `  #${String(r.id).padEnd(4)} ${r.kind.padEnd(7)} ${(r.verdict ?? r.status.toUpperCase()).padEnd(13)} ${r.startedAt}  ${inputs}`,
    );
    if (c)
      L.push(
        `        entries ${c.entries ?? '-'}: verified ${c.verified ?? '-'}, failed ${c.failed ?? '-'}, unverifiable ${c.unverifiable ?? '-'}; ${c.errors} errors, ${c.warnings} warnings`,
      );
    if (r.error) L.push(`        ${r.error}`);
  }
  io.out(L.join('\n') + '\n');
  return 0;
}

const JOURNAL_FLAGS = {
  from: { kind: 'integer', help: 'first row to show (default 1)' },
  limit: { kind: 'integer', help: 'rows to show (default: all)' },
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseJournalCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case journal <case-dir> [--from N] [--limit N] [--json]';
  const a = parseArgs(argv, JOURNAL_FLAGS);
  if (a.help) {
    io.out(helpText(usage, JOURNAL_FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', usage);
  if ((a.from !== undefined && a.from < 1) || (a.limit !== undefined && a.limit < 1))
    throw new ProofdeskError('USAGE', '--from and --limit must be positive');
  const rows = withReadOnly(io, a._[0]!, (cf) =>
    readJournal(cf.db, {
      ...(a.from !== undefined ? { fromSeq: a.from } : {}),
      ...(a.limit !== undefined ? { limit: a.limit } : {}),
    }),
  );
  if (a.json) {
    io.out(
      JSON.stringify(
        rows.map(({ detailsText: _d, ...r }) => r),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const L: string[] = [];
  for (const r of rows) {
    L.push(`${String(r.seq).padStart(5)}  ${r.at}  ${r.action.padEnd(18)} ${(r.subject ?? '').padEnd(16)} ${r.actor}`);
    L.push(`       ${r.hash}  ${summary(r.action, r.details)}`);
  }
  io.out(L.join('\n') + (L.length ? '\n' : ''));
  return 0;
}

export async function caseVerifyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = one(argv, 'usage: proofdesk case verify <case-dir> [--json]', io);
  if (typeof p === 'number') return p;
  const r = withReadOnly(io, p.dir, (cf) => verifyCase(cf));
  if (p.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else io.out(formatCaseVerify(r));
  return r.ok ? EXIT.OK : EXIT.FAIL;
}

function formatCaseVerify(r: CaseVerifyResult): string {
  const L: string[] = [];
  L.push(`${r.ok ? 'INTACT' : 'BROKEN'}  case ${r.caseId}`);
  L.push(
    `  journal   ${r.journal.rows} rows, head ${r.journal.head.seq} ${r.journal.head.hash}${r.journal.firstBreak !== undefined ? `; first break at row ${r.journal.firstBreak}` : ''}`,
  );
  L.push(
    `  evidence  ${r.evidence.items} items, ${r.evidence.files} files, ${r.evidence.bytes.toLocaleString('en-US')} bytes re-hashed`,
  );
  L.push(`  reports   ${r.reports.reports} reports, ${r.reports.files} files re-hashed`);
  if (r.problems.length) {
    const omitted = Object.values(r.problemsOmitted ?? {}).reduce((a, n) => a + n, 0);
    L.push(
      '',
      `  problems (${(r.problems.length + omitted).toLocaleString('en-US')}${omitted ? `, ${r.problems.length} listed` : ''})`,
    );
    for (const p of r.problems) {
      const where = [
        p.location.journalSeq !== undefined ? `journal row ${p.location.journalSeq}` : '',
        p.location.table && p.location.id !== undefined ? `${p.location.table} #${p.location.id}` : '',
        p.location.path ?? '',
      ]
        .filter(Boolean)
        .join(', ');
      L.push(`    ${p.severity.toUpperCase().padEnd(8)} ${p.code}  ${where}`);
      L.push(`             ${p.message}`);
      if (p.expected !== undefined) L.push(`             expected ${String(p.expected)}`);
      if (p.actual !== undefined) L.push(`             actual   ${String(p.actual)}`);
    }
    for (const [code, n] of Object.entries(r.problemsOmitted ?? {}))
      L.push(`    … ${n.toLocaleString('en-US')} more ${code} not listed`);
  }
  return L.join('\n') + '\n';
}
