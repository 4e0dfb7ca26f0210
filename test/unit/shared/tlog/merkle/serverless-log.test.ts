/**
 * A real log: transparency-dev/serverless-log testdata (15 leaves, 16 signed checkpoints),
 * read in place from ../shared/vectors/signed-note/serverless-log-testdata. Only the Merkle
 * side is checked here; the checkpoint signatures are verified elsewhere.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex, tryFromBase64, utf8 } from '../../../../../shared/encoding/bytes.js';
import { CompactRange } from '../../../../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../../../../shared/tlog/merkle/hash.js';
import {
  consistencyProof,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../../shared/tlog/merkle/proof.js';
import { merkleRoot } from '../../../../../shared/tlog/merkle/tree.js';
import { readVectorJson, vectorPath } from '../../../../support/vectors.js';

interface Manifest {
  origin: string;
  leafData: string[];
  leafHashes: string[];
}

const DIR = ['signed-note', 'serverless-log-testdata'];
const manifest = readVectorJson<Manifest>(...DIR, 'manifest.json');
const leafHashes = manifest.leafData.map((s) => hashLeaf(utf8(s)));

/** The checkpoint body lines: origin, tree size, base64 root (C2SP tlog-checkpoint). */
function checkpoint(name: string): { origin: string; size: string; root: Uint8Array } {
  const lines = readFileSync(vectorPath(...DIR, 'log', name), 'utf8').split('\n');
  const root = tryFromBase64(lines[2]!);
  if (!root) throw new Error(`${name}: line 3 is not base64`);
  return { origin: lines[0]!, size: lines[1]!, root };
}

const checkpoints = Array.from({ length: 16 }, (_, n) => checkpoint(`checkpoint.${n}`));

describe('serverless-log testdata', () => {
  it('has 15 leaves whose files and hashes match the manifest', () => {
    expect(leafHashes.map(toHex)).toEqual(manifest.leafHashes);
    manifest.leafData.forEach((s, i) => {
      const file = vectorPath(...DIR, 'log', 'seq', '00', '00', '00', '00', i.toString(16).padStart(2, '0'));
      expect(readFileSync(file)).toEqual(Buffer.from(utf8(s)));
    });
    expect(leafHashes).toHaveLength(15);
  });

  it('reproduces the root on line 3 of every checkpoint.N (N = 0..15), by merkleRoot and CompactRange', () => {
    const range = new CompactRange(0);
    checkpoints.forEach((cp, n) => {
      if (n > 0) range.append(leafHashes[n - 1]!);
      expect(cp.origin).toBe(manifest.origin);
      expect(cp.size).toBe(String(n));
      expect(toHex(merkleRoot(leafHashes.slice(0, n))), `checkpoint.${n}`).toBe(toHex(cp.root));
      expect(toHex(range.root()), `checkpoint.${n}`).toBe(toHex(cp.root));
    });
    expect(checkpoints).toHaveLength(16);
    expect(checkpoint('checkpoint')).toEqual(checkpoints[15]);
  });

  it('proves every leaf into, and every checkpoint consistent with, every later checkpoint', () => {
    for (let size = 1; size <= 15; size++) {
      const tree = leafHashes.slice(0, size);
      const root = checkpoints[size]!.root;
      for (let i = 0; i < size; i++) {
        expect(verifyInclusion(i, size, tree[i]!, inclusionProof(i, tree), root)).toEqual({ ok: true });
      }
      for (let size1 = 1; size1 <= size; size1++) {
        const proof = consistencyProof(size1, tree);
        expect(verifyConsistency(size1, size, checkpoints[size1]!.root, root, proof)).toEqual({ ok: true });
      }
    }
  });
});
