import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_CANONICAL_DEPTH } from '../../../../shared/encoding/jcs.js';

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const v = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the member order from the text: JSON.parse would put the integer-like "1" first.
    const text = canonicalJson(v);
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) =>
      text.indexOf(`"${k}":`),
    );
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
  it.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1, '-1'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [333333333.3333333, '333333333.3333333'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [295147905179352830000, '295147905179352830000'],
  ])('serialises the number %s as %s (RFC 8785 §3.2.2.3, ECMAScript Number-to-String)', (n, s) => {
    expect(canonicalJson(n)).toBe(s);
  });
  it('escapes strings minimally and writes nested values without whitespace', () => {
    expect(canonicalJson({ b: [1, { z: null, a: true }], a: 'x\u0001\n"\\/\u2028é' })).toBe(
      '{"a":"x\\u0001\\n\\"\\\\/\u2028é","b":[1,{"a":true,"z":null}]}',
    );
  });
  it('rejects what is not I-JSON with INPUT_MALFORMED', () => {
    const malformed = expect.objectContaining({ name: 'ProofdeskError', code: 'INPUT_MALFORMED' });
    expect(() => canonicalJson(Number.NaN)).toThrow(malformed);
    expect(() => canonicalJson(Infinity)).toThrow(malformed);
    expect(() => canonicalJson('\ud800')).toThrow(malformed);
    expect(() => canonicalJson({ k: 1n })).toThrow(malformed);
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow(malformed);
  });
  it('equal data gives equal bytes whatever the member order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('canonicalJson nesting bound', () => {
  const nest = (n: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };
  it('canonicalises MAX_CANONICAL_DEPTH levels and refuses one more, whatever the stack allows', () => {
    expect(canonicalJson(nest(MAX_CANONICAL_DEPTH)).length).toBeGreaterThan(MAX_CANONICAL_DEPTH * 3);
    expect(() => canonicalJson(nest(MAX_CANONICAL_DEPTH + 1))).toThrow(/nesting deeper than 1000 levels/);
    expect(() => canonicalJson(nest(6000))).toThrow(/nesting deeper than 1000 levels/);
  });
});
