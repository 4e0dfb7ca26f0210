/** RFC 9162 §2.1.1 leaf hashes of one leaf tile, appended to the tree being rebuilt. */
import type { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import { type BatchHasher, batchHasher } from '../../../platform/batch-hash.js';
import { leafHashesInto } from '../../../platform/node-hash.js';

/** Each leaf tile is hashed in batched calls: its leaf hashes, and the root of a full tile. */
export class LeafTileHasher {
  readonly #hasher: BatchHasher;
  /** Entries in a full leaf tile. */
  readonly #width: number;
  readonly #leafHashes: Uint8Array;
  readonly #tileRoot = new Uint8Array(32);
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;

  constructor(crossCheck: boolean, width: number) {
    this.#hasher = batchHasher(crossCheck);
    this.#width = width;
    this.#leafHashes = new Uint8Array(width * 32);
    this.#starts = new Int32Array(width);
    this.#ends = new Int32Array(width);
  }

  /**
   * Hashes the entries of leaf tile n and appends them to the tree. With inPlace, entries that
   * are all views of one tile file are hashed where they lie. Requires entries.length <= width.
   */
  append(builder: TreeBuilder, n: number, entries: readonly Uint8Array[], inPlace: boolean): void {
    const tile = inPlace ? bufferOfAll(entries) : undefined;
    if (tile) this.#hashInPlace(new Uint8Array(tile), entries);
    else leafHashesInto(entries, this.#leafHashes);
    const full = entries.length === this.#width;
    if (full) this.#hasher.root(this.#leafHashes, this.#width, this.#tileRoot);
    builder.appendLeafHashes(n, this.#leafHashes.subarray(0, entries.length * 32), full ? this.#tileRoot : undefined);
  }

  #hashInPlace(whole: Uint8Array, entries: readonly Uint8Array[]): void {
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k]!;
      this.#starts[k] = e.byteOffset;
      this.#ends[k] = e.byteOffset + e.length;
    }
    this.#hasher.leaves(whole, this.#starts, this.#ends, entries.length, this.#leafHashes);
  }
}

/** The buffer every entry is a view of, if they share one (undefined for no entries). */
function bufferOfAll(entries: readonly Uint8Array[]): ArrayBufferLike | undefined {
  const tile = entries[0]?.buffer;
  if (!tile) return undefined;
  for (let k = 1; k < entries.length; k++) if (entries[k]!.buffer !== tile) return undefined;
  return tile;
}
