/**
 * Key validity windows for formats whose signatures carry a time only sometimes. The rule,
 * the same for every format (docs/formats.md "Key validity"):
 *  - with an authenticated time t: valid iff from <= t <= until and t < revokedAt;
 *  - without one: a window bounded at its end (until or revokedAt) cannot be judged, and the
 *    signature does not count (KEY_NOT_VALID_AT_TIME); a window open at its end (from only)
 *    is accepted with a TIME_NOT_ESTABLISHED warning: the signature exists now, so the only
 *    thing left unknown is whether it predates the key's start.
 */
import { parseRfc3339Seconds } from './json.js';

export interface KeyWindow {
  /** Seconds since the epoch. */
  readonly validFrom?: number;
  readonly validUntil?: number;
  readonly revokedAt?: number;
}

export type WindowVerdict = 'ok' | 'not-yet-valid' | 'expired' | 'revoked' | 'no-time-bounded' | 'no-time-open';

export function judgeKeyWindow(w: KeyWindow, time: number | undefined): WindowVerdict {
  const bounded = w.validUntil !== undefined || w.revokedAt !== undefined;
  if (time === undefined) {
    if (bounded) return 'no-time-bounded';
    return w.validFrom !== undefined ? 'no-time-open' : 'ok';
  }
  if (w.revokedAt !== undefined && time >= w.revokedAt) return 'revoked';
  if (w.validFrom !== undefined && time < w.validFrom) return 'not-yet-valid';
  if (w.validUntil !== undefined && time > w.validUntil) return 'expired';
  return 'ok';
}

/** The window of a case-store TrustedKey (RFC 3339 strings) in seconds. */
export function windowOf(k: { readonly validFrom?: string; readonly validUntil?: string; readonly revokedAt?: string }): KeyWindow {
  const s = (x?: string) => (x === undefined ? undefined : parseRfc3339Seconds(x));
  const validFrom = s(k.validFrom);
  const validUntil = s(k.validUntil);
  const revokedAt = s(k.revokedAt);
  return { ...(validFrom !== undefined ? { validFrom } : {}), ...(validUntil !== undefined ? { validUntil } : {}), ...(revokedAt !== undefined ? { revokedAt } : {}) };
}
