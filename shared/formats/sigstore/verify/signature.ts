/** Signature checks over what a Sigstore bundle signs, under the keys the examiner trusts. */
import { utf8 } from '../../../encoding/bytes.js';
import type { FormatPublicKey } from '../../../keys/public-key.js';
import type { SigstoreContext } from './run.js';

/** DSSE v1 pre-authentication encoding (secure-systems-lab/dsse, protocol.md "Signature definition"). */
export function dssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const t = utf8(payloadType);
  const head = utf8(`DSSEv1 ${t.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

export function verifyWith(
  key: FormatPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
  ctx: SigstoreContext,
): boolean {
  if (key.kind === 'ecdsa-p256') return ctx.ecdsa(key.point, message, signature);
  if (key.kind === 'ed25519') return signature.length === 64 && ctx.ed25519(key.publicKey, message, signature);
  return false;
}
