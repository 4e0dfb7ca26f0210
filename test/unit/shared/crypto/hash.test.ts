/**
 * The SHA-256 primitive under every hash chain and Merkle tree: shared/crypto/hash.ts (noble) and
 * node:crypto (also as the engine calls it, electron/platform/node-hash.ts) must all match NIST
 * CAVS and agree with each other, because Node code swaps one for the other.
 */
import { hash as nodeHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../../electron/platform/node-hash.js';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { fromHex, toHex } from '../../../../shared/encoding/bytes.js';
import { readVectorText } from '../../../support/vectors.js';

interface Cavs {
  file: string;
  bits: number;
  msg: Uint8Array;
  md: string;
}

/** Parses a CAVS .rsp file: `Len = <bits>`, `Msg = <hex>`, `MD = <hex>` triples; `#` lines are comments. */
function parseRsp(file: string): Cavs[] {
  const out: Cavs[] = [];
  let bits: number | undefined;
  let msg: string | undefined;
  for (const raw of readVectorText('sha256', 'nist-cavs', file).split('\n')) {
    const line = raw.trim();
    const m = /^(Len|Msg|MD) = ([0-9a-f]+)$/i.exec(line);
    if (!m) continue;
    if (m[1] === 'Len') bits = Number(m[2]);
    else if (m[1] === 'Msg') msg = m[2];
    else {
      if (bits === undefined || msg === undefined || bits % 8 !== 0)
        throw new Error(`${file}: malformed vector before MD ${m[2]}`);
      // Len = 0 comes with the placeholder Msg = 00: the message is the first Len/8 bytes.
      out.push({ file, bits, msg: fromHex(msg).subarray(0, bits / 8), md: m[2]!.toLowerCase() });
      bits = msg = undefined;
    }
  }
  return out;
}

const node = (d: Uint8Array) => nodeHash('sha256', d, 'hex');

describe('SHA-256: NIST CAVS 11.0 byte-oriented vectors', () => {
  const short = parseRsp('SHA256ShortMsg.rsp');
  const long = parseRsp('SHA256LongMsg.rsp');

  it('shared/crypto/hash.ts sha256 and node:crypto both give MD for all 129 vectors', () => {
    const failures: string[] = [];
    for (const v of [...short, ...long]) {
      if (toHex(sha256(v.msg)) !== v.md) failures.push(`noble ${v.file} Len=${v.bits}`);
      if (node(v.msg) !== v.md) failures.push(`node ${v.file} Len=${v.bits}`);
      // The engine's path (latin1 digest turned into bytes) must give the same 32 bytes.
      const engine = nodeSha256(v.msg);
      if (engine.length !== 32 || toHex(engine) !== v.md) failures.push(`engine ${v.file} Len=${v.bits}`);
    }
    expect(failures).toEqual([]);
    expect([short.length, long.length]).toEqual([65, 64]);
    expect(short[0]).toMatchObject({ bits: 0, msg: new Uint8Array(0) });
    expect(long.map((v) => v.msg.length)).toContain(6400);
  });
});

describe('SHA-256: noble and node:crypto agree (differential)', () => {
  it('on deterministic pseudo-random inputs of every length 0..1000', () => {
    let x = 0x9e3779b9;
    const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24;
    let count = 0;
    for (let len = 0; len <= 1000; len++) {
      const msg = new Uint8Array(len);
      for (let i = 0; i < len; i++) msg[i] = next();
      expect(toHex(sha256(msg)), `length ${len}`).toBe(node(msg));
      expect(toHex(nodeSha256(msg)), `engine, length ${len}`).toBe(node(msg));
      count++;
    }
    expect(count).toBe(1001);
  });
});
