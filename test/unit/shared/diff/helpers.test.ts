/**
 * Diff helpers (shared/diff/): alignment labels and member paths, the bound on entries carried in
 * a proof of misbehaviour, the result schema name, and the divergence attestation built from a
 * real comparison of two generated exports (docs/diff.md §7).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffBundles } from '../../../../electron/diff/diff.js';
import { buildDivergenceStatement } from '../../../../shared/diff/attestation.js';
import { alignByLabel, parseAlignBy } from '../../../../shared/diff/entries.js';
import { parseMemberPath, valueAt } from '../../../../shared/diff/json-diff.js';
import {
  formatMisbehaviourProof,
  MAX_PROOF_ENTRY_BYTES,
  parseMisbehaviourProof,
} from '../../../../shared/diff/misbehaviour.js';
import { DIFF_SCHEMA, type DiffResult } from '../../../../shared/diff/model.js';
import { utf8 } from '../../../../shared/encoding/bytes.js';
import { canonicalJson } from '../../../../shared/encoding/jcs.js';
import { VERIFIER_ID } from '../../../../shared/report/predicate.js';
import { checkStatement } from '../../../../shared/report/statement.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../../../support/fixtures.js';

describe('alignment keys', () => {
  it('alignByLabel names what parseAlignBy read, member paths in JSONPath form', () => {
    const cases: Array<[string, string]> = [
      ['seq', 'seq'],
      ['content', 'content'],
      ['event.id', '$.event.id'],
      ['$.event.id', '$.event.id'],
      ['actor', '$.actor'],
    ];
    for (const [spec, label] of cases) expect(alignByLabel(parseAlignBy(spec)!), spec).toBe(label);
    // The label of a member path parses back to the same path.
    expect(parseAlignBy(alignByLabel({ kind: 'member', path: ['a', 'b'] }))).toEqual({
      kind: 'member',
      path: ['a', 'b'],
    });
  });

  it('valueAt follows own object members only', () => {
    const v = JSON.parse('{"event":{"id":"e-1","n":0,"z":null,"arr":[1,2]},"seq":3}');
    expect(valueAt(v, parseMemberPath('event.id')!)).toBe('e-1');
    expect(valueAt(v, ['event', 'n'])).toBe(0);
    expect(valueAt(v, ['event', 'z'])).toBeNull();
    expect(valueAt(v, ['event'])).toEqual({ id: 'e-1', n: 0, z: null, arr: [1, 2] });
    expect(valueAt(v, [])).toBe(v);
    for (const path of [
      ['missing'],
      ['event', 'id', 'deeper'],
      ['event', 'arr', '0'],
      ['seq', 'x'],
      ['event', 'toString'],
      ['__proto__'],
    ])
      expect(valueAt(v, path), path.join('.')).toBeUndefined();
    expect(valueAt(null, ['a'])).toBeUndefined();
    expect(valueAt('text', ['length'])).toBeUndefined();
  });
});

describe('MAX_PROOF_ENTRY_BYTES', () => {
  it('two entries of the largest size carried, with full paths, still fit a misbehaviour proof file', () => {
    expect(MAX_PROOF_ENTRY_BYTES).toBe(1024 * 1024);
    const entry = (c: number) => new Uint8Array(MAX_PROOF_ENTRY_BYTES).fill(c);
    const path = Array.from({ length: 63 }, (_, i) => new Uint8Array(32).fill(i));
    const cp = utf8(`${ORIGIN}\n10\n${'A'.repeat(43)}=\n\n— k ${'A'.repeat(96)}\n`);
    const file = formatMisbehaviourProof({
      keys: ['k+00000000+AQ=='],
      size1: 10,
      size2: 10,
      leaf: { index: 3, entry1: entry(0x61), path1: path, entry2: entry(0x62), path2: path },
      checkpoint1: cp,
      checkpoint2: cp,
    });
    const parsed = parseMisbehaviourProof(file);
    expect(parsed.ok ? parsed.proof.leaf?.entry1.length : parsed.reason).toBe(MAX_PROOF_ENTRY_BYTES);
  });
});

describe('the divergence attestation of a real comparison', () => {
  let tmp: string;
  let result: DiffResult;
  const log = testKey('diff-helpers-log', ORIGIN);
  const meta = {
    examiner: { name: 'Jane Examiner', organisation: 'Audit & Co', keyFingerprint: 'e'.repeat(64) },
    startedAt: '2026-11-02T09:00:00Z',
    finishedAt: '2026-11-02T09:00:05Z',
  };

  beforeAll(async () => {
    tmp = makeTempDir('proofdesk-diff-helpers-');
    generateBundle(join(tmp, 'a'), 20, { logKey: log, checkpointEvery: 5 });
    generateBundle(join(tmp, 'b'), 30, { logKey: log, checkpointEvery: 5 });
    result = (await diffBundles({ a: join(tmp, 'a'), b: join(tmp, 'b'), trusted: [log.trusted], workers: 1 })).result;
  });
  afterAll(() => removeDir(tmp));

  it('the result is a proofdesk-diff-result/v2 that B extends A, with a consistency proof', () => {
    expect(DIFF_SCHEMA).toBe('proofdesk-diff-result/v2');
    expect([result.schema, result.verdict, result.commonPrefix]).toEqual([DIFF_SCHEMA, 'B_EXTENDS_A', 20]);
    expect(result.consistency).toBeDefined();
  });

  it('subjects are every file of both exports by SHA-256, then the consistency proof (docs/diff.md §7)', () => {
    const s = buildDivergenceStatement(result, meta);
    const files = (side: 'a' | 'b', label: string) =>
      result[side].verification.bundle.files.map((f) => ({ name: `${label}/${f.path}`, digest: { sha256: f.sha256 } }));
    const proofSha = createHash('sha256').update(result.consistency!.file).digest('hex');
    expect(s.subject).toEqual([
      ...files('a', 'A'),
      ...files('b', 'B'),
      { name: 'evidence/consistency.proof', digest: { sha256: proofSha } },
    ]);
    expect(s.subject.map((x) => x.name)).toContain('A/manifest.json');
    expect(s.subject.map((x) => x.name)).toContain('B/manifest.json');
    expect(checkStatement(JSON.parse(canonicalJson(s)))).toEqual([]);
  });

  it('the predicate carries the verdict, the labelled examiner clock and the whole result', () => {
    const s = buildDivergenceStatement(result, meta);
    expect(s.predicateType).toBe('https://proofdesk.dev/attestation/divergence-report/v1');
    expect(s.predicate).toEqual({
      verifier: { id: VERIFIER_ID, version: { proofdesk: result.tool.version } },
      timeVerified: meta.finishedAt,
      verdict: 'B_EXTENDS_A',
      origin: ORIGIN,
      tool: result.tool,
      examiner: meta.examiner,
      examinerClock: {
        source: 'examiner-machine-clock',
        trusted: false,
        startedAt: meta.startedAt,
        finishedAt: meta.finishedAt,
      },
      result,
    });
    const withRef = buildDivergenceStatement(result, { ...meta, caseReference: 'INC-42' });
    expect(withRef.predicate.caseReference).toBe('INC-42');
    expect('case' in s.predicate || 'caseReference' in s.predicate).toBe(false);
  });

  it('is deterministic: equal inputs give equal canonical bytes, another time other bytes', () => {
    const a = canonicalJson(buildDivergenceStatement(result, meta));
    const b = canonicalJson(buildDivergenceStatement(JSON.parse(JSON.stringify(result)) as DiffResult, { ...meta }));
    expect(b).toBe(a);
    expect(canonicalJson(buildDivergenceStatement(result, { ...meta, finishedAt: '2026-11-02T09:00:06Z' }))).not.toBe(
      a,
    );
  });
});
