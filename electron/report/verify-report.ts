/**
 * `proofdesk report verify`: checks a signed report without trusting Proofdesk's earlier run.
 *
 *  1. detached signature  report.pdf.sig is an Ed25519 signature of the PDF by the examiner key
 *  2. attachment          the PDF holds attestation.dsse.json
 *  3. envelope            it is a DSSE envelope with payloadType application/vnd.in-toto+json
 *  4. DSSE signature      a signature verifies with the examiner key over PAE(type, payload)
 *  5. statement           the payload is canonical JSON of a well-formed verification statement,
 *                         stating the examiner key that signed it
 *  6. render              the PDF is byte for byte the PDF rendered again from the attestation
 *  7. re-run (optional)   verifying the evidence again gives the attested inputs and result
 *  8. case (optional)     the case journal's rows up to the one the attestation anchors still
 *                         hash to the anchored value (docs/report-format.md §3.1)
 *
 * Every problem is a finding (codes in shared/verdict/findings.ts, "signed reports"); the verdict is
 * FAIL on any error, INCONCLUSIVE when something could not be decided (another tool build
 * rendered the PDF and there is no detached signature; different trusted keys for the re-run;
 * a case to compare with but no anchor in the attestation),
 * PASS otherwise. Only unusable input (unreadable file, bad key) throws.
 */
import { closeSync } from 'node:fs';
import { basename } from 'node:path';
import { keyFingerprint } from '../../shared/keys/keys.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import type { CaseAnchor } from '../../shared/report/case-anchor.js';
import { compareVerificationResults } from '../../shared/report/compare.js';
import type { VerificationStatement } from '../../shared/report/predicate.js';
import {
  REPORT_VERIFICATION_SCHEMA,
  type ReportCheck,
  type ReportCheckId,
  type ReportVerification,
} from '../../shared/report/report-verification.js';
import { ATTESTATION_ATTACHMENT } from '../../shared/report/verification-document.js';
import type { CheckStatus } from '../../shared/verdict/result.js';
import type { TrustArg } from '../keys/trust-files.js';
import { openRegular } from '../platform/open-regular.js';
import type { VerifyProgress } from '../verify/bundle/verify.js';
import { verify } from '../verify/verify.js';
import { type ByteSource, fdSource } from './pdf/attachments.js';
import { type Add, ReportChecks } from './verify-report/checks.js';
import { checkEnvelope, NO_ATTESTATION } from './verify-report/envelope.js';
import { attachedEnvelope, checkDetachedSignature, wholeEnvelope } from './verify-report/envelope-source.js';
import { inputKind, sha256Of } from './verify-report/input.js';
import { checkRender } from './verify-report/render.js';
import { reportVerification } from './verify-report/result.js';

/** Largest report file read. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export { REPORT_VERIFICATION_SCHEMA, type ReportCheck, type ReportCheckId, type ReportVerification };

export interface ReportVerifyOptions {
  /** report.pdf or attestation.dsse.json. */
  readonly input: string;
  /** The examiner's public key (from a file the verifier trusts, never from the report). */
  readonly examinerKey: Uint8Array;
  /** Detached signature of a PDF; default `<input>.sig`. */
  readonly signature?: string;
  readonly rerun?: {
    /** The evidence to verify again: a bundle or any input format verifyAny reads. */
    readonly bundle: string;
    /** Trusted keys already loaded, and/or `--trust` arguments (key files, trusted roots…). */
    readonly trusted?: readonly TrustedKey[];
    readonly trustArgs?: readonly TrustArg[];
    readonly cwd?: string;
    readonly workers?: number;
    readonly signal?: AbortSignal;
    readonly onProgress?: (p: VerifyProgress) => void;
  };
  /** A case to check the attested anchor against (its id, and its journal rows' hashes by seq). */
  readonly caseJournal?: CaseJournalView;
}

/** What the case-anchor check reads of a case (electron/case caseJournalView). */
export interface CaseJournalView {
  readonly caseId: string;
  /** The journal's last row. */
  readonly head: { readonly seq: number; readonly hash: string };
  /**
   * The hash the journal's content gives row `seq`, recomputed from the genesis value
   * (undefined when rows 1..seq are not all there), and the first row whose stored hash or
   * link differs from that recomputation.
   */
  readonly chainHash: (seq: number) => { readonly hash: string | undefined; readonly firstChanged?: number };
}

/** Verifies a signed report; see the module comment. Throws only for unusable input. */
export async function verifyReport(opts: ReportVerifyOptions): Promise<ReportVerification> {
  const f = openRegular(opts.input, { what: 'report', follow: true, maxBytes: MAX_REPORT_BYTES });
  try {
    return await verifyOpenReport(opts, fdSource(f.fd, f.size));
  } finally {
    closeSync(f.fd);
  }
}

async function verifyOpenReport(opts: ReportVerifyOptions, src: ByteSource): Promise<ReportVerification> {
  const kind = inputKind(opts.input, src.read(0, 64));
  const inputSha256 = sha256Of(src);
  const name = basename(opts.input);
  const keyFp = keyFingerprint(opts.examinerKey);
  const r = new ReportChecks();

  // ── 1, 2: PDF signature and attachment (or the attestation given on its own) ──
  let detachedOk = false;
  let envelopeBytes: Uint8Array | undefined;
  const envelopeFile = kind === 'pdf' ? `${name}!/${ATTESTATION_ATTACHMENT}` : name;
  if (kind === 'attestation') envelopeBytes = wholeEnvelope(r, src, name);
  if (kind === 'pdf') {
    const sig = { path: opts.signature ?? `${opts.input}.sig`, examinerKey: opts.examinerKey, keyFp };
    detachedOk = checkDetachedSignature(r, src, name, sig);
    envelopeBytes = attachedEnvelope(r, src, name);
  }

  // ── 3, 4, 5: envelope, signature, statement ──
  const signed = envelopeBytes
    ? checkEnvelope(r, envelopeBytes, envelopeFile, opts.examinerKey, keyFp)
    : NO_ATTESTATION;
  const { statement } = signed;

  // ── 6: re-render ──
  if (kind === 'pdf') await checkRender(r, signed, { src, name, sha256: inputSha256 });

  // ── 7: re-run ──
  let rerun: ReportVerification['rerun'];
  if (opts.rerun) {
    if (!statement) r.checks.set('rerun', 'skipped');
    else rerun = await rerunEvidence(statement, opts.rerun, r.add, r.checks);
  }

  // ── 8: the case anchor ──
  if (opts.caseJournal) {
    if (!statement) r.checks.set('case-anchor', 'skipped');
    else r.checks.set('case-anchor', checkCaseAnchor(statement.predicate.case, opts.caseJournal, envelopeFile, r.add));
  }

  return reportVerification(r, {
    input: { kind, name, size: src.size, sha256: inputSha256 },
    examinerKey: keyFp,
    signed,
    detachedOk,
    rerun,
  });
}

/**
 * The signed anchor against the case: same case id, and the journal's rows 1..seq, hashed again
 * from their content, still give the anchored hash. Only a journal changed up to that row fails;
 * rows appended since are expected (the report.signed row itself is one).
 */
function checkCaseAnchor(anchor: CaseAnchor | undefined, j: CaseJournalView, file: string, add: Add): CheckStatus {
  if (!anchor) {
    add(
      'REPORT_NOT_ANCHORED',
      { file, path: '$.predicate.case' },
      'the attestation was not signed in a case: there is no journal head to compare with the case',
    );
    return 'inconclusive';
  }
  if (anchor.caseId !== j.caseId) {
    add(
      'REPORT_CASE_MISMATCH',
      { file, path: '$.predicate.case.caseId' },
      `the report was signed in case ${anchor.caseId}, not in case ${j.caseId}`,
      { expected: anchor.caseId, actual: j.caseId },
    );
    return 'fail';
  }
  const { seq, hash } = anchor.journalHead;
  const now = j.chainHash(seq);
  if (now.hash !== hash) {
    const where = now.firstChanged !== undefined ? ` (the first changed row is ${now.firstChanged})` : '';
    add(
      'REPORT_ANCHOR_MISMATCH',
      { file, path: '$.predicate.case.journalHead' },
      now.hash === undefined
        ? `the case journal no longer holds rows 1 to ${seq} in order (it ends at row ${j.head.seq})${where}: it was cut or rewritten after the report was signed`
        : `the case journal's rows 1 to ${seq} no longer hash to the anchored value${where}: the journal was changed up to that row after the report was signed`,
      { journalSeq: seq, expected: hash, actual: now.hash ?? null, firstChangedRow: now.firstChanged ?? null },
    );
    return 'fail';
  }
  return 'pass';
}

async function rerunEvidence(
  statement: VerificationStatement,
  opts: NonNullable<ReportVerifyOptions['rerun']>,
  add: Add,
  checks: Map<ReportCheckId, CheckStatus>,
): Promise<ReportVerification['rerun']> {
  const attested = statement.predicate.result;
  // A key's roles decide what its signatures count for, so they are part of the trust compared
  // (attestations made before keys had roles list fingerprints only).
  const withRoles = attested.trustedKeys.every((k) => k.roles !== undefined);
  const keyId = (k: { fingerprint: string; roles?: readonly string[] }) =>
    withRoles ? `${k.fingerprint}:${(k.roles ?? []).join('+')}` : k.fingerprint;
  const want = [...new Set(attested.trustedKeys.map(keyId))].sort();
  const trustDiffers = (keys: readonly { fingerprint: string; roles?: readonly string[] }[]) => {
    const have = [...new Set(keys.map(keyId))].sort();
    if (want.join() === have.join()) return false;
    checks.set('rerun', 'inconclusive');
    add(
      'RERUN_TRUST_DIFFERS',
      {},
      `the re-run trusts ${have.length} keys, the attestation ${want.length}; give the same keys in the same roles with --trust, --witness and --entry-key`,
      { expected: want.join(','), actual: have.join(',') },
    );
    return true;
  };
  // Keys given as loaded Ed25519 keys can be compared before spending time on the re-run.
  if (opts.trusted && !opts.trustArgs?.length && trustDiffers(opts.trusted)) return undefined;
  const out = await verify(opts.bundle, {
    ...(opts.trusted ? { trusted: opts.trusted } : {}),
    ...(opts.trustArgs ? { trustArgs: opts.trustArgs } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    maxEntryBytes: attested.parameters.maxEntryBytes,
    findingsPerCode: attested.parameters.findingsPerCode,
    crossCheck: attested.parameters.crossCheck,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const result = out.run.result;
  if (trustDiffers(result.trustedKeys)) return undefined;
  let bad = 0;
  const attestedFiles = new Map(attested.bundle.files.map((f) => [f.path, f.sha256]));
  const rerunFiles = new Map(result.bundle.files.map((f) => [f.path, f.sha256]));
  for (const [path, sha] of attestedFiles) {
    const now = rerunFiles.get(path);
    if (now !== sha) {
      bad++;
      add(
        'RERUN_INPUT_MISMATCH',
        { file: path },
        now === undefined
          ? `${path} was read for the report but not by the re-run`
          : `${path} differs from the attested file`,
        { expected: sha, actual: now ?? null },
      );
    }
  }
  for (const [path, sha] of rerunFiles) {
    if (!attestedFiles.has(path)) {
      bad++;
      add('RERUN_INPUT_MISMATCH', { file: path }, `${path} was read by the re-run but is not in the attestation`, {
        expected: null,
        actual: sha,
      });
    }
  }
  const diffs = compareVerificationResults(attested, result);
  for (const d of diffs)
    add('RERUN_RESULT_MISMATCH', { path: d.path }, `the re-run result differs at ${d.path}`, {
      expected: d.attested,
      actual: d.rerun,
    });
  checks.set('rerun', bad + diffs.length === 0 ? 'pass' : 'fail');
  return { verdict: result.verdict, differences: bad + diffs.length };
}
