/**
 * A Sigstore bundle file (v0.1–v0.3, Rekor v1 and v2 entries), verified offline against the
 * trusted roots given with --trust (shared/formats/sigstore/verify.ts). Each transparency-log
 * entry is one entry of the result; its checkpoint is a checkpoint of the result.
 */
import { basename, dirname } from 'node:path';
import { ECDSA_P256_RULESET } from '../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../shared/crypto/ed25519.js';
import { utf8 } from '../../../shared/encoding/bytes.js';
import { parseJsonBytes } from '../../../shared/encoding/json.js';
import { parseSigstoreBundle } from '../../../shared/formats/sigstore/bundle.js';
import { verifySigstore } from '../../../shared/formats/sigstore/verify.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, finding } from '../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport, ProofReport } from '../../../shared/verdict/result.js';
import { openBundle, readRegion } from '../../platform/bundle-source.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { type AdapterOptions, type AdapterOutput, readIn, runOf, signaturePaths } from './common.js';
import { keysInRole, trustReports } from './trust.js';

const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
/** Artifacts are hashed and signature-checked in memory; larger ones are refused with a clear error. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

export async function verifySigstoreBundle(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  if (a.trust.sigstoreRoots.length === 0)
    throw new ProofdeskError(
      'USAGE',
      'give the Sigstore trusted root (trusted_root.json) with --trust: a bundle cannot vouch for its own log',
    );
  const name = basename(a.input);
  const source = openBundle(dirname(a.input));
  const r = readIn(source, name, MAX_BUNDLE_BYTES, 'proof');
  if (r.kind !== 'ok')
    throw new ProofdeskError(
      r.kind === 'too-large' ? 'INPUT_TOO_LARGE' : 'INPUT_UNREADABLE',
      r.kind === 'unsafe' ? r.detail : `cannot read ${name}`,
    );
  const files: BundleFileReport[] = [r.report];
  const F: Finding[] = [];
  let artifact: Uint8Array | undefined;
  if (a.artifact !== undefined) {
    const art = openBundle(dirname(a.artifact)).locate(basename(a.artifact));
    if (!art.ok)
      throw new ProofdeskError(
        'INPUT_UNREADABLE',
        art.reason === 'UNSAFE' ? art.detail : `artifact not found: ${a.artifact}`,
      );
    artifact = readRegion(art.region, MAX_ARTIFACT_BYTES, 'artifact');
  }
  const sig = signaturePaths(a.crossCheck);
  const json = parseJsonBytes(r.bytes);
  const parsed = json.ok ? parseSigstoreBundle(json.value, utf8) : { problems: [json.problem] };
  let entryCount = 0;
  let statuses: EntryStatus[] = [];
  let checkpoints: CheckpointReport[] = [];
  let proofs: ProofReport[] = [];
  let counters = { sets: 0, setsInvalid: 0, artifactChecks: 0, artifactProblems: 0, bodyProblems: 0 };
  let layout = 'bundle (unreadable)';
  let inconclusive = false;
  for (const p of parsed.problems) F.push(finding('DOCUMENT_INVALID', { file: name, path: p.path }, p.message));
  if ('bundle' in parsed && parsed.bundle) {
    const b = parsed.bundle;
    layout = `bundle v${b.version}, ${b.tlogEntries.map((e) => `${e.kind} ${e.version}`).join(', ')}`;
    const v = verifySigstore(b, {
      name,
      roots: a.trust.sigstoreRoots,
      ed25519: sig.ed25519,
      ecdsa: sig.ecdsa,
      sha256: nodeSha256,
      ...(artifact ? { artifact } : {}),
      // The artifact's signer is an entry (event source) key; a log key never vouches for content.
      signingKeys: keysInRole(a.trust, 'entry').map((k) => k.key),
    });
    entryCount = b.tlogEntries.length;
    statuses = [...v.statuses];
    checkpoints = [...v.checkpoints];
    proofs = [...v.proofs];
    counters = { ...v.counters };
    inconclusive = v.inconclusive;
    F.push(...v.findings);
    if (artifact && a.artifact)
      files.push({
        path: basename(a.artifact),
        size: artifact.length,
        sha256: Buffer.from(nodeSha256(artifact)).toString('hex'),
        role: 'entries',
      });
  }
  const n = (code: string) => F.filter((f) => f.code === code).length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  const result = buildFormatResult({
    format: { id: 'sigstore', layout, signatureRules: [ECDSA_P256_RULESET, ED25519_RULESET] },
    toolVersion: TOOL_VERSION,
    name,
    container: 'directory',
    origin: checkpoints.find((c) => c.origin !== undefined)?.origin ?? '',
    entryCount,
    entriesBytes: 0,
    files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs,
    findings: F,
    entryStatuses: statuses,
    checks: [
      checkSummary('manifest', n('DOCUMENT_INVALID'), 1, { documents: 1, problems: n('DOCUMENT_INVALID') }),
      checkSummary('entries', counters.bodyProblems + counters.artifactProblems, entryCount + counters.artifactChecks, {
        entries: entryCount,
        bodyMismatches: counters.bodyProblems,
        artifactChecks: counters.artifactChecks,
        artifactProblems: counters.artifactProblems,
      }),
      checkSummary('entry-signatures', counters.setsInvalid, counters.sets, {
        signedEntryTimestamps: counters.sets,
        invalid: counters.setsInvalid,
      }),
      checkSummary('checkpoint-signatures', cpBad, checkpoints.length, {
        checkpoints: checkpoints.length,
        trusted: checkpoints.length - cpBad,
        problems: cpBad,
      }),
      checkSummary('merkle-roots', n('PROOF_CHECKPOINT_MISMATCH'), checkpoints.length - cpBad, {
        checked: checkpoints.length - cpBad,
        problems: n('PROOF_CHECKPOINT_MISMATCH'),
      }),
      checkSummary('proofs', proofs.filter((x) => x.status !== 'verified').length, proofs.length, {
        proofs: proofs.length,
        verified: proofs.filter((x) => x.status === 'verified').length,
      }),
    ],
    evidenceTime: {},
    ...(inconclusive ? { inconclusive: true } : {}),
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
  return { run: runOf(result, t0, r.bytes.length) };
}
