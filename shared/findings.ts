/**
 * The Finding model. Every verification step returns findings instead of throwing; an
 * examiner needs every failure with its location, not the first exception.
 *
 * FINDING_CODES is the single source of truth for codes, default severities and meanings.
 * docs/bundle-format.md lists the same table; a test keeps the two in step.
 */

export type Severity = 'error' | 'warning' | 'info';

export const FINDING_CODES = {
  // ── bundle container and manifest ──
  MANIFEST_INVALID: ['error', 'manifest.json is not valid JSON or violates the manifest schema (one finding per problem, with its JSON path).'],
  MANIFEST_DIGEST_MISMATCH: ['error', 'A file\'s SHA-256 differs from the digest the manifest lists for it.'],
  MANIFEST_SIZE_MISMATCH: ['error', 'A file\'s size differs from the size the manifest lists for it.'],
  MANIFEST_FILE_MISSING: ['error', 'A file listed in the manifest is not in the bundle.'],
  MANIFEST_COUNT_MISMATCH: ['error', 'The number of entry lines differs from manifest entries.count.'],
  PATH_UNSAFE: ['error', 'A path in the bundle is absolute, contains "..", or resolves (through a symlink) outside the bundle. The file is not read.'],
  FILE_UNLISTED: ['warning', 'A file is present in the bundle but not listed in the manifest; it is ignored.'],
  // ── entries ──
  ENTRY_MALFORMED: ['error', 'An entry line is not valid UTF-8, not valid JSON, or not a JSON object. It still counts as a Merkle leaf (its exact bytes are hashed).'],
  ENTRY_FIELD_INVALID: ['error', 'A required entry member (seq, ts, prev) is missing or has the wrong type or form, or sig is malformed.'],
  ENTRY_TOO_LARGE: ['error', 'An entry line exceeds the maximum entry size; it is hashed as a leaf but not parsed.'],
  ENTRIES_TRUNCATED: ['error', 'The entries file does not end with a line feed: the last line is incomplete and is not counted as an entry.'],
  CHAIN_BROKEN: ['error', 'An entry\'s prev link is not SHA-256(prev of the previous entry || leaf hash of the previous entry), or entry 0\'s prev is not the genesis value.'],
  SEQ_GAP: ['error', 'A sequence number is larger than the previous one plus one (entries missing), or entry 0\'s seq is larger than first_seq.'],
  SEQ_REGRESSION: ['error', 'A sequence number is not larger than the previous one (duplicate or reordered entry), or entry 0\'s seq is smaller than first_seq.'],
  TIMESTAMP_INVALID: ['error', 'An entry\'s ts is not an RFC 3339 UTC timestamp of the required form.'],
  TIMESTAMP_REGRESSION: ['error', 'An entry\'s ts is earlier than the previous entry\'s ts.'],
  SIGNATURE_INVALID: ['error', 'A signature by a trusted key does not verify under the pinned Ed25519 rules (checkpoint, cosignature or entry signature).'],
  KEY_UNTRUSTED: ['error', 'A checkpoint carries no signature by a trusted log key, or an entry is signed by a key that is not trusted.'],
  KEY_NOT_VALID_AT_TIME: ['error', 'A signature was made by a trusted key outside the validity window it is trusted for.'],
  KEY_REVOKED: ['error', 'A signature was made by a key that has been revoked in the case trust store.'],
  BUNDLE_KEY_NOT_TRUSTED: ['warning', 'The bundle ships a public key that is not among the trusted keys; keys inside a bundle are never trusted by themselves.'],
  // ── checkpoints and proofs ──
  CHECKPOINT_MALFORMED: ['error', 'A checkpoint is not a well-formed C2SP signed note with a tlog-checkpoint body.'],
  CHECKPOINT_ORIGIN_MISMATCH: ['error', 'A checkpoint\'s origin line differs from the manifest origin.'],
  CHECKPOINT_BEYOND_ENTRIES: ['error', 'A checkpoint commits to more entries than the bundle holds: committed entries are missing.'],
  CHECKPOINT_CONFLICT: ['error', 'Two trusted checkpoints have the same size and different roots: the log signed two histories (equivocation).'],
  CHECKPOINT_ORDER: ['warning', 'Checkpoints are not listed in increasing tree-size order in the manifest.'],
  ROOT_MISMATCH: ['error', 'The Merkle root recomputed from the entries differs from the root a checkpoint signs.'],
  COSIGNATURE_VALID: ['info', 'A trusted witness cosigned a checkpoint; the cosignature time bounds when the checkpoint existed.'],
  PROOF_MALFORMED: ['error', 'A proof file cannot be parsed.'],
  PROOF_INVALID: ['error', 'An inclusion or consistency proof does not verify against its signed checkpoint(s).'],
  PROOF_LEAF_MISMATCH: ['error', 'An inclusion proof proves a leaf hash different from the bundle\'s entry at that index.'],
  // ── coverage ──
  NO_CHECKPOINTS: ['warning', 'The bundle has no checkpoint: no entry can be verified against a signed root.'],
  UNSEALED_ENTRIES: ['warning', 'Entries after the largest trusted checkpoint are not covered by any signed root and are reported unverifiable.'],
  FINDINGS_TRUNCATED: ['warning', 'More findings of one code than the per-code limit; the rest are counted, not listed.'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type FindingCode = keyof typeof FINDING_CODES;

export function defaultSeverity(code: FindingCode): Severity {
  return FINDING_CODES[code][0];
}

/** Where a finding points. Entry indices are 0-based; byte offsets are from the start of `file`. */
export interface Location {
  readonly file?: string;
  /** 0-based entry (leaf) index. */
  readonly entry?: number;
  /** Byte offset of the start of the entry line (or of the problem) within `file`. */
  readonly offset?: number;
  /** Tree size of the checkpoint concerned. */
  readonly checkpointSize?: number;
  /** JSON path inside a JSON document, e.g. "$.files[2].sha256". */
  readonly path?: string;
  /** Range of entries [from, to) the finding concerns. */
  readonly range?: readonly [number, number];
}

export type EvidenceValue = string | number | boolean | null;

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly location: Location;
  readonly message: string;
  /** Machine-comparable evidence, typically { expected, actual } as lowercase hex. */
  readonly evidence?: Readonly<Record<string, EvidenceValue>>;
}

export function finding(
  code: FindingCode,
  location: Location,
  message: string,
  evidence?: Record<string, EvidenceValue>,
): Finding {
  return evidence === undefined
    ? { code, severity: defaultSeverity(code), location, message }
    : { code, severity: defaultSeverity(code), location, message, evidence };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Total order used everywhere findings are listed, so that output never depends on
 * worker count or scheduling: by entry index (findings without one first), then
 * checkpoint size, file, code, offset, path.
 */
export function compareFindings(a: Finding, b: Finding): number {
  const ea = a.location.entry ?? -1;
  const eb = b.location.entry ?? -1;
  if (ea !== eb) return ea - eb;
  const ca = a.location.checkpointSize ?? -1;
  const cb = b.location.checkpointSize ?? -1;
  if (ca !== cb) return ca - cb;
  const fa = a.location.file ?? '';
  const fb = b.location.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  const oa = a.location.offset ?? -1;
  const ob = b.location.offset ?? -1;
  if (oa !== ob) return oa - ob;
  const pa = a.location.path ?? '';
  const pb = b.location.path ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  const sa = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (sa !== 0) return sa;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
