/**
 * electron/platform/node-hash.ts: node:crypto's SHA-256 as shared/'s Sha256, and leaf hashing in
 * place (leafHashesInto) against shared/'s hashLeaf on @noble/hashes.
 */
import { describe, expect, it } from 'vitest';
import { leafHashesInto, nodeSha256 } from '../../../../electron/platform/node-hash.js';
import { concatBytes, utf8 } from '../../../../shared/encoding/bytes.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { formatEntryBundle, parseEntryBundle } from '../../../../shared/tlog/tiles.js';
import { prng } from '../../../support/fixtures.js';

describe('leafHashesInto', () => {
  it('equals hashLeaf for entries of a tile bundle (hashed in place) and leaves the bundle bytes as they were', () => {
    const rand = prng(5);
    const entries = Array.from({ length: 300 }, (_, i) =>
      utf8(`${i}:`.padEnd(Math.floor(rand() * 700), String.fromCharCode(97 + (i % 26)))),
    );
    entries.push(new Uint8Array(0)); // an empty entry is a leaf too
    const bundle = formatEntryBundle(entries);
    const copy = bundle.slice();
    const parsed = parseEntryBundle(bundle, entries.length);
    expect(parsed.ok).toBe(true);
    const out = new Uint8Array(entries.length * 32);
    leafHashesInto(parsed.entries, out);
    expect(out).toEqual(concatBytes(...entries.map((e) => hashLeaf(e))));
    expect(bundle).toEqual(copy);
  });

  it('copies an entry that starts its buffer (no byte before it to borrow)', () => {
    const e = utf8('first entry');
    const out = new Uint8Array(96).fill(9);
    leafHashesInto([e, e.subarray(6)], out.subarray(32));
    expect(out.subarray(0, 32)).toEqual(new Uint8Array(32).fill(9));
    expect(out.subarray(32, 64)).toEqual(hashLeaf(e));
    expect(out.subarray(64)).toEqual(hashLeaf(utf8('entry')));
    expect(e).toEqual(utf8('first entry'));
    expect(() => leafHashesInto([e, e], new Uint8Array(63))).toThrow(RangeError);
  });

  it('nodeSha256 equals @noble/hashes through hashLeaf', () => {
    const e = utf8('x'.repeat(1000));
    expect(new Uint8Array(hashLeaf(e, nodeSha256))).toEqual(hashLeaf(e));
  });
});
