import type { QueryHitView } from '../../../../shared/protocol/ipc.js';

/** What the list pane shows: every entry, the search's hits, or the entries with findings. */
export type Mode = 'all' | 'hits' | 'findings';

export interface Hits {
  readonly list: readonly QueryHitView[];
  readonly total?: number;
  readonly more: boolean;
  readonly highlight: readonly string[];
  readonly elapsedMs?: number;
  /** A scan still running (outside a case): entries searched so far. */
  readonly scanned?: number;
  readonly label: string;
}

/** A bar or a silence of the timeline: its entries (first and last index) and its time range. */
export interface TimeSpan {
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly t0: number;
  readonly t1: number;
}
