/**
 * electron/platform/batch-hash.ts: the batched leaf, link and block-root hashing of the hot
 * loops. The node:crypto path is held to shared/'s reference functions on @noble/hashes
 * (hashLeaf, chainLink, merkleRoot) over the RFC 6962 reference tree, the NIST CAVS messages as
 * leaves and a seeded fuzz; the native addon, where it is built, is held byte for byte to the
 * node:crypto path on the same inputs, and --cross-check's comparison is shown to stop a
 * disagreement. Where the addon is not built, the native half reports itself as such.
 */
import { describe, expect, it } from 'vitest';
import {
  type BatchHasher,
  batchHasher,
  crossCheckedHasher,
  hashingInUse,
  nodeCryptoHasher,
} from '../../../../electron/platform/batch-hash.js';
import { loadNativeHash } from '../../../../electron/platform/native-hash.js';
import { chainLink } from '../../../../shared/bundle/chain.js';
import { concatBytes, fromHex, toHex } from '../../../../shared/encoding/bytes.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { merkleRoot } from '../../../../shared/tlog/merkle/tree.js';
import { prng } from '../../../support/fixtures.js';
import { readVectorJson, readVectorText } from '../../../support/vectors.js';

/** Messages: the reference tree's leaf inputs, the NIST CAVS messages and seeded random lines. */
function messages(): Uint8Array[] {
  const ref = readVectorJson<{ leafInputs: string[] }>('merkle', 'reference-tree-rfc6962.json');
  const out = ref.leafInputs.map(fromHex);
  for (const file of ['SHA256ShortMsg.rsp', 'SHA256LongMsg.rsp']) {
    let bits = 0;
    for (const line of readVectorText('sha256', 'nist-cavs', file).split('\n')) {
      const m = /^(Len|Msg) = ([0-9a-f]+)/i.exec(line.trim());
      if (m?.[1] === 'Len') bits = Number(m[2]);
      else if (m?.[1] === 'Msg') out.push(fromHex(m[2]!).subarray(0, bits / 8));
    }
  }
  const rand = prng(1601);
  for (let i = 0; i < 600; i++)
    out.push(Uint8Array.from({ length: Math.floor(rand() * (i % 7 === 0 ? 5000 : 400)) }, () => (rand() * 256) | 0));
  return out;
}

/** The messages laid out as a file of lines with a headroom byte in front, and their ranges. */
function layout(msgs: readonly Uint8Array[]): { buf: Buffer; starts: Int32Array; ends: Int32Array } {
  const starts = new Int32Array(msgs.length);
  const ends = new Int32Array(msgs.length);
  const parts: Uint8Array[] = [new Uint8Array([0xee])];
  let at = 1;
  msgs.forEach((m, k) => {
    starts[k] = at;
    ends[k] = at + m.length;
    parts.push(m, new Uint8Array([0x0a]));
    at += m.length + 1;
  });
  return { buf: Buffer.from(concatBytes(...parts)), starts, ends };
}

function run(h: BatchHasher, msgs: readonly Uint8Array[]) {
  const { buf, starts, ends } = layout(msgs);
  const before = Buffer.from(buf);
  const n = msgs.length;
  const leaves = new Uint8Array(32 * n);
  h.leaves(buf, starts, ends, n, leaves);
  expect(buf.equals(before), `${h.name} leaves the input as it was`).toBe(true);
  const prevs = new Uint8Array(32 * n);
  const has = new Uint8Array(n);
  const rand = prng(n);
  for (let k = 0; k < n; k++) {
    has[k] = rand() < 0.8 ? 1 : 0;
    for (let j = 0; j < 32; j++) prevs[32 * k + j] = (rand() * 256) | 0;
  }
  const links = new Uint8Array(32 * n).fill(0xaa);
  h.links(prevs, leaves, has, n, links);
  const roots: string[] = [];
  for (const size of [1, 2, 4, 8, 256]) {
    const out = new Uint8Array(32);
    h.root(leaves, size, out);
    roots.push(toHex(out));
  }
  return { leaves, prevs, has, links, roots };
}

describe('batch hashing', () => {
  const msgs = messages();

  it('node:crypto: leaf hashes, chain links and block roots equal the shared reference (noble)', () => {
    expect(msgs.length).toBeGreaterThan(700);
    const r = run(nodeCryptoHasher(), msgs);
    const want = msgs.map((m) => hashLeaf(m));
    expect(r.leaves).toEqual(concatBytes(...want));
    for (let k = 0; k < msgs.length; k++) {
      const link = r.links.subarray(32 * k, 32 * k + 32);
      if (r.has[k]) expect(link).toEqual(chainLink(r.prevs.subarray(32 * k, 32 * k + 32), want[k]!));
      else expect(link).toEqual(new Uint8Array(32).fill(0xaa));
    }
    expect(r.roots).toEqual([1, 2, 4, 8, 256].map((n) => toHex(merkleRoot(want.slice(0, n)))));
    const ref = readVectorJson<{ rootHashes: { values: string[] } }>('merkle', 'reference-tree-rfc6962.json');
    expect(r.roots.slice(0, 4)).toEqual([1, 2, 4, 8].map((n) => ref.rootHashes.values[n]));
  });

  it('node:crypto: a range at the very start of the buffer (no headroom) is hashed from a copy', () => {
    const buf = Buffer.from('abc\ndef');
    const out = new Uint8Array(64);
    nodeCryptoHasher().leaves(buf, Int32Array.of(0, 4), Int32Array.of(3, 7), 2, out);
    expect(out).toEqual(concatBytes(hashLeaf(Buffer.from('abc')), hashLeaf(Buffer.from('def'))));
    expect(buf.toString()).toBe('abc\ndef');
  });

  it('refuses ranges outside the buffer and counts beyond the arrays, on every path', () => {
    const hashers = [nodeCryptoHasher(), batchHasher(), batchHasher(true)];
    for (const h of hashers) {
      const buf = new Uint8Array(10);
      expect(() => h.leaves(buf, Int32Array.of(1), Int32Array.of(11), 1, new Uint8Array(32))).toThrow(RangeError);
      expect(() => h.leaves(buf, Int32Array.of(5), Int32Array.of(4), 1, new Uint8Array(32))).toThrow(RangeError);
      expect(() => h.leaves(buf, Int32Array.of(1), Int32Array.of(2), 1, new Uint8Array(31))).toThrow(RangeError);
      expect(() => h.links(new Uint8Array(32), new Uint8Array(32), Uint8Array.of(1, 1), 2, new Uint8Array(64))).toThrow(
        RangeError,
      );
      expect(() => h.root(new Uint8Array(96), 3, new Uint8Array(32))).toThrow(RangeError);
      expect(() => h.root(new Uint8Array(64), 4, new Uint8Array(32))).toThrow(RangeError);
    }
  });

  const native = loadNativeHash();
  it.runIf(native.ok)('the native addon gives the same bytes as node:crypto on every input', () => {
    const a = run(nodeCryptoHasher(), msgs);
    const b = run(batchHasher(), msgs);
    expect(batchHasher().name).toBe('native');
    expect(toHex(b.leaves)).toBe(toHex(a.leaves));
    expect(toHex(b.links)).toBe(toHex(a.links));
    expect(b.roots).toEqual(a.roots);
    // Offsets and lengths at the edges: empty ranges, ranges at the buffer's start and end, 1-leaf roots.
    const buf = Buffer.from('\nx\n\nyz');
    const starts = Int32Array.of(0, 1, 3, 4, 6);
    const ends = Int32Array.of(0, 2, 3, 6, 6);
    const o1 = new Uint8Array(160);
    const o2 = new Uint8Array(160);
    nodeCryptoHasher().leaves(buf, starts, ends, 5, o1);
    batchHasher().leaves(buf, starts, ends, 5, o2);
    expect(toHex(o2)).toBe(toHex(o1));
  });

  it.runIf(native.ok)('with --cross-check both run, and a disagreement stops the run', () => {
    expect(batchHasher(true).name).toBe('native+node:crypto');
    const r = run(batchHasher(true), msgs.slice(0, 300));
    expect(r.roots[4]).toBe(run(nodeCryptoHasher(), msgs.slice(0, 300)).roots[4]);
    const wrong: BatchHasher = {
      ...nodeCryptoHasher(),
      name: 'wrong',
      links(prevs, leaves, has, count, out) {
        nodeCryptoHasher().links(prevs, leaves, has, count, out);
        out[0]! ^= 1;
      },
    };
    expect(() => run(crossCheckedHasher(nodeCryptoHasher(), wrong), msgs.slice(0, 10))).toThrow(
      /disagree on chain links/,
    );
  });

  it('says which hashing is in use, and why not native where it is not', () => {
    const h = hashingInUse();
    if (native.ok) expect(h).toEqual({ name: 'native' });
    else expect(h).toMatchObject({ name: 'node:crypto', reason: native.reason });
    expect(loadNativeHash({ PROOFDESK_NATIVE_HASH: '0' })).toEqual({
      ok: false,
      reason: 'switched off (PROOFDESK_NATIVE_HASH=0)',
    });
  });
});
