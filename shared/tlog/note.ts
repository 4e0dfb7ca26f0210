/**
 * C2SP signed notes (https://c2sp.org/signed-note): parsing, opening against trusted
 * verifiers, and signing.
 *
 * A note is a text ending in a newline, one blank line, and one or more signature lines
 * `— <key name> <base64(key ID[4] || signature)>`. {@link parseNote} checks the format and
 * returns a reason for anything malformed; {@link openNote} applies the spec's trust rules.
 *
 * Format rules applied (signed-note "Format"), each with its reason code:
 *  - at most {@link MAX_NOTE_SIZE} bytes (`TOO_LARGE`) and {@link MAX_NOTE_SIGNATURES}
 *    signature lines (`TOO_MANY_SIGNATURES`);
 *  - valid UTF-8 (`INVALID_UTF8`) with no control character below U+0020 except newline
 *    (`CONTROL_CHARACTER`);
 *  - ends with a newline (`MISSING_FINAL_NEWLINE`); the signature block is everything after
 *    the last blank line, and must hold at least one line (`NO_SIGNATURE_BLOCK`);
 *  - the text has at least one non-newline character (`TEXT_EMPTY`) and exactly one blank
 *    line separates it from the signatures: a text that itself ends in a blank line is refused
 *    (`EXTRA_BLANK_LINE`; x/mod accepts it, but it is never produced by a signer that follows
 *    the spec, and refusing it keeps one reading of where the text ends);
 *  - every signature line starts with U+2014 and a space and has the form `name base64`
 *    (`SIGNATURE_LINE_MALFORMED`), with a valid key name (`KEY_NAME_INVALID`: non-empty, no
 *    Unicode spaces, no '+'), strict standard base64 (`SIGNATURE_BASE64_INVALID`; RFC 4648 §4
 *    with canonical padding bits, so one signature has one spelling) of at least 5 bytes
 *    (`SIGNATURE_TOO_SHORT`).
 *
 * Limits: the spec asks verifiers to cap signatures but accept at least 16; 100 is the
 * golang.org/x/mod limit. 1 MiB bounds the work on a hostile file while leaving room for
 * 100 post-quantum signatures (about 5 kB each) plus a checkpoint body.
 */

import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../crypto/ed25519.js';
import { concatBytes, readU32BE, toBase64, tryDecodeUtf8, tryFromBase64, utf8 } from '../encoding/bytes.js';
import { isValidNoteKeyName, NOTE_SIG_ED25519, noteKeyId, parseNoteVerifierKey } from '../keys/keys.js';
import { ProofdeskError } from '../verdict/errors.js';

/** Largest note accepted, in bytes (1 MiB). */
export const MAX_NOTE_SIZE = 1 << 20;
/** Most signature lines accepted in one note (as golang.org/x/mod/sumdb/note). */
export const MAX_NOTE_SIGNATURES = 100;
/** Every signature line starts with EM DASH U+2014 and a space (signed-note "Format"). */
const NOTE_SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSignature {
  readonly name: string;
  /** The key ID: the first 4 bytes of the decoded signature, big-endian. */
  readonly keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly signature: Uint8Array;
  /** 1-based line number of the signature line within the note. */
  readonly line: number;
}

export type NoteParseReason =
  | 'TOO_LARGE'
  | 'INVALID_UTF8'
  | 'CONTROL_CHARACTER'
  | 'MISSING_FINAL_NEWLINE'
  | 'NO_SIGNATURE_BLOCK'
  | 'TEXT_EMPTY'
  | 'EXTRA_BLANK_LINE'
  | 'SIGNATURE_LINE_MALFORMED'
  | 'KEY_NAME_INVALID'
  | 'SIGNATURE_BASE64_INVALID'
  | 'SIGNATURE_TOO_SHORT'
  | 'TOO_MANY_SIGNATURES';

export interface ParsedNote {
  readonly ok: true;
  /** The signed text, including its final newline, excluding the blank separator line. */
  readonly text: string;
  /** The exact bytes that the signatures sign. */
  readonly textBytes: Uint8Array;
  readonly signatures: readonly NoteSignature[];
}

export interface NoteFailure<R extends string> {
  readonly ok: false;
  readonly reason: R;
  /** Human-readable explanation (not for matching; match `reason`). */
  readonly detail: string;
  /** 1-based line of the problem, when there is one. */
  readonly line?: number;
}

export type NoteParseResult = ParsedNote | NoteFailure<NoteParseReason>;

function fail<R extends string>(reason: R, detail: string, line?: number): NoteFailure<R> {
  return line === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, line };
}

function lineOf(s: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Parses a signed note without verifying anything. Total: returns a reason for malformed
 * input instead of throwing. c2sp.org/signed-note "Format".
 */
export function parseNote(bytes: Uint8Array): NoteParseResult {
  if (bytes.length > MAX_NOTE_SIZE) return fail('TOO_LARGE', `note is larger than ${MAX_NOTE_SIZE} bytes`);
  const s = tryDecodeUtf8(bytes);
  if (s === undefined) return fail('INVALID_UTF8', 'note is not valid UTF-8');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 10)
      return fail('CONTROL_CHARACTER', `control character U+${c.toString(16).padStart(4, '0')}`, lineOf(s, i));
  }
  if (!s.endsWith('\n')) return fail('MISSING_FINAL_NEWLINE', 'note does not end with a newline');
  // The text is separated from the signatures by the last blank line (signed-note "Format").
  const split = s.lastIndexOf('\n\n');
  if (split < 0) return fail('NO_SIGNATURE_BLOCK', 'no blank line before a signature block');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block === '') return fail('NO_SIGNATURE_BLOCK', 'no signature lines after the blank line');
  if (!/[^\n]/.test(text)) return fail('TEXT_EMPTY', 'the note text is empty');
  if (text.endsWith('\n\n'))
    return fail('EXTRA_BLANK_LINE', 'more than one blank line before the signature block', lineOf(s, split));

  const lines = block.slice(0, -1).split('\n');
  const firstLine = lineOf(s, split) + 2;
  if (lines.length > MAX_NOTE_SIGNATURES) {
    return fail('TOO_MANY_SIGNATURES', `more than ${MAX_NOTE_SIGNATURES} signatures`, firstLine + MAX_NOTE_SIGNATURES);
  }
  const signatures: NoteSignature[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const line = firstLine + i;
    if (!l.startsWith(NOTE_SIGNATURE_PREFIX))
      return fail('SIGNATURE_LINE_MALFORMED', 'a signature line must start with "— "', line);
    const rest = l.slice(NOTE_SIGNATURE_PREFIX.length);
    const sp = rest.indexOf(' ');
    if (sp < 0) return fail('SIGNATURE_LINE_MALFORMED', 'a signature line must be "— <name> <base64>"', line);
    const name = rest.slice(0, sp);
    if (!isValidNoteKeyName(name)) return fail('KEY_NAME_INVALID', 'invalid key name in signature line', line);
    const raw = tryFromBase64(rest.slice(sp + 1));
    if (raw === undefined) return fail('SIGNATURE_BASE64_INVALID', 'signature is not valid standard base64', line);
    if (raw.length < 5) return fail('SIGNATURE_TOO_SHORT', 'signature is shorter than a key ID plus one byte', line);
    signatures.push({ name, keyId: readU32BE(raw, 0), signature: raw.slice(4), line });
  }
  return { ok: true, text, textBytes: utf8(text), signatures };
}

// ── verifiers and opening ────────────────────────────────────────────────────────────────

/** A trusted key, identified in notes by (name, keyId). c2sp.org/signed-note "Signatures". */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Whether `signature` (without the key ID) is valid for `message` (the note text bytes). */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Ed25519 verifier function; shared/ed25519 verifyEd25519 or the node:crypto fast path. */
export type Ed25519VerifyFn = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface Ed25519NoteVerifier extends NoteVerifier {
  readonly sigType: typeof NOTE_SIG_ED25519;
  readonly publicKey: Uint8Array;
}

/**
 * A verifier for Ed25519 note signatures (type 0x01) by `publicKey` under `name`; the key ID
 * is SHA-256(name || 0x0A || 0x01 || key)[:4]. `verify` defaults to the @noble path; pass
 * the node:crypto one in the engine (same verdicts, faster).
 * Throws ProofdeskError('USAGE') for an invalid name, KEY_INVALID for a key not of 32 bytes.
 */
export function ed25519NoteVerifier(
  name: string,
  publicKey: Uint8Array,
  verify: Ed25519VerifyFn = verifyEd25519,
): Ed25519NoteVerifier {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid note key name');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new ProofdeskError('KEY_INVALID', 'an Ed25519 public key must be 32 bytes', { reason: 'RAW_LENGTH' });
  }
  const key = publicKey.slice();
  return {
    name,
    keyId: noteKeyId(name, NOTE_SIG_ED25519, key),
    sigType: NOTE_SIG_ED25519,
    publicKey: key,
    verify: (message, signature) => verify(key, message, signature),
  };
}

/**
 * A verifier from a C2SP verifier key `<name>+<key ID>+<base64(0x01 || key)>`.
 * Throws ProofdeskError('KEY_INVALID') for a malformed vkey, and with reason
 * 'VKEY_WRONG_TYPE' for a cosignature (0x04) vkey (use cosignatureVerifierFromVkey).
 */
export function noteVerifierFromVkey(vkey: string, verify: Ed25519VerifyFn = verifyEd25519): Ed25519NoteVerifier {
  const k = parseNoteVerifierKey(vkey);
  if (k.noteSigType !== NOTE_SIG_ED25519) {
    throw new ProofdeskError('KEY_INVALID', 'not an Ed25519 note verifier key (type 0x01)', {
      reason: 'VKEY_WRONG_TYPE',
      sigType: k.noteSigType!,
    });
  }
  return ed25519NoteVerifier(k.name!, k.publicKey, verify);
}

export type NoteOpenReason = NoteParseReason | 'SIGNATURE_INVALID' | 'NO_VERIFIED_SIGNATURE';

export interface VerifiedSignature {
  readonly signature: NoteSignature;
  readonly verifier: NoteVerifier;
}

export interface OpenedNote {
  readonly ok: true;
  readonly text: string;
  readonly textBytes: Uint8Array;
  readonly signatures: readonly NoteSignature[];
  /** Signatures by known keys, all of which verified. */
  readonly verified: readonly VerifiedSignature[];
  /** The distinct verifiers that verified at least one signature, in note order. */
  readonly verifiedBy: readonly NoteVerifier[];
  /** Signatures from unknown (name, key ID) pairs: ignored, as the spec requires. */
  readonly unknown: readonly NoteSignature[];
}

export interface NoteOpenFailure extends NoteFailure<NoteOpenReason> {
  /** For SIGNATURE_INVALID: the signature by a known key that failed. */
  readonly signature?: NoteSignature;
  /** Signatures from unknown keys, when the note parsed. */
  readonly unknown?: readonly NoteSignature[];
}

export type NoteOpenResult = OpenedNote | NoteOpenFailure;

function verifierKey(name: string, keyId: number): string {
  return `${keyId >>> 0}:${name}`;
}

/**
 * Parses a note and checks it against trusted verifiers (c2sp.org/signed-note "Signatures"):
 * signatures whose (name, key ID) matches no verifier are ignored and listed as `unknown`;
 * every signature by a known key must verify, otherwise the whole note is rejected
 * (`SIGNATURE_INVALID`, naming the signature); a note with no verified known signature is
 * rejected (`NO_VERIFIED_SIGNATURE`). Every signature line by a known key is checked, not
 * only the first per key.
 * Requires distinct (name, keyId) among `verifiers`; throws ProofdeskError('USAGE') otherwise.
 */
export function openNote(bytes: Uint8Array, verifiers: readonly NoteVerifier[]): NoteOpenResult {
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const k = verifierKey(v.name, v.keyId);
    if (known.has(k)) throw new ProofdeskError('USAGE', `two trusted verifiers share the name and key ID ${v.name}`);
    known.set(k, v);
  }
  const parsed = parseNote(bytes);
  if (!parsed.ok) return parsed;
  const verified: VerifiedSignature[] = [];
  const verifiedBy: NoteVerifier[] = [];
  const unknown: NoteSignature[] = [];
  for (const sig of parsed.signatures) {
    const v = known.get(verifierKey(sig.name, sig.keyId));
    if (v === undefined) {
      unknown.push(sig);
      continue;
    }
    if (!v.verify(parsed.textBytes, sig.signature)) {
      return {
        ok: false,
        reason: 'SIGNATURE_INVALID',
        detail: `signature by known key ${sig.name} does not verify`,
        line: sig.line,
        signature: sig,
        unknown,
      };
    }
    verified.push({ signature: sig, verifier: v });
    if (!verifiedBy.includes(v)) verifiedBy.push(v);
  }
  if (verified.length === 0) {
    return { ok: false, reason: 'NO_VERIFIED_SIGNATURE', detail: 'no signature by a trusted key', unknown };
  }
  return {
    ok: true,
    text: parsed.text,
    textBytes: parsed.textBytes,
    signatures: parsed.signatures,
    verified,
    verifiedBy,
    unknown,
  };
}

// ── signing ──────────────────────────────────────────────────────────────────────────────

/** Produces note signatures for one key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** Signs the note text bytes; returns the signature without the key ID. */
  sign(message: Uint8Array): Uint8Array;
}

/** An Ed25519 note signer (type 0x01) for a 32-byte private key seed. */
export function ed25519NoteSigner(name: string, seed: Uint8Array): NoteSigner {
  if (!isValidNoteKeyName(name)) throw new ProofdeskError('USAGE', 'invalid note key name');
  const key = seed.slice();
  return { name, keyId: noteKeyId(name, NOTE_SIG_ED25519, publicKeyFromSeed(key)), sign: (m) => signEd25519(key, m) };
}

/**
 * Serializes a note from its text and signatures: text, blank line, one signature line each.
 * The result is checked with parseNote; throws ProofdeskError('USAGE', ...) with the reason
 * in `detail.reason` if it would not be a valid note (e.g. the text lacks its final newline).
 */
export function formatNote(
  text: string,
  signatures: readonly { readonly name: string; readonly keyId: number; readonly signature: Uint8Array }[],
): Uint8Array {
  let out = text + '\n';
  for (const s of signatures) {
    const id = new Uint8Array(4);
    new DataView(id.buffer).setUint32(0, s.keyId >>> 0, false);
    out += `${NOTE_SIGNATURE_PREFIX}${s.name} ${toBase64(concatBytes(id, s.signature))}\n`;
  }
  const bytes = utf8(out);
  const check = parseNote(bytes);
  if (!check.ok)
    throw new ProofdeskError('USAGE', `cannot form a valid note: ${check.detail}`, { reason: check.reason });
  if (check.text !== text)
    throw new ProofdeskError('USAGE', 'the note text must end with exactly one newline', {
      reason: 'EXTRA_BLANK_LINE',
    });
  return bytes;
}

/**
 * Signs `text` (which must end in a newline and be a valid note text) with each signer, in
 * order, and returns the note bytes. Signers are `{ name, seed }` for Ed25519 (type 0x01) or
 * any {@link NoteSigner} (e.g. a cosignature signer). Deterministic for Ed25519; matches
 * golang.org/x/mod/sumdb/note Sign byte for byte.
 */
export function signNote(
  text: string,
  signers: readonly ({ readonly name: string; readonly seed: Uint8Array } | NoteSigner)[],
): Uint8Array {
  const message = utf8(text);
  const sigs = signers.map((s) => {
    const signer = 'sign' in s ? s : ed25519NoteSigner(s.name, s.seed);
    return { name: signer.name, keyId: signer.keyId, signature: signer.sign(message) };
  });
  return formatNote(text, sigs);
}
