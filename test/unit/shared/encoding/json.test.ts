/**
 * shared/encoding/json.ts: the narrowing layer every format parser reads untrusted JSON through.
 * Garbage must give problems with JSON paths, never exceptions; every reader is checked on good
 * and bad values, and RFC 3339 times against the RFC's own examples and node's Date.parse.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../../shared/encoding/bytes.js';
import {
  canonicalFormProblem,
  firstDuplicateMember,
  JSON_INTEGER,
  JsonReader,
  numberTokens,
  parseJsonBytes,
  parseRfc3339Seconds,
} from '../../../../shared/encoding/json.js';
import { prng } from '../../../support/fixtures.js';

describe('parseJsonBytes', () => {
  it('parses UTF-8 JSON, with or without a byte order mark', () => {
    expect(parseJsonBytes(utf8('{"a":[1,"x",null]}'))).toEqual({ ok: true, value: { a: [1, 'x', null] } });
    expect(parseJsonBytes(utf8('\ufeff{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBytes(utf8(' 42 '))).toEqual({ ok: true, value: 42 });
  });

  it('turns invalid UTF-8, syntax errors and truncation into one problem at $', () => {
    const bad: Uint8Array[] = [
      Uint8Array.of(0x7b, 0xff, 0x7d),
      Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22), // an encoded surrogate: not UTF-8
      utf8(''),
      utf8('{"a":1,}'),
      utf8("{'a':1}"),
      utf8('NaN'),
      utf8('{"a":1}{"b":2}'),
      utf8('{"a":[1,2'),
    ];
    for (const b of bad) {
      const r = parseJsonBytes(b);
      expect(r.ok, new TextDecoder().decode(b)).toBe(false);
      if (!r.ok) expect(r.problem.path).toBe('$');
    }
  });

  it('survives hostile nesting and size without a stack overflow', () => {
    const depth = 100_000;
    expect(parseJsonBytes(utf8('['.repeat(depth) + ']'.repeat(depth))).ok).toBe(true);
    expect(parseJsonBytes(utf8('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))).ok).toBe(true);
    expect(parseJsonBytes(utf8('['.repeat(depth))).ok).toBe(false);
  });
});

describe('JsonReader', () => {
  it('narrows objects and arrays, and bounds arrays', () => {
    const r = new JsonReader();
    expect(r.object({ a: 1 }, '$')).toEqual({ a: 1 });
    expect(r.array([1, 2], '$.x', 2)).toEqual([1, 2]);
    expect(r.problems).toEqual([]);
    for (const v of [null, [], 'x', 1, undefined]) expect(r.object(v, '$.o')).toBeUndefined();
    expect(r.array({ length: 1 }, '$.a')).toBeUndefined();
    expect(r.array([1, 2, 3], '$.b', 2)).toBeUndefined();
    expect(r.array(new Array(10_001).fill(0), '$.c')).toBeUndefined();
    expect(r.array(new Array(10_000).fill(0), '$.d')).toHaveLength(10_000);
    expect(r.problems.map((p) => p.path)).toEqual(['$.o', '$.o', '$.o', '$.o', '$.o', '$.a', '$.b', '$.c']);
  });

  it('reads strings, optional or bounded', () => {
    const r = new JsonReader();
    expect(r.string('abc', '$.s', { max: 3 })).toBe('abc');
    expect(r.string(undefined, '$.opt', { optional: true })).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(r.string('abcd', '$.long', { max: 3 })).toBeUndefined();
    expect(r.string(undefined, '$.missing')).toBeUndefined();
    expect(r.string(7, '$.number')).toBeUndefined();
    expect(r.string(null, '$.null', { optional: true })).toBeUndefined();
    expect(r.problems.map((p) => p.path)).toEqual(['$.long', '$.missing', '$.number', '$.null']);
  });

  it('reads strict base64 and hex of a required length', () => {
    const r = new JsonReader();
    expect(r.base64('AAEC', '$.b', { length: 3 })).toEqual(Uint8Array.of(0, 1, 2));
    expect(r.hex('00FFaa', '$.h', { length: 3 })).toEqual(Uint8Array.of(0, 0xff, 0xaa));
    expect(r.base64(undefined, '$.ob', { optional: true })).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(r.base64('AAEC', '$.len', { length: 4 })).toBeUndefined();
    expect(r.base64('AAE', '$.unpadded')).toBeUndefined();
    expect(r.base64('AAF=', '$.noncanonical')).toBeUndefined(); // non-zero padding bits
    expect(r.base64('AA-_', '$.urlsafe')).toBeUndefined();
    expect(r.base64('A'.repeat(12), '$.max', { max: 8 })).toBeUndefined();
    expect(r.hex('abc', '$.odd')).toBeUndefined();
    expect(r.hex('0x00', '$.prefix')).toBeUndefined();
    expect(r.hex('0000', '$.hlen', { length: 1 })).toBeUndefined();
    expect(r.problems.map((p) => p.path)).toEqual([
      '$.len',
      '$.unpadded',
      '$.noncanonical',
      '$.urlsafe',
      '$.max',
      '$.odd',
      '$.prefix',
      '$.hlen',
    ]);
  });

  it('reads non-negative safe integers from numbers and, unless refused, decimal strings', () => {
    const r = new JsonReader();
    const good: Array<[unknown, number]> = [
      [0, 0],
      [42, 42],
      [2 ** 53 - 1, 2 ** 53 - 1],
      ['0', 0],
      ['9007199254740991', 2 ** 53 - 1],
      ['120', 120],
    ];
    for (const [v, want] of good) expect(r.integer(v, '$')).toBe(want);
    expect(r.integer(undefined, '$', { optional: true })).toBeUndefined();
    expect(r.problems).toEqual([]);
    const bad: unknown[] = [
      -1,
      1.5,
      2 ** 53,
      Number.NaN,
      Infinity,
      '-1',
      '01',
      '1e3',
      '9007199254740992',
      '12345678901234567',
      ' 1',
      '',
      true,
      null,
      undefined,
      [1],
    ];
    for (const v of bad) expect(r.integer(v, '$.bad'), String(v)).toBeUndefined();
    expect(r.problems).toHaveLength(bad.length);
    expect(r.integer('7', '$.s', { allowString: false })).toBeUndefined();
    expect(r.problems).toHaveLength(bad.length + 1);
  });

  it('reads RFC 3339 times as epoch seconds and collects every problem of a document in one pass', () => {
    const r = new JsonReader();
    expect(r.time('2026-06-01T10:00:00Z', '$.t')).toBe(1_780_308_000);
    expect(r.time(undefined, '$.o', { optional: true })).toBeUndefined();
    expect(r.problems).toEqual([]);
    const doc = { a: 'x', b: [1, 'two'], t: '2026-06-01', h: 'zz' };
    const o = r.object(doc, '$')!;
    r.integer(o.a, '$.a');
    r.array(o.b, '$.b')!.forEach((v, i) => {
      r.integer(v, `$.b[${i}]`);
    });
    r.time(o.t, '$.t');
    r.hex(o.h, '$.h');
    r.string(o.missing, '$.missing');
    expect(r.problems.map((p) => p.path)).toEqual(['$.a', '$.b[1]', '$.t', '$.h', '$.missing']);
    expect(r.problem('$.x', 'anything')).toBeUndefined();
    expect(r.problems).toHaveLength(6);
  });
});

describe('parseRfc3339Seconds', () => {
  it('reads the examples of RFC 3339 §5.8', () => {
    expect(parseRfc3339Seconds('1985-04-12T23:20:50.52Z')).toBe(482_196_050);
    expect(parseRfc3339Seconds('1996-12-19T16:39:57-08:00')).toBe(851_042_397);
    // The leap second is read as the second before it (JavaScript time has no leap seconds).
    expect(parseRfc3339Seconds('1990-12-31T23:59:60Z')).toBe(662_687_999);
    expect(parseRfc3339Seconds('1990-12-31T15:59:60-08:00')).toBe(662_687_999);
    expect(parseRfc3339Seconds('1937-01-01T12:00:27.87+00:20')).toBe(-1_041_337_173);
  });

  it('accepts the forms §5.6 allows: lowercase t and z, a space separator, up to nine fraction digits', () => {
    for (const s of [
      '2026-01-01t00:00:00z',
      '2026-01-01 00:00:00Z',
      '2026-01-01T00:00:00.123456789Z',
      '2026-01-01T01:00:00+01:00',
    ]) {
      expect(parseRfc3339Seconds(s), s).toBe(1_767_225_600);
    }
  });

  it('refuses dates and times that do not exist and forms RFC 3339 does not define', () => {
    const bad = [
      '2023-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:61Z',
      '2026-01-01T00:00:00',
      '2026-01-01',
      '2026-1-01T00:00:00Z',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00.1234567890Z',
      '2026-01-01T00:00:00+0100',
      '+2026-01-01T00:00:00Z',
      ' 2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00Z ',
    ];
    for (const s of bad) expect(parseRfc3339Seconds(s), s).toBeUndefined();
    expect(parseRfc3339Seconds('2024-02-29T00:00:00Z')).toBe(1_709_164_800);
  });

  it('refuses UTC offsets outside 00:00–23:59 (RFC 3339 §5.6 time-hour, time-minute)', () => {
    for (const s of [
      '2026-01-01T00:00:00+99:99',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01T00:00:00-24:00',
      '2026-01-01T00:00:00+00:60',
      '2026-01-01T00:00:00-12:75',
    ]) {
      expect(parseRfc3339Seconds(s), s).toBeUndefined();
    }
    expect(parseRfc3339Seconds('2026-01-01T23:59:00+23:59')).toBe(1_767_225_600);
    expect(parseRfc3339Seconds('2025-12-31T00:01:00-23:59')).toBe(1_767_225_600);
  });

  it('reads years 0000–0099 as themselves, not as 1900–1999 (Date.UTC would)', () => {
    // 0001-01-01 is day -719162 of the epoch; 0099-12-31 is day -683004 (proleptic Gregorian).
    expect(parseRfc3339Seconds('0001-01-01T00:00:00Z')).toBe(-719_162 * 86_400);
    expect(parseRfc3339Seconds('0099-12-31T23:59:59Z')).toBe(-683_004 * 86_400 + 86_399);
    expect(parseRfc3339Seconds('0000-01-01T00:00:00Z')).toBe(-719_528 * 86_400);
    expect(parseRfc3339Seconds('0000-02-29T00:00:00Z')).toBe(-719_469 * 86_400); // year 0 is a leap year
    expect(parseRfc3339Seconds('0100-02-29T00:00:00Z')).toBeUndefined(); // year 100 is not
    expect(parseRfc3339Seconds('0050-06-01T01:00:00+01:00')).toBe(parseRfc3339Seconds('0050-06-01T00:00:00Z'));
  });

  it('agrees with Date.parse on 2,000 random times with offsets and fractions (floor of the fraction)', () => {
    const rand = prng(3339);
    const p2 = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      const t = Date.UTC(1900, 0, 1) + Math.floor(rand() * 300 * 365.25 * 86_400_000);
      const d = new Date(t);
      const offMin = (Math.floor(rand() * 57) - 28) * 30; // -14:00 .. +14:00 in half hours
      const local = new Date(t + offMin * 60_000);
      const frac = rand() < 0.5 ? '' : `.${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
      const off =
        offMin === 0 && rand() < 0.5
          ? 'Z'
          : `${offMin < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(offMin) / 60))}:${p2(Math.abs(offMin) % 60)}`;
      const s = `${local.getUTCFullYear()}-${p2(local.getUTCMonth() + 1)}-${p2(local.getUTCDate())}T${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())}${frac}${off}`;
      expect(parseRfc3339Seconds(s), s).toBe(Math.floor(Date.parse(s) / 1000));
      expect(Math.floor(Date.parse(s) / 1000), s).toBe(Math.floor(d.getTime() / 1000));
    }
  });
});

describe('firstDuplicateMember', () => {
  it('finds a name repeated in one object, at any depth, with the path of that object', () => {
    expect(firstDuplicateMember('{"a":1,"b":2,"a":3}')).toEqual({ path: '$', name: 'a' });
    expect(firstDuplicateMember('{"x":{"y":[1,{"k":1,"k":2}]}}')).toEqual({ path: '$.x.y[1]', name: 'k' });
    // Escapes are decoded before comparing: "\u0061" is "a".
    expect(firstDuplicateMember('{"a":1,"\\u0061":2}')).toEqual({ path: '$', name: 'a' });
    expect(firstDuplicateMember('[{"a":1},{"a":2},{"b":{"a":1,"c":{"a":2}}}]')).toBeUndefined();
  });

  it('does not take string values, or names in sibling objects, for repeats', () => {
    expect(firstDuplicateMember('{"a":"a","b":["a","a"],"c":{"a":1},"d":{"a":2}}')).toBeUndefined();
    expect(firstDuplicateMember('{"a":"x\\"a\\":1","b":2}')).toBeUndefined();
    expect(firstDuplicateMember('{}')).toBeUndefined();
  });
});

describe('numberTokens and JSON_INTEGER', () => {
  it('gives the raw text of every number by JSON path', () => {
    const t = numberTokens(
      '{"version":1.0,"entries":{"count":1e0,"first_seq":0},"files":[{"size":4503599627370496.5}],"s":"9"}',
    );
    expect([...t]).toEqual([
      ['$.version', '1.0'],
      ['$.entries.count', '1e0'],
      ['$.entries.first_seq', '0'],
      ['$.files[0].size', '4503599627370496.5'],
    ]);
    expect(['0', '7', '9007199254740991'].every((x) => JSON_INTEGER.test(x))).toBe(true);
    expect(['1.0', '1e0', '-1', '01', '4503599627370496.5', ''].some((x) => JSON_INTEGER.test(x))).toBe(false);
  });
});

describe('canonicalFormProblem', () => {
  it('accepts what RFC 8785 keeps: 1.0 is 1, 1e2 is 100, -0 is 0, 0.1 is 0.1', () => {
    for (const t of ['{"f":1.0,"g":1e2,"z":-0,"d":0.1,"big":9007199254740992,"s":"\\ud83d\\ude00"}', '[]', '"x"', '12'])
      expect(canonicalFormProblem(t), t).toBeUndefined();
  });

  it('names what it would change: big integers, overflow, underflow, extra digits, duplicates, lone surrogates', () => {
    const cases: Array<[string, string, string]> = [
      ['{"id":123456789012345678901234567890}', '$.id', 'NUMBER_NOT_KEPT'],
      ['{"big":9007199254740993}', '$.big', 'NUMBER_NOT_KEPT'],
      ['{"x":1e400}', '$.x', 'NUMBER_NOT_KEPT'],
      ['{"x":[1,1e-400]}', '$.x[1]', 'NUMBER_NOT_KEPT'],
      ['{"x":0.10000000000000000001}', '$.x', 'NUMBER_NOT_KEPT'],
      ['{"a":{"b":1,"b":2}}', '$.a', 'DUPLICATE_MEMBER'],
      ['{"a":"\\ud800"}', '$.a', 'LONE_SURROGATE'],
    ];
    for (const [text, path, reason] of cases) {
      JSON.parse(text);
      expect(canonicalFormProblem(text), text).toMatchObject({ path, reason });
    }
    expect(canonicalFormProblem('{"big":9007199254740993}')!.message).toMatch(/9007199254740992/);
  });

  it('looks only at and below the path given', () => {
    const line = '{"seq":1,"other":{"a":1,"a":2},"event":{"n":1e400}}';
    expect(canonicalFormProblem(line, '$.event')).toMatchObject({ path: '$.event.n' });
    expect(canonicalFormProblem('{"seq":1,"other":{"a":1,"a":2},"event":{"n":1}}', '$.event')).toBeUndefined();
    expect(canonicalFormProblem('{"event":1,"events":1e400}', '$.event')).toBeUndefined();
  });
});

describe('canonicalFormProblem nesting bound', () => {
  it('names a value nested deeper than canonicalJson goes, at the value checked, in a short message', () => {
    const nest = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expect(canonicalFormProblem(nest(1000))).toBeUndefined();
    const p = canonicalFormProblem(nest(1001));
    expect([p?.path, p?.reason]).toEqual(['$', 'TOO_DEEP']);
    expect(p?.message).toBe('the value nests deeper than 1000 levels, more than Proofdesk canonicalises');
    // Inside a line, levels count from the member checked, not from the line.
    expect(canonicalFormProblem(`{"event":${nest(1000)}}`, '$.event')).toBeUndefined();
    const q = canonicalFormProblem(`{"event":${nest(1001)}}`, '$.event');
    expect([q?.path, q?.reason]).toEqual(['$.event', 'TOO_DEEP']);
  });
});
