/**
 * shared/encoding/der.ts, the DER reader under every key and certificate parser: OIDs and times
 * encoded by real `openssl asn1parse -genstr` and decoded here, and malformed encodings
 * (truncated, indefinite or non-minimal lengths, high tag numbers, trailing bytes) that must
 * give undefined, never an exception.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatBytes, fromBase64, fromHex, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  decodeOid,
  decodeTime,
  encodeTlv,
  readChildren,
  readWhole,
  TAG,
  type Tlv,
} from '../../../../shared/encoding/der.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';
import { readVectorText } from '../../../support/vectors.js';

const dir = makeTempDir('proofdesk-der-');
afterAll(() => removeDir(dir));
let n = 0;

/** DER of one value written by openssl from its -genstr description (ASN1_generate_nconf(3)). */
function opensslDer(genstr: string): Uint8Array {
  const out = join(dir, `${n++}.der`);
  execFileSync('openssl', ['asn1parse', '-genstr', genstr, '-out', out, '-noout'], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(out));
}

function whole(der: Uint8Array, tag: number): Tlv {
  const t = readWhole(der, tag);
  if (!t) throw new Error(`not one ${tag} element`);
  return t;
}

describe('decodeOid', () => {
  it('decodes what openssl encodes, including multi-byte arcs and the 2.x first-arc rule (X.690 §8.19)', () => {
    const oids = [
      '1.2.840.10045.2.1', // id-ecPublicKey
      '1.2.840.10045.3.1.7', // prime256v1
      '1.3.101.112', // id-Ed25519
      '1.2.840.113549.1.1.1', // rsaEncryption
      '1.3.132.0.34', // secp384r1
      '2.5.4.3', // id-at-commonName
      '1.3.6.1.4.1.11129.2.4.2', // CT precertificate SCTs
      '2.999.3', // X.690 §8.19.5 example
      '0.9.2342.19200300.100.1.1',
      '2.25.1099511627775', // a 40-bit arc
      '1.39.1',
      '2.40.1', // second arc above 39 under joint-iso-itu-t
    ];
    for (const oid of oids) expect(decodeOid(whole(opensslDer(`OID:${oid}`), TAG.OID).value), oid).toBe(oid);
    // The X.690 example's contents octets, written out: 88 37 03.
    expect(decodeOid(fromHex('883703'))).toBe('2.999.3');
  });

  it('refuses empty, unterminated, non-minimal and oversized arcs', () => {
    expect(decodeOid(new Uint8Array(0))).toBeUndefined();
    expect(decodeOid(fromHex('2a86'))).toBeUndefined(); // last octet has the continuation bit
    expect(decodeOid(fromHex('2a8048'))).toBeUndefined(); // arc starts with 0x80: not minimal
    expect(decodeOid(fromHex('80002a'))).toBeUndefined();
    expect(decodeOid(fromHex('2a' + 'ff'.repeat(9) + '7f'))).toBeUndefined(); // beyond 2^53
  });
});

describe('decodeTime', () => {
  const at = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
    Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

  it('decodes openssl UTCTime and GeneralizedTime, with the RFC 5280 §4.1.2.5 century rule', () => {
    const cases: Array<[string, number]> = [
      ['UTCTIME:491231235959Z', at(2049, 12, 31, 23, 59, 59)],
      ['UTCTIME:500101000000Z', at(1950, 1, 1, 0, 0, 0)],
      ['UTCTIME:700101000000Z', 0],
      ['UTCTIME:240229120000Z', at(2024, 2, 29, 12, 0, 0)],
      ['GENTIME:20500101120000Z', at(2050, 1, 1, 12, 0, 0)],
      ['GENTIME:99991231235959Z', at(9999, 12, 31, 23, 59, 59)],
      ['GENTIME:19491231235959Z', at(1949, 12, 31, 23, 59, 59)],
    ];
    for (const [genstr, want] of cases) {
      const der = genstr.startsWith('UTC')
        ? whole(opensslDer(genstr), TAG.UTC_TIME)
        : whole(opensslDer(genstr), TAG.GENERALIZED_TIME);
      expect(decodeTime(der), genstr).toBe(want);
    }
    // 2026 is no leap year: openssl will not even write 29 February (it exits with status 1), and we do not read it.
    expect(() => opensslDer('UTCTIME:260229120000Z')).toThrow(expect.objectContaining({ status: 1 }));
    expect(
      decodeTime({ tag: TAG.UTC_TIME, value: utf8('260229120000Z'), raw: new Uint8Array(0), end: 0 }),
    ).toBeUndefined();
  });

  it('reads GeneralizedTime years 0000–0099 as themselves, not as 1900–1999', () => {
    const gen = (s: string): Tlv => ({ tag: TAG.GENERALIZED_TIME, value: utf8(s), raw: new Uint8Array(0), end: 0 });
    expect(decodeTime(gen('00010101000000Z'))).toBe(-719_162 * 86_400);
    expect(decodeTime(gen('00991231235959Z'))).toBe(-683_004 * 86_400 + 86_399);
    expect(decodeTime(gen('00000229000000Z'))).toBe(-719_469 * 86_400);
    expect(decodeTime(gen('01000229000000Z'))).toBeUndefined();
    expect(decodeTime(gen('01000101000000Z'))).toBe(at(100, 1, 1, 0, 0, 0));
  });

  it('refuses the forms RFC 5280 excludes: fractions, offsets, missing seconds or Z, impossible values, other tags', () => {
    const utc = (s: string): Tlv => ({ tag: TAG.UTC_TIME, value: utf8(s), raw: new Uint8Array(0), end: 0 });
    const gen = (s: string): Tlv => ({ tag: TAG.GENERALIZED_TIME, value: utf8(s), raw: new Uint8Array(0), end: 0 });
    const bad: Tlv[] = [
      gen('20500101120000.5Z'),
      gen('20500101120000+0100'),
      gen('205001011200Z'),
      gen('20500101120000'),
      gen('20500101120000z'),
      gen('20501301120000Z'),
      gen('20500132120000Z'),
      gen('20500101240000Z'),
      gen('20500101126000Z'),
      gen('20500101120060Z'),
      gen('20500231120000Z'),
      utc('5001010000Z'),
      utc('20500101120000Z'), // a GeneralizedTime body under the UTCTime tag
      gen('500101000000Z'),
      { tag: TAG.OCTET_STRING, value: utf8('500101000000Z'), raw: new Uint8Array(0), end: 0 },
    ];
    for (const t of bad) expect(decodeTime(t), new TextDecoder().decode(t.value)).toBeUndefined();
    expect(decodeTime(utc('500101000000Z'))).toBe(at(1950, 1, 1, 0, 0, 0));
  });
});

describe('readWhole and readChildren (X.690 §8.1 with the DER rules of §10.1)', () => {
  it('read openssl DER with short and long length forms', () => {
    for (const len of [1, 127, 128, 255, 256, 300, 60_000]) {
      const der = opensslDer(`FORMAT:HEX,OCTETSTRING:${'ab'.repeat(len)}`);
      const t = whole(der, TAG.OCTET_STRING);
      expect(t.value.length, `${len}`).toBe(len);
      expect(t.end).toBe(der.length);
      expect(encodeTlv(TAG.OCTET_STRING, t.value)).toEqual(der); // our encoder writes the same minimal form
    }
  });

  it('split a real SubjectPublicKeyInfo into its parts, and no truncation of it parses', () => {
    const pem = readVectorText('ct', 'ctgo-sigtest-ec256-public.pem');
    const spki = fromBase64(pem.replace(/-----[A-Z ]+-----|\s/g, ''));
    const parts = readChildren(whole(spki, TAG.SEQUENCE).value)!;
    expect(parts.map((p) => p.tag)).toEqual([TAG.SEQUENCE, TAG.BIT_STRING]);
    expect(readChildren(parts[0]!.value)!.map((p) => decodeOid(p.value))).toEqual([
      '1.2.840.10045.2.1',
      '1.2.840.10045.3.1.7',
    ]);
    expect(parts[1]!.value.length).toBe(66); // unused-bits octet + uncompressed P-256 point
    for (let i = 0; i < spki.length; i++)
      expect(readWhole(spki.subarray(0, i), TAG.SEQUENCE), `first ${i} bytes`).toBeUndefined();
    expect(readWhole(concatBytes(spki, Uint8Array.of(0)), TAG.SEQUENCE)).toBeUndefined(); // trailing byte
    expect(readWhole(spki, TAG.SET)).toBeUndefined(); // another tag
  });

  it('refuse what BER allows and DER does not, and lengths beyond the input', () => {
    const bad: Array<[string, string]> = [
      ['3080020101 0000', 'indefinite length'],
      ['048105' + 'aa'.repeat(5), 'long form for a length below 128'],
      ['04820080' + 'aa'.repeat(128), 'length with a leading zero octet'],
      ['0485' + '0000000001' + 'aa', 'five length octets'],
      ['1f2201aa', 'high tag number form'],
      ['0405aabb', 'length beyond the input'],
      ['04', 'no length octet'],
      ['0481', 'long form without its length octet'],
      ['', 'empty'],
    ];
    for (const [hex, what] of bad)
      expect(
        readWhole(fromHex(hex.replace(/ /g, '')), Number.parseInt(hex.slice(0, 2) || '0', 16)),
        what,
      ).toBeUndefined();
    // Children must tile the contents exactly.
    expect(readChildren(fromHex('020101020102'))!.map((t) => t.value[0])).toEqual([1, 2]);
    expect(readChildren(fromHex('02010102'))).toBeUndefined();
    expect(readChildren(new Uint8Array(0))).toEqual([]);
  });
});
