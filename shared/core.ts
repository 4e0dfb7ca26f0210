/**
 * proofdesk/core — the library entry for other programs (README "Library use"). Pure
 * functions only: give them bytes and trust material, get values and findings back.
 */
export { hashLeaf, hashChildren, emptyRoot, LEAF_HASH_PREFIX, NODE_HASH_PREFIX } from './tlog/merkle/hash.js';
export { merkleRoot } from './tlog/merkle/tree.js';
export { CompactRange } from './tlog/merkle/compact.js';
export {
  inclusionProof,
  consistencyProof,
  rootFromInclusionProof,
  verifyInclusion,
  rootsFromConsistencyProof,
  verifyConsistency,
  MERKLE_PROOF_REASONS,
} from './tlog/merkle/proof.js';
export type { MerkleProofReason, ProofVerdict } from './tlog/merkle/proof.js';
export { ED25519_RULESET, verifyEd25519, checkEd25519, precheckEd25519, signEd25519, publicKeyFromSeed } from './crypto/ed25519.js';
export { parseKey, keyFingerprint, opensshFingerprint, noteKeyId, encodeSpkiPem, encodeOpenSsh, encodeNoteVerifierKey, NOTE_SIG_ED25519, NOTE_SIG_COSIGNATURE_V1 } from './keys/keys.js';
export type { ParsedKey } from './keys/keys.js';
export { parseNote, openNote, signNote, ed25519NoteVerifier, noteVerifierFromVkey } from './tlog/note.js';
export type { NoteVerifier } from './tlog/note.js';
export { parseCheckpointBody, formatCheckpointBody } from './tlog/checkpoint.js';
export { verifyCosignatureSignature, cosignatureVerifier } from './tlog/cosignature.js';
export { verifyCheckpointNote } from './tlog/checkpoint-verify.js';
export { parseProofFile, verifyProof } from './tlog/proof-file.js';
export { chainGenesis, chainLink, CHAIN_RULESET } from './bundle/chain.js';
export { canonicalJson } from './encoding/jcs.js';
export { FINDING_CODES } from './verdict/findings.js';
export type { Finding, FindingCode, Severity, Location } from './verdict/findings.js';
export type { KeyRole, TrustedKey } from './keys/trust.js';
export { sha256 } from './crypto/hash.js';
export { toHex, fromHex, toBase64, fromBase64, bytesEqual } from './encoding/bytes.js';
