/**
 * Step "checkpoints": every trusted checkpoint the bundle holds — the files under checkpoints/
 * and the checkpoints inside proof files alike — goes through one judgement (docs/bundle-format.md
 * §5, §6): its signatures, its key's validity window, its root against the entries, conflicts
 * with other trusted roots, and its size against the entries. Signatures are judged before the
 * entries are hashed (the sizes tell the workers which roots to keep); the rest after.
 */
import { parseTimestamp } from '../../../shared/bundle/entry.js';
import { bytesEqual, toHex } from '../../../shared/encoding/bytes.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import { applyKeyValidity, iso, type KeyWindow, witnessedTime } from '../../../shared/keys/validity.js';
import type { WitnessStep } from '../../../shared/protocol/worker.js';
import {
  type CheckpointCheck,
  type CheckpointContext,
  RootsBySize,
  verifyCheckpointNote,
} from '../../../shared/tlog/checkpoint-verify.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { CheckpointReport } from '../../../shared/verdict/result.js';
import type { Findings } from './collect.js';
import type { MergeOutput } from './merge.js';

/** A checkpoint as it moves through the steps: judged, then validity-checked, then rooted. */
export interface JudgedCheckpoint extends CheckpointCheck {
  readonly file: string;
  /** The bytes of the note, to recognise it when a proof file carries it. */
  readonly bytes: Uint8Array;
  /** Trusted by its signatures, but not inside its key's validity window. */
  readonly timeLost?: true;
}

/** A checkpoint note to judge, and the file it was found in (a proof file for embedded ones). */
export interface CheckpointSource {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export function judgeSignatures(
  sources: readonly CheckpointSource[],
  ctx: CheckpointContext,
  F: Findings,
): JudgedCheckpoint[] {
  return sources.map((s) => {
    const c = verifyCheckpointNote(s.file, s.bytes, ctx);
    F.push(...c.findings);
    return { ...c, file: s.file, bytes: s.bytes };
  });
}

/** Checkpoint files should come in increasing size (a warning: order is not evidence). */
export function checkOrder(checks: readonly JudgedCheckpoint[], F: Findings): void {
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

/** A witness step as the workers get it, with the checkpoint root and file it rests on. */
export type DatingStep = WitnessStep & { readonly root: Uint8Array; readonly file: string };

export function hasWindow(k: TrustedKey): boolean {
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
export function witnessStepsOf(
  checks: readonly JudgedCheckpoint[],
  windows: ReadonlyMap<string, KeyWindow>,
): DatingStep[] {
  const out: DatingStep[] = [];
  for (const c of checks) {
    if (!c.trusted || !applyKeyValidity(c, { windows }).trusted) continue;
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
export function takeBackWitnessDating(
  steps: readonly DatingStep[],
  merged: MergeOutput | undefined,
  F: Findings,
): Array<readonly [number, number]> {
  if (!merged) return [];
  const undated = [...merged.undated];
  steps.forEach((s, k) => {
    const relied = merged.witnessDated[k];
    if (!relied || relied.entries === 0) return;
    const computed = s.size <= merged.count ? merged.roots.get(s.size) : undefined;
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
 * A signature counts only if its key was valid when it signed: the rule every input format uses
 * (shared/keys/validity.ts). The checkpoint's claimed time is the ts of its last entry; the end
 * of a window needs a trusted witness's cosignature time, read from its own signature reports.
 */
export function judgeKeyWindows(
  checks: readonly JudgedCheckpoint[],
  merged: MergeOutput | undefined,
  windows: ReadonlyMap<string, KeyWindow>,
  F: Findings,
): JudgedCheckpoint[] {
  return checks.map((c) => {
    if (!c.trusted) return c;
    const ts = c.trusted.size > 0 ? merged?.leafTs.get(c.trusted.size - 1) : undefined;
    const instant = ts !== undefined ? parseTimestamp(ts) : undefined;
    const out = applyKeyValidity(c, {
      windows,
      ...(instant ? { claimed: instant.seconds + instant.nanos / 1e9 } : {}),
    });
    F.push(...out.findings.slice(c.findings.length));
    const { trusted: _t, ...rest } = c;
    return out.trusted
      ? { ...c, report: out.report }
      : { ...rest, report: out.report, ...(out.timeLost ? { timeLost: true as const } : {}) };
  });
}

/**
 * Each trusted root against the root of the entries at its size; conflicts; sizes beyond the
 * entries. Without entries read, nothing is compared (conflicts between signed roots included:
 * they are found again once the entries can be read).
 */
export function compareRoots(
  checks: readonly JudgedCheckpoint[],
  merged: MergeOutput | undefined,
  F: Findings,
): CheckpointReport[] {
  const count = merged?.count ?? 0;
  const trustedRoots = new RootsBySize();
  return checks.map((c) => {
    if (!c.trusted) return c.report;
    // The entries file was not read (missing, unsafe, unlisted): its finding says why, and no root
    // was compared. "Entries are missing" would claim something about entries nobody looked at.
    if (!merged) return { ...c.report, rootStatus: 'not-checked' };
    const { size, root } = c.trusted;
    if (size > count) {
      F.add(
        'CHECKPOINT_BEYOND_ENTRIES',
        { file: c.file, checkpointSize: size, range: [count, size] },
        `checkpoint commits to ${size} entries but the bundle holds ${count}: entries ${count}..${size - 1} are missing`,
        {
          expected: size,
          actual: count,
        },
      );
      return { ...c.report, rootStatus: 'beyond-entries' };
    }
    const computed = merged?.roots.get(size);
    if (!computed) throw new ProofdeskError('INTERNAL', `root at size ${size} was not computed`);
    const matches = bytesEqual(computed, root);
    const report: CheckpointReport = {
      ...c.report,
      rootStatus: matches ? 'match' : 'mismatch',
      computedRoot: toHex(computed),
    };
    if (!matches) {
      F.add(
        'ROOT_MISMATCH',
        { file: c.file, checkpointSize: size, range: [0, size] },
        `the root of the first ${size} entries differs from the signed root`,
        {
          expected: toHex(root),
          actual: toHex(computed),
        },
      );
    }
    const prior = trustedRoots.conflict(size, root, report);
    if (prior)
      F.add(
        'CHECKPOINT_CONFLICT',
        { file: c.file, checkpointSize: size },
        `two trusted checkpoints of size ${size} sign different roots`,
        { first: toHex(prior), second: toHex(root) },
      );
    return report;
  });
}
