/**
 * checkBody (shared/formats/sigstore/body.ts): does a Rekor entry body describe the bundle it
 * ships with? The real bodies of the sigstore-conformance bundles (hashedrekord 0.0.1 and 0.0.2,
 * dsse 0.0.1), a dsse 0.0.2 body written here from the rekor-tiles field layout, and bodies that
 * differ in one field, or are not JSON at all: a mismatch with its JSON path, never an exception.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../../shared/crypto/hash.js';
import { fromBase64, toBase64, toHex, utf8 } from '../../../../../shared/encoding/bytes.js';
import { checkBody } from '../../../../../shared/formats/sigstore/body.js';
import { parseSigstoreBundle, type SigstoreBundle } from '../../../../../shared/formats/sigstore/bundle.js';
import { readVectorJson, readVectorText } from '../../../../support/vectors.js';

function bundle(dir: string): SigstoreBundle {
  const r = parseSigstoreBundle(readVectorJson('sigstore', 'conformance', dir, 'bundle.sigstore.json'), utf8);
  if (!r.bundle) throw new Error(JSON.stringify(r.problems));
  return r.bundle;
}

/** Judges `body` as the bundle's first entry, with the bundle's certificate as the signer. */
function check(b: SigstoreBundle, body: Uint8Array = b.tlogEntries[0]!.body) {
  const e = b.tlogEntries[0]!;
  return checkBody(body, e.kind, e.version, b.content, b.certificate, sha256);
}

/** The body as JSON, changed by `edit`, encoded again. */
function edited(b: SigstoreBundle, edit: (j: any) => void): Uint8Array {
  const j = JSON.parse(new TextDecoder().decode(b.tlogEntries[0]!.body));
  edit(j);
  return utf8(JSON.stringify(j));
}

const paths = (r: ReturnType<typeof checkBody>) => (r.ok ? [] : r.mismatches.map((m) => m.path));

const v1 = bundle('happy-path-v0.3');
const dsse = bundle('happy-path-intoto-in-dsse-v3');
const v2 = bundle('rekor2-happy-path');

describe('checkBody on the conformance bundles', () => {
  it('the three valid bundles are described by their bodies', () => {
    expect([v1, dsse, v2].map((b) => `${b.tlogEntries[0]!.kind} ${b.tlogEntries[0]!.version}`)).toEqual([
      'hashedrekord 0.0.1',
      'dsse 0.0.1',
      'hashedrekord 0.0.2',
    ]);
    for (const b of [v1, dsse, v2]) expect(check(b)).toEqual({ ok: true });
  });

  it('the hashedrekord digest is the SHA-256 of the conformance artifact', () => {
    const artifact = createHash('sha256')
      .update(readVectorText('sigstore', 'conformance', 'a.txt'))
      .digest('hex');
    const body = JSON.parse(new TextDecoder().decode(v1.tlogEntries[0]!.body));
    expect(body.spec.data.hash.value).toBe(artifact);
    expect(v1.content.kind === 'message' && toHex(v1.content.digest)).toBe(artifact);
  });

  it('hashedrekord 0.0.1: another digest, signature, certificate or algorithm is named with expected and actual', () => {
    const other = toHex(sha256(utf8('another artifact')));
    const r = check(
      v1,
      edited(v1, (j) => (j.spec.data.hash.value = other)),
    );
    expect(r).toEqual({
      ok: false,
      mismatches: [
        {
          path: '$.spec.data.hash.value',
          what: 'artifact digest',
          expected: toHex((v1.content as { digest: Uint8Array }).digest),
          actual: other,
        },
      ],
    });
    // Upper-case hex is the same digest.
    expect(
      check(
        v1,
        edited(v1, (j) => (j.spec.data.hash.value = j.spec.data.hash.value.toUpperCase())),
      ),
    ).toEqual({ ok: true });
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => (j.spec.data.hash.algorithm = 'sha512')),
        ),
      ),
    ).toEqual(['$.spec.data.hash.algorithm']);
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => (j.spec.signature.content = toBase64(new Uint8Array(70)))),
        ),
      ),
    ).toEqual(['$.spec.signature.content']);
    const pem = `-----BEGIN CERTIFICATE-----\n${toBase64(dsse.certificate!)}\n-----END CERTIFICATE-----\n`;
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => (j.spec.signature.publicKey.content = toBase64(utf8(pem)))),
        ),
      ),
    ).toEqual(['$.spec.signature.publicKey.content']);
    // A key-signed bundle has no certificate to compare: the verifier member is then not judged.
    const garbage = edited(v1, (j) => (j.spec.signature.publicKey.content = 'garbage'));
    expect(checkBody(garbage, 'hashedrekord', '0.0.1', v1.content, undefined, sha256)).toEqual({ ok: true });
    expect(paths(check(v1, garbage))).toEqual(['$.spec.signature.publicKey.content']);
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => delete j.spec),
        ),
      ),
    ).toEqual([
      '$.spec.data.hash.algorithm',
      '$.spec.data.hash.value',
      '$.spec.signature.content',
      '$.spec.signature.publicKey.content',
    ]);
  });

  it('hashedrekord 0.0.2: base64 digest, SHA2_256, the x509Certificate verifier', () => {
    expect(
      paths(
        check(
          v2,
          edited(v2, (j) => (j.spec.hashedRekordV002.data.digest = toBase64(new Uint8Array(32)))),
        ),
      ),
    ).toEqual(['$.spec.hashedRekordV002.data.digest']);
    expect(
      paths(
        check(
          v2,
          edited(v2, (j) => (j.spec.hashedRekordV002.data.algorithm = 'sha256')),
        ),
      ),
    ).toEqual(['$.spec.hashedRekordV002.data.algorithm']);
    expect(
      paths(
        check(
          v2,
          edited(
            v2,
            (j) => (j.spec.hashedRekordV002.signature.verifier = { publicKey: { rawBytes: toBase64(utf8('k')) } }),
          ),
        ),
      ),
    ).toEqual(['$.spec.hashedRekordV002.signature.verifier']);
  });

  it('dsse 0.0.1: payload hash and every envelope signature with its verifier', () => {
    const payloadHash = toHex(sha256((dsse.content as { payload: Uint8Array }).payload));
    expect(JSON.parse(new TextDecoder().decode(dsse.tlogEntries[0]!.body)).spec.payloadHash.value).toBe(payloadHash);
    expect(
      paths(
        check(
          dsse,
          edited(dsse, (j) => (j.spec.payloadHash.value = toHex(new Uint8Array(32)))),
        ),
      ),
    ).toEqual(['$.spec.payloadHash.value']);
    expect(
      paths(
        check(
          dsse,
          edited(dsse, (j) => (j.spec.signatures[0].signature = toBase64(new Uint8Array(8)))),
        ),
      ),
    ).toEqual(['$.spec.signatures[0].signature']);
    expect(
      paths(
        check(
          dsse,
          edited(dsse, (j) => j.spec.signatures.push(j.spec.signatures[0])),
        ),
      ),
    ).toEqual(['$.spec.signatures']);
    expect(
      paths(
        check(
          dsse,
          edited(dsse, (j) => (j.spec.signatures = [])),
        ),
      ),
    ).toEqual(['$.spec.signatures', '$.spec.signatures[0].signature', '$.spec.signatures[0].verifier']);
    // envelopeHash hashes Rekor's re-serialisation, which the bundle does not carry: not compared.
    expect(
      check(
        dsse,
        edited(dsse, (j) => (j.spec.envelopeHash.value = toHex(new Uint8Array(32)))),
      ),
    ).toEqual({ ok: true });
  });

  it('dsse 0.0.2, written from the rekor-tiles field layout', () => {
    const c = dsse.content as { payload: Uint8Array; signatures: readonly Uint8Array[] };
    const body = {
      apiVersion: '0.0.2',
      kind: 'dsse',
      spec: {
        dsseV002: {
          payloadHash: { algorithm: 'SHA2_256', digest: toBase64(sha256(c.payload)) },
          signatures: c.signatures.map((s) => ({
            content: toBase64(s),
            verifier: {
              keyDetails: 'PKIX_ECDSA_P256_SHA_256',
              x509Certificate: { rawBytes: toBase64(dsse.certificate!) },
            },
          })),
        },
      },
    };
    const run = (b: unknown) =>
      checkBody(utf8(JSON.stringify(b)), 'dsse', '0.0.2', dsse.content, dsse.certificate, sha256);
    expect(run(body)).toEqual({ ok: true });
    const wrong = structuredClone(body);
    wrong.spec.dsseV002.payloadHash.digest = toBase64(new Uint8Array(32));
    wrong.spec.dsseV002.signatures[0]!.verifier.x509Certificate.rawBytes = toBase64(v1.certificate!);
    expect(paths(run(wrong))).toEqual(['$.spec.dsseV002.payloadHash.digest', '$.spec.dsseV002.signatures[0].verifier']);
  });
});

describe('checkBody on bodies that are not what the entry says', () => {
  it('a body that is not a UTF-8 JSON object is one mismatch at $', () => {
    for (const body of [
      Uint8Array.of(0xff, 0xfe),
      utf8('{"kind":'),
      utf8('[]'),
      utf8('null'),
      utf8('"hashedrekord"'),
      new Uint8Array(0),
    ]) {
      expect(check(v1, body)).toEqual({
        ok: false,
        mismatches: [{ path: '$', what: 'the body is not a JSON object' }],
      });
    }
  });

  it('a kind or version the entry does not state, or one Proofdesk does not know, is reported as such', () => {
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => (j.kind = 'rekord')),
        ),
      ),
    ).toEqual(['$.kind']);
    expect(
      paths(
        check(
          v1,
          edited(v1, (j) => (j.apiVersion = '0.0.2')),
        ),
      ),
    ).toEqual(['$.apiVersion']);
    const intoto = checkBody(v1.tlogEntries[0]!.body, 'intoto', '0.0.2', v1.content, v1.certificate, sha256);
    expect(intoto).toEqual({
      ok: false,
      unsupported: 'intoto 0.0.2',
      mismatches: [expect.objectContaining({ path: '$.kind' }), expect.objectContaining({ path: '$.apiVersion' })],
    });
  });

  it('an entry kind for the other kind of bundle content is a mismatch, not a crash', () => {
    expect(paths(checkBody(v1.tlogEntries[0]!.body, 'hashedrekord', '0.0.1', dsse.content, undefined, sha256))).toEqual(
      ['$.kind'],
    );
    expect(paths(checkBody(dsse.tlogEntries[0]!.body, 'dsse', '0.0.1', v1.content, undefined, sha256))).toEqual([
      '$.kind',
    ]);
    expect(paths(checkBody(v2.tlogEntries[0]!.body, 'hashedrekord', '0.0.2', dsse.content, undefined, sha256))).toEqual(
      ['$.kind'],
    );
  });

  it('every truncation of a real body is rejected without an exception', () => {
    const body = v2.tlogEntries[0]!.body;
    for (let i = 0; i < body.length; i++) expect(check(v2, body.subarray(0, i)).ok, `first ${i} bytes`).toBe(false);
    expect(fromBase64(v2.tlogEntries[0]!.bodyBase64)).toEqual(body);
  });
});
