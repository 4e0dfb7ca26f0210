/**
 * Judges one checkpoint file against the examiner's trust material (docs/bundle-format.md
 * §5): C2SP signed-note rules for log signatures (type 0x01) and C2SP tlog-cosignature for
 * witnesses (type 0x04). Keys need not carry a name: a trusted key matches a signature line
 * when the line's key ID equals SHA-256(line name || 0x0A || type || key)[:4], so the name is
 * still bound by the key ID.
 *
 * Keys count only in their roles (shared/keys/trust.ts): a 0x01 line counts only by a 'log' key, a
 * 0x04 line only by a 'witness' key. A line by a trusted key in another role is reported
 * (status 'wrong-role', KEY_WRONG_ROLE) and not counted, so a witness or an event source
 * cannot make a checkpoint trusted by signing it as the log.
 */

import { verifyEd25519 } from '../crypto/ed25519.js';
import { bytesEqual, toHex } from '../encoding/bytes.js';
import { keyFingerprint, NOTE_SIG_COSIGNATURE_V1, NOTE_SIG_ED25519, noteKeyId } from '../keys/keys.js';
import { hasRole, type TrustedKey } from '../keys/trust.js';
import { type Finding, finding } from '../verdict/findings.js';
import type { CheckpointReport, SignatureReport } from '../verdict/result.js';
import { parseCheckpointBody } from './checkpoint.js';
import { verifyCosignatureSignature } from './cosignature.js';
import { type Ed25519VerifyFn, parseNote } from './note.js';

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

/**
 * Fingerprints of the keys whose log signatures on a checkpoint count (verified, in the log
 * role, inside their windows), without repeats. Two checkpoints contradict each other as
 * equivocation only when one of these keys signed both.
 */
export function logSigners(report: CheckpointReport): string[] {
  return [
    ...new Set(
      report.signatures
        .filter((s) => s.kind === 'log' && s.status === 'verified' && s.fingerprint !== undefined)
        .map((s) => s.fingerprint!),
    ),
  ];
}

/** Whether two signer lists share a key. */
export function shareSigner(a: readonly string[], b: readonly string[]): boolean {
  return a.some((fp) => b.includes(fp));
}

/**
 * The trusted roots seen so far, by size and with their log signers. Two checkpoints conflict
 * (CHECKPOINT_CONFLICT) when they have the same size, different roots and a log key in common:
 * equivocation needs one key behind both.
 */
export class RootsBySize {
  readonly #seen = new Map<number, Array<{ readonly root: Uint8Array; readonly signers: readonly string[] }>>();

  /** Records the checkpoint; returns the root of an earlier one it conflicts with, if any. */
  conflict(size: number, root: Uint8Array, report: CheckpointReport): Uint8Array | undefined {
    const signers = logSigners(report);
    let list = this.#seen.get(size);
    if (!list) this.#seen.set(size, (list = []));
    const prior = list.find((p) => !bytesEqual(p.root, root) && shareSigner(p.signers, signers));
    list.push({ root, signers });
    return prior?.root;
  }
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
  if (!note.ok)
    return malformed(`not a valid signed note: ${note.detail}`, {
      reason: note.reason,
      ...(note.line ? { line: note.line } : {}),
    });
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
    // The trusted keys this line's key ID names, as a log signature and as a cosignature: one
    // key-ID hash per key and type, whatever the roles turn out to be.
    const named = (type: number) => ctx.trusted.filter((k) => noteKeyId(sig.name, type, k.publicKey) === sig.keyId);
    const asEd25519 = named(NOTE_SIG_ED25519);
    const asCosigner = named(NOTE_SIG_COSIGNATURE_V1);
    const asLog = asEd25519.find((k) => hasRole(k, 'log'));
    if (asLog) {
      const ok = sig.signature.length === 64 && verify(asLog.publicKey, note.textBytes, sig.signature);
      signatures.push({
        name: sig.name,
        keyId: id,
        kind: 'log',
        status: ok ? 'verified' : 'failed',
        fingerprint: asLog.fingerprint,
      });
      if (ok) logVerified++;
      else {
        failedTrusted = true;
        findings.push(
          finding(
            'SIGNATURE_INVALID',
            loc,
            `signature line ${sig.line} by trusted key ${sig.name} does not verify; the checkpoint is rejected`,
            { fingerprint: asLog.fingerprint, line: sig.line },
          ),
        );
      }
      continue;
    }
    const asWitness = asCosigner.find((k) => hasRole(k, 'witness'));
    if (asWitness) {
      const r = verifyCosignatureSignature(asWitness.publicKey, note.textBytes, sig.signature, verify);
      if (r.ok) {
        signatures.push({
          name: sig.name,
          keyId: id,
          kind: 'cosignature',
          status: 'verified',
          fingerprint: asWitness.fingerprint,
          ...(r.timestamp !== undefined ? { time: r.timestamp } : {}),
        });
        findings.push(
          finding(
            'COSIGNATURE_VALID',
            loc,
            r.timestamp !== undefined
              ? `witness ${sig.name} cosigned this checkpoint at ${new Date(r.timestamp * 1000).toISOString()}`
              : `witness ${sig.name} cosigned this checkpoint with the timestamp ${r.timestampDecimal}, after the year 9999: it dates nothing`,
            { fingerprint: asWitness.fingerprint, time: r.timestamp ?? r.timestampDecimal },
          ),
        );
      } else {
        failedTrusted = true;
        signatures.push({
          name: sig.name,
          keyId: id,
          kind: 'cosignature',
          status: 'failed',
          fingerprint: asWitness.fingerprint,
        });
        findings.push(
          finding(
            'SIGNATURE_INVALID',
            loc,
            `cosignature line ${sig.line} by trusted witness ${sig.name} does not verify; the checkpoint is rejected`,
            { fingerprint: asWitness.fingerprint, line: sig.line },
          ),
        );
      }
      continue;
    }
    // A trusted key outside its role: not verified (nothing it signs here could count), reported.
    const wrong = asEd25519[0]
      ? { key: asEd25519[0], kind: 'log' as const, signedAs: 'log' as const }
      : asCosigner[0]
        ? { key: asCosigner[0], kind: 'cosignature' as const, signedAs: 'witness' as const }
        : undefined;
    if (wrong) {
      signatures.push({
        name: sig.name,
        keyId: id,
        kind: wrong.kind,
        status: 'wrong-role',
        fingerprint: wrong.key.fingerprint,
      });
      findings.push(
        finding(
          'KEY_WRONG_ROLE',
          loc,
          `${wrong.kind === 'log' ? 'signature' : 'cosignature'} line ${sig.line} (${sig.name}) is made as a ${wrong.signedAs} by key ${wrong.key.fingerprint.slice(0, 16)}…, which is trusted only as ${wrong.key.roles.join(', ')}; it is not counted`,
          {
            fingerprint: wrong.key.fingerprint,
            line: sig.line,
            signedAs: wrong.signedAs,
            trustedAs: wrong.key.roles.join(','),
          },
        ),
      );
      continue;
    }
    const shipped = ctx.bundleKeys.find(
      (pk) =>
        noteKeyId(sig.name, NOTE_SIG_ED25519, pk) === sig.keyId ||
        noteKeyId(sig.name, NOTE_SIG_COSIGNATURE_V1, pk) === sig.keyId,
    );
    signatures.push(
      shipped
        ? { name: sig.name, keyId: id, kind: 'unknown', status: 'bundle-key', fingerprint: keyFingerprint(shipped) }
        : { name: sig.name, keyId: id, kind: 'unknown', status: 'unknown-key' },
    );
  }

  if (origin !== ctx.origin) {
    findings.push(
      finding(
        'CHECKPOINT_ORIGIN_MISMATCH',
        loc,
        `checkpoint origin ${JSON.stringify(origin)} is not the bundle origin ${JSON.stringify(ctx.origin)}`,
        { expected: ctx.origin, actual: origin },
      ),
    );
    return { report: { ...base, status: 'rejected', rootStatus: 'not-checked', signatures }, findings };
  }
  if (failedTrusted)
    return { report: { ...base, status: 'rejected', rootStatus: 'not-checked', signatures }, findings };
  if (logVerified === 0) {
    const viaBundle = signatures.some((s) => s.status === 'bundle-key');
    findings.push(
      finding(
        'KEY_UNTRUSTED',
        loc,
        viaBundle
          ? 'the checkpoint is signed only by a key shipped in the bundle, which is not trusted'
          : 'the checkpoint carries no signature by a trusted log key',
        { signatures: signatures.length },
      ),
    );
    return { report: { ...base, status: 'untrusted', rootStatus: 'not-checked', signatures }, findings };
  }
  return {
    report: { ...base, status: 'trusted', rootStatus: 'not-checked', signatures },
    findings,
    trusted: { size, root: rootHash },
  };
}
