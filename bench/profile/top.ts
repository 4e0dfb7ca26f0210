/**
 * `tsx bench/profile/top.ts <file.cpuprofile> [N]`: self time per function of a V8 CPU profile
 * (as written by node --cpu-prof), summed over the nodes of each function, top N (default 15).
 * Idle and program/GC pseudo-nodes are listed like functions so the shares add up to 100%.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, nArg] = process.argv.slice(2);
if (!file) throw new Error('usage: top.ts <file.cpuprofile> [N]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (let k = 0; k < p.samples.length; k++) {
  const n = byId.get(p.samples[k]!)!;
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(dist|node_modules|wt-perf|proto)\//, '$1/')}:${f.lineNumber + 1}` : '';
  const key = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[k] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const busy = total - (self.get('(idle)') ?? 0);
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s of samples, ${(busy / 1e6).toFixed(2)} s not idle\n`);
process.stdout.write('| self ms | % of non-idle | function |\n|---:|---:|---|\n');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 15))) {
  process.stdout.write(
    `| ${(v / 1000).toFixed(0)} | ${k === '(idle)' ? '' : ((v / busy) * 100).toFixed(1)} | \`${k}\` |\n`,
  );
}
