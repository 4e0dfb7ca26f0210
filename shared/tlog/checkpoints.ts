/**
 * Judging checkpoints signed with more than Ed25519 note keys. Ed25519 log signatures (type
 * 0x01) and witness cosignatures (0x04) are judged by shared/tlog/checkpoint-verify.ts, the same code
 * that judges bundle checkpoints; this module adds, on the signature lines that code leaves as
 * unknown, two further kinds of trusted key:
 *
 *  - `rekor-ecdsa`: Rekor v1 checkpoints. The 4-byte key hint is the first 4 bytes of
 *    SHA-256(DER SPKI) (the trusted-root `logId.keyId`), the signature a DER ECDSA P-256/SHA-256
 *    signature over the note text (sigstore/rekor `pkg/util/signed_note.go`). The name on the
 *    line is not bound by the hint and is not used.
 *  - `rfc6962-note`: static-CT checkpoints (c2sp.org/static-ct-api "Checkpoints"), note signature
 *    type 0x05: key ID = SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4], signature bytes =
 *    uint64 timestamp (ms) || TLS DigitallySigned over the RFC 6962 §3.5 tree-head input. The
 *    key name MUST be the origin and the body MUST have no extension lines; the signed input
 *    covers size and root only, so the origin is checked here explicitly.
 *
 * The same signed-note rules apply to every kind: unknown keys are ignored, a failing trusted
 * signature rejects the checkpoint, and without one verified log signature it is untrusted.
 */

import type { EcdsaVerifyFn } from '../crypto/ecdsa.js';
import { toHex } from '../encoding/bytes.js';
import type { Finding } from '../verdict/findings.js';
import type { SignatureReport } from '../verdict/result.js';
import { type CheckpointBody, parseCheckpointBody } from './checkpoint.js';
import { type ExtraLineInputs, type ExtraNoteKey, extraKeyFor, judgeExtraLine } from './checkpoint-extra-keys.js';
import { type CheckpointCheck, type CheckpointContext, verifyCheckpointNote } from './checkpoint-verify.js';
import { type NoteSignature, parseNote } from './note.js';

export { type ExtraNoteKey, rfc6962NoteKeyId } from './checkpoint-extra-keys.js';

export interface ExtendedCheckpointContext extends CheckpointContext {
  readonly extraKeys?: readonly ExtraNoteKey[];
  readonly ecdsa?: EcdsaVerifyFn;
}

export interface ExtendedCheckpointCheck extends CheckpointCheck {
  /** Times (ms since the epoch) signed by verified RFC6962NoteSignatures, if any. */
  readonly signedTimesMs: readonly number[];
}

/**
 * Judges a checkpoint note against Ed25519 keys (`ctx.trusted`) and the extra keys.
 * With no extra keys this is exactly verifyCheckpointNote.
 */
export function judgeCheckpoint(
  file: string,
  bytes: Uint8Array,
  ctx: ExtendedCheckpointContext,
): ExtendedCheckpointCheck {
  const base = verifyCheckpointNote(file, bytes, ctx);
  const extra = ctx.extraKeys ?? [];
  if (extra.length === 0 || base.report.status === 'malformed' || !ctx.ecdsa) return { ...base, signedTimesMs: [] };
  const note = parseNote(bytes);
  const body = note.ok ? parseCheckpointBody(note.text) : undefined;
  if (!note.ok || !body?.ok) return { ...base, signedTimesMs: [] };
  const inputs = { ecdsa: ctx.ecdsa, textBytes: note.textBytes, body, loc: { file, checkpointSize: body.size } };
  return settle(base, body, judgeUnknownLines(base, note.signatures, extra, inputs));
}

/** The Ed25519 judgement's signatures and findings, with the extra keys' lines judged in. */
interface ExtraTally {
  readonly signatures: SignatureReport[];
  readonly findings: Finding[];
  readonly times: number[];
  verified: number;
  /** A signature by an extra key failed: the checkpoint is rejected. */
  failed: boolean;
}

/** Judges, in order, the lines the Ed25519 judgement left as unknown keys and an extra key signed. */
function judgeUnknownLines(
  base: CheckpointCheck,
  lines: readonly NoteSignature[],
  extra: readonly ExtraNoteKey[],
  inputs: ExtraLineInputs,
): ExtraTally {
  const tally: ExtraTally = {
    signatures: [...base.report.signatures],
    findings: [...base.findings],
    times: [],
    verified: 0,
    failed: false,
  };
  for (const [i, sig] of lines.entries()) {
    if (tally.signatures[i]?.status !== 'unknown-key') continue;
    const k = extraKeyFor(sig, extra);
    if (!k) continue;
    const judged = judgeExtraLine(sig, k, inputs);
    tally.signatures[i] = judged.report;
    if (judged.finding) {
      tally.failed = true;
      tally.findings.push(judged.finding);
    } else {
      tally.verified++;
      if (judged.timeMs !== undefined) tally.times.push(judged.timeMs);
    }
  }
  return tally;
}

/** The checkpoint's status once the extra keys have been counted. */
function settle(base: CheckpointCheck, body: CheckpointBody, tally: ExtraTally): ExtendedCheckpointCheck {
  const { signatures, findings, times } = tally;
  if (tally.verified === 0 && !tally.failed) return { ...base, signedTimesMs: [] };
  if (base.report.status === 'rejected' || tally.failed) {
    return { report: { ...base.report, status: 'rejected', signatures }, findings, signedTimesMs: times };
  }
  // An extra key verified: the KEY_UNTRUSTED finding of the Ed25519-only judgement no longer holds.
  const kept = findings.filter((f) => f.code !== 'KEY_UNTRUSTED');
  return {
    report: { ...base.report, status: 'trusted', signatures },
    findings: kept,
    trusted: { size: body.size, root: body.rootHash },
    signedTimesMs: times,
  };
}

/** The origin line of a checkpoint note, if it parses (for choosing the expected origin). */
export function checkpointOriginOf(bytes: Uint8Array): { origin: string; size: number; root: string } | undefined {
  const note = parseNote(bytes);
  if (!note.ok) return undefined;
  const body = parseCheckpointBody(note.text);
  return body.ok ? { origin: body.origin, size: body.size, root: toHex(body.rootHash) } : undefined;
}
