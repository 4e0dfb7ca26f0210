/**
 * Writes a static tiled log: C2SP tlog-tiles (entry bundles and hash tiles) or the Go
 * checksum-database layout (data tiles and hash tiles), with Ed25519-signed checkpoints.
 * Used for test fixtures and benchmarks, and as an executable description of the layouts that
 * electron/verify/formats/tiled-log.ts reads.
 *
 * Full tiles are written as soon as they are complete; `checkpoint()` writes the partial tiles
 * the current size needs and the signed checkpoint, and with `keepHistory` also a copy named
 * `checkpoint.<size>` (the convention Proofdesk reads earlier checkpoints from).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { concatBytes, utf8 } from '../../shared/encoding/bytes.js';
import { formatCheckpointBody } from '../../shared/tlog/checkpoint.js';
import { CompactRange } from '../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { merkleRoot } from '../../shared/tlog/merkle/tree.js';
import { type NoteSigner, signNote } from '../../shared/tlog/note.js';
import { formatEntryBundle, type TileRef, tilePath, tilesForSize } from '../../shared/tlog/tiles.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { nodeSha256 } from '../platform/node-hash.js';

export interface TiledLogWriterOptions {
  readonly dir: string;
  readonly layout: 'tlog-tiles' | 'sumdb';
  readonly origin: string;
  /** The log's Ed25519 note key, and any further signers (e.g. witness cosigners). */
  readonly signers: readonly ({ readonly name: string; readonly seed: Uint8Array } | NoteSigner)[];
  readonly keepHistory?: boolean;
}

const W = 256;

export class TiledLogWriter {
  readonly #o: TiledLogWriterOptions;
  readonly #acc = new CompactRange(0, nodeSha256);
  /** Entries and leaf hashes of the current, incomplete leaf tile. */
  #pending: Uint8Array[] = [];
  #pendingHashes: Uint8Array[] = [];
  /** #levels[L] = complete nodes at tile level L (tree level 8L), L >= 1; kept for partial tiles. */
  readonly #levels: Uint8Array[][] = [[]];

  constructor(o: TiledLogWriterOptions) {
    this.#o = o;
    mkdirSync(o.dir, { recursive: true });
  }

  get size(): number {
    return this.#acc.end;
  }

  /** Appends one entry (for sumdb: record text ending in a newline, without blank lines). */
  append(entry: Uint8Array): void {
    if (this.#o.layout === 'tlog-tiles' && entry.length > 0xffff)
      throw new ProofdeskError('USAGE', 'tlog-tiles entries are at most 65535 bytes');
    const h = hashLeaf(entry, nodeSha256);
    this.#acc.append(h);
    this.#pending.push(entry);
    this.#pendingHashes.push(h);
    if (this.#pending.length === W) {
      const index = this.#acc.end / W - 1;
      this.#writeTile({ kind: 'entries', level: 0, index, width: W }, this.#entriesBytes(this.#pending));
      this.#writeTile({ kind: 'hash', level: 0, index, width: W }, concatBytes(...this.#pendingHashes));
      this.#addNode(1, merkleRoot(this.#pendingHashes, nodeSha256));
      this.#pending = [];
      this.#pendingHashes = [];
    }
  }

  #addNode(level: number, node: Uint8Array): void {
    const nodes = (this.#levels[level] ??= []);
    nodes.push(node);
    if (nodes.length % W === 0) {
      const group = nodes.slice(nodes.length - W);
      this.#writeTile({ kind: 'hash', level, index: nodes.length / W - 1, width: W }, concatBytes(...group));
      this.#addNode(level + 1, merkleRoot(group, nodeSha256));
    }
  }

  #entriesBytes(entries: readonly Uint8Array[]): Uint8Array {
    if (this.#o.layout === 'tlog-tiles') return formatEntryBundle(entries);
    // sumdb data tiles: each record text followed by a blank line (x/mod tlog.FormatRecord without the id line).
    return concatBytes(...entries.flatMap((e) => [e, Uint8Array.of(0x0a)]));
  }

  #writeTile(t: TileRef, bytes: Uint8Array): void {
    const p = join(this.#o.dir, tilePath(this.#o.layout, t));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
  }

  /** The root of the entries appended so far. */
  root(): Uint8Array {
    return this.#acc.root();
  }

  /** Writes the partial tiles for the current size and a signed checkpoint; returns the note bytes. */
  checkpoint(): Uint8Array {
    const size = this.#acc.end;
    for (const t of tilesForSize(size)) {
      if (t.width === W) continue;
      if (t.level === 0) {
        this.#writeTile(
          { kind: 'entries', level: 0, index: t.index, width: t.width },
          this.#entriesBytes(this.#pending),
        );
        this.#writeTile(t, concatBytes(...this.#pendingHashes));
      } else {
        const nodes = this.#levels[t.level]!;
        this.#writeTile(t, concatBytes(...nodes.slice(t.index * W, t.index * W + t.width)));
      }
    }
    const text = formatCheckpointBody({ origin: this.#o.origin, size, rootHash: this.#acc.root() });
    const note = signNote(text, this.#o.signers);
    const latest = this.#o.layout === 'sumdb' ? 'latest' : 'checkpoint';
    writeFileSync(join(this.#o.dir, latest), note);
    if (this.#o.keepHistory) writeFileSync(join(this.#o.dir, `${latest}.${size}`), note);
    return note;
  }
}

/** A deterministic entry for test logs: readable text, varied lengths, never a blank line. */
export function syntheticLogEntry(i: number): Uint8Array {
  return utf8(`entry ${i} ${'x'.repeat((i * 7919) % 97)}\n`);
}
