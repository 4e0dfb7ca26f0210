/**
 * A verdict never depends on which code path or how many workers produced it: the same bundle
 * (with defects of many kinds, so there is plenty to disagree about) verified with 1, 2, 3 and
 * 4 workers and chunk sizes from a few hundred bytes up gives byte-identical results.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import { readLines, writeLines } from '../support/tamper.js';

let tmp: string;
let dir: string;
const log = testKey('log', ORIGIN);
const source = testKey('event-source', 'event-source', 'entry');
const stranger = testKey('stranger', 'stranger', 'entry');

beforeAll(() => {
  tmp = makeTempDir();
  dir = join(tmp, 'b');
  generateBundle(dir, 2500, { checkpointEvery: 300, signEntriesWith: source, seal: false });
  const lines = readLines(dir);
  lines[17] = lines[17]!.replace('"actor":"', '"actor":"x'); // breaks link 18 and roots above
  lines[640] = '{"not":"an entry"'; // malformed
  lines[1201] = lines[1201]!.replace(/^\{"seq":\d+/, '{"seq":99999'); // seq problems
  lines[2222] = lines[2222]!.replace(/"sig":"[A-Za-z0-9+/]{10}/, '"sig":"AAAAAAAAAA'); // bad entry signature
  writeLines(dir, lines);
});
afterAll(() => removeDir(tmp));

describe('worker-count determinism', () => {
  it('gives identical results for 1, 2, 3 and 4 workers and any chunk size', async () => {
    const configs: Array<{ workers: number; chunkBytes?: number }> = [
      { workers: 1 },
      { workers: 2 },
      { workers: 3, chunkBytes: 5_000 },
      { workers: 2, chunkBytes: 777 },
      { workers: 4, chunkBytes: 20_011 },
      { workers: 1, chunkBytes: 300 },
    ];
    const outs = [];
    for (const c of configs) {
      const out = await verifyBundle({ bundle: dir, trusted: [log.trusted, source.trusted, stranger.trusted], ...c });
      outs.push(out);
    }
    const reference = JSON.stringify(outs[0]!.run.result);
    const r = outs[0]!.run.result;
    // The reference itself found what was planted, so agreement is meaningful.
    expect(r.verdict).toBe('FAIL');
    const codes = new Set(r.findings.map((f) => f.code));
    for (const c of [
      'CHAIN_BROKEN',
      'ENTRY_MALFORMED',
      'SEQ_GAP',
      'SEQ_REGRESSION',
      'SIGNATURE_INVALID',
      'ROOT_MISMATCH',
      'UNSEALED_ENTRIES',
    ] as const)
      expect(codes).toContain(c);
    for (const o of outs.slice(1)) expect(JSON.stringify(o.run.result)).toBe(reference);
    // The derived entry index agrees too, byte for byte.
    for (const o of outs.slice(1)) {
      expect(Buffer.from(o.index!.blockRoots).equals(Buffer.from(outs[0]!.index!.blockRoots))).toBe(true);
      expect([...o.index!.blockOffsets]).toEqual([...outs[0]!.index!.blockOffsets]);
    }
    expect(outs[0]!.index!.blockRoots.length).toBe(Math.floor(2500 / 256) * 32);
  });

  it('caps findings per code identically whatever the chunking', async () => {
    const a = await verifyBundle({
      bundle: dir,
      trusted: [log.trusted, source.trusted],
      workers: 1,
      findingsPerCode: 1,
    });
    const b = await verifyBundle({
      bundle: dir,
      trusted: [log.trusted, source.trusted],
      workers: 3,
      chunkBytes: 1_000,
      findingsPerCode: 1,
    });
    expect(JSON.stringify(b.run.result)).toBe(JSON.stringify(a.run.result));
    expect(a.run.result.findings.filter((f) => f.code === 'ROOT_MISMATCH')).toHaveLength(1);
    expect(a.run.result.findingsOmitted.ROOT_MISMATCH).toBeGreaterThan(0);
    expect(a.run.result.findings.some((f) => f.code === 'FINDINGS_TRUNCATED')).toBe(true);
  });
});
