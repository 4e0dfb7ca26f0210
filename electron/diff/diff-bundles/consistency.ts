/** The consistency proof between the newest signed heads of the two exports, checked before it is offered. */
import type { Judgement } from '../../../shared/diff/judge.js';
import type { ConsistencyEvidence } from '../../../shared/diff/model.js';
import { consistencyProofFrom } from '../../../shared/diff/subtree.js';
import { fromHex, toBase64 } from '../../../shared/encoding/bytes.js';
import { verifyConsistency } from '../../../shared/tlog/merkle/proof.js';
import { formatConsistencyProof } from '../../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { noteBytes, type Sides } from './sides.js';

/** Requires the pair's tree to have entries (the judge names only such a tree). */
export function consistencyEvidence(
  sides: Sides,
  pair: NonNullable<Judgement['consistencyPair']>,
): ConsistencyEvidence {
  const { older, newer, tree } = pair;
  const t = sides[tree].entries!;
  const proof = consistencyProofFrom(t.tree, older.size, newer.size, nodeSha256);
  const v = verifyConsistency(
    older.size,
    newer.size,
    fromHex(older.rootHash),
    fromHex(newer.rootHash),
    proof,
    nodeSha256,
  );
  if (!v.ok)
    throw new ProofdeskError(
      'INTERNAL',
      `consistency proof ${older.size} → ${newer.size} from export ${tree} does not verify (${v.reason})`,
    );
  const file = formatConsistencyProof(older.size, newer.size, proof, noteBytes(sides, older), noteBytes(sides, newer));
  return { older, newer, tree, proof: proof.map(toBase64), file: Buffer.from(file).toString('utf8') };
}
