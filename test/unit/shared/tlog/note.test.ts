/**
 * C2SP signed notes: the golang.org/x/mod vectors, the C2SP spec example, and a real
 * transparency-dev/serverless-log with 16 signed checkpoints (plus single-character
 * tampering of every one of them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEd25519Node } from '../../../../electron/platform/ed25519-node.js';
import { publicKeyFromSeed } from '../../../../shared/crypto/ed25519.js';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, fromBase64, fromHex, toBase64, utf8 } from '../../../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../../../shared/keys/keys.js';
import {
  ed25519NoteVerifier,
  formatNote,
  MAX_NOTE_SIGNATURES,
  MAX_NOTE_SIZE,
  type NoteOpenReason,
  noteVerifierFromVkey,
  openNote,
  parseNote,
  signNote,
} from '../../../../shared/tlog/note.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import { readVectorJson, vectorPath } from '../../../support/vectors.js';

interface GoVectors {
  keys: { PeterNeumann: { verifierKey: string; signerKey_testOnly: string }; EnochRoot: { verifierKey: string } };
  signedText: string;
  expectedSignOutput: { note: string };
  verifierKeyParsing: Array<{ vkey: string; expected: 'valid' | 'reject' }>;
  openCases: Array<{
    name: string;
    note?: string;
    noteHex?: string;
    verifierKeys: string[];
    expected: 'valid' | 'reject';
  }>;
}
const go = readVectorJson<GoVectors>('signed-note', 'golang-x-mod-note-vectors.json');

/** The seed inside an x/mod signer key `PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>`. */
function seedOfSignerKey(skey: string): { name: string; seed: Uint8Array } {
  const parts = skey.split('+');
  const [priv, key, name] = parts;
  expect([priv, key]).toEqual(['PRIVATE', 'KEY']);
  const raw = fromBase64(parts.slice(4).join('+')); // base64 may itself contain '+'
  expect(raw[0]).toBe(1);
  return { name: name!, seed: raw.subarray(1) };
}

const PETER = go.keys.PeterNeumann.verifierKey;
const ENOCH = go.keys.EnochRoot.verifierKey;

describe('golang.org/x/mod/sumdb/note vectors', () => {
  /** The reason each open case must produce (assert codes, not messages). */
  const expectedReason: Record<string, NoteOpenReason | 'OK'> = {
    'peter-only-trusted': 'OK',
    'both-trusted': 'OK',
    'no-trusted-keys': 'NO_VERIFIED_SIGNATURE',
    'corrupted-signature': 'SIGNATURE_INVALID',
    'too-many-signatures': 'TOO_MANY_SIGNATURES',
    'misnamed-signature': 'NO_VERIFIED_SIGNATURE',
    'wrong-key-id': 'NO_VERIFIED_SIGNATURE',
    'malformed-no-blank-line-no-sigs': 'NO_SIGNATURE_BLOCK',
    'malformed-blank-line-but-no-sigs': 'NO_SIGNATURE_BLOCK',
    'malformed-sig-line-missing-final-newline': 'MISSING_FINAL_NEWLINE',
    'malformed-leading-control-char-0x01': 'CONTROL_CHARACTER',
    'malformed-leading-byte-0xff-invalid-utf8': 'INVALID_UTF8',
    // The vector also lacks its final newline; see the next test for the name itself.
    'malformed-key-name-contains-space': 'MISSING_FINAL_NEWLINE',
    'malformed-trailing-non-signature-line': 'SIGNATURE_LINE_MALFORMED',
  };

  it('runs all 14 open cases with the expected outcome and reason', () => {
    expect(go.openCases.length).toBe(14);
    expect(Object.keys(expectedReason).sort()).toEqual(go.openCases.map((c) => c.name).sort());
    let valid = 0;
    for (const c of go.openCases) {
      const bytes = c.noteHex !== undefined ? fromHex(c.noteHex) : utf8(c.note!);
      const verifiers = c.verifierKeys.map((v) => noteVerifierFromVkey(v));
      const r = openNote(bytes, verifiers);
      expect({ name: c.name, ok: r.ok }).toEqual({ name: c.name, ok: c.expected === 'valid' });
      expect({ name: c.name, reason: r.ok ? 'OK' : r.reason }).toEqual({
        name: c.name,
        reason: expectedReason[c.name],
      });
      // The node:crypto verifier gives the same result.
      const rNode = openNote(
        bytes,
        c.verifierKeys.map((v) => noteVerifierFromVkey(v, verifyEd25519Node)),
      );
      expect(rNode.ok ? 'OK' : rNode.reason).toBe(expectedReason[c.name]);
      if (r.ok) valid++;
    }
    expect(valid).toBe(2);
  });

  it('reports verified and unknown signatures', () => {
    const both = go.openCases.find((c) => c.name === 'peter-only-trusted')!;
    const r = openNote(utf8(both.note!), [noteVerifierFromVkey(PETER)]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.text).toBe(go.signedText);
    expect(r.verifiedBy.map((v) => v.name)).toEqual(['PeterNeumann']);
    expect(r.verified.map((v) => [v.signature.name, v.signature.keyId, v.signature.line])).toEqual([
      ['PeterNeumann', 0xc74f20a3, 4],
    ]);
    expect(r.unknown.map((s) => [s.name, s.keyId, s.line])).toEqual([['EnochRoot', 0xaf0cfe78, 5]]);
    const r2 = openNote(utf8(both.note!), [noteVerifierFromVkey(PETER), noteVerifierFromVkey(ENOCH)]);
    expect(r2.ok && r2.verifiedBy.map((v) => v.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    const corrupted = go.openCases.find((c) => c.name === 'corrupted-signature')!;
    const r3 = openNote(utf8(corrupted.note!), [noteVerifierFromVkey(PETER)]);
    expect(r3.ok).toBe(false);
    if (!r3.ok) expect([r3.reason, r3.line, r3.signature?.name]).toEqual(['SIGNATURE_INVALID', 4, 'PeterNeumann']);
  });

  it('rejects a key name containing a space even with the final newline', () => {
    const note = `${go.signedText}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
    const r = parseNote(utf8(note));
    expect(r.ok ? 'OK' : r.reason).toBe('SIGNATURE_BASE64_INVALID');
  });

  it('runs the 4 verifier key cases through noteVerifierFromVkey', () => {
    expect(go.verifierKeyParsing.length).toBe(4);
    const outcomes = go.verifierKeyParsing.map((c) => {
      try {
        noteVerifierFromVkey(c.vkey);
        return 'valid';
      } catch (e) {
        expect((e as ProofdeskError).code).toBe('KEY_INVALID');
        return 'reject';
      }
    });
    expect(outcomes).toEqual(go.verifierKeyParsing.map((c) => c.expected));
    const v = noteVerifierFromVkey(PETER);
    expect([v.name, v.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
  });

  it('signs byte for byte like note.Sign (expectedSignOutput)', () => {
    const { name, seed } = seedOfSignerKey(go.keys.PeterNeumann.signerKey_testOnly);
    const pub = publicKeyFromSeed(seed);
    expect(encodeNoteVerifierKey(name, pub)).toBe(PETER);
    const out = signNote(go.signedText, [{ name, seed }]);
    expect(new TextDecoder().decode(out)).toBe(go.expectedSignOutput.note);
    expect(out).toEqual(utf8(go.expectedSignOutput.note));
  });
});

describe('C2SP signed-note spec example', () => {
  const ex = readVectorJson<{ c2spSignedNoteExample: { verifierKey: string; note: string; expected: string } }>(
    'signed-note',
    'c2sp-and-checkpoint-body-vectors.json',
  ).c2spSignedNoteExample;
  it('verifies under its vkey', () => {
    expect(ex.expected).toBe('valid');
    const r = openNote(utf8(ex.note), [noteVerifierFromVkey(ex.verifierKey)]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.text).toBe('This is an example message.\n');
  });
});

// ── the real serverless log ──────────────────────────────────────────────────────────────

const SERVERLESS = 'serverless-log-testdata';
const manifest = readVectorJson<{ verifierKey: string; origin: string }>('signed-note', SERVERLESS, 'manifest.json');
const checkpoints = Array.from({ length: 16 }, (_, n) => ({
  n,
  text: readFileSync(vectorPath('signed-note', SERVERLESS, 'log', `checkpoint.${n}`), 'utf8'),
}));

/** A different character of the same class, so a tampered line stays plausible. */
function other(c: string): string {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const i = B64.indexOf(c);
  if (i >= 0) return B64[(i + 1) % 64]!;
  return c === 'x' ? 'y' : 'x';
}

describe('transparency-dev/serverless-log test data', () => {
  it('has exactly the 16 checkpoints checkpoint.0 .. checkpoint.15, and checkpoint == checkpoint.15', () => {
    const files = readdirSync(vectorPath('signed-note', SERVERLESS, 'log')).filter((f) => f.startsWith('checkpoint.'));
    expect(files.length).toBe(16);
    expect(readFileSync(vectorPath('signed-note', SERVERLESS, 'log', 'checkpoint'), 'utf8')).toBe(
      checkpoints[15]!.text,
    );
  });

  it('all 16 checkpoints verify under the manifest vkey, on both verifier paths', () => {
    let verified = 0;
    for (const { n, text } of checkpoints) {
      for (const v of [
        noteVerifierFromVkey(manifest.verifierKey),
        noteVerifierFromVkey(manifest.verifierKey, verifyEd25519Node),
      ]) {
        const r = openNote(utf8(text), [v]);
        expect({ n, ok: r.ok }).toEqual({ n, ok: true });
        if (!r.ok) continue;
        expect(r.verifiedBy.map((x) => x.name)).toEqual(['astra']);
        expect(r.unknown).toEqual([]);
        const lines = r.text.split('\n');
        expect(lines[0]).toBe(manifest.origin);
        expect(lines[1]).toBe(String(n));
        verified++;
      }
    }
    expect(verified).toBe(32);
  });

  // 16 checkpoints × (body characters + 92 base64 characters of the signature).
  const TAMPER_POSITIONS = checkpoints.reduce((n, { text }) => n + (text.indexOf('\n\n') - 2) + 92, 0);
  it('fails after changing any single character of any body line or signature (all 16 checkpoints)', () => {
    const verifier = noteVerifierFromVkey(manifest.verifierKey, verifyEd25519Node);
    let tampered = 0;
    for (const { n, text } of checkpoints) {
      const sigStart = text.indexOf('\n\n') + 2;
      const b64Start = text.indexOf(' ', text.indexOf(' ', sigStart) + 1) + 1;
      const positions: number[] = [];
      for (let i = 0; i < sigStart - 2; i++) if (text[i] !== '\n') positions.push(i); // body lines
      for (let i = b64Start; i < text.length - 1; i++) positions.push(i); // signature base64
      for (const i of positions) {
        const t = text.slice(0, i) + other(text[i]!) + text.slice(i + 1);
        const r = openNote(utf8(t), [verifier]);
        if (r.ok) throw new Error(`checkpoint.${n}: tampering position ${i} still verifies`);
        tampered++;
      }
      expect(positions.length).toBeGreaterThan(100);
    }
    expect(tampered).toBe(TAMPER_POSITIONS);
    expect(TAMPER_POSITIONS).toBeGreaterThan(16 * 150);
  });

  it('also fails when the key name, blank line or an extra line is tampered', () => {
    const verifier = noteVerifierFromVkey(manifest.verifierKey);
    const text = checkpoints[7]!.text;
    const cases: Array<[string, NoteOpenReason]> = [
      [text.replace('— astra ', '— astrb '), 'NO_VERIFIED_SIGNATURE'],
      [text.replace('\n\n', '\n'), 'NO_SIGNATURE_BLOCK'],
      [text.replace('\n\n', '\n\n\n'), 'EXTRA_BLANK_LINE'],
      [text.replace('\n\n', '\nextension\n\n'), 'SIGNATURE_INVALID'],
      [text + 'trailing\n', 'SIGNATURE_LINE_MALFORMED'],
      [text.slice(0, -1), 'MISSING_FINAL_NEWLINE'],
      [text.replace('— ', '- '), 'SIGNATURE_LINE_MALFORMED'],
    ];
    for (const [t, reason] of cases) {
      const r = openNote(utf8(t), [verifier]);
      expect(r.ok ? 'OK' : r.reason).toBe(reason);
    }
  });
});

// ── format rules and signing ─────────────────────────────────────────────────────────────

describe('parseNote format rules', () => {
  const seed = sha256(utf8('note tests'));
  const signed = (text: string) => new TextDecoder().decode(signNote(text, [{ name: 'test.example/log', seed }]));
  const sigLine = signed('x\n').split('\n')[2]!;

  it('returns reasons with line numbers for malformed notes', () => {
    const cases: Array<[string | Uint8Array, string, number?]> = [
      [`\n\n${sigLine}\n`, 'TEXT_EMPTY'],
      [`\n\n\n${sigLine}\n`, 'TEXT_EMPTY'],
      [`a\n\n\n${sigLine}\n`, 'EXTRA_BLANK_LINE', 2],
      [`a\nb\tc\n\n${sigLine}\n`, 'CONTROL_CHARACTER', 2],
      [`a\r\n\n${sigLine}\n`, 'CONTROL_CHARACTER', 1],
      [`a\n\n${sigLine}\n\n`, 'NO_SIGNATURE_BLOCK'],
      [`a\n\n— name\n`, 'SIGNATURE_LINE_MALFORMED', 3],
      [`a\n\n— a+b ${toBase64(new Uint8Array(68))}\n`, 'KEY_NAME_INVALID', 3],
      [`a\n\n— a\u00a0b ${toBase64(new Uint8Array(68))}\n`, 'KEY_NAME_INVALID', 3],
      [`a\n\n—  ${toBase64(new Uint8Array(68))}\n`, 'KEY_NAME_INVALID', 3],
      [`a\n\n${sigLine}\n— n ${toBase64(new Uint8Array(4))}\n`, 'SIGNATURE_TOO_SHORT', 4],
      [`a\n\n— n ${toBase64(new Uint8Array(68)).replace(/=*$/, '')}\n`, 'SIGNATURE_BASE64_INVALID', 3],
      [`a\n\n— n AAAAAAB=\n`, 'SIGNATURE_BASE64_INVALID', 3], // non-zero padding bits (RFC 4648 §3.5)
      [concatBytes(utf8('a\n\n'), Uint8Array.of(0xc3, 0x28), utf8('\n')), 'INVALID_UTF8'],
    ];
    for (const [input, reason, line] of cases) {
      const r = parseNote(typeof input === 'string' ? utf8(input) : input);
      expect(r.ok ? 'OK' : r.reason).toBe(reason);
      if (!r.ok && line !== undefined) expect(r.line).toBe(line);
    }
    expect(parseNote(utf8('a\n\n— n AAAAAAA=\n')).ok).toBe(true);
  });

  it('enforces the signature count and size limits', () => {
    const many = (k: number) => utf8('a\n\n' + `${sigLine}\n`.repeat(k));
    expect(parseNote(many(MAX_NOTE_SIGNATURES)).ok).toBe(true);
    const r = parseNote(many(MAX_NOTE_SIGNATURES + 1));
    expect(r.ok ? 'OK' : r.reason).toBe('TOO_MANY_SIGNATURES');
    const big = new Uint8Array(MAX_NOTE_SIZE + 1).fill(0x61);
    const r2 = parseNote(big);
    expect(r2.ok ? 'OK' : r2.reason).toBe('TOO_LARGE');
    // At least 16 signatures must be accepted (signed-note "Format").
    expect(MAX_NOTE_SIGNATURES).toBeGreaterThanOrEqual(16);
  });

  it('keeps empty lines inside the text and splits at the last blank line', () => {
    const text = 'first\n\nthird — with an em dash\n';
    const note = signNote(text, [{ name: 'test.example/log', seed }]);
    const r = openNote(note, [ed25519NoteVerifier('test.example/log', publicKeyFromSeed(seed))]);
    expect(r.ok && r.text).toBe(text);
  });
});

describe('robustness', () => {
  it('rejects every truncation and every byte flip of a real checkpoint, without throwing', () => {
    const note = new Uint8Array(readFileSync(vectorPath('signed-note', SERVERLESS, 'log', 'checkpoint.15')));
    const verifier = noteVerifierFromVkey(manifest.verifierKey, verifyEd25519Node);
    expect(openNote(note, [verifier]).ok).toBe(true);
    const accepted: string[] = [];
    for (let i = 0; i < note.length; i++) {
      if (openNote(note.subarray(0, i), [verifier]).ok) accepted.push(`truncated to ${i}`);
      for (const x of [0x01, 0x80, 0xff]) {
        const m = note.slice();
        m[i]! ^= x;
        if (openNote(m, [verifier]).ok) accepted.push(`byte ${i} ^ 0x${x.toString(16)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('parses random text built from note tokens to a reason, never an exception', () => {
    // Random bytes are almost never UTF-8 and stop at the first check; random text made of the
    // tokens a note is built from reaches the line, name and signature rules as well.
    const tokens = [
      'a',
      'n',
      ' ',
      '\n',
      '\n',
      '\n\n',
      '— ',
      '— n ',
      '—',
      '+',
      'AAAAAAA=',
      'AAAAAAAAAAAAAAAAAAAAAA==',
      '=',
      'é',
    ];
    let state = sha256(utf8('random notes'));
    const reasons = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      state = sha256(state);
      let text = '';
      for (const b of state.subarray(1)) text += tokens[b % tokens.length];
      if (state[0]! % 8 === 0) text += '\t';
      if (state[0]! % 4 !== 1) text += '\n';
      const r = parseNote(utf8(text));
      reasons.add(r.ok ? 'OK' : r.reason);
    }
    expect([...reasons].sort()).toEqual([
      'CONTROL_CHARACTER',
      'EXTRA_BLANK_LINE',
      'KEY_NAME_INVALID',
      'MISSING_FINAL_NEWLINE',
      'NO_SIGNATURE_BLOCK',
      'SIGNATURE_BASE64_INVALID',
      'SIGNATURE_LINE_MALFORMED',
      'SIGNATURE_TOO_SHORT',
      'TEXT_EMPTY',
    ]);
  });
});

describe('openNote trust rules', () => {
  const seedA = sha256(utf8('key A'));
  const seedB = sha256(utf8('key B'));
  const vA = ed25519NoteVerifier('a.example', publicKeyFromSeed(seedA));
  const vB = ed25519NoteVerifier('b.example', publicKeyFromSeed(seedB));
  const text = 'some text\n';

  it('verifies multiple signers and ignores unknown ones', () => {
    const note = signNote(text, [
      { name: 'a.example', seed: seedA },
      { name: 'b.example', seed: seedB },
    ]);
    const r = openNote(note, [vB]);
    expect(r.ok && [r.verifiedBy.map((v) => v.name), r.unknown.map((s) => s.name)]).toEqual([
      ['b.example'],
      ['a.example'],
    ]);
  });

  it('ignores a signature that shares only the name or only the key ID with a known key', () => {
    // Same name, other key (different key ID); and same key ID under another name.
    const impostor = signNote(text, [{ name: 'a.example', seed: seedB }]);
    expect(openNote(impostor, [vA])).toMatchObject({ ok: false, reason: 'NO_VERIFIED_SIGNATURE' });
    const good = parseNote(signNote(text, [{ name: 'a.example', seed: seedA }]));
    if (!good.ok) throw new Error('setup');
    const renamed = formatNote(text, [{ ...good.signatures[0]!, name: 'c.example' }]);
    expect(openNote(renamed, [vA])).toMatchObject({ ok: false, reason: 'NO_VERIFIED_SIGNATURE' });
  });

  it('rejects the note if any signature line by a known key fails, even after a valid one', () => {
    const good = parseNote(signNote(text, [{ name: 'a.example', seed: seedA }]));
    if (!good.ok) throw new Error('setup');
    const s = good.signatures[0]!;
    const bad = s.signature.slice();
    bad[10]! ^= 1;
    const note = formatNote(text, [s, { ...s, signature: bad }]);
    const r = openNote(note, [vA]);
    expect(r.ok ? 'OK' : [r.reason, r.line]).toEqual(['SIGNATURE_INVALID', 4]);
  });

  it('refuses ambiguous trust material', () => {
    expect(() =>
      openNote(utf8('x\n\n— a n\n'), [vA, ed25519NoteVerifier('a.example', publicKeyFromSeed(seedA))]),
    ).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('refuses to sign what would not be a valid note', () => {
    const sign = (t: string) => () => signNote(t, [{ name: 'a.example', seed: seedA }]);
    for (const [t, reason] of [
      ['no newline', 'NO_SIGNATURE_BLOCK'],
      ['two newlines\n\n', 'EXTRA_BLANK_LINE'],
      ['tab\there\n', 'CONTROL_CHARACTER'],
      ['\n', 'TEXT_EMPTY'],
    ] as const) {
      try {
        sign(t)();
        throw new Error('expected a throw');
      } catch (e) {
        expect(e).toBeInstanceOf(ProofdeskError);
        expect([(e as ProofdeskError).code, (e as ProofdeskError).detail?.reason]).toEqual(['USAGE', reason]);
      }
    }
    expect(() => signNote(text, [{ name: 'bad name', seed: seedA }])).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });
});
