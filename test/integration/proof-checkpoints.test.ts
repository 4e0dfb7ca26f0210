/**
 * Checkpoints inside proof files are judged like those under checkpoints/ (docs/bundle-format.md
 * §6): an insider holding the log key cannot slip an equivocating, wrong-rooted, forked or
 * beyond-the-entries checkpoint past `proofdesk verify` by shipping it in a proof. Each case runs
 * the CLI and checks the exit code, the verdict and the finding at the proof's checkpoint.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { consistencyProofFromRegion, inclusionProofFromRegion } from '../../electron/write/prove.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { formatConsistencyProof, formatInclusionProof } from '../../shared/tlog/proof-file.js';
import type { VerificationRun } from '../../shared/verdict/result.js';
import { caseCli } from '../support/cli.js';
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
import { readLines, readManifestJson, refreshManifest, writeManifestJson } from '../support/tamper.js';

let tmp: string;
const log = testKey('log', ORIGIN);
const { cli } = caseCli(() => tmp);

beforeAll(() => {
  tmp = makeTempDir('proofdesk-proof-cp-');
  writeFileSync(join(tmp, 'log.vkey'), `${encodeNoteVerifierKey(log.name, log.publicKey)}\n`);
});
afterAll(() => removeDir(tmp));

const regionOf = (dir: string) => {
  const file = join(dir, 'entries.jsonl');
  return { file, offset: 0, size: readFileSync(file).length };
};

/** A history that shares the first `common` entries of `dir` and then goes its own way, signed at `size`. */
function fork(dir: string, name: string, common: number, size: number): { dir: string; checkpoint: Buffer } {
  const out = join(tmp, name);
  const w = new BundleWriter({
    dir: out,
    origin: ORIGIN,
    logKey: { name: log.name, seed: log.seed },
    created: '2026-11-01T00:00:00Z',
  });
  const lines = readLines(dir);
  for (let i = 0; i < common; i++) w.appendLine(lines[i]!);
  const rand = prng(99);
  for (let i = common; i < size; i++) w.append({ ...syntheticEvent(i, rand), forked: true }, syntheticTs(i));
  const m = w.finish();
  return { dir: out, checkpoint: readFileSync(join(out, m.checkpoints.at(-1)!)) };
}

/** Ships `bytes` as proofs/<name> in the bundle, listed in the manifest with its digest. */
function shipProof(dir: string, name: string, bytes: Uint8Array): void {
  mkdirSync(join(dir, 'proofs'), { recursive: true });
  writeFileSync(join(dir, 'proofs', name), bytes);
  const m = readManifestJson(dir);
  writeManifestJson(dir, {
    ...m,
    proofs: [...m.proofs, `proofs/${name}`],
    files: [...m.files, { path: `proofs/${name}`, size: 0, sha256: '0'.repeat(64) }],
  });
  refreshManifest(dir);
}

async function verifyJson(dir: string): Promise<{ code: number; run: VerificationRun }> {
  const r = await cli(['verify', dir, '--trust', 'log.vkey', '--json']);
  return { code: r.code, run: JSON.parse(r.out) as VerificationRun };
}

const at = (run: VerificationRun, code: string) =>
  run.result.findings.filter((f) => f.code === code).map((f) => [f.location.file, f.location.checkpointSize]);

describe('checkpoints carried by proof files', () => {
  it('a log-signed checkpoint in a proof that conflicts with the bundle checkpoint of its size is CHECKPOINT_CONFLICT', async () => {
    const dir = join(tmp, 'conflict');
    generateBundle(dir, 500, { checkpointEvery: 200 }); // 200, 400, 500
    const other = fork(dir, 'conflict-fork', 300, 400);
    const p = inclusionProofFromRegion(regionOf(other.dir), 350, 400);
    shipProof(dir, 'e350.tlog-proof', formatInclusionProof(350, p.hashes, other.checkpoint, p.line));
    const { code, run } = await verifyJson(dir);
    expect([code, run.result.verdict]).toEqual([1, 'FAIL']);
    expect(at(run, 'CHECKPOINT_CONFLICT')).toEqual([['proofs/e350.tlog-proof', 400]]);
    expect(at(run, 'ROOT_MISMATCH')).toEqual([['proofs/e350.tlog-proof', 400]]);
    // The proof is sound for the other history: it proves that history's entry 350, not the bundle's.
    expect(at(run, 'PROOF_LEAF_MISMATCH')).toEqual([['proofs/e350.tlog-proof', undefined]]);
    expect(run.result.checkpoints.map((c) => [c.file, c.status, c.rootStatus])).toContainEqual([
      'proofs/e350.tlog-proof',
      'trusted',
      'mismatch',
    ]);
  });

  it("a proof's log-signed root that is not the root of the entries at its size is ROOT_MISMATCH", async () => {
    const dir = join(tmp, 'root');
    generateBundle(dir, 500, { checkpointEvery: 200 });
    const other = fork(dir, 'root-fork', 250, 300); // no bundle checkpoint has size 300
    const p = inclusionProofFromRegion(regionOf(other.dir), 10, 300);
    shipProof(dir, 'e10.tlog-proof', formatInclusionProof(10, p.hashes, other.checkpoint, p.line));
    const { code, run } = await verifyJson(dir);
    expect([code, run.result.verdict]).toEqual([1, 'FAIL']);
    expect(at(run, 'ROOT_MISMATCH')).toEqual([['proofs/e10.tlog-proof', 300]]);
    expect(at(run, 'CHECKPOINT_CONFLICT')).toEqual([]);
  });

  it("a consistency proof into a forked history verifies as a proof, but the fork's checkpoint is ROOT_MISMATCH", async () => {
    const dir = join(tmp, 'forked');
    generateBundle(dir, 500, { checkpointEvery: 200 });
    const other = fork(dir, 'forked-fork', 200, 350);
    const m = readManifestJson(dir);
    const cp200 = readFileSync(join(dir, m.checkpoints[0]!));
    const hashes = consistencyProofFromRegion(regionOf(other.dir), 200, 350);
    shipProof(dir, '200-350.consistency-proof', formatConsistencyProof(200, 350, hashes, cp200, other.checkpoint));
    const { code, run } = await verifyJson(dir);
    expect([code, run.result.verdict]).toEqual([1, 'FAIL']);
    expect(at(run, 'ROOT_MISMATCH')).toEqual([['proofs/200-350.consistency-proof', 350]]);
    const fromProof = run.result.checkpoints.filter((c) => c.file === 'proofs/200-350.consistency-proof');
    expect(fromProof.map((c) => [c.size, c.rootStatus])).toEqual([
      [200, 'match'],
      [350, 'mismatch'],
    ]);
  });

  it('a 40-entry export shipping a proof whose checkpoint commits to 80 entries is CHECKPOINT_BEYOND_ENTRIES', async () => {
    const full = join(tmp, 'full80');
    generateBundle(full, 80, { checkpointEvery: 40 });
    const cp80 = readFileSync(join(full, readManifestJson(full).checkpoints[1]!));
    const p = inclusionProofFromRegion(regionOf(full), 5, 80);
    const cut = join(tmp, 'cut40');
    generateBundle(cut, 40, { checkpointEvery: 40 }); // the same first 40 entries, signed at 40
    shipProof(cut, 'e5.tlog-proof', formatInclusionProof(5, p.hashes, cp80, p.line));
    const { code, run } = await verifyJson(cut);
    expect([code, run.result.verdict]).toEqual([1, 'FAIL']);
    expect(at(run, 'CHECKPOINT_BEYOND_ENTRIES')).toEqual([['proofs/e5.tlog-proof', 80]]);
    // The same export without the proof passes: the proof's checkpoint is what says entries are missing.
    const plain = join(tmp, 'plain40');
    generateBundle(plain, 40, { checkpointEvery: 40 });
    const ok = await verifyJson(plain);
    expect([ok.code, ok.run.result.verdict]).toEqual([0, 'PASS']);
  });
});
