/**
 * `proofdesk prove <bundle> --index I [--size N] [--out F]`: an inclusion proof in C2SP
 * tlog-proof form (the entry line rides in `extra`, so the proof stands alone).
 * `proofdesk prove <bundle> --from M --to N [--out F]`: a consistency proof between the
 * bundle's checkpoints of sizes M and N.
 */
import { resolve } from 'node:path';
import { formatConsistencyProof, formatInclusionProof } from '../../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { writeFileAtomic } from '../../keys/keyfile.js';
import { openBundle } from '../../platform/bundle-source.js';
import { entriesRegion, readCheckpoints, readManifest } from '../../verify/bundle/manifest-reader.js';
import { consistencyProofFromRegion, inclusionProofFromRegion } from '../../write/prove.js';
import { type FlagSpecs, helpText, parseArgs } from '../args.js';
import type { CliIO } from '../io.js';

const FLAGS = {
  index: { kind: 'integer', help: 'entry index for an inclusion proof' },
  size: { kind: 'integer', help: 'tree size of the checkpoint to prove against (default: the largest)' },
  from: { kind: 'integer', help: 'old tree size for a consistency proof' },
  to: { kind: 'integer', help: 'new tree size for a consistency proof' },
  out: { kind: 'string', help: 'write the proof here instead of stdout' },
  json: { kind: 'boolean', help: 'print the proof and what it proves as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help', short: 'h' },
} as const satisfies FlagSpecs;

const USAGE = 'usage: proofdesk prove <bundle> --index I [--size N] | --from M --to N  [--out file] [--json]';

export async function proveCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const a = parseArgs(argv, FLAGS);
  if (a.help) {
    io.out(helpText(USAGE, FLAGS) + '\n');
    return 0;
  }
  if (a._.length !== 1) throw new ProofdeskError('USAGE', USAGE);
  const inclusion = a.index !== undefined;
  const consistency = a.from !== undefined || a.to !== undefined;
  if (inclusion === consistency) throw new ProofdeskError('USAGE', `give either --index or --from and --to\n${USAGE}`);
  const source = openBundle(resolve(io.cwd, a._[0]!));
  const { manifest } = readManifest(source);
  const region = entriesRegion(source, manifest);
  const cps = readCheckpoints(source, manifest);
  const bySize = (n: number) => {
    const c = cps.find((x) => x.size === n);
    if (!c)
      throw new ProofdeskError(
        'USAGE',
        `the bundle has no checkpoint of size ${n} (sizes: ${cps.map((x) => x.size).join(', ') || 'none'})`,
      );
    return c;
  };
  let proof: Uint8Array;
  let what: Record<string, string | number>;
  if (inclusion) {
    const size = a.size ?? Math.max(-1, ...cps.map((c) => c.size));
    if (size < 0) throw new ProofdeskError('USAGE', 'the bundle has no checkpoint to prove against');
    const cp = bySize(size);
    const { hashes, line } = inclusionProofFromRegion(region, a.index!, size);
    proof = formatInclusionProof(a.index!, hashes, cp.bytes, line);
    what = { kind: 'inclusion', index: a.index!, size, checkpoint: cp.path };
  } else {
    if (a.from === undefined || a.to === undefined) throw new ProofdeskError('USAGE', '--from and --to go together');
    const c1 = bySize(a.from);
    const c2 = bySize(a.to);
    proof = formatConsistencyProof(a.from, a.to, consistencyProofFromRegion(region, a.from, a.to), c1.bytes, c2.bytes);
    what = { kind: 'consistency', size1: a.from, size2: a.to };
  }
  const text = Buffer.from(proof).toString('utf8');
  if (a.out) writeFileAtomic(resolve(io.cwd, a.out), proof, { overwrite: true });
  if (a.json)
    io.out(
      `${JSON.stringify({ ...what, origin: manifest.origin, out: a.out ? resolve(io.cwd, a.out) : null, proof: text }, null, 2)}\n`,
    );
  else if (a.out) io.err(`wrote ${a.out}\n`);
  else io.out(text);
  return 0;
}
