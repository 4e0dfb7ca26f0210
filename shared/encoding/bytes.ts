/**
 * Byte helpers shared by every layer. Decoders are strict: they reject anything that a
 * lenient decoder would silently repair (odd-length hex, non-alphabet characters, bad
 * base64 padding), because a forensic tool must not accept two spellings of one value.
 */
import { ProofdeskError } from '../verdict/errors.js';

const HEX = '0123456789abcdef';
/** The two lowercase hex digits of every byte value, as ASCII codes: HEX_CODES[2b], HEX_CODES[2b + 1]. */
const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODES[2 * i] = HEX.charCodeAt(i >> 4);
  HEX_CODES[2 * i + 1] = HEX.charCodeAt(i & 15);
}
/** Scratch for toHex (synchronous, so one buffer serves every call); grows to the largest input. */
let hexScratch = new Uint8Array(64);

/**
 * Lowercase hex. The digits are written as ASCII codes and decoded once, which gives one flat
 * string of 2n characters: appending two characters at a time built a rope of about 1.5 KB per
 * 32-byte digest, and a log's reports keep tens of thousands of digests.
 */
export function toHex(b: Uint8Array): string {
  const n = 2 * b.length;
  if (hexScratch.length < n) hexScratch = new Uint8Array(n);
  const out = hexScratch;
  for (let i = 0; i < b.length; i++) {
    const k = 2 * b[i]!;
    out[2 * i] = HEX_CODES[k]!;
    out[2 * i + 1] = HEX_CODES[k + 1]!;
  }
  return asciiDecoder.decode(out.subarray(0, n));
}

/** Strict hex decoding; accepts upper or lower case. Returns undefined for invalid input. */
export function tryFromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(s.charCodeAt(2 * i));
    const lo = hexNibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function fromHex(s: string): Uint8Array {
  const b = tryFromHex(s);
  if (!b) throw new ProofdeskError('INPUT_MALFORMED', 'invalid hex string');
  return b;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < b.length) {
    const n = (b[i]! << 16) | ((i + 1 < b.length ? b[i + 1]! : 0) << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    s += i + 1 < b.length ? B64[(n >> 6) & 63]! + '=' : '==';
  }
  return s;
}

/**
 * Strict standard base64 (RFC 4648 §4) with mandatory padding and canonical trailing
 * bits (RFC 4648 §3.5). Returns undefined for anything else, so that one value has
 * exactly one accepted encoding.
 */
export function tryFromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    const v = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      if (last && j >= 4 - pad) {
        if (c !== 61) return undefined;
        continue;
      }
      const d = c < 128 ? B64_INDEX[c]! : -1;
      if (d < 0) return undefined;
      v[j] = d;
    }
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (last && pad === 2 && (n & 0xffff) !== 0) return undefined;
    if (last && pad === 1 && (n & 0xff) !== 0) return undefined;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function fromBase64(s: string): Uint8Array {
  const b = tryFromBase64(s);
  if (!b) throw new ProofdeskError('INPUT_MALFORMED', 'invalid base64 string');
  return b;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Constant-time equality for digests and signatures: the running time depends only on
 * the lengths, never on where the inputs first differ. Every digest comparison in
 * Proofdesk goes through here.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  let i = 0;
  // Long inputs (hash tiles: 8 KiB) four bytes at a time when both are aligned; same rule: all bytes, no early exit.
  if (a.length >= 256 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let k = 0; k < words; k++) d |= wa[k]! ^ wb[k]!;
    i = words << 2;
  }
  for (; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

// TextEncoder/TextDecoder exist in every runtime we target (Node, Chromium, workers) but
// not in the ES library typings that keep shared/ platform-free, hence this narrow view.
interface TextCodecs {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (
    label: string,
    opts: { fatal: boolean; ignoreBOM: boolean },
  ) => {
    decode(b: Uint8Array): string;
  };
}
const codecs = globalThis as unknown as TextCodecs;
const encoder = new codecs.TextEncoder();
const strictDecoder = new codecs.TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** For toHex: its input is ASCII by construction. */
const asciiDecoder = new codecs.TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8, returning undefined for invalid sequences instead of inserting U+FFFD. */
export function tryDecodeUtf8(b: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(b);
  } catch {
    return undefined;
  }
}

/** Reads a big-endian unsigned 32-bit integer. Requires b.length >= off + 4. */
export function readU32BE(b: Uint8Array, off = 0): number {
  return ((b[off]! << 24) >>> 0) + (b[off + 1]! << 16) + (b[off + 2]! << 8) + b[off + 3]!;
}

/** Encodes a non-negative safe integer as 8 big-endian bytes. */
export function u64BE(n: number | bigint): Uint8Array {
  const v = BigInt(n);
  if (v < 0n || v >= 1n << 64n) throw new ProofdeskError('INPUT_MALFORMED', 'u64 out of range');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, false);
  return out;
}
