/**
 * A one-pass scan of an entry line (the hot loop's way in to the entry rules of entry.ts).
 *
 * It checks the whole line against the JSON grammar JSON.parse accepts and records where the
 * values of the top-level members `seq`, `ts`, `prev`, `event` and `sig` are, without building
 * the object or rescanning the line for duplicate names. It judges nothing: for any line outside
 * the plain case (not valid JSON, not an object, an empty object, a member name with an escape,
 * a reserved name twice) it returns undefined, and the caller takes the reference path
 * (JSON.parse + readEntryFields), which finds and words the problem. So the rules stay in one
 * place (readEntryMembers); test/unit/shared/bundle/entry-scan.test.ts proves both ways in give
 * the same fields and problems on every vector, the tamper edits and a seeded fuzz of lines.
 */

/** Spans [start, end) of the reserved top-level values in the scanned text; -1 when absent. */
export interface EntryScan {
  seq0: number;
  seq1: number;
  ts0: number;
  ts1: number;
  prev0: number;
  prev1: number;
  event0: number;
  event1: number;
  sig0: number;
  sig1: number;
}

/** The one result object (valid until the next scanEntry call): the hot loop allocates nothing per line here. */
const scan: EntryScan = {
  seq0: -1,
  seq1: -1,
  ts0: -1,
  ts1: -1,
  prev0: -1,
  prev1: -1,
  event0: -1,
  event1: -1,
  sig0: -1,
  sig1: -1,
};
/** Open containers of the value being skipped: 1 = object, 2 = array. Grows on demand (no depth limit). */
let stack = new Uint8Array(256);

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

/** Index of the first character at or after i that is not JSON whitespace (space, tab, LF, CR). */
function ws(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  return i;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A run of plain string characters: anything but a quote, a backslash or a control character. */
const PLAIN = /[^"\\\u0000-\u001f]*/y;
/** A control character: a line with one (even as whitespace) gets the careful string scan throughout. */
const CONTROL = /[\u0000-\u001f]/;
/** Set by scanEntry: the line has no control character, so a string without a backslash ends at the next quote. */
let quickStrings = false;
/** The first backslash at or after the last position looked at (the line's length when there is none). */
let nextBackslash = 0;

/** End of the string token whose opening quote is at i (the index after its closing quote), or -1. */
function skipString(s: string, i: number, n: number): number {
  if (quickStrings) {
    const q = s.indexOf('"', i + 1);
    if (q < 0) return -1;
    if (nextBackslash <= i) {
      const b = s.indexOf('\\', i + 1);
      nextBackslash = b < 0 ? n : b;
    }
    // No backslash before the next quote: the string is those characters (none is a control
    // character). Otherwise it has escapes, and the careful scan below checks them.
    if (nextBackslash > q) return q + 1;
  }
  i++;
  while (i < n) {
    // Runs of plain characters are skipped by the regular-expression engine, not one by one.
    PLAIN.lastIndex = i;
    PLAIN.test(s);
    i = PLAIN.lastIndex;
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return -1; // a control character, or the end of the text
    const e = s.charCodeAt(i + 1);
    if (e === 117 /* u */) {
      if (
        !isHex(s.charCodeAt(i + 2)) ||
        !isHex(s.charCodeAt(i + 3)) ||
        !isHex(s.charCodeAt(i + 4)) ||
        !isHex(s.charCodeAt(i + 5))
      )
        return -1;
      i += 6;
    } else if (
      e === QUOTE ||
      e === BACKSLASH ||
      e === 47 /* / */ ||
      e === 98 /* b */ ||
      e === 102 /* f */ ||
      e === 110 /* n */ ||
      e === 114 /* r */ ||
      e === 116 /* t */
    )
      i += 2;
    else return -1;
  }
  return -1;
}

function digitsEnd(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** End of the number token at i, or -1: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function skipNumber(s: string, i: number, n: number): number {
  if (s.charCodeAt(i) === 45 /* - */) i++;
  const c = s.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) i = digitsEnd(s, i + 1, n);
  else return -1;
  if (s.charCodeAt(i) === 46 /* . */) {
    const j = digitsEnd(s, i + 1, n);
    if (j === i + 1) return -1;
    i = j;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69 /* e E */) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const j = digitsEnd(s, i, n);
    if (j === i) return -1;
    i = j;
  }
  return i;
}

/** After `{` or `,` inside an object: a member name, then a colon. Index after the colon, or -1. */
function memberName(s: string, i: number, n: number): number {
  i = ws(s, i, n);
  if (s.charCodeAt(i) !== QUOTE) return -1;
  i = skipString(s, i, n);
  if (i < 0) return -1;
  i = ws(s, i, n);
  return s.charCodeAt(i) === COLON ? i + 1 : -1;
}

/** End of the JSON value starting at i (whitespace first allowed), or -1. Iterative: no recursion limit. */
function skipValue(s: string, i: number, n: number): number {
  let depth = 0;
  for (;;) {
    // A value starts here.
    i = ws(s, i, n);
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(s, i, n);
      if (i < 0) return -1;
    } else if (c === LBRACE || c === LBRACKET) {
      const j = ws(s, i + 1, n);
      if (s.charCodeAt(j) === (c === LBRACE ? RBRACE : RBRACKET)) i = j + 1;
      else {
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          stack = bigger;
        }
        stack[depth++] = c === LBRACE ? 1 : 2;
        i = c === LBRACE ? memberName(s, j, n) : j;
        if (i < 0) return -1;
        continue;
      }
    } else if (c === 116 /* t */) {
      if (s.charCodeAt(i + 1) !== 114 || s.charCodeAt(i + 2) !== 117 || s.charCodeAt(i + 3) !== 101) return -1;
      i += 4;
    } else if (c === 102 /* f */) {
      if (
        s.charCodeAt(i + 1) !== 97 ||
        s.charCodeAt(i + 2) !== 108 ||
        s.charCodeAt(i + 3) !== 115 ||
        s.charCodeAt(i + 4) !== 101
      )
        return -1;
      i += 5;
    } else if (c === 110 /* n */) {
      if (s.charCodeAt(i + 1) !== 117 || s.charCodeAt(i + 2) !== 108 || s.charCodeAt(i + 3) !== 108) return -1;
      i += 4;
    } else {
      i = skipNumber(s, i, n);
      if (i < 0) return -1;
    }
    // After a value: close containers, or go on to the next element or member.
    for (;;) {
      if (depth === 0) return i;
      i = ws(s, i, n);
      const d = s.charCodeAt(i);
      const top = stack[depth - 1]!;
      if (d === COMMA) {
        i = top === 1 ? memberName(s, i + 1, n) : i + 1;
        if (i < 0) return -1;
        break;
      }
      if ((top === 1 && d === RBRACE) || (top === 2 && d === RBRACKET)) {
        depth--;
        i++;
        continue;
      }
      return -1;
    }
  }
}

/** Which reserved name the member name s[k0, k1) (no escapes in it) is: 1 seq, 2 ts, 3 prev, 4 event, 5 sig, else 0. */
function reservedName(s: string, k0: number, k1: number): number {
  switch (k1 - k0) {
    case 2:
      return s.charCodeAt(k0) === 116 && s.charCodeAt(k0 + 1) === 115 ? 2 : 0;
    case 3: {
      const a = s.charCodeAt(k0);
      const b = s.charCodeAt(k0 + 1);
      const c = s.charCodeAt(k0 + 2);
      if (a !== 115) return 0;
      if (b === 101 && c === 113) return 1;
      return b === 105 && c === 103 ? 5 : 0;
    }
    case 4:
      return s.startsWith('prev', k0) ? 3 : 0;
    case 5:
      return s.startsWith('event', k0) ? 4 : 0;
    default:
      return 0;
  }
}

/**
 * Scans an entry line. Returns the spans of the reserved members (a shared object, valid until
 * the next call) when the line is valid JSON, a non-empty object, with no escaped member name
 * and no reserved name twice; otherwise undefined.
 */
export function scanEntry(s: string): EntryScan | undefined {
  const n = s.length;
  quickStrings = !CONTROL.test(s);
  nextBackslash = 0;
  let i = ws(s, 0, n);
  if (s.charCodeAt(i) !== LBRACE) return undefined;
  scan.seq0 = scan.ts0 = scan.prev0 = scan.event0 = scan.sig0 = -1;
  i = ws(s, i + 1, n);
  if (s.charCodeAt(i) === RBRACE) return undefined; // {}: the reference path words the missing members
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return undefined;
    const k0 = i + 1;
    const after = skipString(s, i, n);
    if (after < 0) return undefined;
    const k1 = after - 1;
    // A name with an escape may spell a reserved name another way: the reference path decodes it.
    for (let j = k0; j < k1; j++) if (s.charCodeAt(j) === BACKSLASH) return undefined;
    const which = reservedName(s, k0, k1);
    i = ws(s, after, n);
    if (s.charCodeAt(i) !== COLON) return undefined;
    const v0 = ws(s, i + 1, n);
    const v1 = skipValue(s, v0, n);
    if (v1 < 0) return undefined;
    switch (which) {
      case 1:
        if (scan.seq0 >= 0) return undefined;
        scan.seq0 = v0;
        scan.seq1 = v1;
        break;
      case 2:
        if (scan.ts0 >= 0) return undefined;
        scan.ts0 = v0;
        scan.ts1 = v1;
        break;
      case 3:
        if (scan.prev0 >= 0) return undefined;
        scan.prev0 = v0;
        scan.prev1 = v1;
        break;
      case 4:
        if (scan.event0 >= 0) return undefined;
        scan.event0 = v0;
        scan.event1 = v1;
        break;
      case 5:
        if (scan.sig0 >= 0) return undefined;
        scan.sig0 = v0;
        scan.sig1 = v1;
        break;
    }
    i = ws(s, v1, n);
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      i = ws(s, i + 1, n);
      continue;
    }
    if (c !== RBRACE) return undefined;
    return ws(s, i + 1, n) === n ? scan : undefined;
  }
}

/**
 * The value of the JSON text s[a, b), which scanEntry found to be one valid JSON value, as
 * JSON.parse gives it: a string without escapes and a plain integer of up to 15 digits are read
 * without a parse (both are exact), anything else is parsed.
 */
export function valueAt(s: string, a: number, b: number): unknown {
  const c = s.charCodeAt(a);
  if (c === QUOTE) {
    const inner = s.slice(a + 1, b - 1);
    return inner.indexOf('\\') < 0 ? inner : JSON.parse(s.slice(a, b));
  }
  if (c >= 48 && c <= 57 && b - a <= 15) {
    let v = 0;
    for (let j = a; j < b; j++) {
      const d = s.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return JSON.parse(s.slice(a, b)); // a fraction or an exponent
      v = v * 10 + d;
    }
    return v;
  }
  return JSON.parse(s.slice(a, b));
}
