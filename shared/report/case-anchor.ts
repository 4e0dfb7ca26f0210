/**
 * The case anchor of an attestation (docs/report-format.md §3.1, docs/case-file.md §7): when a
 * report is signed inside a case, the predicate carries the case id and the head of its
 * custody journal at signing time. The signature then anchors the whole journal up to that row
 * outside the case: anyone holding the report can check that the case they are shown still has
 * that row with that hash, so a journal rewritten afterwards (even with every hash recomputed)
 * is caught.
 *
 * The member is the same in every predicate that can be signed in a case (verification report,
 * divergence report): `predicate.case`. Pure: no I/O.
 */
import { tryDecodeUtf8 } from '../encoding/bytes.js';
import { parseEnvelope } from './dsse.js';
import { isObject, SHA256_HEX, type ValidationProblem } from './problems.js';
import { int, obj, opt, type Schema, str, validate } from './schema.js';

/** A case id as createCase writes it (RFC 9562 UUID, lowercase). */
const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CaseAnchor {
  /** The case's id (case_meta.case_id); the journal's genesis hash is derived from it. */
  readonly caseId: string;
  /** The case's own reference (case_meta.reference), when it has one. */
  readonly reference?: string;
  /** The run of the case the report is about. */
  readonly runId?: number;
  /** The last journal row when the report was signed: its seq and lowercase hex hash. */
  readonly journalHead: { readonly seq: number; readonly hash: string };
}

export const CASE_ANCHOR_SCHEMA: Schema = obj({
  caseId: str({ pattern: CASE_ID }),
  reference: opt(str({ maxLength: 1000 })),
  runId: opt(int({ min: 1 })),
  journalHead: obj({ seq: int({ min: 0 }), hash: str({ pattern: SHA256_HEX }) }),
});

/** Builds the anchor (drops a null reference and an absent run). */
export function caseAnchor(a: {
  caseId: string;
  reference?: string | null;
  runId?: number | undefined;
  journalHead: { seq: number; hash: string };
}): CaseAnchor {
  return {
    caseId: a.caseId,
    ...(a.reference !== undefined && a.reference !== null ? { reference: a.reference } : {}),
    ...(a.runId !== undefined ? { runId: a.runId } : {}),
    journalHead: { seq: a.journalHead.seq, hash: a.journalHead.hash },
  };
}

export type AttestedAnchor =
  | { readonly kind: 'anchor'; readonly predicateType: string; readonly anchor: CaseAnchor }
  /** A readable statement without `predicate.case`. */
  | { readonly kind: 'none'; readonly predicateType: string }
  /** Not a DSSE envelope holding a JSON statement, or a malformed `predicate.case`. */
  | { readonly kind: 'unreadable'; readonly problems: readonly ValidationProblem[] };

/**
 * Reads `predicate.case` from attestation file bytes (a DSSE envelope holding an in-toto
 * statement of any predicate type). Checks structure only, not the signature: the examiner's
 * key is needed for that (`proofdesk report verify`). Never throws for bad input.
 */
export function readAttestedAnchor(envelopeBytes: Uint8Array): AttestedAnchor {
  const env = parseEnvelope(envelopeBytes);
  if (!env.ok) return { kind: 'unreadable', problems: env.problems };
  const text = tryDecodeUtf8(env.payload);
  let v: unknown;
  try {
    if (text === undefined) throw new Error('not UTF-8');
    v = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', problems: [{ path: '$', message: 'the payload is not UTF-8 JSON' }] };
  }
  if (!isObject(v) || !isObject(v.predicate) || typeof v.predicateType !== 'string')
    return { kind: 'unreadable', problems: [{ path: '$', message: 'the payload is not an in-toto statement' }] };
  const predicateType = v.predicateType;
  const c = v.predicate.case;
  if (c === undefined) return { kind: 'none', predicateType };
  const problems = validate(c, CASE_ANCHOR_SCHEMA, '$.predicate.case');
  if (problems.length) return { kind: 'unreadable', problems };
  return { kind: 'anchor', predicateType, anchor: c as CaseAnchor };
}
