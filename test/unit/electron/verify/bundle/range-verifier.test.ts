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
import { toHex } from '../../../../../shared/encoding/bytes.js';
import { keyFingerprint } from '../../../../../shared/keys/keys.js';
import type { VerifyJob } from '../../../../../shared/protocol/worker.js';
import { CompactRange } from '../../../../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../../../../shared/tlog/merkle/hash.js';
import { merkleRootRange } from '../../../../../shared/tlog/merkle/tree.js';
import { AUDIT_EVENT_KINDS, auditEvent, auditTs } from '../../../../support/audit-events.js';
import { generateBundle, makeTempDir, ORIGIN, prng, removeDir, testKey } from '../../../../support/fixtures.js';

let tmp: string;
const source = testKey('range-source', 'range-source');
beforeAll(() => {
  tmp = makeTempDir('proofdesk-range-');
});
afterAll(() => removeDir(tmp));

function job(file: string, crossCheck: boolean, from = { start: 0, baseIndex: 0 }): VerifyJob {
  return {
    kind: 'verify',
    region: { file, offset: 0, size: statSync(file).size },
    entriesPath: 'entries.jsonl',
    start: from.start,
    end: statSync(file).size,
    baseIndex: from.baseIndex,
    isLast: true,
    ...(from.baseIndex === 0 ? { genesis: Buffer.from(chainGenesis(ORIGIN)).toString('hex') } : {}),
    firstSeq: 0,
    snapshotSizes: [100, 256, 500, 512, 650].filter((x) => x > from.baseIndex),
    leafIndices: [0, 5, 650].filter((x) => x >= from.baseIndex),
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

    // The Merkle output against the reference (shared/, @noble/hashes) over the same lines: the
    // compact ranges at every snapshot and at the end, the wanted leaf hashes, the block roots.
    const bytes = readFileSync(file);
    const leaves: Uint8Array[] = [];
    const lineStarts: number[] = [];
    for (let at = 0; at < bytes.length; ) {
      const nl = bytes.indexOf(0x0a, at);
      lineStarts.push(at);
      leaves.push(hashLeaf(bytes.subarray(at, nl)));
      at = nl + 1;
    }
    const rootOf = (begin: number, end: number, hashes: readonly Uint8Array[]) =>
      toHex(CompactRange.fromHashes(begin, end, hashes).root());
    const want = (begin: number, end: number) => toHex(merkleRootRange(leaves, begin, end));
    expect(plain.count).toBe(leaves.length);
    expect(rootOf(0, leaves.length, plain.range)).toBe(want(0, leaves.length));
    for (const snap of plain.snapshots) expect(rootOf(0, snap.size, snap.range)).toBe(want(0, snap.size));
    expect(plain.snapshots.map((x) => x.size)).toEqual([100, 256, 500, 512, 650]);
    for (const l of plain.leafHashes) expect(toHex(l.hash)).toBe(toHex(leaves[l.index]!));
    expect(plain.blocks.roots.length).toBe(32 * Math.floor(leaves.length / 256));
    for (let b = 0; b < plain.blocks.roots.length / 32; b++)
      expect(toHex(plain.blocks.roots.subarray(32 * b, 32 * b + 32))).toBe(want(256 * b, 256 * (b + 1)));

    // A job that starts mid-file, mid-block (as the second of two workers does).
    for (const base of [301, 512, 601]) {
      const second = verifyRange(job(file, true, { start: lineStarts[base]!, baseIndex: base }));
      expect(second.count).toBe(leaves.length - base);
      const hexes = (xs: readonly Uint8Array[]) => xs.map((x) => toHex(x));
      expect(hexes(second.range)).toEqual(hexes(rangeOf(leaves, base, leaves.length)));
      for (const snap of second.snapshots) expect(hexes(snap.range)).toEqual(hexes(rangeOf(leaves, base, snap.size)));
      expect(second.snapshots.length).toBeGreaterThan(0);
      const b = Math.ceil(base / 256);
      expect(second.blocks.first).toBe(256 * (b + 1) <= leaves.length ? b : -1);
      expect([base, undefined]).toContain(second.firstPrev?.index);
    }
  });
});

/** The compact range of leaves [begin, end) built leaf by leaf with shared/'s CompactRange. */
function rangeOf(leaves: readonly Uint8Array[], begin: number, end: number): Uint8Array[] {
  const r = new CompactRange(begin);
  for (let i = begin; i < end; i++) r.append(leaves[i]!);
  return [...r.hashes()];
}
