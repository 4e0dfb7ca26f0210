/**
 * `npm run diagnosis-examples`: seals a 200,000-entry export of Kubernetes-shaped audit events
 * (checkpoints every 10,000 entries), tampers with copies of it as an attacker or an accident
 * would, verifies each with the same engine the CLI uses, and writes docs/diagnosis-examples.md:
 * one row per tampering with the verdict, the first cause, the coverage counts and the headline.
 * Deterministic: fixed keys, events and positions.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../electron/verify/verify.js';
import { BundleWriter } from '../electron/write/bundle-writer.js';
import type { TrustedKey } from '../shared/keys/trust.js';
import { num } from '../shared/present/words.js';
import type { VerificationResult } from '../shared/verdict/result.js';
import { auditEvent, auditTs } from '../test/support/audit-events.js';
import { testKey } from '../test/support/fixtures.js';
import { readLines, rechain, refreshManifest, writeLines } from '../test/support/tamper.js';

const N = 200_000;
const EVERY = 10_000;
const ORIGIN = 'audit.example.com/k8s-prod';
const log = testKey('examples-log', ORIGIN);
const tmp = mkdtempSync(join(tmpdir(), 'proofdesk-examples-'));
const base = join(tmp, 'base');

function say(s: string): void {
  process.stderr.write(`${s}\n`);
}

function seal(): void {
  const w = new BundleWriter({
    dir: base,
    origin: ORIGIN,
    logKey: { name: log.name, seed: log.seed },
    checkpointEvery: EVERY,
    created: '2026-11-01T00:00:00Z',
  });
  for (let i = 0; i < N; i++) w.append(auditEvent('k8s', i), auditTs(i), {});
  w.finish({ seal: true });
}

/** One byte of the event changed; the line stays valid JSON. */
function oneByte(line: string): string {
  return line.replace('"verb":"', '"verb":"X');
}

interface Example {
  readonly name: string;
  readonly edit?: (lines: string[]) => string[];
  readonly relink?: boolean;
  readonly manifest?: boolean;
  readonly trusted?: readonly TrustedKey[];
}

const at = (l: string[], i: number, f: (x: string) => string) => l.map((x, k) => (k === i ? f(x) : x));
const scattered = (l: string[]) => {
  let seed = 6547;
  const picked = new Set<number>();
  while (picked.size < 6547) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    picked.add(1 + (seed % (N - 2)));
  }
  return l.map((x, k) => (picked.has(k) ? oneByte(x) : x));
};

const EXAMPLES: readonly Example[] = [
  { name: 'untouched' },
  { name: 'one byte changed in entry 123,456', edit: (l) => at(l, 123_456, oneByte) },
  {
    name: 'one byte changed in entry 123,456, manifest not refreshed',
    edit: (l) => at(l, 123_456, oneByte),
    manifest: false,
  },
  {
    name: "entry 123,456's own prev edited (one hex digit)",
    edit: (l) => at(l, 123_456, (x) => x.replace(/"prev":"(.)/, (_m, c: string) => `"prev":"${c === 'a' ? 'b' : 'a'}`)),
  },
  { name: '6,547 entries changed at random places', edit: scattered },
  { name: 'one line deleted (seq 77,777)', edit: (l) => l.filter((_x, k) => k !== 77_777) },
  { name: '25 lines deleted from entry 150,000', edit: (l) => [...l.slice(0, 150_000), ...l.slice(150_025)] },
  {
    name: 'a forged entry inserted after entry 90,000, linked correctly',
    edit: (l) => {
      const o = JSON.parse(l[90_000] as string) as { event: { verb: string } };
      o.event.verb = 'delete';
      return [...l.slice(0, 90_001), JSON.stringify(o), ...l.slice(90_001)];
    },
  },
  { name: 'entry 42,000 duplicated', edit: (l) => [...l.slice(0, 42_001), l[42_000] as string, ...l.slice(42_001)] },
  {
    name: 'entries 130,000 and 130,001 swapped',
    edit: (l) => [...l.slice(0, 130_000), l[130_001] as string, l[130_000] as string, ...l.slice(130_002)],
  },
  {
    name: 'entry 5,000 moved to after entry 180,000',
    edit: (l) => {
      const moved = l[5_000] as string;
      const rest = l.filter((_x, k) => k !== 5_000);
      return [...rest.slice(0, 180_000), moved, ...rest.slice(180_000)];
    },
  },
  { name: 'the last entry changed', edit: (l) => at(l, N - 1, oneByte) },
  { name: 'the last 10,000 entries cut off, checkpoints kept', edit: (l) => l.slice(0, N - 10_000) },
  {
    name: 'entry 123,456 rewritten and the chain relinked (insider)',
    edit: (l) => at(l, 123_456, oneByte),
    relink: true,
  },
  {
    name: 'entry 77,777 deleted, renumbered and relinked (insider)',
    edit: (l) => l.filter((_x, k) => k !== 77_777),
    relink: true,
  },
  { name: 'checked with a wrong trusted key', trusted: [testKey('someone-else', ORIGIN).trusted] },
  { name: 'the log key given as a witness', trusted: [{ ...log.trusted, roles: ['witness'] }] },
];

async function run(e: Example, k: number): Promise<VerificationResult> {
  let dir = base;
  if (e.edit) {
    dir = join(tmp, `case-${k}`);
    cpSync(base, dir, { recursive: true });
    writeLines(dir, e.edit(readLines(dir)));
    if (e.relink) rechain(dir, ORIGIN);
    if (e.manifest !== false) refreshManifest(dir);
  }
  const out = await verify(dir, { trusted: e.trusted ?? [log.trusted] });
  if (dir !== base) rmSync(dir, { recursive: true, force: true });
  return out.run.result;
}

async function main(): Promise<void> {
  say(`sealing ${num(N)} entries in ${tmp}`);
  seal();
  const rows: string[] = [];
  for (const [k, e] of EXAMPLES.entries()) {
    const t0 = Date.now();
    const r = await run(e, k);
    const first = r.diagnosis[0];
    const span = first?.entries;
    const where = !span
      ? ''
      : span.from === span.to
        ? `before ${num(span.from)}`
        : span.to - span.from === 1
          ? num(span.from)
          : `${num(span.from)}–${num(span.to - 1)}`;
    const c = r.coverage;
    rows.push(
      `| ${e.name} | ${r.verdict} | ${first ? `${first.cause} ${where}`.trim() : '—'} | ${num(c.verified)} / ${num(c.failed)} / ${num(c.unverifiable)} | ${r.headline.replace(/\|/g, '\\|')} |`,
    );
    say(`${e.name}: ${r.verdict} in ${Date.now() - t0} ms`);
  }
  const doc = `# What the diagnosis says: examples

Generated by \`npm run diagnosis-examples\` (scripts/diagnosis-examples.ts): an export of
${num(N)} Kubernetes-shaped audit events (test/support/audit-events.ts) sealed with checkpoints every
${num(EVERY)} entries, tampered as described (the manifest refreshed unless said otherwise), verified
with the engine the CLI and the app use. Coverage is verified / failed / unverifiable; the cause is
the first of \`result.diagnosis\` (docs/bundle-format.md §7.1), with its entries.

| tampering | verdict | first cause | coverage | headline |
|---|---|---|---|---|
${rows.join('\n')}
`;
  writeFileSync(join(import.meta.dirname, '..', 'docs', 'diagnosis-examples.md'), doc);
  rmSync(tmp, { recursive: true, force: true });
  say('wrote docs/diagnosis-examples.md');
}

await main();
