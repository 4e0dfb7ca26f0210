/**
 * Judging each digest's RSA signature under the examiner's CloudTrail keys. A digest without a
 * sidecar takes the signature its successor states for it; the successor's own signature then
 * vouches for it, so the digests are judged newest first.
 */
import { utf8 } from '../../../../shared/encoding/bytes.js';
import {
  CLOUDTRAIL_SIGNATURE_ALGORITHM,
  cloudTrailStringToSign,
} from '../../../../shared/formats/cloudtrail/digest.js';
import type { CloudTrailKey } from '../../../../shared/formats/cloudtrail/public-keys.js';
import { counts, judgeKeyWindow } from '../../../../shared/keys/validity.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { verifyRsaSha256Node } from '../../../platform/crypto-node.js';
import { type DigestsByLocation, type LoadedDigest, previousIn } from './digests.js';
import { SIDECAR } from './export.js';

/** Sets each digest's status (trusted, rejected or left untrusted), recording why it is not trusted. */
export function judgeDigestSignatures(
  digests: readonly LoadedDigest[],
  byLocation: DigestsByLocation,
  keys: readonly CloudTrailKey[],
  F: Finding[],
): void {
  const successor = new Map<LoadedDigest, LoadedDigest>();
  for (const d of digests) {
    const prev = previousIn(byLocation, d);
    if (prev) successor.set(prev, d);
  }
  for (let i = digests.length - 1; i >= 0; i--) {
    const d = digests[i]!;
    judgeDigestSignature(d, successor.get(d), keys, F);
  }
}

function judgeDigestSignature(
  d: LoadedDigest,
  next: LoadedDigest | undefined,
  keys: readonly CloudTrailKey[],
  F: Finding[],
): void {
  if (d.signature === undefined) takeSuccessorSignature(d, next);
  const loc = { file: d.path };
  if (d.digest.digestSignatureAlgorithm !== CLOUDTRAIL_SIGNATURE_ALGORITHM) {
    F.push(
      finding(
        'DOCUMENT_INVALID',
        { ...loc, path: '$.digestSignatureAlgorithm' },
        `unsupported ${d.digest.digestSignatureAlgorithm}`,
      ),
    );
    d.status = 'rejected';
    return;
  }
  if (d.signature === undefined) {
    F.push(
      finding(
        'KEY_UNTRUSTED',
        loc,
        `no signature for this digest: neither ${d.path}${SIDECAR} nor a verified later digest states it`,
      ),
    );
    return;
  }
  const key = signingKey(d, d.signature, keys, F);
  if (!key) return;
  d.key = key;
  if (!keyValidAtEnd(d, key, F)) {
    d.outsideWindow = true;
    return;
  }
  d.status = 'trusted';
}

/** Only a successor that is itself trusted can vouch for the signature it states. */
function takeSuccessorSignature(d: LoadedDigest, next: LoadedDigest | undefined): void {
  if (next && next.status === 'trusted' && next.digest.previous) {
    d.signature = next.digest.previous.signature;
    d.signatureFrom = 'successor';
  }
}

/** The trusted key with the digest's fingerprint under which its signature verifies; a bad signature rejects the digest. */
function signingKey(
  d: LoadedDigest,
  signature: string,
  keys: readonly CloudTrailKey[],
  F: Finding[],
): CloudTrailKey | undefined {
  const fingerprint = d.digest.digestPublicKeyFingerprint;
  const candidates = keys.filter((k) => k.fingerprint === fingerprint);
  if (candidates.length === 0) {
    F.push(
      finding(
        'KEY_UNTRUSTED',
        { file: d.path },
        `the digest is signed by key ${fingerprint}, which is not among the trusted CloudTrail keys`,
        { fingerprint },
      ),
    );
    return undefined;
  }
  const message = utf8(cloudTrailStringToSign(d.digest, d.sha256));
  const sig = Buffer.from(signature, 'hex');
  const key = candidates.find((k) => verifyRsaSha256Node(k.key.pkcs1, message, sig));
  if (!key) {
    d.status = 'rejected';
    F.push(
      finding(
        'SIGNATURE_INVALID',
        { file: d.path },
        `the digest signature (from ${d.signatureFrom}) does not verify under trusted key ${fingerprint}`,
        { fingerprint, source: d.signatureFrom ?? 'none' },
      ),
    );
  }
  return key;
}

/** digestEndTime is inside the signed string: a time the judged key signed (validity.ts "keySigned"). */
function keyValidAtEnd(d: LoadedDigest, key: CloudTrailKey, F: Finding[]): boolean {
  if (counts(judgeKeyWindow({ validFrom: key.validFrom, validUntil: key.validUntil }, { keySigned: d.digest.endTime })))
    return true;
  F.push(
    finding(
      'KEY_NOT_VALID_AT_TIME',
      { file: d.path },
      `key ${key.fingerprint} is valid from ${new Date(key.validFrom * 1000).toISOString()} to ${new Date(key.validUntil * 1000).toISOString()}, not at ${d.digest.digestEndTime}`,
      { fingerprint: key.fingerprint, time: d.digest.digestEndTime },
    ),
  );
  return false;
}
