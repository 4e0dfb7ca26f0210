/**
 * DSSE, the Dead Simple Signing Envelope (secure-systems-lab/dsse, protocol.md and envelope.md,
 * v1.0.0): the signature layer of an in-toto attestation.
 *
 * A signature is Sign(PAE(UTF8(payloadType), payload)); the JSON envelope carries the payload
 * and the signatures in base64. Proofdesk signs with Ed25519 under ED25519_RULESET and sets
 * `keyid` to the signer's key fingerprint (docs/bundle-format.md §8). keyid is an unauthenticated
 * hint (protocol.md "KEYID"): verification never relies on it, it only tries the given key.
 *
 * Pure: signing and verifying take the Ed25519 functions as parameters, so the node:crypto fast
 * path and the pure path apply the same pinned rules.
 */

import type { Ed25519Verdict } from '../crypto/ed25519.js';
import { concatBytes, toBase64, tryDecodeUtf8, tryFromBase64, utf8 } from '../encoding/bytes.js';
import { canonicalJson } from '../encoding/jcs.js';
import type { ValidationProblem } from './problems.js';

/** protocol.md "PAE": the ASCII prefix of every pre-authentication encoding. */
const DSSE_PAE_PREFIX = 'DSSEv1';
/** The payload type of an in-toto Statement in a DSSE envelope (in-toto spec/v1/envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Largest envelope Proofdesk parses: ample for a full verification result, bounded against hostile input. */
export const MAX_ENVELOPE_BYTES = 256 * 1024 * 1024;

export interface DsseSignature {
  /** Unauthenticated hint: Proofdesk writes the signer's key fingerprint. */
  readonly keyid?: string;
  /** base64 of the signature bytes. */
  readonly sig: string;
}

export interface DsseEnvelope {
  /** base64 of the serialized body. */
  readonly payload: string;
  readonly payloadType: string;
  readonly signatures: readonly DsseSignature[];
}

/**
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is the ASCII
 * decimal byte length without leading zeros (protocol.md "Functions").
 */
export function dssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concatBytes(utf8(`${DSSE_PAE_PREFIX} ${type.length} `), type, utf8(` ${payload.length} `), payload);
}

/**
 * Decodes a DSSE base64 field. protocol.md: "Either standard or URL-safe base64 encodings are
 * allowed ... verifiers MUST accept either." Standard base64 must be canonical and padded (as
 * bytes.ts requires everywhere); URL-safe base64 may omit its padding. Returns undefined for
 * anything else. Mixing both alphabets in one value is refused.
 */
export function decodeDsseBase64(s: string): Uint8Array | undefined {
  if (!/[-_]/.test(s)) return tryFromBase64(s);
  if (/[+/]/.test(s)) return undefined;
  let std = s.replace(/-/g, '+').replace(/_/g, '/');
  if (!std.endsWith('=')) std += '='.repeat((4 - (std.length % 4)) % 4);
  return tryFromBase64(std);
}

export type Ed25519Signer = (message: Uint8Array) => Uint8Array;
export type Ed25519Checker = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Ed25519Verdict;

/** Builds a one-signature envelope over `payload`. */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  sign: Ed25519Signer,
  keyid?: string,
): DsseEnvelope {
  const sig = sign(dssePae(payloadType, payload));
  return {
    payload: toBase64(payload),
    payloadType,
    signatures: [keyid === undefined ? { sig: toBase64(sig) } : { keyid, sig: toBase64(sig) }],
  };
}

/**
 * The bytes of an envelope file: RFC 8785 canonical JSON and one line feed. One envelope has
 * exactly one serialisation, so a PDF that embeds it can be re-rendered byte for byte.
 */
export function serializeEnvelope(env: DsseEnvelope): Uint8Array {
  return utf8(canonicalJson(env) + '\n');
}

export type ParsedEnvelope =
  | { readonly ok: true; readonly envelope: DsseEnvelope; readonly payload: Uint8Array }
  | { readonly ok: false; readonly problems: readonly ValidationProblem[] };

/**
 * Parses envelope bytes (untrusted). Collects every structural problem with its JSON path
 * instead of stopping at the first; never throws for bad input.
 */
export function parseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  if (bytes.length > MAX_ENVELOPE_BYTES)
    return { ok: false, problems: [{ path: '$', message: `envelope is larger than ${MAX_ENVELOPE_BYTES} bytes` }] };
  const text = tryDecodeUtf8(bytes);
  if (text === undefined) return { ok: false, problems: [{ path: '$', message: 'envelope is not valid UTF-8' }] };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ path: '$', message: 'envelope is not valid JSON' }] };
  }
  return checkEnvelope(v);
}

/** Narrows an already-parsed JSON value to a DSSE envelope; see {@link parseEnvelope}. */
function checkEnvelope(v: unknown): ParsedEnvelope {
  const problems: ValidationProblem[] = [];
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { ok: false, problems: [{ path: '$', message: 'envelope is not a JSON object' }] };
  const o = v as Record<string, unknown>;
  let payload: Uint8Array | undefined;
  if (typeof o.payload !== 'string') problems.push({ path: '$.payload', message: 'payload must be a base64 string' });
  else {
    payload = decodeDsseBase64(o.payload);
    if (!payload) problems.push({ path: '$.payload', message: 'payload is not valid base64' });
  }
  if (typeof o.payloadType !== 'string' || o.payloadType === '')
    problems.push({ path: '$.payloadType', message: 'payloadType must be a non-empty string' });
  const sigs: DsseSignature[] = [];
  if (!Array.isArray(o.signatures) || o.signatures.length === 0)
    problems.push({ path: '$.signatures', message: 'signatures must be a non-empty array' });
  else {
    o.signatures.forEach((s: unknown, i) => {
      const p = `$.signatures[${i}]`;
      if (typeof s !== 'object' || s === null || Array.isArray(s)) {
        problems.push({ path: p, message: 'signature entry must be an object' });
        return;
      }
      const so = s as Record<string, unknown>;
      if (typeof so.sig !== 'string' || decodeDsseBase64(so.sig) === undefined)
        problems.push({ path: `${p}.sig`, message: 'sig must be a base64 string' });
      if (so.keyid !== undefined && typeof so.keyid !== 'string')
        problems.push({ path: `${p}.keyid`, message: 'keyid must be a string when present' });
      if (typeof so.sig === 'string')
        sigs.push(typeof so.keyid === 'string' ? { keyid: so.keyid, sig: so.sig } : { sig: so.sig });
    });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    envelope: { payload: o.payload as string, payloadType: o.payloadType as string, signatures: sigs },
    payload: payload!,
  };
}

export type EnvelopeSignatureCheck =
  | { readonly ok: true; readonly index: number }
  | {
      readonly ok: false;
      readonly reason: 'NO_VALID_SIGNATURE';
      readonly tried: number;
      readonly failures: readonly Ed25519Verdict[];
    };

/**
 * Verifies that at least one signature of the envelope is a valid Ed25519 signature by
 * `publicKey` over PAE(payloadType, payload) (protocol.md "To verify", t = 1). Every signature
 * is tried, regardless of its keyid hint.
 */
export function verifyEnvelopeSignature(
  env: DsseEnvelope,
  payload: Uint8Array,
  publicKey: Uint8Array,
  check: Ed25519Checker,
): EnvelopeSignatureCheck {
  const pae = dssePae(env.payloadType, payload);
  const failures: Ed25519Verdict[] = [];
  for (let i = 0; i < env.signatures.length; i++) {
    const sig = decodeDsseBase64(env.signatures[i]!.sig);
    if (!sig) {
      failures.push({ ok: false, reason: 'SIG_LENGTH' });
      continue;
    }
    const v = check(publicKey, pae, sig);
    if (v.ok) return { ok: true, index: i };
    failures.push(v);
  }
  return { ok: false, reason: 'NO_VALID_SIGNATURE', tried: env.signatures.length, failures };
}
