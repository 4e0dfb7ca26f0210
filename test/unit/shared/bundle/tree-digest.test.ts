import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TREE_DIGEST_PREFIX, treeDigest } from '../../../../shared/bundle/tree-digest.js';

describe('treeDigest (proofdesk-tree-v1)', () => {
  const files = [
    { path: 'entries.jsonl', size: 10, digest: 'a'.repeat(64) },
    { path: 'checkpoints/2.checkpoint', size: 3, digest: 'b'.repeat(64) },
    { path: 'manifest.json', size: 7, digest: 'c'.repeat(64) },
  ];
  it('hashes the prefix and one line per file in the order of the path bytes', () => {
    const expected = createHash('sha256')
      .update(TREE_DIGEST_PREFIX)
      .update(`checkpoints/2.checkpoint\u00003\u0000${'b'.repeat(64)}\n`)
      .update(`entries.jsonl\u000010\u0000${'a'.repeat(64)}\n`)
      .update(`manifest.json\u00007\u0000${'c'.repeat(64)}\n`)
      .digest('hex');
    expect(treeDigest(files)).toBe(expected);
    expect(treeDigest([...files].reverse())).toBe(expected);
  });
  it('orders by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (4 bytes, F0 …), though its UTF-16 unit is larger.
    const a = { path: '\u{ff21}', size: 1, digest: 'd'.repeat(64) };
    const b = { path: '\u{1f600}', size: 1, digest: 'e'.repeat(64) };
    const expected = createHash('sha256')
      .update(TREE_DIGEST_PREFIX)
      .update(`${a.path}\u00001\u0000${a.digest}\n`)
      .update(`${b.path}\u00001\u0000${b.digest}\n`)
      .digest('hex');
    expect(treeDigest([b, a])).toBe(expected);
  });
});
