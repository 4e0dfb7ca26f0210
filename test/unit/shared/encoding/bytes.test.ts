import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  fromHex,
  readU32BE,
  toBase64,
  toHex,
  tryDecodeUtf8,
  tryFromBase64,
  tryFromHex,
  u64BE,
} from '../../../../shared/encoding/bytes.js';

describe('hex', () => {
  it('round-trips and rejects malformed input', () => {
    const b = Uint8Array.from([0, 1, 0xab, 0xff]);
    expect(toHex(b)).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(b);
    expect(tryFromHex('abc')).toBeUndefined();
    expect(tryFromHex('zz')).toBeUndefined();
    expect(tryFromHex('')).toEqual(new Uint8Array(0));
  });

  it('toHex gives every byte value its two lowercase digits, for inputs of any length (Buffer.toString as reference)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(all)).toBe(Buffer.from(all).toString('hex'));
    expect(toHex(new Uint8Array(0))).toBe('');
    // Longer than the scratch buffer, then short again: no bytes of the longer call leak into the shorter.
    const long = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131) & 255);
    expect(toHex(long)).toBe(Buffer.from(long).toString('hex'));
    expect(toHex(Uint8Array.of(7))).toBe('07');
    expect(toHex(long.subarray(3, 40))).toBe(Buffer.from(long.subarray(3, 40)).toString('hex'));
  });
});

describe('base64 (RFC 4648 §10 vectors)', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  it.each(cases)('%j <-> %j', (plain, enc) => {
    const bytes = new TextEncoder().encode(plain);
    expect(toBase64(bytes)).toBe(enc);
    expect(tryFromBase64(enc)).toEqual(bytes);
    expect(Buffer.from(bytes).toString('base64')).toBe(enc);
  });
  it('rejects non-canonical and malformed encodings', () => {
    expect(tryFromBase64('Zg')).toBeUndefined(); // missing padding
    expect(tryFromBase64('Zh==')).toBeUndefined(); // non-zero trailing bits
    expect(tryFromBase64('Zm9=')).toBeUndefined(); // non-zero trailing bits
    expect(tryFromBase64('Zm9v\n')).toBeUndefined();
    expect(tryFromBase64('Zm-v')).toBeUndefined(); // URL alphabet
    expect(tryFromBase64('=Zm9')).toBeUndefined();
    expect(tryFromBase64('Zm9vYg=a')).toBeUndefined();
  });
  it('agrees with Buffer on random data', () => {
    let x = 12345;
    for (let n = 0; n < 200; n++) {
      const b = new Uint8Array(n).map(() => ((x = (x * 1103515245 + 12345) >>> 0) >> 16) & 255);
      const enc = Buffer.from(b).toString('base64');
      expect(toBase64(b)).toBe(enc);
      expect(tryFromBase64(enc)).toEqual(b);
    }
  });
});

describe('misc', () => {
  it('bytesEqual compares length and content', () => {
    expect(bytesEqual(fromHex('00ff'), fromHex('00ff'))).toBe(true);
    expect(bytesEqual(fromHex('00ff'), fromHex('00fe'))).toBe(false);
    expect(bytesEqual(fromHex('00'), fromHex('0000'))).toBe(false);
  });
  it('bytesEqual on long inputs (the word-wise path) finds a difference in any byte, aligned or not', () => {
    const a = Uint8Array.from({ length: 8195 }, (_, i) => (i * 7) & 255);
    for (const [x, y] of [
      [a, a.slice()],
      [a.subarray(1), a.slice(1)],
      [a.subarray(4, 4100), a.slice(4, 4100)],
    ] as const) {
      expect(bytesEqual(x, y)).toBe(true);
      for (const k of [0, 1, 2, 3, 255, 4095, x.length - 1]) {
        const z = y.slice();
        z[k]! ^= 0x80;
        expect(bytesEqual(x, z), `byte ${k}`).toBe(false);
      }
    }
  });
  it('strict UTF-8 decoding rejects invalid sequences', () => {
    expect(tryDecodeUtf8(Uint8Array.from([0x68, 0x69]))).toBe('hi');
    expect(tryDecodeUtf8(Uint8Array.from([0xff]))).toBeUndefined();
    expect(tryDecodeUtf8(Uint8Array.from([0xc0, 0xaf]))).toBeUndefined(); // overlong '/'
  });
  it('integers', () => {
    expect(toHex(u64BE(1))).toBe('0000000000000001');
    expect(toHex(u64BE(2n ** 64n - 1n))).toBe('ffffffffffffffff');
    expect(() => u64BE(-1)).toThrow(expect.objectContaining({ name: 'ProofdeskError', code: 'INPUT_MALFORMED' }));
    expect(() => u64BE(2n ** 64n)).toThrow(
      expect.objectContaining({ name: 'ProofdeskError', code: 'INPUT_MALFORMED' }),
    );
    expect(readU32BE(fromHex('cad5a3d2'))).toBe(0xcad5a3d2);
  });
});
