/**
 * Does a Rekor entry body describe the bundle it is shipped with? The canonicalized body is
 * the Merkle leaf, so this is what ties the verified log entry to the bundle's digest,
 * signature and signing certificate. Kinds (sigstore/rekor `pkg/types`, rekor-tiles for v2):
 *
 *  - hashedrekord 0.0.1: spec.data.hash {algorithm "sha256", value hex}, spec.signature.content
 *    (base64 signature), spec.signature.publicKey.content (base64 of the PEM certificate/key);
 *  - hashedrekord 0.0.2: spec.hashedRekordV002.data {algorithm "SHA2_256", digest base64},
 *    .signature {content, verifier {x509Certificate.rawBytes | publicKey.rawBytes}};
 *  - dsse 0.0.1: spec.payloadHash {algorithm "sha256", value hex} of the payload, and
 *    spec.signatures [{signature, verifier (base64 PEM)}] equal to the envelope's;
 *  - dsse 0.0.2: spec.dsseV002.payloadHash {algorithm "SHA2_256", digest base64},
 *    .signatures [{content, verifier {x509Certificate.rawBytes | publicKey.rawBytes}}].
 *
 * The dsse 0.0.1 `envelopeHash` is not compared: it hashes the envelope as Rekor re-serialised
 * it, which the bundle does not carry (sigstore-js does not compare it either).
 */

import type { Sha256 } from '../../crypto/hash.js';
import { bytesEqual, toBase64, toHex, tryDecodeUtf8, tryFromBase64 } from '../../encoding/bytes.js';
import { pemBlocks } from '../../encoding/pem.js';
import type { BundleContent } from './bundle.js';

export interface BodyMismatch {
  /** JSON path inside the decoded body. */
  readonly path: string;
  readonly what: string;
  readonly expected?: string;
  readonly actual?: string;
}

export type BodyCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly unsupported?: string; readonly mismatches: readonly BodyMismatch[] };

type J = { readonly [k: string]: unknown };
const obj = (v: unknown): J | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as J) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** DER of the certificate (or key) inside a base64-encoded PEM, as hashedrekord 0.0.1 and dsse 0.0.1 store the verifier. */
function pemDerFromBase64(b64: string | undefined): Uint8Array | undefined {
  if (b64 === undefined) return undefined;
  const pemBytes = tryFromBase64(b64);
  const pem = pemBytes && tryDecodeUtf8(pemBytes);
  return pem ? pemBlocks(pem)[0]?.der : undefined;
}

function verifierDer(v: unknown): Uint8Array | undefined {
  const o = obj(v);
  const raw = str(obj(o?.x509Certificate)?.rawBytes) ?? str(obj(o?.publicKey)?.rawBytes);
  return raw !== undefined ? tryFromBase64(raw) : undefined;
}

/**
 * Compares the body with the bundle content. `signer` is the DER of the bundle's certificate
 * (or undefined for key-signed bundles, whose verifier is then not compared).
 */
export function checkBody(
  body: Uint8Array,
  kind: string,
  version: string,
  content: BundleContent,
  signer: Uint8Array | undefined,
  sha256: Sha256,
): BodyCheck {
  const text = tryDecodeUtf8(body);
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const b = obj(json);
  if (!b) return { ok: false, mismatches: [{ path: '$', what: 'the body is not a JSON object' }] };
  const out: BodyMismatch[] = [];
  const eq = (path: string, what: string, expected: string | undefined, actual: string | undefined) => {
    if (expected === undefined || actual === undefined || expected !== actual)
      out.push({
        path,
        what,
        ...(expected !== undefined ? { expected } : {}),
        ...(actual !== undefined ? { actual } : {}),
      });
  };
  const eqBytes = (path: string, what: string, expected: Uint8Array | undefined, actual: Uint8Array | undefined) => {
    if (!expected || !actual || !bytesEqual(expected, actual))
      out.push({
        path,
        what,
        ...(expected ? { expected: toHex(expected) } : {}),
        ...(actual ? { actual: toHex(actual) } : {}),
      });
  };
  eq('$.kind', 'entry kind', kind, str(b.kind));
  eq('$.apiVersion', 'entry version', version, str(b.apiVersion));
  const spec = obj(b.spec);
  const key = `${kind} ${version}`;
  switch (key) {
    case 'hashedrekord 0.0.1': {
      if (content.kind !== 'message')
        return { ok: false, mismatches: [...out, { path: '$.kind', what: 'a hashedrekord entry for a DSSE bundle' }] };
      const hash = obj(obj(spec?.data)?.hash);
      eq('$.spec.data.hash.algorithm', 'digest algorithm', 'sha256', str(hash?.algorithm));
      eq('$.spec.data.hash.value', 'artifact digest', toHex(content.digest), str(hash?.value)?.toLowerCase());
      const sig = obj(spec?.signature);
      eq('$.spec.signature.content', 'signature', toBase64(content.signature), str(sig?.content));
      if (signer)
        eqBytes(
          '$.spec.signature.publicKey.content',
          'signing certificate',
          signer,
          pemDerFromBase64(str(obj(sig?.publicKey)?.content)),
        );
      break;
    }
    case 'hashedrekord 0.0.2': {
      if (content.kind !== 'message')
        return { ok: false, mismatches: [...out, { path: '$.kind', what: 'a hashedrekord entry for a DSSE bundle' }] };
      const v2 = obj(spec?.hashedRekordV002);
      const data = obj(v2?.data);
      eq('$.spec.hashedRekordV002.data.algorithm', 'digest algorithm', 'SHA2_256', str(data?.algorithm));
      eq('$.spec.hashedRekordV002.data.digest', 'artifact digest', toBase64(content.digest), str(data?.digest));
      const sig = obj(v2?.signature);
      eq('$.spec.hashedRekordV002.signature.content', 'signature', toBase64(content.signature), str(sig?.content));
      if (signer)
        eqBytes(
          '$.spec.hashedRekordV002.signature.verifier',
          'signing certificate',
          signer,
          verifierDer(sig?.verifier),
        );
      break;
    }
    case 'dsse 0.0.1': {
      if (content.kind !== 'dsse')
        return {
          ok: false,
          mismatches: [...out, { path: '$.kind', what: 'a dsse entry for a message-signature bundle' }],
        };
      const ph = obj(spec?.payloadHash);
      eq('$.spec.payloadHash.algorithm', 'payload hash algorithm', 'sha256', str(ph?.algorithm));
      eq('$.spec.payloadHash.value', 'payload hash', toHex(sha256(content.payload)), str(ph?.value)?.toLowerCase());
      const sigs = Array.isArray(spec?.signatures) ? (spec!.signatures as unknown[]) : [];
      if (sigs.length !== content.signatures.length)
        out.push({
          path: '$.spec.signatures',
          what: 'number of signatures',
          expected: String(content.signatures.length),
          actual: String(sigs.length),
        });
      content.signatures.forEach((s, i) => {
        const e = obj(sigs[i]);
        eq(`$.spec.signatures[${i}].signature`, 'envelope signature', toBase64(s), str(e?.signature));
        if (signer)
          eqBytes(
            `$.spec.signatures[${i}].verifier`,
            'signing certificate',
            signer,
            pemDerFromBase64(str(e?.verifier)),
          );
      });
      break;
    }
    case 'dsse 0.0.2': {
      if (content.kind !== 'dsse')
        return {
          ok: false,
          mismatches: [...out, { path: '$.kind', what: 'a dsse entry for a message-signature bundle' }],
        };
      const v2 = obj(spec?.dsseV002);
      const ph = obj(v2?.payloadHash);
      eq('$.spec.dsseV002.payloadHash.algorithm', 'payload hash algorithm', 'SHA2_256', str(ph?.algorithm));
      eq('$.spec.dsseV002.payloadHash.digest', 'payload hash', toBase64(sha256(content.payload)), str(ph?.digest));
      const sigs = Array.isArray(v2?.signatures) ? (v2!.signatures as unknown[]) : [];
      if (sigs.length !== content.signatures.length)
        out.push({
          path: '$.spec.dsseV002.signatures',
          what: 'number of signatures',
          expected: String(content.signatures.length),
          actual: String(sigs.length),
        });
      content.signatures.forEach((s, i) => {
        const e = obj(sigs[i]);
        eq(`$.spec.dsseV002.signatures[${i}].content`, 'envelope signature', toBase64(s), str(e?.content));
        if (signer)
          eqBytes(`$.spec.dsseV002.signatures[${i}].verifier`, 'signing certificate', signer, verifierDer(e?.verifier));
      });
      break;
    }
    default:
      return { ok: false, unsupported: key, mismatches: out };
  }
  return out.length ? { ok: false, mismatches: out } : { ok: true };
}
