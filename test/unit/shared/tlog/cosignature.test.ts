/**
 * C2SP tlog-cosignature v1 (Ed25519): message bytes, key IDs, signing and verification round
 * trips with our own keys (also cosigning a real serverless-log checkpoint), tampering, and
 * the framing of the spec's published example (whose keys are not published).
 */
import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyEd25519Node } from '../../../../electron/platform/ed25519-node.js';
import { publicKeyFromSeed } from '../../../../shared/crypto/ed25519.js';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, fromBase64, fromHex, readU32BE, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  encodeNoteVerifierKey,
  NOTE_SIG_COSIGNATURE_V1,
  NOTE_SIG_ED25519,
  noteKeyId,
} from '../../../../shared/keys/keys.js';
import { formatCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import {
  COSIGNATURE_V1_SIZE,
  cosignatureMessage,
  cosignatureSigner,
  cosignatureVerifier,
  cosignatureVerifierFromVkey,
  MAX_COSIGNATURE_TIME,
  parseCosignature,
  signCosignature,
  verifyCosignatureSignature,
} from '../../../../shared/tlog/cosignature.js';
import {
  ed25519NoteVerifier,
  formatNote,
  noteVerifierFromVkey,
  openNote,
  parseNote,
  signNote,
} from '../../../../shared/tlog/note.js';
import type { ProofdeskError } from '../../../../shared/verdict/errors.js';
import { readVectorJson, vectorPath } from '../../../support/vectors.js';

const WITNESS = 'witness.example/w1';
const witnessSeed = sha256(utf8('proofdesk test witness'));
const witnessPub = publicKeyFromSeed(witnessSeed);
const LOG = 'log.example/audit';
const logSeed = sha256(utf8('proofdesk test log'));
const logPub = publicKeyFromSeed(logSeed);
const body = formatCheckpointBody({ origin: LOG, size: 20852163, rootHash: sha256(utf8('root')) });
const T = 1679315147;

describe('signed message', () => {
  it('is "cosignature/v1\\ntime <t>\\n" followed by the checkpoint text (the spec example bytes)', () => {
    const spec = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const msg = cosignatureMessage(1679315147, utf8(spec));
    expect(new TextDecoder().decode(msg)).toBe('cosignature/v1\ntime 1679315147\n' + spec);
    expect(new TextDecoder().decode(cosignatureMessage(0, utf8(spec)))).toBe('cosignature/v1\ntime 0\n' + spec);
    expect(() => cosignatureMessage(-1, utf8(spec))).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => cosignatureMessage(2 ** 53, utf8(spec))).toThrow(expect.objectContaining({ code: 'USAGE' }));
    // Beyond the safe integers, as a bigint: the exact decimal, never a rounded one.
    expect(new TextDecoder().decode(cosignatureMessage((1n << 63n) - 1n, utf8(spec)))).toBe(
      `cosignature/v1\ntime 9223372036854775807\n${spec}`,
    );
  });

  it('signature bytes are u64 big-endian timestamp || Ed25519 signature over that message (checked with OpenSSL)', () => {
    const sig = signCosignature(body, witnessSeed, T);
    expect(sig.length).toBe(COSIGNATURE_V1_SIZE);
    expect(sig.length).toBe(72);
    const ts = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0, false);
    expect(ts).toBe(BigInt(T));
    const key = createPublicKey({
      key: Buffer.from(concatBytes(fromHex('302a300506032b6570032100'), witnessPub)),
      format: 'der',
      type: 'spki',
    });
    expect(opensslVerify(null, cosignatureMessage(T, utf8(body)), key, sig.subarray(8))).toBe(true);
    expect(parseCosignature(sig)).toEqual({
      ok: true,
      timestamp: T,
      timestampDecimal: String(T),
      signature: sig.subarray(8),
    });
  });
});

describe('key IDs', () => {
  it('use signature type 0x04, distinct from the 0x01 note key ID of the same key', () => {
    const v = cosignatureVerifier(WITNESS, witnessPub);
    expect(v.keyId).toBe(noteKeyId(WITNESS, NOTE_SIG_COSIGNATURE_V1, witnessPub));
    const h = sha256(concatBytes(utf8(WITNESS), Uint8Array.of(0x0a, 0x04), witnessPub));
    expect(v.keyId).toBe(readU32BE(h));
    expect(v.keyId).not.toBe(noteKeyId(WITNESS, NOTE_SIG_ED25519, witnessPub));
    expect(cosignatureSigner(WITNESS, witnessSeed, T).keyId).toBe(v.keyId);
  });

  it('vkeys of type 0x04 build cosignature verifiers, and only those', () => {
    const vkey = encodeNoteVerifierKey(WITNESS, witnessPub, NOTE_SIG_COSIGNATURE_V1);
    const v = cosignatureVerifierFromVkey(vkey);
    expect([v.name, v.keyId]).toEqual([WITNESS, cosignatureVerifier(WITNESS, witnessPub).keyId]);
    const wrong = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as ProofdeskError).code, (e as ProofdeskError).detail?.reason];
      }
      return 'no error';
    };
    expect(wrong(() => cosignatureVerifierFromVkey(encodeNoteVerifierKey(WITNESS, witnessPub)))).toEqual([
      'KEY_INVALID',
      'VKEY_WRONG_TYPE',
    ]);
    expect(wrong(() => noteVerifierFromVkey(vkey))).toEqual(['KEY_INVALID', 'VKEY_WRONG_TYPE']);
  });
});

describe('round trips', () => {
  it('a checkpoint signed by the log and cosigned by a witness opens under both verifiers, on both paths', () => {
    const note = signNote(body, [{ name: LOG, seed: logSeed }, cosignatureSigner(WITNESS, witnessSeed, T)]);
    for (const verify of [undefined, verifyEd25519Node]) {
      const logV = ed25519NoteVerifier(LOG, logPub, verify);
      const witV = cosignatureVerifier(WITNESS, witnessPub, verify);
      const r = openNote(note, [logV, witV]);
      expect(r.ok && r.verifiedBy.map((v) => v.name)).toEqual([LOG, WITNESS]);
      expect(witV.lastTimestamp).toBe(T);
      // Without the witness key its cosignature is just an unknown signature.
      const r2 = openNote(note, [ed25519NoteVerifier(LOG, logPub, verify)]);
      expect(r2.ok && r2.unknown.map((s) => s.name)).toEqual([WITNESS]);
    }
  });

  it('cosigns a real serverless-log checkpoint alongside the log signature', () => {
    const manifest = readVectorJson<{ verifierKey: string }>('signed-note', 'serverless-log-testdata', 'manifest.json');
    const original = new Uint8Array(
      readFileSync(vectorPath('signed-note', 'serverless-log-testdata', 'log', 'checkpoint.15')),
    );
    const parsed = parseNote(original);
    if (!parsed.ok) throw new Error(parsed.reason);
    const signer = cosignatureSigner(WITNESS, witnessSeed, T);
    const cosig = { name: WITNESS, keyId: signer.keyId, signature: signer.sign(parsed.textBytes) };
    const cosigned = formatNote(parsed.text, [...parsed.signatures, cosig]);
    const witV = cosignatureVerifier(WITNESS, witnessPub);
    const r = openNote(cosigned, [noteVerifierFromVkey(manifest.verifierKey), witV]);
    expect(r.ok && r.verifiedBy.map((v) => v.name)).toEqual(['astra', WITNESS]);
    expect(r.ok && r.verified[1]!.signature.line).toBe(6);
    expect(witV.lastTimestamp).toBe(T);
  });

  it('check() reports the timestamp; verifyCosignatureSignature is the stateless form', () => {
    const sig = signCosignature(body, witnessSeed, T);
    const v = cosignatureVerifier(WITNESS, witnessPub);
    const ok = { ok: true, timestamp: T, timestampDecimal: String(T) };
    expect(v.check(utf8(body), sig)).toEqual(ok);
    expect(verifyCosignatureSignature(witnessPub, utf8(body), sig)).toEqual(ok);
    expect(verifyCosignatureSignature(witnessPub, utf8(body), sig, verifyEd25519Node)).toEqual(ok);
    for (const t of [0, 1, 2 ** 32, MAX_COSIGNATURE_TIME]) {
      expect(v.check(utf8(body), signCosignature(body, witnessSeed, t))).toEqual({
        ok: true,
        timestamp: t,
        timestampDecimal: String(t),
      });
    }
    // C2SP allows up to 2^63 - 1: such a signature verifies over its exact decimal, but a time after
    // the year 9999 is no time Proofdesk uses (so none is reported), rather than a rounded one.
    for (const t of [MAX_COSIGNATURE_TIME + 1, 1n << 53n, 9007199254740993n, (1n << 63n) - 1n]) {
      expect(v.check(utf8(body), signCosignature(body, witnessSeed, t))).toEqual({
        ok: true,
        timestampDecimal: String(t),
      });
    }
  });
});

describe('rejections', () => {
  const v = cosignatureVerifier(WITNESS, witnessPub);
  const sig = signCosignature(body, witnessSeed, T);

  it('fails when the timestamp, the signature or the checkpoint changes', () => {
    const later = sig.slice();
    later[7]! ^= 1; // timestamp T ^ 1: signed message differs
    expect(v.check(utf8(body), later)).toEqual({
      ok: false,
      reason: 'SIGNATURE_INVALID',
      timestamp: T ^ 1,
      timestampDecimal: String(T ^ 1),
    });
    const flipped = sig.slice();
    flipped[40]! ^= 0x10;
    expect(v.check(utf8(body), flipped)).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
    expect(v.check(utf8(body.replace('20852163', '20852164')), sig)).toMatchObject({
      ok: false,
      reason: 'SIGNATURE_INVALID',
    });
    // The note rule: a known cosigner whose signature fails rejects the whole note.
    const note = formatNote(body, [{ name: WITNESS, keyId: v.keyId, signature: later }]);
    expect(openNote(note, [v])).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
  });

  it('fails on wrong lengths and timestamps of 2^63 or more', () => {
    expect(v.check(utf8(body), sig.subarray(8))).toEqual({ ok: false, reason: 'LENGTH' });
    expect(v.check(utf8(body), concatBytes(sig, Uint8Array.of(0)))).toEqual({ ok: false, reason: 'LENGTH' });
    expect(v.lastTimestamp).toBeUndefined();
    const huge = sig.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 63n, false);
    expect(v.check(utf8(body), huge)).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' });
    new DataView(huge.buffer).setBigUint64(0, (1n << 64n) - 1n, false);
    expect(v.check(utf8(body), huge)).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' });
    expect(() => signCosignature(body, witnessSeed, 1n << 63n)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => signCosignature(body, witnessSeed, -1)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => signCosignature(body, witnessSeed, 1.5)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('a plain Ed25519 note signature by the witness key is not a cosignature (domain separation)', () => {
    const plain = signNote(body, [{ name: WITNESS, seed: witnessSeed }]);
    const r = openNote(plain, [v]);
    expect(r.ok ? 'OK' : r.reason).toBe('NO_VERIFIED_SIGNATURE');
    // Even forced under the cosigner's key ID, the 64-byte signature is not a cosignature.
    const p = parseNote(plain);
    if (!p.ok) throw new Error(p.reason);
    const forced = formatNote(body, [{ ...p.signatures[0]!, keyId: v.keyId }]);
    expect(openNote(forced, [v])).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
  });
});

describe('the tlog-cosignature spec example (framing only: its keys are not published)', () => {
  // Transcribed from c2sp.org/tlog-cosignature, "Format" example.
  const example =
    'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
    '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
    '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
  it('parses; the witness line is key ID || u64 time 1679315147 || 64-byte signature', () => {
    const p = parseNote(utf8(example));
    if (!p.ok) throw new Error(p.reason);
    expect(p.signatures.map((s) => s.name)).toEqual(['example.com/behind-the-sofa', 'witness.example.com/w1']);
    const w = p.signatures[1]!;
    expect(w.keyId).toBe(0x8d66cf3f);
    expect(w.signature.length).toBe(COSIGNATURE_V1_SIZE);
    const c = parseCosignature(w.signature);
    expect(c.ok && c.timestamp).toBe(1679315147);
    expect(fromBase64('jWbPPwAAAABkGFDL').length).toBe(12);
    // With no trusted keys, both signatures are unknown and the note is not accepted.
    const r = openNote(utf8(example), [cosignatureVerifier(WITNESS, witnessPub)]);
    expect(r.ok ? 'OK' : [r.reason, r.unknown?.length]).toEqual(['NO_VERIFIED_SIGNATURE', 2]);
  });
});
