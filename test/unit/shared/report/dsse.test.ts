/**
 * DSSE (secure-systems-lab/dsse protocol.md v1.0.0) and the in-toto Statement layer: the PAE
 * vector of the spec, a real in-toto/DSSE envelope from the Sigstore conformance suite (ECDSA,
 * checked with node:crypto), base64 variants, structural problems with their paths, and
 * Ed25519 signing/verification under the pinned rules with a mutation of every signature byte.
 */
import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkEd25519Node } from '../../../../electron/platform/ed25519-node.js';
import { checkEd25519, publicKeyFromSeed, signEd25519 } from '../../../../shared/crypto/ed25519.js';
import { fromBase64, toBase64, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  type DsseEnvelope,
  decodeDsseBase64,
  dssePae,
  IN_TOTO_PAYLOAD_TYPE,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  verifyEnvelopeSignature,
} from '../../../../shared/report/dsse.js';
import { checkStatement, IN_TOTO_STATEMENT_TYPE } from '../../../../shared/report/statement.js';
import { seedFor } from '../../../support/fixtures.js';
import { flipBits } from '../../../support/tamper.js';
import { readVectorJson } from '../../../support/vectors.js';

const ascii = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('PAE', () => {
  it('matches the example of the DSSE protocol', () => {
    // protocol.md "Test Vectors": PAYLOAD_TYPE http://example.com/HelloWorld, body "hello world".
    expect(ascii(dssePae('http://example.com/HelloWorld', utf8('hello world')))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, and writes lengths without leading zeros', () => {
    const pae = dssePae('application/x-ü', utf8('é'));
    expect(
      Buffer.from(pae).equals(
        Buffer.concat([
          Buffer.from('DSSEv1 16 application/x-'),
          Buffer.from('ü'),
          Buffer.from(' 2 '),
          Buffer.from('é'),
        ]),
      ),
    ).toBe(true);
    expect(ascii(dssePae('t', new Uint8Array(0)))).toBe('DSSEv1 1 t 0 ');
  });
});

interface SigstoreBundle {
  verificationMaterial: { certificate: { rawBytes: string } };
  dsseEnvelope: { payload: string; payloadType: string; signatures: Array<{ sig: string }> };
}

describe('a real in-toto envelope (sigstore-conformance happy-path-intoto-in-dsse-v3)', () => {
  const bundle = readVectorJson<SigstoreBundle>(
    'sigstore',
    'conformance',
    'happy-path-intoto-in-dsse-v3',
    'bundle.sigstore.json',
  );
  const envBytes = utf8(JSON.stringify(bundle.dsseEnvelope));
  const cert = new X509Certificate(Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64'));

  it('parses, and its ECDSA signature verifies over our PAE with the signing certificate key', () => {
    const env = parseEnvelope(envBytes);
    expect(env.ok).toBe(true);
    if (!env.ok) return;
    expect(env.envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    const sig = fromBase64(env.envelope.signatures[0]!.sig);
    expect(cryptoVerify('sha256', dssePae(env.envelope.payloadType, env.payload), cert.publicKey, sig)).toBe(true);
    // The same signature over a PAE with one payload byte changed does not verify.
    const changed = env.payload.slice();
    flipBits(changed, 10, 1);
    expect(cryptoVerify('sha256', dssePae(env.envelope.payloadType, changed), cert.publicKey, sig)).toBe(false);
  });

  it('holds a Statement v1 that passes the statement checks', () => {
    const env = parseEnvelope(envBytes);
    if (!env.ok) throw new Error('unparsed');
    const statement: unknown = JSON.parse(Buffer.from(env.payload).toString('utf8'));
    expect(checkStatement(statement)).toEqual([]);
    expect((statement as { _type: string })._type).toBe(IN_TOTO_STATEMENT_TYPE);
  });
});

describe('base64 in envelopes', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);
  it('accepts standard and URL-safe base64, with or without URL-safe padding', () => {
    expect(toBase64(bytes)).toBe('+/+/AQ==');
    for (const s of ['+/+/AQ==', '-_-_AQ==', '-_-_AQ']) expect(decodeDsseBase64(s)).toEqual(bytes);
  });
  it('refuses mixed alphabets, bad characters and non-canonical trailing bits', () => {
    for (const s of ['+_+/AQ==', '+/+/AQ=', '+/+/AR==', '+/+/A Q==', '+/+/AQ'])
      expect(decodeDsseBase64(s)).toBeUndefined();
  });
});

describe('envelope structure', () => {
  const problemsOf = (text: string) => {
    const r = parseEnvelope(utf8(text));
    return r.ok ? [] : r.problems.map((p) => p.path);
  };
  it('reports every problem with its JSON path, never throws', () => {
    expect(problemsOf('not json')).toEqual(['$']);
    expect(problemsOf('[]')).toEqual(['$']);
    expect(parseEnvelope(Uint8Array.of(0xff, 0xfe)).ok).toBe(false);
    expect(problemsOf('{}')).toEqual(['$.payload', '$.payloadType', '$.signatures']);
    expect(problemsOf('{"payload":"@@","payloadType":"","signatures":[]}')).toEqual([
      '$.payload',
      '$.payloadType',
      '$.signatures',
    ]);
    expect(
      problemsOf('{"payload":"","payloadType":"t","signatures":[1,{"sig":"%"},{"sig":"AA==","keyid":7}]}'),
    ).toEqual(['$.signatures[0]', '$.signatures[1].sig', '$.signatures[2].keyid']);
  });
  it('serialises canonically: member order and whitespace of the input do not matter', () => {
    const a = parseEnvelope(
      utf8('{ "signatures": [ {"sig":"AA==", "keyid":"k"} ], "payloadType":"t", "payload":"aGk=" }'),
    );
    if (!a.ok) throw new Error('unparsed');
    expect(Buffer.from(serializeEnvelope(a.envelope)).toString()).toBe(
      '{"payload":"aGk=","payloadType":"t","signatures":[{"keyid":"k","sig":"AA=="}]}\n',
    );
  });
});

describe('Ed25519 envelopes under the pinned rules', () => {
  const seed = seedFor('report-dsse');
  const pub = publicKeyFromSeed(seed);
  const other = publicKeyFromSeed(seedFor('report-dsse-other'));
  const payload = utf8('{"_type":"x"}');
  const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, (m) => signEd25519(seed, m), 'kid');

  it('verifies with the signing key on both code paths, and not with another key', () => {
    expect(verifyEnvelopeSignature(env, payload, pub, checkEd25519)).toEqual({ ok: true, index: 0 });
    expect(verifyEnvelopeSignature(env, payload, pub, checkEd25519Node)).toEqual({ ok: true, index: 0 });
    expect(verifyEnvelopeSignature(env, payload, other, checkEd25519Node).ok).toBe(false);
  });

  it('fails for a change of any signature byte, of the payload, or of the payload type', () => {
    const sig = fromBase64(env.signatures[0]!.sig);
    for (let i = 0; i < sig.length; i++) {
      const s = sig.slice();
      flipBits(s, i, 0x01);
      const bad: DsseEnvelope = { ...env, signatures: [{ sig: toBase64(s) }] };
      expect(verifyEnvelopeSignature(bad, payload, pub, checkEd25519Node).ok, `byte ${i}`).toBe(false);
    }
    const p2 = payload.slice();
    flipBits(p2, 3, 0x20);
    expect(verifyEnvelopeSignature(env, p2, pub, checkEd25519Node).ok).toBe(false);
    expect(
      verifyEnvelopeSignature({ ...env, payloadType: 'application/json' }, payload, pub, checkEd25519Node).ok,
    ).toBe(false);
  });

  it('accepts an envelope when any one signature is by the key, whatever the keyid hints say', () => {
    const good = env.signatures[0]!;
    const junk = { keyid: 'kid', sig: toBase64(new Uint8Array(64)) };
    const multi: DsseEnvelope = { ...env, signatures: [junk, { keyid: 'misleading', sig: good.sig }] };
    expect(verifyEnvelopeSignature(multi, payload, pub, checkEd25519Node)).toEqual({ ok: true, index: 1 });
    const none = verifyEnvelopeSignature({ ...env, signatures: [junk] }, payload, pub, checkEd25519Node);
    expect(none).toMatchObject({ ok: false, reason: 'NO_VALID_SIGNATURE', tried: 1 });
  });
});

describe('statement layer', () => {
  const ok = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: 'a', digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://example.com/p/v1',
    predicate: {},
  };
  const paths = (v: unknown) => checkStatement(v).map((p) => p.path);
  it('accepts a minimal statement', () => expect(checkStatement(ok)).toEqual([]));
  it('reports each broken member', () => {
    expect(paths(null)).toEqual(['$']);
    expect(paths({ ...ok, _type: 'https://in-toto.io/Statement/v0.1' })).toEqual(['$._type']);
    expect(paths({ ...ok, subject: [] })).toEqual(['$.subject']);
    expect(
      paths({
        ...ok,
        subject: [
          { name: 'a' },
          { name: 'b', digest: { sha256: 'A'.repeat(64) } },
          { name: 'a', digest: { sha256: 'a'.repeat(64) } },
        ],
      }),
    ).toEqual(['$.subject[0].digest', '$.subject[1].digest.sha256', '$.subject[2].name']);
    expect(paths({ ...ok, predicateType: 'not a uri', predicate: [] })).toEqual(['$.predicateType', '$.predicate']);
  });
});
