/**
 * The one PEM reader and the one DER reader, through each of their callers: key files
 * (shared/keys/keys.ts), other formats' public keys (shared/keys/public-key.ts) and Sigstore
 * entries (pemBlocks). DER lengths must be minimal (X.690 §10.1) for every caller.
 */
import { describe, expect, it } from 'vitest';
import { publicKeyFromSeed } from '../../../../shared/crypto/ed25519.js';
import { fromBase64, toBase64 } from '../../../../shared/encoding/bytes.js';
import { readWhole, TAG } from '../../../../shared/encoding/der.js';
import { parsePem, pemBlocks } from '../../../../shared/encoding/pem.js';
import { encodeSpkiPem, parseKey } from '../../../../shared/keys/keys.js';
import { parsePublicKeyDer, parsePublicKeyPem } from '../../../../shared/keys/public-key.js';

const KEY = publicKeyFromSeed(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
const SPKI_PEM = encodeSpkiPem(KEY);
const SPKI_DER = parsePem(SPKI_PEM).der;

/** The SPKI with its outer length written in the long form (0x81 0x2a): valid BER, not DER. */
function nonMinimal(der: Uint8Array): Uint8Array {
  expect(der[1]).toBe(0x2a);
  return Uint8Array.from([der[0] ?? 0, 0x81, ...der.subarray(1)]);
}
const asPem = (der: Uint8Array) => `-----BEGIN PUBLIC KEY-----\n${toBase64(der)}\n-----END PUBLIC KEY-----\n`;

describe('PEM', () => {
  it('reads one block, ignoring the text around it', () => {
    const p = parsePem(`comment\n${SPKI_PEM}trailer`);
    expect(p.label).toBe('PUBLIC KEY');
    expect(p.der).toEqual(SPKI_DER);
  });

  it('refuses two blocks, encrypted legacy keys and bad base64, with the same reason in every caller', () => {
    const two = SPKI_PEM + SPKI_PEM;
    for (const f of [parsePem, parseKey, parsePublicKeyPem]) {
      expect(() => f(two)).toThrow(
        expect.objectContaining({ code: 'KEY_INVALID', detail: { reason: 'PEM_MULTIPLE_BLOCKS' } }),
      );
      expect(() => f('-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----')).toThrow(
        expect.objectContaining({ detail: { reason: 'PEM_MALFORMED' } }),
      );
    }
    const enc = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(() => parsePem(enc)).toThrow(expect.objectContaining({ detail: { reason: 'PEM_ENCRYPTED' } }));
  });

  it('lists every block without throwing', () => {
    const blocks = pemBlocks(`${SPKI_PEM}\n-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----`);
    expect(blocks.map((b) => b.label)).toEqual(['PUBLIC KEY', 'CERTIFICATE']);
    expect(blocks[0]?.der).toEqual(SPKI_DER);
    expect(blocks[1]?.der).toBeUndefined();
    expect(pemBlocks('no pem here')).toEqual([]);
  });
});

describe('DER length octets', () => {
  it('are read in the short form and refused when not minimal, by the reader and both key parsers', () => {
    expect(readWhole(SPKI_DER, TAG.SEQUENCE)?.value.length).toBe(0x2a);
    const bad = nonMinimal(SPKI_DER);
    expect(readWhole(bad, TAG.SEQUENCE)).toBeUndefined();
    expect(parseKey(asPem(SPKI_DER)).publicKey).toEqual(KEY);
    expect(() => parseKey(asPem(bad))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(parsePublicKeyDer(SPKI_DER).kind).toBe('ed25519');
    expect(() => parsePublicKeyDer(bad)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => parsePublicKeyDer(fromBase64('MAA='))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
