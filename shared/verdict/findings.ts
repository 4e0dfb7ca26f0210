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
  MANIFEST_INVALID: [
    'error',
    'manifest.json is not valid JSON or violates the manifest schema (one finding per problem, with its JSON path).',
  ],
  MANIFEST_DIGEST_MISMATCH: ['error', "A file's SHA-256 differs from the digest the manifest lists for it."],
  MANIFEST_SIZE_MISMATCH: ['error', "A file's size differs from the size the manifest lists for it."],
  MANIFEST_FILE_MISSING: ['error', 'A file listed in the manifest is not in the bundle.'],
  MANIFEST_COUNT_MISMATCH: ['error', 'The number of entry lines differs from manifest entries.count.'],
  PATH_UNSAFE: [
    'error',
    'A path in the bundle is absolute, contains "..", or resolves (through a symlink) outside the bundle. The file is not read.',
  ],
  FILE_UNLISTED: ['warning', 'A file is present in the bundle but not listed in the manifest; it is ignored.'],
  // ── entries ──
  ENTRY_MALFORMED: [
    'error',
    'An entry line is not valid UTF-8, not valid JSON, or not a JSON object. It still counts as a Merkle leaf (its exact bytes are hashed).',
  ],
  ENTRY_FIELD_INVALID: [
    'error',
    'A required entry member (seq, ts, prev, event) is missing or has the wrong type or form (seq not written as a JSON integer), a reserved member appears twice, sig is malformed, or a signed event is one its RFC 8785 canonical form would change.',
  ],
  ENTRY_TOO_LARGE: ['error', 'An entry line exceeds the maximum entry size; it is hashed as a leaf but not parsed.'],
  ENTRIES_TRUNCATED: [
    'error',
    'The entries file does not end with a line feed: the last line is incomplete and is not counted as an entry.',
  ],
  CHAIN_BROKEN: [
    'error',
    "An entry's prev link is not SHA-256(prev of the previous entry || leaf hash of the previous entry), or entry 0's prev is not the genesis value.",
  ],
  SEQ_GAP: [
    'error',
    "A sequence number is larger than the previous one plus one (entries missing), or entry 0's seq is larger than first_seq.",
  ],
  SEQ_REGRESSION: [
    'error',
    "A sequence number is not larger than the previous one (duplicate or reordered entry), or entry 0's seq is smaller than first_seq.",
  ],
  TIMESTAMP_INVALID: ['error', "An entry's ts is not an RFC 3339 UTC timestamp of the required form."],
  TIMESTAMP_REGRESSION: ['error', "An entry's ts is earlier than the previous entry's ts."],
  SIGNATURE_INVALID: [
    'error',
    'A signature by a trusted key does not verify under the pinned rules (Ed25519; ECDSA P-256 and RSA for the formats of docs/formats.md): checkpoint, cosignature, entry signature, tree head, signed entry timestamp or digest signature.',
  ],
  KEY_UNTRUSTED: [
    'warning',
    "A checkpoint carries no signature by a trusted log key, or an entry is signed by a key that is not trusted as an entry (event source) key. Nothing in the evidence contradicts a trusted key: the signer is named, and what it signed is unverifiable until its key is trusted (or shown not to be the log's).",
  ],
  KEY_NOT_VALID_AT_TIME: [
    'error',
    'A signature was made by a trusted key outside the validity window it is trusted for.',
  ],
  KEY_REVOKED: ['error', 'A signature was made by a key that has been revoked in the case trust store.'],
  KEY_WINDOW_INVALID: [
    'warning',
    'A trusted key carries a validity bound (validFrom, validUntil, revokedAt) that is not a valid RFC 3339 time; rather than being trusted for a wider window, its signatures do not count.',
  ],
  KEY_WRONG_ROLE: [
    'warning',
    'A signature was made by a trusted key outside the role it is trusted in (a witness or entry key signing a checkpoint as the log, a log key cosigning as a witness); it is not counted.',
  ],
  BUNDLE_KEY_NOT_TRUSTED: [
    'warning',
    'The bundle ships a public key that is not among the trusted keys; keys inside a bundle are never trusted by themselves.',
  ],
  // ── checkpoints and proofs ──
  CHECKPOINT_MALFORMED: ['error', 'A checkpoint is not a well-formed C2SP signed note with a tlog-checkpoint body.'],
  CHECKPOINT_ORIGIN_MISMATCH: ['error', "A checkpoint's origin line differs from the manifest origin."],
  CHECKPOINT_BEYOND_ENTRIES: [
    'error',
    'A checkpoint commits to more entries than the bundle holds: committed entries are missing.',
  ],
  CHECKPOINT_CONFLICT: [
    'error',
    'Two trusted checkpoints have the same size and different roots: the log signed two histories (equivocation).',
  ],
  CHECKPOINT_ORDER: ['warning', 'Checkpoints are not listed in increasing tree-size order in the manifest.'],
  ROOT_MISMATCH: ['error', 'The Merkle root recomputed from the entries differs from the root a checkpoint signs.'],
  COSIGNATURE_VALID: [
    'info',
    'A trusted witness cosigned a checkpoint; the cosignature time bounds when the checkpoint existed.',
  ],
  PROOF_MALFORMED: ['error', 'A proof file cannot be parsed.'],
  PROOF_INVALID: ['error', 'An inclusion or consistency proof does not verify against its signed checkpoint(s).'],
  PROOF_LEAF_MISMATCH: [
    'error',
    "An inclusion proof proves a leaf hash different from the bundle's entry at that index.",
  ],
  // ── coverage ──
  NO_CHECKPOINTS: ['warning', 'The bundle has no checkpoint: no entry can be verified against a signed root.'],
  UNSEALED_ENTRIES: [
    'warning',
    'Entries after the largest trusted checkpoint are not covered by any signed root and are reported unverifiable.',
  ],
  FINDINGS_TRUNCATED: [
    'warning',
    'More findings of one code than the per-code limit; the rest are counted, not listed.',
  ],
  // ── other log formats (docs/formats.md: C2SP tiles, Sigstore, Certificate Transparency, CloudTrail) ──
  INPUT_FORMAT: [
    'info',
    'The input was read as a format other than a Proofdesk bundle; the evidence names the format, its layout and the signature rules applied (docs/formats.md says what is and is not verified).',
  ],
  DOCUMENT_INVALID: [
    'error',
    'A document of a supported format (Sigstore bundle, trusted root, signed tree head, proof, CloudTrail digest or key list) violates that format; one finding per problem, with its JSON path.',
  ],
  TILE_MALFORMED: [
    'error',
    'A hash tile, entry bundle, data tile or leaf file has the wrong size or encoding (length prefix, trailing bytes, width); entries from there on cannot be read.',
  ],
  TILE_MISSING: [
    'warning',
    'A hash tile that the tree size requires is not in the export, so it could not be compared; the entries and the signed roots are still checked.',
  ],
  TILE_HASH_MISMATCH: [
    'error',
    'A hash in a tile differs from the hash recomputed from the entries: the published tree and the entries disagree.',
  ],
  PROOF_CHECKPOINT_MISMATCH: [
    'error',
    'A proof states a tree size or root that differs from the signed checkpoint or tree head it comes with; only the signed size and root are used to judge it.',
  ],
  TLOG_BODY_MISMATCH: [
    'error',
    'A transparency-log entry body does not describe the content shipped with it (artifact digest, signature or signing key differ).',
  ],
  ARTIFACT_MISMATCH: [
    'error',
    "The artifact given does not match the digest that was signed and logged, or its signature does not verify with the signing certificate's key.",
  ],
  CONTENT_NOT_CHECKED: [
    'warning',
    'The content a log entry or proof is about (a Sigstore artifact, a tlog-proof entry) was not given, so only the log side was verified, not that the content matches it.',
  ],
  TIME_NOT_ESTABLISHED: [
    'warning',
    "No time in the evidence shows that a signature was made inside its key's validity window. When the window ends (validUntil, a revocation) and no trusted witness cosignature (or, for validUntil, a time the signature itself carries) dates it by then, the signature does not count and what it covers is unverifiable; when only the start is unknown, the signature counts.",
  ],
  DIGEST_CHAIN_BROKEN: [
    'error',
    'A CloudTrail digest does not chain to the previous digest (previous signature or hash differ), or a digest of the chain is missing.',
  ],
  LOG_FILE_MISMATCH: ['error', "A log file's SHA-256 differs from the hash a signed digest lists for it."],
  LOG_FILE_MISSING: ['error', 'A log file that a signed digest lists is not in the export.'],
  // ── end of other log formats ──
  // ── comparing two exports (docs/diff.md) ──
  HISTORY_DIVERGES: [
    'error',
    'Two exports of the same log hold different entries at the same index: history was rewritten from that entry on (or forked).',
  ],
  CHECKPOINTS_INCONSISTENT: [
    'error',
    "Two trusted checkpoints of different sizes cannot both be true: the larger tree's first leaves do not have the smaller checkpoint's root (a fork; proof of misbehaviour).",
  ],
  EXPORT_TRUNCATED: [
    'error',
    "An export's entries are a prefix of the other export's, and it lacks entries its own trusted checkpoints commit to.",
  ],
  // ── end of comparing two exports ──
  // ── signed reports (proofdesk report verify; docs/report-format.md) ──
  REPORT_SIGNATURE_INVALID: [
    'error',
    'The detached signature of a report PDF (report.pdf.sig) is not a 64-byte Ed25519 signature of the PDF by the examiner key.',
  ],
  REPORT_SIGNATURE_MISSING: [
    'warning',
    'No detached signature was found beside a report PDF; the PDF is then authenticated only by re-rendering it from its signed attestation.',
  ],
  ATTESTATION_MISSING: ['error', 'A report PDF holds no readable attestation.dsse.json attachment.'],
  ATTESTATION_MALFORMED: [
    'error',
    'An attestation is not a DSSE envelope holding an in-toto Statement v1 with a Proofdesk verification predicate in RFC 8785 canonical JSON (one finding per problem, with its JSON path).',
  ],
  ATTESTATION_SIGNATURE_INVALID: [
    'error',
    'No signature of the DSSE envelope verifies with the examiner key over PAE(payloadType, payload).',
  ],
  ATTESTATION_KEY_MISMATCH: [
    'error',
    'The examiner key fingerprint stated inside the attestation differs from the key that signed it.',
  ],
  REPORT_RENDER_MISMATCH: [
    'error',
    'The PDF differs from the PDF rendered again from its signed attestation by the same build: it was changed after signing.',
  ],
  REPORT_RENDERER_DIFFERS: [
    'warning',
    'The PDF differs from the re-rendered PDF, but the attestation names another build of Proofdesk, so the byte comparison proves nothing either way.',
  ],
  RERUN_INPUT_MISMATCH: [
    'error',
    'A file read by the re-run differs from the digest the attestation lists for it, or is missing from it.',
  ],
  RERUN_RESULT_MISMATCH: [
    'error',
    'Verifying the evidence again gives a result different from the attested one (verdict, coverage, checks, checkpoints or findings).',
  ],
  RERUN_TRUST_DIFFERS: [
    'warning',
    'The keys trusted for the re-run are not those the attestation lists, so the two results are not comparable.',
  ],
  REPORT_CASE_MISMATCH: [
    'error',
    'The report is checked against a case, but its attestation was signed in another case (predicate.case.caseId differs).',
  ],
  REPORT_ANCHOR_MISMATCH: [
    'error',
    "The case's custody journal, hashed again from its content up to the row the attestation anchors, no longer gives the anchored hash (or no longer holds that row): the journal was changed, cut or rewritten up to that row after the report was signed.",
  ],
  REPORT_NOT_ANCHORED: [
    'warning',
    'The report is checked against a case, but its attestation carries no case anchor (it was not signed in a case), so the case journal cannot be compared with it.',
  ],
  // ── end of signed reports ──
} as const satisfies Record<string, readonly [Severity, string]>;

export type FindingCode = keyof typeof FINDING_CODES;

function defaultSeverity(code: FindingCode): Severity {
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
