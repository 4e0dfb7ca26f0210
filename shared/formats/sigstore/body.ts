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

type MessageContent = Extract<BundleContent, { kind: 'message' }>;
type DsseContent = Extract<BundleContent, { kind: 'dsse' }>;

/** Records a mismatch unless both strings are present and equal. */
function eq(
  out: BodyMismatch[],
  path: string,
  what: string,
  expected: string | undefined,
  actual: string | undefined,
): void {
  if (expected === undefined || actual === undefined || expected !== actual)
    out.push({
      path,
      what,
      ...(expected !== undefined ? { expected } : {}),
      ...(actual !== undefined ? { actual } : {}),
    });
}

/** Records a mismatch (as hex) unless both byte strings are present and equal. */
function eqBytes(
  out: BodyMismatch[],
  path: string,
  what: string,
  expected: Uint8Array | undefined,
  actual: Uint8Array | undefined,
): void {
  if (!expected || !actual || !bytesEqual(expected, actual))
    out.push({
      path,
      what,
      ...(expected ? { expected: toHex(expected) } : {}),
      ...(actual ? { actual: toHex(actual) } : {}),
    });
}

/** The body as a JSON object, or undefined when it is not UTF-8 JSON of an object. */
function bodyObject(body: Uint8Array): J | undefined {
  const text = tryDecodeUtf8(body);
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return obj(json);
}

/** The entry kind cannot describe this kind of bundle content: nothing further is compared. */
function wrongContent(out: readonly BodyMismatch[], what: string): BodyCheck {
  return { ok: false, mismatches: [...out, { path: '$.kind', what }] };
}

const HASHEDREKORD_FOR_DSSE = 'a hashedrekord entry for a DSSE bundle';
const DSSE_FOR_MESSAGE = 'a dsse entry for a message-signature bundle';

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
  const b = bodyObject(body);
  if (!b) return { ok: false, mismatches: [{ path: '$', what: 'the body is not a JSON object' }] };
  const out: BodyMismatch[] = [];
  eq(out, '$.kind', 'entry kind', kind, str(b.kind));
  eq(out, '$.apiVersion', 'entry version', version, str(b.apiVersion));
  const spec = obj(b.spec);
  const key = `${kind} ${version}`;
  switch (key) {
    case 'hashedrekord 0.0.1':
      if (content.kind !== 'message') return wrongContent(out, HASHEDREKORD_FOR_DSSE);
      hashedRekordV001(out, spec, content, signer);
      break;
    case 'hashedrekord 0.0.2':
      if (content.kind !== 'message') return wrongContent(out, HASHEDREKORD_FOR_DSSE);
      hashedRekordV002(out, spec, content, signer);
      break;
    case 'dsse 0.0.1':
      if (content.kind !== 'dsse') return wrongContent(out, DSSE_FOR_MESSAGE);
      dsseV001(out, spec, content, signer, sha256);
      break;
    case 'dsse 0.0.2':
      if (content.kind !== 'dsse') return wrongContent(out, DSSE_FOR_MESSAGE);
      dsseV002(out, spec, content, signer, sha256);
      break;
    default:
      return { ok: false, unsupported: key, mismatches: out };
  }
  return out.length ? { ok: false, mismatches: out } : { ok: true };
}

function hashedRekordV001(
  out: BodyMismatch[],
  spec: J | undefined,
  content: MessageContent,
  signer: Uint8Array | undefined,
): void {
  const hash = obj(obj(spec?.data)?.hash);
  eq(out, '$.spec.data.hash.algorithm', 'digest algorithm', 'sha256', str(hash?.algorithm));
  eq(out, '$.spec.data.hash.value', 'artifact digest', toHex(content.digest), str(hash?.value)?.toLowerCase());
  const sig = obj(spec?.signature);
  eq(out, '$.spec.signature.content', 'signature', toBase64(content.signature), str(sig?.content));
  if (signer)
    eqBytes(
      out,
      '$.spec.signature.publicKey.content',
      'signing certificate',
      signer,
      pemDerFromBase64(str(obj(sig?.publicKey)?.content)),
    );
}

function hashedRekordV002(
  out: BodyMismatch[],
  spec: J | undefined,
  content: MessageContent,
  signer: Uint8Array | undefined,
): void {
  const v2 = obj(spec?.hashedRekordV002);
  const data = obj(v2?.data);
  eq(out, '$.spec.hashedRekordV002.data.algorithm', 'digest algorithm', 'SHA2_256', str(data?.algorithm));
  eq(out, '$.spec.hashedRekordV002.data.digest', 'artifact digest', toBase64(content.digest), str(data?.digest));
  const sig = obj(v2?.signature);
  eq(out, '$.spec.hashedRekordV002.signature.content', 'signature', toBase64(content.signature), str(sig?.content));
  if (signer)
    eqBytes(
      out,
      '$.spec.hashedRekordV002.signature.verifier',
      'signing certificate',
      signer,
      verifierDer(sig?.verifier),
    );
}

/** The logged signature list has as many members as the envelope's. */
function signatureCount(out: BodyMismatch[], path: string, content: DsseContent, sigs: readonly unknown[]): void {
  if (sigs.length !== content.signatures.length)
    out.push({
      path,
      what: 'number of signatures',
      expected: String(content.signatures.length),
      actual: String(sigs.length),
    });
}

function dsseV001(
  out: BodyMismatch[],
  spec: J | undefined,
  content: DsseContent,
  signer: Uint8Array | undefined,
  sha256: Sha256,
): void {
  const ph = obj(spec?.payloadHash);
  eq(out, '$.spec.payloadHash.algorithm', 'payload hash algorithm', 'sha256', str(ph?.algorithm));
  eq(out, '$.spec.payloadHash.value', 'payload hash', toHex(sha256(content.payload)), str(ph?.value)?.toLowerCase());
  const sigs = Array.isArray(spec?.signatures) ? (spec!.signatures as unknown[]) : [];
  signatureCount(out, '$.spec.signatures', content, sigs);
  for (let i = 0; i < content.signatures.length; i++) {
    const e = obj(sigs[i]);
    eq(
      out,
      `$.spec.signatures[${i}].signature`,
      'envelope signature',
      toBase64(content.signatures[i]!),
      str(e?.signature),
    );
    if (signer)
      eqBytes(
        out,
        `$.spec.signatures[${i}].verifier`,
        'signing certificate',
        signer,
        pemDerFromBase64(str(e?.verifier)),
      );
  }
}

function dsseV002(
  out: BodyMismatch[],
  spec: J | undefined,
  content: DsseContent,
  signer: Uint8Array | undefined,
  sha256: Sha256,
): void {
  const v2 = obj(spec?.dsseV002);
  const ph = obj(v2?.payloadHash);
  eq(out, '$.spec.dsseV002.payloadHash.algorithm', 'payload hash algorithm', 'SHA2_256', str(ph?.algorithm));
  eq(out, '$.spec.dsseV002.payloadHash.digest', 'payload hash', toBase64(sha256(content.payload)), str(ph?.digest));
  const sigs = Array.isArray(v2?.signatures) ? (v2!.signatures as unknown[]) : [];
  signatureCount(out, '$.spec.dsseV002.signatures', content, sigs);
  for (let i = 0; i < content.signatures.length; i++) {
    const e = obj(sigs[i]);
    eq(
      out,
      `$.spec.dsseV002.signatures[${i}].content`,
      'envelope signature',
      toBase64(content.signatures[i]!),
      str(e?.content),
    );
    if (signer)
      eqBytes(
        out,
        `$.spec.dsseV002.signatures[${i}].verifier`,
        'signing certificate',
        signer,
        verifierDer(e?.verifier),
      );
  }
}
