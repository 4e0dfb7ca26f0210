/** The bundle file parsed and verified against the trusted roots (shared/formats/sigstore/verify.ts). */
import { basename } from 'node:path';
import { utf8 } from '../../../../shared/encoding/bytes.js';
import { parseJsonBytes } from '../../../../shared/encoding/json.js';
import { parseSigstoreBundle, type SigstoreBundle } from '../../../../shared/formats/sigstore/bundle.js';
import { type SigstoreVerification, verifySigstore } from '../../../../shared/formats/sigstore/verify.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import type { EntryStatus } from '../../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport, ProofReport } from '../../../../shared/verdict/result.js';
import { nodeSha256 } from '../../../platform/node-hash.js';
import type { AdapterOptions, SignaturePaths } from '../common.js';
import { keysInRole } from '../trust.js';

/** What the bundle showed, ready for the result. */
export interface SigstoreOutcome {
  readonly layout: string;
  readonly files: BundleFileReport[];
  readonly findings: Finding[];
  readonly entryCount: number;
  readonly statuses: EntryStatus[];
  readonly checkpoints: CheckpointReport[];
  readonly proofs: ProofReport[];
  readonly counters: SigstoreVerification['counters'];
  readonly inconclusive: boolean;
}

/** The bundle file as read: its name, bytes and file report. */
export interface BundleFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly report: BundleFileReport;
}

export function judgeSigstoreBundle(
  bundle: BundleFile,
  a: AdapterOptions,
  sig: SignaturePaths,
  artifact: Uint8Array | undefined,
): SigstoreOutcome {
  const { name } = bundle;
  const json = parseJsonBytes(bundle.bytes);
  const parsed = json.ok ? parseSigstoreBundle(json.value, utf8) : { problems: [json.problem] };
  const F: Finding[] = [];
  for (const p of parsed.problems) F.push(finding('DOCUMENT_INVALID', { file: name, path: p.path }, p.message));
  if (!('bundle' in parsed && parsed.bundle)) return unreadable(bundle.report, F);
  const b = parsed.bundle;
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
  F.push(...v.findings);
  return {
    layout: layoutOf(b),
    files: artifact && a.artifact ? [bundle.report, artifactReport(a.artifact, artifact)] : [bundle.report],
    findings: F,
    entryCount: b.tlogEntries.length,
    statuses: [...v.statuses],
    checkpoints: [...v.checkpoints],
    proofs: [...v.proofs],
    counters: { ...v.counters },
    inconclusive: v.inconclusive,
  };
}

function unreadable(report: BundleFileReport, findings: Finding[]): SigstoreOutcome {
  return {
    layout: 'bundle (unreadable)',
    files: [report],
    findings,
    entryCount: 0,
    statuses: [],
    checkpoints: [],
    proofs: [],
    counters: { sets: 0, setsInvalid: 0, artifactChecks: 0, artifactProblems: 0, bodyProblems: 0 },
    inconclusive: false,
  };
}

function layoutOf(b: SigstoreBundle): string {
  return `bundle v${b.version}, ${b.tlogEntries.map((e) => `${e.kind} ${e.version}`).join(', ')}`;
}

function artifactReport(path: string, artifact: Uint8Array): BundleFileReport {
  return {
    path: basename(path),
    size: artifact.length,
    sha256: Buffer.from(nodeSha256(artifact)).toString('hex'),
    role: 'entries',
  };
}
