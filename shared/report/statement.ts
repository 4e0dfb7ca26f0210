/**
 * The in-toto Statement v1 layer (in-toto/attestation spec/v1/statement.md): binds a predicate
 * to the artifacts it is about (the subject, matched by digest) and names the predicate's type.
 * Generic over the predicate, so the verification report and the divergence (diff) report
 * share it.
 */
import { isObject, Problems, SHA256_HEX, type ValidationProblem } from './problems.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** A ResourceDescriptor (spec/v1/resource_descriptor.md) restricted to what subjects need here. */
export interface SubjectDescriptor {
  readonly name: string;
  /** Lowercase hex digests by algorithm; Proofdesk always sets sha256. */
  readonly digest: Readonly<Record<string, string>>;
}

export interface Statement<P> {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE;
  readonly subject: readonly SubjectDescriptor[];
  readonly predicateType: string;
  readonly predicate: P;
}

export function makeStatement<P>(
  subject: readonly SubjectDescriptor[],
  predicateType: string,
  predicate: P,
): Statement<P> {
  return { _type: IN_TOTO_STATEMENT_TYPE, subject, predicateType, predicate };
}

/**
 * Checks the Statement layer of untrusted JSON: `_type`, a non-empty subject whose entries
 * each carry a digest (statement.md: "Each element MUST have digest set"), unique names, a
 * predicateType URI and an object predicate. sha256 digests must be 64 lowercase hex digits.
 * Returns every problem with its JSON path; the predicate itself is checked by its own validator.
 */
export function checkStatement(v: unknown): readonly ValidationProblem[] {
  const p = new Problems();
  if (!isObject(v)) {
    p.add('$', 'statement is not a JSON object');
    return p.list;
  }
  if (v._type !== IN_TOTO_STATEMENT_TYPE) p.add('$._type', `_type must be ${IN_TOTO_STATEMENT_TYPE}`);
  if (!Array.isArray(v.subject) || v.subject.length === 0) p.add('$.subject', 'subject must be a non-empty array');
  else {
    const names = new Set<string>();
    v.subject.forEach((s: unknown, i) => {
      const path = `$.subject[${i}]`;
      if (!isObject(s)) {
        p.add(path, 'subject entry must be an object');
        return;
      }
      if (s.name !== undefined) {
        if (typeof s.name !== 'string') p.add(`${path}.name`, 'name must be a string');
        else if (names.has(s.name)) p.add(`${path}.name`, `duplicate subject name ${JSON.stringify(s.name)}`);
        else names.add(s.name);
      }
      if (!isObject(s.digest) || Object.keys(s.digest).length === 0)
        p.add(`${path}.digest`, 'digest must be a non-empty object');
      else {
        for (const [alg, value] of Object.entries(s.digest)) {
          if (typeof value !== 'string') p.add(`${path}.digest.${alg}`, 'digest value must be a string');
          else if (alg === 'sha256' && !SHA256_HEX.test(value))
            p.add(`${path}.digest.sha256`, 'sha256 must be 64 lowercase hex digits');
        }
      }
    });
  }
  if (typeof v.predicateType !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(v.predicateType))
    p.add('$.predicateType', 'predicateType must be a URI');
  if (!isObject(v.predicate)) p.add('$.predicate', 'predicate must be a JSON object');
  return p.list;
}
