/**
 * Offline verification of a Sigstore bundle's transparency-log entries (and, given the
 * artifact, of what was signed), against trusted roots the examiner imported. For each entry:
 *
 *  1. its log must be a tlog of a trusted root (`logId.keyId`), else KEY_UNTRUSTED;
 *  2. the signed entry timestamp (Rekor v1), when present, must verify under the log key over
 *     the RFC 8785 JSON {body, integratedTime, logID (hex), logIndex} (SIGNATURE_INVALID); it
 *     is the only authenticated time a bundle carries, and is then used for key windows;
 *  3. the checkpoint must be a signed note by the log key (Rekor v1: ECDSA P-256, key hint =
 *     SHA-256(SPKI)[:4]; Rekor v2: Ed25519 note signature) whose origin is the log's host (v2)
 *     or starts with "<host> - " (v1), within the key's validity window;
 *  4. the inclusion proof is judged against the checkpoint's size and root, never against the
 *     size and root the proof states (PROOF_CHECKPOINT_MISMATCH when they differ, PROOF_INVALID
 *     when the path does not reach the signed root), with leaf = the canonicalized body;
 *  5. the body must describe the bundle's digest, signature and certificate (TLOG_BODY_MISMATCH).
 * Not verified (docs/formats.md): the Fulcio certificate chain, SCTs, RFC 3161 timestamps and
 * the identity policy.
 */

import type { SigstoreBundle } from './bundle.js';
import { verifySignedContent } from './verify/artifact.js';
import { verifyEntry } from './verify/entry.js';
import { type SigstoreContext, SigstoreRun, type SigstoreVerification } from './verify/run.js';

export type { SigstoreContext, SigstoreVerification } from './verify/run.js';
export { dssePae } from './verify/signature.js';

export function verifySigstore(bundle: SigstoreBundle, ctx: SigstoreContext): SigstoreVerification {
  const run = new SigstoreRun(ctx);
  const tlogs = ctx.roots.flatMap((r) => r.tlogs);
  bundle.tlogEntries.forEach((e, i) => {
    verifyEntry(run, tlogs, bundle, e, i);
  });
  verifySignedContent(run, bundle);
  return run.result();
}
