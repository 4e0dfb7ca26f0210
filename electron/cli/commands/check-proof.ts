/** `proofdesk check-proof <proof> --trust <key>… [--witness <key>…] [--origin O] [--entry F] [--json]`: verifies a proof file offline. */
import { basename, resolve } from 'node:path';
import { isMisbehaviourProof } from '../../../shared/diff/misbehaviour.js';
import { parseCheckpointBody } from '../../../shared/tlog/checkpoint.js';
import { hashLeaf } from '../../../shared/tlog/merkle/hash.js';
import { parseNote } from '../../../shared/tlog/note.js';
import {
  MAX_PROOF_FILE_BYTES,
  type ParsedProof,
  parseProofFile,
  verifyProof,
} from '../../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { loadTrustedKeys } from '../../keys/trust-files.js';
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { readRegular } from '../../platform/open-regular.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { formatLocation } from '../format.js';
import type { CliIO } from '../io.js';
import { anyTrust, TRUST_FLAGS, trustArgsOf } from '../trust-flags.js';
import { checkMisbehaviourProofFile } from './diff.js';

const FLAGS = {
  ...TRUST_FLAGS, // --trust (log), --witness, --entry-key
  origin: { kind: 'string', help: "require this log origin (default: accept the checkpoint's own, and print it)" },
  entry: { kind: 'string', help: "file holding the entry line to prove (default: the proof's extra data)" },
  json: { kind: 'boolean', help: 'machine-readable output' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE =
  'usage: proofdesk check-proof <proof-file> --trust <key>… [--witness <key>…] [--origin O] [--entry F] [--json]';

function checkpointOrigin(p: ParsedProof): string | undefined {
  const n = parseNote(p.kind === 'inclusion' ? p.checkpoint : p.checkpoint2);
  if (!n.ok) return undefined;
  const b = parseCheckpointBody(n.text);
  return b.ok ? b.origin : undefined;
}

export async function checkProofCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', USAGE);
  if (!anyTrust(a)) throw new ProofdeskError('USAGE', 'give at least one --trust key');
  const trusted = loadTrustedKeys(trustArgsOf(a), io.cwd);
  const path = resolve(io.cwd, a._[0]!);
  let bytes: Buffer;
  try {
    bytes = readRegular(path, { what: 'proof file', follow: true, maxBytes: MAX_PROOF_FILE_BYTES });
  } catch (e) {
    if (e instanceof ProofdeskError && e.code === 'INPUT_TOO_LARGE') throw e;
    throw new ProofdeskError(
      'INPUT_UNREADABLE',
      `cannot read ${a._[0]}${e instanceof ProofdeskError ? `: ${e.message}` : ''}`,
    );
  }
  // Proofs of misbehaviour (docs/diff.md §6) are dispatched by their header line.
  if (isMisbehaviourProof(bytes)) {
    if (a.entry !== undefined || a.origin !== undefined)
      throw new ProofdeskError('USAGE', '--entry and --origin do not apply to a proof of misbehaviour');
    return checkMisbehaviourProofFile(basename(path), bytes, trusted, a.json, io);
  }
  const parsed = parseProofFile(bytes);
  if (!parsed.ok) throw new ProofdeskError('INPUT_MALFORMED', `${a._[0]} is not a proof file: ${parsed.reason}`);
  const proof = parsed.proof;
  // The entry given is what the proof is checked for; `extra` is then the opaque data C2SP allows,
  // and still shows whose fault a failure is: a path wrong for the very entry it carries is the
  // proof's, a path right for a different entry it carries makes the given entry the wrong one.
  let given: Uint8Array | undefined;
  if (a.entry !== undefined) {
    if (proof.kind !== 'inclusion') throw new ProofdeskError('USAGE', '--entry applies to inclusion proofs');
    const line = readRegular(resolve(io.cwd, a.entry), { what: 'entry file', follow: true });
    given = hashLeaf(line[line.length - 1] === 0x0a ? line.subarray(0, line.length - 1) : line);
  }
  const origin = a.origin ?? checkpointOrigin(proof) ?? '';
  const check = verifyProof(basename(path), proof, {
    origin,
    trusted,
    bundleKeys: [],
    verify: verifyEd25519Node,
    ...(given && proof.kind === 'inclusion'
      ? { leafHash: () => given, entryCount: proof.index + 1, extraIsOpaque: true }
      : {}),
  });
  const ok = check.report.status === 'verified';
  if (a.json)
    io.out(
      JSON.stringify(
        {
          ok,
          origin,
          report: check.report,
          findings: check.findings,
          ...(given
            ? { leafHash: Buffer.from(given).toString('hex') }
            : proof.kind === 'inclusion' && proof.extra
              ? { leafHash: Buffer.from(hashLeaf(proof.extra)).toString('hex') }
              : {}),
        },
        null,
        2,
      ) + '\n',
    );
  else {
    const what =
      check.report.kind === 'inclusion'
        ? `inclusion of entry ${check.report.index} in tree size ${check.report.size ?? '?'}`
        : `consistency ${check.report.size1} → ${check.report.size2}`;
    io.out(`${ok ? 'VERIFIED' : 'FAILED'}  ${what}  (origin ${origin})\n`);
    for (const f of check.findings)
      io.out(`  ${f.severity.toUpperCase()} ${f.code} ${formatLocation(f)}: ${f.message}\n`);
  }
  return ok ? EXIT.OK : EXIT.FAIL;
}
