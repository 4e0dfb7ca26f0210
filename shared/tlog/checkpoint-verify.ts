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
import type { TrustedKey } from '../keys/trust.js';
import { type Finding, finding } from '../verdict/findings.js';
import type { CheckpointReport } from '../verdict/result.js';
import { parseCheckpointBody } from './checkpoint.js';
import { SignatureLines } from './checkpoint-signatures.js';
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

function malformed(file: string, message: string, evidence: Record<string, string | number>): CheckpointCheck {
  return {
    report: { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] },
    findings: [finding('CHECKPOINT_MALFORMED', { file }, message, evidence)],
  };
}

export function verifyCheckpointNote(file: string, bytes: Uint8Array, ctx: CheckpointContext): CheckpointCheck {
  const verify = ctx.verify ?? verifyEd25519;
  const note = parseNote(bytes);
  if (!note.ok)
    return malformed(file, `not a valid signed note: ${note.detail}`, {
      reason: note.reason,
      ...(note.line ? { line: note.line } : {}),
    });
  const body = parseCheckpointBody(note.text);
  if (!body.ok) return malformed(file, `not a valid tlog-checkpoint body: ${body.detail}`, { reason: body.reason });
  const { origin, size, rootHash } = body;
  const base = { file, origin, size, rootHash: toHex(rootHash) };
  const loc = { file, checkpointSize: size };
  const findings: Finding[] = [];
  const lines = new SignatureLines(ctx, verify, note.textBytes, loc, findings);
  for (const sig of note.signatures) lines.judge(sig);
  const { signatures } = lines;

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
  if (lines.failedTrusted)
    return { report: { ...base, status: 'rejected', rootStatus: 'not-checked', signatures }, findings };
  if (lines.logVerified === 0) {
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
