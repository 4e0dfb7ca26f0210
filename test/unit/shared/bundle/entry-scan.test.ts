/**
 * The one-pass entry scan (shared/bundle/entry-scan.ts, readEntryLine) against the reference
 * reading of a line (JSON.parse + readEntryFields, parseEntryLine): one rule set, two ways in,
 * so every line must give the same fields, problems and messages, or the same JSON error.
 *
 * Lines: the sample bundle, a generated bundle with entry signatures, the audit-event shapes
 * (nested seq/time/ts), the tamper suite's line edits, hand-written edge cases, and a seeded
 * fuzz of each: duplicated members (top level and nested), escapes in member names, whitespace,
 * unicode (U+2028, lone surrogates, BOM, control characters), truncations, numbers at the edges
 * of the seq rule, JSON-significant characters inserted and deleted, deep nesting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EntryFields,
  entryEvent,
  entryFieldsDiffer,
  parseEntryLine,
  readEntryLine,
} from '../../../../shared/bundle/entry.js';
import { scanEntry, valueAt } from '../../../../shared/bundle/entry-scan.js';
import { AUDIT_EVENT_KINDS, auditEvent, auditTs } from '../../../support/audit-events.js';
import { generateBundle, makeTempDir, prng, removeDir, testKey } from '../../../support/fixtures.js';
import { REPO_ROOT } from '../../../support/vectors.js';

let tmp: string;
const lines: string[] = [];

beforeAll(() => {
  tmp = makeTempDir('proofdesk-scan-');
  const sample = readFileSync(join(REPO_ROOT, 'resources', 'samples', 'sample-bundle', 'entries.jsonl'), 'utf8');
  lines.push(...sample.split('\n').filter(Boolean));
  const g = generateBundle(join(tmp, 'signed'), 300, { signEntriesWith: testKey('scan-source', 'scan-source') });
  lines.push(...readFileSync(join(g.dir, 'entries.jsonl'), 'utf8').split('\n').filter(Boolean));
  const prev = 'ab'.repeat(32);
  for (const kind of AUDIT_EVENT_KINDS)
    for (let i = 0; i < 300; i++)
      lines.push(JSON.stringify({ seq: i, ts: auditTs(i), prev, event: auditEvent(kind, i) }));
});
afterAll(() => removeDir(tmp));

/** The tamper suite's edits of entry lines (test/integration/tamper.test.ts). */
function tamperEdits(line: string, i: number): string[] {
  return [
    line.replace(/"actor":"[^"]*"/, '"actor":"mallory@example.com"'),
    line.replace(/^\{"seq":\d+/, `{"seq":${i + 5}`),
    line.replace(/"ts":"[^"]*"/, '"ts":"2025-12-31T23:59:59Z"'),
    '{"seq":10, this is not json',
    line.replace(/"prev":"[0-9a-f]*"/, `"prev":"${'0'.repeat(64)}"`),
  ];
}

const HAND = [
  '',
  ' ',
  '{}',
  '[]',
  'null',
  '"a string"',
  '42',
  '{"seq":0}',
  '{"seq":1.0,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":1e2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":-0,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":18446744073709551616,"ts":"x","prev":"y","event":null}',
  '{"seq":9007199254740991,"ts":"2026-01-01T00:00:00.123456789Z","prev":"' + 'f'.repeat(64) + '","event":1}',
  '{"seq":9007199254740992,"ts":"2026-01-01T00:00:00Z","prev":"' + 'F'.repeat(64) + '","event":1}',
  '{"seq":123456789012345,"ts":"2026-01-01T00:00:00Z","prev":"' + 'a'.repeat(63) + '","event":1}',
  '{"seq":1234567890123456,"ts":"2026-01-01T00:00:00Z","prev":"' + 'a'.repeat(65) + '","event":1}',
  '{"seq":1,"s\\u0065q":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"\\u0073eq":1,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":1,"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{"seq":2,"ts":3,"seq":4}}',
  '{"__proto__":{"seq":1},"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":2,"ts":"2026-01-01T00:00:00\\u005a","prev":"' + '0'.repeat(64) + '","event":"\\u2028"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"\\u0030' + '0'.repeat(63) + '","event":{}}',
  '\uFEFF{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}}\r',
  '\t{ "seq" : 2 , "ts" : "2026-01-01T00:00:00Z" , "prev" : "' + '0'.repeat(64) + '" , "event" : { } }  ',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{},}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":[1,]}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":01}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\u0001"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\\x"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\\u12"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\\x0041"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\\U0041 \\u00e9 \\uD834\\uDD1E"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"tab\there"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":"\ud800"}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":tru}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":[true,false,null,-1.5e-3,0.0,1E+2]}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{}} {}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' +
    '0'.repeat(64) +
    '","event":{},"sig":{"alg":"ed25519","key":"' +
    '0'.repeat(64) +
    '","sig":"' +
    'A'.repeat(86) +
    '=="}}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","event":{},"sig":null}',
  '{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"' + '0'.repeat(64) + '","sig":{},"sig":{}}',
  `{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"${'0'.repeat(64)}","event":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"${'0'.repeat(64)}","event":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
  `{"seq":2,"ts":"2026-01-01T00:00:00Z","prev":"${'0'.repeat(64)}","event":${'['.repeat(200_000)}${']'.repeat(199_999)}}`,
];

const INSERTS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  ' ',
  '\t',
  '\r',
  '\n',
  '\u2028',
  '\ud800',
  '\udc00',
  '\uFEFF',
  '\u0000',
  '\u001f',
  'é',
  '😀',
  '\\u0065',
  '\\x0041',
  '\\U0065',
  '\\"',
  '-',
  '0',
  'e',
  '.',
];
const SEQS = [
  '0',
  '-0',
  '1.0',
  '1e2',
  '1E2',
  '-1',
  '01',
  '1.5',
  '9007199254740991',
  '9007199254740992',
  '123456789012345',
  '1234567890123456',
  '9007199254740993',
  '12345678901234567',
  '99999999999999999',
  '18014398509481985',
  '123456789012345678901234567890',
  '1e400',
  '"1"',
  'null',
  'true',
  '[]',
  '{}',
];
const NAMES = ['seq', 'ts', 'prev', 'event', 'sig'];

/** One seeded mutation of a line. */
function mutate(line: string, rand: () => number): string {
  const at = Math.floor(rand() * (line.length + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const name = pick(NAMES);
  switch (Math.floor(rand() * 16)) {
    case 14: {
      // one bracket or brace swapped for another
      const at2 = [...line.matchAll(/[[\]{}]/g)].map((m) => m.index);
      if (!at2.length) return line;
      const k = pick(at2);
      return line.slice(0, k) + pick(['[', ']', '{', '}']) + line.slice(k + 1);
    }
    case 15: // a number in the event spelled at the edges of the JSON number grammar
      return line.replace(
        /(?<=[:[,])\d+(?=[,}\]])/,
        pick(['1.', '.5', '1e', '1e+', '-', '00', '-01', '1.0e-7', '0e0', '-0.0', '2E-0']),
      );
    case 0: // a reserved member duplicated at the top level
      return line.replace(/^\{/, `{"${name}":${pick(SEQS)},`);
    case 1: // reserved names nested in the event
      return line.replace(/"event":\{/, `"event":{"${name}":1,"seq":${pick(SEQS)},"time":"x","ts":"y",`);
    case 2: // an escape in a member name, reserved or not
      return line.replace(`"${name}"`, `"${name.slice(0, 1)}\\u00${name.charCodeAt(1).toString(16)}${name.slice(2)}"`);
    case 3:
      return line.replace(/"([a-z]+)":/, '"\\u0041$1":');
    case 4: // whitespace anywhere
      return line.slice(0, at) + pick([' ', '\t', '\r', '\n', '  ']) + line.slice(at);
    case 5: // unicode and special characters anywhere
      return line.slice(0, at) + pick(INSERTS) + line.slice(at);
    case 6: // truncation
      return line.slice(0, at);
    case 7: // numbers at the edges of the seq rule
      return line.replace(/"seq":[^,}]*/, `"seq":${pick(SEQS)}`);
    case 8: // a character deleted
      return line.slice(0, at) + line.slice(at + 1);
    case 9: // a span duplicated
      return line.slice(0, at) + line.slice(at, at + Math.floor(rand() * 40)) + line.slice(at);
    case 10: // a member removed
      return line.replace(new RegExp(`"${name}":("[^"]*"|[^,{}]*),?`), '');
    case 11: // ts forms
      return line.replace(
        /"ts":"[^"]*"/,
        `"ts":${pick(['"2026-01-01T00:00:00.1234567890Z"', '"2026-02-30T00:00:00Z"', '"2026-01-01t00:00:00z"', '"2026-01-01T00:00:60Z"', '"2026-01-01T00:00:00\\u005a"', '1', 'null'])}`,
      );
    case 12: // prev forms
      return line.replace(
        /"prev":"[^"]*"/,
        `"prev":${pick([`"${'A'.repeat(64)}"`, `"${'0'.repeat(63)}"`, `"\\u0030${'0'.repeat(63)}"`, 'null', '"x"'])}`,
      );
    default: // sig forms
      return line.replace(
        /"sig":\{[^}]*\}/,
        `"sig":${pick(['{"alg":"ed25519"}', '{"alg":"rsa","key":"x","sig":"y"}', 'null', '[]', '{"alg":"ed25519","key":"' + 'a'.repeat(64) + '","sig":"AA=="}'])}`,
      );
  }
}

/** The line's own prev, when it spells one: the hot loop passes the expected link, which is often equal. */
function ownPrev(line: string): string | undefined {
  return /"prev":"([0-9a-f]{64})"/.exec(line)?.[1];
}

function agree(line: string): { fast: boolean } {
  for (const expected of [undefined, ownPrev(line), 'f'.repeat(64)]) {
    const a = readEntryLine(line, expected);
    const b = parseEntryLine(line, expected);
    const where = entryFieldsDiffer(a, b);
    if (where !== undefined)
      throw new Error(`readers disagree on ${where} of ${JSON.stringify(line.slice(0, 300))} (prev ${expected})`);
  }
  const fast = scanEntry(line) !== undefined;
  if (fast) {
    // The scan takes a line only if JSON.parse takes it, as an object, with no reserved name twice.
    const r = parseEntryLine(line) as EntryFields;
    expect(typeof r).toBe('object');
    expect(r.problems.filter((p) => p.code === 'ENTRY_MALFORMED' || / more than once/.test(p.message))).toEqual([]);
    // The scan keeps the event as text; entryEvent gives back what JSON.parse read. (Not for the
    // 5,000-deep hand-written event: any recursive comparison, JSON.stringify too, overflows.)
    if (line.length < 10_000) {
      const event = JSON.stringify((JSON.parse(line) as { event?: unknown }).event);
      expect(JSON.stringify(entryEvent(readEntryLine(line) as EntryFields))).toBe(event);
      expect(JSON.stringify(entryEvent(r))).toBe(event);
    }
  }
  return { fast };
}

describe('readEntryLine (the one-pass scan) against parseEntryLine (JSON.parse + readEntryFields)', () => {
  it('agrees on every line of the sample, a signed bundle and the audit-event shapes, and takes the fast path on them', () => {
    let fast = 0;
    for (const l of lines) if (agree(l).fast) fast++;
    expect(lines.length).toBeGreaterThan(1200);
    expect(fast).toBe(lines.length);
    // The scanned path keeps the event as text; entryEvent parses it to what JSON.parse gives.
    const f = readEntryLine(lines[0]!) as EntryFields;
    expect(f.eventJson).toBeDefined();
    expect(entryEvent(f)).toEqual((JSON.parse(lines[0]!) as { event: unknown }).event);
  });

  it('agrees on the tamper suite edits and on hand-written edge cases', () => {
    lines.forEach((l, i) => {
      for (const t of tamperEdits(l, i)) agree(t);
    });
    for (const h of HAND) agree(h);
  });

  it('agrees on a seeded fuzz of every line (20 mutations each, some stacked)', () => {
    const rand = prng(20261);
    let n = 0;
    let fast = 0;
    let malformed = 0;
    for (const l of [...lines, ...HAND.filter((h) => h.length < 10_000)]) {
      for (let k = 0; k < 20; k++) {
        let m = mutate(l, rand);
        if (rand() < 0.3) m = mutate(m, rand);
        const r = agree(m);
        n++;
        if (r.fast) fast++;
        if (typeof parseEntryLine(m) === 'string') malformed++;
      }
    }
    // Both paths are exercised in earnest: plain lines, and lines the reference path words.
    expect(n).toBeGreaterThan(25_000);
    expect(fast).toBeGreaterThan(n / 4);
    expect(n - fast).toBeGreaterThan(n / 10);
    expect(malformed).toBeGreaterThan(n / 20);
  });

  it('valueAt reads a value as JSON.parse does', () => {
    for (const v of [
      '0',
      '7',
      '123456789012345',
      '1234567890123456',
      '-0',
      '1.5',
      '1e2',
      '"abc"',
      '"a\\"b"',
      '""',
      'null',
      '{"a":[1]}',
    ]) {
      const s = `[${v}]`;
      expect(
        Object.is(valueAt(s, 1, s.length - 1), JSON.parse(v)) ||
          JSON.stringify(valueAt(s, 1, s.length - 1)) === JSON.stringify(JSON.parse(v)),
      ).toBe(true);
    }
    expect(Object.is(valueAt('-0', 0, 2), -0)).toBe(true);
  });
});
