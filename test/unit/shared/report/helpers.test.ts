/**
 * The building blocks of signed reports (shared/report/): the declarative schema checker and its
 * problem list, the in-toto Statement constructor, locale-free text helpers, the predicate's
 * verifier id and time format, the envelope size bound and the attachment name, each checked
 * against the document or standard that defines it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
} from '../../../../shared/report/dsse.js';
import { buildVerificationStatement, unixToRfc3339, VERIFIER_ID } from '../../../../shared/report/predicate.js';
import { isObject, Problems, RFC3339_UTC, SHA256_HEX } from '../../../../shared/report/problems.js';
import { arr, checkSchema, int, obj, opt, type Schema, str, validate } from '../../../../shared/report/schema.js';
import { checkStatement, IN_TOTO_STATEMENT_TYPE, makeStatement } from '../../../../shared/report/statement.js';
import { csvRow, evidencePairs, plural } from '../../../../shared/report/text.js';
import { ATTESTATION_ATTACHMENT, verificationReportDocument } from '../../../../shared/report/verification-document.js';
import { finding } from '../../../../shared/verdict/findings.js';
import { buildFormatResult } from '../../../../shared/verdict/format-result.js';
import { REPO_ROOT } from '../../../support/vectors.js';

const reportDoc = readFileSync(join(REPO_ROOT, 'docs', 'report-format.md'), 'utf8');

describe('Problems, isObject and the two patterns', () => {
  it('Problems collects problems in order and is ok only when empty', () => {
    const p = new Problems();
    expect([p.ok, p.list]).toEqual([true, []]);
    p.add('$.a', 'one');
    p.add('$.b[0]', 'two');
    expect([p.ok, p.list]).toEqual([
      false,
      [
        { path: '$.a', message: 'one' },
        { path: '$.b[0]', message: 'two' },
      ],
    ]);
  });

  it('isObject is true for plain objects only', () => {
    expect([{}, { a: 1 }, Object.create(null)].map(isObject)).toEqual([true, true, true]);
    expect([null, undefined, [], 'x', 1, true].map(isObject)).toEqual([false, false, false, false, false, false]);
  });

  it('SHA256_HEX matches exactly the lowercase hex that toHex writes for a SHA-256', () => {
    const h = toHex(sha256(utf8('proofdesk')));
    expect(SHA256_HEX.test(h)).toBe(true);
    for (const bad of [h.toUpperCase(), h.slice(1), `${h}0`, `${h.slice(1)}g`, ` ${h.slice(1)}`, ''])
      expect(SHA256_HEX.test(bad), bad).toBe(false);
  });

  it('RFC3339_UTC matches what Date#toISOString writes and nothing with an offset or another shape', () => {
    for (const t of [0, 1, 1_767_225_600_123, -1]) expect(RFC3339_UTC.test(new Date(t).toISOString())).toBe(true);
    for (const ok of ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.123456789Z'])
      expect(RFC3339_UTC.test(ok), ok).toBe(true);
    for (const bad of [
      '2026-01-01T00:00:00+00:00',
      '2026-01-01 00:00:00Z',
      '2026-01-01t00:00:00z',
      '2026-01-01T00:00Z',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00.1234567890Z',
      '2026-01-01T00:00:00Z\n',
    ]) {
      expect(RFC3339_UTC.test(bad), bad).toBe(false);
    }
  });
});

describe('the schema checker', () => {
  const at = (v: unknown, s: Schema) => validate(v, s).map((p) => p.path);

  it('builders make the schema nodes they name', () => {
    expect(str({ maxLength: 3 })).toEqual({ t: 'string', maxLength: 3 });
    expect(int({ min: 1 })).toEqual({ t: 'int', min: 1 });
    expect(obj({ a: str() })).toEqual({ t: 'object', props: { a: { t: 'string' } } });
    expect(arr(int(), { maxItems: 2 })).toEqual({ t: 'array', items: { t: 'int' }, maxItems: 2 });
    expect(opt(str())).toEqual({ t: 'string', optional: true });
  });

  it('strings: type, then length, then the allowed values, then the pattern; one problem each', () => {
    const s = str({ maxLength: 5, oneOf: ['ab', 'abc', 'zzzzz'], pattern: /^a/ });
    expect(at('abc', s)).toEqual([]);
    for (const bad of [1, null, undefined, ['ab'], 'abcdef', 'b', 'zzzzz'])
      expect(at(bad, s), String(bad)).toEqual(['$']);
  });

  it('integers must be safe integers in range; numbers finite; booleans, constants and scalars exact', () => {
    const i = int({ min: 1, max: 10 });
    expect([1, 10].map((v) => at(v, i))).toEqual([[], []]);
    for (const bad of [0, 11, 1.5, 2 ** 53, Number.NaN, '5', null]) expect(at(bad, i), String(bad)).toEqual(['$']);
    expect(at(-0.5, { t: 'number' })).toEqual([]);
    for (const bad of [Infinity, Number.NaN, '1']) expect(at(bad, { t: 'number' })).toEqual(['$']);
    expect([at(false, { t: 'bool' }), at(0, { t: 'bool' })]).toEqual([[], ['$']]);
    expect([
      at('x', { t: 'const', value: 'x' }),
      at('y', { t: 'const', value: 'x' }),
      at(1, { t: 'const', value: true }),
    ]).toEqual([[], ['$'], ['$']]);
    expect([null, 's', 1, false].map((v) => at(v, { t: 'scalar' }))).toEqual([[], [], [], []]);
    expect([{}, [], Infinity, undefined].map((v) => at(v, { t: 'scalar' }))).toEqual([['$'], ['$'], ['$'], ['$']]);
  });

  it('objects: every missing required member by path, optional members may be absent, unknown members are ignored', () => {
    const s = obj({ a: str(), b: opt(int()), c: obj({ d: int() }) });
    expect(at({ a: 'x', c: { d: 1 }, extra: [1, 2] }, s)).toEqual([]);
    expect(at({}, s)).toEqual(['$.a', '$.c']);
    expect(at({ a: 1, b: 'x', c: { d: 'y' } }, s)).toEqual(['$.a', '$.b', '$.c.d']);
    expect(at([], s)).toEqual(['$']);
    // Only own members count: a member inherited from the prototype is missing.
    expect(at(Object.create({ a: 'x', c: { d: 1 } }), s)).toEqual(['$.a', '$.c']);
    expect(at(JSON.parse('{"a":"x","c":{"d":1},"__proto__":{"a":1}}'), s)).toEqual([]);
  });

  it('records check keys and values; tuples their length and items; arrays their bounds and items by index', () => {
    const rec: Schema = { t: 'record', values: int(), keys: /^[A-Z]+$/ };
    expect(at({ A: 1, B: 2 }, rec)).toEqual([]);
    expect(at({ A: 'x', b: 1 }, rec)).toEqual(['$.A', '$.b']);
    const tup: Schema = { t: 'tuple', items: [int(), str()] };
    expect([at([1, 'a'], tup), at([1], tup), at(['a', 1], tup)]).toEqual([[], ['$'], ['$[0]', '$[1]']]);
    const a = arr(obj({ n: int() }), { minItems: 1, maxItems: 3 });
    expect(at([{ n: 1 }, { n: 'x' }, {}], a)).toEqual(['$[1].n', '$[2].n']);
    expect([at([], a), at([{ n: 1 }, { n: 1 }, { n: 1 }, { n: 1 }], a), at({ 0: { n: 1 } }, a)]).toEqual([
      ['$'],
      ['$'],
      ['$'],
    ]);
  });

  it('stops listing array items after 100 problems, so a hostile document cannot flood the report', () => {
    expect(validate(new Array(1_000_000).fill('x'), arr(int()))).toHaveLength(100);
    // checkSchema appends to an existing list under the path given.
    const p = new Problems();
    p.add('$.before', 'kept');
    checkSchema({ x: 1 }, obj({ x: str() }), '$.predicate', p);
    expect(p.list.map((x) => x.path)).toEqual(['$.before', '$.predicate.x']);
    expect(validate({ x: 1 }, obj({ x: str() }), '#').map((x) => x.path)).toEqual(['#.x']);
  });
});

describe('makeStatement', () => {
  it('writes an in-toto Statement v1 (spec/v1/statement.md) that the statement checks accept', () => {
    expect(IN_TOTO_STATEMENT_TYPE).toBe('https://in-toto.io/Statement/v1');
    const subject = [{ name: 'a.txt', digest: { sha256: toHex(sha256(utf8('a'))) } }];
    const s = makeStatement(subject, 'https://example.com/predicate/v1', { k: 1 });
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject,
      predicateType: 'https://example.com/predicate/v1',
      predicate: { k: 1 },
    });
    expect(canonicalJson(s)).toBe(
      `{"_type":"https://in-toto.io/Statement/v1","predicate":{"k":1},"predicateType":"https://example.com/predicate/v1","subject":[{"digest":{"sha256":"${subject[0]!.digest.sha256}"},"name":"a.txt"}]}`,
    );
    expect(checkStatement(JSON.parse(canonicalJson(s)))).toEqual([]);
    expect(checkStatement(makeStatement([], 'https://example.com/p', {})).map((p) => p.path)).toEqual(['$.subject']);
  });
});

describe('locale-free text', () => {
  it('plural groups thousands and picks the form by the count', () => {
    expect([
      plural(0, 'entry', 'entries'),
      plural(1, 'entry', 'entries'),
      plural(2, 'entry', 'entries'),
      plural(1_234_567, 'finding'),
    ]).toEqual(['0 entries', '1 entry', '2 entries', '1,234,567 findings']);
  });

  it('evidencePairs lists expected, then actual, then the rest by name, all as text', () => {
    const f = finding('ROOT_MISMATCH', {}, 'x', { zeta: 1, actual: 'bb', alpha: null, expected: 'aa', beta: true });
    expect(evidencePairs(f)).toEqual([
      ['expected', 'aa'],
      ['actual', 'bb'],
      ['alpha', 'null'],
      ['beta', 'true'],
      ['zeta', '1'],
    ]);
    expect(evidencePairs(finding('NO_CHECKPOINTS', {}, 'x'))).toEqual([]);
  });

  it('csvRow writes an RFC 4180 record with CRLF, quoting where needed and defusing formulas', () => {
    expect(csvRow(['a', 'b c', ''])).toBe('a,b c,\r\n');
    expect(csvRow(['x,y', 'say "hi"', 'two\nlines'])).toBe('"x,y","say ""hi""","two\nlines"\r\n');
    expect(csvRow(['=1+1', '+A1', '-2', '@SUM(A1)', 'a=b'])).toBe("'=1+1,'+A1,'-2,'@SUM(A1),a=b\r\n");
    expect(csvRow(['=HYPERLINK("http://x","y")'])).toBe('"\'=HYPERLINK(""http://x"",""y"")"\r\n');
  });
});

describe('the predicate and the report document', () => {
  it('VERIFIER_ID is the verifier.id docs/report-format.md §3 states', () => {
    expect(VERIFIER_ID).toBe('https://proofdesk.dev/verifier');
    expect(reportDoc).toContain(`| \`verifier.id\` | URI | \`${VERIFIER_ID}\` |`);
  });

  it('unixToRfc3339 writes UTC without fractional seconds', () => {
    expect(unixToRfc3339(0)).toBe('1970-01-01T00:00:00Z');
    expect(unixToRfc3339(1_767_225_600)).toBe('2026-01-01T00:00:00Z');
    expect(unixToRfc3339(951_825_600)).toBe('2000-02-29T12:00:00Z');
    expect(unixToRfc3339(-1)).toBe('1969-12-31T23:59:59Z');
    for (const t of [0, 1_767_225_600, 4_102_444_799]) expect(RFC3339_UTC.test(unixToRfc3339(t))).toBe(true);
  });

  it('the envelope is attached to the PDF under the name the document names, byte for byte', () => {
    expect(ATTESTATION_ATTACHMENT).toBe('attestation.dsse.json');
    expect(reportDoc).toContain(`| \`${ATTESTATION_ATTACHMENT}\` | the attestation`);
    const result = buildFormatResult({
      format: { id: 'ct-sth', layout: 'get-sth', signatureRules: [] },
      toolVersion: '0',
      name: 'sth.json',
      container: 'directory',
      origin: 'o',
      entryCount: 0,
      entriesBytes: 0,
      files: [{ path: 'sth.json', size: 3, sha256: toHex(sha256(utf8('abc'))), role: 'checkpoint' }],
      trustedKeys: [],
      checkpoints: [],
      proofs: [],
      findings: [],
      checks: [],
      evidenceTime: {},
      findingsPerCode: 10,
      crossCheck: false,
      maxEntryBytes: 1,
    });
    const statement = buildVerificationStatement(result, {
      examiner: { name: 'E', keyFingerprint: '0'.repeat(64) },
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:00Z',
      toolBuild: { sha256: '0'.repeat(64), scope: 'source', files: 0 },
      trustInputs: [],
    });
    const envelope = serializeEnvelope(
      signEnvelope(IN_TOTO_PAYLOAD_TYPE, utf8(canonicalJson(statement)), () => new Uint8Array(64)),
    );
    const doc = verificationReportDocument(statement, envelope, 'r-1');
    const attached = doc.attachments.find((a) => a.name === ATTESTATION_ATTACHMENT);
    expect(attached?.bytes).toEqual(envelope);
  });

  it('parseEnvelope refuses anything larger than MAX_ENVELOPE_BYTES before reading it', () => {
    expect(MAX_ENVELOPE_BYTES).toBe(256 * 1024 * 1024);
    // A zero-filled buffer costs no memory until touched; the bound is checked before decoding.
    const r = parseEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1));
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['$']);
    const ok = parseEnvelope(serializeEnvelope(signEnvelope('t', utf8('{}'), () => new Uint8Array(64))));
    expect(ok.ok).toBe(true);
  });
});
