/**
 * Rules for one entry line (docs/bundle-format.md §3). These are pure functions used by the
 * worker hot loop and by every other reader, so a rule exists in exactly one place.
 */
import { tryFromBase64, utf8 } from '../encoding/bytes.js';
import { utcSeconds } from '../encoding/civil-time.js';
import { canonicalJson } from '../encoding/jcs.js';
import { type CanonicalFormProblem, canonicalFormProblem, JSON_INTEGER, numberTokens } from '../encoding/json.js';
import { scanEntry, valueAt } from './entry-scan.js';

export const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
const ENTRY_SIG_PREFIX = 'proofdesk-entry-sig-v1\n';
export const RESERVED_MEMBERS = ['seq', 'ts', 'prev', 'event', 'sig'] as const;

/** An instant with nanosecond precision, compared as (seconds, nanos). */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

/** Reads `n` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses the RFC 3339 UTC form the bundle requires: YYYY-MM-DDTHH:MM:SS[.F]Z with 1–9
 * fraction digits. Offsets other than Z, lower-case t/z and leap seconds (:60) are rejected so
 * that every accepted timestamp maps to one instant and compares exactly. Written without a
 * regular expression because it runs once per entry.
 */
export function parseTimestamp(ts: string): Instant | undefined {
  const n = ts.length;
  if (n < 20 || n > 30 || ts.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (
    ts.charCodeAt(4) !== 45 ||
    ts.charCodeAt(7) !== 45 ||
    ts.charCodeAt(10) !== 84 ||
    ts.charCodeAt(13) !== 58 ||
    ts.charCodeAt(16) !== 58
  )
    return undefined;
  const year = digits(ts, 0, 4),
    month = digits(ts, 5, 2),
    day = digits(ts, 8, 2);
  const hour = digits(ts, 11, 2),
    minute = digits(ts, 14, 2),
    second = digits(ts, 17, 2);
  // Digits that are not digits read as -1, which utcSeconds refuses like any impossible date.
  const seconds = utcSeconds(year, month, day, hour, minute, second);
  if (seconds === undefined) return undefined;
  let nanos = 0;
  if (n !== 20) {
    // ".F" with 1 to 9 digits between the seconds and the Z.
    const fracLen = n - 21;
    if (ts.charCodeAt(19) !== 46 || fracLen < 1 || fracLen > 9) return undefined;
    const f = digits(ts, 20, fracLen);
    if (f < 0) return undefined;
    nanos = f * 10 ** (9 - fracLen);
  }
  return { seconds, nanos };
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

export interface EntrySignature {
  readonly alg: 'ed25519';
  /** Signer key fingerprint: lowercase hex SHA-256 of its DER SPKI. */
  readonly key: string;
  readonly signature: Uint8Array;
}

export type EntryProblemCode = 'ENTRY_MALFORMED' | 'ENTRY_FIELD_INVALID' | 'TIMESTAMP_INVALID';

export interface EntryProblem {
  readonly code: EntryProblemCode;
  readonly member?: string;
  readonly message: string;
}

/** Whatever could be read from one entry; members that failed their rule are absent. */
export interface EntryFields {
  seq?: number;
  ts?: string;
  time?: Instant;
  /** Lowercase hex, 64 characters. */
  prev?: string;
  hasEvent: boolean;
  /** The event; read it with entryEvent(), since a scanned line keeps it as text (eventJson) until needed. */
  event?: unknown;
  /** The event's JSON text, not yet parsed (lines read by readEntryLine). */
  eventJson?: string;
  sig?: EntrySignature;
  problems: EntryProblem[];
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** Whether s is 64 lowercase hex digits (/^[0-9a-f]{64}$/ without a regular expression: it runs per entry). */
function isHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Reads the members of a parsed entry. `text` is the line as decoded UTF-8; it is consulted
 * only to detect duplicate member names, which JSON.parse silently collapses. `expectedPrev`
 * (lowercase hex), when given, short-cuts the form check of a prev that equals it.
 */
export function readEntryFields(value: unknown, text: string, expectedPrev?: string): EntryFields {
  const out: EntryFields = { hasEvent: false, problems: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.problems.push({ code: 'ENTRY_MALFORMED', message: 'entry is not a JSON object' });
    return out;
  }
  const dup = duplicateReservedMember(text);
  if (dup !== undefined) {
    out.problems.push({ code: 'ENTRY_FIELD_INVALID', member: dup, message: `member "${dup}" appears more than once` });
    return out;
  }
  return readEntryMembers(value as Record<string, unknown>, expectedPrev, out, {
    seqToken: () => seqToken(text),
    eventProblem: () => canonicalFormProblem(text, '$.event'),
  });
}

/** What the member rules read from the line's text besides the parsed values. */
interface RawMembers {
  /** The top-level seq value as written. */
  readonly seqToken: () => string | undefined;
  /** What in the event its canonical form would change, with a path under $.event. */
  readonly eventProblem: () => CanonicalFormProblem | undefined;
}

/**
 * The member rules of an entry, for an object already known to be a JSON object without a
 * reserved member twice: readEntryFields after its object and duplicate checks, and the scanned
 * path of readEntryLine. One rule set, two ways in.
 */
function readEntryMembers(
  o: Record<string, unknown>,
  expectedPrev: string | undefined,
  out: EntryFields,
  raw: RawMembers,
): EntryFields {
  readSeq(o.seq, out, raw);
  readTs(o.ts, out);
  readPrev(o.prev, expectedPrev, out);
  if ('event' in o) {
    out.hasEvent = true;
    out.event = o.event;
  } else fieldInvalid(out, 'event', 'event is missing');
  if ('sig' in o) readSig(o.sig, out, raw);
  return out;
}

function fieldInvalid(out: EntryFields, member: string, message: string): void {
  out.problems.push({ code: 'ENTRY_FIELD_INVALID', member, message });
}

/** seq: a safe non-negative integer, written as a JSON integer so that every reader reads one number. */
function readSeq(seq: unknown, out: EntryFields, raw: RawMembers): void {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    return fieldInvalid(out, 'seq', 'seq must be an integer between 0 and 2^53-1');
  const token = raw.seqToken();
  if (token === undefined || JSON_INTEGER.test(token)) out.seq = seq;
  else
    fieldInvalid(
      out,
      'seq',
      `seq must be written as a JSON integer (digits only); ${JSON.stringify(token.slice(0, 40))} is read as ${seq} by some readers and refused by others`,
    );
}

function readTs(ts: unknown, out: EntryFields): void {
  if (typeof ts !== 'string') return fieldInvalid(out, 'ts', 'ts must be a string');
  const t = parseTimestamp(ts);
  if (t) {
    out.ts = ts;
    out.time = t;
  } else
    out.problems.push({
      code: 'TIMESTAMP_INVALID',
      member: 'ts',
      message: `ts ${JSON.stringify(ts.slice(0, 64))} is not of the form YYYY-MM-DDTHH:MM:SS[.F]Z`,
    });
}

function readPrev(prev: unknown, expectedPrev: string | undefined, out: EntryFields): void {
  // The common case is a prev equal to the expected link, which is valid by construction.
  if (typeof prev === 'string' && (prev === expectedPrev || isHex64(prev))) out.prev = prev;
  else fieldInvalid(out, 'prev', 'prev must be 64 lowercase hex characters');
}

/** sig: { alg: "ed25519", key: fingerprint, sig: base64 of 64 bytes }, over an event with one canonical text. */
function readSig(s: unknown, out: EntryFields, raw: RawMembers): void {
  const sigObj = typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
  const bytes = sigObj && typeof sigObj.sig === 'string' ? tryFromBase64(sigObj.sig) : undefined;
  if (sigObj?.alg !== 'ed25519') return fieldInvalid(out, 'sig', 'sig.alg must be "ed25519"');
  if (typeof sigObj.key !== 'string' || !FINGERPRINT.test(sigObj.key))
    return fieldInvalid(out, 'sig', 'sig.key must be a key fingerprint (64 lowercase hex)');
  if (bytes?.length !== 64) return fieldInvalid(out, 'sig', 'sig.sig must be base64 of 64 bytes');
  // The signature is over the canonical form of the event: an event whose canonical form says
  // something else (9007199254740993 and 9007199254740992 share one) binds no one text.
  const p = out.hasEvent ? raw.eventProblem() : undefined;
  if (p)
    fieldInvalid(
      out,
      'event',
      `a signed event must keep its meaning in RFC 8785 canonical JSON; at ${p.path} ${p.message}, so the signature is not checked`,
    );
  else out.sig = { alg: 'ed25519', key: sigObj.key, signature: bytes };
}

/**
 * The raw text of the top-level `seq` value. The common line spells the name once, plainly;
 * otherwise (nested `seq` members, escapes) the whole line is walked.
 */
function seqToken(text: string): string | undefined {
  const first = text.indexOf('"seq"');
  if (first >= 0 && text.indexOf('"seq"', first + 1) < 0 && !text.includes('\\')) {
    const m = /^"seq"\s*:\s*(-?[0-9][0-9eE.+-]*)/.exec(text.slice(first));
    if (m) return m[1];
  }
  return numberTokens(text).get('$.seq');
}

/** The event of an entry whose fields were read (hasEvent), parsed from its text if it was kept as text. */
export function entryEvent(f: EntryFields): unknown {
  return f.eventJson !== undefined ? JSON.parse(f.eventJson) : f.event;
}

/**
 * One entry line (decoded UTF-8, without its line feed), the reference way: JSON.parse, then
 * readEntryFields. Returns the fields, or JSON.parse's message when the line is not JSON.
 */
export function parseEntryLine(text: string, expectedPrev?: string): EntryFields | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  return readEntryFields(value, text, expectedPrev);
}

/**
 * One entry line, the fast way, with parseEntryLine's answers: a plain line (see entry-scan.ts)
 * is scanned once and only its reserved members are read (the event is kept as text); any
 * other line goes the reference way, which finds and words its problem.
 */
export function readEntryLine(text: string, expectedPrev?: string): EntryFields | string {
  const sc = scanEntry(text);
  if (!sc) return parseEntryLine(text, expectedPrev);
  const o: Record<string, unknown> = {};
  if (sc.seq0 >= 0) o.seq = valueAt(text, sc.seq0, sc.seq1);
  if (sc.ts0 >= 0) o.ts = valueAt(text, sc.ts0, sc.ts1);
  if (sc.prev0 >= 0) o.prev = valueAt(text, sc.prev0, sc.prev1);
  if (sc.event0 >= 0) o.event = undefined; // present; parsed only when a signature needs it
  if (sc.sig0 >= 0) o.sig = valueAt(text, sc.sig0, sc.sig1);
  const eventJson = sc.event0 >= 0 ? text.slice(sc.event0, sc.event1) : undefined;
  const seqText = sc.seq0 >= 0 ? text.slice(sc.seq0, sc.seq1) : undefined;
  const out = readEntryMembers(
    o,
    expectedPrev,
    { hasEvent: false, problems: [] },
    {
      seqToken: () => seqText,
      eventProblem: () => {
        const p = eventJson !== undefined ? canonicalFormProblem(eventJson) : undefined;
        return p ? { ...p, path: `$.event${p.path.slice(1)}` } : undefined;
      },
    },
  );
  if (eventJson !== undefined) out.eventJson = eventJson;
  return out;
}

/**
 * Where two readings of one line differ (undefined when they agree): every field, every
 * problem, the sign of a zero, and the event as parsed. --cross-check and the differential
 * tests hold readEntryLine to parseEntryLine with it.
 */
export function entryFieldsDiffer(a: EntryFields | string, b: EntryFields | string): string | undefined {
  if (typeof a === 'string' || typeof b === 'string') return a === b ? undefined : 'JSON error';
  if (!Object.is(a.seq, b.seq)) return 'seq';
  if (a.ts !== b.ts) return 'ts';
  if (a.time?.seconds !== b.time?.seconds || a.time?.nanos !== b.time?.nanos) return 'time';
  if (a.prev !== b.prev) return 'prev';
  if (a.hasEvent !== b.hasEvent) return 'hasEvent';
  if (a.hasEvent && !sameJsonValue(entryEvent(a), entryEvent(b))) return 'event';
  if (a.sig?.key !== b.sig?.key || a.sig?.alg !== b.sig?.alg) return 'sig';
  const sa = a.sig?.signature;
  const sb = b.sig?.signature;
  if (sa?.length !== sb?.length || (sa && sb && sa.some((x, k) => x !== sb[k]))) return 'sig';
  if (a.problems.length !== b.problems.length) return 'problems';
  for (let k = 0; k < a.problems.length; k++) {
    const p = a.problems[k]!;
    const q = b.problems[k]!;
    if (p.code !== q.code || p.member !== q.member || p.message !== q.message) return 'problems';
  }
  return undefined;
}

/** Deep equality of two JSON.parse results, telling -0 from 0 and keeping member order. */
function sameJsonValue(x: unknown, y: unknown): boolean {
  if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) return Object.is(x, y);
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let k = 0; k < kx.length; k++) {
    if (kx[k] !== ky[k]) return false;
    const key = kx[k]!;
    if (!sameJsonValue((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** The bytes an event source signs: the prefix followed by RFC 8785 JCS of the event. */
export function entrySignatureMessage(event: unknown): Uint8Array {
  return utf8(ENTRY_SIG_PREFIX + canonicalJson(event));
}

/** Returns a reserved member name that occurs twice at the top level of the object in `text`. */
export function duplicateReservedMember(text: string): string | undefined {
  // One regular-expression pass finds every spelled-out reserved name; only a name seen twice
  // (or a \u escape, which could spell a name differently) needs the exact scan.
  RESERVED_TOKEN.lastIndex = 0;
  let seen = 0;
  let suspicious = false;
  for (let m = RESERVED_TOKEN.exec(text); m; m = RESERVED_TOKEN.exec(text)) {
    const bit = RESERVED_BIT[m[1]!]!;
    if (seen & bit) {
      suspicious = true;
      break;
    }
    seen |= bit;
  }
  if (!suspicious && !text.includes('\\u')) return undefined;
  const keys = topLevelKeys(text);
  if (!keys) return undefined;
  const found = new Set<string>();
  for (const k of keys) {
    if ((RESERVED_MEMBERS as readonly string[]).includes(k)) {
      if (found.has(k)) return k;
      found.add(k);
    }
  }
  return undefined;
}

const RESERVED_TOKEN = /"(seq|ts|prev|event|sig)"/g;
const RESERVED_BIT: Record<string, number> = { seq: 1, ts: 2, prev: 4, event: 8, sig: 16 };

/**
 * Member names of the top-level object in a JSON text already known to parse, in order,
 * with escapes decoded. Returns undefined if the text is not an object.
 */
export function topLevelKeys(text: string): string[] | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const skipString = (): number => {
    const start = i;
    i++; // opening quote
    while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++; // closing quote
    return start;
  };
  ws();
  if (text[i] !== '{') return undefined;
  i++;
  const keys: string[] = [];
  let depth = 1;
  let expectKey = true;
  while (i < n && depth > 0) {
    ws();
    const c = text[i];
    if (c === '"') {
      const start = skipString();
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(text.slice(start, i)) as string);
        expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      depth++;
      i++;
    } else if (c === '}' || c === ']') {
      depth--;
      i++;
    } else if (c === ',') {
      if (depth === 1) expectKey = true;
      i++;
    } else i++;
  }
  return keys;
}
