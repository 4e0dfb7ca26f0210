/**
 * The proof of misbehaviour for a fork: two checkpoints signed by one trusted log key that no
 * append-only log can both have produced, with the proofs that show it. Built, then checked
 * exactly as `proofdesk check-proof` will check it.
 */
import {
  formatMisbehaviourProof,
  MAX_PROOF_ENTRY_BYTES,
  type MisbehaviourLeaf,
  verifyMisbehaviourProof,
} from '../../../shared/diff/misbehaviour.js';
import type { CheckpointRef, DiffResult, ForkPair, MisbehaviourEvidence } from '../../../shared/diff/model.js';
import { inclusionProofFrom, rangeHashes } from '../../../shared/diff/subtree.js';
import { bytesEqual, toHex } from '../../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../../shared/keys/keys.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { noteBytes, reportOf, type Sides } from './sides.js';

/** The verifier key of the trusted log key that signed both checkpoints of the fork (judge.ts requires one). */
function signerKeys(sides: Sides, fork: ForkPair, trusted: readonly TrustedKey[]): string[] {
  const fp = fork.signers[0];
  const k = trusted.find((t) => t.fingerprint === fp);
  // The line's name is bound by its key ID; any line of this key on the smaller checkpoint names it.
  const line = (reportOf(sides, fork.smaller)?.signatures ?? []).find(
    (s) => s.kind === 'log' && s.status === 'verified' && s.fingerprint === fp,
  );
  if (!k || !line)
    throw new ProofdeskError(
      'INTERNAL',
      `the key that signed both checkpoints of the fork (${fp ?? 'none'}) is not a trusted log signer of them`,
    );
  return [encodeNoteVerifierKey(line.name, k.publicKey)];
}

export function buildMisbehaviour(
  fork: ForkPair,
  sides: Sides,
  relations: DiffResult['checkpoints'],
  k: number | undefined,
  trusted: readonly TrustedKey[],
  maxEntryBytes: number,
): MisbehaviourEvidence {
  const s1 = fork.smaller.size;
  const s2 = fork.larger.size;
  const rel = (r: CheckpointRef) => relations.find((x) => x.size === r.size && x.rootHash === r.rootHash);
  let prefix: Uint8Array[] | undefined;
  let suffix: Uint8Array[] | undefined;
  if (fork.kind === 'not-a-prefix') {
    const t = sides[fork.tree!].entries!.tree;
    prefix = rangeHashes(t, 0, s1);
    suffix = rangeHashes(t, s1, s2);
  }
  // The differing leaves: when one export backs each checkpoint, the first leaf the two trees
  // disagree on is the first divergent entry of the two exports.
  let leaf: MisbehaviourLeaf | undefined;
  const v1 = rel(fork.smaller)?.backedBy[0];
  const v2 = rel(fork.larger)?.backedBy.find((s) => s !== v1);
  if (v1 && v2 && k !== undefined && k < s1) {
    const e1 = sides[v1].entries!;
    const e2 = sides[v2].entries!;
    const l1 = e1.readWindow(k, 1, Math.min(maxEntryBytes, MAX_PROOF_ENTRY_BYTES)).entries[0];
    const l2 = e2.readWindow(k, 1, Math.min(maxEntryBytes, MAX_PROOF_ENTRY_BYTES)).entries[0];
    if (l1?.bytes && l2?.bytes && !bytesEqual(l1.leafHash, l2.leafHash)) {
      leaf = {
        index: k,
        entry1: l1.bytes,
        path1: inclusionProofFrom(e1.tree, k, s1, nodeSha256),
        entry2: l2.bytes,
        path2: inclusionProofFrom(e2.tree, k, s2, nodeSha256),
      };
    }
  }
  const bytes = formatMisbehaviourProof({
    keys: signerKeys(sides, fork, trusted),
    size1: s1,
    size2: s2,
    ...(prefix ? { prefix, suffix: suffix! } : {}),
    ...(leaf ? { leaf } : {}),
    checkpoint1: noteBytes(sides, fork.smaller),
    checkpoint2: noteBytes(sides, fork.larger),
  });
  // The file must stand on its own: check it exactly as `proofdesk check-proof` will.
  const check = verifyMisbehaviourProof('misbehaviour.proof', bytes, {
    trusted,
    verify: verifyEd25519Node,
    hash: nodeSha256,
  });
  if (check.status !== 'proven')
    throw new ProofdeskError(
      'INTERNAL',
      `the proof of misbehaviour built for sizes ${s1}/${s2} does not verify (${check.reasons.join(', ')})`,
    );
  return {
    fork,
    file: Buffer.from(bytes).toString('utf8'),
    sha256: toHex(nodeSha256(bytes)),
    ...(leaf ? { leafIndex: leaf.index } : {}),
  };
}
