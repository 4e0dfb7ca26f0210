/**
 * A rewriter cannot withhold the comparison with a deeply nested entry: two exports of one log
 * whose entry 5 nests 5,000 arrays (a 10 KB line) and differs at the bottom. `diff` gives its
 * verdict (exit 1, REWRITTEN) with the depth the paths stop at, and `diff --case` records a
 * finished run with that verdict, not a failed one.
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import { listRuns } from '../../electron/case/runs.js';
import { MAX_FIELD_DEPTH } from '../../shared/diff/json-diff.js';
import type { DiffResult } from '../../shared/diff/model.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { caseCli } from '../support/cli.js';
import { generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-diff-deep-');
const { cli } = caseCli(() => tmp);
afterAll(() => removeDir(tmp));

/** A copy of `src` whose entry 5 holds `leaf` 5,000 arrays deep; the manifest is redone to match. */
function deepCopy(src: string, name: string, leaf: string): string {
  const dir = join(tmp, name);
  cpSync(src, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n').slice(0, -1);
  const e = JSON.parse(lines[5]!) as Record<string, unknown>;
  e.event = '@@';
  lines[5] = JSON.stringify(e).replace('"@@"', `${'['.repeat(5000)}${leaf}${']'.repeat(5000)}`);
  const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  writeFileSync(join(dir, 'entries.jsonl'), bytes);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: Array<{ path: string; size: number; sha256: string }>;
  };
  const f = m.files.find((x) => x.path === 'entries.jsonl')!;
  f.size = bytes.length;
  f.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  return dir;
}

let a: string;
let b: string;
beforeAll(() => {
  const g = generateBundle(join(tmp, 'orig'), 20, { checkpointEvery: 10 });
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey)}\n`);
  a = deepCopy(g.dir, 'a', '1');
  b = deepCopy(g.dir, 'b', '2');
  expect(readFileSync(join(b, 'entries.jsonl'), 'utf8').split('\n')[5]!.length).toBeGreaterThan(10_000);
});

describe('diff of a deeply nested divergent entry', () => {
  it('gives the verdict (exit 1) and reports the depth the field paths stop at', async () => {
    const t = Date.now();
    const r = await cli(['diff', a, b, '--trust', 'log.vkey', '--json']);
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(r.code, r.err).toBe(1);
    const d = (JSON.parse(r.out) as { result: DiffResult }).result;
    expect(d.verdict).toBe('REWRITTEN');
    const changed = d.entryDiff?.ops.find((o) => o.op === 'changed');
    expect(changed).toMatchObject({
      op: 'changed',
      fields: [`$.event${'[0]'.repeat(MAX_FIELD_DEPTH - 1)}`],
      fieldsDepthLimit: MAX_FIELD_DEPTH,
    });
    const text = await cli(['diff', a, b, '--trust', 'log.vkey']);
    expect(text.out).toMatch(`compared to depth ${MAX_FIELD_DEPTH}`);
  });

  it('diff --case records a finished run with that verdict', async () => {
    const dir = join(tmp, 'case');
    expect((await cli(['case', 'new', dir, '--title', 'Deep'])).code).toBe(0);
    expect((await cli(['case', 'trust', dir, 'log.vkey'])).code).toBe(0);
    const t = Date.now();
    const r = await cli(['diff', a, b, '--case', dir]);
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(r.code, r.err).toBe(1);
    const cf = openCase(dir, { readonly: true });
    try {
      expect(listRuns(cf).map((x) => [x.kind, x.status, x.verdict])).toEqual([['diff', 'finished', 'REWRITTEN']]);
    } finally {
      cf.close();
    }
    expect((await cli(['case', 'verify', dir])).code).toBe(0);
  });
});
