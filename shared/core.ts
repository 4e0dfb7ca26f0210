/**
 * proofdesk/core — the library entry for other programs (README "Library use"). Pure
 * functions only: give them bytes and trust material, get values and findings back.
 */

export { CHAIN_RULESET, chainGenesis, chainLink } from './bundle/chain.js';
export {
  checkEd25519,
  ED25519_RULESET,
  precheckEd25519,
  publicKeyFromSeed,
  signEd25519,
  verifyEd25519,
} from './crypto/ed25519.js';
export { sha256 } from './crypto/hash.js';
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding/bytes.js';
export { canonicalJson } from './encoding/jcs.js';
export type { ParsedKey } from './keys/keys.js';
export {
  encodeNoteVerifierKey,
  encodeOpenSsh,
  encodeSpkiPem,
  keyFingerprint,
  NOTE_SIG_COSIGNATURE_V1,
  NOTE_SIG_ED25519,
  noteKeyId,
  opensshFingerprint,
  parseKey,
} from './keys/keys.js';
export type { KeyRole, TrustedKey } from './keys/trust.js';
export { formatCheckpointBody, parseCheckpointBody } from './tlog/checkpoint.js';
export { verifyCheckpointNote } from './tlog/checkpoint-verify.js';
export { cosignatureVerifier, verifyCosignatureSignature } from './tlog/cosignature.js';
export { CompactRange } from './tlog/merkle/compact.js';
export { emptyRoot, hashChildren, hashLeaf, LEAF_HASH_PREFIX, NODE_HASH_PREFIX } from './tlog/merkle/hash.js';
export type { MerkleProofReason, ProofVerdict } from './tlog/merkle/proof.js';
export {
  consistencyProof,
  inclusionProof,
  MERKLE_PROOF_REASONS,
  rootFromInclusionProof,
  rootsFromConsistencyProof,
  verifyConsistency,
  verifyInclusion,
} from './tlog/merkle/proof.js';
export { merkleRoot } from './tlog/merkle/tree.js';
export type { NoteVerifier } from './tlog/note.js';
export { ed25519NoteVerifier, noteVerifierFromVkey, openNote, parseNote, signNote } from './tlog/note.js';
export { parseProofFile, verifyProof } from './tlog/proof-file.js';
export type { Finding, FindingCode, Location, Severity } from './verdict/findings.js';
export { FINDING_CODES } from './verdict/findings.js';
