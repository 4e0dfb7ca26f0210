/**
 * The verification orchestrator: one code path for the app, the CLI and the tests.
 *
 *   open bundle → manifest → files and digests → checkpoints → proofs
 *   → scan (workers count line starts per chunk) → verify (workers check line ranges)
 *   → merge partial results in index order → roots at checkpoint sizes → key validity
 *   → proofs → coverage → verdict
 *
 * Partial results are merged deterministically and findings are sorted and capped after the
 * merge, so the result is identical for any worker count and chunk size (tested).
 */
import { availableParallelism } from 'node:os';
import { CHAIN_RULESET, chainGenesis } from '../../../shared/bundle/chain.js';
import { compareInstants, DEFAULT_MAX_ENTRY_BYTES, parseTimestamp } from '../../../shared/bundle/entry.js';
import { MANIFEST_FILE, type Manifest } from '../../../shared/bundle/manifest.js';
import { ED25519_RULESET } from '../../../shared/crypto/ed25519.js';
import { bytesEqual, toHex } from '../../../shared/encoding/bytes.js';
import { keyFingerprint, parseKey } from '../../../shared/keys/keys.js';
import { hasRole, type TrustedKey } from '../../../shared/keys/trust.js';
import {
  applyKeyValidity as applyValidityRule,
  cosignedRange,
  iso,
  type KeyWindow,
  windowsOf,
  witnessedTime,
} from '../../../shared/keys/validity.js';
import type { VerifyProgress, VerifyStage } from '../../../shared/protocol/progress.js';
import type { EntryIndex, VerifyOutput } from '../../../shared/protocol/verify-output.js';
import type {
  DigestResult,
  RegionRef,
  ScanResult,
  VerifyJob,
  VerifyResult,
  WitnessStep,
} from '../../../shared/protocol/worker.js';
import { type CheckpointCheck, RootsBySize, verifyCheckpointNote } from '../../../shared/tlog/checkpoint-verify.js';
import { CompactRange, rangeNodes } from '../../../shared/tlog/merkle/compact.js';
import { type ParsedProof, parseProofFile, verifyProof } from '../../../shared/tlog/proof-file.js';
import { computeCoverage, mergeRanges } from '../../../shared/verdict/coverage.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { compareFindings, type Finding, type FindingCode, finding } from '../../../shared/verdict/findings.js';
import {
  type BundleFileReport,
  type CheckpointReport,
  type CheckSummary,
  type ProofReport,
  RESULT_SCHEMA,
  type Verdict,
  type VerificationResult,
} from '../../../shared/verdict/result.js';
import { type FileRegion, openBundle, readRegion } from '../../platform/bundle-source.js';
import { crossCheckVerify, verifyEd25519Node } from '../../platform/ed25519-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { type PoolProgress, WorkerPool } from '../pool.js';
import { readManifest } from './manifest-reader.js';

export const DEFAULT_FINDINGS_PER_CODE = 10_000;
export const BLOCK_LEAVES = 256;
const MAX_NOTE_BYTES = 1024 * 1024;
const MAX_KEY_FILE_BYTES = 64 * 1024;

export type { VerifyProgress, VerifyStage };

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

export type { EntryIndex, VerifyOutput };

/** A cancelled run always ends with the typed CANCELLED error (exit code 130), never a DOMException. */
function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProofdeskError('CANCELLED', 'verification was cancelled');
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 16));
}

class Findings {
  readonly list: Finding[] = [];
  add(code: FindingCode, location: Finding['location'], message: string, evidence?: Finding['evidence']): void {
    this.list.push(
      finding(code, location, message, evidence as Record<string, string | number | boolean | null> | undefined),
    );
  }
}

interface LoadedFile {
  readonly path: string;
  readonly role: BundleFileReport['role'];
  readonly region: FileRegion;
  bytes?: Buffer;
  sha256?: string;
}

/** Verifies one bundle. Throws ProofdeskError for unusable input; evidence problems are findings. */
export async function verifyBundle(opts: VerifyOptions): Promise<VerifyOutput> {
  const t0 = Date.now();
  const workers = opts.workers ?? defaultWorkerCount();
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const findingsPerCode = opts.findingsPerCode ?? DEFAULT_FINDINGS_PER_CODE;
  const crossCheck = opts.crossCheck ?? false;
  if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1 || maxEntryBytes > 256 * 1024 * 1024) {
    throw new ProofdeskError('USAGE', 'max entry size must be between 1 byte and 256 MiB');
  }
  if (!Number.isSafeInteger(findingsPerCode) || findingsPerCode < 1)
    throw new ProofdeskError('USAGE', 'findings limit must be a positive integer');
  if (opts.trusted.length === 0)
    throw new ProofdeskError('USAGE', 'at least one trusted key is required: nothing can be verified without one');
  throwIfCancelled(opts.signal);

  const progress = (p: Omit<VerifyProgress, 'elapsedMs' | 'entriesPerSecond' | 'etaMs'> & { etaMs?: number }) => {
    if (!opts.onProgress) return;
    const elapsedMs = Date.now() - t0;
    opts.onProgress({ ...p, elapsedMs, entriesPerSecond: elapsedMs > 0 ? (p.entriesDone * 1000) / elapsedMs : 0 });
  };

  const sigVerify = crossCheck ? crossCheckVerify : verifyEd25519Node;
  const source = openBundle(opts.bundle);
  const F = new Findings();

  // ── manifest ──
  const { manifest, problems: manifestProblems, bytes: manifestBytes } = readManifest(source);
  for (const p of manifestProblems) {
    F.add(p.unsafePath ? 'PATH_UNSAFE' : 'MANIFEST_INVALID', { file: MANIFEST_FILE, path: p.path }, p.message);
  }

  // ── files: presence, size, digest of everything but the entries file ──
  const files = new Map<string, LoadedFile>();
  const roleOf = (p: string): BundleFileReport['role'] =>
    p === manifest.entries.path
      ? 'entries'
      : manifest.checkpoints.includes(p)
        ? 'checkpoint'
        : manifest.proofs.includes(p)
          ? 'proof'
          : 'key';
  for (const f of manifest.files) {
    const loc = source.locate(f.path);
    if (!loc.ok) {
      if (loc.reason === 'UNSAFE') F.add('PATH_UNSAFE', { file: f.path }, loc.detail);
      else F.add('MANIFEST_FILE_MISSING', { file: f.path }, `${f.path} is listed in the manifest but not present`);
      continue;
    }
    if (loc.region.size !== f.size) {
      F.add(
        'MANIFEST_SIZE_MISMATCH',
        { file: f.path },
        `${f.path} is ${loc.region.size} bytes; the manifest says ${f.size}`,
        { expected: f.size, actual: loc.region.size },
      );
    }
    const lf: LoadedFile = { path: f.path, role: roleOf(f.path), region: loc.region };
    if (lf.role !== 'entries') {
      const limit = lf.role === 'key' ? MAX_KEY_FILE_BYTES : MAX_NOTE_BYTES * 4;
      if (loc.region.size > limit) {
        F.add(
          'MANIFEST_INVALID',
          { file: f.path },
          `${f.path} is ${loc.region.size} bytes, more than the ${limit}-byte limit for a ${lf.role} file; not read`,
        );
        continue;
      }
      lf.bytes = readRegion(loc.region, limit, f.path);
      lf.sha256 = toHex(nodeSha256(lf.bytes));
      if (lf.sha256 !== f.sha256) {
        F.add('MANIFEST_DIGEST_MISMATCH', { file: f.path }, `SHA-256 of ${f.path} differs from the manifest`, {
          expected: f.sha256,
          actual: lf.sha256,
        });
      }
    }
    files.set(f.path, lf);
  }
  const listed = new Set([MANIFEST_FILE, ...manifest.files.map((f) => f.path)]);
  for (const m of source.members()) {
    if (m.kind === 'directory' || listed.has(m.path)) continue;
    F.add('FILE_UNLISTED', { file: m.path }, `${m.path} (${m.kind}) is in the bundle but not in the manifest; ignored`);
  }

  // ── keys shipped in the bundle: informational, never trusted ──
  const trustedFps = new Set(opts.trusted.map((k) => k.fingerprint));
  const bundleKeys: Uint8Array[] = [];
  for (const p of manifest.keys) {
    const lf = files.get(p);
    if (!lf?.bytes) continue;
    try {
      const k = parseKey(lf.bytes.toString('utf8'));
      bundleKeys.push(k.publicKey);
      const fp = keyFingerprint(k.publicKey);
      if (!trustedFps.has(fp)) {
        F.add(
          'BUNDLE_KEY_NOT_TRUSTED',
          { file: p },
          `the bundle ships key ${fp.slice(0, 16)}…, which is not among the trusted keys; it is not used`,
          { fingerprint: fp },
        );
      }
    } catch (e) {
      F.add(
        'BUNDLE_KEY_NOT_TRUSTED',
        { file: p },
        `the bundle ships a key file that cannot be parsed (${(e as Error).message}); it is not used`,
      );
    }
  }

  // ── checkpoints (signatures now; roots after the entries are hashed) ──
  const checks: Array<CheckpointCheck & { file: string }> = [];
  for (const p of manifest.checkpoints) {
    const lf = files.get(p);
    if (!lf?.bytes) continue;
    const c = verifyCheckpointNote(p, lf.bytes, {
      origin: manifest.origin,
      trusted: opts.trusted,
      bundleKeys,
      verify: sigVerify,
    });
    checks.push({ ...c, file: p });
    F.list.push(...c.findings);
  }
  {
    let last = -1;
    for (const c of checks) {
      const s = c.report.size;
      if (s === undefined) continue;
      if (s < last)
        F.add(
          'CHECKPOINT_ORDER',
          { file: c.file, checkpointSize: s },
          `checkpoint of size ${s} is listed after one of size ${last}`,
        );
      last = Math.max(last, s);
    }
  }

  // ── proofs (parsed now, verified after roots and leaf hashes are known) ──
  const proofs: Array<{ file: string; parsed?: ParsedProof }> = [];
  for (const p of manifest.proofs) {
    const lf = files.get(p);
    if (!lf?.bytes) continue;
    const parsed = parseProofFile(lf.bytes);
    if (!parsed.ok) {
      F.add('PROOF_MALFORMED', { file: p }, `proof file cannot be parsed: ${parsed.reason}`);
      proofs.push({ file: p });
    } else proofs.push({ file: p, parsed: parsed.proof });
  }
  const leafIndices = new Set<number>();
  for (const pr of proofs) if (pr.parsed?.kind === 'inclusion') leafIndices.add(pr.parsed.index);
  for (const c of checks) if (c.trusted && c.trusted.size > 0) leafIndices.add(c.trusted.size - 1);

  // ── entries ──
  const entriesFile = files.get(manifest.entries.path);
  const region: RegionRef | undefined = entriesFile ? entriesFile.region : undefined;
  let merged: MergeOutput | undefined;
  const windows = windowsOf(opts.trusted);
  // Witness times given to the workers to date entry signatures, with the root each rests on.
  let witnessSteps: DatingStep[] = [];
  let entriesSha: string | undefined;
  let archive: VerifyOutput['archive'];
  if (region) {
    const perWorker = new Map<number, { entries: number; bytes: number }>();
    let stage: VerifyStage = 'scan';
    let entriesTotal: number | undefined;
    const doneBySeq = new Map<number, { entries: number; bytes: number }>();
    let finishedEntries = 0;
    let finishedBytes = 0;
    let lastEmit = 0;
    const emit = (force = false) => {
      const now = Date.now();
      if (!force && now - lastEmit < 50) return;
      lastEmit = now;
      let e = finishedEntries;
      let b = finishedBytes;
      for (const v of doneBySeq.values()) {
        e += v.entries;
        b += v.bytes;
      }
      const elapsed = now - t0;
      const rate = elapsed > 0 ? e / elapsed : 0;
      progress({
        stage,
        entriesDone: e,
        ...(entriesTotal !== undefined ? { entriesTotal } : {}),
        bytesDone: b,
        bytesTotal: region.size,
        ...(entriesTotal !== undefined && rate > 0 ? { etaMs: (entriesTotal - e) / rate } : {}),
        perWorker: [...perWorker.entries()].map(([worker, v]) => ({ worker, ...v })),
      });
    };
    const onPool = (p: PoolProgress) => {
      perWorker.set(p.worker, { entries: p.entries, bytes: p.bytes });
      emit();
    };
    const pool = new WorkerPool(workers, onPool);
    const abort = () => void pool.close(new ProofdeskError('CANCELLED', 'verification was cancelled'));
    opts.signal?.addEventListener('abort', abort, { once: true });
    try {
      const wantDigest = manifest.files.some((f) => f.path === manifest.entries.path);
      const wantArchive = source.container === 'tar';
      const digestP =
        wantDigest || wantArchive
          ? pool.run<DigestResult>({ kind: 'digest', region, wholeFile: wantArchive })
          : undefined;
      // Awaited after the verify jobs; until then a cancellation must not surface as an unhandled rejection.
      digestP?.catch(() => undefined);
      progress({ stage: 'scan', entriesDone: 0, bytesDone: 0, bytesTotal: region.size, perWorker: [] });
      const chunk =
        opts.chunkBytes ??
        Math.min(Math.max(Math.ceil(region.size / (workers * 8)), 4 * 1024 * 1024), 256 * 1024 * 1024);
      const bounds: number[] = [];
      for (let s = 0; s < region.size; s += chunk) bounds.push(s);
      const scans = await Promise.all(
        bounds.map((from) =>
          pool.run<ScanResult>({ kind: 'scan', region, from, to: Math.min(from + chunk, region.size) }),
        ),
      );
      // Turn chunks into line-aligned jobs with known first indices.
      const jobs: Array<{ start: number; starts: number; baseIndex: number }> = [];
      let base = 0;
      for (const s of scans) {
        if (s.starts === 0) continue;
        jobs.push({ start: s.firstStart, starts: s.starts, baseIndex: base });
        base += s.starts;
      }
      entriesTotal = base;
      stage = 'verify';
      emit(true);
      const sizesWanted = new Set<number>();
      for (const c of checks) if (c.trusted) sizesWanted.add(c.trusted.size);
      const genesis = toHex(chainGenesis(manifest.origin, nodeSha256));
      // Entry signatures count only by keys trusted as event sources: a log or witness key vouches for checkpoints, not entries.
      // A window on an entry key is judged per entry (shared/formats/entry-validity.ts), with the
      // witness times of the trusted checkpoints; without such a key no entry needs them.
      const entryKeys = opts.trusted
        .filter((k) => hasRole(k, 'entry'))
        .map((k) => ({
          fingerprint: k.fingerprint,
          publicKey: k.publicKey,
          ...(hasWindow(k) ? { window: windows.get(k.fingerprint)! } : {}),
        }));
      if (entryKeys.some((k) => k.window)) witnessSteps = witnessStepsOf(checks, windows);
      const jobSteps = witnessSteps.map((s) => ({ size: s.size, time: s.time }));
      const results = await Promise.all(
        jobs.map((j, k) => {
          const end = k + 1 < jobs.length ? jobs[k + 1]!.start : region.size;
          const job: VerifyJob = {
            kind: 'verify',
            region,
            entriesPath: manifest.entries.path,
            start: j.start,
            end,
            baseIndex: j.baseIndex,
            isLast: k === jobs.length - 1,
            ...(j.baseIndex === 0 ? { genesis } : {}),
            firstSeq: manifest.entries.first_seq,
            snapshotSizes: [...sizesWanted].filter((s) => s > j.baseIndex && s <= j.baseIndex + j.starts),
            leafIndices: [...leafIndices].filter((i) => i >= j.baseIndex && i < j.baseIndex + j.starts),
            maxEntryBytes,
            findingsPerCode,
            entryKeys,
            witnessSteps: jobSteps,
            crossCheck,
            blockLeaves: BLOCK_LEAVES,
          };
          return pool
            .run<VerifyResult>(job, (entries, bytes) => doneBySeq.set(k, { entries, bytes }))
            .then((r) => {
              doneBySeq.delete(k);
              finishedEntries += r.count;
              finishedBytes += r.bytes;
              emit(true);
              return r;
            });
        }),
      );
      const digest = digestP ? await digestP : undefined;
      entriesSha = wantDigest ? digest?.sha256 : undefined;
      archive = digest?.file;
      progress({
        stage: 'merge',
        entriesDone: base,
        entriesTotal: base,
        bytesDone: region.size,
        bytesTotal: region.size,
        perWorker: [],
      });
      merged = mergeResults(results, manifest, F);
    } finally {
      opts.signal?.removeEventListener('abort', abort);
      await pool.close();
    }
    throwIfCancelled(opts.signal);
  }

  if (entriesFile && entriesSha !== undefined) {
    entriesFile.sha256 = entriesSha;
    const listedSha = manifest.files.find((f) => f.path === manifest.entries.path)?.sha256;
    if (listedSha !== undefined && listedSha !== entriesSha) {
      F.add(
        'MANIFEST_DIGEST_MISMATCH',
        { file: manifest.entries.path },
        `SHA-256 of ${manifest.entries.path} differs from the manifest`,
        { expected: listedSha, actual: entriesSha },
      );
    }
  }
  const count = merged?.count ?? 0;
  if (merged && manifest.entries.count >= 0 && manifest.entries.count !== count) {
    F.add(
      'MANIFEST_COUNT_MISMATCH',
      { file: manifest.entries.path },
      `the entries file holds ${count} entries; the manifest says ${manifest.entries.count}`,
      { expected: manifest.entries.count, actual: count },
    );
  }

  // ── key validity windows: a signature counts only if its key was valid when it signed ──
  const undated = takeBackWitnessDating(witnessSteps, merged, count, F);
  for (const c of checks) {
    if (!c.trusted) continue;
    const t = c.trusted.size > 0 ? merged?.leafTs.get(c.trusted.size - 1) : undefined;
    applyKeyValidity(c, t, windows, F);
  }

  // ── roots at checkpoint sizes ──
  const cpReports: CheckpointReport[] = [];
  const coverageCps: Array<{ size: number; matches: boolean }> = [];
  const trustedRoots = new RootsBySize();
  for (const c of checks) {
    let report: CheckpointReport = c.report;
    if (c.trusted) {
      const { size, root } = c.trusted;
      if (size > count) {
        report = { ...report, rootStatus: 'beyond-entries' };
        F.add(
          'CHECKPOINT_BEYOND_ENTRIES',
          { file: c.file, checkpointSize: size, range: [count, size] },
          `checkpoint commits to ${size} entries but the bundle holds ${count}: entries ${count}..${size - 1} are missing`,
          { expected: size, actual: count },
        );
      } else {
        const computed = merged ? merged.roots.get(size) : undefined;
        if (!computed) throw new ProofdeskError('INTERNAL', `root at size ${size} was not computed`);
        const matches = bytesEqual(computed, root);
        report = { ...report, rootStatus: matches ? 'match' : 'mismatch', computedRoot: toHex(computed) };
        if (!matches) {
          F.add(
            'ROOT_MISMATCH',
            { file: c.file, checkpointSize: size, range: [0, size] },
            `the root of the first ${size} entries differs from the signed root`,
            { expected: toHex(root), actual: toHex(computed) },
          );
        }
        coverageCps.push({ size, matches });
        const prior = trustedRoots.conflict(size, root, report);
        if (prior) {
          F.add(
            'CHECKPOINT_CONFLICT',
            { file: c.file, checkpointSize: size },
            `two trusted checkpoints of size ${size} sign different roots`,
            { first: toHex(prior), second: toHex(root) },
          );
        }
      }
    }
    cpReports.push(report);
  }

  // ── proofs ──
  const proofReports: ProofReport[] = [];
  for (const pr of proofs) {
    if (!pr.parsed) {
      proofReports.push({ file: pr.file, kind: 'unknown', status: 'malformed' });
      continue;
    }
    const out = verifyProof(pr.file, pr.parsed, {
      origin: manifest.origin,
      trusted: opts.trusted,
      bundleKeys,
      verify: sigVerify,
      leafHash: (i) => merged?.leafHashes.get(i),
      entryCount: count,
    });
    F.list.push(...out.findings);
    proofReports.push(out.report);
  }

  // ── coverage ──
  const coverage = computeCoverage(count, coverageCps, merged ? mergeRanges(merged.failed) : [], mergeRanges(undated));
  const trustedCps = checks.filter((c) => c.trusted);
  if (checks.length === 0)
    F.add(
      'NO_CHECKPOINTS',
      { file: manifest.entries.path },
      'the bundle has no checkpoints: no entry can be verified against a signed root',
    );
  const tail = coverage.ranges[coverage.ranges.length - 1];
  if (tail && tail.reason === 'NO_TRUSTED_CHECKPOINT' && checks.length > 0) {
    F.add(
      'UNSEALED_ENTRIES',
      { file: manifest.entries.path, range: [tail.from, tail.to] },
      `entries ${tail.from}..${tail.to - 1} are not covered by any trusted checkpoint`,
      { count: tail.to - tail.from },
    );
  }

  // ── findings: sort, then keep the first N of each code ──
  const all = F.list.concat(merged?.findings ?? []).sort(compareFindings);
  const omitted: Partial<Record<FindingCode, number>> = { ...(merged?.omitted ?? {}) };
  const kept: Finding[] = [];
  const perCode = new Map<FindingCode, number>();
  for (const f of all) {
    const n = perCode.get(f.code) ?? 0;
    perCode.set(f.code, n + 1);
    if (n < findingsPerCode) kept.push(f);
    else omitted[f.code] = (omitted[f.code] ?? 0) + 1;
  }
  const omittedSorted: Partial<Record<FindingCode, number>> = {};
  for (const code of (Object.keys(omitted) as FindingCode[]).sort()) omittedSorted[code] = omitted[code]!;
  for (const [code, n] of Object.entries(omittedSorted) as Array<[FindingCode, number]>) {
    kept.push(
      finding(
        'FINDINGS_TRUNCATED',
        { file: manifest.entries.path },
        `${n} more ${code} findings are counted but not listed (limit ${findingsPerCode} per code)`,
        { code, omitted: n },
      ),
    );
  }
  kept.sort(compareFindings);

  const hasError = kept.some((f) => f.severity === 'error');
  const verdict: Verdict = hasError
    ? 'FAIL'
    : coverage.unverifiable > 0 || coverage.verified < count || trustedCps.length === 0
      ? 'INCONCLUSIVE'
      : 'PASS';

  const fileReports: BundleFileReport[] = [
    {
      path: MANIFEST_FILE,
      size: manifestBytes.length,
      sha256: toHex(nodeSha256(manifestBytes)),
      role: 'manifest' as const,
    },
    ...[...files.values()]
      .filter((f) => f.sha256 !== undefined)
      .map((f) => ({ path: f.path, size: f.region.size, sha256: f.sha256!, role: f.role })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const result: VerificationResult = {
    schema: RESULT_SCHEMA,
    verdict,
    tool: { name: 'proofdesk', version: TOOL_VERSION },
    rules: {
      ed25519: ED25519_RULESET,
      merkle: 'rfc9162-sha256',
      chain: CHAIN_RULESET,
      checkpoint: 'c2sp-tlog-checkpoint+signed-note',
    },
    parameters: { maxEntryBytes, findingsPerCode, crossCheck },
    bundle: {
      name: source.name,
      container: source.container,
      origin: manifest.origin,
      formatVersion: manifest.version,
      entryCount: count,
      entriesBytes: region?.size ?? 0,
      files: fileReports,
    },
    trustedKeys: [...opts.trusted]
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0))
      .map((k) => ({
        fingerprint: k.fingerprint,
        ...(k.name ? { name: k.name } : {}),
        ...(k.label ? { label: k.label } : {}),
        roles: [...k.roles],
      })),
    checkpoints: cpReports,
    proofs: proofReports,
    checks: summarizeChecks(kept, omitted, merged, cpReports, proofReports, coverage, manifest),
    coverage,
    evidenceTime: evidenceTime(merged, cpReports),
    findings: kept,
    findingsOmitted: omittedSorted,
  };
  const elapsedMs = Date.now() - t0;
  progress({
    stage: 'done',
    entriesDone: count,
    entriesTotal: count,
    bytesDone: region?.size ?? 0,
    bytesTotal: region?.size ?? 0,
    perWorker: [],
  });
  return {
    run: {
      result,
      stats: {
        workers,
        elapsedMs,
        entriesPerSecond: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0,
        bytesPerSecond: elapsedMs > 0 ? ((region?.size ?? 0) * 1000) / elapsedMs : 0,
        crossCheckedSignatures: crossCheck ? (merged?.counters.signatures ?? 0) : 0,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      },
    },
    ...(archive ? { archive } : {}),
    ...(merged && region
      ? {
          index: {
            entriesPath: manifest.entries.path,
            region,
            count,
            blockLeaves: BLOCK_LEAVES,
            blockOffsets: merged.blockOffsets,
            blockRoots: merged.blockRoots,
          },
        }
      : {}),
  };
}

interface MergeOutput {
  readonly count: number;
  readonly roots: Map<number, Uint8Array>;
  readonly findings: Finding[];
  readonly omitted: Partial<Record<FindingCode, number>>;
  readonly failed: Array<readonly [number, number]>;
  readonly undated: Array<readonly [number, number]>;
  /** Per witness step, the entries whose signature only that step's time dated. */
  readonly witnessDated: Array<{ ranges: Array<readonly [number, number]>; entries: number }>;
  readonly leafHashes: Map<number, Uint8Array>;
  readonly leafTs: Map<number, string>;
  readonly counters: Record<string, number>;
  readonly firstTs?: string;
  readonly lastTs?: string;
  readonly blockOffsets: Float64Array;
  readonly blockRoots: Uint8Array;
}

/**
 * Merges job results in index order: checks the links, sequence numbers and times that span
 * job boundaries, joins compact ranges and reads off roots at the wanted sizes.
 */
function mergeResults(results: VerifyResult[], manifest: Manifest, F: Findings): MergeOutput {
  results.sort((a, b) => a.baseIndex - b.baseIndex);
  const file = manifest.entries.path;
  const findings: Finding[] = [];
  const omitted: Partial<Record<FindingCode, number>> = {};
  const failed: Array<readonly [number, number]> = [];
  const undated: Array<readonly [number, number]> = [];
  const witnessDated: Array<{ ranges: Array<readonly [number, number]>; entries: number }> = [];
  const counters: Record<string, number> = {};
  const roots = new Map<number, Uint8Array>();
  const leafHashes = new Map<number, Uint8Array>();
  const leafTs = new Map<number, string>();
  let acc = new CompactRange(0, nodeSha256);
  roots.set(0, acc.root());
  let lastLink: VerifyResult['lastLink'];
  let lastSeq: VerifyResult['lastSeq'];
  let lastTime: VerifyResult['lastTime'];
  let firstTs: string | undefined;
  const boundaryFail = (
    code: FindingCode,
    at: { index: number; offset: number },
    message: string,
    evidence: Record<string, string | number>,
  ) => {
    const index = at.index;
    F.add(code, { file, entry: index, offset: at.offset }, message, evidence);
    failed.push([index, index + 1]);
  };
  for (const r of results) {
    // Links, sequence and time across the boundary with everything before this job.
    if (r.baseIndex > 0) {
      if (r.firstPrev && lastLink && lastLink.index === r.baseIndex - 1) {
        counters.linksChecked = (counters.linksChecked ?? 0) + 1;
        if (r.firstPrev.value !== lastLink.value) {
          counters.linksBroken = (counters.linksBroken ?? 0) + 1;
          boundaryFail('CHAIN_BROKEN', r.firstPrev, `entry ${r.baseIndex} does not link to entry ${r.baseIndex - 1}`, {
            expected: lastLink.value,
            actual: r.firstPrev.value,
          });
        }
      }
      if (r.firstSeq && lastSeq) {
        counters.seqChecked = (counters.seqChecked ?? 0) + 1;
        const expected = lastSeq.value + (r.firstSeq.index - lastSeq.index);
        if (r.firstSeq.value !== expected) {
          counters.seqProblems = (counters.seqProblems ?? 0) + 1;
          const gap = r.firstSeq.value > expected;
          boundaryFail(
            gap ? 'SEQ_GAP' : 'SEQ_REGRESSION',
            r.firstSeq,
            gap
              ? `seq jumps from the expected ${expected} to ${r.firstSeq.value}`
              : `seq ${r.firstSeq.value} is not after the previous seq`,
            { expected, actual: r.firstSeq.value },
          );
        }
      }
      if (r.firstTime && lastTime) {
        counters.tsChecked = (counters.tsChecked ?? 0) + 1;
        if (compareInstants(r.firstTime.value, lastTime.value) < 0) {
          counters.tsRegressions = (counters.tsRegressions ?? 0) + 1;
          boundaryFail(
            'TIMESTAMP_REGRESSION',
            r.firstTime,
            `ts ${r.firstTime.value.ts} is earlier than the previous entry's ${lastTime.value.ts}`,
            { previous: lastTime.value.ts, actual: r.firstTime.value.ts },
          );
        }
      }
    }
    if (r.lastLink) lastLink = r.lastLink;
    else if (r.count > 0) lastLink = undefined;
    if (r.lastSeq) lastSeq = r.lastSeq;
    if (r.lastTime) lastTime = r.lastTime;
    if (firstTs === undefined && r.firstTime) firstTs = r.firstTime.value.ts;

    for (const s of r.snapshots) {
      const snap = CompactRange.fromHashes(r.baseIndex, s.size, s.range, nodeSha256);
      const whole = acc.clone();
      whole.merge(snap);
      roots.set(s.size, whole.root());
    }
    acc.merge(CompactRange.fromHashes(r.baseIndex, r.baseIndex + r.count, r.range, nodeSha256));
    roots.set(acc.end, acc.root());

    findings.push(...r.findings);
    for (const [code, n] of Object.entries(r.omitted) as Array<[FindingCode, number]>)
      omitted[code] = (omitted[code] ?? 0) + n;
    failed.push(...r.failed);
    undated.push(...r.undated);
    r.witnessDated.forEach((d, k) => {
      const acc = (witnessDated[k] ??= { ranges: [], entries: 0 });
      acc.ranges.push(...d.ranges);
      acc.entries += d.entries;
    });
    for (const l of r.leafHashes) {
      leafHashes.set(l.index, l.hash);
      if (l.ts !== undefined) leafTs.set(l.index, l.ts);
    }
    for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
  }
  const count = acc.end;
  const { offsets, roots: blockRoots } = assembleBlocks(results, count);
  return {
    count,
    roots,
    findings,
    omitted,
    failed,
    undated,
    witnessDated,
    leafHashes,
    leafTs,
    counters,
    ...(firstTs !== undefined ? { firstTs } : {}),
    ...(lastTime ? { lastTs: lastTime.value.ts } : {}),
    blockOffsets: offsets,
    blockRoots,
  };
}

/** Block offsets and roots for the entry index, including blocks split between jobs. */
function assembleBlocks(results: VerifyResult[], count: number): { offsets: Float64Array; roots: Uint8Array } {
  const nBlocks = Math.floor(count / BLOCK_LEAVES);
  const offsets = new Float64Array(Math.ceil(count / BLOCK_LEAVES));
  const roots = new Uint8Array(nBlocks * 32);
  const have = new Uint8Array(nBlocks);
  for (const r of results) {
    for (const s of r.blockStarts) offsets[s.block] = s.offset;
    const n = r.blocks.roots.length / 32;
    for (let k = 0; k < n; k++) {
      roots.set(r.blocks.roots.subarray(k * 32, k * 32 + 32), (r.blocks.first + k) * 32);
      have[r.blocks.first + k] = 1;
    }
  }
  // A block cut by job boundaries: join the pieces of each job's compact range inside it.
  for (let b = 0; b < nBlocks; b++) {
    if (have[b]) continue;
    const bs = b * BLOCK_LEAVES;
    const be = bs + BLOCK_LEAVES;
    let acc: CompactRange | undefined;
    for (const r of results) {
      const rs = r.baseIndex;
      const re = r.baseIndex + r.count;
      if (re <= bs || rs >= be) continue;
      const ps = Math.max(rs, bs);
      const pe = Math.min(re, be);
      const nodes = rangeNodes(rs, re);
      const pieceHashes: Uint8Array[] = [];
      nodes.forEach((n, k) => {
        const ns = n.index * 2 ** n.level;
        const ne = ns + 2 ** n.level;
        if (ns >= ps && ne <= pe) pieceHashes.push(r.range[k]!);
      });
      const piece = CompactRange.fromHashes(ps, pe, pieceHashes, nodeSha256);
      if (!acc) acc = piece;
      else acc.merge(piece);
    }
    const hs = acc?.hashes();
    if (!hs || hs.length !== 1) throw new ProofdeskError('INTERNAL', `could not assemble index block ${b}`);
    roots.set(hs[0]!, b * 32);
  }
  return { offsets, roots };
}

/** A witness step as the workers get it, with the checkpoint root and file it rests on. */
type DatingStep = WitnessStep & { readonly root: Uint8Array; readonly file: string };

function hasWindow(k: TrustedKey): boolean {
  return k.validFrom !== undefined || k.validUntil !== undefined || k.revokedAt !== undefined;
}

/**
 * The witness times that can date entry signatures: for each trusted checkpoint, the earliest
 * admitted cosignature time of a trusted witness. A checkpoint must stay trusted under its log
 * key's window, judged here without the claimed time (its last entry's ts is read only during
 * the run); the claimed time can only take trust away later, never give it. So a step whose
 * root turns out wrong is a trusted checkpoint with ROOT_MISMATCH or CHECKPOINT_BEYOND_ENTRIES,
 * an error of its own, and what it dated is taken back after the run.
 */
function witnessStepsOf(
  checks: ReadonlyArray<CheckpointCheck & { file: string }>,
  windows: ReadonlyMap<string, KeyWindow>,
): DatingStep[] {
  const out: DatingStep[] = [];
  for (const c of checks) {
    if (!c.trusted || !applyValidityRule(c, { windows }).trusted) continue;
    const time = witnessedTime(c.report.signatures, windows);
    if (time !== undefined) out.push({ size: c.trusted.size, time, root: c.trusted.root, file: c.file });
  }
  return out;
}

/**
 * A witness time dates the entries of the tree the witness saw. Where a step's root is not
 * the root of this bundle's entries at that size, the entry signatures only it dated do not
 * count: one TIME_NOT_ESTABLISHED per step, and the entries become undated. Returns every
 * undated range, the workers' own included.
 */
function takeBackWitnessDating(
  steps: readonly DatingStep[],
  merged: MergeOutput | undefined,
  count: number,
  F: Findings,
): Array<readonly [number, number]> {
  if (!merged) return [];
  const undated = [...merged.undated];
  steps.forEach((s, k) => {
    const relied = merged.witnessDated[k];
    if (!relied || relied.entries === 0) return;
    const computed = s.size <= count ? merged.roots.get(s.size) : undefined;
    if (computed && bytesEqual(computed, s.root)) return;
    const n = relied.entries;
    F.add(
      'TIME_NOT_ESTABLISHED',
      { file: s.file, checkpointSize: s.size },
      `a trusted witness cosigned this checkpoint at ${iso(s.time)}, but its root is not the root of the bundle's first ${s.size} entries: the entry signatures only that time placed inside their key's window (${n} entries) do not count`,
      { witnessed: iso(s.time), entries: n },
    );
    const moved = Math.min(n, merged.counters.signaturesValid ?? 0);
    merged.counters.signaturesValid = (merged.counters.signaturesValid ?? 0) - moved;
    merged.counters.signaturesUndated = (merged.counters.signaturesUndated ?? 0) + moved;
    undated.push(...relied.ranges);
  });
  return undated;
}

/**
 * A signature counts only if its key was valid when it signed: the rule every input format
 * uses (shared/formats/validity.ts). The checkpoint's claimed time is the ts of its last entry;
 * the end of a window needs a trusted witness's cosignature time, which the rule reads from
 * the checkpoint's own signature reports.
 */
function applyKeyValidity(
  c: CheckpointCheck & { file: string },
  ts: string | undefined,
  windows: ReadonlyMap<string, KeyWindow>,
  F: Findings,
): void {
  const instant = ts !== undefined ? parseTimestamp(ts) : undefined;
  const out = applyValidityRule(c, { windows, ...(instant ? { claimed: instant.seconds + instant.nanos / 1e9 } : {}) });
  F.list.push(...out.findings.slice(c.findings.length));
  (c as { report: CheckpointReport }).report = out.report;
  if (!out.trusted) (c as { trusted?: CheckpointCheck['trusted'] }).trusted = undefined;
}

function summarizeChecks(
  findings: readonly Finding[],
  omitted: Partial<Record<FindingCode, number>>,
  merged: MergeOutput | undefined,
  cps: readonly CheckpointReport[],
  proofs: readonly ProofReport[],
  coverage: VerificationResult['coverage'],
  manifest: Manifest,
): CheckSummary[] {
  const n = (codes: FindingCode[]) =>
    findings.filter((f) => codes.includes(f.code)).length + codes.reduce((s, c) => s + (omitted[c] ?? 0), 0);
  const c = merged?.counters ?? {};
  const st = (bad: number, total: number) =>
    (bad > 0 ? 'fail' : total > 0 ? 'pass' : 'skipped') as CheckSummary['status'];
  const manifestBad = n([
    'MANIFEST_INVALID',
    'MANIFEST_DIGEST_MISMATCH',
    'MANIFEST_SIZE_MISMATCH',
    'MANIFEST_FILE_MISSING',
    'MANIFEST_COUNT_MISMATCH',
    'PATH_UNSAFE',
  ]);
  const entriesBad = n(['ENTRY_MALFORMED', 'ENTRY_FIELD_INVALID', 'ENTRY_TOO_LARGE', 'ENTRIES_TRUNCATED']);
  const tsBad = n(['TIMESTAMP_REGRESSION', 'TIMESTAMP_INVALID']);
  const cpTrusted = cps.filter((x) => x.status === 'trusted').length;
  // Entry signatures share the KEY_* codes (and have their own check): only findings that are not at an entry are the checkpoints'.
  const keyCodes: readonly FindingCode[] = ['KEY_UNTRUSTED', 'KEY_NOT_VALID_AT_TIME', 'KEY_REVOKED'];
  const cpKeyBad = findings.filter((f) => f.location.entry === undefined && keyCodes.includes(f.code)).length;
  const cpBad =
    n(['CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN_MISMATCH']) +
    cpKeyBad +
    cps.filter((x) => x.status === 'rejected').length;
  const rootsChecked = cps.filter((x) => x.rootStatus === 'match' || x.rootStatus === 'mismatch').length;
  const rootsBad =
    cps.filter((x) => x.rootStatus === 'mismatch' || x.rootStatus === 'beyond-entries').length +
    n(['CHECKPOINT_CONFLICT']);
  const sigs = c.signatures ?? 0;
  const sigStatus = st(
    (c.signaturesInvalid ?? 0) + (c.signaturesUntrusted ?? 0) + (c.signaturesOutsideWindow ?? 0),
    sigs,
  );
  return [
    {
      id: 'manifest',
      status: st(manifestBad, manifest.files.length + 1),
      counts: { files: manifest.files.length, problems: manifestBad },
    },
    {
      id: 'entries',
      status: st(entriesBad, merged?.count ?? 0),
      counts: { entries: merged?.count ?? 0, problems: entriesBad },
    },
    {
      id: 'chain',
      status: st(c.linksBroken ?? 0, c.linksChecked ?? 0),
      counts: { linksChecked: c.linksChecked ?? 0, broken: c.linksBroken ?? 0 },
    },
    {
      id: 'sequence',
      status: st(c.seqProblems ?? 0, c.seqChecked ?? 0),
      counts: { checked: c.seqChecked ?? 0, problems: c.seqProblems ?? 0 },
    },
    { id: 'timestamps', status: st(tsBad, c.tsChecked ?? 0), counts: { checked: c.tsChecked ?? 0, problems: tsBad } },
    {
      id: 'entry-signatures',
      status: sigStatus === 'pass' && (c.signaturesUndated ?? 0) > 0 ? 'inconclusive' : sigStatus,
      counts: {
        signatures: sigs,
        valid: c.signaturesValid ?? 0,
        invalid: c.signaturesInvalid ?? 0,
        untrusted: c.signaturesUntrusted ?? 0,
        // Keys with a window: made outside it by the evidence's own times, or not shown inside it.
        ...((c.signaturesOutsideWindow ?? 0) + (c.signaturesUndated ?? 0) > 0
          ? { outsideWindow: c.signaturesOutsideWindow ?? 0, undated: c.signaturesUndated ?? 0 }
          : {}),
      },
    },
    {
      id: 'checkpoint-signatures',
      // A checkpoint that is neither bad nor trusted (its key's time or role could not be
      // established) leaves this check open, never passed.
      status: cps.length === 0 || (cpBad === 0 && cpTrusted < cps.length) ? 'inconclusive' : st(cpBad, cps.length),
      counts: { checkpoints: cps.length, trusted: cpTrusted, problems: cpBad },
    },
    {
      id: 'merkle-roots',
      status: rootsChecked + rootsBad === 0 ? 'inconclusive' : st(rootsBad, rootsChecked),
      counts: { checked: rootsChecked, problems: rootsBad },
    },
    {
      id: 'proofs',
      status: st(proofs.filter((p) => p.status !== 'verified').length, proofs.length),
      counts: { proofs: proofs.length, verified: proofs.filter((p) => p.status === 'verified').length },
    },
    {
      id: 'coverage',
      status:
        coverage.failed > 0
          ? 'fail'
          : coverage.unverifiable > 0
            ? 'inconclusive'
            : (merged?.count ?? 0) > 0
              ? 'pass'
              : 'inconclusive',
      counts: { verified: coverage.verified, failed: coverage.failed, unverifiable: coverage.unverifiable },
    },
  ];
}

function evidenceTime(
  merged: MergeOutput | undefined,
  cps: readonly CheckpointReport[],
): VerificationResult['evidenceTime'] {
  return {
    ...(merged?.firstTs !== undefined ? { firstEntryTs: merged.firstTs } : {}),
    ...(merged?.lastTs !== undefined ? { lastEntryTs: merged.lastTs } : {}),
    ...cosignedRange(cps),
  };
}
