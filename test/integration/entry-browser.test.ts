/**
 * The entry browser service over a real verified bundle: pages land on the right lines, the
 * inclusion path built from block roots equals the RFC 9162 reference proof for leaves in
 * every position (block starts and ends, subtree edges, the last leaf of a partial block),
 * chain links are judged both ways, and search finds what is there.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryBrowser } from '../../electron/services/entries.js';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { fromHex, toHex } from '../../shared/encoding/bytes.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { inclusionProof, inclusionProofRanges } from '../../shared/tlog/merkle/proof.js';
import { merkleRootRange } from '../../shared/tlog/merkle/tree.js';
import { type GeneratedBundle, generateBundle, makeTempDir, removeDir } from '../support/fixtures.js';

const COUNT = 1300; // five blocks of 256, the last one partial
let tmp: string;
/** Verified once and only read by the tests; a test that edits entries edits its own copy. */
let bundle: GeneratedBundle;
let browser: EntryBrowser;
let leaves: Uint8Array[];

async function open(dir: string, trusted: Parameters<typeof verifyBundle>[0]['trusted']) {
  const out = await verifyBundle({ bundle: dir, trusted, workers: 2, chunkBytes: 64 * 1024 });
  return new EntryBrowser(out.index!, out.run.result);
}

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-browser-');
  bundle = generateBundle(join(tmp, 'b'), COUNT, { checkpointEvery: 500 }); // checkpoints 500, 1000, 1300
  leaves = readFileSync(join(bundle.dir, 'entries.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => hashLeaf(Buffer.from(l, 'utf8')));
  browser = await open(bundle.dir, [bundle.logKey.trusted]);
});

afterAll(() => removeDir(tmp));

describe('entry browser', () => {
  it('pages from any index, across block boundaries, clamped at the end', () => {
    const p = browser.page(250, 20);
    expect(p.total).toBe(COUNT);
    expect(p.rows.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, k) => 250 + k));
    expect(p.rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, k) => 250 + k));
    expect(p.rows.every((r) => r.parses && r.summary.length > 0)).toBe(true);
    expect(browser.page(1295, 100).rows.map((r) => r.index)).toEqual([1295, 1296, 1297, 1298, 1299]);
    expect(browser.page(5000, 10).rows).toEqual([]);
  });

  it('draws the RFC 9162 inclusion path to the smallest trusted checkpoint, for leaves in every position', () => {
    for (const i of [0, 1, 255, 256, 257, 499, 500, 511, 512, 767, 999, 1000, 1023, 1024, 1279, 1280, 1299]) {
      const d = browser.detail(i);
      const size = i < 500 ? 500 : i < 1000 ? 1000 : 1300;
      expect(d.proof?.size, `entry ${i}`).toBe(size);
      expect(d.proof?.matches).toBe(true);
      expect(d.proof?.trusted).toBe(true);
      expect(d.leafHash).toBe(toHex(leaves[i]!));
      const ref = inclusionProof(i, leaves.slice(0, size));
      expect(
        d.proof!.steps.map((s) => s.sibling),
        `entry ${i}`,
      ).toEqual(ref.map(toHex));
      expect(d.proof!.steps.map((s) => s.siblingRange)).toEqual(inclusionProofRanges(i, size));
      expect(d.proof!.computedRoot).toBe(toHex(merkleRootRange(leaves, 0, size)));
      expect(d.proof!.steps.at(-1)?.nodeRange).toEqual([0, size]);
      expect(d.prevStatus).toBe('ok');
      expect(d.nextStatus).toBe(i === COUNT - 1 ? 'last' : 'ok');
      expect(d.coverage).toBe('verified');
    }
  });

  it('refuses an index that does not exist', () => {
    expect(() => browser.detail(COUNT)).toThrow(expect.objectContaining({ code: 'USAGE', detail: { notFound: true } }));
    expect(() => browser.detail(-1)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('finds text without regard to ASCII case, continuing where it stopped', () => {
    const line = readFileSync(join(bundle.dir, 'entries.jsonl'), 'utf8').split('\n')[777]!;
    const id = (JSON.parse(line) as { event: { id: string } }).event.id;
    expect(browser.search(id.toUpperCase(), 0).matches).toEqual([777]);
    expect(browser.search(id, 778).matches).toEqual([]);
    const many = browser.search('"seq":12', 0, 5);
    expect(many.matches).toEqual([12, 120, 121, 122, 123]);
    expect(many.next).toBe(124);
  });

  it('shows a broken link on both sides of an edited entry and a proof that fails', async () => {
    // Edits a copy: the shared bundle stays as the other tests (and the shared browser) read it.
    const dir = join(tmp, 'edited');
    cpSync(bundle.dir, dir, { recursive: true });
    const file = join(dir, 'entries.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[600] = lines[600]!.replace('"seq":600', '"seq":600,"x":1');
    writeFileSync(file, lines.join('\n'));
    const br = await open(dir, [bundle.logKey.trusted]);
    const d600 = br.detail(600);
    expect(d600.prevStatus).toBe('ok'); // 600's own prev is untouched
    expect(d600.nextStatus).toBe('broken'); // but 601 no longer links to it
    expect(d600.proof?.matches).toBe(false);
    expect(d600.coverage).toBe('failed');
    const d601 = br.detail(601);
    expect(d601.prevStatus).toBe('broken');
    expect(d601.expectedPrev).not.toBe(d601.prev);
    expect(fromHex(d601.prev!).length).toBe(32);
    expect(d601.findings.map((f) => f.code)).toContain('CHAIN_BROKEN');
    expect(br.detail(10).proof?.matches).toBe(true); // below the damage, the 500 checkpoint still holds
  });
});
