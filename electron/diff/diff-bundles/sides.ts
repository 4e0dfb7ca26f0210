/**
 * The two exports of a diff: opened, checked to be of one log (before and after each is
 * verified), verified in turn, and read back for the checkpoint files the evidence quotes.
 */
import type { CheckpointRef, Side } from '../../../shared/diff/model.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { CheckpointReport, VerificationRun } from '../../../shared/verdict/result.js';
import { type BundleSource, openBundle, readRegion } from '../../platform/bundle-source.js';
import { type ExportEntries, exportEntries } from '../../verify/bundle/export-entries.js';
import { readManifest } from '../../verify/bundle/manifest-reader.js';
import type { VerifyProgress } from '../../verify/bundle/verify.js';
import { detectFormat } from '../../verify/detect.js';
import { verify } from '../../verify/verify.js';
import { tiledExportEntries } from '../tiled-entries.js';
import type { DiffOptions } from './options.js';

const MAX_NOTE_BYTES = 1024 * 1024;

export interface Loaded {
  readonly side: Side;
  readonly source: BundleSource;
  /** Known before verification for Proofdesk bundles (from the manifest); other formats state it in their result. */
  origin: string | undefined;
  run?: VerificationRun;
  entries?: ExportEntries;
}

export type Sides = Record<Side, Loaded>;

export function load(side: Side, path: string): Loaded {
  const source = openBundle(path);
  if (detectFormat(path).format !== 'proofdesk-bundle') return { side, source, origin: undefined };
  const { manifest } = readManifest(source);
  return { side, source, origin: manifest.origin };
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProofdeskError('CANCELLED', 'the comparison was cancelled');
}

/** Throws USAGE (detail.reason ORIGIN_MISMATCH) when both origins are known and differ. */
export function assertSameLog(sides: Sides): void {
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
}

/** Verifies A, then B, each with all workers; returns how long each took (ms). */
export async function verifySides(
  sides: Sides,
  opts: DiffOptions,
  maxEntryBytes: number,
): Promise<Record<Side, number>> {
  const verifyMs: Record<Side, number> = { A: 0, B: 0 };
  for (const s of ['A', 'B'] as const) {
    const t = Date.now();
    throwIfCancelled(opts.signal);
    await verifySide(sides[s], s === 'A' ? opts.a : opts.b, opts, maxEntryBytes);
    verifyMs[s] = Date.now() - t;
    assertSameLog(sides);
  }
  return verifyMs;
}

/** Verifies one export and keeps its run, its origin (when the manifest had none) and its entries. */
async function verifySide(loaded: Loaded, input: string, opts: DiffOptions, maxEntryBytes: number): Promise<void> {
  const s = loaded.side;
  const out = await verify(input, {
    trusted: opts.trusted,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    maxEntryBytes,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress
      ? { onProgress: (verify: VerifyProgress) => opts.onProgress!({ stage: 'verify', side: s, verify }) }
      : {}),
  }).catch((e: unknown) => {
    throwIfCancelled(opts.signal); // an abort surfaces as CANCELLED, whichever way verification noticed it
    throw e;
  });
  loaded.run = out.run;
  loaded.origin ??= out.run.result.bundle.origin;
  if (out.tiles) loaded.entries = tiledExportEntries(input, out.tiles);
  else if (out.index) loaded.entries = exportEntries(out.index);
}

/** The bytes of a checkpoint file one export holds, as they are now. */
export function noteBytes(sides: Sides, ref: CheckpointRef): Uint8Array {
  const loc = sides[ref.side].source.locate(ref.file);
  if (!loc.ok)
    throw new ProofdeskError(
      'INPUT_UNREADABLE',
      `checkpoint ${ref.file} of export ${ref.side} can no longer be read: ${loc.detail}`,
    );
  return readRegion(loc.region, MAX_NOTE_BYTES, ref.file);
}

export function reportOf(sides: Sides, ref: CheckpointRef): CheckpointReport | undefined {
  return sides[ref.side].run!.result.checkpoints.find((c) => c.file === ref.file);
}
