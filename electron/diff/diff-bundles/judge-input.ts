/** What the judge (shared/diff/judge.ts) is given: both trees and every trusted checkpoint of either export. */
import { type Judgement, judgeDivergence, type SignedCheckpoint } from '../../../shared/diff/judge.js';
import type { Side } from '../../../shared/diff/model.js';
import { prefixRoot } from '../../../shared/diff/subtree.js';
import { fromHex } from '../../../shared/encoding/bytes.js';
import { logSigners } from '../../../shared/tlog/checkpoint-verify.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import type { ExportEntries } from '../../verify/bundle/export-entries.js';
import type { Sides } from './sides.js';

/** Judges the divergence at `k` (undefined: none below the shorter export's end). */
export function judge(sides: Sides, counts: Record<Side, number>, k: number | undefined): Judgement {
  const A = sides.A.entries;
  const B = sides.B.entries;
  const checkpoints = signedCheckpoints(sides);
  const trees = {
    ...(A ? { A: treeOf(A) } : {}),
    ...(B ? { B: treeOf(B) } : {}),
  };
  return judgeDivergence({ counts, ...(k !== undefined ? { divergence: k } : {}), checkpoints, trees });
}

function treeOf(e: ExportEntries): { count: number; rootAt: (n: number) => Uint8Array } {
  return { count: e.count, rootAt: (n: number) => prefixRoot(e.tree, n, nodeSha256) };
}

/** The trusted checkpoints of both exports, A's first, each with the log keys that signed it. */
function signedCheckpoints(sides: Sides): SignedCheckpoint[] {
  const checkpoints: SignedCheckpoint[] = [];
  for (const s of ['A', 'B'] as const) {
    for (const c of sides[s].run!.result.checkpoints) {
      if (c.status !== 'trusted' || c.size === undefined || c.rootHash === undefined) continue;
      // Only log signatures that still count (right role, inside the key's window) tie a head to a key.
      const signers = logSigners(c);
      checkpoints.push({ side: s, file: c.file, size: c.size, root: fromHex(c.rootHash), signers });
    }
  }
  return checkpoints;
}
