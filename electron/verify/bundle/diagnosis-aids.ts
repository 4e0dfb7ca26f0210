/**
 * What the diagnosis may ask of the export after the run, through the entry index: the hash of
 * a subtree (to compare with one a proof authenticates) and whether two entries have the same
 * bytes (a duplicated line). Reads are bounded: a block of 256 entries at a time.
 */

import { rangeRoot } from '../../../shared/diff/subtree.js';
import { bytesEqual } from '../../../shared/encoding/bytes.js';
import type { EntryIndex } from '../../../shared/protocol/verify-output.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { exportEntries } from './export-entries.js';

export interface DiagnosisAids {
  readonly subtree: (from: number, to: number) => Uint8Array | undefined;
  readonly sameEntry: (a: number, b: number) => boolean | undefined;
}

export function diagnosisAids(index: EntryIndex | undefined): DiagnosisAids {
  if (!index) return { subtree: () => undefined, sameEntry: () => undefined };
  const entries = exportEntries(index);
  const leaf = (i: number) => entries.readWindow(i, 1, 0).entries[0]?.leafHash;
  return {
    subtree: (from, to) => {
      if (to > index.count || from >= to) return undefined;
      try {
        return rangeRoot(entries.tree, from, to, nodeSha256);
      } catch {
        return undefined;
      }
    },
    sameEntry: (a, b) => {
      if (a < 0 || b < 0 || a >= index.count || b >= index.count) return undefined;
      const x = leaf(a);
      const y = leaf(b);
      return x && y ? bytesEqual(x, y) : undefined;
    },
  };
}
