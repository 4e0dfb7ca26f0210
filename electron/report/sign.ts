/**
 * Signing with the examiner's key: DSSE attestations (any predicate, so the verification and
 * divergence reports share it) and detached signatures of report files.
 *
 * Ed25519 (RFC 8032) through node:crypto; every signature is verified again under the pinned
 * rule set before it is returned, so a fault during signing can never produce a report that
 * does not verify.
 */
import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { sha256 } from '../../shared/crypto/hash.js';
import { toHex, utf8 } from '../../shared/encoding/bytes.js';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { encodePkcs8Pem } from '../../shared/keys/keys.js';
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE, serializeEnvelope, signEnvelope } from '../../shared/report/dsse.js';
import type { ExaminerIdentity } from '../../shared/report/predicate.js';
import type { Statement } from '../../shared/report/statement.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { KeyIdentity } from '../keys/keyfile.js';
import { checkEd25519Node } from '../platform/ed25519-node.js';

/** An unlocked examiner key: what signing needs. Holds the secret seed; keep its lifetime short. */
export interface ExaminerKey {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly fingerprint: string;
  readonly identity: KeyIdentity;
}

export interface SignedAttestation<P> {
  /**
   * The statement as signed: parsed back from the canonical payload, so its members are in
   * canonical (sorted) order. Render from this, never from the object that was passed in: a
   * verifier only has the payload, and member order shows in the output (e.g. check counts).
   */
  readonly statement: Statement<P>;
  /** The signed body: RFC 8785 canonical JSON of the statement. */
  readonly payload: Uint8Array;
  readonly envelope: DsseEnvelope;
  /** The envelope file: canonical JSON and a line feed (serializeEnvelope). */
  readonly envelopeBytes: Uint8Array;
  /** Report ID: hex SHA-256 of the payload. */
  readonly reportId: string;
}

export function examinerIdentity(key: ExaminerKey): ExaminerIdentity {
  const id = key.identity;
  return {
    name: id.name,
    ...(id.organisation ? { organisation: id.organisation } : {}),
    ...(id.email ? { email: id.email } : {}),
    keyFingerprint: key.fingerprint,
  };
}

function privateKeyObject(key: ExaminerKey): KeyObject {
  return createPrivateKey(encodePkcs8Pem(key.seed));
}

function signChecked(key: ExaminerKey, k: KeyObject, message: Uint8Array): Uint8Array {
  const sig = new Uint8Array(cryptoSign(null, message, k));
  const check = checkEd25519Node(key.publicKey, message, sig);
  if (!check.ok)
    throw new ProofdeskError(
      'INTERNAL',
      `a fresh signature does not verify (${check.reason}): the key file's public key does not match its private key, or signing failed`,
    );
  return sig;
}

/** The report ID of a payload: hex SHA-256. */
export function reportIdOf(payload: Uint8Array): string {
  return toHex(sha256(payload));
}

/**
 * Signs an in-toto Statement: payload = canonical JSON of `statement`, envelope = DSSE with
 * payloadType application/vnd.in-toto+json, one Ed25519 signature, keyid = key fingerprint.
 * Requires: `statement` is I-JSON (canonicalJson throws INPUT_MALFORMED otherwise).
 */
export function signAttestation<P>(statement: Statement<P>, key: ExaminerKey): SignedAttestation<P> {
  const payload = utf8(canonicalJson(statement));
  const k = privateKeyObject(key);
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, (m) => signChecked(key, k, m), key.fingerprint);
  const signed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as Statement<P>;
  return {
    statement: signed,
    payload,
    envelope,
    envelopeBytes: serializeEnvelope(envelope),
    reportId: reportIdOf(payload),
  };
}

/**
 * A detached signature of `bytes`: the raw 64-byte Ed25519 signature (RFC 8032 §5.1.6), which
 * `openssl pkeyutl -verify -pubin -inkey <examiner PEM> -rawin -in <file> -sigfile <sig>` accepts.
 */
export function signDetached(bytes: Uint8Array, key: ExaminerKey): Uint8Array {
  return signChecked(key, privateKeyObject(key), bytes);
}
