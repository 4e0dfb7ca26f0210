/**
 * `proofdesk seal`, the reference exporter, never changes the data it seals: events are embedded
 * byte for byte, what canonical JSON would change is refused with its line number, times must be
 * the bundle's form and never go backwards, and a refusal or failure leaves nothing behind.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { caseCli } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';

let tmp: string;
const { cli } = caseCli(() => tmp);
const ORIGIN = 'app.example/audit';

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-seal-');
  expect((await cli(['keygen', '--out', 'log', '--name', ORIGIN, '--no-passphrase'])).code).toBe(0);
});
afterAll(() => removeDir(tmp));

let n = 0;
async function seal(lines: string | Buffer, extra: string[] = []) {
  const name = `log-${n++}`;
  writeFileSync(join(tmp, `${name}.jsonl`), lines);
  const r = await cli(['seal', `${name}.jsonl`, '--key', 'log.key', '--origin', ORIGIN, '--out', name, ...extra]);
  return { ...r, dir: join(tmp, name), name };
}

/** Nothing was written: no output and no temporary sibling. */
function nothingLeft(name: string): void {
  expect(existsSync(join(tmp, name))).toBe(false);
  expect(readdirSync(tmp).filter((f) => f.includes('.seal-'))).toEqual([]);
}

const ts = (i: number) => `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`;

describe('seal keeps every event byte for byte', () => {
  it('embeds the event text verbatim (1.0 stays 1.0), and the bundle verifies', async () => {
    const events = [
      `{"ts":"${ts(1)}","f":1.0,"n":12.50,"e":1E2,"s":"caf\\u00e9 é","nested":{"a":[1,2.0,-0]}}`,
      `  {"ts":"${ts(2)}","arr":[true,false,null]}\r`,
      `["a","b"]`,
      `"just a string"`,
    ];
    const r = await seal(`${events.join('\n')}\n`, ['--clock', ts(3)]);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(join(r.dir, 'entries.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    // Surrounding JSON whitespace (and the CR) is not part of the value; the value is untouched.
    expect(lines.map((l) => l.slice(l.indexOf('"event":') + 8, -1))).toEqual([
      events[0],
      `{"ts":"${ts(2)}","arr":[true,false,null]}`,
      events[2],
      events[3],
    ]);
    const v = await cli(['verify', r.name, '--trust', 'log.pub', '--json']);
    expect([v.code, (JSON.parse(v.out) as VerificationRun).result.verdict]).toEqual([0, 'PASS']);
  });

  it('the last line needs no line feed', async () => {
    const r = await seal(`{"ts":"${ts(1)}","a":1}\n{"ts":"${ts(2)}","a":2}`);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(r.dir, 'entries.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('refuses, with the line number and the JSON path, what canonical JSON would change', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        '{"id":123456789012345678901234567890,"big":9007199254740993,"x":1e400,"f":1.0}',
        /line 2: at \$\.id .*1\.2345678901234568e\+29/,
      ],
      ['{"big":9007199254740993}', /line 2: at \$\.big the number 9007199254740993 would become 9007199254740992/],
      ['{"x":1e400}', /line 2: at \$\.x .*no number at all/],
      ['{"a":{"b":1,"b":2}}', /line 2: at \$\.a member "b" is given twice in one object/],
      ['{"a":"\\ud800"}', /line 2: at \$\.a .*lone surrogate/],
      ['{"a":1} {"b":2}', /line 2: not one JSON value/],
    ];
    for (const [line, why] of cases) {
      const r = await seal(`{"ts":"${ts(1)}"}\n${line}\n`, ['--clock', ts(2)]);
      expect(r.code, line).toBe(2);
      expect(r.err, line).toMatch(why);
      nothingLeft(r.name);
    }
    const notUtf8 = await seal(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n')]));
    expect([notUtf8.code, notUtf8.err]).toEqual([2, expect.stringMatching(/line 1: not valid UTF-8/)]);
  });
});

describe('seal seals exactly the times the verifier accepts', () => {
  it('refuses a time member that is not an RFC 3339 UTC time, naming the line', async () => {
    for (const bad of [
      '1700000000',
      '"2026-01-01 00:00:00"',
      '"2026-01-01T00:00:00+01:00"',
      '"2026-06-30T23:59:60Z"',
    ]) {
      const r = await seal(`{"ts":"${ts(1)}"}\n{"ts":${bad}}\n`);
      expect(r.code, bad).toBe(2);
      expect(r.err, bad).toMatch(/line 2: its time member "ts" holds .* not an RFC 3339 UTC time/);
      nothingLeft(r.name);
    }
    // --ts-field names the member to read instead.
    const other = await seal(`{"ts":1700000000,"when":"${ts(1)}"}\n`, ['--ts-field', 'when']);
    expect(other.code, other.err).toBe(0);
  });

  it('refuses times that go backwards, naming both lines; equal times are fine', async () => {
    const r = await seal(`{"ts":"${ts(5)}"}\n{"ts":"${ts(5)}"}\n{"ts":"${ts(4)}"}\n`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /line 3: ts 2026-01-01T00:00:04Z is earlier than 2026-01-01T00:00:05Z on line 2.*TIMESTAMP_REGRESSION/,
    );
    nothingLeft(r.name);
    // An event without a time takes the clock, which must not go backwards either.
    const clock = await seal(`{"ts":"${ts(5)}"}\n{"no":"time"}\n`, ['--clock', ts(1)]);
    expect([clock.code, clock.err]).toEqual([2, expect.stringMatching(/line 2: ts 2026-01-01T00:00:01Z is earlier/)]);
  });

  it('a refusal far into the log leaves nothing behind, for a directory and for a .tar', async () => {
    const good = Array.from({ length: 3000 }, (_, i) => `{"ts":"2026-01-01T00:00:00Z","i":${i}}`);
    for (const out of [[], ['--checkpoint-every', '100']]) {
      const r = await seal(`${good.join('\n')}\n{"x":1e400}\n`, out);
      expect([r.code, r.err]).toEqual([2, expect.stringMatching(/line 3001/)]);
      nothingLeft(r.name);
    }
    writeFileSync(join(tmp, 'late.jsonl'), `${good.join('\n')}\n{"x":1e400}\n`);
    const tar = await cli(['seal', 'late.jsonl', '--key', 'log.key', '--origin', ORIGIN, '--out', 'late.tar']);
    expect(tar.code).toBe(2);
    nothingLeft('late.tar');
  });

  it('--json says what was sealed', async () => {
    const r = await seal(`{"ts":"${ts(1)}"}\n{"ts":"${ts(2)}"}\n`, ['--json', '--checkpoint-every', '1']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      out: r.dir,
      container: 'directory',
      origin: ORIGIN,
      entries: 2,
      checkpoints: 2,
      keyName: ORIGIN,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
