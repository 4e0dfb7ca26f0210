/**
 * The Proofdesk verification-report predicate (docs/report-format.md §3): what an examiner
 * attests about one verification run, as the predicate of an in-toto Statement v1.
 *
 * It is modelled on SLSA's Verification Summary Attestation v1.0 (slsa.dev/spec/v1.0/
 * verification_summary): `verifier`, `timeVerified`, `resourceUri`, `policy` and
 * `verificationResult` keep their VSA meaning, and Proofdesk's extension carries the tool
 * build, the examiner, the case, both kinds of time (examiner clock, evidence bounds), every
 * input with its role, and the complete VerificationResult (checks, coverage, findings,
 * checkpoints, trusted keys, rule sets, parameters). VSA's SLSA-level fields (verifiedLevels,
 * dependencyLevels, slsaVersion) have no meaning for audit logs and are not used.
 *
 * Building is pure and deterministic: equal results and metadata give equal statements, and
 * RFC 8785 canonical JSON gives equal bytes.
 */

import { sha256 } from '../crypto/hash.js';
import { toHex, utf8 } from '../encoding/bytes.js';
import { canonicalJson } from '../encoding/jcs.js';
import { CAUSE_CODES } from '../verdict/cause.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_V1, type VerificationResult } from '../verdict/result.js';
import type { TimelineSummary } from '../verdict/timeline.js';
import { CASE_ANCHOR_SCHEMA, type CaseAnchor } from './case-anchor.js';
import { Problems, RFC3339_UTC, SHA256_HEX, type ValidationProblem } from './problems.js';
import { arr, checkSchema, int, obj, opt, type Schema, str } from './schema.js';
import { checkStatement, makeStatement, type Statement, type SubjectDescriptor } from './statement.js';

/** Our predicate type (docs/report-format.md). A new major version gets a new URI. */
export const VERIFICATION_PREDICATE_TYPE = 'https://proofdesk.dev/attestation/verification-report/v1';
/** VSA verifier.id: identifies Proofdesk as the verifier (the examiner is named separately). */
export const VERIFIER_ID = 'https://proofdesk.dev/verifier';
/** VSA policy.uri: the rules of docs/bundle-format.md, version 1, applied with the parameters and keys below. */
const POLICY_URI = 'https://proofdesk.dev/policy/bundle-format/v1';

export interface ExaminerIdentity {
  readonly name: string;
  readonly organisation?: string;
  readonly email?: string;
  /** Fingerprint of the examiner's Ed25519 signing key: hex SHA-256 of its DER SubjectPublicKeyInfo. */
  readonly keyFingerprint: string;
}

/** The digest of Proofdesk's own build (docs/report-format.md §5). */
export interface ToolBuild {
  readonly sha256: string;
  /** 'dist': the compiled package; 'source': TypeScript sources (development and tests). */
  readonly scope: 'dist' | 'source';
  readonly files: number;
}

export type InputRole = 'manifest' | 'entries' | 'checkpoint' | 'proof' | 'key' | 'archive' | 'trusted-key';

/** One input file; `name` is its subject name. */
export interface InputFile {
  readonly name: string;
  readonly role: InputRole;
  readonly size: number;
  readonly sha256: string;
  /** For trusted-key files: the fingerprint of the key the file holds. */
  readonly fingerprint?: string;
}

/** A trusted witness cosignature: its checkpoint (so its first `size` entries) existed no later than `time`. */
export interface WitnessedCheckpoint {
  readonly file: string;
  readonly size: number;
  readonly witness: string;
  readonly keyId: string;
  readonly time: string;
}

/** Times the evidence itself supports. Never the examiner machine's clock. */
export interface EvidenceTimeBounds {
  readonly source: 'evidence';
  /** The log's own `ts` of the first and last entry: claims of the log, signed only where coverage is verified. */
  readonly firstEntryTs?: string;
  readonly lastEntryTs?: string;
  /** Trusted cosignatures, by checkpoint size then time. */
  readonly witnessed: readonly WitnessedCheckpoint[];
}

/** The examiner machine's clock: recorded, labelled, never evidence. */
export interface ExaminerClock {
  readonly source: 'examiner-machine-clock';
  readonly trusted: false;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface VerificationPredicate {
  // ── SLSA VSA v1.0 fields ──
  readonly verifier: { readonly id: string; readonly version: Readonly<Record<string, string>> };
  /** = examinerClock.finishedAt: when the examiner's machine says the run finished. */
  readonly timeVerified: string;
  readonly resourceUri: string;
  readonly policy: { readonly uri: string; readonly digest: { readonly sha256: string } };
  /** PASSED only for verdict PASS; FAIL and INCONCLUSIVE are FAILED (the verdict says which). */
  readonly verificationResult: 'PASSED' | 'FAILED';
  // ── Proofdesk extension ──
  readonly tool: { readonly name: 'proofdesk'; readonly version: string; readonly build: ToolBuild };
  readonly examiner: ExaminerIdentity;
  readonly caseReference?: string;
  /** Signed inside a case: the case and its custody journal head at signing time (§3.1). */
  readonly case?: CaseAnchor;
  readonly examinerClock: ExaminerClock;
  readonly evidenceTime: EvidenceTimeBounds;
  /** The entries over time, by coverage, with the silent periods (from the evidence's own times). */
  readonly timeline?: TimelineSummary;
  readonly inputs: readonly InputFile[];
  readonly result: VerificationResult;
}

export type VerificationStatement = Statement<VerificationPredicate>;

export interface TrustInput {
  /** Base name of the key file as given to the examiner's tool. */
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly fingerprint: string;
}

export interface VerificationReportMeta {
  readonly examiner: ExaminerIdentity;
  readonly caseReference?: string;
  /** The case the report is signed in, with its journal head read just before signing. */
  readonly case?: CaseAnchor;
  /** RFC 3339 UTC, from the examiner machine's clock. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly toolBuild: ToolBuild;
  /** Versions of the components that shape the output, e.g. { pdfkit: '0.20.2' }; proofdesk is added. */
  readonly componentVersions?: Readonly<Record<string, string>>;
  /** A tar bundle: the archive itself (the result lists its members). */
  readonly archive?: { readonly size: number; readonly sha256: string };
  /** Key files the examiner trusted (inline keys have no file and appear only in result.trustedKeys). */
  readonly trustInputs: readonly TrustInput[];
  readonly timeline?: TimelineSummary;
}

/** Seconds since the epoch as RFC 3339 UTC without fractional seconds. Requires a safe integer. */
export function unixToRfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The policy document whose digest the predicate records: the rule sets, the parameters and
 * the set of trusted key fingerprints. Anyone can recompute it from the result.
 */
function policyDocument(result: VerificationResult): unknown {
  return {
    uri: POLICY_URI,
    rules: result.rules,
    parameters: result.parameters,
    trustedKeys: result.trustedKeys.map((k) => k.fingerprint).sort(),
  };
}

export function policyDigest(result: VerificationResult): string {
  return toHex(sha256(utf8(canonicalJson(policyDocument(result)))));
}

/** `proofdesk-bundle:<origin, percent-encoded>?manifest-sha256=<hex>`: the log, pinned to the manifest read. */
function bundleResourceUri(result: VerificationResult): string {
  const manifest = result.bundle.files.find((f) => f.role === 'manifest');
  return `proofdesk-bundle:${encodeURIComponent(result.bundle.origin)}${manifest ? `?manifest-sha256=${manifest.sha256}` : ''}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name}~${i}`;
  taken.add(n);
  return n;
}

/** Lists every input with its subject name: the archive, the bundle files read, the trusted key files. */
function verificationInputs(
  result: VerificationResult,
  meta: Pick<VerificationReportMeta, 'archive' | 'trustInputs'>,
): InputFile[] {
  const taken = new Set<string>();
  const out: InputFile[] = [];
  const b = result.bundle.name;
  if (meta.archive)
    out.push({ name: uniqueName(b, taken), role: 'archive', size: meta.archive.size, sha256: meta.archive.sha256 });
  for (const f of result.bundle.files)
    out.push({ name: uniqueName(`${b}/${f.path}`, taken), role: f.role, size: f.size, sha256: f.sha256 });
  const trust = [...meta.trustInputs].sort((x, y) =>
    x.name < y.name ? -1 : x.name > y.name ? 1 : x.sha256 < y.sha256 ? -1 : 1,
  );
  for (const k of trust)
    out.push({
      name: uniqueName(`trusted-keys/${k.name}`, taken),
      role: 'trusted-key',
      size: k.size,
      sha256: k.sha256,
      fingerprint: k.fingerprint,
    });
  return out;
}

function evidenceTimeBounds(result: VerificationResult): EvidenceTimeBounds {
  const witnessed: WitnessedCheckpoint[] = [];
  for (const c of result.checkpoints) {
    if (c.status !== 'trusted' || c.size === undefined) continue;
    for (const s of c.signatures) {
      if (s.kind !== 'cosignature' || s.status !== 'verified' || s.time === undefined) continue;
      witnessed.push({ file: c.file, size: c.size, witness: s.name, keyId: s.keyId, time: unixToRfc3339(s.time) });
    }
  }
  witnessed.sort(
    (a, b) =>
      a.size - b.size ||
      (a.time < b.time ? -1 : a.time > b.time ? 1 : a.witness < b.witness ? -1 : a.witness > b.witness ? 1 : 0),
  );
  const t = result.evidenceTime;
  return {
    source: 'evidence',
    ...(t.firstEntryTs !== undefined ? { firstEntryTs: t.firstEntryTs } : {}),
    ...(t.lastEntryTs !== undefined ? { lastEntryTs: t.lastEntryTs } : {}),
    witnessed,
  };
}

/**
 * Builds the in-toto Statement for one verification run.
 * Requires meta times in RFC 3339 UTC and meta.examiner.keyFingerprint of the signing key.
 */
export function buildVerificationStatement(
  result: VerificationResult,
  meta: VerificationReportMeta,
): VerificationStatement {
  const inputs = verificationInputs(result, meta);
  const subject: SubjectDescriptor[] = inputs.map((i) => ({ name: i.name, digest: { sha256: i.sha256 } }));
  const predicate: VerificationPredicate = {
    verifier: { id: VERIFIER_ID, version: { ...(meta.componentVersions ?? {}), proofdesk: result.tool.version } },
    timeVerified: meta.finishedAt,
    resourceUri: bundleResourceUri(result),
    policy: { uri: POLICY_URI, digest: { sha256: policyDigest(result) } },
    verificationResult: result.verdict === 'PASS' ? 'PASSED' : 'FAILED',
    tool: { name: 'proofdesk', version: result.tool.version, build: meta.toolBuild },
    examiner: meta.examiner,
    ...(meta.caseReference !== undefined ? { caseReference: meta.caseReference } : {}),
    ...(meta.case !== undefined ? { case: meta.case } : {}),
    examinerClock: {
      source: 'examiner-machine-clock',
      trusted: false,
      startedAt: meta.startedAt,
      finishedAt: meta.finishedAt,
    },
    evidenceTime: evidenceTimeBounds(result),
    ...(meta.timeline ? { timeline: meta.timeline } : {}),
    inputs,
    result,
  };
  return makeStatement(subject, VERIFICATION_PREDICATE_TYPE, predicate);
}

// ── schema of untrusted predicates ───────────────────────────────────────────────────────

const hex64 = str({ pattern: SHA256_HEX });
const time = str({ pattern: RFC3339_UTC });
const nat = int({ min: 0 });
const CODE = str({ pattern: /^[A-Z][A-Z0-9_]*$/, maxLength: 64 });

const FINDING: Schema = obj({
  code: CODE,
  severity: str({ oneOf: ['error', 'warning', 'info'] }),
  location: obj({
    file: opt(str()),
    entry: opt(nat),
    offset: opt(nat),
    checkpointSize: opt(nat),
    path: opt(str()),
    range: opt({ t: 'tuple', items: [nat, nat] }),
  }),
  message: str(),
  evidence: opt({ t: 'record', values: { t: 'scalar' } }),
});

const SPAN: Schema = obj({ from: nat, to: nat });

/** A cause of the diagnosis (shared/verdict/cause.ts); results since v2 carry them. */
const CAUSE: Schema = obj({
  cause: str({ oneOf: [...CAUSE_CODES] }),
  severity: str({ oneOf: ['error', 'warning', 'info'] }),
  entries: opt(SPAN),
  ranges: opt(arr(SPAN)),
  seq: opt(SPAN),
  checkpoints: opt(arr(obj({ file: str(), size: opt(nat) }))),
  signers: opt(arr(obj({ name: str(), keyId: str({ pattern: /^[0-9a-f]{8}$/ }), fingerprint: opt(hex64) }))),
  findings: arr(nat),
  text: str(),
});

const RESULT: Schema = obj({
  schema: str({ oneOf: [RESULT_SCHEMA, RESULT_SCHEMA_V1] }),
  verdict: str({ oneOf: ['PASS', 'FAIL', 'INCONCLUSIVE'] }),
  headline: opt(str()),
  diagnosis: opt(arr(CAUSE)),
  tool: obj({ name: { t: 'const', value: 'proofdesk' }, version: str() }),
  rules: obj({ ed25519: str(), merkle: str(), chain: str(), checkpoint: str() }),
  parameters: obj({ maxEntryBytes: nat, findingsPerCode: nat, crossCheck: { t: 'bool' } }),
  bundle: obj({
    name: str(),
    container: str({ oneOf: ['directory', 'tar'] }),
    origin: str(),
    formatVersion: nat,
    entryCount: nat,
    entriesBytes: nat,
    files: arr(
      obj({
        path: str(),
        size: nat,
        sha256: hex64,
        role: str({ oneOf: ['manifest', 'entries', 'checkpoint', 'proof', 'key'] }),
      }),
    ),
  }),
  trustedKeys: arr(
    obj({
      fingerprint: hex64,
      name: opt(str()),
      label: opt(str()),
      roles: opt(arr(str({ oneOf: ['log', 'witness', 'entry'] }))),
    }),
  ),
  checkpoints: arr(
    obj({
      file: str(),
      origin: opt(str()),
      size: opt(nat),
      rootHash: opt(hex64),
      computedRoot: opt(hex64),
      status: str({ oneOf: ['trusted', 'untrusted', 'rejected', 'malformed'] }),
      rootStatus: str({ oneOf: ['match', 'mismatch', 'beyond-entries', 'not-checked'] }),
      signatures: arr(
        obj({
          name: str(),
          keyId: str({ pattern: /^[0-9a-f]{8}$/ }),
          kind: str({ oneOf: ['log', 'cosignature', 'unknown'] }),
          status: str({
            oneOf: [
              'verified',
              'failed',
              'unknown-key',
              'bundle-key',
              'not-valid-at-time',
              'revoked',
              'wrong-role',
              'validity-unknown',
            ],
          }),
          fingerprint: opt(hex64),
          time: opt(nat),
        }),
      ),
    }),
  ),
  proofs: arr(
    obj({
      file: str(),
      kind: str({ oneOf: ['inclusion', 'consistency', 'unknown'] }),
      status: str({ oneOf: ['verified', 'failed', 'malformed'] }),
      index: opt(nat),
      size: opt(nat),
      size1: opt(nat),
      size2: opt(nat),
    }),
  ),
  checks: arr(
    obj({
      id: str(),
      status: str({ oneOf: ['pass', 'fail', 'inconclusive', 'skipped'] }),
      counts: { t: 'record', values: nat },
    }),
  ),
  coverage: obj({
    verified: nat,
    failed: nat,
    unverifiable: nat,
    ranges: arr(
      obj({ from: nat, to: nat, status: str({ oneOf: ['verified', 'failed', 'unverifiable'] }), reason: str() }),
    ),
  }),
  evidenceTime: obj({
    firstEntryTs: opt(str()),
    lastEntryTs: opt(str()),
    cosignedFrom: opt(nat),
    cosignedTo: opt(nat),
  }),
  findings: arr(FINDING),
  findingsOmitted: { t: 'record', values: nat, keys: /^[A-Z][A-Z0-9_]*$/ },
});

const VERIFICATION_PREDICATE_SCHEMA: Schema = obj({
  verifier: obj({ id: str(), version: { t: 'record', values: str() } }),
  timeVerified: time,
  resourceUri: str(),
  policy: obj({ uri: str(), digest: obj({ sha256: hex64 }) }),
  verificationResult: str({ oneOf: ['PASSED', 'FAILED'] }),
  tool: obj({
    name: { t: 'const', value: 'proofdesk' },
    version: str(),
    build: obj({ sha256: hex64, scope: str({ oneOf: ['dist', 'source'] }), files: nat }),
  }),
  examiner: obj({
    name: str({ maxLength: 1000 }),
    organisation: opt(str({ maxLength: 1000 })),
    email: opt(str({ maxLength: 1000 })),
    keyFingerprint: hex64,
  }),
  caseReference: opt(str({ maxLength: 1000 })),
  case: opt(CASE_ANCHOR_SCHEMA),
  examinerClock: obj({
    source: { t: 'const', value: 'examiner-machine-clock' },
    trusted: { t: 'const', value: false },
    startedAt: time,
    finishedAt: time,
  }),
  evidenceTime: obj({
    source: { t: 'const', value: 'evidence' },
    firstEntryTs: opt(str()),
    lastEntryTs: opt(str()),
    witnessed: arr(obj({ file: str(), size: nat, witness: str(), keyId: str(), time })),
  }),
  timeline: opt(
    obj({
      from: int({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
      bucketMs: int({ min: 1 }),
      bars: arr({ t: 'tuple', items: [nat, nat, nat, nat] }, { maxItems: 2000 }),
      silences: arr(obj({ fromIndex: nat, toIndex: nat, t0: int({ min: -8.64e15 }), t1: int({ min: -8.64e15 }) }), {
        maxItems: 1000,
      }),
      typicalGapMs: nat,
      silenceMs: nat,
      withoutTime: nat,
    }),
  ),
  inputs: arr(
    obj({
      name: str(),
      role: str({ oneOf: ['manifest', 'entries', 'checkpoint', 'proof', 'key', 'archive', 'trusted-key'] }),
      size: nat,
      sha256: hex64,
      fingerprint: opt(hex64),
    }),
  ),
  result: RESULT,
});

/**
 * Checks untrusted JSON as a verification Statement: the in-toto layer, the predicate schema,
 * and the consistency rules between them (predicateType, verificationResult = verdict, the
 * policy digest, timeVerified = examinerClock.finishedAt, subject = inputs). Returns every
 * problem with its JSON path; an empty list means `v` is a VerificationStatement.
 */
export function checkVerificationStatement(v: unknown): readonly ValidationProblem[] {
  const problems = [...checkStatement(v)];
  if (problems.length) return problems;
  const s = v as Statement<unknown>;
  if (s.predicateType !== VERIFICATION_PREDICATE_TYPE)
    return [{ path: '$.predicateType', message: `expected ${VERIFICATION_PREDICATE_TYPE}` }];
  const p = new Problems();
  checkSchema(s.predicate, VERIFICATION_PREDICATE_SCHEMA, '$.predicate', p);
  if (!p.ok) return p.list;
  const pred = s.predicate as VerificationPredicate;
  if (pred.verificationResult !== (pred.result.verdict === 'PASS' ? 'PASSED' : 'FAILED'))
    p.add('$.predicate.verificationResult', 'does not agree with result.verdict');
  if (pred.policy.digest.sha256 !== policyDigest(pred.result))
    p.add('$.predicate.policy.digest.sha256', 'is not the digest of the policy the result states');
  if (pred.timeVerified !== pred.examinerClock.finishedAt)
    p.add('$.predicate.timeVerified', 'differs from examinerClock.finishedAt');
  const r = pred.result as { schema: string; headline?: string; diagnosis?: unknown };
  const hasDiagnosis = r.headline !== undefined && r.diagnosis !== undefined;
  if (r.schema === RESULT_SCHEMA && !hasDiagnosis)
    p.add('$.predicate.result', `a ${RESULT_SCHEMA} result carries its headline and diagnosis`);
  if (r.schema === RESULT_SCHEMA_V1 && (r.headline !== undefined || r.diagnosis !== undefined))
    p.add('$.predicate.result', `a ${RESULT_SCHEMA_V1} result has no headline or diagnosis`);
  const subj = s.subject.map((x) => `${x.name}\u0000${x.digest.sha256 ?? ''}`);
  const inputs = pred.inputs.map((x) => `${x.name}\u0000${x.sha256}`);
  if (subj.length !== inputs.length || subj.some((x, i) => x !== inputs[i]))
    p.add('$.subject', 'subject does not list exactly the predicate inputs, in order');
  return p.list;
}
