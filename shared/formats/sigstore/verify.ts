/**
 * Offline verification of a Sigstore bundle's transparency-log entries (and, given the
 * artifact, of what was signed), against trusted roots the examiner imported. For each entry:
 *
 *  1. its log must be a tlog of a trusted root (`logId.keyId`), else KEY_UNTRUSTED;
 *  2. the signed entry timestamp (Rekor v1), when present, must verify under the log key over
 *     the RFC 8785 JSON {body, integratedTime, logID (hex), logIndex} (SIGNATURE_INVALID); it
 *     is the only authenticated time a bundle carries, and is then used for key windows;
 *  3. the checkpoint must be a signed note by the log key (Rekor v1: ECDSA P-256, key hint =
 *     SHA-256(SPKI)[:4]; Rekor v2: Ed25519 note signature) whose origin is the log's host (v2)
 *     or starts with "<host> - " (v1), within the key's validity window;
 *  4. the inclusion proof is judged against the checkpoint's size and root, never against the
 *     size and root the proof states (PROOF_CHECKPOINT_MISMATCH when they differ, PROOF_INVALID
 *     when the path does not reach the signed root), with leaf = the canonicalized body;
 *  5. the body must describe the bundle's digest, signature and certificate (TLOG_BODY_MISMATCH).
 * Not verified (docs/formats.md): the Fulcio certificate chain, SCTs, RFC 3161 timestamps and
 * the identity policy.
 */

import type { EcdsaVerifyFn } from '../../crypto/ecdsa.js';
import type { Sha256 } from '../../crypto/hash.js';
import { bytesEqual, toHex, tryDecodeUtf8, utf8 } from '../../encoding/bytes.js';
import { canonicalJson } from '../../encoding/jcs.js';
import type { FormatPublicKey } from '../../keys/public-key.js';
import { applyKeyValidity, counts, judgeKeyWindow, type KeyWindow } from '../../keys/validity.js';
import { readCertificate } from '../../keys/x509.js';
import { checkpointOriginOf, judgeCheckpoint } from '../../tlog/checkpoints.js';
import { hashLeaf } from '../../tlog/merkle/hash.js';
import { verifyInclusion } from '../../tlog/merkle/proof.js';
import type { Ed25519VerifyFn } from '../../tlog/note.js';
import { type Finding, finding, type Location } from '../../verdict/findings.js';
import type { EntryStatus } from '../../verdict/format-result.js';
import type { CheckpointReport, ProofReport } from '../../verdict/result.js';
import { checkBody } from './body.js';
import type { SigstoreBundle, TlogEntry } from './bundle.js';
import type { TlogInstance, TrustedRoot } from './trusted-root.js';

export interface SigstoreContext {
  readonly name: string;
  readonly roots: readonly TrustedRoot[];
  readonly ed25519: Ed25519VerifyFn;
  readonly ecdsa: EcdsaVerifyFn;
  readonly sha256: Sha256;
  /** The artifact's bytes, when the examiner gives it. */
  readonly artifact?: Uint8Array;
  /** Keys for bundles signed by a key instead of a certificate. */
  readonly signingKeys?: readonly FormatPublicKey[];
}

export interface SigstoreVerification {
  readonly statuses: readonly EntryStatus[];
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly findings: readonly Finding[];
  readonly counters: {
    readonly sets: number;
    readonly setsInvalid: number;
    readonly artifactChecks: number;
    readonly artifactProblems: number;
    readonly bodyProblems: number;
  };
  /** The authenticated signing times (integrated times under a verified SET), seconds. */
  readonly times: readonly number[];
  /**
   * A signature asked about was not judged: a certificate's validity window with no authenticated
   * time, or an artifact given with no key for its signature. Nothing failed, nothing passed.
   */
  readonly inconclusive: boolean;
}

/** DSSE v1 pre-authentication encoding (secure-systems-lab/dsse, protocol.md "Signature definition"). */
export function dssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const t = utf8(payloadType);
  const head = utf8(`DSSEv1 ${t.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function verifyWith(key: FormatPublicKey, message: Uint8Array, signature: Uint8Array, ctx: SigstoreContext): boolean {
  if (key.kind === 'ecdsa-p256') return ctx.ecdsa(key.point, message, signature);
  if (key.kind === 'ed25519') return signature.length === 64 && ctx.ed25519(key.publicKey, message, signature);
  return false;
}

function originMatches(origin: string, tlog: TlogInstance): boolean {
  return origin === tlog.host || origin.startsWith(`${tlog.host} - `);
}

export function verifySigstore(bundle: SigstoreBundle, ctx: SigstoreContext): SigstoreVerification {
  const F: Finding[] = [];
  const statuses: EntryStatus[] = [];
  const checkpoints: CheckpointReport[] = [];
  const proofs: ProofReport[] = [];
  const times: number[] = [];
  const counters = { sets: 0, setsInvalid: 0, artifactChecks: 0, artifactProblems: 0, bodyProblems: 0 };
  const tlogs = ctx.roots.flatMap((r) => r.tlogs);

  bundle.tlogEntries.forEach((e: TlogEntry, i) => {
    const at = (path: string, extra: Partial<Location> = {}): Location => ({
      file: ctx.name,
      entry: i,
      path,
      ...extra,
    });
    const before = F.length;
    const errorsSince = () => F.slice(before).some((f) => f.severity === 'error');
    const tlog = tlogs.find((t) => bytesEqual(t.logId, e.logId));
    if (!tlog) {
      F.push(
        finding(
          'KEY_UNTRUSTED',
          at(`${e.path}.logId.keyId`),
          'the entry names a transparency log that no trusted root lists',
          { logId: toHex(e.logId) },
        ),
      );
      statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
      return;
    }
    const window: KeyWindow = {
      ...(tlog.validFrom !== undefined ? { validFrom: tlog.validFrom } : {}),
      ...(tlog.validUntil !== undefined ? { validUntil: tlog.validUntil } : {}),
    };

    // ── signed entry timestamp ──
    let time: number | undefined;
    if (e.signedEntryTimestamp) {
      counters.sets++;
      const setPath = `${e.path}.inclusionPromise.signedEntryTimestamp`;
      if (e.integratedTime === undefined) {
        counters.setsInvalid++;
        F.push(
          finding(
            'DOCUMENT_INVALID',
            at(`${e.path}.integratedTime`),
            'a signed entry timestamp needs the integrated time it signs',
          ),
        );
      } else {
        const payload = canonicalJson({
          body: e.bodyBase64,
          integratedTime: e.integratedTime,
          logID: toHex(e.logId),
          logIndex: e.logIndex,
        });
        if (verifyWith(tlog.key, utf8(payload), e.signedEntryTimestamp, ctx)) {
          time = e.integratedTime;
          times.push(time);
        } else {
          counters.setsInvalid++;
          F.push(
            finding(
              'SIGNATURE_INVALID',
              at(setPath),
              `the signed entry timestamp does not verify under the key of ${tlog.host}`,
              { fingerprint: tlog.key.fingerprint, what: 'signed-entry-timestamp' },
            ),
          );
        }
      }
      if (time !== undefined) {
        // The integrated time is signed by the log key itself (validity.ts "keySigned").
        if (!counts(judgeKeyWindow(window, { keySigned: time }))) {
          F.push(
            finding(
              'KEY_NOT_VALID_AT_TIME',
              at(setPath),
              `the key of ${tlog.host} was not valid at the integrated time ${new Date(time * 1000).toISOString()}`,
              { fingerprint: tlog.key.fingerprint, time },
            ),
          );
        }
      }
    }

    // ── body against the bundle content ──
    const body = checkBody(e.body, e.kind, e.version, bundle.content, bundle.certificate, ctx.sha256);
    if (!body.ok) {
      if (body.unsupported)
        F.push(
          finding(
            'DOCUMENT_INVALID',
            at(`${e.path}.kindVersion`),
            `entry kind ${body.unsupported} is not supported; its body cannot be compared with the bundle`,
            { kind: body.unsupported },
          ),
        );
      for (const m of body.mismatches) {
        counters.bodyProblems++;
        F.push(
          finding(
            'TLOG_BODY_MISMATCH',
            at(`${e.path}.canonicalizedBody`),
            `the logged ${m.what} (${m.path}) is not the bundle's`,
            {
              bodyPath: m.path,
              ...(m.expected !== undefined ? { expected: m.expected } : {}),
              ...(m.actual !== undefined ? { actual: m.actual } : {}),
            },
          ),
        );
      }
    }

    // ── checkpoint and inclusion proof ──
    const p = e.inclusionProof;
    if (!p) {
      F.push(
        finding(
          'UNSEALED_ENTRIES',
          at(e.path, { range: [i, i + 1] }),
          'no inclusion proof: only a signed entry timestamp (a promise of inclusion) covers this entry',
        ),
      );
      statuses.push(
        errorsSince()
          ? { status: 'failed', reason: 'ENTRY_ERRORS' }
          : { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' },
      );
      return;
    }
    const cpPath = `${e.path}.inclusionProof.checkpoint.envelope`;
    const cpFile = `${ctx.name}#${cpPath}`;
    const cpOrigin = checkpointOriginOf(p.checkpoint)?.origin;
    const origin = cpOrigin !== undefined && originMatches(cpOrigin, tlog) ? cpOrigin : tlog.host;
    // A trusted root's tlog keys are log keys by what they are.
    const ed =
      tlog.key.kind === 'ed25519'
        ? [
            {
              publicKey: tlog.key.publicKey,
              fingerprint: tlog.key.fingerprint,
              name: tlog.host,
              roles: ['log' as const],
            },
          ]
        : [];
    const extra =
      tlog.key.kind === 'ecdsa-p256' ? [{ kind: 'rekor-ecdsa' as const, key: tlog.key, label: tlog.host }] : [];
    const judged = applyKeyValidity(
      judgeCheckpoint(cpFile, p.checkpoint, {
        origin,
        trusted: ed,
        bundleKeys: [],
        verify: ctx.ed25519,
        extraKeys: extra,
        ecdsa: ctx.ecdsa,
      }),
      {
        windows: new Map([[tlog.key.fingerprint, window]]),
        ...(time !== undefined ? { keySigned: time } : {}),
      },
    );
    checkpoints.push(judged.report);
    for (const f of judged.findings)
      F.push({ ...f, location: { ...f.location, file: ctx.name, entry: i, path: cpPath } });
    const leaf = hashLeaf(e.body, ctx.sha256);
    const base = { file: `${ctx.name}#${e.path}.inclusionProof`, kind: 'inclusion' as const, index: p.logIndex };
    if (!judged.trusted) {
      proofs.push({ ...base, status: 'failed' });
      // Untrusted only because no time shows its key was valid (TIME_NOT_ESTABLISHED): the entry cannot be verified, nothing shows it is wrong.
      if (judged.timeLost && !errorsSince()) {
        statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
        return;
      }
      F.push(
        finding(
          'PROOF_INVALID',
          at(`${e.path}.inclusionProof`),
          "the entry's checkpoint is not trusted, so its inclusion proof proves nothing",
        ),
      );
      statuses.push({ status: 'failed', reason: 'ENTRY_ERRORS' });
      return;
    }
    const { size, root } = judged.trusted;
    if (p.treeSize !== size || !bytesEqual(p.rootHash, root)) {
      F.push(
        finding(
          'PROOF_CHECKPOINT_MISMATCH',
          at(`${e.path}.inclusionProof`, { checkpointSize: size }),
          `the proof states tree size ${p.treeSize} and its root, the signed checkpoint has size ${size}${bytesEqual(p.rootHash, root) ? '' : ' and another root'}; the proof is judged against the checkpoint`,
          {
            expected: toHex(root),
            actual: toHex(p.rootHash),
            expectedSize: size,
            actualSize: p.treeSize,
          },
        ),
      );
    }
    const v = verifyInclusion(p.logIndex, size, leaf, p.hashes, root, ctx.sha256);
    if (!v.ok) {
      F.push(
        finding(
          'PROOF_INVALID',
          at(`${e.path}.inclusionProof`, { checkpointSize: size }),
          `the inclusion proof for index ${p.logIndex} does not reach the signed root of tree size ${size} (${v.reason})`,
          {
            reason: v.reason,
            ...(v.expected ? { expected: v.expected } : {}),
            ...(v.computed ? { actual: v.computed } : {}),
          },
        ),
      );
    }
    proofs.push({ ...base, size, status: v.ok ? 'verified' : 'failed' });
    statuses.push(
      errorsSince()
        ? { status: 'failed', reason: v.ok ? 'ENTRY_ERRORS' : 'ENTRY_CHANGED' }
        : { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' },
    );
  });

  // ── what was signed: the artifact digest and signature, the DSSE envelope ──
  const content = bundle.content;
  const top = (path: string): Location => ({ file: ctx.name, path });
  let signer: FormatPublicKey | undefined;
  let cert: ReturnType<typeof readCertificate> | undefined;
  if (bundle.certificate) {
    cert = readCertificate(bundle.certificate);
    if (typeof cert === 'string')
      F.push(
        finding('DOCUMENT_INVALID', top('$.verificationMaterial'), `the signing certificate cannot be read: ${cert}`),
      );
    else signer = cert.publicKey;
  }
  const signingKeys = signer ? [signer] : (ctx.signingKeys ?? []);
  let inconclusive = false;
  const artifactProblem = (path: string, message: string, evidence?: Record<string, string | number>) => {
    counters.artifactProblems++;
    F.push(finding('ARTIFACT_MISMATCH', top(path), message, evidence));
  };
  if (content.kind === 'dsse' && signingKeys.length) {
    counters.artifactChecks++;
    const pae = dssePae(content.payloadType, content.payload);
    content.signatures.forEach((s, k) => {
      if (!signingKeys.some((key) => verifyWith(key, pae, s, ctx)))
        artifactProblem(
          `$.dsseEnvelope.signatures[${k}].sig`,
          'the DSSE envelope signature does not verify with the signing key',
          { reason: 'DSSE_SIGNATURE' },
        );
    });
  }
  // The algorithm name is unsigned bundle text; whatever it says must be the one algorithm the
  // digest can have been made with, whether or not an artifact is given to compare against.
  const badAlgorithm = content.kind === 'message' && content.digestAlgorithm !== 'SHA2_256';
  if (badAlgorithm)
    artifactProblem(
      '$.messageSignature.messageDigest.algorithm',
      `digest algorithm ${content.digestAlgorithm} is not supported`,
      { reason: 'ALGORITHM' },
    );
  if (ctx.artifact === undefined) {
    F.push(
      finding(
        'CONTENT_NOT_CHECKED',
        top('$'),
        'no --artifact was given: the log entry was verified, but not that an artifact matches the signed digest',
      ),
    );
  } else {
    counters.artifactChecks++;
    const digest = ctx.sha256(ctx.artifact);
    if (content.kind === 'message') {
      if (badAlgorithm) {
        // reported above
      } else if (!bytesEqual(digest, content.digest))
        artifactProblem(
          '$.messageSignature.messageDigest.digest',
          'the artifact is not the one whose digest was signed',
          { expected: toHex(content.digest), actual: toHex(digest), reason: 'DIGEST' },
        );
      if (signingKeys.length === 0) {
        inconclusive = true;
        F.push(
          finding(
            'CONTENT_NOT_CHECKED',
            top('$.messageSignature.signature'),
            'the bundle names no certificate and no signing key was given (--entry-key): the artifact signature was not checked',
          ),
        );
      } else if (!signingKeys.some((key) => verifyWith(key, ctx.artifact!, content.signature, ctx)))
        artifactProblem('$.messageSignature.signature', 'the artifact signature does not verify with the signing key', {
          reason: 'SIGNATURE',
        });
    } else {
      let subjects: unknown;
      try {
        subjects = (JSON.parse(tryDecodeUtf8(content.payload) ?? '') as { subject?: unknown }).subject;
      } catch {
        subjects = undefined;
      }
      const hex = toHex(digest);
      const listed =
        Array.isArray(subjects) &&
        subjects.some(
          (s) => typeof s === 'object' && s !== null && (s as { digest?: { sha256?: unknown } }).digest?.sha256 === hex,
        );
      if (!listed)
        artifactProblem('$.dsseEnvelope.payload', 'the artifact is not a subject of the signed in-toto statement', {
          actual: hex,
          reason: 'SUBJECT',
        });
      if (signingKeys.length === 0) {
        inconclusive = true;
        F.push(
          finding(
            'CONTENT_NOT_CHECKED',
            top('$.dsseEnvelope.signatures'),
            'the bundle names no certificate and no signing key was given (--entry-key): the envelope signature was not checked',
          ),
        );
      }
    }
  }
  // A signature by the certificate's key counts only inside the certificate's validity window,
  // which only an authenticated time (an integrated time under a verified SET) can place it in.
  const certSignatureChecked = content.kind === 'dsse' || ctx.artifact !== undefined;
  if (cert && typeof cert !== 'string' && certSignatureChecked) {
    for (const t of times) {
      if (t < cert.notBefore || t > cert.notAfter)
        artifactProblem(
          '$.verificationMaterial',
          `the signing certificate was not valid at the integrated time ${new Date(t * 1000).toISOString()}`,
          { reason: 'CERT_NOT_VALID_AT_TIME', time: t },
        );
    }
    if (times.length === 0) {
      inconclusive = true;
      F.push(
        finding(
          'TIME_NOT_ESTABLISHED',
          top('$.verificationMaterial'),
          `no authenticated time (no verified signed entry timestamp; RFC 3161 timestamps are not verified) shows the signature was made while the certificate was valid (${new Date(cert.notBefore * 1000).toISOString()} to ${new Date(cert.notAfter * 1000).toISOString()}): that was not checked`,
          { notBefore: cert.notBefore, notAfter: cert.notAfter },
        ),
      );
    }
  }
  return { statuses, checkpoints, proofs, findings: F, counters, times, inconclusive };
}
