/**
 * `proofdesk case <subcommand> <case-dir> …`: the case file (docs/case-file.md). Each
 * subcommand parses its own flags; writing subcommands open the case for writing (which also
 * migrates and recovers it), reading ones open it read-only and change nothing.
 */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { CliIO } from '../io.js';
import { caseQueryCommand } from './case-query.js';
import { caseJournalCommand, caseRunsCommand, caseShowCommand, caseVerifyCommand } from './case-read.js';
import {
  caseExportCommand,
  caseImportCommand,
  caseIndexCommand,
  caseNewCommand,
  caseRevokeCommand,
  caseTrustCommand,
} from './case-write.js';

type Sub = (argv: readonly string[], io: CliIO) => Promise<number>;

export const CASE_SUBCOMMANDS: Readonly<Record<string, { run: Sub; summary: string }>> = {
  new: { run: caseNewCommand, summary: 'create a case in a new directory' },
  import: { run: caseImportCommand, summary: 'copy files or bundle directories into the evidence locker' },
  trust: { run: caseTrustCommand, summary: 'trust a public key (for an origin, within a validity window)' },
  revoke: { run: caseRevokeCommand, summary: 'revoke a trusted key from a given time on' },
  show: { run: caseShowCommand, summary: 'the case, its evidence and trusted keys' },
  runs: { run: caseRunsCommand, summary: 'the verification runs recorded in the case' },
  journal: { run: caseJournalCommand, summary: 'the custody journal with its hash chain' },
  verify: { run: caseVerifyCommand, summary: 're-check the journal, every evidence file and every report' },
  query: { run: caseQueryCommand, summary: 'search indexed entries: who did what, when' },
  index: { run: caseIndexCommand, summary: '(re)build the entry search index of a bundle (derived data)' },
  export: { run: caseExportCommand, summary: 'pack the case into one tar archive to hand over' },
};

export function caseUsage(): string {
  const lines = ['usage: proofdesk case <subcommand> <case-dir> [options]   (proofdesk case <subcommand> --help)', ''];
  for (const [name, c] of Object.entries(CASE_SUBCOMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', 'Also: proofdesk verify <bundle> --case <case-dir> records the run in the case.');
  lines.push(`Writing subcommands record who acted: --as <name>, else $PROOFDESK_EXAMINER, else user@host.`);
  return lines.join('\n') + '\n';
}

export async function caseCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(caseUsage());
    return name === undefined ? 2 : 0;
  }
  const sub = CASE_SUBCOMMANDS[name];
  if (!sub) throw new ProofdeskError('USAGE', `unknown case subcommand ${JSON.stringify(name)}\n\n${caseUsage()}`);
  return sub.run(rest, io);
}
