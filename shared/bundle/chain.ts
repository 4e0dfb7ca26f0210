/**
 * The per-entry hash chain of docs/bundle-format.md §4 (rule set "proofdesk-chain-v1").
 *
 *   GENESIS = SHA-256(UTF-8("proofdesk-chain-v1\n" || origin || "\n"))
 *   link_i  = SHA-256(prev_i || leaf_hash_i);   prev_0 = GENESIS;   prev_{i+1} = link_i
 */

import { type Sha256, sha256 } from '../crypto/hash.js';
import { concatBytes, utf8 } from '../encoding/bytes.js';

export const CHAIN_RULESET = 'proofdesk-chain-v1';

/** The prev value entry 0 must carry; binding it to the origin stops splicing between logs. */
export function chainGenesis(origin: string, h: Sha256 = sha256): Uint8Array {
  return h(utf8(`${CHAIN_RULESET}\n${origin}\n`));
}

/** The prev value the entry after this one must carry. Requires 32-byte inputs. */
export function chainLink(prev: Uint8Array, leafHash: Uint8Array, h: Sha256 = sha256): Uint8Array {
  return h(concatBytes(prev, leafHash));
}
