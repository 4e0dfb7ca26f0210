/**
 * An entry's checkpoint and inclusion proof. The proof is judged against the checkpoint's size and
 * root, never against the size and root the proof states.
 */
import { bytesEqual, toHex } from '../../../encoding/bytes.js';
import { applyKeyValidity } from '../../../keys/validity.js';
import { checkpointOriginOf, type ExtendedCheckpointCheck, judgeCheckpoint } from '../../../tlog/checkpoints.js';
import { hashLeaf } from '../../../tlog/merkle/hash.js';
import { verifyInclusion } from '../../../tlog/merkle/proof.js';
import { finding } from '../../../verdict/findings.js';
import type { EntryStatus } from '../../../verdict/format-result.js';
import type { InclusionProof } from '../bundle.js';
import type { TlogInstance } from '../trusted-root.js';
import { entryLocation, type LoggedEntry, type SigstoreRun } from './run.js';

type JudgedCheckpoint = ExtendedCheckpointCheck & { readonly timeLost?: true };

function originMatches(origin: string, tlog: TlogInstance): boolean {
  return origin === tlog.host || origin.startsWith(`${tlog.host} - `);
}

/**
 * Judges the entry's checkpoint note under the log key, within the key's validity window at the
 * authenticated `time` (if any); records its report and findings (located at the envelope).
 */
export function judgeEntryCheckpoint(
  run: SigstoreRun,
  logged: LoggedEntry,
  p: InclusionProof,
  time: number | undefined,
): JudgedCheckpoint {
  const { entry: e, index: i, tlog, window } = logged;
  const { ctx } = run;
  const cpPath = `${e.path}.inclusionProof.checkpoint.envelope`;
  const cpFile = `${ctx.name}#${cpPath}`;
  const cpOrigin = checkpointOriginOf(p.checkpoint)?.origin;
  const origin = cpOrigin !== undefined && originMatches(cpOrigin, tlog) ? cpOrigin : tlog.host;
  // A trusted root's tlog keys are log keys by what they are.
  const ed =
    tlog.key.kind === 'ed25519'
      ? [
          {
            publicKey: tlog.key.publicKey,
            fingerprint: tlog.key.fingerprint,
            name: tlog.host,
            roles: ['log' as const],
          },
        ]
      : [];
  const extra =
    tlog.key.kind === 'ecdsa-p256' ? [{ kind: 'rekor-ecdsa' as const, key: tlog.key, label: tlog.host }] : [];
  const judged = applyKeyValidity(
    judgeCheckpoint(cpFile, p.checkpoint, {
      origin,
      trusted: ed,
      bundleKeys: [],
      verify: ctx.ed25519,
      extraKeys: extra,
      ecdsa: ctx.ecdsa,
    }),
    {
      windows: new Map([[tlog.key.fingerprint, window]]),
      ...(time !== undefined ? { keySigned: time } : {}),
    },
  );
  run.checkpoints.push(judged.report);
  for (const f of judged.findings)
    run.findings.push({ ...f, location: { ...f.location, file: ctx.name, entry: i, path: cpPath } });
  return judged;
}

/**
 * Judges the inclusion proof against the judged checkpoint, records the proof report and returns
 * the entry's status, counting every error found for the entry since the findings numbered `before`.
 */
export function judgeInclusion(
  run: SigstoreRun,
  logged: LoggedEntry,
  p: InclusionProof,
  judged: JudgedCheckpoint,
  before: number,
): EntryStatus {
  const { entry: e, index: i } = logged;
  const { ctx } = run;
  const base = { file: `${ctx.name}#${e.path}.inclusionProof`, kind: 'inclusion' as const, index: p.logIndex };
  if (!judged.trusted) {
    run.proofs.push({ ...base, status: 'failed' });
    // Untrusted only because no time shows its key was valid (TIME_NOT_ESTABLISHED): the entry cannot be verified, nothing shows it is wrong.
    if (judged.timeLost && !run.errorsSince(before)) return { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' };
    run.findings.push(
      finding(
        'PROOF_INVALID',
        entryLocation(ctx.name, i, `${e.path}.inclusionProof`),
        "the entry's checkpoint is not trusted, so its inclusion proof proves nothing",
      ),
    );
    return { status: 'failed', reason: 'ENTRY_ERRORS' };
  }
  const { size, root } = judged.trusted;
  if (p.treeSize !== size || !bytesEqual(p.rootHash, root)) {
    run.findings.push(
      finding(
        'PROOF_CHECKPOINT_MISMATCH',
        entryLocation(ctx.name, i, `${e.path}.inclusionProof`, { checkpointSize: size }),
        `the proof states tree size ${p.treeSize} and its root, the signed checkpoint has size ${size}${bytesEqual(p.rootHash, root) ? '' : ' and another root'}; the proof is judged against the checkpoint`,
        {
          expected: toHex(root),
          actual: toHex(p.rootHash),
          expectedSize: size,
          actualSize: p.treeSize,
        },
      ),
    );
  }
  const leaf = hashLeaf(e.body, ctx.sha256);
  const v = verifyInclusion(p.logIndex, size, leaf, p.hashes, root, ctx.sha256);
  if (!v.ok) {
    run.findings.push(
      finding(
        'PROOF_INVALID',
        entryLocation(ctx.name, i, `${e.path}.inclusionProof`, { checkpointSize: size }),
        `the inclusion proof for index ${p.logIndex} does not reach the signed root of tree size ${size} (${v.reason})`,
        {
          reason: v.reason,
          ...(v.expected ? { expected: v.expected } : {}),
          ...(v.computed ? { actual: v.computed } : {}),
        },
      ),
    );
  }
  run.proofs.push({ ...base, size, status: v.ok ? 'verified' : 'failed' });
  return run.errorsSince(before)
    ? { status: 'failed', reason: v.ok ? 'ENTRY_ERRORS' : 'ENTRY_CHANGED' }
    : { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' };
}
