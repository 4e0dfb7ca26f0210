// toHex variants (issue 16 plan, P3): time per 32-byte digest and heap kept per resulting string.
// Run: node --expose-gc --import tsx bench/profile/tohex.ts
import { randomBytes } from 'node:crypto';

const HEX = '0123456789abcdef';
const concat = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  return s;
};
const LUT: string[] = [];
for (let i = 0; i < 256; i++) LUT.push(HEX[i >> 4]! + HEX[i & 15]!);
const lut = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += LUT[b[i]!]!;
  return s;
};
const CODES = new Uint16Array(512);
for (let i = 0; i < 256; i++) {
  CODES[2 * i] = HEX.charCodeAt(i >> 4);
  CODES[2 * i + 1] = HEX.charCodeAt(i & 15);
}
let out16 = new Uint16Array(64);
const fromCodes = (b: Uint8Array) => {
  if (out16.length !== 2 * b.length) out16 = new Uint16Array(2 * b.length);
  for (let i = 0; i < b.length; i++) {
    out16[2 * i] = CODES[2 * b[i]!]!;
    out16[2 * i + 1] = CODES[2 * b[i]! + 1]!;
  }
  return String.fromCharCode.apply(null, out16 as unknown as number[]);
};
const dec = new TextDecoder();
let out8 = new Uint8Array(64);
const textDec = (b: Uint8Array) => {
  if (out8.length !== 2 * b.length) out8 = new Uint8Array(2 * b.length);
  for (let i = 0; i < b.length; i++) {
    out8[2 * i] = CODES[2 * b[i]!]!;
    out8[2 * i + 1] = CODES[2 * b[i]! + 1]!;
  }
  return dec.decode(out8);
};
const bufHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
const ds = Array.from({ length: 100_000 }, () => new Uint8Array(randomBytes(32)));
const variants: Record<string, (b: Uint8Array) => string> = { concat, lut, fromCodes, textDec, bufHex };
for (const [k, f] of Object.entries(variants)) {
  if (ds.slice(0, 100).some((d) => f(d) !== bufHex(d))) throw new Error(k + ' wrong');
  let bestUs = 1e9;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (const d of ds) f(d);
    bestUs = Math.min(bestUs, ((performance.now() - t0) * 1000) / ds.length);
  }
  (globalThis as { gc?: () => void }).gc!();
  const h0 = process.memoryUsage().heapUsed;
  const keep = ds.map(f);
  (globalThis as { gc?: () => void }).gc!();
  const h1 = process.memoryUsage().heapUsed;
  console.log(k.padEnd(10), `${bestUs.toFixed(3)} µs`, `${((h1 - h0) / keep.length).toFixed(0)} B retained per string`);
}
