/**
 * tlog-proof and consistency-proof files beside a tiled log: parsed before the entries are read
 * (so the tree keeps the leaves and roots they need), verified against the entries afterwards.
 */
import { toHex } from '../../../../shared/encoding/bytes.js';
import { parseCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import { checkpointOriginOf } from '../../../../shared/tlog/checkpoints.js';
import { parseNote } from '../../../../shared/tlog/note.js';
import {
  MAX_PROOF_FILE_BYTES,
  type ParsedProof,
  parseProofFile,
  verifyProof,
} from '../../../../shared/tlog/proof-file.js';
import type { TreeBuilder } from '../../../../shared/tlog/tree-builder.js';
import type { ProofReport } from '../../../../shared/verdict/result.js';
import { type AdapterOptions, readIn, type SignaturePaths } from '../common.js';
import type { JudgedCheckpoint } from './checkpoints.js';
import type { TiledLogRun } from './run.js';

export interface LoadedProof {
  readonly path: string;
  /** Absent when the file could not be read or parsed (a PROOF_MALFORMED finding says why). */
  readonly parsed?: ParsedProof;
}

/** What the tree must keep while the entries stream past. */
export interface TreeWants {
  /** Sizes whose roots are wanted: every checkpoint's, and every inclusion proof's checkpoint's. */
  readonly wantedSizes: Set<number>;
  /** Leaves whose hashes are wanted: every inclusion proof's. */
  readonly wantedLeaves: Set<number>;
  /** Sizes of the trusted checkpoints, ascending, each once. */
  readonly trustedSizes: number[];
}

export function readProofFiles(run: TiledLogRun, paths: readonly string[]): LoadedProof[] {
  const proofs: LoadedProof[] = [];
  for (const p of paths) {
    const r = readIn(run.source, p, MAX_PROOF_FILE_BYTES, 'proof');
    if (r.kind !== 'ok') {
      run.add(
        'PROOF_MALFORMED',
        { file: p },
        r.kind === 'too-large' ? 'proof file too large' : 'proof file unreadable',
      );
      proofs.push({ path: p });
      continue;
    }
    run.files.push(r.report);
    const parsed = parseProofFile(r.bytes);
    if (!parsed.ok) {
      run.add('PROOF_MALFORMED', { file: p }, `proof file cannot be parsed: ${parsed.reason}`);
      proofs.push({ path: p });
    } else proofs.push({ path: p, parsed: parsed.proof });
  }
  return proofs;
}

export function treeWants(checks: readonly JudgedCheckpoint[], proofs: readonly LoadedProof[]): TreeWants {
  const wantedSizes = new Set<number>();
  for (const ch of checks) if (ch.report.size !== undefined) wantedSizes.add(ch.report.size);
  const wantedLeaves = new Set<number>();
  for (const pr of proofs) {
    if (pr.parsed?.kind === 'inclusion') {
      wantedLeaves.add(pr.parsed.index);
      const s = sizeOfNote(pr.parsed.checkpoint);
      if (s !== undefined) wantedSizes.add(s);
    }
  }
  const trustedSizes = [...new Set(checks.filter((ch) => ch.trusted).map((ch) => ch.trusted!.size))].sort(
    (a, b) => a - b,
  );
  return { wantedSizes, wantedLeaves, trustedSizes };
}

function sizeOfNote(b: Uint8Array): number | undefined {
  const n = parseNote(b);
  const body = n.ok ? parseCheckpointBody(n.text) : undefined;
  return body?.ok ? body.size : undefined;
}

/** What the proofs are verified with and against. */
export interface ProofInputs {
  readonly origin: string;
  readonly trust: AdapterOptions['trust'];
  readonly sig: SignaturePaths;
  readonly builder: TreeBuilder;
  /** Entries read. */
  readonly count: number;
}

/** Verifies each proof against the entries read, in file order. */
export function verifyProofFiles(run: TiledLogRun, proofs: readonly LoadedProof[], x: ProofInputs): ProofReport[] {
  const { builder, count } = x;
  const proofReports: ProofReport[] = [];
  for (const pr of proofs) {
    if (!pr.parsed) {
      proofReports.push({ file: pr.path, kind: 'unknown', status: 'malformed' });
      continue;
    }
    const out = verifyProof(pr.path, pr.parsed, {
      origin: x.origin,
      trusted: x.trust.ed25519,
      bundleKeys: [],
      verify: x.sig.ed25519,
      leafHash: (i) => builder.leafHash(i),
      entryCount: count,
    });
    run.findings.push(...out.findings);
    proofReports.push(out.report);
    if (pr.parsed.kind === 'inclusion' && out.report.size !== undefined && out.report.size <= count)
      checkProofRoot(run, pr.path, pr.parsed.checkpoint, out.report, builder);
  }
  return proofReports;
}

/**
 * A verified inclusion proof whose checkpoint signs a root other than the entries': the entries are
 * not that log's. Requires report.size <= the entries read.
 */
function checkProofRoot(
  run: TiledLogRun,
  path: string,
  checkpoint: Uint8Array,
  report: ProofReport,
  builder: TreeBuilder,
): void {
  const size = report.size!;
  const signed = checkpointOriginOf(checkpoint);
  const computed = builder.root(size);
  if (signed && computed && signed.root !== toHex(computed) && report.status === 'verified') {
    run.add(
      'ROOT_MISMATCH',
      { file: path, checkpointSize: size, range: [0, size] },
      `the proof's checkpoint signs a root the entries do not reproduce`,
      { expected: signed.root, actual: toHex(computed) },
    );
  }
}
