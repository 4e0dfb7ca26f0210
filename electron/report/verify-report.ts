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
import { createHash } from 'node:crypto';
import { closeSync, existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { sha256 } from '../../shared/crypto/hash.js';
import { toHex, tryDecodeUtf8 } from '../../shared/encoding/bytes.js';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { keyFingerprint } from '../../shared/keys/keys.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import type { CaseAnchor } from '../../shared/report/case-anchor.js';
import { compareVerificationResults } from '../../shared/report/compare.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  serializeEnvelope,
  verifyEnvelopeSignature,
} from '../../shared/report/dsse.js';
import { checkVerificationStatement, type VerificationStatement } from '../../shared/report/predicate.js';
import {
  REPORT_VERIFICATION_SCHEMA,
  type ReportCheck,
  type ReportCheckId,
  type ReportVerification,
} from '../../shared/report/report-verification.js';
import { ATTESTATION_ATTACHMENT } from '../../shared/report/verification-document.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { type Finding, type FindingCode, finding } from '../../shared/verdict/findings.js';
import type { CheckStatus, Verdict } from '../../shared/verdict/result.js';
import type { TrustArg } from '../keys/trust-files.js';
import { checkEd25519Chunks, checkEd25519Node } from '../platform/ed25519-node.js';
import { openRegular, readRegular } from '../platform/open-regular.js';
import type { VerifyProgress } from '../verify/bundle/verify.js';
import { verify } from '../verify/verify.js';
import { componentVersions, toolBuild } from './build-digest.js';
import { type ByteSource, extractAttachment, fdSource } from './pdf/attachments.js';
import { reportIdOf } from './sign.js';
import { renderVerificationPdf } from './verification-report.js';

/** Largest report file read. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;
const ED25519_SIGNATURE_BYTES = 64;

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

/** A report file, bounded; a named pipe or device there is refused at once (it would block the read). */
function readBounded(path: string, limit: number, what: string): Uint8Array {
  const buf = readRegular(path, { what, follow: true, maxBytes: limit });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** PDF or envelope, by extension first (a damaged PDF is still judged as a PDF), then by its first bytes. */
function inputKind(path: string, bytes: Uint8Array): 'pdf' | 'attestation' {
  const ext = extname(path).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.json') return 'attestation';
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return 'pdf';
  if (/^\s*\{/.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'))) return 'attestation';
  throw new ProofdeskError('INPUT_MALFORMED', `${path} is neither a report PDF nor a DSSE attestation (JSON)`);
}

/** The report is read in pieces of this size: never whole (500 MB appended to a report must not take 1 GB). */
const READ_CHUNK = 8 * 1024 * 1024;

function* chunksOf(src: ByteSource): Generator<Uint8Array> {
  for (let pos = 0; pos < src.size; pos += READ_CHUNK) yield src.read(pos, READ_CHUNK);
}

/** Offset of the first byte where `a` and the file differ (the shorter length when one is a prefix of the other). */
function firstDifference(a: Uint8Array, src: ByteSource): number {
  const n = Math.min(a.length, src.size);
  for (let pos = 0; pos < n; pos += READ_CHUNK) {
    const b = src.read(pos, Math.min(READ_CHUNK, n - pos));
    for (let i = 0; i < b.length; i++) if (a[pos + i] !== b[i]) return pos + i;
  }
  return n;
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
  const inputDigest = createHash('sha256');
  for (const c of chunksOf(src)) inputDigest.update(c);
  const inputSha256 = inputDigest.digest('hex');
  const name = basename(opts.input);
  const keyFp = keyFingerprint(opts.examinerKey);
  const findings: Finding[] = [];
  const checks = new Map<ReportCheckId, CheckStatus>();
  const add = (
    code: FindingCode,
    location: Finding['location'],
    message: string,
    evidence?: Record<string, string | number | boolean | null>,
  ) => findings.push(finding(code, location, message, evidence));
  let detachedOk = false;

  // ── 1, 2: PDF signature and attachment ──
  // An attestation given on its own is read whole, but only within the envelope limit.
  let envelopeBytes: Uint8Array | undefined;
  const envelopeFile = kind === 'pdf' ? `${name}!/${ATTESTATION_ATTACHMENT}` : name;
  if (kind === 'attestation') {
    if (src.size <= MAX_ENVELOPE_BYTES) envelopeBytes = src.read(0, src.size);
    else {
      checks.set('envelope', 'fail');
      add('ATTESTATION_MALFORMED', { file: name, path: '$' }, `envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`);
    }
  }
  if (kind === 'pdf') {
    const sigPath = opts.signature ?? `${opts.input}.sig`;
    if (!existsSync(sigPath)) {
      checks.set('detached-signature', 'skipped');
      add(
        'REPORT_SIGNATURE_MISSING',
        { file: basename(sigPath) },
        `${basename(sigPath)} not found; the PDF is checked by re-rendering it from its attestation`,
      );
    } else {
      // A sidecar that is not a small regular file (a named pipe, a device, a huge file) is a
      // failed check, not a hang or an aborted verification.
      let sig: Uint8Array;
      let unreadable: string | undefined;
      try {
        sig = readBounded(sigPath, 4096, 'signature');
      } catch (e) {
        if (!(e instanceof ProofdeskError)) throw e;
        sig = new Uint8Array(0);
        unreadable = typeof e.detail?.reason === 'string' ? e.detail.reason : e.code;
      }
      const v =
        unreadable !== undefined
          ? ({ ok: false, reason: unreadable } as const)
          : sig.length === ED25519_SIGNATURE_BYTES
            ? checkEd25519Chunks(opts.examinerKey, () => chunksOf(src), sig)
            : ({ ok: false, reason: 'SIG_LENGTH' } as const);
      detachedOk = v.ok;
      checks.set('detached-signature', v.ok ? 'pass' : 'fail');
      if (!v.ok)
        add(
          'REPORT_SIGNATURE_INVALID',
          { file: basename(sigPath) },
          `${basename(sigPath)} is not a valid signature of ${name} by key ${keyFp.slice(0, 16)}… (${v.reason})`,
          { reason: v.reason, size: sig.length },
        );
    }
    const a = extractAttachment(src, ATTESTATION_ATTACHMENT);
    checks.set('attachment', a.ok ? 'pass' : 'fail');
    if (!a.ok) {
      add('ATTESTATION_MISSING', { file: name }, `no readable ${ATTESTATION_ATTACHMENT} in ${name}: ${a.detail}`, {
        reason: a.reason,
      });
      envelopeBytes = undefined;
    } else envelopeBytes = a.bytes;
  }

  // ── 3, 4, 5: envelope, signature, statement ──
  let statement: VerificationStatement | undefined;
  let payload: Uint8Array | undefined;
  let canonicalEnvelope: Uint8Array | undefined;
  // Who the envelope says signed it, read only when the key given does not verify it.
  let claimedSigners: string[] | undefined;
  if (envelopeBytes) {
    const env = parseEnvelope(envelopeBytes);
    if (!env.ok) {
      checks.set('envelope', 'fail');
      for (const p of env.problems) add('ATTESTATION_MALFORMED', { file: envelopeFile, path: p.path }, p.message);
    } else if (env.envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      checks.set('envelope', 'fail');
      add(
        'ATTESTATION_MALFORMED',
        { file: envelopeFile, path: '$.payloadType' },
        `payloadType is ${JSON.stringify(env.envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`,
      );
    } else {
      checks.set('envelope', 'pass');
      const sig = verifyEnvelopeSignature(env.envelope, env.payload, opts.examinerKey, checkEd25519Node);
      checks.set('dsse-signature', sig.ok ? 'pass' : 'fail');
      if (!sig.ok) {
        claimedSigners = claimedSignerKeys(env.envelope.signatures, env.payload);
        add(
          'ATTESTATION_SIGNATURE_INVALID',
          { file: envelopeFile, path: '$.signatures' },
          `none of the ${sig.tried} signatures verifies with key ${keyFp.slice(0, 16)}…`,
          { tried: sig.tried, reasons: sig.failures.map((f) => (f.ok ? 'ok' : f.reason)).join(',') },
        );
      } else {
        payload = env.payload;
        canonicalEnvelope = serializeEnvelope(env.envelope);
        statement = checkPayload(env.payload, envelopeFile, keyFp, add);
        checks.set('statement', statement ? 'pass' : 'fail');
      }
    }
  }

  // ── 6: re-render ──
  if (kind === 'pdf') {
    if (!statement || !canonicalEnvelope || !payload) checks.set('render', 'skipped');
    else {
      const rendered = await renderVerificationPdf(statement, canonicalEnvelope, reportIdOf(payload));
      if (rendered.length === src.size && firstDifference(rendered, src) === src.size) checks.set('render', 'pass');
      else {
        const local = toolBuild();
        const versions = componentVersions();
        const attestedTool = statement.predicate.tool;
        const sameBuild =
          attestedTool.build.sha256 === local.sha256 && statement.predicate.verifier.version.pdfkit === versions.pdfkit;
        const evidence = {
          expected: toHex(sha256(rendered)),
          actual: inputSha256,
          firstDifference: firstDifference(rendered, src),
          attestedBuild: attestedTool.build.sha256,
          localBuild: local.sha256,
        };
        if (sameBuild) {
          checks.set('render', 'fail');
          add(
            'REPORT_RENDER_MISMATCH',
            { file: name, offset: evidence.firstDifference },
            `${name} differs from the PDF rendered from its attestation (first difference at byte ${evidence.firstDifference})`,
            evidence,
          );
        } else {
          checks.set('render', 'inconclusive');
          add(
            'REPORT_RENDERER_DIFFERS',
            { file: name },
            `${name} was rendered by Proofdesk ${attestedTool.version} build ${attestedTool.build.sha256.slice(0, 16)}…; this is build ${local.sha256.slice(0, 16)}…, whose rendering differs`,
            evidence,
          );
        }
      }
    }
  }

  // ── 7: re-run ──
  let rerun: ReportVerification['rerun'];
  if (opts.rerun) {
    if (!statement) checks.set('rerun', 'skipped');
    else rerun = await rerunEvidence(statement, opts.rerun, add, checks);
  }

  // ── 8: the case anchor ──
  if (opts.caseJournal) {
    if (!statement) checks.set('case-anchor', 'skipped');
    else checks.set('case-anchor', checkCaseAnchor(statement.predicate.case, opts.caseJournal, envelopeFile, add));
  }

  const hasError = findings.some((f) => f.severity === 'error');
  const undecided =
    findings.some((f) => f.code === 'RERUN_TRUST_DIFFERS' || f.code === 'REPORT_NOT_ANCHORED') ||
    (findings.some((f) => f.code === 'REPORT_RENDERER_DIFFERS') && !detachedOk);
  const verdict: Verdict = hasError ? 'FAIL' : undecided ? 'INCONCLUSIVE' : 'PASS';
  const otherSigner = claimedSigners !== undefined && claimedSigners.length > 0 && !claimedSigners.includes(keyFp);
  const changed =
    checks.get('dsse-signature') === 'fail' ||
    checks.get('detached-signature') === 'fail' ||
    checks.get('render') === 'fail' ||
    checks.get('statement') === 'fail';
  // A signature that fails for a key the report does not name is not evidence of a change: the
  // report was signed by someone else (or its key was not the one given). Only a signature of
  // the key given that no longer matches, or a PDF that is not what the signed attestation
  // renders to, shows the report was altered.
  const authenticity: ReportVerification['authenticity'] = otherSigner
    ? 'other-key'
    : changed
      ? 'altered'
      : checks.get('dsse-signature') === 'pass'
        ? 'authentic'
        : 'undetermined';
  const order: ReportCheckId[] = [
    'detached-signature',
    'attachment',
    'envelope',
    'dsse-signature',
    'statement',
    'render',
    'rerun',
    'case-anchor',
  ];
  const p = statement?.predicate;
  return {
    schema: REPORT_VERIFICATION_SCHEMA,
    verdict,
    input: { kind, name, size: src.size, sha256: inputSha256 },
    examinerKey: keyFp,
    authenticity,
    ...(otherSigner ? { signer: { fingerprints: claimedSigners! } } : {}),
    checks: order.filter((id) => checks.has(id)).map((id) => ({ id, status: checks.get(id)! })),
    findings,
    ...(p && payload
      ? {
          attested: {
            reportId: reportIdOf(payload),
            verdict: p.result.verdict,
            bundle: p.result.bundle.name,
            origin: p.result.bundle.origin,
            entryCount: p.result.bundle.entryCount,
            findings: p.result.findings.length,
            examiner: p.examiner.organisation ? `${p.examiner.name}, ${p.examiner.organisation}` : p.examiner.name,
            ...(p.caseReference !== undefined ? { caseReference: p.caseReference } : {}),
            ...(p.case !== undefined ? { case: p.case } : {}),
            timeVerified: p.timeVerified,
            toolVersion: p.tool.version,
            toolBuild: p.tool.build.sha256,
          },
        }
      : {}),
    ...(rerun ? { rerun } : {}),
  };
}

/**
 * The examiner keys an envelope names without proving it: each signature's keyid (Proofdesk
 * sets it to the key's fingerprint) and the statement's examiner.keyFingerprint. Hints only,
 * for saying which key to ask for; never used to accept a report.
 */
function claimedSignerKeys(signatures: ReadonlyArray<{ readonly keyid?: string }>, payload: Uint8Array): string[] {
  const out = new Set<string>();
  for (const s of signatures) if (s.keyid !== undefined && /^[0-9a-f]{64}$/.test(s.keyid)) out.add(s.keyid);
  try {
    const text = tryDecodeUtf8(payload);
    const v =
      text === undefined
        ? undefined
        : (JSON.parse(text) as { predicate?: { examiner?: { keyFingerprint?: unknown } } });
    const fp = v?.predicate?.examiner?.keyFingerprint;
    if (typeof fp === 'string' && /^[0-9a-f]{64}$/.test(fp)) out.add(fp);
  } catch {
    // An unreadable payload names no one.
  }
  return [...out];
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

type Add = (
  code: FindingCode,
  location: Finding['location'],
  message: string,
  evidence?: Record<string, string | number | boolean | null>,
) => void;

/** The payload must be UTF-8, canonical JSON (RFC 8785), a valid verification statement, and name the signing key. */
function checkPayload(payload: Uint8Array, file: string, keyFp: string, add: Add): VerificationStatement | undefined {
  const text = tryDecodeUtf8(payload);
  let v: unknown;
  try {
    if (text === undefined) throw new Error('not UTF-8');
    v = JSON.parse(text);
  } catch {
    add('ATTESTATION_MALFORMED', { file, path: '$' }, 'the payload is not UTF-8 JSON');
    return undefined;
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(v);
  } catch {
    canonical = undefined;
  }
  if (canonical !== text) {
    add('ATTESTATION_MALFORMED', { file, path: '$' }, 'the payload is not in RFC 8785 canonical form');
    return undefined;
  }
  const problems = checkVerificationStatement(v);
  for (const p of problems) add('ATTESTATION_MALFORMED', { file, path: p.path }, p.message);
  if (problems.length) return undefined;
  const s = v as VerificationStatement;
  if (s.predicate.examiner.keyFingerprint !== keyFp) {
    add(
      'ATTESTATION_KEY_MISMATCH',
      { file, path: '$.predicate.examiner.keyFingerprint' },
      'the attestation names another examiner key than the one that signed it',
      { expected: keyFp, actual: s.predicate.examiner.keyFingerprint },
    );
    return undefined;
  }
  return s;
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
