/**
 * The custody journal's hash chain (docs/case-file.md §4). Pure functions: the exact bytes
 * hashed for every row, and the genesis value that binds a journal to its case.
 *
 *   genesis  = SHA-256( UTF-8("proofdesk-custody-genesis-v1\n" || case_id || "\n") )
 *   record_n = UTF-8( JCS({ "seq", "at", "actor", "action", "subject", "details" }) )   RFC 8785
 *   hash_n   = SHA-256( UTF-8("proofdesk-custody-v1\n") || hash_{n-1} || record_n )
 *
 * where hash_{n-1} is the 32 raw bytes of the previous row's hash (genesis for seq 1), seq
 * starts at 1 and increases by exactly 1, `subject` is a string or null and `details` a JSON
 * object. Hashes are stored and shown as lowercase hex.
 */

import type { Sha256 } from '../../shared/crypto/hash.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../shared/encoding/bytes.js';
import { canonicalJson, type JsonValue } from '../../shared/encoding/jcs.js';

export const CUSTODY_CHAIN = 'proofdesk-custody-v1';
const GENESIS_PREFIX = 'proofdesk-custody-genesis-v1\n';
const ROW_PREFIX = utf8(`${CUSTODY_CHAIN}\n`);

export type JsonObject = { readonly [k: string]: JsonValue };

/** The hashed content of one journal row. */
export interface CustodyRecord {
  readonly seq: number;
  /** RFC 3339 UTC time on the examiner's machine clock. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: JsonObject;
}

/** The value hash_0: binds the chain to one case, so rows cannot be spliced between cases. */
export function custodyGenesis(caseId: string, h: Sha256): string {
  return toHex(h(utf8(`${GENESIS_PREFIX}${caseId}\n`)));
}

/** record_n: the canonical JSON bytes of a row's content. */
export function custodyRecordBytes(r: CustodyRecord): Uint8Array {
  return utf8(
    canonicalJson({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details }),
  );
}

/** hash_n from hash_{n-1} (lowercase hex) and the row. */
export function custodyHash(prevHash: string, r: CustodyRecord, h: Sha256): string {
  return toHex(h(concatBytes(ROW_PREFIX, fromHex(prevHash), custodyRecordBytes(r))));
}
