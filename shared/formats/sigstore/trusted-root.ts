/**
 * Sigstore trusted roots (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`,
 * sigstore/protobuf-specs `TrustedRoot`), as the examiner imports them: trust material passed
 * in as data, never fetched (no TUF refresh) and never taken from a bundle.
 *
 * Only the transparency-log instances are used: Proofdesk verifies Rekor entries, not the
 * Fulcio certificate chain, SCTs or TSA timestamps (docs/formats.md). Each tlog's `logId.keyId`
 * is checked against its key: SHA-256(DER SPKI) for Rekor v1 (ECDSA), and
 * SHA-256(host || 0x0A || 0x01 || Ed25519 key) for Rekor v2, whose checkpoints are standard
 * Ed25519 signed notes named after the log's host (c2sp.org/signed-note key ID, in full).
 */

import { sha256 } from '../../crypto/hash.js';
import { bytesEqual, concatBytes, toHex, utf8 } from '../../encoding/bytes.js';
import { type JsonObject, JsonReader } from '../../encoding/json.js';
import { type FormatPublicKey, parsePublicKeyDer } from '../../keys/public-key.js';
import { ProofdeskError } from '../../verdict/errors.js';

const TRUSTED_ROOT_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.trustedroot';

export interface TlogInstance {
  readonly baseUrl: string;
  /** Host of baseUrl: Rekor v1 origins start with it, Rekor v2 origins equal it. */
  readonly host: string;
  readonly key: FormatPublicKey;
  readonly keyDetails: string;
  /** The 32-byte log ID that bundles name the log by. */
  readonly logId: Uint8Array;
  /** Validity window of the key, seconds since the epoch. */
  readonly validFrom?: number;
  readonly validUntil?: number;
}

export interface TrustedRoot {
  readonly mediaType: string;
  readonly tlogs: readonly TlogInstance[];
}

export function isTrustedRootJson(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as JsonObject).mediaType === 'string' &&
    ((v as JsonObject).mediaType as string).startsWith(TRUSTED_ROOT_MEDIA_TYPE_PREFIX)
  );
}

function hostOf(url: string): string | undefined {
  const m = /^https?:\/\/([^/:?#]+)(?::\d+)?(?:\/.*)?$/.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Parses a trusted root. Throws ProofdeskError('KEY_INVALID') listing every problem with its
 * JSON path when the root cannot be used (it is trust input, not evidence).
 */
export function parseTrustedRoot(v: unknown, label: string): TrustedRoot {
  const r = new JsonReader();
  const o = r.object(v, '$');
  const mediaType = o ? r.string(o.mediaType, '$.mediaType') : undefined;
  if (mediaType !== undefined && !mediaType.startsWith(TRUSTED_ROOT_MEDIA_TYPE_PREFIX))
    r.problem('$.mediaType', `not a trusted root (${mediaType})`);
  const tlogs: TlogInstance[] = [];
  const arr = o ? r.array(o.tlogs, '$.tlogs', 1000) : undefined;
  arr?.forEach((t, i) => {
    const p = `$.tlogs[${i}]`;
    const to = r.object(t, p);
    if (!to) return;
    const baseUrl = r.string(to.baseUrl, `${p}.baseUrl`, { max: 2048 });
    const host = baseUrl !== undefined ? hostOf(baseUrl) : undefined;
    if (baseUrl !== undefined && host === undefined) r.problem(`${p}.baseUrl`, 'not an http(s) URL');
    const hashAlgorithm = r.string(to.hashAlgorithm, `${p}.hashAlgorithm`, { optional: true });
    if (hashAlgorithm !== undefined && hashAlgorithm !== 'SHA2_256')
      r.problem(`${p}.hashAlgorithm`, `unsupported ${hashAlgorithm}`);
    const pk = r.object(to.publicKey, `${p}.publicKey`);
    const raw = pk ? r.base64(pk.rawBytes, `${p}.publicKey.rawBytes`, { max: 100_000 }) : undefined;
    const keyDetails = pk ? (r.string(pk.keyDetails, `${p}.publicKey.keyDetails`) ?? '') : '';
    const vf = pk?.validFor === undefined ? undefined : r.object(pk.validFor, `${p}.publicKey.validFor`);
    const validFrom = vf ? r.time(vf.start, `${p}.publicKey.validFor.start`, { optional: true }) : undefined;
    const validUntil = vf ? r.time(vf.end, `${p}.publicKey.validFor.end`, { optional: true }) : undefined;
    const lid = r.object(to.logId, `${p}.logId`);
    const logId = lid ? r.base64(lid.keyId, `${p}.logId.keyId`, { length: 32 }) : undefined;
    let key: FormatPublicKey | undefined;
    if (raw) {
      try {
        key = parsePublicKeyDer(raw);
      } catch (e) {
        r.problem(`${p}.publicKey.rawBytes`, (e as Error).message);
      }
    }
    if (!key || !logId || host === undefined || baseUrl === undefined) return;
    const expectedId =
      key.kind === 'ed25519'
        ? sha256(concatBytes(utf8(host), Uint8Array.of(0x0a, 0x01), key.publicKey))
        : sha256(key.spki);
    if (!bytesEqual(expectedId, logId)) {
      r.problem(`${p}.logId.keyId`, `does not identify the key (expected ${toHex(expectedId)})`);
      return;
    }
    tlogs.push({
      baseUrl,
      host,
      key,
      keyDetails,
      logId,
      ...(validFrom !== undefined ? { validFrom } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
    });
  });
  if (r.problems.length) {
    throw new ProofdeskError(
      'KEY_INVALID',
      `${label}: trusted root cannot be used: ${r.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
      { reason: 'TRUSTED_ROOT_INVALID' },
    );
  }
  if (tlogs.length === 0)
    throw new ProofdeskError('KEY_INVALID', `${label}: the trusted root names no transparency log`, {
      reason: 'TRUSTED_ROOT_EMPTY',
    });
  return { mediaType: mediaType!, tlogs };
}
