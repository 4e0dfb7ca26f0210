/**
 * The 196 transparency-dev/merkle proof probes (testdata/{inclusion,consistency}/**),
 * read in place from ../shared/vectors/merkle/transparency-dev-merkle. Verification must
 * succeed exactly when wantErr is false, for every probe.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryFromBase64 } from '../../../../../shared/encoding/bytes.js';
import { verifyConsistency, verifyInclusion } from '../../../../../shared/tlog/merkle/proof.js';
import { vectorPath } from '../../../../support/vectors.js';

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}
interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const ROOT = vectorPath('merkle', 'transparency-dev-merkle');

function probes<T>(kind: 'inclusion' | 'consistency'): Array<{ file: string; v: T }> {
  const dir = join(ROOT, kind);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: relative(ROOT, join(dir, f)), v: JSON.parse(readFileSync(join(dir, f), 'utf8')) as T }));
}

function b64(s: string): Uint8Array {
  const b = tryFromBase64(s);
  if (!b) throw new Error(`probe holds invalid base64: ${s}`);
  return b;
}
const proofOf = (p: string[] | null) => (p ?? []).map(b64);

describe('transparency-dev/merkle inclusion probes', () => {
  it('accept exactly the probes with wantErr = false', () => {
    const all = probes<InclusionProbe>('inclusion');
    const wrong: string[] = [];
    for (const { file, v } of all) {
      const r = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), proofOf(v.proof), b64(v.root));
      if (r.ok === v.wantErr) wrong.push(`${file}: ${JSON.stringify(r)}`);
    }
    expect(wrong).toEqual([]);
    expect(all).toHaveLength(98);
    expect(all.filter((p) => !p.v.wantErr)).toHaveLength(6);
  });
});

describe('transparency-dev/merkle consistency probes', () => {
  const all = probes<ConsistencyProbe>('consistency');
  const run = (v: ConsistencyProbe) =>
    verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), proofOf(v.proof));

  it('accept exactly the probes with wantErr = false', () => {
    const wrong: string[] = [];
    for (const { file, v } of all) {
      const r = run(v);
      if (r.ok === v.wantErr) wrong.push(`${file}: ${JSON.stringify(r)}`);
    }
    expect(wrong).toEqual([]);
    expect(all).toHaveLength(98);
    expect(all.filter((p) => !p.v.wantErr)).toHaveLength(6);
  });

  it('judge the policy cases (consistency/additional) with the documented reasons', () => {
    const want: Record<string, string> = {
      'consistency-check-on-empty-tree-size1-is-zero-is-useless': 'SIZE1_ZERO',
      'roots-do-not-match-and-sizes-are-zero': 'SIZE1_ZERO',
      'roots-do-not-not-match-and-sizes-are-one': 'ROOT2_MISMATCH',
      'size1-is-greater-than-size2-again': 'SIZE_ORDER',
      'size1-is-greater-than-size2': 'SIZE_ORDER',
      'size1-is-zero-and-does-not-equal-size2': 'SIZE1_ZERO',
      'size1-is-zero-and-size2-is-not-zero': 'SIZE1_ZERO',
      'sizes-are-equal-one-and-proof-is-empty': 'OK',
      'sizes-are-equal-one-but-roots-are-not': 'ROOT2_MISMATCH',
      'sizes-are-equal-zero-and-proof-is-empty': 'SIZE1_ZERO',
      'sizes-are-equal-zero-but-roots-are-not': 'SIZE1_ZERO',
      'sizes-do-not-watch-and-proof-is-empty': 'EMPTY_PROOF',
      'sizes-match-but-proof-is-not-empty-and-sizes-are-one': 'SIZES_EQUAL_PROOF_NOT_EMPTY',
      'sizes-match-but-proof-is-not-empty-and-sizes-are-zero': 'SIZE1_ZERO',
    };
    const got: Record<string, string> = {};
    for (const { file, v } of all.filter((p) => p.file.startsWith('consistency/additional/'))) {
      const r = run(v);
      got[file.replace(/^consistency\/additional\/|\.json$/g, '')] = r.ok ? 'OK' : r.reason;
    }
    expect(got).toEqual(want);
  });
});
