/**
 * A path named twice in manifest.json — in one list, in two lists, as the entries file, or in
 * two letter cases (one file on case-insensitive file systems) — is a MANIFEST_INVALID finding
 * at the repeated path's JSON location, and the file is read and judged once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../../electron/verify/bundle/verify.js';
import { unprintableIn, validateManifest } from '../../../../shared/bundle/manifest.js';
import { numberTokens } from '../../../../shared/encoding/json.js';
import { generateBundle, makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-manifest-dup-');
afterAll(() => removeDir(tmp));

const H = 'a'.repeat(64);
function manifest(over: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'proofdesk-bundle',
    version: 1,
    origin: 'example.com/log',
    hash: 'sha256',
    entries: { path: 'entries.jsonl', count: 1 },
    checkpoints: ['cp/1'],
    proofs: ['p/1'],
    keys: ['k/1'],
    files: ['entries.jsonl', 'cp/1', 'p/1', 'k/1'].map((path) => ({ path, size: 1, sha256: H })),
    ...over,
  };
}

function problems(v: ReturnType<typeof validateManifest>): string[] {
  if (v.kind === 'unsupported') throw new Error(v.message);
  return v.problems.map((p) => p.path);
}

describe('validateManifest: one path, one file, one role', () => {
  it('a path repeated in one list or across lists is a problem at the repeat, and kept once', () => {
    const v = validateManifest(
      manifest({
        checkpoints: ['cp/1', 'cp/1', 'p/1', 'entries.jsonl'],
        proofs: ['p/1', 'p/1'],
        keys: ['k/1', 'cp/1'],
      }),
    );
    expect(problems(v)).toEqual(['$.checkpoints[1]', '$.checkpoints[3]', '$.proofs[0]', '$.proofs[1]', '$.keys[1]']);
    if (v.kind !== 'ok') throw new Error(v.kind);
    expect(v.manifest).toMatchObject({ checkpoints: ['cp/1', 'p/1'], proofs: [], keys: ['k/1'] });
  });

  it('two spellings of one file (letter case) are one path: in files and in the lists', () => {
    const files = ['entries.jsonl', 'cp/1', 'CP/1', 'p/1', 'k/1'].map((path) => ({ path, size: 1, sha256: H }));
    const v = validateManifest(manifest({ files, checkpoints: ['cp/1', 'Cp/1'] }));
    expect(problems(v)).toEqual(['$.checkpoints[1]', '$.files[2].path']);
    if (v.kind !== 'ok') throw new Error(v.kind);
    expect(v.manifest.files.map((f) => f.path)).toEqual(['entries.jsonl', 'cp/1', 'p/1', 'k/1']);
    expect(v.manifest.checkpoints).toEqual(['cp/1']);
  });
});

describe('verifying a bundle whose manifest repeats paths', () => {
  it('reports MANIFEST_INVALID with the location, and checks each checkpoint once', async () => {
    const g = generateBundle(join(tmp, 'b'), 40, { checkpointEvery: 20 });
    const path = join(g.dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as { checkpoints: string[]; files: Array<{ path: string }> };
    const [cp1, cp2] = m.checkpoints as [string, string];
    m.checkpoints = [cp1, cp1, cp2, cp1, cp2];
    m.files.push({ ...m.files[0]! });
    writeFileSync(path, JSON.stringify(m));
    const { run } = await verifyBundle({ bundle: g.dir, trusted: [g.logKey.trusted], workers: 1 });
    const invalid = run.result.findings.filter((f) => f.code === 'MANIFEST_INVALID').map((f) => f.location);
    expect(invalid).toEqual([
      { file: 'manifest.json', path: '$.checkpoints[1]' },
      { file: 'manifest.json', path: '$.checkpoints[3]' },
      { file: 'manifest.json', path: '$.checkpoints[4]' },
      { file: 'manifest.json', path: `$.files[${m.files.length - 1}].path` },
    ]);
    expect(run.result.checkpoints.map((c) => c.file)).toEqual([cp1, cp2]);
    expect(run.result.findings.filter((f) => f.code === 'CHECKPOINT_ORDER')).toEqual([]);
    expect(run.result.verdict).toBe('FAIL');
  });
});

describe('a member name given twice in manifest.json', () => {
  it('is MANIFEST_INVALID at the object that repeats it; without the repeat the bundle passes', async () => {
    const g = generateBundle(join(tmp, 'dup-member'), 30, { checkpointEvery: 10 });
    const path = join(g.dir, 'manifest.json');
    const honest = readFileSync(path, 'utf8');
    expect((await verifyBundle({ bundle: g.dir, trusted: [g.logKey.trusted], workers: 1 })).run.result.verdict).toBe(
      'PASS',
    );
    // A second "count" inside "entries": JSON.parse keeps the last, another reader the first.
    const m = JSON.parse(honest) as { entries: { count: number } };
    const text = JSON.stringify(m).replace(
      `"count":${m.entries.count}`,
      `"count":${m.entries.count},"count":${m.entries.count}`,
    );
    expect(text).not.toBe(JSON.stringify(m));
    writeFileSync(path, text);
    const { run } = await verifyBundle({ bundle: g.dir, trusted: [g.logKey.trusted], workers: 1 });
    expect(run.result.findings.filter((f) => f.code === 'MANIFEST_INVALID').map((f) => f.location)).toEqual([
      { file: 'manifest.json', path: '$.entries' },
    ]);
    expect(run.result.verdict).toBe('FAIL');
  });
});

describe('validateManifest: integers are written as integers, origins are printable', () => {
  it('version 1.0 is refused; count, first_seq and sizes in another spelling are problems at their paths', () => {
    const text = JSON.stringify(manifest({}))
      .replace('"version":1', '"version":1.0')
      .replace('"count":1', '"count":1e0,"first_seq":4503599627370496.5')
      .replace('"size":1', '"size":10e-1');
    const v = validateManifest(JSON.parse(text), numberTokens(text));
    expect(v).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/written 1\.0/) });
    const t2 = text.replace('"version":1.0', '"version":1');
    expect(problems(validateManifest(JSON.parse(t2), numberTokens(t2)))).toEqual([
      '$.entries.count',
      '$.entries.first_seq',
      '$.files[0].size',
    ]);
  });

  it('an origin with a bidirectional override or a zero-width space is a problem, and kept', () => {
    expect(unprintableIn('audit.example.com/prod')).toBeUndefined();
    expect(unprintableIn('audit.example.com/prod \u00e9')).toBeUndefined();
    expect(unprintableIn('audit.example.com/\u202edorp')).toBe('U+202E');
    expect(unprintableIn('audit\u200b.example.com')).toBe('U+200B');
    expect(unprintableIn('a\u00a0b')).toBe('U+00A0');
    const v = validateManifest(manifest({ origin: 'example.com/\u202egol' }));
    expect(problems(v)).toEqual(['$.origin']);
    if (v.kind !== 'ok') throw new Error(v.kind);
    expect(v.manifest.origin).toBe('example.com/\u202egol');
  });
});
