/**
 * Ed25519 verification through node:crypto (OpenSSL), the fast path for bulk verification,
 * with exactly the verdicts of shared/crypto/ed25519.ts: the same structural pre-checks of
 * ED25519_RULESET run first, then OpenSSL checks the cofactorless equation (OpenSSL computes
 * [S]B - [k]A and compares its encoding with R, which is rule 9 of the rule set).
 *
 * Without the pre-checks OpenSSL would accept more than the rule set: signatures under a
 * small-order key (for the identity key, one signature verifies for every message), under
 * non-canonically encoded small-order keys, and with R = identity. test/unit/shared/crypto/ed25519.test.ts
 * shows each case and proves that both paths agree on every vector.
 *
 * KeyObjects are cached per public key together with the key's pre-check verdict, so a
 * verification costs the signature byte checks (~0.1 µs), a comparison with the last key
 * used or one map lookup (~0.1 µs), and crypto.verify (~60-120 µs on a shared CI core):
 * well under 1% overhead. Creating a KeyObject per call would add ~100 µs.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  checkEd25519Challenge,
  ED25519_PUBLIC_KEY_SIZE,
  ED25519_SIGNATURE_SIZE,
  type Ed25519Reject,
  type Ed25519Verdict,
  precheckEd25519PublicKey,
  precheckEd25519Signature,
  verifyEd25519,
} from '../../shared/crypto/ed25519.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

type KeyEntry = KeyObject | Ed25519Reject;

// Module-local copies of the sizes: hot loops should not go through an import binding
// (transpilers turn those into getter calls).
const KEY_SIZE = ED25519_PUBLIC_KEY_SIZE;
const SIG_SIZE = ED25519_SIGNATURE_SIZE;

// Bounded: a log has few keys; the bound only stops a hostile bundle from growing the map.
const KEY_CACHE_MAX = 1024;
const keyCache = new Map<string, KeyEntry>();

// Most bundles are signed by one key: remember the last one and skip the map lookup.
let lastKey: Uint8Array | undefined;
let lastEntry: KeyEntry | undefined;

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  // Early exit is fine: public keys are public.
  for (let i = 0; i < KEY_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keyEntry(publicKey: Uint8Array): KeyEntry {
  if (lastKey !== undefined && sameKey(lastKey, publicKey)) return lastEntry!;
  // latin1 gives a 32-character string, one char per byte: the cheapest exact map key.
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1');
  let entry = keyCache.get(id);
  if (entry === undefined) {
    const reject = precheckEd25519PublicKey(publicKey);
    if (reject) {
      entry = reject;
    } else {
      const der = new Uint8Array(SPKI_PREFIX.length + ED25519_PUBLIC_KEY_SIZE);
      der.set(SPKI_PREFIX, 0);
      der.set(publicKey, SPKI_PREFIX.length);
      entry = createPublicKey({ key: Buffer.from(der.buffer), format: 'der', type: 'spki' });
    }
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, entry);
  }
  lastKey = publicKey.slice(); // a copy: the caller may reuse its buffer
  lastEntry = entry;
  return entry;
}

/**
 * Verifies an Ed25519 signature under ED25519_RULESET with node:crypto, returning the failing
 * rule ('EQUATION' when OpenSSL rejects). Total on any byte strings.
 */
export function checkEd25519Node(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Ed25519Verdict {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return { ok: false, reason: 'SIG_LENGTH' };
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return { ok: false, reason: 'KEY_LENGTH' };
  const sigReject = precheckEd25519Signature(signature);
  if (sigReject) return { ok: false, reason: sigReject };
  const key = keyEntry(publicKey);
  if (typeof key === 'string') return { ok: false, reason: key };
  return cryptoVerify(null, message, key, signature) ? { ok: true } : { ok: false, reason: 'EQUATION' };
}

/**
 * Verifies an Ed25519 signature under ED25519_RULESET with node:crypto. Same verdict as
 * shared/crypto/ed25519.ts verifyEd25519 for every input; never throws for untrusted input.
 */
export function verifyEd25519Node(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIG_SIZE || publicKey.length !== KEY_SIZE) return false;
  if (precheckEd25519Signature(signature) !== undefined) return false;
  const key = keyEntry(publicKey);
  if (typeof key === 'string') return false;
  return cryptoVerify(null, message, key, signature);
}

/**
 * Runs both verifiers (node:crypto and @noble/ed25519) and returns their common verdict.
 * Throws ProofdeskError('INTERNAL') if they disagree: that is a Proofdesk bug, and a verdict
 * that depends on the code path must never be reported.
 */
export function crossCheckVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const viaNode = verifyEd25519Node(publicKey, message, signature);
  const viaNoble = verifyEd25519(publicKey, message, signature);
  if (viaNode !== viaNoble) {
    throw new ProofdeskError('INTERNAL', 'Ed25519 verifiers disagree', {
      node: viaNode,
      noble: viaNoble,
      publicKey: Buffer.from(publicKey).toString('hex'),
      signature: Buffer.from(signature).toString('hex'),
    });
  }
  return viaNode;
}

/**
 * checkEd25519 over a message read in chunks (a report file that need not fit in memory): the
 * challenge SHA-512(R || A || M) is hashed by node:crypto as the chunks arrive, the rules and the
 * equation are shared/crypto/ed25519.ts's own. `chunks` is read only when rules 1–8 pass.
 */
export function checkEd25519Chunks(
  publicKey: Uint8Array,
  chunks: () => Iterable<Uint8Array>,
  signature: Uint8Array,
): Ed25519Verdict {
  return checkEd25519Challenge(publicKey, signature, (r, a) => {
    const h = createHash('sha512').update(r).update(a);
    for (const c of chunks()) h.update(c);
    return new Uint8Array(h.digest());
  });
}
