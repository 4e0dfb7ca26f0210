/**
 * A small strict DER reader (ITU-T X.690 §10) for the structures the log formats carry:
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), X.509 certificates (RFC 5280 §4.1) and ECDSA
 * signatures (RFC 3279 §2.2.3). Total: every reader returns undefined for malformed input
 * instead of throwing, so attacker-controlled bytes turn into findings, never crashes.
 *
 * Only what DER allows is accepted: definite lengths in minimal form, low tag numbers.
 */
import { utcSeconds } from './civil-time.js';

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** The contents octets. */
  readonly value: Uint8Array;
  /** The whole element, header included. */
  readonly raw: Uint8Array;
  /** Offset just past the element in the buffer it was read from. */
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Longest length field accepted (4 octets: 4 GiB), far above any structure read here. */
const MAX_LENGTH_OCTETS = 4;

/** Reads one element at `off`. X.690 §8.1 with the DER restrictions of §10.1. */
function readTlv(b: Uint8Array, off = 0): Tlv | undefined {
  if (off < 0 || off + 2 > b.length) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers: never used by these structures
  let len = b[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > MAX_LENGTH_OCTETS || p + n > b.length || b[p] === 0) return undefined; // indefinite, huge, or not minimal
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
    if (len < 0x80) return undefined; // DER: the short form was required
  }
  if (p + len > b.length) return undefined;
  return { tag, value: b.subarray(p, p + len), raw: b.subarray(off, p + len), end: p + len };
}

/** Reads an element that spans all of `b` exactly, with the given tag. */
export function readWhole(b: Uint8Array, tag: number): Tlv | undefined {
  const t = readTlv(b, 0);
  return t && t.tag === tag && t.end === b.length ? t : undefined;
}

/** The elements of a constructed value, or undefined if they do not tile it exactly. */
export function readChildren(value: Uint8Array): Tlv[] | undefined {
  const out: Tlv[] = [];
  let off = 0;
  while (off < value.length) {
    const t = readTlv(value, off);
    if (!t) return undefined;
    out.push(t);
    off = t.end;
  }
  return out;
}

/** Dotted decimal form of an OBJECT IDENTIFIER's contents (X.690 §8.19), or undefined. */
export function decodeOid(v: Uint8Array): string | undefined {
  if (v.length === 0 || v[v.length - 1]! & 0x80) return undefined;
  const arcs: number[] = [];
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    if (n === 0 && v[i] === 0x80) return undefined; // non-minimal arc
    n = n * 128 + (v[i]! & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (!(v[i]! & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

/**
 * The contents of a DER INTEGER as a non-negative bigint, or undefined when it is negative
 * or not minimally encoded (X.690 §8.3.2: no redundant leading 0x00 or 0xFF octet).
 */
export function decodeUnsignedInteger(v: Uint8Array): bigint | undefined {
  if (v.length === 0) return undefined;
  if (v[0]! & 0x80) return undefined; // negative
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // redundant leading zero
  let x = 0n;
  for (const byte of v) x = (x << 8n) | BigInt(byte);
  return x;
}

/** Minimal DER INTEGER contents for a non-negative bigint. */
export function encodeUnsignedInteger(x: bigint): Uint8Array {
  if (x < 0n) throw new RangeError('negative');
  const hex = x.toString(16);
  const bytes: number[] = [];
  const h = hex.length % 2 ? '0' + hex : hex;
  for (let i = 0; i < h.length; i += 2) bytes.push(parseInt(h.slice(i, i + 2), 16));
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

/** Encodes a DER element from a tag and its contents. */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const len = value.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const lb: number[] = [];
    for (let l = len; l > 0; l = Math.floor(l / 256)) lb.unshift(l % 256);
    header = [tag, 0x80 | lb.length, ...lb];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header);
  out.set(value, header.length);
  return out;
}

/**
 * Seconds since the epoch of a UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime
 * (YYYYMMDDHHMMSSZ) as RFC 5280 §4.1.2.5 requires them: UTC, seconds present, no fraction.
 */
export function decodeTime(t: Tlv): number | undefined {
  let s = '';
  for (const c of t.value) s += String.fromCharCode(c);
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = +m[1]!;
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (t.tag === TAG.GENERALIZED_TIME && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    year = +m[1]!;
  } else return undefined;
  // A date that does not exist (31 February) is malformed, not rolled over into March.
  return utcSeconds(year, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
