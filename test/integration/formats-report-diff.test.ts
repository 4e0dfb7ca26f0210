/**
 * A C2SP log goes through the report and diff machinery the way a Proofdesk bundle does:
 *  - `verify --report` writes a signed report for a tiled log that `report verify` accepts,
 *    exactly as for a native bundle (both done here, side by side);
 *  - two tiled logs are compared through the diff engine's ExportEntries seam (block-root
 *    descent, windows of entries), finding an extension and a rewrite at the right entry.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.js';
import { tiledExportEntries } from '../../electron/diff/tiled-entries.js';
import { verify } from '../../electron/verify/verify.js';
import { syntheticLogEntry, TiledLogWriter } from '../../electron/write/tiles-writer.js';
import { firstDivergence } from '../../shared/diff/descent.js';
import { utf8 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { parseEnvelope } from '../../shared/report/dsse.js';
import type { VerificationStatement } from '../../shared/report/predicate.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/vectors.js';

const ORIGIN = 'log.example.com/report-diff';
const LOG = testKey('formats-report-diff', ORIGIN);
const VKEY = encodeNoteVerifierKey(ORIGIN, LOG.publicKey);
const EXAMINER_KEY = join(REPO_ROOT, 'resources', 'demo', 'demo-examiner.key');
const EXAMINER_PUB = join(REPO_ROOT, 'resources', 'demo', 'demo-examiner.pub');

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-rd-');
});
afterAll(() => removeDir(tmp));

function writeLog(dir: string, count: number, rewriteAt?: number): void {
  const w = new TiledLogWriter({
    dir,
    layout: 'tlog-tiles',
    origin: ORIGIN,
    signers: [{ name: LOG.name, seed: LOG.seed }],
    keepHistory: true,
  });
  for (let i = 0; i < count; i++) {
    w.append(i === rewriteAt ? utf8(`rewritten ${i}\n`) : syntheticLogEntry(i));
    if ((i + 1) % 400 === 0 || i + 1 === count) w.checkpoint();
  }
}

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, {
    out: () => {},
    err: (s) => (err += s),
    env: {},
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd: tmp,
  });
  return { code, err };
}

function statementIn(dir: string): VerificationStatement {
  const env = parseEnvelope(readFileSync(join(dir, 'attestation.dsse.json')));
  if (!env.ok) throw new Error('unparsable attestation');
  return JSON.parse(Buffer.from(env.payload).toString('utf8')) as VerificationStatement;
}

describe('a signed report for a C2SP log, as for a Proofdesk bundle', () => {
  it('verify --report, then report verify: both inputs give a valid signed report of their result', async () => {
    const log = join(tmp, 'log');
    writeLog(log, 900);
    const bundle = join(tmp, 'bundle');
    const g = generateBundle(bundle, 300);
    const bundleKey = join(tmp, 'bundle-log.vkey');
    writeFileSync(bundleKey, encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey));
    for (const [input, trust, name] of [
      [log, VKEY, 'c2sp'],
      [bundle, bundleKey, 'native'],
    ] as const) {
      const dir = join(tmp, `report-${name}`);
      const v = await cli(['verify', input, '--trust', trust, '--report', dir, '--examiner-key', EXAMINER_KEY]);
      expect({ name, code: v.code }).toEqual({ name, code: 0 });
      const check = await cli(['report', 'verify', join(dir, 'report.pdf'), '--key', EXAMINER_PUB]);
      expect({ name, code: check.code }).toEqual({ name, code: 0 });
      const s = statementIn(dir);
      expect(s.predicate.result.verdict).toBe('PASS');
      expect(s.predicate.result.coverage.verified).toBe(name === 'c2sp' ? 900 : 300);
      if (name === 'c2sp') {
        expect(s.predicate.result.findings.find((f) => f.code === 'INPUT_FORMAT')!.evidence).toMatchObject({
          format: 'c2sp-tiles',
        });
        // The files read are the report's subjects: checkpoints, entry bundles and tiles.
        expect(s.subject.map((x) => x.name)).toEqual(
          expect.arrayContaining(['log/checkpoint', 'log/tile/entries/000', 'log/tile/0/003.p/132']),
        );
      }
    }
  });
});

describe("comparing two C2SP logs through the diff engine's entry seam", () => {
  it('an honest extension has no divergence; a rewrite is found at its entry by block-root descent', async () => {
    const a = join(tmp, 'a');
    writeLog(a, 1000);
    const b = join(tmp, 'b');
    writeLog(b, 1300);
    const c = join(tmp, 'c');
    writeLog(c, 1000, 700);
    const open = async (d: string) => {
      const out = await verify(d, { trustArgs: [VKEY] });
      expect(out.run.result.verdict).toBe('PASS');
      return tiledExportEntries(d, out.tiles!);
    };
    const A = await open(a);
    const B = await open(b);
    const C = await open(c);
    expect(firstDivergence(A.tree, B.tree, 1000).index).toBeUndefined();
    const rewrite = firstDivergence(A.tree, C.tree, 1000);
    expect(rewrite.index).toBe(700);
    expect(rewrite.comparisons).toBeLessThan(40);
    const wa = A.readWindow(699, 3, 1 << 20);
    const wc = C.readWindow(699, 3, 1 << 20);
    expect(wa.entries.map((e) => e.index)).toEqual([699, 700, 701]);
    expect(Buffer.from(wc.entries[1]!.bytes!).toString()).toBe('rewritten 700\n');
    expect(Buffer.from(wa.entries[0]!.leafHash).equals(Buffer.from(wc.entries[0]!.leafHash))).toBe(true);
    expect(B.readWindow(1290, 50, 1 << 20)).toMatchObject({ complete: true, entries: { length: 10 } });
  });

  it('a tiled log altered after verification is refused when its entries are read again', async () => {
    const d = join(tmp, 'later');
    writeLog(d, 300);
    const out = await verify(d, { trustArgs: [VKEY] });
    const e = tiledExportEntries(d, out.tiles!);
    // A full entry bundle (this log's first, 256 entries) where the partial one of 44 belongs.
    cpSync(join(d, 'tile', 'entries', '000'), join(d, 'tile', 'entries', '001.p', '44'));
    expect(() => e.readWindow(256, 44, 1 << 20)).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE' }));
    // A complete tile is checked against the block root verification computed.
    const f = join(d, 'tile', 'entries', '000');
    const bytes = readFileSync(f);
    bytes[5] = bytes[5]! ^ 1;
    writeFileSync(f, bytes);
    expect(() => e.readWindow(0, 3, 1 << 20)).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE' }));
  });

  it('proofdesk diff compares two C2SP logs like two bundles', async () => {
    const a = join(tmp, 'diff-a');
    writeLog(a, 1000);
    const b = join(tmp, 'diff-b');
    writeLog(b, 1300);
    const c = join(tmp, 'diff-c');
    writeLog(c, 1000, 700);
    const run = async (x: string, y: string) => {
      let out = '';
      const code = await runCli(['diff', x, y, '--trust', VKEY, '--json'], {
        out: (t) => (out += t),
        err: () => {},
        env: {},
        stdinIsTTY: false,
        stderrIsTTY: false,
        cwd: tmp,
      });
      return {
        code,
        result: (
          JSON.parse(out) as { result: { verdict: string; commonPrefix: number; divergence?: { index: number } } }
        ).result,
      };
    };
    const ext = await run(a, b);
    expect(ext.code).toBe(0);
    expect(ext.result.verdict).toBe('B_EXTENDS_A');
    // The same key signed checkpoints of sizes 800 and 1000 over different histories: a fork.
    const fork = await run(a, c);
    expect(fork.code).toBe(1);
    expect(fork.result.verdict).toBe('FORKED');
    expect(fork.result.commonPrefix).toBe(700);
    expect(fork.result.divergence?.index).toBe(700);
  });
});
