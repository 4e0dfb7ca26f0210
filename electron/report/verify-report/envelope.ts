/**
 * Steps 3, 4 and 5 of `report verify`: the envelope is DSSE with the in-toto payload type, a
 * signature verifies with the examiner key, and the payload is a canonical, well-formed
 * verification statement that names that key.
 */
import { tryDecodeUtf8 } from '../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../shared/encoding/jcs.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  parseEnvelope,
  serializeEnvelope,
  verifyEnvelopeSignature,
} from '../../../shared/report/dsse.js';
import { checkVerificationStatement, type VerificationStatement } from '../../../shared/report/predicate.js';
import { checkEd25519Node } from '../../platform/ed25519-node.js';
import type { Add, ReportChecks } from './checks.js';

/** What the envelope gave: each part only as far as the checks got. */
export interface SignedAttestation {
  /** The statement, when the signature verifies and the payload is a valid statement naming the key. */
  readonly statement: VerificationStatement | undefined;
  /** The payload and the envelope re-serialized, when the signature verifies. */
  readonly payload: Uint8Array | undefined;
  readonly canonicalEnvelope: Uint8Array | undefined;
  /** Who the envelope says signed it, read only when the key given does not verify it. */
  readonly claimedSigners: string[] | undefined;
}

export const NO_ATTESTATION: SignedAttestation = {
  statement: undefined,
  payload: undefined,
  canonicalEnvelope: undefined,
  claimedSigners: undefined,
};

/** `file`: where the envelope is, as findings name it. */
export function checkEnvelope(
  r: ReportChecks,
  envelopeBytes: Uint8Array,
  file: string,
  examinerKey: Uint8Array,
  keyFp: string,
): SignedAttestation {
  const env = parseEnvelope(envelopeBytes);
  if (!env.ok) {
    r.checks.set('envelope', 'fail');
    for (const p of env.problems) r.add('ATTESTATION_MALFORMED', { file, path: p.path }, p.message);
    return NO_ATTESTATION;
  }
  if (env.envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    r.checks.set('envelope', 'fail');
    r.add(
      'ATTESTATION_MALFORMED',
      { file, path: '$.payloadType' },
      `payloadType is ${JSON.stringify(env.envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`,
    );
    return NO_ATTESTATION;
  }
  r.checks.set('envelope', 'pass');
  const sig = verifyEnvelopeSignature(env.envelope, env.payload, examinerKey, checkEd25519Node);
  r.checks.set('dsse-signature', sig.ok ? 'pass' : 'fail');
  if (!sig.ok) {
    const claimedSigners = claimedSignerKeys(env.envelope.signatures, env.payload);
    r.add(
      'ATTESTATION_SIGNATURE_INVALID',
      { file, path: '$.signatures' },
      `none of the ${sig.tried} signatures verifies with key ${keyFp.slice(0, 16)}…`,
      { tried: sig.tried, reasons: sig.failures.map((f) => (f.ok ? 'ok' : f.reason)).join(',') },
    );
    return { ...NO_ATTESTATION, claimedSigners };
  }
  const canonicalEnvelope = serializeEnvelope(env.envelope);
  const statement = checkPayload(env.payload, file, keyFp, r.add);
  r.checks.set('statement', statement ? 'pass' : 'fail');
  return { statement, payload: env.payload, canonicalEnvelope, claimedSigners: undefined };
}

/**
 * The examiner keys an envelope names without proving it: each signature's keyid (Proofdesk
 * sets it to the key's fingerprint) and the statement's examiner.keyFingerprint. Hints only,
 * for saying which key to ask for; never used to accept a report.
 */
function claimedSignerKeys(signatures: ReadonlyArray<{ readonly keyid?: string }>, payload: Uint8Array): string[] {
  const out = new Set<string>();
  for (const s of signatures) if (s.keyid !== undefined && /^[0-9a-f]{64}$/.test(s.keyid)) out.add(s.keyid);
  try {
    const text = tryDecodeUtf8(payload);
    const v =
      text === undefined
        ? undefined
        : (JSON.parse(text) as { predicate?: { examiner?: { keyFingerprint?: unknown } } });
    const fp = v?.predicate?.examiner?.keyFingerprint;
    if (typeof fp === 'string' && /^[0-9a-f]{64}$/.test(fp)) out.add(fp);
  } catch {
    // An unreadable payload names no one.
  }
  return [...out];
}

/** The payload must be UTF-8, canonical JSON (RFC 8785), a valid verification statement, and name the signing key. */
function checkPayload(payload: Uint8Array, file: string, keyFp: string, add: Add): VerificationStatement | undefined {
  const text = tryDecodeUtf8(payload);
  let v: unknown;
  try {
    if (text === undefined) throw new Error('not UTF-8');
    v = JSON.parse(text);
  } catch {
    add('ATTESTATION_MALFORMED', { file, path: '$' }, 'the payload is not UTF-8 JSON');
    return undefined;
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(v);
  } catch {
    canonical = undefined;
  }
  if (canonical !== text) {
    add('ATTESTATION_MALFORMED', { file, path: '$' }, 'the payload is not in RFC 8785 canonical form');
    return undefined;
  }
  const problems = checkVerificationStatement(v);
  for (const p of problems) add('ATTESTATION_MALFORMED', { file, path: p.path }, p.message);
  if (problems.length) return undefined;
  const s = v as VerificationStatement;
  if (s.predicate.examiner.keyFingerprint !== keyFp) {
    add(
      'ATTESTATION_KEY_MISMATCH',
      { file, path: '$.predicate.examiner.keyFingerprint' },
      'the attestation names another examiner key than the one that signed it',
      { expected: keyFp, actual: s.predicate.examiner.keyFingerprint },
    );
    return undefined;
  }
  return s;
}
