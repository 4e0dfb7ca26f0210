/**
 * The verification engine beyond tampering: progress and cancellation with real worker
 * threads, cross-checked signatures, witness cosignatures, key validity windows, proofs
 * shipped inside a bundle, and the derived entry index.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachLine } from '../../electron/platform/line-reader.js';
import { type VerifyProgress, verifyBundle } from '../../electron/verify/bundle/verify.js';
import { consistencyProofFromRegion, inclusionProofFromRegion } from '../../electron/write/prove.js';
import { toHex } from '../../shared/encoding/bytes.js';
import { CompactRange } from '../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { formatConsistencyProof, formatInclusionProof } from '../../shared/tlog/proof-file.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import { readLines, readManifestJson, refreshManifest, writeManifestJson } from '../support/tamper.js';

let tmp: string;
const log = testKey('log', ORIGIN);
const witness = testKey('witness-1', 'witness.example', 'witness');
const source = testKey('source', 'source', 'entry');

beforeAll(() => {
  tmp = makeTempDir('proofdesk-engine-');
});
afterAll(() => removeDir(tmp));

describe('progress and cancellation', () => {
  it('reports progress by stage and stops on abort with CANCELLED', async () => {
    const dir = join(tmp, 'big');
    generateBundle(dir, 60_000, { checkpointEvery: 10_000 });
    const seen: VerifyProgress[] = [];
    const done = await verifyBundle({
      bundle: dir,
      trusted: [log.trusted],
      workers: 2,
      chunkBytes: 256 * 1024,
      onProgress: (p) => seen.push(p),
    });
    expect(done.run.result.verdict).toBe('PASS');
    const stages = [...new Set(seen.map((p) => p.stage))];
    expect(stages[0]).toBe('scan');
    expect(stages).toContain('merge');
    expect(stages.at(-1)).toBe('done');
    expect(seen.at(-1)).toMatchObject({ entriesDone: 60_000, entriesTotal: 60_000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.elapsedMs).toBeGreaterThanOrEqual(seen[i - 1]!.elapsedMs);

    const ac = new AbortController();
    const p = verifyBundle({
      bundle: dir,
      trusted: [log.trusted],
      workers: 2,
      chunkBytes: 64 * 1024,
      signal: ac.signal,
      onProgress: (x) => x.stage === 'verify' && ac.abort(),
    });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const already = new AbortController();
    already.abort();
    await expect(verifyBundle({ bundle: dir, trusted: [log.trusted], signal: already.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('signatures', () => {
  it('cross-check mode verifies every entry signature with both implementations', async () => {
    const dir = join(tmp, 'signed');
    generateBundle(dir, 400, {
      checkpointEvery: 100,
      signEntriesWith: source,
      witnesses: [{ name: witness.name, seed: witness.seed, time: 1_767_225_600 }],
    });
    const out = await verifyBundle({
      bundle: dir,
      trusted: [log.trusted, source.trusted, witness.trusted],
      crossCheck: true,
    });
    const r = out.run.result;
    expect(r.verdict).toBe('PASS');
    expect(out.run.stats.crossCheckedSignatures).toBe(400);
    expect(r.checks.find((c) => c.id === 'entry-signatures')!.counts).toMatchObject({ signatures: 400, valid: 400 });
    // Each checkpoint carries a verified log signature and a verified witness cosignature.
    for (const c of r.checkpoints)
      expect(c.signatures.map((s) => [s.kind, s.status])).toEqual([
        ['log', 'verified'],
        ['cosignature', 'verified'],
      ]);
    expect(r.findings.filter((f) => f.code === 'COSIGNATURE_VALID')).toHaveLength(4);
    expect(r.evidenceTime).toMatchObject({
      cosignedFrom: 1_767_225_600,
      cosignedTo: 1_767_225_600,
      firstEntryTs: '2026-01-01T00:00:00.000Z',
    });
    // Without the source key, every entry signature is by an untrusted key.
    const noSource = (await verifyBundle({ bundle: dir, trusted: [log.trusted] })).run.result;
    // Which key signs the source is a setup question: unverifiable, not failed, and named.
    expect(noSource.findings.filter((f) => f.code === 'KEY_UNTRUSTED')).toHaveLength(400);
    expect(noSource.verdict).toBe('INCONCLUSIVE');
    expect(noSource.coverage).toMatchObject({ failed: 0, unverifiable: 400 });
    expect(noSource.coverage.ranges).toEqual([
      { from: 0, to: 400, status: 'unverifiable', reason: 'SIGNER_NOT_TRUSTED' },
    ]);
    expect(noSource.diagnosis.map((c) => c.cause)).toEqual(['ENTRY_SIGNER_NOT_TRUSTED']);
  });

  it('a cosignature time up to 2^63 - 1 verifies (C2SP allows it) but, after the year 9999, dates nothing', async () => {
    const dir = join(tmp, 'far-future-witness');
    generateBundle(dir, 50, { witnesses: [{ name: witness.name, seed: witness.seed, time: (1n << 63n) - 1n }] });
    const r = (await verifyBundle({ bundle: dir, trusted: [log.trusted, witness.trusted] })).run.result;
    expect(r.verdict).toBe('PASS');
    expect(r.checkpoints[0]!.signatures.map((s) => [s.kind, s.status, s.time])).toEqual([
      ['log', 'verified', undefined],
      ['cosignature', 'verified', undefined],
    ]);
    expect(r.findings.find((f) => f.code === 'COSIGNATURE_VALID')!.message).toMatch(/9223372036854775807/);
    expect(r.evidenceTime.cosignedFrom).toBeUndefined();
  });

  it('keys count only in their roles: a log key does not vouch for entries, a witness or event-source key cannot sign as the log', async () => {
    const dir = join(tmp, 'signed');
    // The source key's signatures on entries count only when it is trusted as an entry key.
    const asLog = (
      await verifyBundle({
        bundle: dir,
        trusted: [log.trusted, { ...source.trusted, roles: ['log'] }, witness.trusted],
      })
    ).run.result;
    expect(asLog.verdict).toBe('INCONCLUSIVE');
    expect(asLog.checks.find((c) => c.id === 'entry-signatures')!.counts).toMatchObject({
      signatures: 400,
      valid: 0,
      untrusted: 400,
    });
    expect(asLog.trustedKeys.find((k) => k.fingerprint === source.trusted.fingerprint)?.roles).toEqual(['log']);
    // The log key itself, given also as an entry key, does not make the source's signatures valid.
    const logAsEntry = (
      await verifyBundle({ bundle: dir, trusted: [{ ...log.trusted, roles: ['log', 'entry'] }, witness.trusted] })
    ).run.result;
    expect(logAsEntry.findings.filter((f) => f.code === 'KEY_UNTRUSTED')).toHaveLength(400);

    // Checkpoints signed (as the log) by the witness's key, or by the event source's key.
    for (const [name, signer] of [
      ['witness', witness],
      ['source', source],
    ] as const) {
      const d = join(tmp, `signed-as-log-by-${name}`);
      generateBundle(d, 200, { checkpointEvery: 100, logKey: { ...signer, name: ORIGIN } });
      const r = (await verifyBundle({ bundle: d, trusted: [log.trusted, witness.trusted, source.trusted] })).run.result;
      // As with any checkpoint no trusted log key signed: KEY_UNTRUSTED, and no entry is covered.
      // Nothing contradicts a trusted key: the cause is the role the key was given.
      expect(r.verdict, name).toBe('INCONCLUSIVE');
      expect(
        r.diagnosis.map((c) => c.cause),
        name,
      ).toEqual(['KEY_WRONG_ROLE']);
      expect(r.coverage, name).toMatchObject({ verified: 0, unverifiable: 200 });
      expect(
        r.checkpoints.map((c) => [c.status, c.signatures.map((s) => s.status)]),
        name,
      ).toEqual([
        ['untrusted', ['wrong-role']],
        ['untrusted', ['wrong-role']],
      ]);
      expect(
        r.findings.filter((f) => f.code === 'KEY_WRONG_ROLE').map((f) => f.evidence?.fingerprint),
        name,
      ).toEqual([signer.trusted.fingerprint, signer.trusted.fingerprint]);
      // Trusted as a log key, the same checkpoints seal every entry.
      expect(
        (await verifyBundle({ bundle: d, trusted: [{ ...signer.trusted, roles: ['log'] }] })).run.result.verdict,
        name,
      ).toBe('PASS');
    }
  });

  it('a key trusted only for a window, or revoked, does not seal checkpoints outside it', async () => {
    const dir = join(tmp, 'windows');
    generateBundle(dir, 300, { checkpointEvery: 100 }); // entry i is at 2026-01-01T00:00:00Z + i s
    const windowed = { ...log.trusted, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-01-01T00:02:30Z' };
    const r1 = (await verifyBundle({ bundle: dir, trusted: [windowed] })).run.result;
    // Checkpoints 200 and 300 state entries after the window. Checkpoint 100's last entry (00:01:39)
    // is inside, but only a witness could show it was signed by 00:02:30: not established.
    expect(r1.findings.filter((f) => f.code === 'KEY_NOT_VALID_AT_TIME').map((f) => f.location.checkpointSize)).toEqual(
      [200, 300],
    );
    expect(r1.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.checkpointSize)).toEqual([
      100,
    ]);
    expect(r1.checkpoints.map((c) => c.status)).toEqual(['untrusted', 'untrusted', 'untrusted']);
    expect(r1.coverage).toMatchObject({ verified: 0, unverifiable: 300 });
    const revoked = { ...log.trusted, revokedAt: '2026-01-01T00:04:00Z' };
    const r2 = (await verifyBundle({ bundle: dir, trusted: [revoked] })).run.result;
    expect(r2.findings.filter((f) => f.code === 'KEY_REVOKED').map((f) => f.location.checkpointSize)).toEqual([300]);
    expect(r2.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.checkpointSize)).toEqual([
      100, 200,
    ]);
    expect(r2.verdict).toBe('FAIL');
  });

  it('refuses to verify without any trusted key', async () => {
    await expect(verifyBundle({ bundle: join(tmp, 'windows'), trusted: [] })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('proofs shipped in a bundle', () => {
  it('verifies inclusion and consistency proofs, and catches a proof for another entry', async () => {
    const dir = join(tmp, 'proofs');
    generateBundle(dir, 500, { checkpointEvery: 200 }); // 200, 400, 500
    const m = readManifestJson(dir);
    const region = {
      file: join(dir, 'entries.jsonl'),
      offset: 0,
      size: readFileSync(join(dir, 'entries.jsonl')).length,
    };
    const cp400 = readFileSync(join(dir, m.checkpoints[1]!));
    const cp200 = readFileSync(join(dir, m.checkpoints[0]!));
    mkdirSync(join(dir, 'proofs'));
    const inc = inclusionProofFromRegion(region, 123, 400);
    writeFileSync(join(dir, 'proofs', 'e123.tlog-proof'), formatInclusionProof(123, inc.hashes, cp400, inc.line));
    // The same path claimed for entry 124 (with entry 123's bytes as its extra data).
    writeFileSync(join(dir, 'proofs', 'e124.tlog-proof'), formatInclusionProof(124, inc.hashes, cp400, inc.line));
    writeFileSync(
      join(dir, 'proofs', 'c.consistency-proof'),
      formatConsistencyProof(200, 400, consistencyProofFromRegion(region, 200, 400), cp200, cp400),
    );
    writeFileSync(join(dir, 'proofs', 'junk.tlog-proof'), 'c2sp.org/tlog-proof@v1\nindex x\n');
    writeManifestJson(dir, {
      ...m,
      proofs: [
        'proofs/c.consistency-proof',
        'proofs/e123.tlog-proof',
        'proofs/e124.tlog-proof',
        'proofs/junk.tlog-proof',
      ],
      files: [
        ...m.files,
        ...['c.consistency-proof', 'e123.tlog-proof', 'e124.tlog-proof', 'junk.tlog-proof'].map((f) => ({
          path: `proofs/${f}`,
          size: 0,
          sha256: '0'.repeat(64),
        })),
      ],
    });
    refreshManifest(dir);
    const r = (await verifyBundle({ bundle: dir, trusted: [log.trusted] })).run.result;
    expect(r.proofs.map((p) => [p.file, p.kind, p.status])).toEqual([
      ['proofs/c.consistency-proof', 'consistency', 'verified'],
      ['proofs/e123.tlog-proof', 'inclusion', 'verified'],
      ['proofs/e124.tlog-proof', 'inclusion', 'failed'],
      ['proofs/junk.tlog-proof', 'unknown', 'malformed'],
    ]);
    // The path is not entry 124's: the proof is wrong, not the entry (which matches the signed roots).
    expect(r.findings.filter((f) => f.code === 'PROOF_INVALID').map((f) => f.location.entry)).toEqual([124]);
    expect(r.findings.filter((f) => f.code === 'PROOF_LEAF_MISMATCH')).toEqual([]);
    expect(r.diagnosis.map((c) => c.cause)).toEqual(['EVIDENCE_UNREADABLE', 'PROOF_INVALID']);
    expect(r.findings.filter((f) => f.code === 'PROOF_MALFORMED').map((f) => f.location.file)).toEqual([
      'proofs/junk.tlog-proof',
    ]);
  });
});

describe('entry index', () => {
  it('holds the offset of every block start and the Merkle root of every complete block', async () => {
    const dir = join(tmp, 'index');
    generateBundle(dir, 1000, { checkpointEvery: 0 });
    const out = await verifyBundle({ bundle: dir, trusted: [log.trusted], workers: 2, chunkBytes: 7_000 });
    const idx = out.index!;
    expect(idx.blockOffsets.length).toBe(4);
    expect(idx.blockRoots.length).toBe(3 * 32);
    const lines = readLines(dir);
    const leaves = lines.map((l) => hashLeaf(new TextEncoder().encode(l)));
    let off = 0;
    const starts: number[] = [];
    lines.forEach((l, i) => {
      if (i % 256 === 0) starts.push(off);
      off += Buffer.byteLength(l) + 1;
    });
    expect([...idx.blockOffsets]).toEqual(starts);
    for (let b = 0; b < 3; b++) {
      const r = new CompactRange(0);
      for (let i = b * 256; i < (b + 1) * 256; i++) r.append(leaves[i]!);
      expect(toHex(idx.blockRoots.subarray(b * 32, b * 32 + 32))).toBe(toHex(r.root()));
    }
    // forEachLine from a block offset starts exactly at that block's first entry.
    let first = '';
    forEachLine(
      idx.region,
      (v) => {
        first = v.bytes!.toString('utf8');
        return false;
      },
      { from: idx.blockOffsets[2]!, firstIndex: 512 },
    );
    expect(first).toBe(lines[512]);
  });
});
