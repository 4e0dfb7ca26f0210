/**
 * Note key names (shared/keys/keys.ts isValidNoteKeyName) against the rule golang.org/x/mod/sumdb/note
 * applies (non-empty, valid UTF-8, no unicode.IsSpace character, no '+'), and the Ed25519 note
 * signer (shared/tlog/note.ts ed25519NoteSigner) against x/mod's deterministic signing vector.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, utf8 } from '../../../../shared/encoding/bytes.js';
import { isValidNoteKeyName, parseKey } from '../../../../shared/keys/keys.js';
import { ed25519NoteSigner, formatNote, noteVerifierFromVkey, openNote } from '../../../../shared/tlog/note.js';
import { readVectorJson } from '../../../support/vectors.js';

interface XmodVectors {
  keys: { PeterNeumann: { verifierKey: string; signerKey_testOnly: string }; EnochRoot: { verifierKey: string } };
  signedText: string;
  expectedSignOutput: { note: string };
  verifierKeyParsing: Array<{ vkey: string; expected: string }>;
}
const xmod = readVectorJson<XmodVectors>('signed-note', 'golang-x-mod-note-vectors.json');

/** Every character Go's unicode.IsSpace reports (Latin-1 spaces, NEL, NBSP and category Z). */
const GO_SPACES = [
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u0085',
  '\u00a0',
  '\u1680',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
];

describe('isValidNoteKeyName', () => {
  it('accepts the names of the x/mod and C2SP vectors and other printable names', () => {
    const fromVectors = [
      xmod.keys.PeterNeumann.verifierKey,
      xmod.keys.EnochRoot.verifierKey,
      ...xmod.verifierKeyParsing.map((v) => v.vkey),
    ].map((k) => k.split('+')[0]!);
    for (const name of [
      ...fromVectors,
      'example.com/foo',
      'sum.golang.org',
      'log.example/prod-2026',
      'ünïcödé',
      '日本',
      '🌳',
      'a=b',
      '—',
    ])
      expect(isValidNoteKeyName(name), name).toBe(true);
  });

  it('refuses the empty name, "+", every Go space, control characters and lone surrogates', () => {
    const bad = [
      '',
      '+',
      'a+b',
      ...GO_SPACES.map((s) => `a${s}b`),
      ...GO_SPACES,
      'a\u0000b',
      'a\u001fb',
      'a\u007fb',
      '\ud800',
      'a\udc00',
      '\ud83c',
      'x\ufeff',
    ];
    for (const name of bad) expect(isValidNoteKeyName(name), JSON.stringify(name)).toBe(false);
    // A surrogate pair is one character (U+1F333), not two lone halves.
    expect(isValidNoteKeyName('\ud83c\udf33')).toBe(true);
  });
});

describe('ed25519NoteSigner', () => {
  // PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || 32-byte seed), x/mod's signer key encoding;
  // the base64 may itself hold '+', so split on the first four only.
  const [, name, idHex, b64] = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(
    xmod.keys.PeterNeumann.signerKey_testOnly,
  )!;
  const raw = fromBase64(b64!);
  const seed = raw.subarray(1);

  it('reproduces x/mod note.Sign byte for byte: the key ID and the deterministic signature', () => {
    expect([name, raw[0], seed.length]).toEqual(['PeterNeumann', 0x01, 32]);
    const signer = ed25519NoteSigner(name!, seed);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(Number.parseInt(idHex!, 16));
    expect(signer.keyId).toBe(parseKey(xmod.keys.PeterNeumann.verifierKey).noteKeyId);
    const note = formatNote(xmod.signedText, [
      { name: signer.name, keyId: signer.keyId, signature: signer.sign(utf8(xmod.signedText)) },
    ]);
    expect(new TextDecoder().decode(note)).toBe(xmod.expectedSignOutput.note);
    expect(openNote(note, [noteVerifierFromVkey(xmod.keys.PeterNeumann.verifierKey)]).ok).toBe(true);
  });

  it('keeps its own copy of the seed, and refuses invalid names and seeds with typed errors', () => {
    const mine = seed.slice();
    const signer = ed25519NoteSigner('PeterNeumann', mine);
    const before = signer.sign(utf8('x'));
    mine.fill(0);
    expect(signer.sign(utf8('x'))).toEqual(before);
    for (const bad of ['', 'Peter Neumann', 'a+b'])
      expect(() => ed25519NoteSigner(bad, seed)).toThrow(
        expect.objectContaining({ name: 'ProofdeskError', code: 'USAGE' }),
      );
    expect(() => ed25519NoteSigner('ok', new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
