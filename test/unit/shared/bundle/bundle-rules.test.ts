import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainGenesis, chainLink } from '../../../../shared/bundle/chain.js';
import {
  compareInstants,
  duplicateReservedMember,
  entryFieldsDiffer,
  entrySignatureMessage,
  parseEntryLine,
  parseTimestamp,
  readEntryFields,
  readEntryLine,
  topLevelKeys,
} from '../../../../shared/bundle/entry.js';
import { validateManifest } from '../../../../shared/bundle/manifest.js';
import { checkBundlePath } from '../../../../shared/bundle/paths.js';
import { fromHex, toHex } from '../../../../shared/encoding/bytes.js';
import { MAX_CANONICAL_DEPTH } from '../../../../shared/encoding/jcs.js';

const H = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('bundle paths', () => {
  it.each([
    ['entries.jsonl', undefined],
    ['checkpoints/000000000128.checkpoint', undefined],
    ['', 'EMPTY'],
    ['/etc/passwd', 'ABSOLUTE'],
    ['../x', 'DOT_SEGMENT'],
    ['a/./b', 'DOT_SEGMENT'],
    ['a//b', 'EMPTY_SEGMENT'],
    ['a\\b', 'BACKSLASH'],
    ['C:/x', 'FORBIDDEN_CHARACTER'],
    ['caf\u00e9', 'FORBIDDEN_CHARACTER'],
    ['a\u0000b', 'FORBIDDEN_CHARACTER'],
    ['x'.repeat(1025), 'TOO_LONG'],
    ['a/', 'EMPTY_SEGMENT'],
  ])('%j → %s', (p, want) => expect(checkBundlePath(p)).toBe(want));
});

describe('manifest validation', () => {
  const good = {
    format: 'proofdesk-bundle',
    version: 1,
    origin: 'o.example/log',
    hash: 'sha256',
    entries: { path: 'entries.jsonl', count: 3 },
    checkpoints: ['checkpoints/3.checkpoint'],
    files: [
      { path: 'entries.jsonl', size: 10, sha256: 'a'.repeat(64) },
      { path: 'checkpoints/3.checkpoint', size: 5, sha256: 'b'.repeat(64) },
    ],
  };
  it('accepts a good manifest with defaults', () => {
    const v = validateManifest(good);
    expect(v.kind).toBe('ok');
    if (v.kind === 'ok') {
      expect(v.problems).toEqual([]);
      expect(v.manifest.entries.first_seq).toBe(0);
      expect(v.manifest.proofs).toEqual([]);
    }
  });
  it('refuses other formats and versions outright', () => {
    expect(validateManifest({ ...good, format: 'other' }).kind).toBe('unsupported');
    expect(validateManifest({ ...good, version: 2 }).kind).toBe('unsupported');
    expect(validateManifest([]).kind).toBe('invalid');
    expect(validateManifest({ ...good, entries: { path: '../x', count: 1 } }).kind).toBe('invalid');
  });
  it('collects every problem with its JSON path', () => {
    const v = validateManifest({
      ...good,
      hash: 'md5',
      files: [
        ...good.files,
        { path: '/abs', size: -1, sha256: 'XYZ' },
        { path: 'entries.jsonl', size: 1, sha256: 'c'.repeat(64) },
      ],
      keys: ['keys/missing.vkey'],
    });
    expect(v.kind).toBe('ok');
    if (v.kind !== 'ok') return;
    expect(v.problems.map((p) => [p.path, p.unsafePath ?? false])).toEqual([
      ['$.hash', false],
      ['$.files[2].path', true],
      ['$.files[2].size', false],
      ['$.files[2].sha256', false],
      ['$.files[3].path', false],
      ['$.keys[0]', false],
    ]);
  });
});

describe('entry rules', () => {
  it('parses only the strict RFC 3339 UTC form, to the nanosecond', () => {
    expect(parseTimestamp('2026-01-01T00:00:00Z')).toEqual({ seconds: Date.UTC(2026, 0, 1) / 1000, nanos: 0 });
    expect(parseTimestamp('2024-02-29T23:59:59.123456789Z')).toEqual({
      seconds: Date.UTC(2024, 1, 29, 23, 59, 59) / 1000,
      nanos: 123456789,
    });
    expect(parseTimestamp('2026-01-01T00:00:00.5Z')!.nanos).toBe(500_000_000);
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01 00:00:00Z',
      '2026-01-01T00:00:00+00:00',
      '2026-01-01T00:00:00z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T00:00:00.1234567891Z',
      '',
    ]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
    expect(
      compareInstants(parseTimestamp('2026-01-01T00:00:00.1Z')!, parseTimestamp('2026-01-01T00:00:00.09Z')!),
    ).toBeGreaterThan(0);
  });
  it('reads members and reports each problem', () => {
    const ok = readEntryFields(
      JSON.parse('{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"' + 'a'.repeat(64) + '","event":{}}'),
      '',
    );
    expect(ok.problems).toEqual([]);
    expect(ok.seq).toBe(1);
    const bad = readEntryFields({ seq: -1, ts: 'yesterday', prev: 'A'.repeat(64), sig: { alg: 'rsa' } }, '');
    expect(bad.problems.map((p) => [p.code, p.member])).toEqual([
      ['ENTRY_FIELD_INVALID', 'seq'],
      ['TIMESTAMP_INVALID', 'ts'],
      ['ENTRY_FIELD_INVALID', 'prev'],
      ['ENTRY_FIELD_INVALID', 'event'],
      ['ENTRY_FIELD_INVALID', 'sig'],
    ]);
    expect(readEntryFields([1], '').problems[0]!.code).toBe('ENTRY_MALFORMED');
  });
  it('detects duplicate reserved members that JSON.parse would silently collapse', () => {
    expect(duplicateReservedMember('{"seq":1,"seq":2}')).toBe('seq');
    expect(duplicateReservedMember('{"seq":1,"s\\u0065q":2}')).toBe('seq');
    expect(duplicateReservedMember('{"seq":1,"event":{"seq":2}}')).toBeUndefined();
    expect(duplicateReservedMember('{"seq":1,"event":"\\"seq\\""}')).toBeUndefined();
    expect(topLevelKeys('{"a":[{"b":1},"c"],"d\\n":{"e":{}}}')).toEqual(['a', 'd\n']);
    const dup = readEntryFields(JSON.parse('{"seq":1,"seq":2}'), '{"seq":1,"seq":2}');
    expect(dup.problems).toEqual([{ code: 'ENTRY_FIELD_INVALID', member: 'seq', message: expect.any(String) }]);
  });
  it('accepts years 0000-9999 (proleptic Gregorian, as RFC 3339), never a leap second', () => {
    expect(parseTimestamp('0000-02-29T00:00:00Z')).toEqual({ seconds: -62162121600, nanos: 0 });
    expect(parseTimestamp('0001-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('9999-12-31T23:59:59.999999999Z')).toEqual({ seconds: 253402300799, nanos: 999999999 });
    expect(parseTimestamp('2016-12-31T23:59:60Z')).toBeUndefined();
  });
  it('seq is written as a JSON integer: 1.0, 1e0 and 4503599627370496.5 are refused', () => {
    const prev = 'a'.repeat(64);
    const line = (seq: string) => `{"seq":${seq},"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{"seq":7.5}}`;
    expect(readEntryFields(JSON.parse(line('1')), line('1')).seq).toBe(1);
    for (const form of ['1.0', '1e0', '10E-1', '4503599627370496.5']) {
      const r = readEntryFields(JSON.parse(line(form)), line(form));
      expect(
        r.problems.map((p) => [p.code, p.member]),
        form,
      ).toEqual([['ENTRY_FIELD_INVALID', 'seq']]);
      expect(r.seq).toBeUndefined();
    }
    // Found where it is, however the line spells or nests its names.
    const nested = `{"event":{"seq":1.5},"\\u0073eq":2,"ts":"2026-01-01T00:00:00Z","prev":"${prev}"}`;
    expect(readEntryFields(JSON.parse(nested), nested).seq).toBe(2);
    const nested2 = `{"event":{"seq":1},"seq":2.0,"ts":"2026-01-01T00:00:00Z","prev":"${prev}"}`;
    expect(readEntryFields(JSON.parse(nested2), nested2).problems.map((p) => p.member)).toEqual(['seq']);
  });
  it('a signed event must keep its meaning in canonical JSON, else its signature is not checked', () => {
    const sig = { alg: 'ed25519', key: 'b'.repeat(64), sig: 'A'.repeat(86) + '==' };
    const line = (event: string) =>
      `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${'a'.repeat(64)}","event":${event},"sig":${JSON.stringify(sig)}}`;
    expect(
      readEntryFields(JSON.parse(line('{"n":9007199254740992,"f":1.0}')), line('{"n":9007199254740992,"f":1.0}')).sig,
    ).toBeDefined();
    for (const event of ['{"n":9007199254740993}', '{"x":1e400}', '{"a":1,"a":2}']) {
      const r = readEntryFields(JSON.parse(line(event)), line(event));
      expect([r.sig, r.problems.map((p) => [p.code, p.member])], event).toEqual([
        undefined,
        [['ENTRY_FIELD_INVALID', 'event']],
      ]);
    }
    // Unsigned, the event is bytes under the Merkle root, never canonicalised: no finding.
    const unsigned = `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${'a'.repeat(64)}","event":{"n":9007199254740993}}`;
    expect(readEntryFields(JSON.parse(unsigned), unsigned).problems).toEqual([]);
  });
  it('a signed event nested deeper than the canonical bound is refused the same way on both ways in, on any thread', () => {
    const sig = { alg: 'ed25519', key: 'b'.repeat(64), sig: 'A'.repeat(86) + '==' };
    const line = (event: string) =>
      `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${'a'.repeat(64)}","event":${event},"sig":${JSON.stringify(sig)}}`;
    const nest = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    // Levels are counted from the event, as canonicalJson counts them: MAX_CANONICAL_DEPTH arrays fit.
    const fits = line(nest(MAX_CANONICAL_DEPTH));
    expect(readEntryFields(JSON.parse(fits), fits).sig).toBeDefined();
    const scanned = readEntryLine(fits);
    if (typeof scanned === 'string') throw new Error(scanned);
    expect(scanned.sig).toBeDefined();
    for (const depth of [MAX_CANONICAL_DEPTH + 1, 6000]) {
      const deep = line(nest(depth));
      const parsed = readEntryFields(JSON.parse(deep), deep);
      const viaScan = readEntryLine(deep);
      if (typeof viaScan === 'string') throw new Error(viaScan);
      for (const r of [parsed, viaScan]) {
        expect([r.sig, r.problems.map((p) => [p.code, p.member])]).toEqual([
          undefined,
          [['ENTRY_FIELD_INVALID', 'event']],
        ]);
        expect(r.problems[0]?.message).toContain(`deeper than ${MAX_CANONICAL_DEPTH} levels`);
        expect(r.problems[0]?.message.length).toBeLessThan(300);
      }
    }
  });
  it('sig.sig is standard padded base64 of 64 bytes and sig.key lowercase hex: other spellings are refused', () => {
    const good = Buffer.alloc(64, 0xfb).toString('base64');
    const entry = (sig: Record<string, string>) => ({
      seq: 1,
      ts: '2026-01-01T00:00:00Z',
      prev: 'a'.repeat(64),
      event: {},
      sig: { alg: 'ed25519', key: 'b'.repeat(64), sig: good, ...sig },
    });
    expect(readEntryFields(entry({}), '').sig).toBeDefined();
    for (const bad of [
      { sig: good.replace(/\+/g, '-').replace(/\//g, '_') },
      { sig: good.replace(/=+$/, '') },
      { sig: ` ${good}` },
      { key: 'B'.repeat(64) },
    ] as Array<Record<string, string>>) {
      const r = readEntryFields(entry(bad), '');
      expect([r.sig, r.problems.map((p) => p.member)], JSON.stringify(bad)).toEqual([undefined, ['sig']]);
    }
  });
  it('the scanned way in (readEntryLine) applies the seq spelling and signed-event rules exactly as the reference way', () => {
    const prev = 'a'.repeat(64);
    const sig = `{"alg":"ed25519","key":"${'b'.repeat(64)}","sig":"${'A'.repeat(86)}=="}`;
    const lines = [
      `{"seq":7.0,"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{}}`,
      `{"seq":7,"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{"seq":1e0}}`,
      `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{"n":9007199254740993},"sig":${sig}}`,
      `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{"a":{"b":1,"b":2}},"sig":${sig}}`,
      `{"seq":1,"ts":"2026-01-01T00:00:00Z","prev":"${prev}","event":{"n":1.0},"sig":${sig}}`,
    ];
    const problems = lines.map((l) => {
      const fast = readEntryLine(l, prev);
      expect(entryFieldsDiffer(fast, parseEntryLine(l, prev)), l).toBeUndefined();
      return typeof fast === 'string' ? fast : fast.problems.map((p) => p.member);
    });
    expect(problems).toEqual([['seq'], [], ['event'], ['event'], []]);
  });
  it('signs the prefix and the canonical event', () => {
    expect(new TextDecoder().decode(entrySignatureMessage({ b: 1, a: [true] }))).toBe(
      'proofdesk-entry-sig-v1\n{"a":[true],"b":1}',
    );
  });
});

describe('hash chain (proofdesk-chain-v1)', () => {
  it('genesis binds the origin; links hash prev || leaf', () => {
    expect(toHex(chainGenesis('o.example/log'))).toBe(H('proofdesk-chain-v1\no.example/log\n'));
    const prev = fromHex('11'.repeat(32));
    const leaf = fromHex('22'.repeat(32));
    expect(toHex(chainLink(prev, leaf))).toBe(H(Buffer.concat([Buffer.from(prev), Buffer.from(leaf)])));
  });
});

describe('timestamp parser against the platform clock arithmetic', () => {
  it('agrees with Date.parse on 20,000 pseudo-random valid timestamps across years 0001–9999', () => {
    let x = 99991;
    const rnd = (n: number) => (x = (x * 1103515245 + 12345) >>> 0) % n;
    for (let k = 0; k < 20_000; k++) {
      const ms = Date.UTC(1 + rnd(9999), 0, 1) + rnd(365 * 86400) * 1000 + rnd(1000);
      const d = new Date(ms);
      if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) continue;
      const iso = d.toISOString();
      const t = parseTimestamp(iso)!;
      expect(t.seconds * 1000 + t.nanos / 1e6).toBe(Date.parse(iso));
    }
  });
});
