/**
 * `proofdesk diff` end to end on generated exports (real files, real worker threads, real
 * signatures): every verdict, the evidence files checked by `check-proof`, the signed
 * attestation checked by openssl, and the error for exports of different logs.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/main.js';
import { type DiffOptions, diffBundles } from '../../electron/diff/diff.js';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { writeTar } from '../../electron/platform/tar.js';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { DIVERGENCE_PREDICATE_TYPE } from '../../shared/diff/attestation.js';
import {
  formatMisbehaviourProof,
  parseMisbehaviourProof,
  verifyMisbehaviourProof,
} from '../../shared/diff/misbehaviour.js';
import type { DiffResult, DiffRun } from '../../shared/diff/model.js';
import { fromBase64, toHex } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, encodeSpkiPem } from '../../shared/keys/keys.js';
import { dssePae } from '../../shared/report/dsse.js';
import {
  generateBundle,
  makeTempDir,
  ORIGIN,
  prng,
  removeDir,
  syntheticEvent,
  syntheticTs,
  type TestKey,
  testKey,
} from '../support/fixtures.js';

const log = testKey('log', ORIGIN);
const attacker = testKey('attacker', ORIGIN);
const N = 1000;
let root: string;
let A: string;
let logVkey: string;

function io(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    env: {},
    stdinIsTTY: false,
    stderrIsTTY: false,
    cwd: root,
    stdout: () => out,
    stderr: () => err,
  };
}

const diff = (a: string, b: string, o: Partial<DiffOptions> = {}) =>
  diffBundles({ a, b, trusted: [log.trusted], workers: 2, ...o });

const built = new Set<string>();

/**
 * `root/name`, made by `make` the first time a test asks for it. Exports are deterministic, so
 * a test can ask for one that another test also uses and not depend on which ran first.
 */
function once(name: string, make: (dir: string) => void): string {
  const dir = join(root, name);
  if (!built.has(name)) {
    rmSync(dir, { recursive: true, force: true });
    make(dir);
    built.add(name);
  }
  return dir;
}

/** Copies an export and edits its entry lines the way someone without the log key could: the manifest is redone to match, the checkpoints are kept. */
function edited(name: string, edit: (lines: string[]) => string[]): string {
  return once(name, (dir) => editedInto(dir, edit));
}

function editedInto(dir: string, edit: (lines: string[]) => string[]): void {
  cpSync(A, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n').slice(0, -1);
  const out = edit(lines);
  const bytes = Buffer.from(out.map((l) => l + '\n').join(''));
  writeFileSync(join(dir, 'entries.jsonl'), bytes);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  m.entries.count = out.length;
  const f = m.files.find((x: { path: string }) => x.path === 'entries.jsonl');
  f.size = bytes.length;
  f.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
}

/** Writes an export with the reference exporter; `events` may change, drop or add events. */
function written(
  name: string,
  count: number,
  key: TestKey,
  change: (i: number, e: Record<string, unknown>) => Array<Record<string, unknown>> = (_, e) => [e],
): string {
  return once(name, (dir) => {
    const w = new BundleWriter({
      dir,
      origin: ORIGIN,
      logKey: { name: key.name, seed: key.seed },
      created: '2026-11-01T00:00:00Z',
    });
    const rand = prng(1);
    for (let i = 0; i < count; i++) for (const e of change(i, syntheticEvent(i, rand))) w.append(e, syntheticTs(i));
    w.finish();
  });
}

/** The exports more than one test uses. */
const plus1 = () => once('plus1', (d) => void generateBundle(d, N + 1));
const rewrite = () =>
  edited('rewrite', (l) =>
    l.map((x, i) =>
      i === 500
        ? x.replace(/"outcome":"(success|denied)"/, (_, o) => `"outcome":"${o === 'success' ? 'denied' : 'success'}"`)
        : x,
    ),
  );
/** Signed by the log key like A, with entry 500 changed: a fork. */
const fork = () => written('fork', N, log, (i, e) => [i === 500 ? { ...e, outcome: 'forged' } : e]);

/** Exit status of `openssl pkeyutl -verify` of an Ed25519 signature over `data` (0: valid, 1: invalid). */
function opensslVerify(pem: string, data: Uint8Array, sig: Uint8Array): number | null {
  writeFileSync(join(root, 'pae.bin'), data);
  writeFileSync(join(root, 'sig.bin'), sig);
  writeFileSync(join(root, 'examiner.pem'), pem);
  return spawnSync(
    'openssl',
    [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      join(root, 'examiner.pem'),
      '-rawin',
      '-in',
      join(root, 'pae.bin'),
      '-sigfile',
      join(root, 'sig.bin'),
    ],
    { stdio: 'pipe' },
  ).status;
}

function findingCodes(r: DiffResult): string[] {
  return r.findings.map((f) => f.code);
}

beforeAll(() => {
  root = makeTempDir('proofdesk-diff-');
  A = join(root, 'a');
  generateBundle(A, N);
  logVkey = encodeNoteVerifierKey(log.name, log.publicKey);
});

afterAll(() => removeDir(root));

describe('diff verdicts', () => {
  it('IDENTICAL: an export and the same export as a tar archive', async () => {
    const tar = join(root, 'a.tar');
    writeTar(
      tar,
      ['manifest.json', 'entries.jsonl', ...readdirSync(join(A, 'checkpoints')).map((f) => `checkpoints/${f}`)].map(
        (name) => ({ name, source: join(A, name) }),
      ),
    );
    const { result } = await diff(A, tar);
    expect(result.verdict).toBe('IDENTICAL');
    expect(result.b.container).toBe('tar');
    expect(result.commonPrefix).toBe(N);
    expect(result.search).toEqual({ compared: N, comparisons: 6 }); // 1000 = 512 + 256 + 128 + 64 + 32 + 8
    expect(result.divergence).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(result.a.verification.verdict).toBe('PASS');
    expect(result.b.verification.verdict).toBe('PASS');
  });

  it('B_EXTENDS_A by one entry, A_EXTENDS_B the other way, with a consistency proof that check-proof accepts', async () => {
    const B = plus1();
    const { result } = await diff(A, B);
    expect(result.verdict).toBe('B_EXTENDS_A');
    expect(result.extension).toEqual({ longer: 'B', from: N, to: N + 1, signedTo: N + 1 });
    expect(result.consistency).toMatchObject({
      older: { size: N, side: 'A' },
      newer: { size: N + 1, side: 'B' },
      tree: 'B',
    });
    expect((await diff(B, A)).result.verdict).toBe('A_EXTENDS_B');

    const proof = join(root, 'plus1.proof');
    writeFileSync(proof, result.consistency!.file);
    const c = io();
    expect(await runCli(['check-proof', proof, '--trust', logVkey, '--json'], c)).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({
      ok: true,
      report: { kind: 'consistency', size1: N, size2: N + 1, status: 'verified' },
    });
  });

  it('B_EXTENDS_A by 100,000 entries, reading a handful of blocks after verification', async () => {
    const B = once('plus100k', (d) => void generateBundle(d, N + 100_000));
    const run = await diff(A, B);
    expect(run.result.verdict).toBe('B_EXTENDS_A');
    expect(run.result.extension).toEqual({ longer: 'B', from: N, to: N + 100_000, signedTo: N + 100_000 });
    expect(run.result.search.comparisons).toBe(6);
    expect(run.result.consistency?.proof.length).toBeGreaterThan(0);
    // The descent, the judgement and the proof read at most the edge blocks of each range.
    expect(run.stats.blocksRead).toBeLessThanOrEqual(6);
  });

  it('TRUNCATED: the shorter export lost entries its own checkpoint commits to', async () => {
    const B = edited('truncated', (l) => l.slice(0, 900));
    const { result } = await diff(A, B);
    expect(result.verdict).toBe('TRUNCATED');
    expect(result.truncation).toEqual([{ side: 'B', held: 900, committed: N }]);
    expect(result.extension).toEqual({ longer: 'A', from: 900, to: N, signedTo: N });
    expect(findingCodes(result)).toEqual(['EXPORT_TRUNCATED']);
    expect(result.findings[0]!.location.range).toEqual([900, N]);
    expect(result.b.verification.findings.map((f) => f.code)).toContain('CHECKPOINT_BEYOND_ENTRIES');
    expect(result.diagnosis.map((c) => [c.cause, c.entries])).toEqual([['LOG_TRUNCATED', { from: 900, to: 900 }]]);
    expect(result.headline).toMatch(/^Export B holds 900 entries; its own signed checkpoints commit to 1,000/);
  });

  it('REWRITTEN: one field of one entry in the middle, found and named', async () => {
    const B = rewrite();
    const { result } = await diff(A, B);
    expect(result.verdict).toBe('REWRITTEN');
    expect(result.rewritten).toEqual({ index: 500, side: 'B' });
    expect(result.divergence?.index).toBe(500);
    expect(result.divergence?.context.a.map((v) => v.index)).toEqual([498, 499, 500, 501, 502]);
    expect(result.search.comparisons).toBeLessThanOrEqual(20);
    const d = result.entryDiff!;
    expect(d.alignBy).toBe('seq');
    expect(d.ops).toEqual([
      expect.objectContaining({
        op: 'changed',
        a: expect.objectContaining({ index: 500, key: '500' }),
        fields: ['$.event.outcome'],
        representationOnly: false,
      }),
    ]);
    expect(d.counts).toEqual({ equal: 499, changed: 1, relinked: 0, removed: 0, inserted: 0, notCompared: 0 });
    const f = result.findings.find((x) => x.code === 'HISTORY_DIVERGES')!;
    expect(f.location.entry).toBe(500);
    expect(f.evidence?.offsetA).toBe(result.divergence!.context.a[2]!.offset);
    expect(result.checkpoints).toEqual([expect.objectContaining({ size: N, backedBy: ['A'], contradictedBy: ['B'] })]);
    // Checkpoints still agree, so they are proven consistent (here: the same head, no proof needed).
    expect(result.forks).toEqual([]);
    expect(result.b.verification.findings.map((x) => x.code)).toEqual(
      expect.arrayContaining(['ROOT_MISMATCH', 'CHAIN_BROKEN']),
    );
    // The second export pins the change: that entry, that member, on the side that departs.
    expect(result.diagnosis.map((c) => [c.cause, c.entries])).toEqual([['ENTRY_ALTERED', { from: 500, to: 501 }]]);
    expect(result.headline).toBe(
      "Entry 500 of B differs from A's entry 500 in $.event.outcome: altered. The exports agree on their first 500 entries.",
    );
  });

  it('REWRITTEN: deletion of one entry is one removed entry (aligned by seq)', async () => {
    const B = edited('deleted', (l) => l.filter((_, i) => i !== 500));
    const { result } = await diff(A, B);
    expect(result.verdict).toBe('REWRITTEN');
    expect(result.rewritten).toEqual({ index: 500, side: 'B' });
    expect(result.entryDiff!.ops).toEqual([
      expect.objectContaining({ op: 'removed', a: expect.objectContaining({ index: 500, key: '500' }) }),
    ]);
    expect(result.entryDiff!.counts).toMatchObject({ removed: 1, inserted: 0, changed: 0, equal: 499 });
    expect(result.truncation).toEqual([{ side: 'B', held: N - 1, committed: N }]);
    // A removal, where it happened, not "history rewritten" nor a cut at the end.
    expect(result.diagnosis.map((c) => [c.cause, c.entries])).toEqual([['ENTRIES_REMOVED', { from: 500, to: 500 }]]);
    expect(result.headline).toBe(
      '1 entry of A (entry 500) is missing from B: removed between entries 499 and 500 of B. The exports agree on their first 500 entries.',
    );
  });

  it('REWRITTEN: an insertion, re-numbered and re-sealed with another key, is one inserted entry aligned by event.id', async () => {
    const forged = {
      id: 'evt-forged',
      actor: 'mallory@example.com',
      action: 'grant',
      resource: '/projects/1',
      ip: '10.0.0.1',
      outcome: 'success',
    };
    const B = written('inserted', N, attacker, (i, e) => (i === 500 ? [forged, e] : [e]));
    const byId = (await diff(A, B, { alignBy: { kind: 'member', path: ['event', 'id'] } })).result;
    expect(byId.verdict).toBe('REWRITTEN');
    expect(byId.rewritten).toEqual({ index: 500, side: 'B' });
    expect(byId.entryDiff!.ops).toEqual([
      expect.objectContaining({ op: 'inserted', b: expect.objectContaining({ index: 500, key: '"evt-forged"' }) }),
    ]);
    expect(byId.entryDiff!.counts).toMatchObject({ inserted: 1, removed: 0, changed: 0, relinked: 500 });
    expect(byId.entryDiff!.relinked).toEqual([{ a: [500, N], b: [501, N + 1], fields: ['$.seq', '$.prev'] }]);
    expect(byId.diagnosis.map((c) => [c.cause, c.entries])).toEqual([
      ['ENTRIES_INSERTED', { from: 500, to: 501 }],
      ['HISTORY_REWRITTEN', { from: 501, to: N + 1 }],
    ]);
    // The attacker's checkpoint is not trusted, so it is not a fork.
    expect(byId.b.verification.checkpoints.map((c) => c.status)).toEqual(['untrusted']);
    const byContent = (await diff(A, B, { alignBy: { kind: 'content' } })).result;
    expect(byContent.entryDiff!.counts).toMatchObject({ inserted: 1, relinked: 500 });
  });

  it('FORKED: the log key signed two checkpoints of the same size; the proof of misbehaviour stands alone', async () => {
    const B = fork();
    const run = await diff(A, B);
    const r = run.result;
    expect(r.verdict).toBe('FORKED');
    expect(r.forks).toEqual([
      expect.objectContaining({
        kind: 'same-size',
        smaller: expect.objectContaining({ size: N }),
        larger: expect.objectContaining({ size: N }),
      }),
    ]);
    expect(r.misbehaviour?.leafIndex).toBe(500);
    expect(findingCodes(r)).toEqual(['CHECKPOINT_CONFLICT', 'HISTORY_DIVERGES']);
    expect(r.a.verification.verdict).toBe('PASS');
    expect(r.b.verification.verdict).toBe('PASS');

    // Through the CLI: evidence written, and check-proof holds it without either export.
    const out = join(root, 'fork-evidence');
    const c = io();
    expect(await runCli(['diff', A, B, '--trust', logVkey, '--out-dir', out], c)).toBe(1);
    const proofFile = join(out, `misbehaviour-${N}-${N}.proof`);
    expect(readdirSync(out).sort()).toEqual(['diff.json', `misbehaviour-${N}-${N}.proof`]);
    expect((JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as DiffResult).verdict).toBe('FORKED');
    const p = io();
    expect(await runCli(['check-proof', proofFile, '--trust', logVkey, '--json'], p)).toBe(0);
    expect(JSON.parse(p.stdout())).toMatchObject({
      ok: true,
      kind: 'misbehaviour',
      check: { status: 'proven', shows: ['same-size', 'different-leaves'], leafIndex: 500 },
    });
    // …but not against a key the examiner does not trust, and not once altered.
    const u = io();
    expect(
      await runCli(['check-proof', proofFile, '--trust', encodeNoteVerifierKey(attacker.name, attacker.publicKey)], u),
    ).toBe(1);
    const text = readFileSync(proofFile, 'utf8');
    const path1 = text.split('\n').findIndex((l) => l.startsWith('path1 '));
    const lines = text.split('\n');
    lines[path1 + 1] = Buffer.from(fromBase64(lines[path1 + 1]!).map((b, i) => (i === 0 ? b ^ 1 : b))).toString(
      'base64',
    );
    writeFileSync(join(root, 'tampered.proof'), lines.join('\n'));
    const t = io();
    expect(await runCli(['check-proof', join(root, 'tampered.proof'), '--trust', logVkey, '--json'], t)).toBe(1);
    expect(JSON.parse(t.stdout()).check.reasons).toEqual(['LEAF_PROOF_INVALID']);
  });

  it('FORKED: a larger signed tree whose prefix is not the smaller signed tree (size1 a power of two)', async () => {
    const A1024 = once('a1024', (d) => void generateBundle(d, 1024));
    const B = written('fork-longer', 1200, log, (i, e) => [i === 700 ? { ...e, actor: 'mallory@example.com' } : e]);
    const { result } = await diff(A1024, B);
    expect(result.verdict).toBe('FORKED');
    expect(result.forks).toEqual([
      expect.objectContaining({
        kind: 'not-a-prefix',
        smaller: expect.objectContaining({ size: 1024, side: 'A' }),
        larger: expect.objectContaining({ size: 1200, side: 'B' }),
        tree: 'B',
      }),
    ]);
    expect(findingCodes(result)).toEqual(['CHECKPOINTS_INCONSISTENT', 'HISTORY_DIVERGES']);
    const check = verifyMisbehaviourProof('m', Buffer.from(result.misbehaviour!.file), { trusted: [log.trusted] });
    expect(check).toMatchObject({
      status: 'proven',
      shows: ['not-a-prefix', 'different-leaves'],
      size1: 1024,
      size2: 1200,
      leafIndex: 700,
    });
    expect(result.misbehaviour!.sha256).toBe(createHash('sha256').update(result.misbehaviour!.file).digest('hex'));
  });

  it('not FORKED when the other checkpoint is signed by another key: a witness, or a second trusted log key, cannot frame the log', async () => {
    const witness = testKey('diff-witness', 'witness.example', 'witness');
    const second = testKey('diff-second-log', ORIGIN);
    // The same forged history, its checkpoint signed (as the log, under the log's name) by each.
    const byWitness = written('framed-by-witness', N, { ...witness, name: ORIGIN }, (i, e) => [
      i === 500 ? { ...e, outcome: 'forged' } : e,
    ]);
    const w = (await diff(A, byWitness, { trusted: [log.trusted, witness.trusted] })).result;
    expect(w.b.verification.checkpoints.map((c) => [c.status, c.signatures[0]!.status])).toEqual([
      ['untrusted', 'wrong-role'],
    ]);
    expect([w.verdict, w.forks, w.misbehaviour]).toEqual(['REWRITTEN', [], undefined]);

    const bySecond = written('framed-by-second', N, second, (i, e) => [i === 500 ? { ...e, outcome: 'forged' } : e]);
    const s = (await diff(A, bySecond, { trusted: [log.trusted, second.trusted] })).result;
    // Both heads are trusted, of the same size, with different roots — but no key signed both.
    expect(s.checkpoints.map((c) => c.size)).toEqual([N, N]);
    expect([s.verdict, s.forks, s.misbehaviour, findingCodes(s)]).toEqual([
      'REWRITTEN',
      [],
      undefined,
      ['HISTORY_DIVERGES'],
    ]);
    const c = io();
    expect(
      await runCli(
        [
          'diff',
          A,
          bySecond,
          '--trust',
          logVkey,
          '--trust',
          encodeNoteVerifierKey(second.name, second.publicKey),
          '--json',
        ],
        c,
      ),
    ).toBe(1);
    expect((JSON.parse(c.stdout()) as DiffRun).result.verdict).toBe('REWRITTEN');

    // A proof of misbehaviour built from the two checkpoints (one per key) is refused by check-proof.
    const genuine = parseMisbehaviourProof(Buffer.from((await diff(A, fork())).result.misbehaviour!.file));
    if (!genuine.ok) throw new Error('the genuine proof of misbehaviour does not parse');
    const framed = formatMisbehaviourProof({
      ...genuine.proof,
      keys: [logVkey, encodeNoteVerifierKey(second.name, second.publicKey)],
      checkpoint2: readFileSync(join(bySecond, 'checkpoints', readdirSync(join(bySecond, 'checkpoints'))[0]!)),
    });
    writeFileSync(join(root, 'framed.proof'), framed);
    const p = io();
    expect(
      await runCli(
        [
          'check-proof',
          join(root, 'framed.proof'),
          '--trust',
          logVkey,
          '--trust',
          encodeNoteVerifierKey(second.name, second.publicKey),
          '--json',
        ],
        p,
      ),
    ).toBe(1);
    expect(JSON.parse(p.stdout())).toMatchObject({
      ok: false,
      check: { status: 'invalid', reasons: ['SIGNERS_DIFFER'] },
    });
  });

  it('judges an export whose entries file is gone (no crash): it lost every entry its checkpoint commits to', async () => {
    const B = once('no-entries', (d) => {
      cpSync(A, d, { recursive: true });
      rmSync(join(d, 'entries.jsonl'));
    });
    const { result } = await diff(A, B);
    expect(result.verdict).toBe('TRUNCATED');
    expect(result.truncation).toEqual([{ side: 'B', held: 0, committed: N }]);
    expect(result.b.verification.findings.map((f) => f.code)).toContain('MANIFEST_FILE_MISSING');
    expect(result.search).toEqual({ compared: 0, comparisons: 0 });
  });

  it('refuses exports of different logs with a typed error (exit code 2), before verifying anything', async () => {
    const other = once('other-origin', (d) => void generateBundle(d, 10, { origin: 'other.example.com/log' }));
    await expect(diff(A, other)).rejects.toMatchObject({
      code: 'USAGE',
      detail: { reason: 'ORIGIN_MISMATCH', originA: ORIGIN, originB: 'other.example.com/log' },
    });
    const c = io();
    expect(await runCli(['diff', A, other, '--trust', logVkey], c)).toBe(2);
    expect(c.stdout()).toBe('');
  });
});

describe('diff as a service', () => {
  it('gives the same result for 1 and 2 workers', async () => {
    const B = fork();
    const one = await diff(A, B, { workers: 1 });
    const two = await diff(A, B, { workers: 2 });
    expect(JSON.stringify(one.result)).toBe(JSON.stringify(two.result));
  });

  it('stops with CANCELLED when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(diff(A, A, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    // Cancelled between the two verifications. (Cancelling inside verifyBundle is verify.ts's
    // own business; it currently leaves its pending digest job's rejection unhandled.)
    const late = new AbortController();
    const seen: string[] = [];
    const run = diff(A, A, {
      signal: late.signal,
      onProgress: (p) =>
        p.stage === 'verify' && p.side === 'A' && p.verify.stage === 'done'
          ? late.abort()
          : p.stage === 'verify'
            ? void seen.push(p.side)
            : undefined,
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).not.toContain('B');
  });

  it('reports progress for both exports, then the comparison', async () => {
    const stages: string[] = [];
    await diff(A, A, {
      onProgress: (p) =>
        void (
          stages[stages.length - 1] !== (p.stage === 'verify' ? `verify ${p.side}` : p.stage) &&
          stages.push(p.stage === 'verify' ? `verify ${p.side}` : p.stage)
        ),
    });
    expect(stages).toEqual(['verify A', 'verify B', 'compare', 'done']);
  });
});

describe('proofdesk diff (CLI)', () => {
  it('prints the result as JSON and exits 0 for a clean extension', async () => {
    const c = io();
    expect(await runCli(['diff', A, plus1(), '--trust', logVkey, '--json'], c)).toBe(0);
    const run = JSON.parse(c.stdout()) as DiffRun;
    expect(run.result.verdict).toBe('B_EXTENDS_A');
    expect(run.result.schema).toBe('proofdesk-diff-result/v2');
  });

  it('refuses bad usage with exit code 2', async () => {
    expect(await runCli(['diff', A, '--trust', logVkey], io())).toBe(2);
    expect(await runCli(['diff', A, A], io())).toBe(2);
    expect(await runCli(['diff', A, A, '--trust', logVkey, '--align-by', '..'], io())).toBe(2);
    expect(await runCli(['diff', A, A, '--trust', logVkey, '--window', '0'], io())).toBe(2);
    expect(await runCli(['diff', A, A, '--trust', logVkey, '--attestation', 'x.json'], io())).toBe(2);
  });

  it('signs a divergence attestation that openssl verifies, binding both exports by digest', async () => {
    const examiner = testKey('examiner', 'examiner');
    const keyFile = join(root, 'examiner.key');
    writeKeyFile(
      keyFile,
      sealKeyFile(examiner.seed, { name: 'E. Xaminer', organisation: 'Audit Co' }, null, '2026-11-01T00:00:00Z'),
    );
    const att = join(root, 'divergence.dsse.json');
    const c = io();
    expect(
      await runCli(
        ['diff', A, rewrite(), '--trust', logVkey, '--sign-key', keyFile, '--attestation', att, '--case-ref', 'CASE-7'],
        c,
      ),
    ).toBe(1);
    const env = JSON.parse(readFileSync(att, 'utf8'));
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    expect(env.signatures[0].keyid).toBe(examiner.trusted.fingerprint);
    const payload = fromBase64(env.payload);
    const st = JSON.parse(Buffer.from(payload).toString('utf8'));
    expect(st.predicateType).toBe(DIVERGENCE_PREDICATE_TYPE);
    expect(st.predicate).toMatchObject({
      verdict: 'REWRITTEN',
      caseReference: 'CASE-7',
      examiner: { name: 'E. Xaminer', keyFingerprint: examiner.trusted.fingerprint },
    });
    const entriesA = st.subject.find((s: { name: string }) => s.name === 'A/entries.jsonl');
    expect(entriesA.digest.sha256).toBe(
      toHex(
        createHash('sha256')
          .update(readFileSync(join(A, 'entries.jsonl')))
          .digest(),
      ),
    );
    expect(st.subject.some((s: { name: string }) => s.name === 'B/entries.jsonl')).toBe(true);
    // Standard tools: the Ed25519 signature over DSSE PAE verifies with openssl (exit status 0), and not over other bytes (1).
    const pem = encodeSpkiPem(examiner.publicKey);
    const sig = fromBase64(env.signatures[0].sig);
    expect(opensslVerify(pem, dssePae(env.payloadType, payload), sig)).toBe(0);
    expect(
      opensslVerify(pem, dssePae(env.payloadType, Buffer.concat([Buffer.from(payload), Buffer.from(' ')])), sig),
    ).toBe(1);
  });
});
