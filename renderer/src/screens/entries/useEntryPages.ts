/**
 * The rows of the entry list, fetched a page at a time as they come into view and kept in a
 * bounded cache (the oldest page goes first), so millions of entries never sit in memory.
 */
import { useCallback, useRef, useState } from 'react';
import type { EntryRow } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';

/** Rows per request. */
export const PAGE = 100;
/** Pages kept; beyond it the first one fetched is dropped. */
const MAX_PAGES = 400;

type Pages = Map<number, readonly EntryRow[]>;

/** The cached row of entry i, if its page has arrived. */
export function rowIn(pages: Pages, i: number): EntryRow | undefined {
  return pages.get(Math.floor(i / PAGE))?.[i % PAGE];
}

export function useEntryPages(runId: string) {
  const pages = useRef<Pages>(new Map());
  const pending = useRef(new Set<number>());
  // Pages arrive outside React's state: a tick re-renders the rows they fill.
  const [, setTick] = useState(0);

  /** Asks for the pages of entries [first, last] not cached or on their way. */
  const onRange = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
        if (pages.current.has(p) || pending.current.has(p)) continue;
        pending.current.add(p);
        void call('entries.page', { runId, from: p * PAGE, count: PAGE }).then(
          (page) => {
            pending.current.delete(p);
            if (pages.current.size > MAX_PAGES) pages.current.delete(pages.current.keys().next().value!);
            pages.current.set(p, page.rows);
            setTick((t) => t + 1);
          },
          () => pending.current.delete(p),
        );
      }
    },
    [runId],
  );

  const rowOf = (i: number) => rowIn(pages.current, i);
  return { rowOf, onRange };
}
