/**
 * `proofdesk case query <case-dir> "<terms>" [--from T] [--to T] [--json]`: who did what, when,
 * across every indexed bundle of the case. Each hit links back to its bundle, entry index and
 * byte offset, and says whether the entry verified in the run the index is linked to.
 */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { resolveEvidence } from '../../case/evidence.js';
import { DEFAULT_QUERY_LIMIT, type QueryResult, queryEntries } from '../../case/query.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { withReadOnly } from './case-read.js';

const FLAGS = {
  from: { kind: 'string', help: 'entries at or after this time (RFC 3339 UTC, or YYYY-MM-DD)' },
  to: { kind: 'string', help: 'entries at or before this time (RFC 3339 UTC, or YYYY-MM-DD: the whole day)' },
  evidence: { kind: 'strings', help: 'only this bundle (evidence #id or digest prefix); repeatable' },
  limit: { kind: 'integer', help: `hits to return (default ${DEFAULT_QUERY_LIMIT})` },
  count: { kind: 'boolean', help: 'also count all matches' },
  json: { kind: 'boolean', help: 'print the machine-readable result on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE = `usage: proofdesk case query <case-dir> "<terms>" [--from T] [--to T] [--json]
terms (all must hold): word  "a phrase"  prefix*  -word  actor:VALUE  action:VALUE  seq:N  seq:N..M`;

export async function caseQueryCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  if (a._.length < 1 || a._.length > 2) throw new ProofdeskError('USAGE', USAGE);
  const text = a._[1] ?? '';
  const r = withReadOnly(io, a._[0]!, (cf) =>
    queryEntries(cf, {
      text,
      ...(a.from !== undefined ? { from: a.from } : {}),
      ...(a.to !== undefined ? { to: a.to } : {}),
      ...(a.evidence.length ? { evidenceIds: a.evidence.map((ref) => resolveEvidence(cf, ref).id) } : {}),
      ...(a.limit !== undefined ? { limit: a.limit } : {}),
      count: a.count,
    }),
  );
  if (a.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else io.out(formatQuery(r));
  return 0;
}

function formatQuery(r: QueryResult): string {
  const L: string[] = [];
  const n = r.total !== undefined ? `${r.hits.length} of ${r.total}` : `${r.hits.length}${r.more ? '+' : ''}`;
  L.push(
    `${n} hit${r.hits.length === 1 ? '' : 's'} in ${r.searched.length} indexed bundle${r.searched.length === 1 ? '' : 's'} (${r.elapsedMs.toFixed(1)} ms)`,
  );
  if (r.notIndexed.length)
    L.push(
      `not indexed (not searched): evidence ${r.notIndexed.map((i) => `#${i}`).join(', ')}; run proofdesk case index`,
    );
  for (const h of r.hits) {
    L.push('');
    L.push(
      `#${h.evidenceId} ${h.bundle}  entry ${h.entry} (seq ${h.seq ?? '?'}), ${h.file} byte ${h.byteOffset}  ${h.status.toUpperCase()}${h.findings.length ? ` ${h.findings.join(' ')}` : ''}`,
    );
    L.push(`  ${h.ts ?? '(no time)'}  ${h.actor ?? '-'}  ${h.action ?? '-'}  ${h.target ?? ''}`);
    L.push(`  ${h.line.length > 300 ? `${h.line.slice(0, 300)}…` : h.line}`);
  }
  if (r.more) L.push('', 'more hits: raise --limit or narrow the query');
  return L.join('\n') + '\n';
}
