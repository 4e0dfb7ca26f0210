/**
 * Certificate Transparency (RFC 6962) evidence saved to files: signed tree heads as `get-sth`
 * returns them (§4.3), and proofs as `get-sth-consistency` (§4.4) and `get-proof-by-hash`
 * (§4.5) return them, with the request parameters those responses leave out written beside them
 * (docs/formats.md "Certificate Transparency"):
 *
 *   STH          {"tree_size", "timestamp", "sha256_root_hash", "tree_head_signature"}
 *   consistency  {"first", "second", "consistency": [base64…]}
 *   inclusion    {"tree_size", "leaf_index", "audit_path": [base64…], "hash" | "leaf_input"}
 *
 * A proof is only judged against a tree size and root taken together from a verified tree head:
 * the sizes a proof file states select the tree heads, and a size no verified tree head has is
 * never accepted.
 */

import type { EcdsaVerifyFn, RsaVerifyFn } from '../../crypto/ecdsa.js';
import { concatBytes } from '../../encoding/bytes.js';
import { type JsonProblem, JsonReader } from '../../encoding/json.js';
import {
  CT_VERSION_V1,
  type DigitallySigned,
  parseDigitallySigned,
  TLS_SIG_ECDSA,
  TLS_SIG_RSA,
  treeHeadSignatureInput,
} from '../../encoding/tls.js';
import type { FormatPublicKey } from '../../keys/public-key.js';

export interface SignedTreeHead {
  readonly treeSize: number;
  /** Milliseconds since the epoch, as signed. */
  readonly timestamp: number;
  readonly rootHash: Uint8Array;
  readonly signature: DigitallySigned;
  /** The version byte of the signed structure: 0 (v1) unless the file states another. */
  readonly version: number;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly JsonProblem[] };

/**
 * Parses a get-sth response. A `version` member is not part of RFC 6962's response; when a file
 * carries one it is used as the version byte of the signed input, so that a tree head claimed
 * for another version is judged (and fails), not silently read as v1.
 */
export function parseSth(v: unknown): Parsed<SignedTreeHead> {
  const r = new JsonReader();
  const o = r.object(v, '$');
  if (!o) return { ok: false, problems: r.problems };
  const treeSize = r.integer(o.tree_size, '$.tree_size', { allowString: false });
  const timestamp = r.integer(o.timestamp, '$.timestamp', { allowString: false });
  const rootHash = r.base64(o.sha256_root_hash, '$.sha256_root_hash', { length: 32 });
  const sigBytes = r.base64(o.tree_head_signature, '$.tree_head_signature', { max: 16_384 });
  const version = o.version === undefined ? CT_VERSION_V1 : r.integer(o.version, '$.version', { allowString: false });
  if (version !== undefined && version > 255) r.problem('$.version', 'a version is one byte');
  let signature: DigitallySigned | undefined;
  if (sigBytes) {
    const ds = parseDigitallySigned(sigBytes);
    if (typeof ds === 'string')
      r.problem('$.tree_head_signature', `not a TLS DigitallySigned with SHA-256 and ECDSA or RSA (${ds})`);
    else signature = ds;
  }
  if (
    r.problems.length ||
    treeSize === undefined ||
    timestamp === undefined ||
    !rootHash ||
    !signature ||
    version === undefined
  )
    return { ok: false, problems: r.problems };
  return { ok: true, value: { treeSize, timestamp, rootHash, signature, version } };
}

export interface SignaturePathsForCt {
  readonly ecdsa: EcdsaVerifyFn;
  readonly rsa?: RsaVerifyFn;
}

/** Whether `key` signed the tree head (RFC 6962 §3.5). The signature algorithm must fit the key. */
export function verifySthSignature(sth: SignedTreeHead, key: FormatPublicKey, paths: SignaturePathsForCt): boolean {
  const input = treeHeadSignatureInput(sth.version, sth.timestamp, sth.treeSize, sth.rootHash);
  if (key.kind === 'ecdsa-p256' && sth.signature.signatureAlgorithm === TLS_SIG_ECDSA)
    return paths.ecdsa(key.point, input, sth.signature.signature);
  if (key.kind === 'rsa' && sth.signature.signatureAlgorithm === TLS_SIG_RSA && paths.rsa)
    return paths.rsa(key.pkcs1, input, sth.signature.signature);
  return false;
}

export interface ConsistencyFile {
  readonly first: number;
  readonly second: number;
  readonly proof: readonly Uint8Array[];
}

const MAX_PROOF_NODES = 128;

function hashes(r: JsonReader, v: unknown, path: string): Uint8Array[] | undefined {
  const arr = r.array(v, path, MAX_PROOF_NODES);
  if (!arr) return undefined;
  const out: Uint8Array[] = [];
  arr.forEach((h, i) => {
    const b = r.base64(h, `${path}[${i}]`, { length: 32 });
    if (b) out.push(b);
  });
  return out.length === arr.length ? out : undefined;
}

export function parseConsistencyFile(v: unknown): Parsed<ConsistencyFile> {
  const r = new JsonReader();
  const o = r.object(v, '$');
  if (!o) return { ok: false, problems: r.problems };
  const first = r.integer(o.first, '$.first', { allowString: false });
  const second = r.integer(o.second, '$.second', { allowString: false });
  const proof = hashes(r, o.consistency, '$.consistency');
  if (r.problems.length || first === undefined || second === undefined || !proof)
    return { ok: false, problems: r.problems };
  return { ok: true, value: { first, second, proof } };
}

export interface InclusionFile {
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly auditPath: readonly Uint8Array[];
  /** The leaf hash asked for (get-proof-by-hash `hash`). */
  readonly hash?: Uint8Array;
  /** The MerkleTreeLeaf (get-entries `leaf_input`); its leaf hash is SHA-256(0x00 || leaf_input). */
  readonly leafInput?: Uint8Array;
}

export function parseInclusionFile(v: unknown): Parsed<InclusionFile> {
  const r = new JsonReader();
  const o = r.object(v, '$');
  if (!o) return { ok: false, problems: r.problems };
  const treeSize = r.integer(o.tree_size, '$.tree_size', { allowString: false });
  const leafIndex = r.integer(o.leaf_index, '$.leaf_index', { allowString: false });
  const auditPath = hashes(r, o.audit_path, '$.audit_path');
  const hash = o.hash === undefined ? undefined : r.base64(o.hash, '$.hash', { length: 32 });
  const leafInput =
    o.leaf_input === undefined ? undefined : r.base64(o.leaf_input, '$.leaf_input', { max: 4 * 1024 * 1024 });
  if (o.hash === undefined && o.leaf_input === undefined)
    r.problem('$', 'needs "hash" (the leaf hash) or "leaf_input" (the MerkleTreeLeaf)');
  if (r.problems.length || treeSize === undefined || leafIndex === undefined || !auditPath)
    return { ok: false, problems: r.problems };
  return {
    ok: true,
    value: { treeSize, leafIndex, auditPath, ...(hash ? { hash } : {}), ...(leafInput ? { leafInput } : {}) },
  };
}

/** For tests and fixtures: the get-sth JSON of a tree head. */
export function formatSthJson(sth: SignedTreeHead, b64: (b: Uint8Array) => string): string {
  const ds = concatBytes(
    Uint8Array.of(
      sth.signature.hashAlgorithm,
      sth.signature.signatureAlgorithm,
      sth.signature.signature.length >> 8,
      sth.signature.signature.length & 0xff,
    ),
    sth.signature.signature,
  );
  return JSON.stringify({
    tree_size: sth.treeSize,
    timestamp: sth.timestamp,
    sha256_root_hash: b64(sth.rootHash),
    tree_head_signature: b64(ds),
  });
}
