/**
 * Measurement (npm run test:slow): a C2SP tlog-tiles log of 1,000,000 entries written by
 * TiledLogWriter and verified by verifyAny in one streaming pass — wall time, throughput and the
 * process's resident memory. Prints the numbers; asserts the verdict and a memory bound.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../electron/verify/verify.js';
import { syntheticLogEntry, TiledLogWriter } from '../../electron/write/tiles-writer.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { makeTempDir, removeDir, testKey } from '../support/fixtures.js';

const N = 1_000_000;
const KEY = testKey('formats-slow', 'bench.example/tiles');
let tmp: string;
let writeMs = 0;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-slow-');
  const t = Date.now();
  const w = new TiledLogWriter({
    dir: join(tmp, 'log'),
    layout: 'tlog-tiles',
    origin: KEY.name,
    signers: [{ name: KEY.name, seed: KEY.seed }],
    keepHistory: true,
  });
  for (let i = 0; i < N; i++) {
    w.append(syntheticLogEntry(i));
    if ((i + 1) % 100_000 === 0) w.checkpoint();
  }
  writeMs = Date.now() - t;
});
afterAll(() => removeDir(tmp));

describe('tiled log, 1,000,000 entries', () => {
  it('verifies in one streaming pass with bounded memory', async () => {
    const t = Date.now();
    const out = await verify(join(tmp, 'log'), { trustArgs: [encodeNoteVerifierKey(KEY.name, KEY.publicKey)] });
    const ms = Date.now() - t;
    const r = out.run.result;
    const rssMb = Math.round(process.memoryUsage().rss / 1e6);
    console.log(
      `tiles: write ${writeMs} ms; verify ${ms} ms, ${Math.round((N * 1000) / ms)} entries/s, ${Math.round(r.bundle.entriesBytes / 1e3 / ms)} MB/s of bundles, rss ${rssMb} MB, ${r.bundle.files.length} files, ${r.checks.find((c) => c.id === 'merkle-roots')!.counts.tiles} tiles compared`,
    );
    expect(r.verdict).toBe('PASS');
    expect(r.coverage.verified).toBe(N);
    expect(rssMb).toBeLessThan(600);
  });
});
