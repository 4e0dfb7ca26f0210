/**
 * The Merkle tree over a job's leaves. The leaf hashes of the current block are kept (copied) in
 * `block`; once a block completes, its root (one batched call) goes into `outer`, a compact range
 * over block indices: above the block level the tree over block roots is the tree over leaves, so
 * no hash is computed twice and each block root is captured for the entry index (diff, entry
 * browser). Blocks are BLOCK leaves whether or not the job asks for block output.
 */
import type { VerifyJob } from '../../../../shared/protocol/worker.js';
import { CompactRange } from '../../../../shared/tlog/merkle/compact.js';
import type { BatchHasher } from '../../../platform/batch-hash.js';
import { nodeSha256 } from '../../../platform/node-hash.js';

/** Leaves per block when the job asks for no block output (the tree is the same). */
const BLOCK = 256;

/** A leaf whose hash (and ts, once read) the orchestrator asked for. */
export interface WantedLeaf {
  index: number;
  hash: Uint8Array;
  ts?: string;
}

export class LeafTree {
  readonly baseIndex: number;
  /** Leaves per index block in the output, or 0 for no block output. */
  readonly blockLeaves: number;
  /** Leaves per block. */
  readonly B: number;
  readonly block: Buffer;
  head: Uint8Array[] | undefined; // partial block at the start of the job
  outer: CompactRange | undefined;
  firstFullBlock = -1;
  readonly blockRoots: Uint8Array[] = [];
  readonly blockStarts: Array<{ block: number; offset: number }> = [];
  readonly snapshotSizes: number[];
  readonly snapshots: Array<{ size: number; range: Uint8Array[] }> = [];
  readonly wantLeaf: Set<number>;
  readonly leafHashes: WantedLeaf[] = [];

  constructor(
    job: VerifyJob,
    readonly hasher: BatchHasher,
  ) {
    this.baseIndex = job.baseIndex;
    this.blockLeaves = job.blockLeaves > 0 ? job.blockLeaves : 0;
    this.B = this.blockLeaves || BLOCK;
    this.block = Buffer.alloc(this.B * 32);
    this.head = undefined;
    this.outer = undefined;
    this.snapshotSizes = [...job.snapshotSizes].sort((a, b) => a - b);
    this.wantLeaf = new Set(job.leafIndices);
  }

  /**
   * Adds leaf i (leaves[32k, 32k + 32), its line at `offset`): completes its block, records
   * block starts and snapshots. Returns the leaf's record when the job wants its hash.
   */
  add(i: number, offset: number, leaves: Buffer, k: number): WantedLeaf | undefined {
    const B = this.B;
    leaves.copy(this.block, (i % B) * 32, 32 * k, 32 * k + 32);
    const wanted = this.wantLeaf.has(i)
      ? {
          index: i,
          hash: Uint8Array.from(leaves.subarray(32 * k, 32 * k + 32)) as Uint8Array,
          ts: undefined as string | undefined,
        }
      : undefined;
    if (wanted) this.leafHashes.push(wanted);
    if ((i + 1) % B === 0) this.completeBlock(i);
    if (this.blockLeaves && i % this.blockLeaves === 0) this.blockStarts.push({ block: i / this.blockLeaves, offset });
    if (this.snapshotSizes.length && this.snapshotSizes[0] === i + 1) {
      this.snapshots.push({ size: i + 1, range: this.rangeHashes(i + 1) });
      this.snapshotSizes.shift();
    }
    return wanted;
  }

  /** The compact range of this job's leaves [baseIndex, end), end being just after a leaf added. */
  rangeHashes(end: number): Uint8Array[] {
    return [
      ...(this.head ?? []),
      ...(this.outer ? this.outer.hashes() : []),
      ...this.blockRange(Math.max(end - (end % this.B), this.baseIndex), end),
    ];
  }

  /** Leaf i ends a block: a whole block's root joins `outer`; a job's partial first block is kept as hashes. */
  private completeBlock(i: number): void {
    const B = this.B;
    const blockStart = i + 1 - B;
    if (blockStart >= this.baseIndex) {
      const root = new Uint8Array(32);
      this.hasher.root(this.block, B, root);
      const b = blockStart / B;
      if (!this.outer) {
        this.outer = new CompactRange(b, nodeSha256);
        this.firstFullBlock = b;
      }
      this.outer.append(root);
      if (this.blockLeaves) this.blockRoots.push(root);
    } else this.head = this.blockRange(this.baseIndex, i + 1);
  }

  /** Compact-range hashes of the leaves [from, end) of the current block (copies). */
  private blockRange(from: number, end: number): Uint8Array[] {
    const B = this.B;
    const r = new CompactRange(from, nodeSha256);
    // Copies (new Uint8Array): Buffer.slice would be a view of the block buffer, which is reused.
    for (let j = from; j < end; j++) r.append(new Uint8Array(this.block.subarray((j % B) * 32, (j % B) * 32 + 32)));
    return r.hashes() as Uint8Array[];
  }
}
