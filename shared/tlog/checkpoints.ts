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
import { sha256 } from '../crypto/hash.js';
import { concatBytes, readU32BE, toHex, utf8 } from '../encoding/bytes.js';
import { CT_VERSION_V1, parseDigitallySigned, TLS_SIG_ECDSA, treeHeadSignatureInput } from '../encoding/tls.js';
import { NOTE_SIG_RFC6962 } from '../keys/keys.js';
import { type FormatPublicKey, spkiKeyHint } from '../keys/public-key.js';
import { type Finding, finding } from '../verdict/findings.js';
import type { SignatureReport } from '../verdict/result.js';
import { parseCheckpointBody } from './checkpoint.js';
import { type CheckpointCheck, type CheckpointContext, verifyCheckpointNote } from './checkpoint-verify.js';
import { parseNote } from './note.js';

type P256Key = FormatPublicKey & { readonly kind: 'ecdsa-p256' };

export type ExtraNoteKey =
  | { readonly kind: 'rekor-ecdsa'; readonly key: P256Key; readonly label?: string }
  | {
      readonly kind: 'rfc6962-note';
      readonly key: P256Key /** The log's key name, which is its origin. */;
      readonly name: string;
      readonly label?: string;
    };

export interface ExtendedCheckpointContext extends CheckpointContext {
  readonly extraKeys?: readonly ExtraNoteKey[];
  readonly ecdsa?: EcdsaVerifyFn;
}

export interface ExtendedCheckpointCheck extends CheckpointCheck {
  /** Times (ms since the epoch) signed by verified RFC6962NoteSignatures, if any. */
  readonly signedTimesMs: readonly number[];
}

/** Key ID of an RFC6962NoteSignature key: SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]. */
export function rfc6962NoteKeyId(name: string, spki: Uint8Array): number {
  return readU32BE(sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, NOTE_SIG_RFC6962), sha256(spki))));
}

function hex8(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
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
  const ecdsa = ctx.ecdsa;
  const loc = { file, checkpointSize: body.size };
  const findings: Finding[] = [...base.findings];
  const signatures: SignatureReport[] = [...base.report.signatures];
  const times: number[] = [];
  let verified = 0;
  let failed = false;
  note.signatures.forEach((sig, i) => {
    if (signatures[i]?.status !== 'unknown-key') return;
    for (const k of extra) {
      if (k.kind === 'rekor-ecdsa') {
        if (sig.keyId !== spkiKeyHint(k.key)) continue;
        const ok = ecdsa(k.key.point, note.textBytes, sig.signature);
        signatures[i] = {
          name: sig.name,
          keyId: hex8(sig.keyId),
          kind: 'log',
          status: ok ? 'verified' : 'failed',
          fingerprint: k.key.fingerprint,
        };
        if (ok) verified++;
        else {
          failed = true;
          findings.push(
            finding(
              'SIGNATURE_INVALID',
              loc,
              `ECDSA signature line ${sig.line} by trusted log key ${k.label ?? sig.name} does not verify; the checkpoint is rejected`,
              { fingerprint: k.key.fingerprint, line: sig.line },
            ),
          );
        }
        return;
      }
      if (sig.name !== k.name || sig.keyId !== rfc6962NoteKeyId(k.name, k.key.spki)) continue;
      // RFC6962NoteSignature: uint64 timestamp || DigitallySigned (static-ct-api "Checkpoints").
      const ds = sig.signature.length > 8 ? parseDigitallySigned(sig.signature.subarray(8)) : 'TOO_SHORT';
      const tsBig =
        sig.signature.length >= 8
          ? new DataView(sig.signature.buffer, sig.signature.byteOffset, 8).getBigUint64(0)
          : 0n;
      const ok =
        typeof ds !== 'string' &&
        ds.signatureAlgorithm === TLS_SIG_ECDSA &&
        body.origin === k.name &&
        body.extensions.length === 0 &&
        tsBig <= BigInt(Number.MAX_SAFE_INTEGER) &&
        ecdsa(k.key.point, treeHeadSignatureInput(CT_VERSION_V1, tsBig, body.size, body.rootHash), ds.signature);
      signatures[i] = {
        name: sig.name,
        keyId: hex8(sig.keyId),
        kind: 'log',
        status: ok ? 'verified' : 'failed',
        fingerprint: k.key.fingerprint,
        ...(ok ? { time: Math.floor(Number(tsBig) / 1000) } : {}),
      };
      if (ok) {
        verified++;
        times.push(Number(tsBig));
      } else {
        failed = true;
        const why =
          typeof ds === 'string'
            ? `its DigitallySigned is malformed (${ds})`
            : body.extensions.length
              ? 'a static-CT checkpoint must have no extension lines'
              : 'the tree-head signature does not verify';
        findings.push(
          finding(
            'SIGNATURE_INVALID',
            loc,
            `RFC 6962 note signature line ${sig.line} by trusted log ${k.name}: ${why}; the checkpoint is rejected`,
            { fingerprint: k.key.fingerprint, line: sig.line },
          ),
        );
      }
      return;
    }
  });
  if (verified === 0 && !failed) return { ...base, signedTimesMs: [] };
  const rejectedBefore = base.report.status === 'rejected';
  if (rejectedBefore || failed) {
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
