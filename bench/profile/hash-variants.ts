// Per-entry hashing of the range verifier (leaf hash, chain link, Merkle append), three ways, over the
// first N lines of an entries file (issue 16 plan, P2). Run: node --import tsx bench/profile/hash-variants.ts <entries.jsonl> [N]
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 300000);
const all = readFileSync(file!);
const starts: number[] = [];
{
  let p = 0;
  for (let k = 0; k < N; k++) {
    const nl = all.indexOf(10, p);
    if (nl < 0) break;
    starts.push(p);
    p = nl + 1;
  }
  starts.push(p);
}
const buf = Buffer.alloc(all.length + 1);
all.copy(buf, 1, 0); // buf[0] headroom as in the verifier
const n = starts.length - 1;

function variantA(): string {
  // today: Buffers from 'binary' strings, hex of every link
  const stack: Buffer[] = [];
  let count = 0;
  const scratch = Buffer.allocUnsafe(64);
  const node = Buffer.allocUnsafe(65);
  node[0] = 1;
  let prev = Buffer.alloc(32);
  let prevHex = '';
  for (let k = 0; k < n; k++) {
    const ls = starts[k]! + 1,
      nl = starts[k + 1]!;
    const save = buf[ls - 1]!;
    buf[ls - 1] = 0;
    const leaf = Buffer.from(hash('sha256', buf.subarray(ls - 1, nl), 'binary'), 'binary');
    buf[ls - 1] = save;
    let cur: Buffer = leaf;
    for (let i = count; i & 1; i >>= 1) {
      stack.pop()!.copy(node, 1);
      cur.copy(node, 33);
      cur = Buffer.from(hash('sha256', node, 'binary'), 'binary');
    }
    stack.push(cur);
    count++;
    prev.copy(scratch, 0);
    leaf.copy(scratch, 32);
    const link = Buffer.from(hash('sha256', scratch, 'binary'), 'binary');
    prevHex = link.toString('hex');
    prev = link;
  }
  return prevHex + stack.length;
}
function variantB(): string {
  // link kept as hex (what the next prev is compared with), bytes written back from it
  const stack: Buffer[] = [];
  let count = 0;
  const scratch = Buffer.allocUnsafe(64);
  const node = Buffer.allocUnsafe(65);
  node[0] = 1;
  let prevHex = '0'.repeat(64);
  for (let k = 0; k < n; k++) {
    const ls = starts[k]! + 1,
      nl = starts[k + 1]!;
    const save = buf[ls - 1]!;
    buf[ls - 1] = 0;
    const leaf = Buffer.from(hash('sha256', buf.subarray(ls - 1, nl), 'binary'), 'binary');
    buf[ls - 1] = save;
    let cur: Buffer = leaf;
    for (let i = count; i & 1; i >>= 1) {
      stack.pop()!.copy(node, 1);
      cur.copy(node, 33);
      cur = Buffer.from(hash('sha256', node, 'binary'), 'binary');
    }
    stack.push(cur);
    count++;
    scratch.write(prevHex, 0, 32, 'hex');
    leaf.copy(scratch, 32);
    prevHex = hash('sha256', scratch, 'hex');
  }
  return prevHex + stack.length;
}
function variantC(): string {
  // no Buffers per hash: digests stay latin1 strings, written into fixed scratch buffers
  const stack: string[] = [];
  let count = 0;
  const scratch = Buffer.allocUnsafe(64);
  const node = Buffer.allocUnsafe(65);
  node[0] = 1;
  let prevHex = '0'.repeat(64);
  for (let k = 0; k < n; k++) {
    const ls = starts[k]! + 1,
      nl = starts[k + 1]!;
    const save = buf[ls - 1]!;
    buf[ls - 1] = 0;
    const leaf = hash('sha256', buf.subarray(ls - 1, nl), 'binary');
    buf[ls - 1] = save;
    let cur = leaf;
    for (let i = count; i & 1; i >>= 1) {
      node.write(stack.pop()!, 1, 32, 'latin1');
      node.write(cur, 33, 32, 'latin1');
      cur = hash('sha256', node, 'binary');
    }
    stack.push(cur);
    count++;
    scratch.write(prevHex, 0, 32, 'hex');
    scratch.write(leaf, 32, 32, 'latin1');
    prevHex = hash('sha256', scratch, 'hex');
  }
  return prevHex + stack.length;
}
const variants: Record<string, () => string> = { A: variantA, B: variantB, C: variantC };
const best: Record<string, number> = {};
for (let r = 0; r < 5; r++)
  for (const [name, f] of Object.entries(variants)) {
    const t0 = performance.now();
    f();
    const us = ((performance.now() - t0) * 1000) / n;
    best[name] = Math.min(best[name] ?? Infinity, us);
  }
console.log(
  JSON.stringify({
    lines: n,
    best_us_per_entry: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Number(v.toFixed(3))])),
    B_equals_C: variantB() === variantC(),
  }),
);
