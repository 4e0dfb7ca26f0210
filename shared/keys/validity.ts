/**
 * Key validity windows: whether a signature by a trusted key counts, given what the evidence
 * shows about when it was made. One rule for every input format and every code path
 * (docs/bundle-format.md §8, docs/formats.md "Key validity"); judgeKeyWindow is the rule,
 * applyKeyValidity applies it to the log signatures of a judged checkpoint.
 *
 * The signing time is never known exactly. The evidence can give three kinds of time:
 *  - claimed: a time in data the signer wrote (the ts of a checkpoint's last entry). An honest
 *    log signs after it; whoever holds the key can write any value.
 *  - keySigned: a time inside the judged signature itself (a Rekor signed entry timestamp, a
 *    CloudTrail digestEndTime, an RFC 6962 tree-head timestamp). It is the signing time while
 *    the key is in its owner's hands, and anything at all once it is not.
 *  - witnessed: the earliest time a trusted witness cosigned the checkpoint
 *    (c2sp.org/tlog-cosignature). The checkpoint existed then, so it was signed no later,
 *    whoever held the log key. The only upper bound that does not rest on the judged key.
 *
 * The rule, in order:
 *  1. A bound that is not a valid time (windowOf) → 'window-invalid': the key does not count.
 *     An unreadable bound is never dropped, which would widen the window.
 *  2. The evidence itself places the signature outside the window: a claimed or keySigned
 *     time at or after revokedAt → 'revoked'; a claimed, keySigned or witnessed time before
 *     validFrom → 'not-yet-valid'; a claimed or keySigned time after validUntil → 'expired'.
 *  3. revokedAt is met only by witnessed < revokedAt. A key is revoked because it may be in
 *     other hands, and then nothing it signs, its own timestamps included, says when it signed.
 *  4. validUntil is met by witnessed <= validUntil, or by keySigned <= validUntil. The end of a
 *     validity period is a schedule, not a suspicion (a key suspected of compromise is revoked),
 *     and the key's own signed time is how Sigstore (trusted_root validFor against a signed
 *     entry timestamp) and CloudTrail (digest files against ValidityStartTime/EndTime) define
 *     the validity of their keys.
 *     Without what 3 or 4 needs → 'end-not-established': the signature does not count.
 *  5. validFrom is met by a claimed or keySigned time >= validFrom. With neither →
 *     'start-not-established': the signature counts, with a warning.
 *
 * Why an unauthenticated claimed time is enough for the start (rule 5): the start only says a
 * signature made earlier is not the key's. A forger holding the key who backdates a checkpoint
 * before validFrom must still state a time at or after validFrom (rule 2) and meet the end rules
 * (3, 4) with a witness or the key's own time; what passes is then byte for byte a signature the
 * key's holder could have made inside the window, so it gains nothing that the key, validly
 * used, does not already give. What the rule cannot catch is a key used before its window when
 * the evidence hides it; that needs a time its holder cannot write, and only a witness time
 * before validFrom (rule 2) is one.
 */
import { assertNever } from '../encoding/assert.js';
import { parseRfc3339Seconds } from '../encoding/json.js';
import type { CheckpointCheck } from '../tlog/checkpoint-verify.js';
import { type EvidenceValue, type Finding, type FindingCode, finding } from '../verdict/findings.js';
import type { CheckpointReport, SignatureReport } from '../verdict/result.js';

export type WindowBound = 'validFrom' | 'validUntil' | 'revokedAt';

export interface KeyWindow {
  /** Seconds since the epoch. */
  readonly validFrom?: number;
  readonly validUntil?: number;
  readonly revokedAt?: number;
  /** Bounds that were given but are not valid times: the key cannot be judged (rule 1). */
  readonly invalid?: readonly WindowBound[];
}

/** What the evidence shows about when a signature was made, in seconds since the epoch. */
export interface SigningTime {
  /** A time in data the signer wrote (a checkpoint's last entry ts); authenticated by nothing. */
  readonly claimed?: number;
  /** A time inside the judged signature (signed entry timestamp, digestEndTime, RFC 6962 timestamp). */
  readonly keySigned?: number;
  /** The earliest time a trusted witness cosigned what was signed: an upper bound on the signing time. */
  readonly witnessed?: number;
}

export type TimeSource = 'claimed' | 'key-signed' | 'witnessed';

export type WindowJudgement =
  | { readonly verdict: 'ok' }
  /** Only the start is unknown: the signature counts (rule 5). */
  | { readonly verdict: 'start-not-established' }
  | { readonly verdict: 'revoked' | 'not-yet-valid' | 'expired'; readonly time: number; readonly source: TimeSource }
  /** No time shows the signature was made before the window's end (rules 3, 4): it does not count. */
  | { readonly verdict: 'end-not-established'; readonly bound: 'validUntil' | 'revokedAt' }
  | { readonly verdict: 'window-invalid'; readonly bounds: readonly WindowBound[] };

/** Whether a signature whose judgement this is still counts. */
export function counts(j: WindowJudgement): boolean {
  return j.verdict === 'ok' || j.verdict === 'start-not-established';
}

/** The rule of this module's comment. Times and bounds in seconds since the epoch. */
export function judgeKeyWindow(w: KeyWindow, t: SigningTime): WindowJudgement {
  if (w.invalid?.length) return { verdict: 'window-invalid', bounds: w.invalid };
  const stated: Array<[number, TimeSource]> = [];
  if (t.claimed !== undefined) stated.push([t.claimed, 'claimed']);
  if (t.keySigned !== undefined) stated.push([t.keySigned, 'key-signed']);
  const { validFrom: from, validUntil: until, revokedAt: revoked } = w;
  const outside = (test: (x: number) => boolean, among: ReadonlyArray<[number, TimeSource]>) =>
    among.find(([x]) => test(x));

  if (revoked !== undefined) {
    const hit = outside((x) => x >= revoked, stated);
    if (hit) return { verdict: 'revoked', time: hit[0], source: hit[1] };
  }
  if (from !== undefined) {
    const hit = outside((x) => x < from, t.witnessed !== undefined ? [...stated, [t.witnessed, 'witnessed']] : stated);
    if (hit) return { verdict: 'not-yet-valid', time: hit[0], source: hit[1] };
  }
  if (until !== undefined) {
    const hit = outside((x) => x > until, stated);
    if (hit) return { verdict: 'expired', time: hit[0], source: hit[1] };
  }
  if (revoked !== undefined && !(t.witnessed !== undefined && t.witnessed < revoked))
    return { verdict: 'end-not-established', bound: 'revokedAt' };
  if (
    until !== undefined &&
    !((t.witnessed !== undefined && t.witnessed <= until) || (t.keySigned !== undefined && t.keySigned <= until))
  ) {
    return { verdict: 'end-not-established', bound: 'validUntil' };
  }
  if (from !== undefined && stated.length === 0) return { verdict: 'start-not-established' };
  return { verdict: 'ok' };
}

/**
 * The window of a TrustedKey (RFC 3339 strings) in seconds. A bound that does not parse is
 * listed in `invalid`, so that the key does not count (rule 1) instead of being trusted wider.
 */
export function windowOf(k: {
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly revokedAt?: string;
}): KeyWindow {
  const out: { validFrom?: number; validUntil?: number; revokedAt?: number } = {};
  const invalid: WindowBound[] = [];
  for (const b of ['validFrom', 'validUntil', 'revokedAt'] as const) {
    const s = k[b];
    if (s === undefined) continue;
    const t = parseRfc3339Seconds(s);
    if (t === undefined) invalid.push(b);
    else out[b] = t;
  }
  return invalid.length ? { ...out, invalid } : out;
}

/** Windows by fingerprint, for applyKeyValidity. */
export function windowsOf(
  keys: ReadonlyArray<{
    readonly fingerprint: string;
    readonly validFrom?: string;
    readonly validUntil?: string;
    readonly revokedAt?: string;
  }>,
): Map<string, KeyWindow> {
  return new Map(keys.map((k) => [k.fingerprint, windowOf(k)]));
}

/**
 * The earliest time a trusted witness cosigned, from a checkpoint's signature reports: verified
 * cosignatures whose witness key's own window admits the time the witness signed (the witness
 * key judged by the same rule, its cosignature time being keySigned). A witness key with a
 * revocation therefore never gives a time: after its revocation its timestamps prove nothing.
 */
export function witnessedTime(
  signatures: readonly SignatureReport[],
  windows: ReadonlyMap<string, KeyWindow>,
): number | undefined {
  let earliest: number | undefined;
  for (const s of signatures) {
    if (s.kind !== 'cosignature' || s.status !== 'verified' || s.time === undefined) continue;
    const w = s.fingerprint !== undefined ? windows.get(s.fingerprint) : undefined;
    if (w && !counts(judgeKeyWindow(w, { keySigned: s.time }))) continue;
    if (earliest === undefined || s.time < earliest) earliest = s.time;
  }
  return earliest;
}

export interface KeyValidityInput {
  /** Windows of the trusted keys by fingerprint (windowsOf); a key not in the map has none. */
  readonly windows: ReadonlyMap<string, KeyWindow>;
  /** The checkpoint's claimed time: the ts of its last entry, when the entries have one. */
  readonly claimed?: number;
  /**
   * A time the log key signed about this checkpoint outside the note (a Rekor signed entry
   * timestamp). A signature report's own `time` (an RFC 6962 note timestamp) takes precedence.
   */
  readonly keySigned?: number;
}

/** RFC 3339 for a time in seconds, or the number itself when Date cannot represent it. */
export function iso(t: number): string {
  const ms = t * 1000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${t} s`;
}

/** A window bound as RFC 3339, or null when the window has none. */
export function boundIso(w: KeyWindow, b: WindowBound): string | null {
  const v = w[b];
  return v === undefined ? null : iso(v);
}

/** How a window finding names what was signed: a checkpoint, or an entry (entry-validity.ts). */
export interface WindowSubject {
  /** The key's kind, as the message opens: "key", "entry key". */
  readonly key: string;
  /** What was signed: "this checkpoint", "this entry". */
  readonly what: string;
  /** What a trusted witness would have cosigned to date it. */
  readonly cosigned: string;
  /** Whether a time inside the signature itself can meet a validUntil (rule 4). */
  readonly keySignedCounts: boolean;
}

const CHECKPOINT_SUBJECT: WindowSubject = {
  key: 'key',
  what: 'this checkpoint',
  cosigned: 'this checkpoint',
  keySignedCounts: true,
};

export interface WindowFinding {
  readonly code: FindingCode;
  readonly message: string;
  readonly evidence: Record<string, EvidenceValue>;
}

/**
 * The finding for a judgement other than 'ok': its code, words and evidence, the same for
 * every kind of signature. `times` are the times that were seen (RFC 3339 or null), added to
 * the evidence of the findings about a missing time; `seenAt` is added where a witnessed time
 * placed the signature outside the window (which checkpoint it came from).
 */
export function windowFinding(
  j: Exclude<WindowJudgement, { verdict: 'ok' }>,
  w: KeyWindow,
  fingerprint: string,
  subject: WindowSubject,
  times: Record<string, EvidenceValue>,
  seenAt: Record<string, EvidenceValue> = {},
): WindowFinding {
  const key = `${subject.key} ${fingerprint.slice(0, 16)}…`;
  switch (j.verdict) {
    case 'start-not-established':
      return {
        code: 'TIME_NOT_ESTABLISHED',
        message: `${key} is trusted from ${boundIso(w, 'validFrom')}; no time in the evidence shows ${subject.what} was signed after that, and the signature is accepted without the start checked`,
        evidence: { fingerprint, bound: 'validFrom', validFrom: boundIso(w, 'validFrom'), ...times },
      };
    case 'revoked':
      return {
        code: 'KEY_REVOKED',
        message: `${key} was revoked at ${boundIso(w, 'revokedAt')}; the ${j.source} time of ${subject.what} (${iso(j.time)}) is not before that`,
        evidence: { fingerprint, revokedAt: boundIso(w, 'revokedAt'), time: iso(j.time), timeSource: j.source },
      };
    case 'not-yet-valid':
    case 'expired':
      return {
        code: 'KEY_NOT_VALID_AT_TIME',
        message: `${key} is trusted from ${boundIso(w, 'validFrom') ?? '−∞'} until ${boundIso(w, 'validUntil') ?? '+∞'}; the ${j.source} time of ${subject.what} (${iso(j.time)}) is outside that`,
        evidence: {
          fingerprint,
          time: iso(j.time),
          timeSource: j.source,
          validFrom: boundIso(w, 'validFrom'),
          validUntil: boundIso(w, 'validUntil'),
          ...(j.source === 'witnessed' ? seenAt : {}),
        },
      };
    case 'end-not-established':
      return {
        code: 'TIME_NOT_ESTABLISHED',
        message:
          j.bound === 'revokedAt'
            ? `${key} was revoked at ${boundIso(w, 'revokedAt')}, and no trusted witness cosigned ${subject.cosigned} before then: nothing shows it was signed before the revocation, so the signature does not count`
            : `${key} is trusted until ${boundIso(w, 'validUntil')}, and ${subject.keySignedCounts ? 'neither a trusted witness nor the signature itself dates' : 'no trusted witness cosigned'} ${subject.keySignedCounts ? subject.what : subject.cosigned} by then: the signature does not count`,
        evidence: { fingerprint, bound: j.bound, [j.bound]: boundIso(w, j.bound), ...times },
      };
    case 'window-invalid':
      return {
        code: 'KEY_WINDOW_INVALID',
        message: `${key} is trusted with a validity bound that is not an RFC 3339 time (${j.bounds.join(', ')}); its signature does not count`,
        evidence: { fingerprint, bounds: j.bounds.join(',') },
      };
    default:
      return assertNever(j, 'window judgement');
  }
}

/**
 * Applies key validity to the verified log signatures of a judged checkpoint: each one is
 * judged (judgeKeyWindow) at the checkpoint's claimed time, its signer's own time and the
 * earliest admitted witness time; a signature that does not count gets the status 'revoked',
 * 'not-valid-at-time' or 'validity-unknown' and a finding (KEY_REVOKED, KEY_NOT_VALID_AT_TIME,
 * TIME_NOT_ESTABLISHED, KEY_WINDOW_INVALID), and a checkpoint left without a counting log
 * signature is no longer trusted. Returns the check with `findings` extended (the new ones last)
 * and `timeLost` set when key validity is what took its trust away. A signed note that is not a
 * checkpoint (no `trusted` size and root) is judged the same way.
 */
export function applyKeyValidity<C extends CheckpointCheck>(
  check: C,
  input: KeyValidityInput,
): C & { readonly timeLost?: true } {
  if (check.report.status !== 'trusted') return check;
  const loc = { file: check.report.file, ...(check.trusted ? { checkpointSize: check.trusted.size } : {}) };
  const witnessed = witnessedTime(check.report.signatures, input.windows);
  const added: Finding[] = [];
  let still = 0;
  const signatures = check.report.signatures.map((s): SignatureReport => {
    if (s.kind !== 'log' || s.status !== 'verified' || !s.fingerprint) return s;
    const w = input.windows.get(s.fingerprint);
    if (!w) {
      still++;
      return s;
    }
    const keySigned = s.time ?? input.keySigned;
    const t: SigningTime = {
      ...(input.claimed !== undefined ? { claimed: input.claimed } : {}),
      ...(keySigned !== undefined ? { keySigned } : {}),
      ...(witnessed !== undefined ? { witnessed } : {}),
    };
    const j = judgeKeyWindow(w, t);
    if (j.verdict === 'ok' || j.verdict === 'start-not-established') still++;
    if (j.verdict === 'ok') return s;
    const times = {
      claimed: t.claimed !== undefined ? iso(t.claimed) : null,
      keySigned: t.keySigned !== undefined ? iso(t.keySigned) : null,
      witnessed: witnessed !== undefined ? iso(witnessed) : null,
    };
    const f = windowFinding(j, w, s.fingerprint, CHECKPOINT_SUBJECT, times);
    added.push(finding(f.code, loc, f.message, f.evidence));
    switch (j.verdict) {
      case 'start-not-established':
        return s;
      case 'revoked':
        return { ...s, status: 'revoked' };
      case 'not-yet-valid':
      case 'expired':
        return { ...s, status: 'not-valid-at-time' };
      case 'end-not-established':
      case 'window-invalid':
        return { ...s, status: 'validity-unknown' };
      default:
        return assertNever(j, 'window judgement');
    }
  });
  const findings = [...check.findings, ...added];
  if (still > 0) return { ...check, findings, report: { ...check.report, signatures } };
  const { trusted: _dropped, ...rest } = check;
  void _dropped;
  return {
    ...rest,
    findings,
    report: { ...check.report, signatures, status: 'untrusted' },
    timeLost: true,
  } as unknown as C & { readonly timeLost: true };
}

/**
 * The earliest and latest verified cosignature times over checkpoints, for a result's
 * evidenceTime. A loop, not Math.min(...times): a spread of one argument per cosignature
 * overflows the call stack on a bundle with many of them.
 */
export function cosignedRange(
  checkpoints: readonly CheckpointReport[],
): { readonly cosignedFrom: number; readonly cosignedTo: number } | undefined {
  let from: number | undefined;
  let to: number | undefined;
  for (const c of checkpoints) {
    for (const s of c.signatures) {
      if (s.kind !== 'cosignature' || s.status !== 'verified' || s.time === undefined) continue;
      if (from === undefined || s.time < from) from = s.time;
      if (to === undefined || s.time > to) to = s.time;
    }
  }
  return from !== undefined && to !== undefined ? { cosignedFrom: from, cosignedTo: to } : undefined;
}
