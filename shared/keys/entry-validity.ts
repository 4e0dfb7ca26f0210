/**
 * Key validity for entry signatures: the rule of validity.ts (judgeKeyWindow), applied to one
 * entry signed by a trusted event-source key that has a window. The same rule as for
 * checkpoint signatures, with the entry's own times:
 *  - claimed: the entry's `ts`. The log writes it, not the key's holder, and a dishonest log
 *    writes any value, so like a checkpoint's claimed time it can place a signature outside
 *    the window but never inside the end of it.
 *  - witnessed: the earliest time a trusted witness cosigned a trusted checkpoint that covers
 *    the entry. The entry was in the log by then, so its signature was made no later.
 *  - keySigned: none; the signed event carries no time the verifier can read in general.
 */
import { assertNever } from '../encoding/assert.js';
import type { WitnessStep } from '../protocol/worker.js';
import {
  counts,
  iso,
  judgeKeyWindow,
  type KeyWindow,
  type WindowFinding,
  type WindowSubject,
  windowFinding,
} from './validity.js';

const ENTRY_SUBJECT: WindowSubject = {
  key: 'entry key',
  what: 'this entry',
  cosigned: 'a checkpoint covering this entry',
  keySignedCounts: false,
};

export interface WitnessLookup {
  /** The earliest witness time of a step covering entry `index`, and that step's position in the input. */
  at(index: number): { readonly time: number; readonly step: number; readonly size: number } | undefined;
}

/** Suffix minima over the steps sorted by size: a binary search per lookup. */
export function witnessLookup(steps: readonly WitnessStep[]): WitnessLookup {
  const order = steps.map((_, k) => k).sort((a, b) => steps[a]!.size - steps[b]!.size);
  const sizes = order.map((k) => steps[k]!.size);
  const minTime: number[] = new Array<number>(order.length);
  const minStep: number[] = new Array<number>(order.length);
  for (let p = order.length - 1; p >= 0; p--) {
    const k = order[p]!;
    // On equal times the smaller checkpoint is kept: the fewer entries a count rests on, the better.
    if (p === order.length - 1 || steps[k]!.time <= minTime[p + 1]!) {
      minTime[p] = steps[k]!.time;
      minStep[p] = k;
    } else {
      minTime[p] = minTime[p + 1]!;
      minStep[p] = minStep[p + 1]!;
    }
  }
  return {
    at(index) {
      // First step whose size exceeds the index: it and every larger step contain the entry.
      let lo = 0;
      let hi = sizes.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sizes[mid]! > index) hi = mid;
        else lo = mid + 1;
      }
      return lo < sizes.length
        ? { time: minTime[lo]!, step: minStep[lo]!, size: steps[minStep[lo]!]!.size }
        : undefined;
    },
  };
}

export interface EntrySignatureJudgement {
  /** Whether the (cryptographically valid) signature counts. */
  readonly counts: boolean;
  /** A finding to report for the entry; an error only when the evidence places the signature outside the window. */
  readonly finding?: WindowFinding;
  /** The signature does not count and nothing shows the entry wrong: the entry is unverifiable. */
  readonly undated: boolean;
  /** The signature counts only because of this witness step's time. */
  readonly witnessStep?: number;
}

/**
 * Judges a valid signature on entry `index` by key `fingerprint` with window `w`. `claimed` is
 * the entry's ts in seconds, when it has a valid one.
 */
export function judgeEntrySignature(
  fingerprint: string,
  w: KeyWindow,
  index: number,
  claimed: number | undefined,
  witness: WitnessLookup,
): EntrySignatureJudgement {
  const seen = witness.at(index);
  const c = claimed !== undefined ? { claimed } : {};
  const j = judgeKeyWindow(w, { ...c, ...(seen ? { witnessed: seen.time } : {}) });
  // A count that the witness time made: it rests on that checkpoint (taken back if its root is wrong).
  const step = counts(j) && seen && !counts(judgeKeyWindow(w, c)) ? { witnessStep: seen.step } : {};
  if (j.verdict === 'ok') return { counts: true, undated: false, ...step };
  // Only a finding needs words: this runs once per signed entry.
  const times = {
    claimed: claimed !== undefined ? iso(claimed) : null,
    witnessed: seen ? iso(seen.time) : null,
    ...(seen ? { witnessCheckpointSize: seen.size } : {}),
  };
  const finding = windowFinding(
    j,
    w,
    fingerprint,
    ENTRY_SUBJECT,
    times,
    seen ? { witnessCheckpointSize: seen.size } : {},
  );
  switch (j.verdict) {
    case 'start-not-established':
      return { counts: true, undated: false, ...step, finding };
    case 'revoked':
    case 'not-yet-valid':
    case 'expired':
      return { counts: false, undated: false, finding };
    case 'end-not-established':
    case 'window-invalid':
      return { counts: false, undated: true, finding };
    default:
      return assertNever(j, 'window judgement');
  }
}
