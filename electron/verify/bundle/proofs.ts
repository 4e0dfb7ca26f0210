/**
 * Step "proofs": proof files are parsed before the entries are hashed (their checkpoints join
 * the others, their leaf indexes tell the workers which leaf hashes to keep) and verified after,
 * against the checkpoints as judged and the entries' leaf hashes. A verified proof authenticates
 * subtrees of the signed tree; compared with the export's own subtrees they narrow down where
 * the export differs from what the log signed (the diagnosis reads them).
 */
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { bytesEqual } from '../../../shared/encoding/bytes.js';
import type { CheckpointContext } from '../../../shared/tlog/checkpoint-verify.js';
import { type JudgedNote, type ParsedProof, parseProofFile, verifyProof } from '../../../shared/tlog/proof-file.js';
import type { SubtreeFact } from '../../../shared/verdict/diagnosis.js';
import type { ProofReport } from '../../../shared/verdict/result.js';
import type { CheckpointSource, JudgedCheckpoint } from './checkpoints.js';
import type { Findings } from './collect.js';
import type { LoadedFile } from './files.js';
import type { MergeOutput } from './merge.js';

export interface ProofFile {
  readonly file: string;
  readonly parsed?: ParsedProof;
}

export function parseProofs(manifest: Manifest, files: ReadonlyMap<string, LoadedFile>, F: Findings): ProofFile[] {
  const out: ProofFile[] = [];
  for (const p of manifest.proofs) {
    const lf = files.get(p);
    if (!lf?.bytes) continue;
    const parsed = parseProofFile(lf.bytes);
    if (parsed.ok) out.push({ file: p, parsed: parsed.proof });
    else {
      F.add('PROOF_MALFORMED', { file: p }, `proof file cannot be parsed: ${parsed.reason}`);
      out.push({ file: p });
    }
  }
  return out;
}

/** The checkpoints proof files carry, to be judged with every other checkpoint. */
export function proofCheckpoints(proofs: readonly ProofFile[]): CheckpointSource[] {
  const out: CheckpointSource[] = [];
  for (const p of proofs) {
    if (p.parsed?.kind === 'inclusion') out.push({ file: p.file, bytes: p.parsed.checkpoint });
    if (p.parsed?.kind === 'consistency')
      out.push({ file: p.file, bytes: p.parsed.checkpoint1 }, { file: p.file, bytes: p.parsed.checkpoint2 });
  }
  return out;
}

/** Entries whose leaf hashes the proofs need. */
export function proofLeafIndexes(proofs: readonly ProofFile[]): number[] {
  return proofs.flatMap((p) => (p.parsed?.kind === 'inclusion' ? [p.parsed.index] : []));
}

export interface ProofOutcome {
  readonly reports: ProofReport[];
  readonly subtrees: SubtreeFact[];
}

/**
 * Verifies each proof against its checkpoint as judged in `checks` (found by file and bytes).
 * `exportSubtree(from, to)` gives the export's own hash over leaves [from, to), when it has them.
 */
export function verifyProofs(
  proofs: readonly ProofFile[],
  checks: readonly JudgedCheckpoint[],
  ctx: CheckpointContext,
  merged: MergeOutput | undefined,
  exportSubtree: (from: number, to: number) => Uint8Array | undefined,
  F: Findings,
): ProofOutcome {
  const reports: ProofReport[] = [];
  const subtrees: SubtreeFact[] = [];
  for (const pr of proofs) {
    if (!pr.parsed) {
      reports.push({ file: pr.file, kind: 'unknown', status: 'malformed' });
      continue;
    }
    const judged = (bytes: Uint8Array): JudgedNote | undefined => {
      const c = checks.find((x) => x.file === pr.file && bytesEqual(x.bytes, bytes));
      return c
        ? {
            ...(c.trusted ? { trusted: c.trusted } : {}),
            ...(c.timeLost ? { timeLost: true as const } : {}),
            findings: [],
          }
        : undefined;
    };
    const out = verifyProof(pr.file, pr.parsed, {
      ...ctx,
      judged,
      leafHash: (i) => merged?.leafHashes.get(i),
      entryCount: merged?.count ?? 0,
    });
    F.push(...out.findings);
    reports.push(out.report);
    for (const a of out.authenticated ?? []) {
      const mine = exportSubtree(a.from, a.to);
      if (mine) subtrees.push({ from: a.from, to: a.to, matches: bytesEqual(mine, a.hash), source: pr.file });
    }
  }
  return { reports, subtrees };
}
