/** The `case` subcommands that change a case: new, import, trust, revoke, index, export. */
import { resolve } from 'node:path';
import { isKeyRole, KEY_ROLES } from '../../../shared/keys/trust.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type CaseFile, type CaseOptions, createCase, defaultActor, openCase } from '../../case/case.js';
import { buildEntryIndex } from '../../case/entry-index.js';
import { type ImportProgress, type ImportResult, importEvidence, resolveEvidence } from '../../case/evidence.js';
import { exportCase } from '../../case/export.js';
import { revokeKey, trustKeyFrom } from '../../case/trust.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { copyProgress } from '../progress.js';

const AS = {
  kind: 'string',
  help: 'who is acting, for the custody journal (default: $PROOFDESK_EXAMINER, else user@host)',
} as const;
const JSON_FLAG = { kind: 'boolean', help: 'print the machine-readable result on stdout' } as const;
const HELP = { kind: 'boolean', help: 'show this help', short: 'h' } as const;

function caseOptions(io: CliIO, as: string | undefined): CaseOptions {
  return { actor: as ?? defaultActor(io.env) };
}

function withWritable<T>(io: CliIO, dir: string, as: string | undefined, fn: (cf: CaseFile) => T): T {
  const cf = openCase(resolve(io.cwd, dir), caseOptions(io, as));
  try {
    return fn(cf);
  } finally {
    cf.close();
  }
}

function printJson(io: CliIO, v: unknown): void {
  io.out(JSON.stringify(v, null, 2) + '\n');
}

// ── new ──

const NEW_FLAGS = {
  title: { kind: 'string', help: 'the case title (required)' },
  reference: { kind: 'string', help: 'your reference for the case (file number, ticket)' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseNewCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case new <case-dir> --title <title> [--reference R]';
  const a = parseArgs(argv, NEW_FLAGS);
  if (a.help) return help(io, usage, NEW_FLAGS);
  if (a._.length !== 1 || !a.title) throw new ProofdeskError('USAGE', usage);
  const cf = createCase(
    resolve(io.cwd, a._[0]!),
    { title: a.title, ...(a.reference ? { reference: a.reference } : {}) },
    caseOptions(io, a.as),
  );
  try {
    const head = cf.head();
    if (a.json) printJson(io, { caseId: cf.caseId, dir: cf.dir, journalHead: head });
    else io.out(`created case ${cf.caseId} in ${cf.dir}\njournal head ${head.seq} ${head.hash}\n`);
  } finally {
    cf.close();
  }
  return 0;
}

// ── import ──

const IMPORT_FLAGS = {
  kind: { kind: 'string', help: 'bundle, key or other (default: detected)' },
  label: { kind: 'string', help: 'a label for the item(s)' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

const KINDS = ['bundle', 'key', 'other'] as const;

export async function caseImportCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case import <case-dir> <file-or-directory>… [--kind bundle|key|other] [--label L]';
  const a = parseArgs(argv, IMPORT_FLAGS);
  if (a.help) return help(io, usage, IMPORT_FLAGS);
  if (a._.length < 2) throw new ProofdeskError('USAGE', usage);
  if (a.kind !== undefined && !(KINDS as readonly string[]).includes(a.kind))
    throw new ProofdeskError('USAGE', `--kind must be one of ${KINDS.join(', ')}`);
  const kind = a.kind as (typeof KINDS)[number] | undefined;
  const results: ImportResult[] = withWritable(io, a._[0]!, a.as, (cf) => {
    const progress = copyProgress(io);
    return a._.slice(1).map((p) =>
      importEvidence(cf, resolve(io.cwd, p), {
        ...(kind ? { kind } : {}),
        ...(a.label ? { label: a.label } : {}),
        ...(progress ? { onProgress: progress } : {}),
      }),
    );
  });
  if (a.json) printJson(io, results);
  else {
    for (const r of results) {
      const e = r.evidence;
      io.out(
        `${r.duplicate ? 'already in the case as' : 'imported as'} evidence #${e.id}  ${e.kind}  ${e.size.toLocaleString('en-US')} bytes${e.container === 'directory' ? ` in ${e.fileCount} files` : ''}\n  sha256 ${e.digest}\n  ${e.storedPath}\n`,
      );
    }
  }
  return 0;
}

// ── trust / revoke ──

const TRUST_FLAGS = {
  label: { kind: 'string', help: 'a label for the key (default: its file name)' },
  origin: { kind: 'string', help: 'the log origin the key is trusted for (default: any origin)' },
  role: {
    kind: 'string',
    help: "what the key signs: log (checkpoints; the default), witness (cosignatures) or entry (entries, as an event source). A verifier key's own type decides",
  },
  'valid-from': { kind: 'string', help: 'trusted for signatures from this time (RFC 3339 UTC)' },
  'valid-until': { kind: 'string', help: 'trusted for signatures up to this time (RFC 3339 UTC)' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseTrustCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage =
    'usage: proofdesk case trust <case-dir> <key-file | verifier-key> [--role log|witness|entry] [--origin O] [--valid-from T] [--valid-until T] [--label L]';
  const a = parseArgs(argv, TRUST_FLAGS);
  if (a.help) return help(io, usage, TRUST_FLAGS);
  if (a._.length !== 2) throw new ProofdeskError('USAGE', usage);
  if (a.role !== undefined && !isKeyRole(a.role))
    throw new ProofdeskError('USAGE', `--role takes ${KEY_ROLES.join(', ')}, got ${JSON.stringify(a.role)}`);
  const role = a.role;
  const r = withWritable(io, a._[0]!, a.as, (cf) =>
    trustKeyFrom(cf, a._[1]!, io.cwd, {
      ...(role !== undefined ? { role } : {}),
      ...(a.label !== undefined ? { label: a.label } : {}),
      ...(a.origin !== undefined ? { origin: a.origin } : {}),
      ...(a['valid-from'] !== undefined ? { validFrom: a['valid-from'] } : {}),
      ...(a['valid-until'] !== undefined ? { validUntil: a['valid-until'] } : {}),
    }),
  );
  if (a.json) printJson(io, r);
  else {
    const g = r.grant;
    io.out(
      `trusted key #${g.id} ${g.fingerprint}\n  label ${g.label}${g.keyName ? `, note key name ${g.keyName}` : ''}\n  as a ${g.role} key for ${g.origin ?? 'any origin'}, from ${g.validFrom ?? '−∞'} until ${g.validUntil ?? '+∞'}${r.evidence ? `\n  key file kept as evidence #${r.evidence.id}` : ''}\n`,
    );
  }
  return 0;
}

const REVOKE_FLAGS = {
  at: { kind: 'string', help: 'revoked from this time on (RFC 3339 UTC; default: now)' },
  reason: { kind: 'string', help: 'why (e.g. key compromise)' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseRevokeCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case revoke <case-dir> <fingerprint or 8+ hex prefix> [--at T] [--reason R]';
  const a = parseArgs(argv, REVOKE_FLAGS);
  if (a.help) return help(io, usage, REVOKE_FLAGS);
  if (a._.length !== 2) throw new ProofdeskError('USAGE', usage);
  const r = withWritable(io, a._[0]!, a.as, (cf) =>
    revokeKey(cf, a._[1]!, { revokedAt: a.at ?? cf.now(), ...(a.reason !== undefined ? { reason: a.reason } : {}) }),
  );
  if (a.json) printJson(io, r);
  else io.out(`revoked ${r.fingerprint} from ${r.revokedAt}${r.reason ? ` (${r.reason})` : ''}\n`);
  return 0;
}

// ── index ──

const INDEX_FLAGS = {
  rebuild: { kind: 'boolean', help: 'rebuild even if a complete index exists' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseIndexCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case index <case-dir> <evidence #id or digest prefix> [--rebuild]';
  const a = parseArgs(argv, INDEX_FLAGS);
  if (a.help) return help(io, usage, INDEX_FLAGS);
  if (a._.length !== 2) throw new ProofdeskError('USAGE', usage);
  const r = withWritable(io, a._[0]!, a.as, (cf) => {
    const e = resolveEvidence(cf, a._[1]!);
    const latest = cf.db
      .prepare(
        "SELECT max(r.id) AS id FROM runs r JOIN run_inputs i ON i.run_id = r.id WHERE i.evidence_id = ? AND i.role = 'bundle' AND r.status = 'finished'",
      )
      .get(e.id) as { id: number | null };
    return buildEntryIndex(cf, e.id, {
      rebuild: a.rebuild,
      ...(latest.id !== null ? { runId: latest.id } : {}),
      // A second rebuild while one runs would only repeat it: refused. Without --rebuild, the
      // index being built is the one asked for: wait for it.
      whenBusy: a.rebuild ? 'refuse' : 'wait',
      onWait: (builder) => io.err(`waiting for the index build of process ${builder}…\n`),
    });
  });
  if (a.json) printJson(io, r);
  else
    io.out(
      `${r.reused ? 'index already complete' : 'indexed'}: ${r.set.entries?.toLocaleString('en-US')} entries of evidence #${r.set.evidenceId}${r.set.runId !== null ? ` (statuses from run #${r.set.runId})` : ' (not verified in this case yet)'}, ${(r.elapsedMs / 1000).toFixed(1)} s\n`,
    );
  return 0;
}

// ── export ──

const EXPORT_FLAGS = {
  out: { kind: 'string', help: 'the archive to write (.tar, must not exist)' },
  'with-index': { kind: 'boolean', help: 'include the entry search index (derived data; large)' },
  as: AS,
  json: JSON_FLAG,
  help: HELP,
} as const satisfies FlagSpecs;

export async function caseExportCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const usage = 'usage: proofdesk case export <case-dir> --out <archive.tar> [--with-index]';
  const a = parseArgs(argv, EXPORT_FLAGS);
  if (a.help) return help(io, usage, EXPORT_FLAGS);
  if (a._.length !== 1 || !a.out) throw new ProofdeskError('USAGE', usage);
  const r = withWritable(io, a._[0]!, a.as, (cf) =>
    exportCase(cf, { out: resolve(io.cwd, a.out!), withIndex: a['with-index'] }),
  );
  if (a.json) printJson(io, r);
  else
    io.out(
      `exported ${r.files} files to ${r.path} (${r.size.toLocaleString('en-US')} bytes)\n  sha256 ${r.sha256}\n  journal head ${r.journalHead.seq} ${r.journalHead.hash}\n`,
    );
  return 0;
}

function help(io: CliIO, usage: string, flags: FlagSpecs): number {
  io.out(helpText(usage, flags) + '\n');
  return 0;
}
