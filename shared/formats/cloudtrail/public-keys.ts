/**
 * CloudTrail digest-signing public keys as the examiner exports them with
 * `aws cloudtrail list-public-keys --start-time … --end-time … --region …` (AWS CloudTrail API
 * reference, ListPublicKeys): `{"PublicKeyList": [{"Value", "ValidityStartTime",
 * "ValidityEndTime", "Fingerprint"}]}`. `Value` is the base64 DER PKCS#1 RSAPublicKey; times are
 * what the AWS CLI prints (ISO 8601 / RFC 3339 strings, or epoch seconds with
 * --cli-timestamp-format); `Fingerprint` is the hex identifier digests name their key by
 * (`digestPublicKeyFingerprint`). AWS does not document how the fingerprint is derived, so it is
 * matched as an opaque identifier, exactly as the AWS CLI's `validate-logs` matches it.
 */

import { type JsonObject, JsonReader } from '../../encoding/json.js';
import { type FormatPublicKey, parsePublicKeyDer } from '../../keys/public-key.js';
import { ProofdeskError } from '../../verdict/errors.js';

export interface CloudTrailKey {
  readonly fingerprint: string;
  readonly key: FormatPublicKey & { readonly kind: 'rsa' };
  /** Validity window, seconds since the epoch. */
  readonly validFrom: number;
  readonly validUntil: number;
  readonly label: string;
}

export function isCloudTrailKeyList(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Array.isArray((v as JsonObject).PublicKeyList);
}

function time(r: JsonReader, v: unknown, path: string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : r.problem(path, 'expected epoch seconds');
  return r.time(v, path);
}

/** Parses a ListPublicKeys output. Throws ProofdeskError('KEY_INVALID') listing every problem. */
export function parseCloudTrailKeyList(v: unknown, label: string): CloudTrailKey[] {
  const r = new JsonReader();
  const o = r.object(v, '$');
  const list = o ? r.array(o.PublicKeyList, '$.PublicKeyList', 10_000) : undefined;
  const out: CloudTrailKey[] = [];
  list?.forEach((k, i) => {
    const p = `$.PublicKeyList[${i}]`;
    const ko = r.object(k, p);
    if (!ko) return;
    const der = r.base64(ko.Value, `${p}.Value`, { max: 100_000 });
    const fingerprint = r.string(ko.Fingerprint, `${p}.Fingerprint`, { max: 256 });
    const validFrom = time(r, ko.ValidityStartTime, `${p}.ValidityStartTime`);
    const validUntil = time(r, ko.ValidityEndTime, `${p}.ValidityEndTime`);
    if (fingerprint !== undefined && !/^[0-9a-fA-F]+$/.test(fingerprint)) r.problem(`${p}.Fingerprint`, 'expected hex');
    let key: FormatPublicKey | undefined;
    if (der) {
      try {
        key = parsePublicKeyDer(der);
        if (key.kind !== 'rsa') r.problem(`${p}.Value`, `expected an RSA key, got ${key.kind}`);
      } catch (e) {
        r.problem(`${p}.Value`, (e as Error).message);
      }
    }
    if (key?.kind !== 'rsa' || fingerprint === undefined || validFrom === undefined || validUntil === undefined) return;
    if (validUntil < validFrom) r.problem(p, 'ValidityEndTime is before ValidityStartTime');
    out.push({
      fingerprint: fingerprint.toLowerCase(),
      key,
      validFrom,
      validUntil,
      label: `${label}${list.length > 1 ? `#${i}` : ''}`,
    });
  });
  if (r.problems.length) {
    throw new ProofdeskError(
      'KEY_INVALID',
      `${label}: CloudTrail key list cannot be used: ${r.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
      { reason: 'CLOUDTRAIL_KEYS_INVALID' },
    );
  }
  if (out.length === 0)
    throw new ProofdeskError('KEY_INVALID', `${label}: the CloudTrail key list is empty`, {
      reason: 'CLOUDTRAIL_KEYS_EMPTY',
    });
  return out;
}
