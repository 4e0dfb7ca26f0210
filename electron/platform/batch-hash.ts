/**
 * The hot hashing of verification, in batches: RFC 9162 leaf hashes of many lines or tile
 * entries, chain links, and the root of a whole block or tile of leaf hashes. Everything the
 * hot loops hash per entry goes through one of these calls, so the per-call cost of node:crypto
 * (about 0.3 µs on top of SHA-256) can be paid once per batch where native code is there.
 *
 * Two implementations give identical bytes:
 *   - node:crypto, the reference, always available (one one-shot call per hash, digests
 *     written straight into the caller's buffers: no Buffer per digest);
 *   - the N-API addon in native/ (C against Node's own OpenSSL, built at `npm ci` where a
 *     compiler is available), loaded by native-hash.ts; where it is missing or fails to load,
 *     verification uses node:crypto and says so in its run statistics.
 * With --cross-check both run on every batch and any difference stops the run (INTERNAL).
 * test/unit/electron/platform/batch-hash.test.ts holds them equal on the vectors and a fuzz.
 */
import { hash } from 'node:crypto';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { loadNativeHash, type NativeHash } from './native-hash.js';

export interface BatchHasher {
  /** 'native' (the addon) or 'node:crypto'; 'native+node:crypto' when both run and are compared. */
  readonly name: string;
  /**
   * out[32k, 32k + 32) = SHA-256(0x00 || buf[starts[k], ends[k])) for k < count: the RFC 9162
   * leaf hash of each range. Requires 0 <= starts[k] <= ends[k] <= buf.length and out.length >= 32·count.
   * The node:crypto path hashes in place: it sets buf[starts[k] - 1] to 0x00 for the call and
   * restores it (the caller's buffer is otherwise left as it was).
   */
  leaves(buf: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, out: Uint8Array): void;
  /**
   * out[32k, 32k + 32) = SHA-256(prevs[32k, 32k + 32) || leaves[32k, 32k + 32)) for every
   * k < count with has[k] !== 0 (the chain link, docs/bundle-format.md §4); other slots are left alone.
   */
  links(prevs: Uint8Array, leaves: Uint8Array, has: Uint8Array, count: number, out: Uint8Array): void;
  /** out[0, 32) = RFC 9162 root of the n leaf hashes in leaves (n a power of two, n >= 1). */
  root(leaves: Uint8Array, n: number, out: Uint8Array): void;
}

function checkLeaves(buf: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, out: Uint8Array): void {
  if (count < 0 || count > starts.length || count > ends.length || out.length < 32 * count)
    throw new RangeError('leaves: count exceeds the arrays');
  for (let k = 0; k < count; k++)
    if (!(starts[k]! >= 0 && starts[k]! <= ends[k]! && ends[k]! <= buf.length))
      throw new RangeError(`leaves: range ${k} is outside the buffer`);
}

function checkLinks(prevs: Uint8Array, leaves: Uint8Array, has: Uint8Array, count: number, out: Uint8Array): void {
  if (
    count < 0 ||
    count > has.length ||
    32 * count > prevs.length ||
    32 * count > leaves.length ||
    32 * count > out.length
  )
    throw new RangeError('links: count exceeds the arrays');
}

function checkRoot(leaves: Uint8Array, n: number, out: Uint8Array): void {
  if (!(n >= 1 && (n & (n - 1)) === 0 && 32 * n <= leaves.length && out.length >= 32))
    throw new RangeError('root: n must be a power of two with n leaf hashes given');
}

function bufferOf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** The reference: node:crypto one-shot SHA-256, digests written as latin1 straight into the output. */
export function nodeCryptoHasher(): BatchHasher {
  const link = Buffer.allocUnsafe(64); // prev || leaf
  const pair = Buffer.allocUnsafe(65); // 0x01 || left || right
  let level = new Uint8Array(0);
  return {
    name: 'node:crypto',
    leaves(buf, starts, ends, count, out) {
      checkLeaves(buf, starts, ends, count, out);
      const dst = bufferOf(out);
      for (let k = 0; k < count; k++) {
        const s = starts[k]!;
        const e = ends[k]!;
        let d: string;
        if (s > 0) {
          const input = new Uint8Array(buf.buffer, buf.byteOffset + s - 1, e - s + 1);
          const save = input[0]!;
          input[0] = 0;
          d = hash('sha256', input, 'binary');
          input[0] = save;
        } else {
          const input = new Uint8Array(e - s + 1);
          input.set(buf.subarray(s, e), 1);
          d = hash('sha256', input, 'binary');
        }
        dst.write(d, 32 * k, 32, 'latin1');
      }
    },
    links(prevs, leaves, has, count, out) {
      checkLinks(prevs, leaves, has, count, out);
      const dst = bufferOf(out);
      const p = bufferOf(prevs);
      const l = bufferOf(leaves);
      for (let k = 0; k < count; k++) {
        if (has[k] === 0) continue;
        p.copy(link, 0, 32 * k, 32 * k + 32);
        l.copy(link, 32, 32 * k, 32 * k + 32);
        dst.write(hash('sha256', link, 'binary'), 32 * k, 32, 'latin1');
      }
    },
    root(leaves, n, out) {
      checkRoot(leaves, n, out);
      // Pairwise, level by level: for a power of two this is the RFC 9162 recursion.
      if (level.length < 32 * n) level = new Uint8Array(32 * n);
      const lv = bufferOf(level);
      lv.set(leaves.subarray(0, 32 * n), 0);
      pair[0] = 0x01;
      for (let m = n; m > 1; m >>= 1) {
        for (let k = 0; k < m / 2; k++) {
          lv.copy(pair, 1, 64 * k, 64 * k + 64);
          lv.write(hash('sha256', pair, 'binary'), 32 * k, 32, 'latin1');
        }
      }
      out.set(level.subarray(0, 32), 0);
    },
  };
}

function nativeHasher(n: NativeHash): BatchHasher {
  return {
    name: 'native',
    leaves(buf, starts, ends, count, out) {
      checkLeaves(buf, starts, ends, count, out);
      n.leaves(buf, starts, ends, count, out);
    },
    links(prevs, leaves, has, count, out) {
      checkLinks(prevs, leaves, has, count, out);
      n.links(prevs, leaves, has, count, out);
    },
    root(leaves, count, out) {
      checkRoot(leaves, count, out);
      n.root(leaves, count, out);
    },
  };
}

function differ(what: string): never {
  throw new ProofdeskError('INTERNAL', `native and node:crypto hashing disagree on ${what}`);
}

/** Runs `a` and then `b` on every batch and compares what they wrote. */
export function crossCheckedHasher(a: BatchHasher, b: BatchHasher): BatchHasher {
  let scratch = new Uint8Array(0);
  const spare = (bytes: number): Uint8Array => {
    if (scratch.length < bytes) scratch = new Uint8Array(bytes);
    return scratch.subarray(0, bytes);
  };
  const same = (x: Uint8Array, y: Uint8Array) => Buffer.compare(bufferOf(x), bufferOf(y)) === 0;
  return {
    name: `${a.name}+${b.name}`,
    leaves(buf, starts, ends, count, out) {
      a.leaves(buf, starts, ends, count, out);
      const o = spare(32 * count);
      b.leaves(buf, starts, ends, count, o);
      if (!same(out.subarray(0, 32 * count), o)) differ('leaf hashes');
    },
    links(prevs, leaves, has, count, out) {
      a.links(prevs, leaves, has, count, out);
      const o = spare(32 * count);
      o.set(out.subarray(0, 32 * count));
      b.links(prevs, leaves, has, count, o);
      if (!same(out.subarray(0, 32 * count), o)) differ('chain links');
    },
    root(leaves, n, out) {
      a.root(leaves, n, out);
      const o = spare(32);
      b.root(leaves, n, o);
      if (!same(out.subarray(0, 32), o)) differ('a block root');
    },
  };
}

let chosen: { hasher: BatchHasher; reason?: string } | undefined;

/**
 * The batch hasher this process uses: the native addon where it loaded, else node:crypto.
 * With crossCheck, both compared on every call (node:crypto alone where the addon is missing).
 */
export function batchHasher(crossCheck = false): BatchHasher {
  if (!chosen) {
    const n = loadNativeHash();
    chosen = n.ok ? { hasher: nativeHasher(n.native) } : { hasher: nodeCryptoHasher(), reason: n.reason };
  }
  if (!crossCheck || chosen.hasher.name !== 'native') return chosen.hasher;
  return crossCheckedHasher(chosen.hasher, nodeCryptoHasher());
}

/** How this process hashes: 'native' or 'node:crypto' (with why the addon is not used). */
export function hashingInUse(): { readonly name: string; readonly reason?: string } {
  batchHasher();
  return { name: chosen!.hasher.name, ...(chosen!.reason ? { reason: chosen!.reason } : {}) };
}

/** hashingInUse for run statistics: "native", "native+node:crypto" (crossCheck), or "node:crypto (<why>)". */
export function hashingStat(crossCheck: boolean): string {
  const h = hashingInUse();
  if (h.reason) return `node:crypto (${h.reason})`;
  return crossCheck ? `${h.name}+node:crypto` : h.name;
}
