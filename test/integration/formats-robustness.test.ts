/**
 * Hostile and broken input for every format: truncations and a byte flip at every offset of vector files,
 * random bytes under every --format, and path tricks in a tiled log. Each gives a result with
 * findings or a typed ProofdeskError — never an untyped exception, a hang or a PASS.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputFormat } from '../../electron/verify/input-format.js';
import { type VerifyInputOptions, verify } from '../../electron/verify/verify.js';
import { syntheticLogEntry, TiledLogWriter } from '../../electron/write/tiles-writer.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { makeTempDir, prng, removeDir, testKey } from '../support/fixtures.js';
import { vectorPath } from '../support/vectors.js';

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-robust-');
});
afterAll(() => removeDir(tmp));

const ROOT = vectorPath('sigstore', 'trusted_root.public-good.json');
const CT_KEY = vectorPath('ct', 'ctgo-sigtest-ec256-public.pem');
const SERVERLESS_KEY = 'astra+cad5a3d2+AZJqeuyE/GnknsCNh1eCtDtwdAwKBddOlS8M2eI1Jt4b';

/** Runs verify() and classifies the outcome; anything but a result or a ProofdeskError fails the test. */
async function outcome(
  o: VerifyInputOptions & { readonly input: string },
): Promise<'PASS' | 'FAIL' | 'INCONCLUSIVE' | `error:${string}`> {
  try {
    return (await verify(o.input, o)).run.result.verdict;
  } catch (e) {
    if (e instanceof ProofdeskError) return `error:${e.code}`;
    throw e;
  }
}

/** Flips bit 5 (0x20) of one byte: a letter changes case, a digit or punctuation becomes a control or other character. */
function flipped(bytes: Buffer, at: number): Buffer {
  const b = Buffer.from(bytes);
  b[at] = b[at]! ^ 0x20;
  return b;
}

/**
 * The offsets of the bytes of `part` picked by `pick`, where `part` is taken inside `context`,
 * an ASCII string found exactly once in `bytes`.
 */
function offsetsIn(bytes: Buffer, context: string, part: string, pick: (ch: string) => boolean): number[] {
  const at = bytes.indexOf(context);
  expect(at, context).toBeGreaterThanOrEqual(0);
  expect(bytes.indexOf(context, at + 1), `${context} occurs once`).toBe(-1);
  const from = at + context.indexOf(part);
  expect(context.indexOf(part), part).toBeGreaterThanOrEqual(0);
  return [...part].flatMap((ch, i) => (pick(ch) ? [from + i] : []));
}

const isLetter = (ch: string) => /^[A-Za-z]$/.test(ch);

describe('damaged single files never pass and never crash', () => {
  const SIGSTORE = vectorPath('sigstore', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
  const CHECKPOINT = vectorPath('signed-note', 'serverless-log-testdata', 'log', 'checkpoint');
  const files: Array<{ path: string; trust: string; format: InputFormat }> = [
    { path: SIGSTORE, trust: ROOT, format: 'sigstore' },
    { path: CHECKPOINT, trust: SERVERLESS_KEY, format: 'signed-note' },
  ];

  it('60 truncation lengths of each file', async () => {
    let runs = 0;
    for (const f of files) {
      const bytes = readFileSync(f.path);
      const p = join(tmp, `truncated-${f.format}`);
      const step = Math.max(1, Math.floor(bytes.length / 60));
      for (let cut = 0; cut < bytes.length; cut += step) {
        writeFileSync(p, bytes.subarray(0, cut));
        const r = await outcome({ input: p, format: f.format, trustArgs: [f.trust] });
        expect({ cut, r }).not.toEqual({ cut, r: 'PASS' });
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(100);
  });

  it('a byte flip at every offset of the checkpoint fails', async () => {
    const bytes = readFileSync(CHECKPOINT);
    expect(await outcome({ input: CHECKPOINT, format: 'signed-note', trustArgs: [SERVERLESS_KEY] })).toBe('PASS');
    const p = join(tmp, 'flipped-checkpoint');
    for (let at = 0; at < bytes.length; at++) {
      writeFileSync(p, flipped(bytes, at));
      const r = await outcome({ input: p, format: 'signed-note', trustArgs: [SERVERLESS_KEY] });
      expect({ at, r }).not.toEqual({ at, r: 'PASS' });
    }
  });

  it('a byte flip at every offset of the Sigstore bundle fails, but for an exact list of unbound bytes', async () => {
    const bytes = readFileSync(SIGSTORE);
    // The only flips that still PASS. Each is a byte no signature or log entry covers; a letter
    // flip changes its case, and a digit or dot becomes a control character, which is invalid
    // JSON inside a string (RFC 8259 §7), so only letters (and '_', which becomes DEL) qualify.
    const allowed = new Map<number, string>();
    const allow = (why: string, offsets: number[]) =>
      offsets.forEach((o) => {
        allowed.set(o, why);
      });
    // Renaming the key drops the Rekor SET: an unknown field is ignored (protobuf JSON mapping),
    // and the v0.3 bundle still proves inclusion by its inclusion proof and signed checkpoint.
    allow('inclusionPromise key renamed', offsetsIn(bytes, '"inclusionPromise"', 'inclusionPromise', isLetter));
    // The Rekor v1 checkpoint signature line: its key hint is the first 4 bytes of SHA-256 of
    // the log's PKIX key (not C2SP's hash over name and key), so the name is not bound by the
    // signature and the line is matched by key hint alone, as sigstore-go and sigstore-js do.
    allow(
      'Rekor v1 signature line key name case',
      offsetsIn(bytes, '\\u2014 rekor.sigstore.dev ', 'rekor.sigstore.dev', isLetter),
    );
    expect(allowed.size).toBe(16 + 16);

    expect(await outcome({ input: SIGSTORE, format: 'sigstore', trustArgs: [ROOT] })).toBe('PASS');
    const p = join(tmp, 'flipped-sigstore');
    const passed: number[] = [];
    for (let at = 0; at < bytes.length; at++) {
      writeFileSync(p, flipped(bytes, at));
      const r = await outcome({ input: p, format: 'sigstore', trustArgs: [ROOT] });
      if (r === 'PASS') passed.push(at);
    }
    // Exact both ways: a new passing offset is a verification gap; a listed one that now fails
    // means the list is stale and must shrink, so it can never grow silently.
    expect(passed.map((o) => ({ at: o, why: allowed.get(o) ?? 'NOT ALLOWED' }))).toEqual(
      [...allowed.entries()].sort((a, b) => a[0] - b[0]).map(([at, why]) => ({ at, why })),
    );
  }, 240_000);

  it('random bytes under every single-file --format give findings or a typed error', async () => {
    const rand = prng(2026);
    const trust = {
      'signed-note': SERVERLESS_KEY,
      'tlog-proof': SERVERLESS_KEY,
      sigstore: ROOT,
      'ct-sth': CT_KEY,
    } as const;
    for (const format of Object.keys(trust) as Array<keyof typeof trust>) {
      for (let k = 0; k < 15; k++) {
        const p = join(tmp, `random-${format}-${k}`);
        const len = Math.floor(rand() * 600);
        const head =
          k % 3 === 0
            ? '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",'
            : k % 3 === 1
              ? 'c2sp.org/tlog-proof@v1\n'
              : '';
        writeFileSync(
          p,
          Buffer.concat([Buffer.from(head), Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)))]),
        );
        const r = await outcome({ input: p, format, trustArgs: [trust[format]] });
        expect({ format, k, r }).not.toEqual({ format, k, r: 'PASS' });
        if (r.startsWith('error:'))
          expect(['error:INPUT_MALFORMED', 'error:INPUT_UNREADABLE', 'error:INPUT_TOO_LARGE', 'error:USAGE']).toContain(
            r,
          );
      }
    }
  });
});

describe('path tricks in a tiled log are refused, not followed', () => {
  it('a symlinked entry bundle and a symlinked checkpoint are PATH_UNSAFE; nothing outside is read', async () => {
    const key = testKey('formats-robust-log', 'robust.example/log');
    const dir = join(tmp, 'log');
    const w = new TiledLogWriter({
      dir,
      layout: 'tlog-tiles',
      origin: key.name,
      signers: [{ name: key.name, seed: key.seed }],
    });
    for (let i = 0; i < 600; i++) w.append(syntheticLogEntry(i));
    w.checkpoint();
    const vkey = encodeNoteVerifierKey(key.name, key.publicKey);
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    cpSync(join(dir, 'tile', 'entries', '001'), join(outside, 'bundle'));
    rmSync(join(dir, 'tile', 'entries', '001'));
    symlinkSync(join(outside, 'bundle'), join(dir, 'tile', 'entries', '001'));
    const r = (await verify(dir, { trustArgs: [vkey] })).run.result;
    expect(r.findings.filter((f) => f.code === 'PATH_UNSAFE').map((f) => f.location.file)).toContain(
      'tile/entries/001',
    );
    expect(r.bundle.entryCount).toBe(256);
    expect(r.verdict).toBe('FAIL');
    const link = join(tmp, 'log2');
    cpSync(dir, link, { recursive: true, verbatimSymlinks: true });
    rmSync(join(link, 'checkpoint'));
    symlinkSync(join(dir, 'checkpoint'), join(link, 'checkpoint'));
    await expect(
      verify(link, { trustArgs: [vkey], format: 'c2sp-tiles' }).then((o) => o.run.result.findings.map((f) => f.code)),
    ).resolves.toContain('PATH_UNSAFE');
  });
});
