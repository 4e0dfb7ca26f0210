/**
 * The two fields Proofdesk reads from an X.509 certificate (RFC 5280 §4.1): the subject public
 * key and the validity period. The certificate's own signature and chain are NOT verified here
 * (docs/formats.md: the Fulcio chain is outside what Proofdesk checks for Sigstore bundles).
 */
import { decodeTime, readChildren, readWhole, TAG } from '../encoding/der.js';
import { type FormatPublicKey, parsePublicKeyDer } from './public-key.js';

export interface CertificateFields {
  readonly publicKey: FormatPublicKey;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Reads subjectPublicKeyInfo and validity from a DER certificate; a reason string when it cannot. */
export function readCertificate(der: Uint8Array): CertificateFields | string {
  const cert = readWhole(der, TAG.SEQUENCE);
  const top = cert && readChildren(cert.value);
  if (top?.length !== 3 || top[0]!.tag !== TAG.SEQUENCE) return 'not a DER Certificate';
  const tbs = readChildren(top[0]!.value);
  if (!tbs) return 'malformed TBSCertificate';
  // version [0] EXPLICIT is optional (RFC 5280 §4.1: DEFAULT v1).
  const i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const validity = tbs[i + 3];
  const spki = tbs[i + 5];
  if (!validity || validity.tag !== TAG.SEQUENCE || !spki || spki.tag !== TAG.SEQUENCE)
    return 'TBSCertificate lacks validity or subjectPublicKeyInfo';
  const times = readChildren(validity.value);
  if (times?.length !== 2) return 'malformed validity';
  const notBefore = decodeTime(times[0]!);
  const notAfter = decodeTime(times[1]!);
  if (notBefore === undefined || notAfter === undefined) return 'malformed validity time';
  let publicKey: FormatPublicKey;
  try {
    publicKey = parsePublicKeyDer(spki.raw.slice());
  } catch (e) {
    return `subject public key: ${(e as Error).message}`;
  }
  return { publicKey, notBefore, notAfter };
}
