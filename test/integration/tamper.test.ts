/**
 * The tamper suite: generate a sealed bundle, apply one tampering at a time and
 * assert the exact finding codes and locations. Every entry tampering runs three times, as
 * an attacker of growing skill would do it: plain; with the manifest recomputed; and with the
 * manifest and the hash chain (seq and prev) recomputed. In the last case only the Merkle
 * roots under signed checkpoints stand between the attacker and a PASS.
 */
import { appendFileSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { readEntryLine } from '../../shared/bundle/entry.js';
import type { CauseCode } from '../../shared/verdict/cause.js';
import type { Finding, FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { type GeneratedBundle, generateBundle, makeTempDir, ORIGIN, removeDir, testKey } from '../support/fixtures.js';
import {
  copyBundle,
  lineOffset,
  readLines,
  readManifestJson,
  rechain,
  rechainRaw,
  refreshManifest,
  resignCheckpoints,
  writeLines,
  writeManifestJson,
} from '../support/tamper.js';

const N = 600;
const EVERY = 128; // checkpoints at 128, 256, 384, 512 and 600
const T = 300; // the tampered entry: under checkpoints 384, 512 and 600
let tmp: string;
let base: GeneratedBundle;
let n = 0;

beforeAll(() => {
  tmp = makeTempDir();
  base = generateBundle(join(tmp, 'base'), N, { checkpointEvery: EVERY });
});
afterAll(() => removeDir(tmp));

function fresh(): string {
  return copyBundle(base.dir, join(tmp, `case-${n++}`));
}

async function verify(dir: string, trusted = [base.logKey.trusted]): Promise<VerificationResult> {
  // Small chunks put worker boundaries all over the file.
  return (await verifyBundle({ bundle: dir, trusted, workers: 2, chunkBytes: 9_000 })).run.result;
}

function errors(r: VerificationResult): FindingCode[] {
  return [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
}

function only(r: VerificationResult, code: FindingCode): Finding[] {
  return r.findings.filter((f) => f.code === code);
}

function reasonCount(r: VerificationResult, reason: string): number {
  return r.coverage.ranges.filter((g) => g.reason === reason).reduce((n, g) => n + g.to - g.from, 0);
}

function failedRanges(r: VerificationResult): Array<[number, number]> {
  return r.coverage.ranges.filter((x) => x.status === 'failed').map((x) => [x.from, x.to]);
}

describe('untouched bundle', () => {
  it('passes with every entry verified', async () => {
    const r = await verify(base.dir);
    expect(r.verdict).toBe('PASS');
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.coverage).toMatchObject({ verified: N, failed: 0, unverifiable: 0 });
    expect(r.checkpoints.map((c) => [c.size, c.status, c.rootStatus])).toEqual([
      [128, 'trusted', 'match'],
      [256, 'trusted', 'match'],
      [384, 'trusted', 'match'],
      [512, 'trusted', 'match'],
      [600, 'trusted', 'match'],
    ]);
  });
});

type Skill = 'plain' | 'manifest recomputed' | 'manifest and chain recomputed';
const SKILLS: Skill[] = ['plain', 'manifest recomputed', 'manifest and chain recomputed'];

function applySkill(dir: string, skill: Skill): void {
  if (skill === 'manifest and chain recomputed') rechain(dir, ORIGIN);
  if (skill !== 'plain') refreshManifest(dir);
}

interface EntryTampering {
  readonly name: string;
  readonly apply: (lines: string[]) => string[];
  /** Plain-skill findings at the entry level: [code, entry index]. */
  readonly plain: ReadonlyArray<readonly [FindingCode, number]>;
  /** Entries after tampering. */
  readonly count: number;
  /** The diagnosis of the plain tampering: its cause and exact entries, and how many entries it shows bad. */
  readonly cause: readonly [CauseCode, number, number];
  readonly failed: number;
}

const edit = (line: string) => line.replace(/"actor":"[^"]*"/, '"actor":"mallory@example.com"');

const ENTRY_TAMPERINGS: EntryTampering[] = [
  {
    name: 'one byte of an entry changed',
    // The last letter of the last string value: one byte, and the JSON stays valid.
    apply: (l) => l.map((x, i) => (i === T ? `${x.slice(0, -4)}${x.at(-4) === 'X' ? 'Y' : 'X'}${x.slice(-3)}` : x)),
    plain: [['CHAIN_BROKEN', T + 1]],
    count: N,
    cause: ['ENTRY_ALTERED', T, T + 1],
    failed: 1,
  },
  {
    name: 'one field of an entry rewritten',
    apply: (l) => l.map((x, i) => (i === T ? edit(x) : x)),
    plain: [['CHAIN_BROKEN', T + 1]],
    count: N,
    cause: ['ENTRY_ALTERED', T, T + 1],
    failed: 1,
  },
  {
    name: 'an entry deleted',
    apply: (l) => l.filter((_, i) => i !== T),
    plain: [
      ['CHAIN_BROKEN', T],
      ['SEQ_GAP', T],
    ],
    count: N - 1,
    cause: ['ENTRIES_REMOVED', T, T],
    failed: 0,
  },
  {
    name: 'an entry inserted',
    apply: (l) => [...l.slice(0, T), edit(l[T - 1]!), ...l.slice(T)],
    // The inserted entry breaks its own link and the next one's; its seq repeats the previous.
    plain: [
      ['CHAIN_BROKEN', T],
      ['CHAIN_BROKEN', T + 1],
      ['SEQ_REGRESSION', T],
    ],
    count: N + 1,
    cause: ['ENTRIES_INSERTED', T, T + 1],
    failed: 1,
  },
  {
    name: 'two entries reordered',
    apply: (l) => [...l.slice(0, T), l[T + 1]!, l[T]!, ...l.slice(T + 2)],
    plain: [
      ['CHAIN_BROKEN', T],
      ['CHAIN_BROKEN', T + 1],
      ['CHAIN_BROKEN', T + 2],
      ['SEQ_GAP', T],
      ['SEQ_REGRESSION', T + 1],
      ['SEQ_GAP', T + 2],
    ],
    count: N,
    cause: ['ENTRIES_REORDERED', T, T + 2],
    failed: 2,
  },
  {
    name: 'an entry duplicated',
    apply: (l) => [...l.slice(0, T + 1), l[T]!, ...l.slice(T + 1)],
    plain: [
      ['CHAIN_BROKEN', T + 1],
      ['SEQ_REGRESSION', T + 1],
    ],
    count: N + 1,
    cause: ['ENTRIES_DUPLICATED', T + 1, T + 2],
    failed: 1,
  },
];

describe.each(SKILLS)('entry tampering, %s', (skill) => {
  it.each(ENTRY_TAMPERINGS.map((t) => [t.name, t] as const))('%s', async (_name, t) => {
    const dir = fresh();
    writeLines(dir, t.apply(readLines(dir)));
    applySkill(dir, skill);
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(r.bundle.entryCount).toBe(t.count);

    // The signed roots catch it whatever else was recomputed: the first checkpoint above the
    // tampered entry and every later one no longer match; the ones below still do.
    const mismatched = r.checkpoints.filter((c) => c.rootStatus === 'mismatch').map((c) => c.size);
    const matched = r.checkpoints.filter((c) => c.rootStatus === 'match').map((c) => c.size);
    expect(matched).toEqual([128, 256]);
    const beyond = t.count < N ? [600] : [];
    expect(mismatched).toEqual([384, 512, 600].filter((s) => !beyond.includes(s)));
    expect(only(r, 'ROOT_MISMATCH').map((f) => f.location.checkpointSize)).toEqual(mismatched);
    for (const f of only(r, 'ROOT_MISMATCH')) {
      expect(f.evidence?.expected).toMatch(/^[0-9a-f]{64}$/);
      expect(f.evidence?.actual).toMatch(/^[0-9a-f]{64}$/);
      expect(f.evidence?.expected).not.toBe(f.evidence?.actual);
    }
    if (beyond.length)
      expect(only(r, 'CHECKPOINT_BEYOND_ENTRIES').map((f) => f.location.checkpointSize)).toEqual(beyond);

    // What still stands: the entries under the last matching root. Failed are only the entries
    // the evidence shows bad; the rest under the trusted roots is no longer proven; an entry past
    // the last checkpoint (after an insertion) is not covered.
    expect(r.coverage.ranges[0]).toMatchObject({ from: 0, to: 256, status: 'verified' });
    expect(r.coverage.verified).toBe(256);
    const rechained = skill === 'manifest and chain recomputed';
    // Relinked, the swapped entries keep their times: the later one's ts now goes backwards.
    const failed = rechained ? (t.name === 'two entries reordered' ? 1 : 0) : t.failed;
    expect(r.coverage.failed).toBe(failed);
    const covered = Math.min(N, t.count);
    expect(reasonCount(r, 'ROOT_NO_LONGER_MATCHES')).toBe(covered - 256 - failed);
    expect(reasonCount(r, 'NO_TRUSTED_CHECKPOINT')).toBe(t.count - covered);

    // The diagnosis: the plain tampering by its exact entries; a relinked one located by the
    // signed roots, between the last matching (256) and the first mismatching (384) checkpoint.
    const first = r.diagnosis[0]!;
    if (rechained)
      expect([first.cause, first.entries?.from, first.entries?.to]).toEqual(['HISTORY_REWRITTEN', 256, 384]);
    else expect([first.cause, first.entries?.from, first.entries?.to]).toEqual([...t.cause]);
    expect(r.diagnosis.filter((c) => c.severity === 'error')).toHaveLength(failed > 0 && rechained ? 2 : 1);
    const blamed: Array<[number, number]> = t.failed > 0 ? [[t.cause[1], t.cause[1] + t.failed]] : [];
    if (!rechained) expect(failedRanges(r)).toEqual(blamed);

    const entryLevel = r.findings
      .filter((f) => ['CHAIN_BROKEN', 'SEQ_GAP', 'SEQ_REGRESSION'].includes(f.code))
      .map((f) => [f.code, f.location.entry] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1]! - b[1]!));
    if (skill === 'manifest and chain recomputed') {
      expect(entryLevel).toEqual([]);
      expect(only(r, 'MANIFEST_DIGEST_MISMATCH')).toEqual([]);
    } else {
      expect(entryLevel).toEqual([...t.plain].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])));
      for (const f of only(r, 'CHAIN_BROKEN')) {
        expect(f.location.file).toBe('entries.jsonl');
        expect(f.location.offset).toBe(lineOffset(dir, f.location.entry!));
      }
    }
    if (skill === 'plain')
      expect(only(r, 'MANIFEST_DIGEST_MISMATCH').map((f) => f.location.file)).toEqual(['entries.jsonl']);
    else expect(only(r, 'MANIFEST_DIGEST_MISMATCH')).toEqual([]);
  });
});

describe('file-level tampering', () => {
  it('truncated mid-line: the partial line is reported and is not an entry', async () => {
    const dir = fresh();
    const path = join(dir, 'entries.jsonl');
    const cut = lineOffset(dir, 550) + 17;
    truncateSync(path, cut);
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(r.bundle.entryCount).toBe(550);
    expect(only(r, 'ENTRIES_TRUNCATED')).toHaveLength(1);
    expect(only(r, 'ENTRIES_TRUNCATED')[0]!.location).toMatchObject({
      file: 'entries.jsonl',
      offset: lineOffset(base.dir, 550),
      entry: 550,
    });
    expect(only(r, 'CHECKPOINT_BEYOND_ENTRIES').map((f) => f.location.checkpointSize)).toEqual([600]);
    expect(only(r, 'MANIFEST_COUNT_MISMATCH')).toHaveLength(1);
    expect(only(r, 'MANIFEST_SIZE_MISMATCH')).toHaveLength(1);
    expect(r.coverage).toMatchObject({ verified: 512, failed: 0, unverifiable: 38 });
  });

  it('truncated at a line boundary, manifest recomputed: the signed checkpoint shows entries are missing', async () => {
    const dir = fresh();
    writeLines(dir, readLines(dir).slice(0, 520));
    refreshManifest(dir);
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(errors(r)).toEqual(['CHECKPOINT_BEYOND_ENTRIES']);
    const f = only(r, 'CHECKPOINT_BEYOND_ENTRIES')[0]!;
    expect(f.location.checkpointSize).toBe(600);
    expect(f.location.range).toEqual([520, 600]);
    expect(r.coverage).toMatchObject({ verified: 512, failed: 0, unverifiable: 8 });
  });

  it('a checkpoint root replaced: the log signature no longer verifies and the checkpoint is rejected', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    const cp = join(dir, m.checkpoints[2]!); // size 384
    const lines = readFileSync(cp, 'utf8').split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64');
    writeFileSync(cp, lines.join('\n'));
    refreshManifest(dir);
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(errors(r)).toEqual(['SIGNATURE_INVALID']);
    expect(only(r, 'SIGNATURE_INVALID')[0]!.location).toMatchObject({ file: m.checkpoints[2], checkpointSize: 384 });
    expect(r.checkpoints[2]).toMatchObject({ size: 384, status: 'rejected', rootStatus: 'not-checked' });
  });

  it('a signature byte corrupted', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    const cp = join(dir, m.checkpoints[0]!);
    const text = readFileSync(cp, 'utf8');
    const sigLine = text.split('\n').findIndex((l) => l.startsWith('\u2014 '));
    const lines = text.split('\n');
    const [dash, name, b64] = lines[sigLine]!.split(' ');
    const sig = Buffer.from(b64!, 'base64');
    sig[20]! ^= 0x01;
    lines[sigLine] = `${dash} ${name} ${sig.toString('base64')}`;
    writeFileSync(cp, lines.join('\n'));
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(only(r, 'SIGNATURE_INVALID').map((f) => f.location.checkpointSize)).toEqual([128]);
    expect(r.checkpoints[0]!.status).toBe('rejected');
  });

  it('checkpoints re-signed with an untrusted key (entries altered, everything recomputed)', async () => {
    const dir = fresh();
    const mallory = testKey('mallory', ORIGIN);
    writeLines(
      dir,
      readLines(dir).map((x, i) => (i === T ? edit(x) : x)),
    );
    rechain(dir, ORIGIN);
    resignCheckpoints(dir, ORIGIN, mallory);
    refreshManifest(dir);
    const r = await verify(dir);
    // Nothing contradicts a trusted key: a setup question, INCONCLUSIVE, with the signer named.
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(errors(r)).toEqual([]);
    expect(only(r, 'KEY_UNTRUSTED').map((f) => f.location.checkpointSize)).toEqual([128, 256, 384, 512, 600]);
    expect(r.diagnosis.map((c) => c.cause)).toEqual(['NO_TRUSTED_SIGNER']);
    expect(r.diagnosis[0]!.signers).toEqual([{ name: ORIGIN, keyId: r.checkpoints[0]!.signatures[0]!.keyId }]);
    expect(r.coverage).toMatchObject({ verified: 0, failed: 0, unverifiable: N });
    expect(r.checkpoints.every((c) => c.status === 'untrusted' && c.signatures[0]!.status === 'unknown-key')).toBe(
      true,
    );
    // Trusting the attacker's key would make it pass: the verdict depends on trust material only.
    expect((await verify(dir, [mallory.trusted])).verdict).toBe('PASS');
  });

  it('a different key shipped inside the bundle is never trusted', async () => {
    const dir = join(tmp, `case-${n++}`);
    const mallory = testKey('mallory', ORIGIN);
    generateBundle(dir, 200, { checkpointEvery: 100, logKey: mallory, shipLogKey: true });
    const r = await verify(dir);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(errors(r)).toEqual([]);
    expect(r.diagnosis[0]).toMatchObject({
      cause: 'NO_TRUSTED_SIGNER',
      signers: [{ name: ORIGIN, fingerprint: mallory.trusted.fingerprint }],
    });
    expect(only(r, 'BUNDLE_KEY_NOT_TRUSTED').map((f) => f.location.file)).toEqual(['keys/log.vkey']);
    expect(r.checkpoints.map((c) => c.signatures.map((s) => s.status))).toEqual([['bundle-key'], ['bundle-key']]);
    expect(r.coverage.unverifiable).toBe(200);
  });

  it('a manifest digest changed: only the manifest check fails', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    const files = m.files.map((f) => (f.path === 'entries.jsonl' ? { ...f, sha256: '0'.repeat(64) } : f));
    writeManifestJson(dir, { ...m, files });
    const r = await verify(dir);
    expect(r.verdict).toBe('FAIL');
    expect(errors(r)).toEqual(['MANIFEST_DIGEST_MISMATCH']);
    expect(only(r, 'MANIFEST_DIGEST_MISMATCH')[0]!.evidence).toMatchObject({ expected: '0'.repeat(64) });
    expect(r.coverage.verified).toBe(N);
  });
});

describe('sequence and time problems sealed by the log itself', () => {
  it('a sequence gap under valid signatures is still a finding at its entry', async () => {
    const dir = join(tmp, `case-${n++}`);
    generateBundle(dir, 300, { checkpointEvery: 100 });
    const lines = readLines(dir);
    writeLines(
      dir,
      lines.map((x, i) => (i >= 150 ? x.replace(/^\{"seq":\d+/, `{"seq":${i + 5}`) : x)),
    );
    rechainKeepSeq(dir);
    resignCheckpoints(dir, ORIGIN, base.logKey);
    refreshManifest(dir);
    const r = await verify(dir);
    expect(errors(r)).toEqual(['SEQ_GAP']);
    expect(only(r, 'SEQ_GAP').map((f) => [f.location.entry, f.evidence?.expected, f.evidence?.actual])).toEqual([
      [150, 150, 155],
    ]);
    expect(failedRanges(r)).toEqual([[150, 151]]);
    expect(r.coverage.verified).toBe(299);
  });

  it('a timestamp regression under valid signatures', async () => {
    const dir = join(tmp, `case-${n++}`);
    generateBundle(dir, 300, { checkpointEvery: 100 });
    const lines = readLines(dir);
    writeLines(
      dir,
      lines.map((x, i) => (i === 222 ? x.replace(/"ts":"[^"]*"/, '"ts":"2025-12-31T23:59:59Z"') : x)),
    );
    rechainKeepSeq(dir);
    resignCheckpoints(dir, ORIGIN, base.logKey);
    refreshManifest(dir);
    const r = await verify(dir);
    expect(errors(r)).toEqual(['TIMESTAMP_REGRESSION']);
    expect(only(r, 'TIMESTAMP_REGRESSION').map((f) => f.location.entry)).toEqual([222]);
    expect(failedRanges(r)).toEqual([[222, 223]]);
  });
});

/** Re-chains prev values but keeps each entry's seq as written. */
function rechainKeepSeq(dir: string): void {
  const seqs = readLines(dir).map((l) => (JSON.parse(l) as { seq: number }).seq);
  rechain(dir, ORIGIN);
  writeLines(
    dir,
    readLines(dir).map((l, i) => l.replace(/^\{"seq":\d+/, `{"seq":${seqs[i]}`)),
  );
  // seq changed again, so the links must be recomputed over the final bytes.
  const { chainGenesis, chainLink } = chainFns;
  let prev = chainGenesis(ORIGIN);
  writeLines(
    dir,
    readLines(dir).map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      o.prev = Buffer.from(prev).toString('hex');
      const s = JSON.stringify(o);
      prev = chainLink(prev, leaf(s));
      return s;
    }),
  );
}

import { chainGenesis, chainLink } from '../../shared/bundle/chain.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';

const chainFns = { chainGenesis, chainLink };
const leaf = (s: string) => hashLeaf(new TextEncoder().encode(s));

describe('hostile input', () => {
  it('malformed JSON and invalid UTF-8 are findings at their line, still hashed as leaves', async () => {
    const dir = fresh();
    const lines = readLines(dir);
    lines[10] = '{"seq":10, this is not json';
    writeLines(dir, lines);
    const buf = readFileSync(join(dir, 'entries.jsonl'));
    const off20 = lineOffset(dir, 20);
    buf[off20 + 3] = 0xff; // inside line 20
    writeFileSync(join(dir, 'entries.jsonl'), buf);
    const r = await verify(dir);
    expect(only(r, 'ENTRY_MALFORMED').map((f) => [f.location.entry, f.location.offset])).toEqual([
      [10, lineOffset(dir, 10)],
      [20, off20],
    ]);
    expect(r.bundle.entryCount).toBe(N);
    expect(r.verdict).toBe('FAIL');
  });

  it('a 50 MB single line is hashed streaming and reported, not parsed', async () => {
    const dir = fresh();
    const path = join(dir, 'entries.jsonl');
    const line = Buffer.alloc(50 * 1024 * 1024, 0x61);
    appendFileSync(path, Buffer.concat([Buffer.from('{"x":"'), line, Buffer.from('"}\n')]));
    const t0 = Date.now();
    const r = await verify(dir);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(only(r, 'ENTRY_TOO_LARGE').map((f) => [f.location.entry, f.location.offset])).toEqual([
      [N, lineOffset(base.dir, N - 1) + Buffer.byteLength(readLines(base.dir)[N - 1]!) + 1],
    ]);
    expect(r.bundle.entryCount).toBe(N + 1);
    expect(r.coverage.ranges.at(-1)).toEqual({ from: N, to: N + 1, status: 'failed', reason: 'ENTRY_ERRORS' });
  });

  it('an empty entries file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'entries.jsonl'), '');
    const r = await verify(dir);
    expect(r.bundle.entryCount).toBe(0);
    expect(errors(r)).toEqual([
      'CHECKPOINT_BEYOND_ENTRIES',
      'MANIFEST_COUNT_MISMATCH',
      'MANIFEST_DIGEST_MISMATCH',
      'MANIFEST_SIZE_MISMATCH',
    ]);
  });

  it('an empty or non-JSON manifest is unusable input', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'manifest.json'), '');
    await expect(verify(dir)).rejects.toMatchObject({ code: 'INPUT_MALFORMED' });
  });

  it('an unknown format version is refused before anything is read', async () => {
    const dir = fresh();
    writeManifestJson(dir, { ...readManifestJson(dir), version: 2 });
    await expect(verify(dir)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it.each([['../../etc/passwd'], ['/etc/passwd'], ['checkpoints/../../x'], ['C:/x'], ['a\\b']])(
    'manifest path %s is never opened',
    async (p) => {
      const dir = fresh();
      const m = readManifestJson(dir);
      writeManifestJson(dir, { ...m, keys: [p], files: [...m.files, { path: p, size: 1, sha256: '0'.repeat(64) }] });
      const r = await verify(dir);
      const unsafe = only(r, 'PATH_UNSAFE');
      expect(unsafe.length).toBeGreaterThan(0);
      expect(unsafe.every((f) => f.location.file === 'manifest.json')).toBe(true);
      expect(r.coverage.verified).toBe(N);
    },
  );

  it('an unsafe entries path makes the manifest unusable', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    writeManifestJson(dir, { ...m, entries: { ...m.entries, path: '../../etc/passwd' } });
    await expect(verify(dir)).rejects.toMatchObject({ code: 'INPUT_MALFORMED' });
  });

  it('a symlink leaving the bundle is not followed', async () => {
    const dir = fresh();
    const outside = join(tmp, `outside-${n++}.jsonl`);
    writeFileSync(outside, readFileSync(join(dir, 'entries.jsonl')));
    rmSync(join(dir, 'entries.jsonl'));
    symlinkSync(outside, join(dir, 'entries.jsonl'));
    const r = await verify(dir);
    expect(only(r, 'PATH_UNSAFE').map((f) => f.location.file)).toEqual(['entries.jsonl']);
    expect(r.bundle.entryCount).toBe(0);
    expect(r.verdict).toBe('FAIL');
    // The entries were not read, not found missing: no root is compared, none is said to be beyond them.
    expect(errors(r)).toEqual(['PATH_UNSAFE']);
    expect(new Set(r.checkpoints.map((c) => c.rootStatus))).toEqual(new Set(['not-checked']));
  });

  it('an uppercase digest in the manifest is what is reported; the entries are still read and verified', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    const i = m.files.findIndex((f) => f.path === 'entries.jsonl');
    writeManifestJson(dir, {
      ...m,
      files: m.files.map((f, k) => (k === i ? { ...f, sha256: f.sha256!.toUpperCase() } : f)),
    });
    const r = await verify(dir);
    expect(errors(r)).toEqual(['MANIFEST_INVALID']);
    expect(only(r, 'MANIFEST_INVALID').map((f) => [f.location.path, f.message])).toEqual([
      [`$.files[${i}].sha256`, expect.stringMatching(/uppercase letters/)],
    ]);
    expect(r.coverage.verified).toBe(N);
    // Compared ignoring case, so a changed file still shows.
    const entries = readFileSync(join(dir, 'entries.jsonl'));
    entries[entries.indexOf('"seq":3,') + 7] = 0x20;
    writeFileSync(join(dir, 'entries.jsonl'), entries);
    expect(errors(await verify(dir))).toContain('MANIFEST_DIGEST_MISMATCH');
  });

  it('a digest that is no digest is reported at its JSON path, and the file is still read', async () => {
    const dir = fresh();
    const m = readManifestJson(dir);
    writeManifestJson(dir, { ...m, files: m.files.map((f) => ({ ...f, sha256: 'not a digest', size: -1 })) });
    const r = await verify(dir);
    expect(errors(r)).toEqual(['MANIFEST_INVALID']);
    expect(only(r, 'MANIFEST_INVALID').length).toBe(2 * m.files.length);
    expect(r.coverage.verified).toBe(N);
  });

  it('a bundle without checkpoints is inconclusive, never verified', async () => {
    const dir = join(tmp, `case-${n++}`);
    generateBundle(dir, 50, { seal: false });
    const r = await verify(dir);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(only(r, 'NO_CHECKPOINTS')).toHaveLength(1);
    expect(r.coverage).toMatchObject({ verified: 0, unverifiable: 50 });
  });

  it('entries after the last checkpoint are unverifiable', async () => {
    const dir = join(tmp, `case-${n++}`);
    generateBundle(dir, 150, { checkpointEvery: 100, seal: false });
    const r = await verify(dir);
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(only(r, 'UNSEALED_ENTRIES')[0]!.location.range).toEqual([100, 150]);
    expect(r.coverage.ranges).toEqual([
      { from: 0, to: 100, status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
      { from: 100, to: 150, status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
    ]);
  });
});

describe('what the spec leaves no room for (docs/bundle-format.md §2, §3)', () => {
  it('an insider who swaps 9007199254740992 for …993 in a signed event cannot keep the signature: ENTRY_FIELD_INVALID', async () => {
    const source = testKey('source', 'source', 'entry');
    const dir = join(tmp, `case-${n++}`);
    const w = new BundleWriter({ dir, origin: ORIGIN, logKey: { name: base.logKey.name, seed: base.logKey.seed } });
    for (let i = 0; i < 10; i++)
      w.append({ i, amount: 9007199254740992 }, `2026-01-01T00:00:0${i}Z`, { signer: source.seed });
    w.finish();
    const trusted = [base.logKey.trusted, source.trusted];
    expect((await verify(dir, trusted)).verdict).toBe('PASS');
    // Same canonical JSON, same source signature: rechained and re-signed by the log key.
    writeLines(
      dir,
      readLines(dir).map((l, i) => (i === 4 ? l.replace('9007199254740992', '9007199254740993') : l)),
    );
    rechainRaw(dir, ORIGIN);
    resignCheckpoints(dir, ORIGIN, base.logKey);
    refreshManifest(dir);
    expect(readLines(dir)[4]).toContain('9007199254740993');
    const r = await verify(dir, trusted);
    expect(r.verdict).toBe('FAIL');
    expect(only(r, 'ENTRY_FIELD_INVALID').map((f) => [f.location.entry, f.evidence?.member])).toEqual([[4, 'event']]);
    expect(r.coverage.ranges.find((g) => g.from === 4)).toMatchObject({ to: 5, status: 'failed' });
  });

  it('an insider who nests a signed event 6,000 levels deep gets the same answer in the workers as on the main thread', async () => {
    const source = testKey('source', 'source', 'entry');
    const dir = join(tmp, `case-${n++}`);
    const w = new BundleWriter({ dir, origin: ORIGIN, logKey: { name: base.logKey.name, seed: base.logKey.seed } });
    for (let i = 0; i < 10; i++) w.append({ i, v: [1] }, `2026-01-01T00:00:0${i}Z`, { signer: source.seed });
    w.finish();
    const trusted = [base.logKey.trusted, source.trusted];
    const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
    writeLines(
      dir,
      readLines(dir).map((l, i) => (i === 6 ? l.replace('"v":[1]', `"v":${deep}`) : l)),
    );
    rechainRaw(dir, ORIGIN);
    resignCheckpoints(dir, ORIGIN, base.logKey);
    refreshManifest(dir);
    const r = await verify(dir, trusted);
    expect(r.verdict).toBe('FAIL');
    // Not SIGNATURE_INVALID (a worker's stack could canonicalise it) nor a crash: one rule, one answer.
    expect(errors(r)).toEqual(['ENTRY_FIELD_INVALID']);
    const [f] = only(r, 'ENTRY_FIELD_INVALID');
    expect([f?.location.entry, f?.evidence?.member]).toEqual([6, 'event']);
    expect(f?.message).toContain('deeper than 1000 levels');
    const line = readLines(dir)[6]!;
    const onMain = readEntryLine(line);
    expect(typeof onMain !== 'string' && onMain.problems.map((p) => [p.code, p.message])).toEqual([
      ['ENTRY_FIELD_INVALID', f?.message],
    ]);
  });

  it('seq, count, first_seq and version are written as JSON integers', async () => {
    const dir = fresh();
    writeLines(
      dir,
      readLines(dir).map((l, i) => (i === 7 ? l.replace('"seq":7,', '"seq":7.0,') : l)),
    );
    rechainRaw(dir, ORIGIN);
    refreshManifest(dir);
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), text.replace(`"count": ${N}`, `"count": 6e2`));
    const r = await verify(dir);
    expect(only(r, 'ENTRY_FIELD_INVALID').map((f) => [f.location.entry, f.evidence?.member])).toEqual([[7, 'seq']]);
    expect(only(r, 'MANIFEST_INVALID').map((f) => f.location.path)).toEqual(['$.entries.count']);
    writeFileSync(join(dir, 'manifest.json'), text.replace('"version": 1', '"version": 1.0'));
    await expect(verify(dir)).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringMatching(/1\.0/),
    });
  });

  it('an origin that displays as something else (U+202E) is MANIFEST_INVALID at $.origin, and the rest is still judged', async () => {
    const origin = 'audit.example.com/\u202edorp';
    const dir = join(tmp, `case-${n++}`);
    const log = testKey('spoof', 'audit.example.com');
    generateBundle(dir, 20, { origin, logKey: log, checkpointEvery: 10 });
    const r = await verify(dir, [log.trusted]);
    expect(errors(r)).toEqual(['MANIFEST_INVALID']);
    expect(only(r, 'MANIFEST_INVALID').map((f) => [f.location.path, f.message])).toEqual([
      ['$.origin', expect.stringMatching(/U\+202E/)],
    ]);
    expect(r.coverage.verified).toBe(20);
  });
});
