/** A signed note that is not a checkpoint: the signed-note rules, with Ed25519 log keys matched by key ID under each line's name. */
import { NOTE_SIG_ED25519, noteKeyId } from '../../../../shared/keys/keys.js';
import { hasRole } from '../../../../shared/keys/trust.js';
import {
  type NoteSignature,
  type NoteVerifier,
  type OpenedNote,
  openNote,
  type ParsedNote,
  parseNote,
} from '../../../../shared/tlog/note.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import type { CheckpointReport, SignatureReport } from '../../../../shared/verdict/result.js';
import type { AdapterOptions } from '../common.js';

type Verify = (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean;
type FingerprintedVerifier = NoteVerifier & { fingerprint: string };
type Judged = { report: CheckpointReport; findings: Finding[] };

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Judges a note that is not a checkpoint: the signed-note rules, with Ed25519 keys matched by key ID under each line's name. */
export function judgePlainNote(file: string, bytes: Uint8Array, a: AdapterOptions, verify: Verify): Judged {
  const parsed = parseNote(bytes);
  if (!parsed.ok) {
    const f = finding('CHECKPOINT_MALFORMED', { file }, `not a valid signed note: ${parsed.detail}`, {
      reason: parsed.reason,
      ...(parsed.line ? { line: parsed.line } : {}),
    });
    return { report: { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] }, findings: [f] };
  }
  const verifiers = verifiersFor(parsed, a, verify);
  const opened = openNote(bytes, [...verifiers.values()]);
  const byLine = unknownKeyLines(parsed.signatures);
  if (opened.ok) return { report: verifiedNote(file, opened, byLine), findings: [] };
  if (opened.reason === 'SIGNATURE_INVALID' && opened.signature)
    return rejectedNote(file, opened.signature, verifiers, byLine);
  const f = finding('KEY_UNTRUSTED', { file }, 'the note carries no signature by a trusted key', {
    signatures: parsed.signatures.length,
  });
  return { report: noteReport(file, 'untrusted', byLine), findings: [f] };
}

/** One verifier per (line name, trusted key): a key given without a name still binds the name through the key ID. */
function verifiersFor(parsed: ParsedNote, a: AdapterOptions, verify: Verify): Map<string, FingerprintedVerifier> {
  const verifiers = new Map<string, FingerprintedVerifier>();
  for (const s of parsed.signatures) {
    // A note signature (type 0x01) is a log key's, as for checkpoints.
    for (const k of a.trust.ed25519.filter((x) => hasRole(x, 'log'))) {
      const keyId = noteKeyId(s.name, NOTE_SIG_ED25519, k.publicKey);
      const id = `${keyId}:${s.name}`;
      if (!verifiers.has(id))
        verifiers.set(id, {
          name: s.name,
          keyId,
          fingerprint: k.fingerprint,
          verify: (m, sig) => sig.length === 64 && verify(k.publicKey, m, sig),
        });
    }
  }
  return verifiers;
}

/** Every signature line as by an unknown key, until a trusted key's verifier claims it. */
function unknownKeyLines(signatures: readonly NoteSignature[]): Map<number, SignatureReport> {
  const byLine = new Map<number, SignatureReport>();
  for (const s of signatures)
    byLine.set(s.line, { name: s.name, keyId: hex8(s.keyId), kind: 'unknown', status: 'unknown-key' });
  return byLine;
}

function noteReport(
  file: string,
  status: 'trusted' | 'rejected' | 'untrusted',
  byLine: ReadonlyMap<number, SignatureReport>,
): CheckpointReport {
  return { file, status, rootStatus: 'not-checked', signatures: [...byLine.values()] };
}

function verifiedNote(file: string, opened: OpenedNote, byLine: Map<number, SignatureReport>): CheckpointReport {
  for (const v of opened.verified)
    byLine.set(v.signature.line, {
      name: v.signature.name,
      keyId: hex8(v.signature.keyId),
      kind: 'log',
      status: 'verified',
      fingerprint: (v.verifier as FingerprintedVerifier).fingerprint,
    });
  return noteReport(file, 'trusted', byLine);
}

/** One trusted key's signature fails: the whole note is rejected (c2sp.org/signed-note). */
function rejectedNote(
  file: string,
  s: NoteSignature,
  verifiers: ReadonlyMap<string, FingerprintedVerifier>,
  byLine: Map<number, SignatureReport>,
): Judged {
  const v = verifiers.get(`${s.keyId}:${s.name}`);
  byLine.set(s.line, {
    name: s.name,
    keyId: hex8(s.keyId),
    kind: 'log',
    status: 'failed',
    ...(v ? { fingerprint: v.fingerprint } : {}),
  });
  const f = finding(
    'SIGNATURE_INVALID',
    { file },
    `signature line ${s.line} by trusted key ${s.name} does not verify; the note is rejected`,
    { line: s.line, ...(v ? { fingerprint: v.fingerprint } : {}) },
  );
  return { report: noteReport(file, 'rejected', byLine), findings: [f] };
}
