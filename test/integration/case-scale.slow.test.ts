/**
 * The case file at scale (npm run test:slow; minutes): a 1 GiB import, checked byte for byte
 * and timed next to `cp` + fsync in the same run; and a 10-million-entry bundle verified into
 * a case, indexed, and queried — hits checked against the entries file, latency bounded.
 * PROOFDESK_SLOW_IMPORT_MIB and PROOFDESK_SLOW_ENTRIES shrink the sizes for a quick rehearsal.
 * The bundle is cached in bench/cache/ (git-ignored), keyed by its parameters and the
 * generator's source (support/bundle-cache.ts); bench/case-import.ts and bench/case-index.ts
 * print the full tables.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../electron/case/case.js';
import { verifyCase } from '../../electron/case/case-verify.js';
import { importEvidence } from '../../electron/case/evidence.js';
import { queryEntries } from '../../electron/case/query.js';
import { trustKey } from '../../electron/case/trust.js';
import { verifyInCase } from '../../electron/services/case-run.js';
import { cachedBuild } from '../support/bundle-cache.js';
import { generateBundle, makeTempDir, ORIGIN, prng, removeDir, syntheticTs, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const MIB = 1024 * 1024;
const IMPORT_MIB = Number(process.env.PROOFDESK_SLOW_IMPORT_MIB ?? 1024);
const ENTRIES = Number(process.env.PROOFDESK_SLOW_ENTRIES ?? 10_000_000);
const CACHE = join(REPO_ROOT, 'bench', 'cache');

describe('case file at scale', () => {
  it(`imports ${IMPORT_MIB} MiB crash-safely at a rate comparable to cp + fsync`, () => {
    const tmp = makeTempDir('proofdesk-slow-import-');
    try {
      const src = join(tmp, 'image.bin');
      const fd = openSync(src, 'w');
      const rand = prng(99);
      const words = new Uint32Array(MIB / 4);
      for (let m = 0; m < IMPORT_MIB; m++) {
        for (let k = 0; k < words.length; k++) words[k] = rand() * 4294967296;
        writeSync(fd, new Uint8Array(words.buffer));
      }
      fsyncSync(fd);
      closeSync(fd);
      const expected = execFileSync('openssl', ['dgst', '-sha256', '-r', src]).toString().slice(0, 64);

      let t = performance.now();
      execFileSync('cp', [src, join(tmp, 'copy.bin')]);
      const c = openSync(join(tmp, 'copy.bin'), 'r');
      fsyncSync(c);
      closeSync(c);
      const cpMs = performance.now() - t;

      const cf = createCase(join(tmp, 'case'), { title: 'slow import' }, { actor: 'slow-test' });
      t = performance.now();
      const r = importEvidence(cf, src, { kind: 'other' });
      const importMs = performance.now() - t;
      expect(r.evidence).toMatchObject({ digest: expected, size: IMPORT_MIB * MIB });
      expect(verifyCase(cf).problems).toEqual([]);
      cf.close();
      console.log(
        `import ${IMPORT_MIB} MiB: ${((IMPORT_MIB * 1000) / importMs).toFixed(0)} MiB/s; cp + fsync ${((IMPORT_MIB * 1000) / cpMs).toFixed(0)} MiB/s (same run)`,
      );
      // Hashing runs beside the copy: the import stays within a small factor of a durable copy.
      expect(importMs).toBeLessThan(cpMs * 4 + 2000);
    } finally {
      removeDir(tmp);
    }
  });

  it(`indexes ${ENTRIES.toLocaleString('en-US')} entries and answers queries well under a second`, async () => {
    mkdirSync(CACHE, { recursive: true });
    const checkpointEvery = Math.min(1_000_000, Math.max(1, Math.floor(ENTRIES / 10)));
    const bundle = cachedBuild(
      CACHE,
      'scale-bundle',
      join(REPO_ROOT, 'test', 'support', 'fixtures.ts'),
      { count: ENTRIES, checkpointEvery },
      (d) => void generateBundle(d, ENTRIES, { checkpointEvery }),
    );
    const dir = join(CACHE, `slow-case-${ENTRIES}`);
    rmSync(dir, { recursive: true, force: true });
    const cf = createCase(dir, { title: 'slow index' }, { actor: 'slow-test' });
    try {
      trustKey(cf, { publicKey: testKey('log', ORIGIN).publicKey, keyName: ORIGIN, label: 'log', origin: ORIGIN });
      const t = performance.now();
      const out = await verifyInCase(cf, { bundle });
      console.log(
        `verify --case (import, verify, index) of ${ENTRIES.toLocaleString('en-US')} entries: ${((performance.now() - t) / 1000).toFixed(0)} s; index ${(out.searchIndex!.elapsedMs / 1000).toFixed(0)} s`,
      );
      expect(out.run.result.verdict).toBe('PASS');
      expect(out.searchIndex!.set).toMatchObject({ state: 'ready', entries: ENTRIES, tsMonotonic: true, seqBase: 0 });

      // Spot checks against the entries file itself.
      const entries = join(bundle, 'entries.jsonl');
      const lineAt = (offset: number, length: number) => {
        const b = Buffer.alloc(length);
        const fd = openSync(entries, 'r');
        readSync(fd, b, 0, length, offset);
        closeSync(fd);
        return b.toString();
      };
      const last = ENTRIES - 1;
      const window = queryEntries(cf, { from: syntheticTs(last - 99), to: syntheticTs(last), limit: 1000 });
      expect(window.hits.map((h) => h.entry)).toEqual(Array.from({ length: 100 }, (_, i) => last - 99 + i));
      for (const h of window.hits) expect(lineAt(h.byteOffset, Buffer.byteLength(h.line))).toBe(h.line);
      const id = `evt-${(last - 5).toString(36).padStart(7, '0')}`;
      const one = queryEntries(cf, { text: `"${id}"` });
      expect(one.hits.map((h) => h.entry)).toEqual([last - 5]);
      expect(one.hits[0]!.status).toBe('verified');

      const latencies: number[] = [];
      const qs = [
        'bob',
        'denied',
        'actor:carol@example.com',
        'delete "svc-backup"',
        `seq:${Math.floor(ENTRIES / 2)}..${Math.floor(ENTRIES / 2) + 99}`,
      ];
      for (let rep = 0; rep < 11; rep++) {
        for (const text of qs) {
          const s = performance.now();
          expect(queryEntries(cf, { text }).hits.length).toBeGreaterThan(0);
          latencies.push(performance.now() - s);
        }
      }
      latencies.sort((a, b) => a - b);
      const median = latencies[Math.floor(latencies.length / 2)]!;
      const max = latencies[latencies.length - 1]!;
      console.log(
        `query latency: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${latencies.length} queries; case.sqlite ${(statSync(join(dir, 'case.sqlite')).size / MIB).toFixed(0)} MiB`,
      );
      expect(median).toBeLessThan(100);
      expect(max).toBeLessThan(1000);
    } finally {
      cf.close();
    }
    // The case still verifies (every evidence file re-hashed), read-only.
    const ro = openCase(dir, { readonly: true });
    expect(verifyCase(ro).ok).toBe(true);
    ro.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
