/**
 * Tools an attacker (or an accident) would use on a bundle, for the tamper suite: edit entry
 * lines, re-chain them, rewrite the manifest, re-sign checkpoints.
 */

import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainGenesis, chainLink } from '../../shared/bundle/chain.js';
import type { Manifest } from '../../shared/bundle/manifest.js';
import { toHex } from '../../shared/encoding/bytes.js';
import { formatCheckpointBody } from '../../shared/tlog/checkpoint.js';
import { CompactRange } from '../../shared/tlog/merkle/compact.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { signNote } from '../../shared/tlog/note.js';
import type { TestKey } from './fixtures.js';

export function copyBundle(src: string, dst: string): string {
  cpSync(src, dst, { recursive: true });
  return dst;
}

export function readManifestJson(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

export function writeManifestJson(dir: string, m: unknown): void {
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
}

/** Entry lines without their line feeds (the file must end with one). */
export function readLines(dir: string): string[] {
  const text = readFileSync(join(dir, 'entries.jsonl'), 'utf8');
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

export function writeLines(dir: string, lines: readonly string[]): void {
  writeFileSync(join(dir, 'entries.jsonl'), lines.map((l) => l + '\n').join(''));
}

/** Byte offset of line i in the entries file. */
export function lineOffset(dir: string, i: number): number {
  const lines = readLines(dir);
  let off = 0;
  for (let k = 0; k < i; k++) off += Buffer.byteLength(lines[k]!) + 1;
  return off;
}

/** Rewrites seq and prev of every entry as an exporter would, keeping the events. */
export function rechain(dir: string, origin: string, firstSeq = 0): void {
  let prev = chainGenesis(origin);
  const out = readLines(dir).map((line, i) => {
    const o = JSON.parse(line) as Record<string, unknown>;
    o.seq = firstSeq + i;
    o.prev = toHex(prev);
    const next = JSON.stringify(o);
    prev = chainLink(prev, hashLeaf(new TextEncoder().encode(next)));
    return next;
  });
  writeLines(dir, out);
}

/** Rewrites only the prev link of every entry, in the line text: nothing else is re-serialised. */
export function rechainRaw(dir: string, origin: string): void {
  let prev = chainGenesis(origin);
  const out = readLines(dir).map((line) => {
    const next = line.replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${toHex(prev)}"`);
    prev = chainLink(prev, hashLeaf(new TextEncoder().encode(next)));
    return next;
  });
  writeLines(dir, out);
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Recomputes every size and digest in the manifest, and the entry count. */
export function refreshManifest(dir: string): void {
  const m = readManifestJson(dir) as Manifest & { files: Array<{ path: string; size: number; sha256: string }> };
  const files = m.files.map((f) => {
    const b = readFileSync(join(dir, f.path));
    return { path: f.path, size: b.length, sha256: sha256Hex(b) };
  });
  writeManifestJson(dir, { ...m, entries: { ...m.entries, count: readLines(dir).length }, files });
}

/** Replaces every checkpoint with one of the same size over the current entries, signed by `key`. */
export function resignCheckpoints(dir: string, origin: string, key: TestKey): void {
  const lines = readLines(dir);
  const m = readManifestJson(dir);
  for (const path of m.checkpoints) {
    const text = readFileSync(join(dir, path), 'utf8');
    const size = Number(text.split('\n')[1]);
    const r = new CompactRange(0);
    for (let i = 0; i < size; i++) r.append(hashLeaf(new TextEncoder().encode(lines[i]!)));
    writeFileSync(
      join(dir, path),
      signNote(formatCheckpointBody({ origin, size, rootHash: r.root() }), [{ name: key.name, seed: key.seed }]),
    );
  }
}

export function checkpointFiles(dir: string): string[] {
  return readdirSync(join(dir, 'checkpoints'))
    .sort()
    .map((f) => join(dir, 'checkpoints', f));
}

/** XORs `mask` into byte `index` of `bytes`, in place. Requires 0 <= index < bytes.length. */
export function flipBits(bytes: Uint8Array, index: number, mask: number): void {
  const b = bytes[index];
  if (b === undefined) throw new RangeError(`byte ${index} is outside ${bytes.length} bytes`);
  bytes[index] = b ^ mask;
}
