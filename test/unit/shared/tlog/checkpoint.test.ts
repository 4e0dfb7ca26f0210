/**
 * C2SP tlog-checkpoint bodies: the transparency-dev/formats parsing cases, the x/mod sumdb
 * tree-note body, and the 16 real serverless-log checkpoints.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  type CheckpointReason,
  formatCheckpointBody,
  parseCheckpointBody,
} from '../../../../shared/tlog/checkpoint.js';
import { parseNote } from '../../../../shared/tlog/note.js';
import { readVectorJson, vectorPath } from '../../../support/vectors.js';

interface BodyVectors {
  sumdbTreeNoteBody: { golden: string; mustReject: string[] };
  checkpointBodyParsing: {
    cases: Array<{
      desc: string;
      body: string;
      expectedByTransparencyDevFormats: 'parse' | 'reject';
      want?: { origin: string; size: number; rootHashBase64: string; extensionLines?: string[] };
      strictSha256Note?: string;
    }>;
  };
}
const vectors = readVectorJson<BodyVectors>('signed-note', 'c2sp-and-checkpoint-body-vectors.json');
const ROOT32 = toBase64(sha256(utf8('a 32-byte root')));

function reasonOf(text: string, expectedOrigin?: string): CheckpointReason | 'OK' {
  const r = parseCheckpointBody(text, expectedOrigin === undefined ? {} : { expectedOrigin });
  return r.ok ? 'OK' : r.reason;
}

describe('transparency-dev/formats checkpoint bodies (12 cases)', () => {
  const cases = vectors.checkpointBodyParsing.cases;
  // Our outcome for each case. transparency-dev/formats parses 5 of them, but each of those has
  // a root hash that is not 32 bytes (strictSha256Note), which a SHA-256 log verifier rejects.
  const ours: Record<string, CheckpointReason> = {
    'valid one': 'ROOT_HASH_LENGTH',
    'valid with different origin': 'ROOT_HASH_LENGTH',
    'valid with trailing data': 'ROOT_HASH_LENGTH',
    'valid with multiple trailing data lines': 'ROOT_HASH_LENGTH',
    'valid with trailing newlines': 'ROOT_HASH_LENGTH',
    'invalid - insufficient lines': 'TOO_FEW_LINES',
    'invalid - empty header': 'ORIGIN_EMPTY',
    'invalid - missing newline on roothash': 'MISSING_FINAL_NEWLINE',
    'invalid size - not a number': 'SIZE_INVALID',
    'invalid size - negative': 'SIZE_INVALID',
    'invalid size - too large': 'SIZE_TOO_LARGE',
    'invalid roothash - not base64': 'ROOT_HASH_INVALID',
  };

  it('rejects all 12 with the expected reason', () => {
    expect(cases.length).toBe(12);
    expect(cases.map((c) => c.desc).sort()).toEqual(Object.keys(ours).sort());
    for (const c of cases) {
      expect({ desc: c.desc, reason: reasonOf(c.body) }).toEqual({ desc: c.desc, reason: ours[c.desc] });
      if (c.expectedByTransparencyDevFormats === 'parse') expect(c.strictSha256Note).toBeDefined();
    }
    expect(cases.filter((c) => c.expectedByTransparencyDevFormats === 'parse').length).toBe(5);
  });

  it('parses the 5 "parse" cases to the expected fields once the root is 32 bytes', () => {
    let parsed = 0;
    for (const c of cases.filter((x) => x.expectedByTransparencyDevFormats === 'parse')) {
      const want = c.want!;
      expect(fromBase64(want.rootHashBase64).length).not.toBe(32);
      const body = c.body.replace(want.rootHashBase64, ROOT32);
      const r = parseCheckpointBody(body);
      if (c.desc === 'valid with trailing newlines') {
        // Extension lines must be non-empty (tlog-checkpoint "Note text").
        expect(r.ok ? 'OK' : r.reason).toBe('EXTENSION_EMPTY');
        continue;
      }
      expect(r).toEqual({
        ok: true,
        origin: want.origin,
        size: want.size,
        rootHash: fromBase64(ROOT32),
        extensions: want.extensionLines ?? [],
      });
      parsed++;
    }
    expect(parsed).toBe(4);
  });
});

describe('x/mod sumdb tree note body', () => {
  const { golden, mustReject } = vectors.sumdbTreeNoteBody;
  const ORIGIN = 'go.sum database tree';

  it('parses the golden body: root = SHA-256(0x00 || "hello world")', () => {
    const r = parseCheckpointBody(golden, { expectedOrigin: ORIGIN });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.origin, r.size, r.extensions]).toEqual([ORIGIN, 123456789012, []]);
    expect(toHex(r.rootHash)).toBe(toHex(sha256(concatBytes(Uint8Array.of(0), utf8('hello world')))));
    expect(formatCheckpointBody(r)).toBe(golden);
  });

  it('rejects the 3 must-reject bodies', () => {
    expect(mustReject.length).toBe(3);
    // The third root ('...BTOOBIG=') is 35 bytes and its last character has non-zero padding bits,
    // so strict base64 refuses it before its length is looked at.
    expect(mustReject.map((b) => reasonOf(b, ORIGIN))).toEqual([
      'ORIGIN_MISMATCH',
      'SIZE_INVALID',
      'ROOT_HASH_INVALID',
    ]);
  });

  it('treats trailing data as extension lines (x/mod ignores it) and needs the final newline', () => {
    expect(reasonOf(golden + 'JOE')).toBe('MISSING_FINAL_NEWLINE');
    const r = parseCheckpointBody(golden + 'JOE\n');
    expect(r.ok && r.extensions).toEqual(['JOE']);
    const many = parseCheckpointBody(golden + 'JOE\n'.repeat(1000));
    expect(many.ok && many.extensions.length).toBe(1000);
  });
});

describe('serverless-log checkpoints', () => {
  const manifest = readVectorJson<{ origin: string; leafHashes: string[] }>(
    'signed-note',
    'serverless-log-testdata',
    'manifest.json',
  );
  it('all 16 bodies parse with the right origin and size', () => {
    let n = 0;
    for (; n < 16; n++) {
      const note = parseNote(
        new Uint8Array(readFileSync(vectorPath('signed-note', 'serverless-log-testdata', 'log', `checkpoint.${n}`))),
      );
      if (!note.ok) throw new Error(note.reason);
      const r = parseCheckpointBody(note.text, { expectedOrigin: manifest.origin });
      expect(r.ok && [r.origin, r.size, r.extensions.length]).toEqual([manifest.origin, n, 0]);
      if (!r.ok) continue;
      expect(formatCheckpointBody(r)).toBe(note.text);
      // Spot-check the roots that need no tree: the empty tree and the one-leaf tree.
      if (n === 0) expect(toHex(r.rootHash)).toBe(toHex(sha256(new Uint8Array())));
      if (n === 1) expect(toHex(r.rootHash)).toBe(manifest.leafHashes[0]);
    }
    expect(n).toBe(16);
  });
});

describe('tree size and other field rules', () => {
  const body = (size: string, origin = 'log.example') => `${origin}\n${size}\n${ROOT32}\n`;
  it('accepts canonical decimals up to 2^53 - 1', () => {
    for (const [s, v] of [
      ['0', 0],
      ['1', 1],
      ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ] as const) {
      const r = parseCheckpointBody(body(s));
      expect(r.ok && r.size).toBe(v);
    }
  });
  it('rejects other spellings and sizes beyond 2^53 - 1', () => {
    const cases: Array<[string, CheckpointReason]> = [
      ['00', 'SIZE_INVALID'],
      ['01', 'SIZE_INVALID'],
      ['+1', 'SIZE_INVALID'],
      [' 1', 'SIZE_INVALID'],
      ['1 ', 'SIZE_INVALID'],
      ['1e3', 'SIZE_INVALID'],
      ['0x10', 'SIZE_INVALID'],
      ['\u0661', 'SIZE_INVALID'], // ARABIC-INDIC DIGIT ONE
      ['', 'SIZE_INVALID'],
      ['9007199254740992', 'SIZE_TOO_LARGE'],
      ['18446744073709551615', 'SIZE_TOO_LARGE'],
      ['99999999999999999999999999999999', 'SIZE_TOO_LARGE'],
    ];
    for (const [s, reason] of cases) expect({ s, r: reasonOf(body(s)) }).toEqual({ s, r: reason });
  });
  it('rejects bad roots, control characters and empty extension lines', () => {
    expect(reasonOf(`log\n1\n${toBase64(new Uint8Array(31))}\n`)).toBe('ROOT_HASH_LENGTH');
    expect(reasonOf(`log\n1\n${toBase64(new Uint8Array(33))}\n`)).toBe('ROOT_HASH_LENGTH');
    expect(reasonOf(`log\n1\n${ROOT32.replace('=', '')}\n`)).toBe('ROOT_HASH_INVALID');
    expect(reasonOf(`log\n1\n${ROOT32}\next\n\n`)).toBe('EXTENSION_EMPTY');
    expect(reasonOf(`lo\tg\n1\n${ROOT32}\n`)).toBe('CONTROL_CHARACTER');
    expect(reasonOf(`log\r\n1\n${ROOT32}\n`)).toBe('CONTROL_CHARACTER');
    expect(reasonOf('')).toBe('MISSING_FINAL_NEWLINE');
    expect(reasonOf('\n')).toBe('TOO_FEW_LINES');
  });
  it('formatCheckpointBody refuses what the parser would reject', () => {
    const root = fromBase64(ROOT32);
    const bad: Array<Parameters<typeof formatCheckpointBody>[0]> = [
      { origin: 'log', size: -1, rootHash: root },
      { origin: 'log', size: 1.5, rootHash: root },
      { origin: 'log', size: 2 ** 53, rootHash: root },
      { origin: 'log', size: 1, rootHash: root.subarray(1) },
      { origin: '', size: 1, rootHash: root },
      { origin: 'a\nb', size: 1, rootHash: root },
      { origin: 'log', size: 1, rootHash: root, extensions: [''] },
      { origin: 'log', size: 1, rootHash: root, extensions: ['x\ny'] },
    ];
    for (const b of bad) {
      expect(() => formatCheckpointBody(b), JSON.stringify({ ...b, rootHash: b.rootHash.length })).toThrow(
        expect.objectContaining({ code: 'USAGE' }),
      );
    }
    expect(formatCheckpointBody({ origin: 'log', size: 5, rootHash: root, extensions: ['ext one'] })).toBe(
      `log\n5\n${ROOT32}\next one\n`,
    );
  });
});
