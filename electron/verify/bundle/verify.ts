/**
 * A Proofdesk bundle's verification, as named steps (docs/architecture.md walks through them):
 *
 *   open → files → bundle keys → checkpoint signatures (checkpoints/ and proof files alike)
 *   → hash entries (workers) → key windows → roots → proofs → finish (shared/verdict/finish.ts:
 *   diagnosis, coverage, verdict, checks, order, headline)
 *
 * Each step returns what the next needs and records findings; none throws for evidence
 * problems. Findings are ordered and capped after the merge, so the result is identical for
 * any worker count and chunk size (tested).
 */
import { availableParallelism } from 'node:os';
import { CHAIN_RULESET, chainGenesis } from '../../../shared/bundle/chain.js';
import { DEFAULT_MAX_ENTRY_BYTES } from '../../../shared/bundle/entry.js';
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { ED25519_RULESET } from '../../../shared/crypto/ed25519.js';
import { toHex } from '../../../shared/encoding/bytes.js';
import { hasRole, type TrustedKey } from '../../../shared/keys/trust.js';
import { type KeyWindow, windowsOf } from '../../../shared/keys/validity.js';
import type { VerifyProgress, VerifyStage } from '../../../shared/protocol/progress.js';
import type { EntryIndex, VerifyOutput } from '../../../shared/protocol/verify-output.js';
import type { EntryKeyRef } from '../../../shared/protocol/worker.js';
import type { CheckpointContext } from '../../../shared/tlog/checkpoint-verify.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { finish } from '../../../shared/verdict/finish.js';
import { RESULT_SCHEMA, type VerificationResult } from '../../../shared/verdict/result.js';
import { hashingStat } from '../../platform/batch-hash.js';
import { type BundleSource, openBundle } from '../../platform/bundle-source.js';
import { crossCheckVerify, verifyEd25519Node } from '../../platform/ed25519-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import {
  checkOrder,
  compareRoots,
  type DatingStep,
  hasWindow,
  type JudgedCheckpoint,
  judgeKeyWindows,
  judgeSignatures,
  takeBackWitnessDating,
  witnessStepsOf,
} from './checkpoints.js';
import { bundleChecks, evidenceTime } from './checks.js';
import { Findings } from './collect.js';
import { type DiagnosisAids, diagnosisAids } from './diagnosis-aids.js';
import { hashEntries } from './entries.js';
import { checkEntriesDigest, fileReports, type LoadedFile, readBundleFiles } from './files.js';
import { readManifest } from './manifest-reader.js';
import { BLOCK_LEAVES, type MergeOutput } from './merge.js';
import {
  type ProofFile,
  type ProofOutcome,
  parseProofs,
  proofCheckpoints,
  proofLeafIndexes,
  verifyProofs,
} from './proofs.js';
import { shippedKeys } from './shipped-keys.js';

export { BLOCK_LEAVES };
export const DEFAULT_FINDINGS_PER_CODE = 10_000;

export type { EntryIndex, VerifyOutput, VerifyProgress, VerifyStage };

export interface VerifyOptions {
  readonly bundle: string;
  readonly trusted: readonly TrustedKey[];
  readonly workers?: number;
  readonly crossCheck?: boolean;
  readonly maxEntryBytes?: number;
  readonly findingsPerCode?: number;
  /** Bytes per work chunk. Tests make it tiny so chunk boundaries fall everywhere. */
  readonly chunkBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: VerifyProgress) => void;
}

/** A cancelled run always ends with the typed CANCELLED error (exit code 130), never a DOMException. */
function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProofdeskError('CANCELLED', 'verification was cancelled');
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 16));
}

interface Settings {
  readonly workers: number;
  readonly maxEntryBytes: number;
  readonly findingsPerCode: number;
  readonly crossCheck: boolean;
}

function settingsOf(opts: VerifyOptions): Settings {
  const s = {
    workers: opts.workers ?? defaultWorkerCount(),
    maxEntryBytes: opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES,
    findingsPerCode: opts.findingsPerCode ?? DEFAULT_FINDINGS_PER_CODE,
    crossCheck: opts.crossCheck ?? false,
  };
  if (!Number.isSafeInteger(s.maxEntryBytes) || s.maxEntryBytes < 1 || s.maxEntryBytes > 256 * 1024 * 1024) {
    throw new ProofdeskError('USAGE', 'max entry size must be between 1 byte and 256 MiB');
  }
  if (!Number.isSafeInteger(s.findingsPerCode) || s.findingsPerCode < 1)
    throw new ProofdeskError('USAGE', 'findings limit must be a positive integer');
  if (opts.trusted.length === 0)
    throw new ProofdeskError('USAGE', 'at least one trusted key is required: nothing can be verified without one');
  return s;
}

/** Entry keys as the workers get them: only keys trusted as event sources, with their windows. */
function entryKeysOf(trusted: readonly TrustedKey[], windows: ReadonlyMap<string, KeyWindow>): EntryKeyRef[] {
  return trusted
    .filter((k) => hasRole(k, 'entry'))
    .map((k) => {
      const window = hasWindow(k) ? windows.get(k.fingerprint) : undefined;
      return { fingerprint: k.fingerprint, publicKey: k.publicKey, ...(window ? { window } : {}) };
    });
}

interface EntriesStep {
  readonly merged?: MergeOutput;
  readonly archive?: VerifyOutput['archive'];
  readonly witnessSteps: readonly DatingStep[];
}

/** The entries, hashed and checked by the workers; nothing to do for a bundle without an entries file. */
async function entriesStep(
  opts: VerifyOptions,
  s: Settings,
  source: BundleSource,
  manifest: Manifest,
  entries: LoadedFile | undefined,
  checks: readonly JudgedCheckpoint[],
  leafIndexes: ReadonlySet<number>,
  F: Findings,
  progress: (p: StepProgress) => void,
  startedAt: number,
): Promise<EntriesStep> {
  if (!entries) return { witnessSteps: [] };
  const windows = windowsOf(opts.trusted);
  const entryKeys = entryKeysOf(opts.trusted, windows);
  // Witness times date entry signatures only for entry keys with a window.
  const witnessSteps = entryKeys.some((k) => k.window) ? witnessStepsOf(checks, windows) : [];
  const out = await hashEntries(
    {
      region: entries.region,
      workers: s.workers,
      ...(opts.chunkBytes !== undefined ? { chunkBytes: opts.chunkBytes } : {}),
      job: {
        entriesPath: manifest.entries.path,
        firstSeq: manifest.entries.first_seq,
        maxEntryBytes: s.maxEntryBytes,
        findingsPerCode: s.findingsPerCode,
        entryKeys,
        witnessSteps: witnessSteps.map((w) => ({ size: w.size, time: w.time })),
        crossCheck: s.crossCheck,
      },
      genesis: toHex(chainGenesis(manifest.origin, nodeSha256)),
      sizesWanted: new Set(checks.flatMap((c) => (c.trusted ? [c.trusted.size] : []))),
      leafIndexes,
      wantDigest: manifest.files.some((f) => f.path === manifest.entries.path),
      wantArchive: source.container === 'tar',
      ...(opts.signal ? { signal: opts.signal } : {}),
      progress,
      startedAt,
    },
    manifest.entries.path,
    F,
  );
  throwIfCancelled(opts.signal);
  checkEntriesDigest(manifest, new Map([[entries.path, entries]]), out.entriesSha256, F);
  const count = out.merged.count;
  if (manifest.entries.count >= 0 && manifest.entries.count !== count) {
    F.add(
      'MANIFEST_COUNT_MISMATCH',
      { file: manifest.entries.path },
      `the entries file holds ${count} entries; the manifest says ${manifest.entries.count}`,
      {
        expected: manifest.entries.count,
        actual: count,
      },
    );
  }
  return { merged: out.merged, ...(out.archive ? { archive: out.archive } : {}), witnessSteps };
}

function trustedKeyReports(trusted: readonly TrustedKey[]): VerificationResult['trustedKeys'] {
  return [...trusted]
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0))
    .map((k) => ({
      fingerprint: k.fingerprint,
      ...(k.name ? { name: k.name } : {}),
      ...(k.label ? { label: k.label } : {}),
      roles: [...k.roles],
    }));
}

/** Progress as the steps report it; the run adds the elapsed time and the rate. */
type StepProgress = Omit<VerifyProgress, 'elapsedMs' | 'entriesPerSecond' | 'etaMs'> & { etaMs?: number };

/** One reporter for the whole run: a run without a listener pays nothing per report. */
function progressReporter(opts: VerifyOptions, t0: number): (p: StepProgress) => void {
  return (p) => {
    if (!opts.onProgress) return;
    const elapsedMs = Date.now() - t0;
    opts.onProgress({ ...p, elapsedMs, entriesPerSecond: elapsedMs > 0 ? (p.entriesDone * 1000) / elapsedMs : 0 });
  };
}

interface OpenedBundle {
  readonly source: BundleSource;
  readonly manifest: Manifest;
  readonly manifestBytes: Buffer;
  readonly files: Map<string, LoadedFile>;
  readonly ctx: CheckpointContext;
}

/** open → files → bundle keys: the manifest, the files it lists, and the keys checkpoints are judged with. */
function openStep(opts: VerifyOptions, s: Settings, F: Findings): OpenedBundle {
  const source = openBundle(opts.bundle);
  const { manifest, problems, bytes: manifestBytes } = readManifest(source);
  for (const p of problems)
    F.add(p.unsafePath ? 'PATH_UNSAFE' : 'MANIFEST_INVALID', { file: 'manifest.json', path: p.path }, p.message);
  const files = readBundleFiles(source, manifest, F);
  const ctx: CheckpointContext = {
    origin: manifest.origin,
    trusted: opts.trusted,
    bundleKeys: shippedKeys(manifest, files, opts.trusted, F),
    verify: s.crossCheck ? crossCheckVerify : verifyEd25519Node,
  };
  return { source, manifest, manifestBytes, files, ctx };
}

interface SignaturesStep {
  readonly proofs: ProofFile[];
  readonly judged: JudgedCheckpoint[];
  /** Leaves the hashing must keep: those the proofs are for, and the last under each trusted checkpoint. */
  readonly leafIndexes: Set<number>;
}

/** Checkpoint signatures: the files under checkpoints/ and those inside proof files. */
function signaturesStep(b: OpenedBundle, F: Findings): SignaturesStep {
  const { manifest, files, ctx } = b;
  const proofs = parseProofs(manifest, files, F);
  const cpFiles = manifest.checkpoints.flatMap((p) => {
    const bytes = files.get(p)?.bytes;
    return bytes ? [{ file: p, bytes }] : [];
  });
  const signed = judgeSignatures(cpFiles, ctx, F);
  checkOrder(signed, F);
  const embedded = judgeSignatures(proofCheckpoints(proofs), ctx, F);
  const judged = [...signed, ...embedded];
  const leafIndexes = new Set([
    ...proofLeafIndexes(proofs),
    ...judged.flatMap((c) => (c.trusted && c.trusted.size > 0 ? [c.trusted.size - 1] : [])),
  ]);
  return { proofs, judged, leafIndexes };
}

/** Verifies one bundle. Throws ProofdeskError for unusable input; evidence problems are findings. */
export async function verifyBundle(opts: VerifyOptions): Promise<VerifyOutput> {
  const t0 = Date.now();
  const s = settingsOf(opts);
  throwIfCancelled(opts.signal);
  const progress = progressReporter(opts, t0);
  const F = new Findings();
  const b = openStep(opts, s, F);
  const { manifest } = b;
  const { proofs, judged, leafIndexes } = signaturesStep(b, F);
  const entries = b.files.get(manifest.entries.path);

  // hash entries → key windows → roots → proofs
  const e = await entriesStep(opts, s, b.source, manifest, entries, judged, leafIndexes, F, progress, t0);
  const merged = e.merged;
  const undated = takeBackWitnessDating(e.witnessSteps, merged, F);
  const windowed = judgeKeyWindows(judged, merged, windowsOf(opts.trusted), F);
  const cpReports = compareRoots(windowed, merged, F);
  const index = merged && entries ? indexOf(manifest, entries, merged) : undefined;
  const aids = diagnosisAids(index);
  const proofOut = verifyProofs(proofs, windowed, b.ctx, merged, aids.subtree, F);

  const result = resultOf(opts, s, b, { merged, undated, cpReports, proofOut, aids, F });
  return outputOf(result, s, t0, merged, entries, e.archive, index, progress);
}

/** What the steps after hashing found, for the result. */
interface RunFacts {
  readonly merged: MergeOutput | undefined;
  readonly undated: ReturnType<typeof takeBackWitnessDating>;
  readonly cpReports: ReturnType<typeof compareRoots>;
  readonly proofOut: ProofOutcome;
  readonly aids: DiagnosisAids;
  readonly F: Findings;
}

/** finish: diagnosis, coverage, verdict, checks, order, headline */
function resultOf(opts: VerifyOptions, s: Settings, b: OpenedBundle, facts: RunFacts): VerificationResult {
  const { source, manifest, files } = b;
  const { merged, cpReports, proofOut } = facts;
  return finish({
    schema: RESULT_SCHEMA,
    tool: { name: 'proofdesk', version: TOOL_VERSION },
    rules: {
      ed25519: ED25519_RULESET,
      merkle: 'rfc9162-sha256',
      chain: CHAIN_RULESET,
      checkpoint: 'c2sp-tlog-checkpoint+signed-note',
    },
    parameters: { maxEntryBytes: s.maxEntryBytes, findingsPerCode: s.findingsPerCode, crossCheck: s.crossCheck },
    bundle: {
      name: source.name,
      container: source.container,
      origin: manifest.origin,
      formatVersion: manifest.version,
      entryCount: merged?.count ?? 0,
      entriesBytes: files.get(manifest.entries.path)?.region.size ?? 0,
      files: fileReports(b.manifestBytes, files),
    },
    trustedKeys: trustedKeyReports(opts.trusted),
    checkpoints: cpReports,
    proofs: proofOut.reports,
    evidenceTime: evidenceTime(merged, cpReports),
    findings: [...facts.F.list, ...(merged?.findings ?? [])],
    omitted: merged?.omitted ?? {},
    coverage: {
      kind: 'prefix',
      errors: merged?.failed ?? [],
      anomalies: merged?.anomalies ?? [],
      signerUntrusted: merged?.signerUntrusted ?? [],
      undated: facts.undated,
    },
    checks: (c) => bundleChecks(c, merged, cpReports, proofOut.reports, manifest),
    noteFile: manifest.entries.path,
    entriesFile: manifest.entries.path,
    firstSeq: manifest.entries.first_seq,
    subtrees: proofOut.subtrees,
    sameEntry: facts.aids.sameEntry,
  });
}

function indexOf(manifest: Manifest, entries: LoadedFile, merged: MergeOutput): EntryIndex {
  return {
    entriesPath: manifest.entries.path,
    region: entries.region,
    count: merged.count,
    blockLeaves: BLOCK_LEAVES,
    blockOffsets: merged.blockOffsets,
    blockRoots: merged.blockRoots,
  };
}

function outputOf(
  result: VerificationResult,
  s: Settings,
  t0: number,
  merged: MergeOutput | undefined,
  entries: LoadedFile | undefined,
  archive: VerifyOutput['archive'],
  index: EntryIndex | undefined,
  progress: (p: Omit<VerifyProgress, 'elapsedMs' | 'entriesPerSecond' | 'etaMs'>) => void,
): VerifyOutput {
  const count = merged?.count ?? 0;
  const bytes = entries?.region.size ?? 0;
  const elapsedMs = Date.now() - t0;
  progress({
    stage: 'done',
    entriesDone: count,
    entriesTotal: count,
    bytesDone: bytes,
    bytesTotal: bytes,
    perWorker: [],
  });
  return {
    run: {
      result,
      stats: {
        workers: s.workers,
        elapsedMs,
        entriesPerSecond: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0,
        bytesPerSecond: elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0,
        crossCheckedSignatures: s.crossCheck ? (merged?.counters.signatures ?? 0) : 0,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        hashing: hashingStat(s.crossCheck),
      },
    },
    ...(archive ? { archive } : {}),
    ...(index ? { index } : {}),
  };
}
