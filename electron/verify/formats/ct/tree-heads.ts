/**
 * The signed tree heads: each verified with the examiner's log keys (ECDSA P-256 or RSA); the
 * verified ones, by size, are what the proofs are judged against.
 */
import { bytesEqual, toHex } from '../../../../shared/encoding/bytes.js';
import { parseSth, type SignedTreeHead, verifySthSignature } from '../../../../shared/formats/ct/evidence.js';
import { finding } from '../../../../shared/verdict/findings.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import { verifyRsaSha256Node } from '../../../platform/crypto-node.js';
import type { SignaturePaths } from '../common.js';
import type { LabelledKey } from '../trust.js';
import { type CtEvidence, readJson } from './files.js';

/** Root and file of the verified tree head of each size (the first, when two conflict). */
export type VerifiedHeads = ReadonlyMap<number, { readonly root: Uint8Array; readonly file: string }>;

/** Requires at least one key. */
export function judgeTreeHeads(
  ev: CtEvidence,
  paths: readonly string[],
  keys: readonly LabelledKey[],
  sig: SignaturePaths,
): { checkpoints: CheckpointReport[]; verified: VerifiedHeads } {
  const checkpoints: CheckpointReport[] = [];
  const verified = new Map<number, { root: Uint8Array; file: string }>();
  for (const p of paths) {
    const sth = parsedSth(ev, p);
    if (!sth) {
      checkpoints.push({ file: p, status: 'malformed', rootStatus: 'not-checked', signatures: [] });
      continue;
    }
    const judged = judgeTreeHead(ev, p, sth, keys, sig);
    checkpoints.push(judged);
    if (judged.status !== 'trusted') continue;
    const prior = verified.get(sth.treeSize);
    if (prior && !bytesEqual(prior.root, sth.rootHash)) {
      ev.findings.push(
        finding(
          'CHECKPOINT_CONFLICT',
          { file: p, checkpointSize: sth.treeSize },
          `two verified tree heads of size ${sth.treeSize} sign different roots (${prior.file} and ${p})`,
          { first: toHex(prior.root), second: toHex(sth.rootHash) },
        ),
      );
    } else verified.set(sth.treeSize, { root: sth.rootHash, file: p });
  }
  return { checkpoints, verified };
}

function parsedSth(ev: CtEvidence, p: string): SignedTreeHead | undefined {
  const json = readJson(ev, p, 'checkpoint');
  if (json === undefined) return undefined;
  const parsed = parseSth(json);
  if (parsed.ok) return parsed.value;
  for (const pr of parsed.problems)
    ev.findings.push(finding('DOCUMENT_INVALID', { file: p, path: pr.path }, pr.message));
  return undefined;
}

/** Trusted when one of the keys verifies its signature; the report names that key, or the first when none does. */
function judgeTreeHead(
  ev: CtEvidence,
  p: string,
  sth: SignedTreeHead,
  keys: readonly LabelledKey[],
  sig: SignaturePaths,
): CheckpointReport {
  const signer = keys.find((k) => verifySthSignature(sth, k.key, { ecdsa: sig.ecdsa, rsa: verifyRsaSha256Node }));
  const shown = signer ?? keys[0]!;
  const base = {
    file: p,
    origin: shown.key.fingerprint,
    size: sth.treeSize,
    rootHash: toHex(sth.rootHash),
    rootStatus: 'not-checked' as const,
  };
  const sigReport = {
    name: shown.label,
    keyId: shown.key.fingerprint.slice(0, 8),
    kind: 'log' as const,
    fingerprint: shown.key.fingerprint,
  };
  if (!signer) {
    ev.findings.push(
      finding(
        'SIGNATURE_INVALID',
        { file: p, checkpointSize: sth.treeSize },
        `the tree head signature does not verify with ${keys.length === 1 ? 'the trusted log key' : `any of the ${keys.length} trusted log keys`}`,
        {
          keys: keys.map((k) => k.key.fingerprint).join(' '),
          ...(sth.version !== 0 ? { version: sth.version } : {}),
        },
      ),
    );
    return { ...base, status: 'rejected', signatures: [{ ...sigReport, status: 'failed' }] };
  }
  return {
    ...base,
    status: 'trusted',
    signatures: [{ ...sigReport, status: 'verified', time: Math.floor(sth.timestamp / 1000) }],
  };
}
