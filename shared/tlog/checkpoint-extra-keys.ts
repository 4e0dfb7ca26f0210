/**
 * The signature lines of a checkpoint note that the Ed25519 judgement left as unknown keys, each
 * judged by the extra trusted key it names (shared/tlog/checkpoints.ts): a Rekor v1 ECDSA line
 * or a static-CT RFC6962NoteSignature line.
 */
import type { EcdsaVerifyFn } from '../crypto/ecdsa.js';
import { sha256 } from '../crypto/hash.js';
import { concatBytes, readU32BE, utf8 } from '../encoding/bytes.js';
import {
  CT_VERSION_V1,
  type DigitallySigned,
  type DigitallySignedReason,
  parseDigitallySigned,
  TLS_SIG_ECDSA,
  treeHeadSignatureInput,
} from '../encoding/tls.js';
import { NOTE_SIG_RFC6962 } from '../keys/keys.js';
import { type FormatPublicKey, spkiKeyHint } from '../keys/public-key.js';
import { type Finding, finding, type Location } from '../verdict/findings.js';
import type { SignatureReport } from '../verdict/result.js';
import type { CheckpointBody } from './checkpoint.js';
import type { NoteSignature } from './note.js';

type P256Key = FormatPublicKey & { readonly kind: 'ecdsa-p256' };

export type ExtraNoteKey =
  | { readonly kind: 'rekor-ecdsa'; readonly key: P256Key; readonly label?: string }
  | {
      readonly kind: 'rfc6962-note';
      readonly key: P256Key /** The log's key name, which is its origin. */;
      readonly name: string;
      readonly label?: string;
    };

/** Key ID of an RFC6962NoteSignature key: SHA-256(name || 0x0A || 0x05 || SHA-256(SPKI))[:4]. */
export function rfc6962NoteKeyId(name: string, spki: Uint8Array): number {
  return readU32BE(sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, NOTE_SIG_RFC6962), sha256(spki))));
}

function hex8(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}

/**
 * Whether a signature line is by `k`. A Rekor key hint is not bound to the line's name; an
 * RFC6962NoteSignature key ID is, and the name must also be the key's.
 */
function signedBy(sig: NoteSignature, k: ExtraNoteKey): boolean {
  if (k.kind === 'rekor-ecdsa') return sig.keyId === spkiKeyHint(k.key);
  return sig.name === k.name && sig.keyId === rfc6962NoteKeyId(k.name, k.key.spki);
}

/** The first extra key that signed the line, if any. */
export function extraKeyFor(sig: NoteSignature, extra: readonly ExtraNoteKey[]): ExtraNoteKey | undefined {
  return extra.find((k) => signedBy(sig, k));
}

/** One line judged by an extra key: its report, and a finding if it failed. */
export interface ExtraLineJudgement {
  readonly report: SignatureReport;
  readonly finding?: Finding;
  /** The time (ms since the epoch) a verified RFC6962NoteSignature signed. */
  readonly timeMs?: number;
}

/** What the lines of one note are judged against. */
export interface ExtraLineInputs {
  readonly ecdsa: EcdsaVerifyFn;
  readonly textBytes: Uint8Array;
  readonly body: CheckpointBody;
  readonly loc: Location;
}

/** Judges one signature line by the extra key that signed it. */
export function judgeExtraLine(sig: NoteSignature, k: ExtraNoteKey, inputs: ExtraLineInputs): ExtraLineJudgement {
  return k.kind === 'rekor-ecdsa' ? rekorLine(sig, k, inputs) : rfc6962Line(sig, k, inputs);
}

/** A Rekor v1 line: a DER ECDSA signature over the note text. */
function rekorLine(
  sig: NoteSignature,
  k: ExtraNoteKey & { readonly kind: 'rekor-ecdsa' },
  { ecdsa, textBytes, loc }: ExtraLineInputs,
): ExtraLineJudgement {
  const ok = ecdsa(k.key.point, textBytes, sig.signature);
  const report: SignatureReport = {
    name: sig.name,
    keyId: hex8(sig.keyId),
    kind: 'log',
    status: ok ? 'verified' : 'failed',
    fingerprint: k.key.fingerprint,
  };
  if (ok) return { report };
  return {
    report,
    finding: finding(
      'SIGNATURE_INVALID',
      loc,
      `ECDSA signature line ${sig.line} by trusted log key ${k.label ?? sig.name} does not verify; the checkpoint is rejected`,
      { fingerprint: k.key.fingerprint, line: sig.line },
    ),
  };
}

/** The parts of an RFC6962NoteSignature: uint64 timestamp || DigitallySigned (static-ct-api "Checkpoints"). */
function rfc6962Parts(signature: Uint8Array) {
  const ds = signature.length > 8 ? parseDigitallySigned(signature.subarray(8)) : 'TOO_SHORT';
  const tsBig = signature.length >= 8 ? new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0) : 0n;
  return { ds, tsBig };
}

/**
 * A static-CT line. The signed tree-head input covers size and root only, so the origin and the
 * absence of extension lines are checked here.
 */
function rfc6962Line(
  sig: NoteSignature,
  k: ExtraNoteKey & { readonly kind: 'rfc6962-note' },
  { ecdsa, body, loc }: ExtraLineInputs,
): ExtraLineJudgement {
  const { ds, tsBig } = rfc6962Parts(sig.signature);
  const ok =
    typeof ds !== 'string' &&
    ds.signatureAlgorithm === TLS_SIG_ECDSA &&
    body.origin === k.name &&
    body.extensions.length === 0 &&
    tsBig <= BigInt(Number.MAX_SAFE_INTEGER) &&
    ecdsa(k.key.point, treeHeadSignatureInput(CT_VERSION_V1, tsBig, body.size, body.rootHash), ds.signature);
  const report: SignatureReport = {
    name: sig.name,
    keyId: hex8(sig.keyId),
    kind: 'log',
    status: ok ? 'verified' : 'failed',
    fingerprint: k.key.fingerprint,
    ...(ok ? { time: Math.floor(Number(tsBig) / 1000) } : {}),
  };
  if (ok) return { report, timeMs: Number(tsBig) };
  return {
    report,
    finding: finding(
      'SIGNATURE_INVALID',
      loc,
      `RFC 6962 note signature line ${sig.line} by trusted log ${k.name}: ${rfc6962Failure(ds, body)}; the checkpoint is rejected`,
      { fingerprint: k.key.fingerprint, line: sig.line },
    ),
  };
}

/** Why a static-CT line by its trusted key failed, in the words of the finding. */
function rfc6962Failure(ds: DigitallySigned | DigitallySignedReason, body: CheckpointBody): string {
  if (typeof ds === 'string') return `its DigitallySigned is malformed (${ds})`;
  return body.extensions.length
    ? 'a static-CT checkpoint must have no extension lines'
    : 'the tree-head signature does not verify';
}
