/**
 * The questions docs/bundle-format.md answers about its own edges, each held to its answer:
 * the empty entries file, first_seq > 0, proof checkpoints and coverage, how a proof's type is
 * decided, checkpoint file names, and an unsafe entries path.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { consistencyProofFromRegion, inclusionProofFromRegion } from '../../electron/write/prove.js';
import { formatConsistencyProof, formatInclusionProof } from '../../shared/tlog/proof-file.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import {
  generateBundle,
  makeTempDir,
  ORIGIN,
  prng,
  removeDir,
  syntheticEvent,
  syntheticTs,
  testKey,
} from '../support/fixtures.js';
import { readLines, readManifestJson, refreshManifest, writeLines, writeManifestJson } from '../support/tamper.js';

let tmp: string;
const log = testKey('log', ORIGIN);
let n = 0;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-spec-');
});
afterAll(() => removeDir(tmp));

const verify = async (dir: string): Promise<VerificationResult> =>
  (await verifyBundle({ bundle: dir, trusted: [log.trusted], workers: 1 })).run.result;
const codes = (r: VerificationResult) =>
  [...new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code))].sort();
const regionOf = (dir: string) => {
  const file = join(dir, 'entries.jsonl');
  return { file, offset: 0, size: readFileSync(file).length };
};

function withProof(dir: string, name: string, bytes: Uint8Array, dropCheckpoints = false): void {
  mkdirSync(join(dir, 'proofs'), { recursive: true });
  writeFileSync(join(dir, 'proofs', name), bytes);
  const m = readManifestJson(dir);
  const files = m.files.filter((f) => !dropCheckpoints || !m.checkpoints.includes(f.path));
  writeManifestJson(dir, {
    ...m,
    checkpoints: dropCheckpoints ? [] : m.checkpoints,
    proofs: [`proofs/${name}`],
    files: [...files, { path: `proofs/${name}`, size: 0, sha256: '0'.repeat(64) }],
  });
  if (dropCheckpoints) for (const c of m.checkpoints) renameSync(join(dir, c), join(tmp, `dropped-${n++}`));
  refreshManifest(dir);
}

describe('the entries file', () => {
  it('an empty entries file is zero entries; with a trusted checkpoint of size 0 that is PASS, coverage pass', async () => {
    const dir = join(tmp, `empty-${n++}`);
    generateBundle(dir, 0);
    expect(readFileSync(join(dir, 'entries.jsonl')).length).toBe(0);
    const r = await verify(dir);
    expect([r.verdict, r.bundle.entryCount, r.checkpoints.map((c) => [c.size, c.rootStatus])]).toEqual([
      'PASS',
      0,
      [[0, 'match']],
    ]);
    expect(r.checks.find((c) => c.id === 'coverage')!.status).toBe('pass');
  });

  it('a lone line feed is one entry, the empty line, which is malformed', async () => {
    const dir = join(tmp, `lf-${n++}`);
    generateBundle(dir, 0, { seal: false });
    writeFileSync(join(dir, 'entries.jsonl'), '\n');
    refreshManifest(dir);
    const r = await verify(dir);
    expect(r.bundle.entryCount).toBe(1);
    expect(r.findings.filter((f) => f.code === 'ENTRY_MALFORMED').map((f) => f.location.entry)).toEqual([0]);
  });
});

describe('first_seq > 0', () => {
  it('is a log of its own: chain from GENESIS, tree from its first line, seq from first_seq', async () => {
    const dir = join(tmp, `fs-${n++}`);
    const w = new BundleWriter({
      dir,
      origin: ORIGIN,
      logKey: { name: log.name, seed: log.seed },
      firstSeq: 1000,
      checkpointEvery: 50,
    });
    const rand = prng(3);
    for (let i = 0; i < 120; i++) w.append(syntheticEvent(i, rand), syntheticTs(i));
    w.finish();
    expect(JSON.parse(readLines(dir)[0]!).seq).toBe(1000);
    const r = await verify(dir);
    expect([r.verdict, r.coverage.verified]).toEqual(['PASS', 120]);
  });

  it('a slice cut from a larger log is not one: its first entry does not start the chain, and its roots differ', async () => {
    const whole = join(tmp, `whole-${n++}`);
    generateBundle(whole, 200, { checkpointEvery: 100 });
    const dir = join(tmp, `slice-${n++}`);
    generateBundle(dir, 200, { checkpointEvery: 100 });
    writeLines(dir, readLines(whole).slice(100));
    const m = readManifestJson(dir);
    writeManifestJson(dir, { ...m, entries: { ...m.entries, first_seq: 100 } });
    refreshManifest(dir);
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(r.findings.find((f) => f.code === 'CHAIN_BROKEN')?.location.entry).toBe(0);
    expect(codes(r)).toContain('ROOT_MISMATCH');
  });
});

describe('proof files', () => {
  it("a proof's trusted checkpoint counts for coverage like a checkpoint file", async () => {
    const dir = join(tmp, `cov-${n++}`);
    generateBundle(dir, 64, { checkpointEvery: 64 });
    const cp = readFileSync(join(dir, readManifestJson(dir).checkpoints[0]!));
    const p = inclusionProofFromRegion(regionOf(dir), 5, 64);
    withProof(dir, 'e5.tlog-proof', formatInclusionProof(5, p.hashes, cp, p.line), true);
    const r = await verify(dir);
    expect(readManifestJson(dir).checkpoints).toEqual([]);
    expect([r.verdict, r.coverage.verified, r.checkpoints.map((c) => c.file)]).toEqual([
      'PASS',
      64,
      ['proofs/e5.tlog-proof'],
    ]);
  });

  it("a proof's type is its first line, whatever the file is called", async () => {
    const dir = join(tmp, `type-${n++}`);
    generateBundle(dir, 64, { checkpointEvery: 32 });
    const m = readManifestJson(dir);
    const [c1, c2] = m.checkpoints.map((c) => readFileSync(join(dir, c)));
    const hashes = consistencyProofFromRegion(regionOf(dir), 32, 64);
    withProof(dir, 'misnamed.tlog-proof', formatConsistencyProof(32, 64, hashes, c1!, c2!));
    const r = await verify(dir);
    expect(r.verdict).toBe('PASS');
    expect(r.proofs.map((p) => [p.file, p.kind, p.status])).toEqual([
      ['proofs/misnamed.tlog-proof', 'consistency', 'verified'],
    ]);
  });
});

describe('names and paths', () => {
  it('a checkpoint file name says nothing: the size is read from the signed body', async () => {
    const dir = join(tmp, `name-${n++}`);
    generateBundle(dir, 40, { checkpointEvery: 20 });
    const m = readManifestJson(dir);
    const [first] = m.checkpoints;
    renameSync(join(dir, first!), join(dir, 'checkpoints', '999.checkpoint'));
    writeManifestJson(dir, {
      ...m,
      checkpoints: m.checkpoints.map((c) => (c === first ? 'checkpoints/999.checkpoint' : c)),
      files: m.files.map((f) => (f.path === first ? { ...f, path: 'checkpoints/999.checkpoint' } : f)),
    });
    const r = await verify(dir);
    expect(r.verdict).toBe('PASS');
    expect(r.checkpoints.map((c) => [c.file, c.size])).toEqual([
      ['checkpoints/999.checkpoint', 20],
      [m.checkpoints[1], 40],
    ]);
  });

  it('an unsafe entries path leaves nothing to verify: unusable input (exit 2) naming the path, not a finding', async () => {
    const dir = join(tmp, `unsafe-${n++}`);
    generateBundle(dir, 5);
    const m = readManifestJson(dir);
    writeManifestJson(dir, { ...m, entries: { ...m.entries, path: '../outside.jsonl' } });
    await expect(verify(dir)).rejects.toMatchObject({
      code: 'INPUT_MALFORMED',
      message: expect.stringMatching(/\$\.entries\.path: unsafe path "\.\.\/outside\.jsonl"/),
    });
  });
});
