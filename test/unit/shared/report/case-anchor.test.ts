/**
 * The case anchor of an attestation (shared/report/case-anchor.ts): building it, its schema, and
 * reading it back from envelope bytes of any predicate type — garbage and malformed anchors are
 * answers with paths, never exceptions.
 */
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { CASE_ANCHOR_SCHEMA, caseAnchor, readAttestedAnchor } from '../../../../shared/report/case-anchor.js';
import { validate } from '../../../../shared/report/schema.js';

const CASE_ID = '0b1e4db6-b7ca-42e3-84d9-ada1df0fc761';
const HEAD = { seq: 11, hash: '2e5986b08e7f3def8cb230e4400f643807bed8653ff85c1d00c209f75e5b6392' };

function envelope(statement: unknown): Uint8Array {
  return utf8(
    canonicalJson({
      payload: toBase64(utf8(JSON.stringify(statement))),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: toBase64(new Uint8Array(64)) }],
    }) + '\n',
  );
}

const statement = (predicate: Record<string, unknown>) => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'x', digest: { sha256: '00'.repeat(32) } }],
  predicateType: 'https://example.test/p',
  predicate,
});

describe('case anchor', () => {
  it('is built with only the members that have a value', () => {
    expect(caseAnchor({ caseId: CASE_ID, reference: null, journalHead: HEAD })).toEqual({
      caseId: CASE_ID,
      journalHead: HEAD,
    });
    expect(caseAnchor({ caseId: CASE_ID, reference: 'INC-7', runId: 3, journalHead: { ...HEAD } })).toEqual({
      caseId: CASE_ID,
      reference: 'INC-7',
      runId: 3,
      journalHead: HEAD,
    });
  });

  it('has a schema that names every bad member', () => {
    expect(validate(caseAnchor({ caseId: CASE_ID, runId: 1, journalHead: HEAD }), CASE_ANCHOR_SCHEMA)).toEqual([]);
    const bad = validate(
      { caseId: 'CASE', runId: 0, journalHead: { seq: -1, hash: HEAD.hash.toUpperCase() } },
      CASE_ANCHOR_SCHEMA,
    ).map((p) => p.path);
    expect(bad).toEqual(['$.caseId', '$.runId', '$.journalHead.seq', '$.journalHead.hash']);
  });

  it('is read back from an envelope of any predicate type', () => {
    const anchor = caseAnchor({ caseId: CASE_ID, reference: 'INC-7', runId: 2, journalHead: HEAD });
    expect(readAttestedAnchor(envelope(statement({ case: anchor })))).toEqual({
      kind: 'anchor',
      predicateType: 'https://example.test/p',
      anchor,
    });
    expect(readAttestedAnchor(envelope(statement({ verdict: 'IDENTICAL' })))).toEqual({
      kind: 'none',
      predicateType: 'https://example.test/p',
    });
  });

  it('answers garbage and malformed anchors with their problems', () => {
    const cases: Array<[Uint8Array, string]> = [
      [utf8('not json'), '$'],
      [utf8('{"payloadType":"application/vnd.in-toto+json"}\n'), '$.payload'],
      [envelope(['a statement', 'that is an array']), '$'],
      [
        utf8(
          canonicalJson({
            payload: toBase64(utf8('{no')),
            payloadType: 'x',
            signatures: [{ sig: toBase64(new Uint8Array(64)) }],
          }),
        ),
        '$',
      ],
      [
        envelope(statement({ case: { caseId: CASE_ID, journalHead: { seq: 1 } } })),
        '$.predicate.case.journalHead.hash',
      ],
    ];
    for (const [bytes, path] of cases) {
      const r = readAttestedAnchor(bytes);
      expect(r.kind).toBe('unreadable');
      if (r.kind === 'unreadable') expect(r.problems.map((p) => p.path)).toContain(path);
    }
  });
});
