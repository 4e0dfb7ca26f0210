/**
 * Saved consistency and inclusion proofs, judged only against verified tree heads of the sizes
 * they state: a size the proof alone states is never trusted. Each inclusion proof's leaf is an
 * entry of the result.
 */
import { bytesEqual, toHex } from '../../../../shared/encoding/bytes.js';
import {
  type InclusionFile,
  parseConsistencyFile,
  parseInclusionFile,
} from '../../../../shared/formats/ct/evidence.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { type MerkleProofFailure, verifyConsistency, verifyInclusion } from '../../../../shared/tlog/merkle/proof.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import type { EntryStatus } from '../../../../shared/verdict/format-result.js';
import type { ProofReport } from '../../../../shared/verdict/result.js';
import { nodeSha256 } from '../../../platform/node-hash.js';
import { type CtEvidence, readJson } from './files.js';
import type { VerifiedHeads } from './tree-heads.js';

export function judgeConsistencyProofs(
  ev: CtEvidence,
  paths: readonly string[],
  verified: VerifiedHeads,
): ProofReport[] {
  return paths.map((p) => judgeConsistencyProof(ev, p, verified));
}

/** One proof report and one entry status per inclusion proof, in path order. */
export function judgeInclusionProofs(
  ev: CtEvidence,
  paths: readonly string[],
  verified: VerifiedHeads,
): { proofs: ProofReport[]; statuses: EntryStatus[] } {
  const proofs: ProofReport[] = [];
  const statuses: EntryStatus[] = [];
  for (const p of paths) {
    const judged = judgeInclusionProof(ev, p, verified, statuses.length);
    proofs.push(judged.proof);
    statuses.push(judged.status);
  }
  return { proofs, statuses };
}

function judgeConsistencyProof(ev: CtEvidence, p: string, verified: VerifiedHeads): ProofReport {
  const json = readJson(ev, p, 'proof');
  const parsed = json === undefined ? undefined : parseConsistencyFile(json);
  if (!parsed?.ok) {
    for (const pr of parsed?.problems ?? [])
      ev.findings.push(finding('PROOF_MALFORMED', { file: p, path: pr.path }, pr.message));
    return { file: p, kind: 'consistency', status: 'malformed' };
  }
  const { first, second, proof } = parsed.value;
  const h1 = verified.get(first);
  const h2 = verified.get(second);
  if (!h1 || !h2) {
    if (!h1) ev.findings.push(noHead(p, first));
    if (!h2) ev.findings.push(noHead(p, second));
    return { file: p, kind: 'consistency', status: 'failed', size1: first, size2: second };
  }
  const v = verifyConsistency(first, second, h1.root, h2.root, proof, nodeSha256);
  if (!v.ok)
    ev.findings.push(
      finding(
        'PROOF_INVALID',
        { file: p, checkpointSize: second },
        `consistency proof ${first} → ${second} fails (${v.reason})`,
        failureEvidence(v),
      ),
    );
  return { file: p, kind: 'consistency', status: v.ok ? 'verified' : 'failed', size1: first, size2: second };
}

interface JudgedInclusion {
  readonly proof: ProofReport;
  readonly status: EntryStatus;
}

function judgeInclusionProof(ev: CtEvidence, p: string, verified: VerifiedHeads, entry: number): JudgedInclusion {
  const inc = parsedInclusion(ev, p, entry);
  if (!inc)
    return {
      proof: { file: p, kind: 'inclusion', status: 'malformed' },
      status: { status: 'failed', reason: 'ENTRY_ERRORS' },
    };
  const failed: ProofReport = {
    file: p,
    kind: 'inclusion',
    status: 'failed',
    index: inc.leafIndex,
    size: inc.treeSize,
  };
  const leaf = leafHashOf(ev, p, inc, entry);
  if (!leaf) return { proof: failed, status: { status: 'failed', reason: 'ENTRY_ERRORS' } };
  const head = verified.get(inc.treeSize);
  if (!head) {
    ev.findings.push(noHead(p, inc.treeSize, entry));
    return { proof: failed, status: { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' } };
  }
  const v = verifyInclusion(inc.leafIndex, inc.treeSize, leaf.hash, inc.auditPath, head.root, nodeSha256);
  if (!v.ok)
    ev.findings.push(
      finding(
        'PROOF_INVALID',
        { file: p, entry, checkpointSize: inc.treeSize },
        `inclusion proof for leaf ${inc.leafIndex} in tree size ${inc.treeSize} fails (${v.reason})`,
        failureEvidence(v),
      ),
    );
  return {
    proof: v.ok ? { ...failed, status: 'verified' } : failed,
    status: v.ok
      ? { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' }
      : { status: 'failed', reason: 'ENTRY_CHANGED' },
  };
}

function parsedInclusion(ev: CtEvidence, p: string, entry: number): InclusionFile | undefined {
  const json = readJson(ev, p, 'proof');
  const parsed = json === undefined ? undefined : parseInclusionFile(json);
  if (parsed?.ok) return parsed.value;
  for (const pr of parsed?.problems ?? [])
    ev.findings.push(finding('PROOF_MALFORMED', { file: p, path: pr.path, entry }, pr.message));
  return undefined;
}

/** The leaf hash is the file's "hash", or the hash of its "leaf_input"; when both are given they must agree. */
function leafHashOf(ev: CtEvidence, p: string, inc: InclusionFile, entry: number): { hash: Uint8Array } | undefined {
  const fromInput = inc.leafInput ? hashLeaf(inc.leafInput, nodeSha256) : undefined;
  if (inc.hash && fromInput && !bytesEqual(inc.hash, fromInput)) {
    ev.findings.push(
      finding(
        'PROOF_LEAF_MISMATCH',
        { file: p, entry },
        'the file\'s "hash" is not the leaf hash of its "leaf_input"',
        {
          expected: toHex(inc.hash),
          actual: toHex(fromInput),
        },
      ),
    );
    return undefined;
  }
  // The parser requires "hash" or "leaf_input".
  return { hash: (inc.hash ?? fromInput)! };
}

function noHead(p: string, size: number, entry?: number): Finding {
  return finding(
    'PROOF_INVALID',
    { file: p, checkpointSize: size, ...(entry !== undefined ? { entry } : {}) },
    `no verified tree head of size ${size}: the proof cannot be judged (a size the proof alone states is never trusted)`,
    { size },
  );
}

/** The reason, and on a root mismatch the expected and computed roots. */
function failureEvidence(v: MerkleProofFailure): Record<string, string> {
  return {
    reason: v.reason,
    ...(v.expected ? { expected: v.expected } : {}),
    ...(v.computed ? { actual: v.computed } : {}),
  };
}
