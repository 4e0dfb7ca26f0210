/**
 * Judges one checkpoint file against the examiner's trust material (docs/bundle-format.md
 * §5): C2SP signed-note rules for log signatures (type 0x01) and C2SP tlog-cosignature for
 * witnesses (type 0x04). Keys need not carry a name: a trusted key matches a signature line
 * when the line's key ID equals SHA-256(line name || 0x0A || type || key)[:4], so the name is
 * still bound by the key ID.
 */
import { toHex } from './bytes.js';
import { parseCheckpointBody } from './checkpoint.js';
import { verifyCosignatureSignature } from './cosignature.js';
import { verifyEd25519 } from './ed25519.js';
import { finding, type Finding } from './findings.js';
import { keyFingerprint, noteKeyId, NOTE_SIG_COSIGNATURE_V1, NOTE_SIG_ED25519 } from './keys.js';
import { parseNote, type Ed25519VerifyFn } from './note.js';
import type { CheckpointReport, SignatureReport } from './result.js';
import type { TrustedKey } from './trust.js';

export interface CheckpointContext {
  /** The origin the checkpoint must carry (the manifest's). */
  readonly origin: string;
  readonly trusted: readonly TrustedKey[];
  /** Keys shipped inside the bundle: recognised for reporting, never trusted. */
  readonly bundleKeys: readonly Uint8Array[];
  /** Ed25519 verification under the pinned rules; node code passes its faster path. */
  readonly verify?: Ed25519VerifyFn;
}

export interface CheckpointCheck {
  readonly report: CheckpointReport;
  readonly findings: Finding[];
  /** Set when the checkpoint is trusted: at least one trusted log signature, none failing. */
  readonly trusted?: { readonly size: number; readonly root: Uint8Array };
}

function keyIdHex(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}

export function verifyCheckpointNote(file: string, bytes: Uint8Array, ctx: CheckpointContext): CheckpointCheck {
  const verify = ctx.verify ?? verifyEd25519;
  const findings: Finding[] = [];
  const malformed = (message: string, evidence?: Record<string, string | number>): CheckpointCheck => {
    findings.push(finding('CHECKPOINT_MALFORMED', { file }, message, evidence));
    return { report: { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] }, findings };
  };
  const note = parseNote(bytes);
  if (!note.ok) return malformed(`not a valid signed note: ${note.detail}`, { reason: note.reason, ...(note.line ? { line: note.line } : {}) });
  const body = parseCheckpointBody(note.text);
  if (!body.ok) return malformed(`not a valid tlog-checkpoint body: ${body.detail}`, { reason: body.reason });
  const { origin, size, rootHash } = body;
  const base = { file, origin, size, rootHash: toHex(rootHash) };
  const loc = { file, checkpointSize: size };

  const signatures: SignatureReport[] = [];
  let logVerified = 0;
  let failedTrusted = false;
  for (const sig of note.signatures) {
    const id = keyIdHex(sig.keyId);
    let matched = false;
    for (const k of ctx.trusted) {
      if (noteKeyId(sig.name, NOTE_SIG_ED25519, k.publicKey) === sig.keyId) {
        matched = true;
        const ok = sig.signature.length === 64 && verify(k.publicKey, note.textBytes, sig.signature);
        signatures.push({ name: sig.name, keyId: id, kind: 'log', status: ok ? 'verified' : 'failed', fingerprint: k.fingerprint });
        if (ok) logVerified++;
        else {
          failedTrusted = true;
          findings.push(finding('SIGNATURE_INVALID', loc, `signature line ${sig.line} by trusted key ${sig.name} does not verify; the checkpoint is rejected`, { fingerprint: k.fingerprint, line: sig.line }));
        }
        break;
      }
      if (noteKeyId(sig.name, NOTE_SIG_COSIGNATURE_V1, k.publicKey) === sig.keyId) {
        matched = true;
        const r = verifyCosignatureSignature(k.publicKey, note.textBytes, sig.signature, verify);
        if (r.ok) {
          signatures.push({ name: sig.name, keyId: id, kind: 'cosignature', status: 'verified', fingerprint: k.fingerprint, time: r.timestamp });
          findings.push(finding('COSIGNATURE_VALID', loc, `witness ${sig.name} cosigned this checkpoint at ${new Date(r.timestamp * 1000).toISOString()}`, { fingerprint: k.fingerprint, time: r.timestamp }));
        } else {
          failedTrusted = true;
          signatures.push({ name: sig.name, keyId: id, kind: 'cosignature', status: 'failed', fingerprint: k.fingerprint });
          findings.push(finding('SIGNATURE_INVALID', loc, `cosignature line ${sig.line} by trusted witness ${sig.name} does not verify; the checkpoint is rejected`, { fingerprint: k.fingerprint, line: sig.line }));
        }
        break;
      }
    }
    if (matched) continue;
    const shipped = ctx.bundleKeys.find((pk) => noteKeyId(sig.name, NOTE_SIG_ED25519, pk) === sig.keyId || noteKeyId(sig.name, NOTE_SIG_COSIGNATURE_V1, pk) === sig.keyId);
    signatures.push(shipped ? { name: sig.name, keyId: id, kind: 'unknown', status: 'bundle-key', fingerprint: keyFingerprint(shipped) } : { name: sig.name, keyId: id, kind: 'unknown', status: 'unknown-key' });
  }

  if (origin !== ctx.origin) {
    findings.push(finding('CHECKPOINT_ORIGIN_MISMATCH', loc, `checkpoint origin ${JSON.stringify(origin)} is not the bundle origin ${JSON.stringify(ctx.origin)}`, { expected: ctx.origin, actual: origin }));
    return { report: { ...base, status: 'rejected', rootStatus: 'not-checked', signatures }, findings };
  }
  if (failedTrusted) return { report: { ...base, status: 'rejected', rootStatus: 'not-checked', signatures }, findings };
  if (logVerified === 0) {
    const viaBundle = signatures.some((s) => s.status === 'bundle-key');
    findings.push(finding('KEY_UNTRUSTED', loc, viaBundle ? 'the checkpoint is signed only by a key shipped in the bundle, which is not trusted' : 'the checkpoint carries no signature by a trusted log key', { signatures: signatures.length }));
    return { report: { ...base, status: 'untrusted', rootStatus: 'not-checked', signatures }, findings };
  }
  return { report: { ...base, status: 'trusted', rootStatus: 'not-checked', signatures }, findings, trusted: { size, root: rootHash } };
}
