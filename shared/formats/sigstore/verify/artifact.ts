/**
 * What was signed: the artifact digest and signature, the DSSE envelope, and the signing
 * certificate's validity at the authenticated times the entries established.
 */
import { bytesEqual, toHex, tryDecodeUtf8 } from '../../../encoding/bytes.js';
import type { FormatPublicKey } from '../../../keys/public-key.js';
import { type CertificateFields, readCertificate } from '../../../keys/x509.js';
import { finding } from '../../../verdict/findings.js';
import type { BundleContent, SigstoreBundle } from '../bundle.js';
import type { SigstoreRun } from './run.js';
import { dssePae, verifyWith } from './signature.js';

type MessageContent = Extract<BundleContent, { kind: 'message' }>;
type DsseContent = Extract<BundleContent, { kind: 'dsse' }>;

/** Runs after every entry: the certificate's window is judged at the times the entries authenticated. */
export function verifySignedContent(run: SigstoreRun, bundle: SigstoreBundle): void {
  const { ctx } = run;
  const content = bundle.content;
  const cert = bundle.certificate ? signingCertificate(run, bundle.certificate) : undefined;
  const signer = cert !== undefined && typeof cert !== 'string' ? cert.publicKey : undefined;
  const signingKeys = signer ? [signer] : (ctx.signingKeys ?? []);
  const unreadableCert = typeof cert === 'string';
  if (content.kind === 'dsse') {
    // The envelope is checked whether or not an artifact is given; without a key it cannot be.
    if (signingKeys.length) checkDsseSignatures(run, content, signingKeys);
    else noSigningKey(run, '$.dsseEnvelope.signatures', 'envelope', unreadableCert);
  }
  // The algorithm name is unsigned bundle text; whatever it says must be the one algorithm the
  // digest can have been made with, whether or not an artifact is given to compare against.
  const badAlgorithm = content.kind === 'message' && content.digestAlgorithm !== 'SHA2_256';
  if (badAlgorithm)
    artifactProblem(
      run,
      '$.messageSignature.messageDigest.algorithm',
      `digest algorithm ${content.digestAlgorithm} is not supported`,
      { reason: 'ALGORITHM' },
    );
  if (ctx.artifact === undefined) {
    run.findings.push(
      finding(
        'CONTENT_NOT_CHECKED',
        { file: ctx.name, path: '$' },
        'no --artifact was given: the log entry was verified, but not that an artifact matches the signed digest',
      ),
    );
  } else {
    run.counters.artifactChecks++;
    const digest = ctx.sha256(ctx.artifact);
    if (content.kind === 'message')
      compareMessageArtifact(run, content, ctx.artifact, digest, signingKeys, badAlgorithm, unreadableCert);
    else compareStatementSubject(run, content, digest);
  }
  // A signature by the certificate's key counts only inside the certificate's validity window,
  // which only an authenticated time (an integrated time under a verified SET) can place it in.
  const certSignatureChecked = content.kind === 'dsse' || ctx.artifact !== undefined;
  if (cert && typeof cert !== 'string' && certSignatureChecked) judgeCertificateTimes(run, cert);
}

function artifactProblem(
  run: SigstoreRun,
  path: string,
  message: string,
  evidence?: Record<string, string | number>,
): void {
  run.counters.artifactProblems++;
  run.findings.push(finding('ARTIFACT_MISMATCH', { file: run.ctx.name, path }, message, evidence));
}

/** The bundle's signing certificate, or why it cannot be read (reported). */
function signingCertificate(run: SigstoreRun, der: Uint8Array): CertificateFields | string {
  const cert = readCertificate(der);
  if (typeof cert === 'string')
    run.findings.push(
      finding(
        'DOCUMENT_INVALID',
        { file: run.ctx.name, path: '$.verificationMaterial' },
        `the signing certificate cannot be read: ${cert}`,
      ),
    );
  return cert;
}

function checkDsseSignatures(run: SigstoreRun, content: DsseContent, signingKeys: readonly FormatPublicKey[]): void {
  run.counters.artifactChecks++;
  const pae = dssePae(content.payloadType, content.payload);
  content.signatures.forEach((s, k) => {
    if (!signingKeys.some((key) => verifyWith(key, pae, s, run.ctx)))
      artifactProblem(
        run,
        `$.dsseEnvelope.signatures[${k}].sig`,
        'the DSSE envelope signature does not verify with the signing key',
        { reason: 'DSSE_SIGNATURE' },
      );
  });
}

/** The artifact's digest is the signed one, and its signature verifies (a bad algorithm is reported already). */
function compareMessageArtifact(
  run: SigstoreRun,
  content: MessageContent,
  artifact: Uint8Array,
  digest: Uint8Array,
  signingKeys: readonly FormatPublicKey[],
  badAlgorithm: boolean,
  unreadableCert: boolean,
): void {
  if (!badAlgorithm && !bytesEqual(digest, content.digest))
    artifactProblem(
      run,
      '$.messageSignature.messageDigest.digest',
      'the artifact is not the one whose digest was signed',
      { expected: toHex(content.digest), actual: toHex(digest), reason: 'DIGEST' },
    );
  if (signingKeys.length === 0) noSigningKey(run, '$.messageSignature.signature', 'artifact', unreadableCert);
  else if (!signingKeys.some((key) => verifyWith(key, artifact, content.signature, run.ctx)))
    artifactProblem(
      run,
      '$.messageSignature.signature',
      'the artifact signature does not verify with the signing key',
      {
        reason: 'SIGNATURE',
      },
    );
}

/** The artifact is a subject of the signed in-toto statement; the envelope signature was checked before. */
function compareStatementSubject(run: SigstoreRun, content: DsseContent, digest: Uint8Array): void {
  const subjects = statementSubjects(content.payload);
  const hex = toHex(digest);
  const listed =
    Array.isArray(subjects) &&
    subjects.some(
      (s) => typeof s === 'object' && s !== null && (s as { digest?: { sha256?: unknown } }).digest?.sha256 === hex,
    );
  if (!listed)
    artifactProblem(run, '$.dsseEnvelope.payload', 'the artifact is not a subject of the signed in-toto statement', {
      actual: hex,
      reason: 'SUBJECT',
    });
}

/** A signature no key can check: said, and the run cannot pass. */
function noSigningKey(run: SigstoreRun, path: string, what: 'artifact' | 'envelope', unreadableCert: boolean): void {
  run.inconclusive = true;
  const cause = unreadableCert ? "the bundle's certificate cannot be read" : 'the bundle names no certificate';
  run.findings.push(
    finding(
      'CONTENT_NOT_CHECKED',
      { file: run.ctx.name, path },
      `${cause} and no signing key was given (--entry-key): the ${what} signature was not checked`,
    ),
  );
}

/** The `subject` member of the DSSE payload read as JSON, or undefined when it is not JSON. */
function statementSubjects(payload: Uint8Array): unknown {
  try {
    return (JSON.parse(tryDecodeUtf8(payload) ?? '') as { subject?: unknown }).subject;
  } catch {
    return undefined;
  }
}

/** The certificate was valid at every authenticated time; with none, its window was not checked. */
function judgeCertificateTimes(run: SigstoreRun, cert: CertificateFields): void {
  for (const t of run.times) {
    if (t < cert.notBefore || t > cert.notAfter)
      artifactProblem(
        run,
        '$.verificationMaterial',
        `the signing certificate was not valid at the integrated time ${new Date(t * 1000).toISOString()}`,
        { reason: 'CERT_NOT_VALID_AT_TIME', time: t },
      );
  }
  if (run.times.length === 0) {
    run.inconclusive = true;
    run.findings.push(
      finding(
        'TIME_NOT_ESTABLISHED',
        { file: run.ctx.name, path: '$.verificationMaterial' },
        `no authenticated time (no verified signed entry timestamp; RFC 3161 timestamps are not verified) shows the signature was made while the certificate was valid (${new Date(cert.notBefore * 1000).toISOString()} to ${new Date(cert.notAfter * 1000).toISOString()}): that was not checked`,
        { notBefore: cert.notBefore, notAfter: cert.notAfter },
      ),
    );
  }
}
