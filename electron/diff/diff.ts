/**
 * Comparing two exports of one log (docs/diff.md): the one service behind `proofdesk diff` and
 * the app.
 *
 *   manifests (same origin, or a typed error) → verify A → verify B (verifyBundle, all workers)
 *   → descend both Merkle trees over the index block roots to the first divergent entry
 *   → pool the trusted checkpoints and judge (shared/diff/judge.ts)
 *   → evidence: consistency proof, proof of misbehaviour, entry diff around the divergence
 *
 * Only the blocks the descent and the proofs need are read after verification; the entries
 * themselves are never scanned a second time.
 */

import { DEFAULT_MAX_ENTRY_BYTES } from '../../shared/bundle/entry.js';
import { firstDivergence } from '../../shared/diff/descent.js';
import { diffDiagnosis } from '../../shared/diff/diagnosis.js';
import { type AlignBy, alignEntries, entryView, type WindowEntry } from '../../shared/diff/entries.js';
import { judgeDivergence, type SignedCheckpoint } from '../../shared/diff/judge.js';
import {
  formatMisbehaviourProof,
  MAX_PROOF_ENTRY_BYTES,
  type MisbehaviourLeaf,
  verifyMisbehaviourProof,
} from '../../shared/diff/misbehaviour.js';
import {
  type CheckpointRef,
  type ConsistencyEvidence,
  DIFF_SCHEMA,
  type DiffResult,
  type DiffRun,
  type DiffSide,
  type Divergence,
  type ForkPair,
  type MisbehaviourEvidence,
  type Side,
} from '../../shared/diff/model.js';
import { consistencyProofFrom, inclusionProofFrom, prefixRoot, rangeHashes } from '../../shared/diff/subtree.js';
import { bytesEqual, fromHex, toBase64, toHex } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import type { TrustedKey } from '../../shared/keys/trust.js';
import { logSigners } from '../../shared/tlog/checkpoint-verify.js';
import { verifyConsistency } from '../../shared/tlog/merkle/proof.js';
import { formatConsistencyProof } from '../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { compareFindings, type Finding, finding } from '../../shared/verdict/findings.js';
import type { CheckpointReport, VerificationRun } from '../../shared/verdict/result.js';
import { type BundleSource, openBundle, readRegion } from '../platform/bundle-source.js';
import { verifyEd25519Node } from '../platform/ed25519-node.js';
import { nodeSha256 } from '../platform/node-hash.js';
import { TOOL_VERSION } from '../platform/version.js';
import { type ExportEntries, exportEntries } from '../verify/bundle/export-entries.js';
import { readManifest } from '../verify/bundle/manifest-reader.js';
import type { VerifyProgress } from '../verify/bundle/verify.js';
import { detectFormat } from '../verify/detect.js';
import { verify } from '../verify/verify.js';
import { tiledExportEntries } from './tiled-entries.js';

export const DEFAULT_DIFF_WINDOW = 1000;
export const MAX_DIFF_WINDOW = 100_000;
/** Entries shown before and after the divergence in the context view. */
const CONTEXT_BEFORE = 2;
const CONTEXT_AFTER = 3;
const MAX_NOTE_BYTES = 1024 * 1024;

export type DiffProgress =
  | { readonly stage: 'verify'; readonly side: Side; readonly verify: VerifyProgress }
  | { readonly stage: 'compare' }
  | { readonly stage: 'done' };

export interface DiffOptions {
  readonly a: string;
  readonly b: string;
  readonly trusted: readonly TrustedKey[];
  readonly workers?: number;
  /** How entries pair up in the entry diff (default: by seq). */
  readonly alignBy?: AlignBy;
  /** Entries read from each export, from the divergence on, for the entry diff (default 1000). */
  readonly window?: number;
  readonly maxEntryBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DiffProgress) => void;
}

interface Loaded {
  readonly side: Side;
  readonly source: BundleSource;
  /** Known before verification for Proofdesk bundles (from the manifest); other formats state it in their result. */
  origin: string | undefined;
  run?: VerificationRun;
  entries?: ExportEntries;
}

/**
 * Verifies both exports and compares them. Throws ProofdeskError USAGE (detail.reason
 * ORIGIN_MISMATCH) when they are exports of different logs, and the errors of verifyBundle for
 * unusable input; everything the evidence shows is in the result.
 */
export async function diffBundles(opts: DiffOptions): Promise<DiffRun> {
  const t0 = Date.now();
  const window = opts.window ?? DEFAULT_DIFF_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1 || window > MAX_DIFF_WINDOW)
    throw new ProofdeskError('USAGE', `the diff window must be between 1 and ${MAX_DIFF_WINDOW} entries`);
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const alignBy: AlignBy = opts.alignBy ?? { kind: 'seq' };
  const cancelled = () => {
    if (opts.signal?.aborted) throw new ProofdeskError('CANCELLED', 'the comparison was cancelled');
  };
  cancelled();

  // Refuse a comparison across logs before spending minutes verifying.
  const sides: Record<Side, Loaded> = { A: load('A', opts.a), B: load('B', opts.b) };
  const sameLog = () => {
    if (sides.A.origin !== undefined && sides.B.origin !== undefined && sides.A.origin !== sides.B.origin) {
      throw new ProofdeskError(
        'USAGE',
        `the exports are of different logs: ${JSON.stringify(sides.A.origin)} and ${JSON.stringify(sides.B.origin)}; a diff compares two exports of one log`,
        {
          reason: 'ORIGIN_MISMATCH',
          originA: sides.A.origin,
          originB: sides.B.origin,
        },
      );
    }
  };
  sameLog();

  const verifyMs: Record<Side, number> = { A: 0, B: 0 };
  for (const s of ['A', 'B'] as const) {
    const t = Date.now();
    cancelled();
    const input = s === 'A' ? opts.a : opts.b;
    const out = await verify(input, {
      trusted: opts.trusted,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      maxEntryBytes,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress
        ? { onProgress: (verify: VerifyProgress) => opts.onProgress!({ stage: 'verify', side: s, verify }) }
        : {}),
    }).catch((e: unknown) => {
      cancelled(); // an abort surfaces as CANCELLED, whichever way verification noticed it
      throw e;
    });
    sides[s].run = out.run;
    sides[s].origin ??= out.run.result.bundle.origin;
    if (out.tiles) sides[s].entries = tiledExportEntries(input, out.tiles);
    else if (out.index) sides[s].entries = exportEntries(out.index);
    verifyMs[s] = Date.now() - t;
    sameLog();
  }
  cancelled();
  opts.onProgress?.({ stage: 'compare' });
  const tc = Date.now();

  const A = sides.A.entries;
  const B = sides.B.entries;
  const counts: Record<Side, number> = { A: A?.count ?? 0, B: B?.count ?? 0 };
  const compared = Math.min(counts.A, counts.B);
  const search = A && B ? firstDivergence(A.tree, B.tree, compared) : { comparisons: 0 };
  const k = search.index;

  const checkpoints: SignedCheckpoint[] = [];
  for (const s of ['A', 'B'] as const) {
    for (const c of sides[s].run!.result.checkpoints) {
      if (c.status !== 'trusted' || c.size === undefined || c.rootHash === undefined) continue;
      // Only log signatures that still count (right role, inside the key's window) tie a head to a key.
      const signers = logSigners(c);
      checkpoints.push({ side: s, file: c.file, size: c.size, root: fromHex(c.rootHash), signers });
    }
  }
  const trees = {
    ...(A ? { A: { count: A.count, rootAt: (n: number) => prefixRoot(A.tree, n, nodeSha256) } } : {}),
    ...(B ? { B: { count: B.count, rootAt: (n: number) => prefixRoot(B.tree, n, nodeSha256) } } : {}),
  };
  const j = judgeDivergence({ counts, ...(k !== undefined ? { divergence: k } : {}), checkpoints, trees });
  const findings: Finding[] = [...j.findings];

  // ── the entries around the divergence ──
  let divergence: Divergence | undefined;
  let entryDiff: DiffResult['entryDiff'];
  if (k !== undefined && A && B) {
    const from = Math.max(0, k - CONTEXT_BEFORE);
    const wa = A.readWindow(from, k - from + window, maxEntryBytes);
    const wb = B.readWindow(from, k - from + window, maxEntryBytes);
    const ctx = (w: WindowEntry[]) => w.filter((e) => e.index < k + CONTEXT_AFTER).map((e) => entryView(e));
    divergence = { index: k, context: { a: ctx(wa.entries), b: ctx(wb.entries) } };
    const ea = wa.entries.find((e) => e.index === k);
    const eb = wb.entries.find((e) => e.index === k);
    if (!ea || !eb) throw new ProofdeskError('INTERNAL', `entry ${k} could not be read back`);
    findings.push(
      finding('HISTORY_DIVERGES', { entry: k }, `the exports hold different entries from entry ${k} on`, {
        leafHashA: toHex(ea.leafHash),
        leafHashB: toHex(eb.leafHash),
        offsetA: ea.offset,
        offsetB: eb.offset,
      }),
    );
    entryDiff = alignEntries(
      wa.entries.filter((e) => e.index >= k),
      wb.entries.filter((e) => e.index >= k),
      { alignBy, aComplete: wa.complete, bComplete: wb.complete },
    );
  }

  // ── evidence: consistency proof between the newest signed heads ──
  let consistency: ConsistencyEvidence | undefined;
  if (j.consistencyPair && j.consistencyPair.older.size > 0) {
    const { older, newer, tree } = j.consistencyPair;
    const t = sides[tree].entries!;
    const proof = consistencyProofFrom(t.tree, older.size, newer.size, nodeSha256);
    const v = verifyConsistency(
      older.size,
      newer.size,
      fromHex(older.rootHash),
      fromHex(newer.rootHash),
      proof,
      nodeSha256,
    );
    if (!v.ok)
      throw new ProofdeskError(
        'INTERNAL',
        `consistency proof ${older.size} → ${newer.size} from export ${tree} does not verify (${v.reason})`,
      );
    const file = formatConsistencyProof(
      older.size,
      newer.size,
      proof,
      noteBytes(sides, older),
      noteBytes(sides, newer),
    );
    consistency = { older, newer, tree, proof: proof.map(toBase64), file: Buffer.from(file).toString('utf8') };
  }

  // ── evidence: proof of misbehaviour for the first fork ──
  let misbehaviour: MisbehaviourEvidence | undefined;
  const fork = j.forks[0];
  if (fork) misbehaviour = buildMisbehaviour(fork, sides, j.relations, k, opts.trusted, maxEntryBytes);

  const side = (s: Side): DiffSide => {
    const r = sides[s].run!.result;
    const entriesFile = r.bundle.files.find((f) => f.role === 'entries');
    return {
      name: r.bundle.name,
      container: r.bundle.container,
      entryCount: counts[s],
      ...(entriesFile ? { entriesSha256: entriesFile.sha256 } : {}),
      verification: r,
    };
  };
  const facts: Omit<DiffResult, 'headline' | 'diagnosis'> = {
    schema: DIFF_SCHEMA,
    verdict: j.verdict,
    tool: { name: 'proofdesk', version: TOOL_VERSION },
    origin: sides.A.origin ?? '',
    a: side('A'),
    b: side('B'),
    commonPrefix: k ?? compared,
    search: { compared, comparisons: search.comparisons },
    ...(divergence ? { divergence } : {}),
    ...(j.rewritten ? { rewritten: j.rewritten } : {}),
    ...(j.extension ? { extension: j.extension } : {}),
    truncation: j.truncation,
    checkpoints: j.relations,
    forks: j.forks,
    forksOmitted: j.forksOmitted,
    ...(consistency ? { consistency } : {}),
    ...(misbehaviour ? { misbehaviour } : {}),
    ...(entryDiff ? { entryDiff } : {}),
    findings: findings.sort(compareFindings),
  };
  const { headline, diagnosis } = diffDiagnosis(facts);
  const { schema, verdict, ...rest } = facts;
  // The headline and diagnosis right after the verdict, as in a verification result.
  const result: DiffResult = { schema, verdict, headline, diagnosis, ...rest };
  const ta = A?.tree.stats;
  const tb = B?.tree.stats;
  opts.onProgress?.({ stage: 'done' });
  return {
    result,
    stats: {
      elapsedMs: Date.now() - t0,
      verifyMs: { a: verifyMs.A, b: verifyMs.B },
      compareMs: Date.now() - tc,
      hashes: (ta?.hashes ?? 0) + (tb?.hashes ?? 0),
      blocksRead: (ta?.blocksLoaded ?? 0) + (tb?.blocksLoaded ?? 0),
    },
  };
}

function load(side: Side, path: string): Loaded {
  const source = openBundle(path);
  if (detectFormat(path).format !== 'proofdesk-bundle') return { side, source, origin: undefined };
  const { manifest } = readManifest(source);
  return { side, source, origin: manifest.origin };
}

function noteBytes(sides: Record<Side, Loaded>, ref: CheckpointRef): Uint8Array {
  const loc = sides[ref.side].source.locate(ref.file);
  if (!loc.ok)
    throw new ProofdeskError(
      'INPUT_UNREADABLE',
      `checkpoint ${ref.file} of export ${ref.side} can no longer be read: ${loc.detail}`,
    );
  return readRegion(loc.region, MAX_NOTE_BYTES, ref.file);
}

function reportOf(sides: Record<Side, Loaded>, ref: CheckpointRef): CheckpointReport | undefined {
  return sides[ref.side].run!.result.checkpoints.find((c) => c.file === ref.file);
}

/** The verifier key of the trusted log key that signed both checkpoints of the fork (judge.ts requires one). */
function signerKeys(sides: Record<Side, Loaded>, fork: ForkPair, trusted: readonly TrustedKey[]): string[] {
  const fp = fork.signers[0];
  const k = trusted.find((t) => t.fingerprint === fp);
  // The line's name is bound by its key ID; any line of this key on the smaller checkpoint names it.
  const line = (reportOf(sides, fork.smaller)?.signatures ?? []).find(
    (s) => s.kind === 'log' && s.status === 'verified' && s.fingerprint === fp,
  );
  if (!k || !line)
    throw new ProofdeskError(
      'INTERNAL',
      `the key that signed both checkpoints of the fork (${fp ?? 'none'}) is not a trusted log signer of them`,
    );
  return [encodeNoteVerifierKey(line.name, k.publicKey)];
}

function buildMisbehaviour(
  fork: ForkPair,
  sides: Record<Side, Loaded>,
  relations: DiffResult['checkpoints'],
  k: number | undefined,
  trusted: readonly TrustedKey[],
  maxEntryBytes: number,
): MisbehaviourEvidence {
  const s1 = fork.smaller.size;
  const s2 = fork.larger.size;
  const rel = (r: CheckpointRef) => relations.find((x) => x.size === r.size && x.rootHash === r.rootHash);
  let prefix: Uint8Array[] | undefined;
  let suffix: Uint8Array[] | undefined;
  if (fork.kind === 'not-a-prefix') {
    const t = sides[fork.tree!].entries!.tree;
    prefix = rangeHashes(t, 0, s1);
    suffix = rangeHashes(t, s1, s2);
  }
  // The differing leaves: when one export backs each checkpoint, the first leaf the two trees
  // disagree on is the first divergent entry of the two exports.
  let leaf: MisbehaviourLeaf | undefined;
  const v1 = rel(fork.smaller)?.backedBy[0];
  const v2 = rel(fork.larger)?.backedBy.find((s) => s !== v1);
  if (v1 && v2 && k !== undefined && k < s1) {
    const e1 = sides[v1].entries!;
    const e2 = sides[v2].entries!;
    const l1 = e1.readWindow(k, 1, Math.min(maxEntryBytes, MAX_PROOF_ENTRY_BYTES)).entries[0];
    const l2 = e2.readWindow(k, 1, Math.min(maxEntryBytes, MAX_PROOF_ENTRY_BYTES)).entries[0];
    if (l1?.bytes && l2?.bytes && !bytesEqual(l1.leafHash, l2.leafHash)) {
      leaf = {
        index: k,
        entry1: l1.bytes,
        path1: inclusionProofFrom(e1.tree, k, s1, nodeSha256),
        entry2: l2.bytes,
        path2: inclusionProofFrom(e2.tree, k, s2, nodeSha256),
      };
    }
  }
  const bytes = formatMisbehaviourProof({
    keys: signerKeys(sides, fork, trusted),
    size1: s1,
    size2: s2,
    ...(prefix ? { prefix, suffix: suffix! } : {}),
    ...(leaf ? { leaf } : {}),
    checkpoint1: noteBytes(sides, fork.smaller),
    checkpoint2: noteBytes(sides, fork.larger),
  });
  // The file must stand on its own: check it exactly as `proofdesk check-proof` will.
  const check = verifyMisbehaviourProof('misbehaviour.proof', bytes, {
    trusted,
    verify: verifyEd25519Node,
    hash: nodeSha256,
  });
  if (check.status !== 'proven')
    throw new ProofdeskError(
      'INTERNAL',
      `the proof of misbehaviour built for sizes ${s1}/${s2} does not verify (${check.reasons.join(', ')})`,
    );
  return {
    fork,
    file: Buffer.from(bytes).toString('utf8'),
    sha256: toHex(nodeSha256(bytes)),
    ...(leaf ? { leafIndex: leaf.index } : {}),
  };
}
