/**
 * Narrowing untrusted JSON with every problem collected with its JSON path (STYLE.md §2, §6):
 * readers return undefined for a bad value and record why, so one pass reports all problems.
 */

import { tryDecodeUtf8, tryFromBase64, tryFromHex } from './bytes.js';
import { utcSeconds } from './civil-time.js';
import { MAX_CANONICAL_DEPTH } from './jcs.js';

export interface JsonProblem {
  readonly path: string;
  readonly message: string;
}

export type JsonObject = { readonly [k: string]: unknown };

/** Parses UTF-8 JSON bytes; a syntax error is a problem at `$`, never an exception. */
export function parseJsonBytes(
  bytes: Uint8Array,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem } {
  const text = tryDecodeUtf8(bytes);
  if (text === undefined) return { ok: false, problem: { path: '$', message: 'not valid UTF-8' } };
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\ufeff/, '')) as unknown };
  } catch (e) {
    return { ok: false, problem: { path: '$', message: `not valid JSON: ${(e as Error).message}` } };
  }
}

/**
 * The first object member name that appears twice in the same object of a JSON text already
 * known to parse, with the JSON path of the object. JSON.parse keeps the last value silently
 * (RFC 8259 §4 leaves duplicates to the implementation), so two readers of one file could see
 * two different documents; evidence must not be ambiguous that way.
 */
export function firstDuplicateMember(text: string): { readonly path: string; readonly name: string } | undefined {
  let found: { readonly path: string; readonly name: string } | undefined;
  walkJson(text, {
    name: (path, name, names) => {
      if (names.has(name)) found = { path, name };
      return found !== undefined;
    },
  });
  return found;
}

/** What a JSON text holds that RFC 8785 canonical JSON would not keep, at a JSON path. */
export interface CanonicalFormProblem {
  readonly path: string;
  readonly reason: 'DUPLICATE_MEMBER' | 'NUMBER_NOT_KEPT' | 'LONE_SURROGATE' | 'TOO_DEEP';
  readonly message: string;
}

/**
 * Visits the tokens of a JSON text already known to parse: every member name with the path of
 * its object, every string and number value with its path, in order. Stops when a visitor
 * returns true.
 */
function walkJson(
  text: string,
  v: {
    readonly name?: (objectPath: string, name: string, names: Set<string>) => boolean | undefined;
    readonly string?: (path: string, value: string) => boolean | undefined;
    readonly number?: (path: string, token: string) => boolean | undefined;
    /** An object or array opens at `path`, `depth` levels down (the outermost is 1). */
    readonly open?: (path: string, depth: number) => boolean | undefined;
  },
): void {
  const stack: Array<{ names?: Set<string>; path: string; index: number; pendingName?: string }> = [];
  let i = 0;
  const n = text.length;
  let expectName = false;
  const skipString = (): number => {
    const start = i;
    i++;
    while (i < n && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
    i++;
    return start;
  };
  const readString = (): string => JSON.parse(text.slice(skipString(), i)) as string;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '$';
    return top.names ? `${top.path}.${top.pendingName ?? ''}` : `${top.path}[${top.index}]`;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const top = stack[stack.length - 1];
      if (top?.names && expectName) {
        const name = readString();
        if (v.name?.(top.path, name, top.names)) return;
        top.names.add(name);
        top.pendingName = name;
        expectName = false;
      } else if (v.string) {
        const path = childPath();
        if (v.string(path, readString())) return;
      } else skipString();
    } else if (c === 123 || c === 91) {
      const path = childPath();
      if (v.open?.(path, stack.length + 1)) return;
      stack.push(c === 123 ? { names: new Set(), path, index: 0 } : { path, index: 0 });
      expectName = c === 123;
      i++;
    } else if (c === 125 || c === 93) {
      stack.pop();
      i++;
    } else if (c === 44) {
      const top = stack[stack.length - 1];
      if (top?.names) expectName = true;
      else if (top) top.index++;
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      while (i < n && /[0-9eE.+-]/.test(text[i] as string)) i++;
      if (v.number?.(childPath(), text.slice(start, i))) return;
    } else i++;
  }
}

/** A decimal number's exact value as sign, significant digits and exponent; "-0" is "0". */
function decimalValue(token: string): string | undefined {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(token);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  let digits = `${m[2]}${frac}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let exp = BigInt(m[4] ?? '0') - BigInt(frac.length);
  const trimmed = digits.replace(/0+$/, '');
  exp += BigInt(digits.length - trimmed.length);
  digits = trimmed;
  return `${m[1]}${digits}e${exp}`;
}

/** The raw text of every number in a JSON text already known to parse, by JSON path. */
export function numberTokens(text: string): Map<string, string> {
  const out = new Map<string, string>();
  walkJson(text, {
    number: (path, token) => {
      out.set(path, token);
      return undefined;
    },
  });
  return out;
}

/** JSON integer syntax without fraction or exponent: the form counts and sequence numbers are written in. */
export const JSON_INTEGER = /^(0|[1-9][0-9]*)$/;

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first thing in a JSON text (already known to parse), at or below the path `under`, that
 * makes its RFC 8785 canonical form say something else: a member name given twice in one object
 * (a reader keeps one of them), a number whose value its canonical (IEEE 754 double) form does
 * not keep (integers beyond 2^53 that no double holds, 1e400, 1e-400, more digits than a double
 * has), or a lone surrogate (no UTF-8 form). `1.0` and `1e2` are kept: they are the values 1 and
 * 100. Undefined when the canonical form is the same value.
 */
export function canonicalFormProblem(text: string, under = '$'): CanonicalFormProblem | undefined {
  const inside = (path: string) => path === under || path.startsWith(`${under}.`) || path.startsWith(`${under}[`);
  let found: CanonicalFormProblem | undefined;
  let base: number | undefined;
  walkJson(text, {
    open: (path, depth) => {
      // Depth is counted from the value checked, as canonicalJson counts it from the value it is given.
      if (path === under) base = depth - 1;
      if (base === undefined || depth - base <= MAX_CANONICAL_DEPTH) return undefined;
      // Reported at the value checked, not at the 1,000-level path, which would fill the message.
      found = {
        path: under,
        reason: 'TOO_DEEP',
        message: `the value nests deeper than ${MAX_CANONICAL_DEPTH} levels, more than Proofdesk canonicalises`,
      };
      return true;
    },
    name: (objectPath, name, names) => {
      if (!inside(objectPath)) return undefined;
      if (LONE.test(name))
        found = { path: objectPath, reason: 'LONE_SURROGATE', message: 'a member name holds a lone surrogate' };
      else if (names.has(name))
        found = {
          path: objectPath,
          reason: 'DUPLICATE_MEMBER',
          message: `member ${JSON.stringify(name)} is given twice in one object`,
        };
      return found !== undefined;
    },
    string: (path, value) => {
      if (!inside(path) || !LONE.test(value)) return undefined;
      found = { path, reason: 'LONE_SURROGATE', message: 'the string holds a lone surrogate' };
      return true;
    },
    number: (path, token) => {
      if (!inside(path)) return undefined;
      const n = Number(token);
      const canonical = Number.isFinite(n) ? JSON.stringify(n) : undefined;
      if (canonical !== undefined && decimalValue(canonical) === decimalValue(token)) return undefined;
      found = {
        path,
        reason: 'NUMBER_NOT_KEPT',
        message: `the number ${token.length > 40 ? `${token.slice(0, 40)}…` : token} would become ${canonical ?? 'no number at all'} in RFC 8785 canonical JSON`,
      };
      return true;
    },
  });
  return found;
}

export class JsonReader {
  readonly problems: JsonProblem[] = [];

  problem(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  object(v: unknown, path: string): JsonObject | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as JsonObject;
    return this.problem(path, 'expected an object');
  }

  array(v: unknown, path: string, max = 10_000): readonly unknown[] | undefined {
    if (!Array.isArray(v)) return this.problem(path, 'expected an array');
    if (v.length > max) return this.problem(path, `more than ${max} elements`);
    return v;
  }

  string(
    v: unknown,
    path: string,
    opts: { readonly max?: number; readonly optional?: boolean } = {},
  ): string | undefined {
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'string') return this.problem(path, v === undefined ? 'missing' : 'expected a string');
    if (opts.max !== undefined && v.length > opts.max) return this.problem(path, `longer than ${opts.max} characters`);
    return v;
  }

  /** Standard base64 (RFC 4648 §4, strict padding). */
  base64(
    v: unknown,
    path: string,
    opts: { readonly length?: number; readonly optional?: boolean; readonly max?: number } = {},
  ): Uint8Array | undefined {
    const s = this.string(v, path, opts);
    if (s === undefined) return undefined;
    const b = tryFromBase64(s);
    if (!b) return this.problem(path, 'not valid base64');
    if (opts.length !== undefined && b.length !== opts.length)
      return this.problem(path, `expected ${opts.length} bytes, got ${b.length}`);
    return b;
  }

  /** Lowercase or uppercase hex of the given byte length, when given. */
  hex(
    v: unknown,
    path: string,
    opts: { readonly length?: number; readonly optional?: boolean; readonly max?: number } = {},
  ): Uint8Array | undefined {
    const s = this.string(v, path, opts);
    if (s === undefined) return undefined;
    const b = tryFromHex(s.toLowerCase());
    if (!b) return this.problem(path, 'not valid hex');
    if (opts.length !== undefined && b.length !== opts.length)
      return this.problem(path, `expected ${opts.length} bytes, got ${b.length}`);
    return b;
  }

  /**
   * A non-negative safe integer, given as a JSON number or (as protobuf JSON writes int64) a
   * decimal string without sign or leading zeros.
   */
  integer(
    v: unknown,
    path: string,
    opts: { readonly optional?: boolean; readonly allowString?: boolean } = {},
  ): number | undefined {
    if (v === undefined && opts.optional) return undefined;
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && v >= 0) return v;
      return this.problem(path, 'expected a non-negative integer below 2^53');
    }
    if (typeof v === 'string' && opts.allowString !== false) {
      if (/^(0|[1-9][0-9]{0,15})$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
      return this.problem(path, 'expected a decimal integer below 2^53');
    }
    return this.problem(path, v === undefined ? 'missing' : 'expected an integer');
  }

  /** An RFC 3339 time with a Z or numeric offset; returns seconds since the epoch (fraction dropped). */
  time(v: unknown, path: string, opts: { readonly optional?: boolean } = {}): number | undefined {
    const s = this.string(v, path, opts);
    if (s === undefined) return undefined;
    const t = parseRfc3339Seconds(s);
    if (t === undefined) return this.problem(path, 'expected an RFC 3339 time');
    return t;
  }
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$/;

/**
 * Seconds since the epoch of an RFC 3339 date-time (fraction truncated), or undefined.
 * A leap second (:60) reads as the second before it; offsets are limited to the RFC 3339 §5.6
 * time-hour (00–23) and time-minute (00–59).
 */
export function parseRfc3339Seconds(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  if (se > 60) return undefined;
  const t = utcSeconds(y, mo, d, h, mi, Math.min(se, 59));
  if (t === undefined) return undefined;
  let off = 0;
  const z = m[8]!;
  if (z !== 'Z' && z !== 'z') {
    const [oh, om] = [+z.slice(1, 3), +z.slice(4, 6)];
    if (oh > 23 || om > 59) return undefined;
    off = (z[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return t - off;
}
