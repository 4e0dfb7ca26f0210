/** What a diff is asked to do, and the progress it reports. */
import type { AlignBy } from '../../../shared/diff/entries.js';
import type { Side } from '../../../shared/diff/model.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import type { VerifyProgress } from '../../verify/bundle/verify.js';

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
