/**
 * electron/verify/bundle/range-verifier.ts over whole entry files: with crossCheck the worker
 * reads every line both ways (the one-pass scan and JSON.parse + readEntryFields) and throws on
 * any difference, so a run over a file of real, tampered and fuzzed lines proves the hot loop
 * gives the same findings, counters and ranges whichever reader it uses. The run without
 * crossCheck must then give the very same result.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRange } from '../../../../../electron/verify/bundle/range-verifier.js';
import { chainGenesis } from '../../../../../shared/bundle/chain.js';
import { keyFingerprint } from '../../../../../shared/keys/keys.js';
import type { VerifyJob } from '../../../../../shared/protocol/worker.js';
import { AUDIT_EVENT_KINDS, auditEvent, auditTs } from '../../../../support/audit-events.js';
import { generateBundle, makeTempDir, ORIGIN, prng, removeDir, testKey } from '../../../../support/fixtures.js';

let tmp: string;
const source = testKey('range-source', 'range-source');
beforeAll(() => {
  tmp = makeTempDir('proofdesk-range-');
});
afterAll(() => removeDir(tmp));

function job(file: string, crossCheck: boolean): VerifyJob {
  return {
    kind: 'verify',
    region: { file, offset: 0, size: statSync(file).size },
    entriesPath: 'entries.jsonl',
    start: 0,
    end: statSync(file).size,
    baseIndex: 0,
    isLast: true,
    genesis: Buffer.from(chainGenesis(ORIGIN)).toString('hex'),
    firstSeq: 0,
    snapshotSizes: [100, 1000],
    leafIndices: [0, 5, 777],
    maxEntryBytes: 4096,
    findingsPerCode: 1_000_000,
    entryKeys: [{ fingerprint: keyFingerprint(source.publicKey), publicKey: source.publicKey }],
    witnessSteps: [],
    crossCheck,
    blockLeaves: 256,
  };
}

/** Lines an attacker or an accident could write: seeded edits of real lines. */
function edited(line: string, rand: () => number): string {
  const at = Math.floor(rand() * line.length);
  const edits = [
    () => line.replace(/^\{/, '{"seq":1,'),
    () => line.replace(/"event":\{/, '"event":{"seq":1,"ts":"x","time":2,'),
    () => line.replace('"seq"', '"s\\u0065q"'),
    () => line.slice(0, at),
    () => `${line.slice(0, at)}\u2028${line.slice(at)}`,
    () => `${line.slice(0, at)} ${line.slice(at)}`,
    () => line.replace(/"seq":\d+/, '"seq":-0'),
    () => line.replace(/"seq":\d+/, '"seq":1e2'),
    () => line.replace(/"prev":"[0-9a-f]+"/, `"prev":"${'A'.repeat(64)}"`),
    () => line.replace(/"ts":"[^"]*"/, '"ts":"2025-01-01T00:00:00Z"'),
    () => line + 'x'.repeat(5000), // too large
  ];
  return edits[Math.floor(rand() * edits.length)]!();
}

describe('verifyRange: the scanned and the parsed reading of every line agree', () => {
  it('on signed, audit-shaped, tampered and fuzzed lines, with and without --cross-check', () => {
    const g = generateBundle(join(tmp, 'signed'), 400, { signEntriesWith: source });
    const real = readFileSync(join(g.dir, 'entries.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const kind of AUDIT_EVENT_KINDS)
      for (let i = 0; i < 100; i++)
        real.push(JSON.stringify({ seq: 400 + i, ts: auditTs(i), prev: 'ab'.repeat(32), event: auditEvent(kind, i) }));
    const rand = prng(16);
    const lines = real.map((l) => (rand() < 0.4 ? edited(l, rand) : l));
    // Invalid UTF-8 and a line longer than the read buffer's limit are the worker's own cases.
    const file = join(tmp, 'entries.jsonl');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(lines.map((l) => `${l}\n`).join('')),
        Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
        Buffer.from(`${real[3]}\n`),
      ]),
    );
    const checked = verifyRange(job(file, true));
    const plain = verifyRange(job(file, false));
    expect(plain).toEqual(checked);
    // The file exercises the rules: valid signatures, failures of many kinds, chain breaks.
    expect(plain.counters.signaturesValid).toBeGreaterThan(100);
    expect(plain.counters.malformed).toBeGreaterThan(10);
    expect(plain.counters.tooLarge).toBeGreaterThan(5);
    expect(plain.counters.linksBroken).toBeGreaterThan(10);
    expect(new Set(plain.findings.map((f) => f.code)).size).toBeGreaterThan(5);
  });
});
