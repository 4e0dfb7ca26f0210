/**
 * proofdesk/core — the library entry for other programs (README "Library use"). Pure
 * functions only: give them bytes and trust material, get values and findings back.
 */
export { hashLeaf, hashChildren, emptyRoot, LEAF_HASH_PREFIX, NODE_HASH_PREFIX } from './merkle/hash.js';
export { merkleRoot } from './merkle/tree.js';
export { CompactRange } from './merkle/compact.js';
export {
  inclusionProof,
  consistencyProof,
  rootFromInclusionProof,
  verifyInclusion,
  rootsFromConsistencyProof,
  verifyConsistency,
  MERKLE_PROOF_REASONS,
} from './merkle/proof.js';
export type { MerkleProofReason, ProofVerdict } from './merkle/proof.js';
export { ED25519_RULESET, verifyEd25519, checkEd25519, precheckEd25519, signEd25519, publicKeyFromSeed } from './ed25519.js';
export { parseKey, keyFingerprint, opensshFingerprint, noteKeyId, encodeSpkiPem, encodeOpenSsh, encodeNoteVerifierKey, NOTE_SIG_ED25519, NOTE_SIG_COSIGNATURE_V1 } from './keys.js';
export type { ParsedKey } from './keys.js';
export { parseNote, openNote, signNote, ed25519NoteVerifier, noteVerifierFromVkey } from './note.js';
export type { NoteVerifier } from './note.js';
export { parseCheckpointBody, formatCheckpointBody } from './checkpoint.js';
export { verifyCosignatureSignature, cosignatureVerifier } from './cosignature.js';
export { verifyCheckpointNote } from './checkpoint-verify.js';
export { parseProofFile, verifyProof } from './proof-file.js';
export { chainGenesis, chainLink, CHAIN_RULESET } from './chain.js';
export { canonicalJson } from './jcs.js';
export { FINDING_CODES } from './findings.js';
export type { Finding, FindingCode, Severity, Location } from './findings.js';
export type { KeyRole, TrustedKey } from './trust.js';
export { sha256 } from './hash.js';
export { toHex, fromHex, toBase64, fromBase64, bytesEqual } from './bytes.js';
