/**
 * The entry search: for a run of the open case, a query over the case's index; for a run outside
 * a case, a scan of the entries file in slices. Only the latest search may change what is shown:
 * each one takes a sequence number, and Cancel moves it on.
 */
import { type FormEvent, useRef, useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import type { CoverageRange, VerificationResult } from '../../../../shared/verdict/result.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { mergeQueryHits, NO_FILTERS, type QueryOptions, queryRequest, type SearchFields, scanHits } from './search.js';
import type { Hits, Mode } from './types.js';

/** Hits kept from a scan of a run outside a case (the count goes on). */
const SCAN_KEEP = 5000;
/** Entries a scan reads per request. */
const SCAN_SLICE = 1000;

/**
 * Reads the entries file slice by slice, showing the hits after each, to its end or until a later
 * search takes over. Throws what the backend throws.
 */
async function scanSlices(
  runId: string,
  q: string,
  ranges: readonly CoverageRange[],
  isCurrent: () => boolean,
  show: (h: Hits) => void,
) {
  const found: number[] = [];
  let next = 0;
  let count = 0;
  const t0 = performance.now();
  for (;;) {
    const r = await call('entries.search', { runId, query: q, from: next, limit: SCAN_SLICE });
    if (!isCurrent()) return;
    count += r.matches.length;
    for (const m of r.matches) if (found.length < SCAN_KEEP) found.push(m);
    next = r.next;
    const done = r.next >= r.total;
    show(scanHits(q, { found, count, next, done, t0 }, ranges));
    if (done) break;
  }
}

export function useSearch(runId: string, result: VerificationResult, indexed: boolean, setMode: (m: Mode) => void) {
  const [fields, setFields] = useState<SearchFields>(NO_FILTERS);
  const [hits, setHits] = useState<Hits>();
  const [searching, setSearching] = useState(false);
  const [searchErr, setSearchErr] = useState<IpcError>();
  const searchSeq = useRef(0);

  const setField = (k: keyof SearchFields, v: string) => setFields((f) => ({ ...f, [k]: v }));

  const cancelSearch = () => {
    searchSeq.current++;
    setSearching(false);
    setHits((h) => (h ? { ...h, label: `${h.label} (stopped)` } : h));
  };

  /** Starts a search: returns its sequence number. */
  const begin = () => {
    const seq = ++searchSeq.current;
    setSearching(true);
    setSearchErr(undefined);
    return seq;
  };
  /** Ends a search, unless a later one (or Cancel) took over. */
  const fail = (seq: number, e: unknown) => {
    if (seq === searchSeq.current) setSearchErr(asIpcError(e));
  };
  const end = (seq: number) => {
    if (seq === searchSeq.current) setSearching(false);
  };

  /** An indexed query (a run of the case): filters, count, statuses. */
  const query = async (o: QueryOptions = {}) => {
    const seq = begin();
    try {
      const r = await call('entries.query', queryRequest(runId, fields, o));
      if (seq !== searchSeq.current) return;
      setHits((prev) => mergeQueryHits(prev, r, o));
      setMode('hits');
    } catch (e) {
      fail(seq, e);
    } finally {
      end(seq);
    }
  };

  /** A scan of the entries file (a run outside a case): every line holding the text, in slices. */
  const scan = async () => {
    const q = fields.text.trim();
    if (!q) return;
    const seq = begin();
    setMode('hits');
    try {
      await scanSlices(runId, q, result.coverage.ranges, () => seq === searchSeq.current, setHits);
    } catch (e) {
      fail(seq, e);
    } finally {
      end(seq);
    }
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    if (indexed) void query({ label: 'Search' });
    else void scan();
  };

  return { fields, setField, hits, searching, searchErr, cancelSearch, query, submitSearch };
}

export type Search = ReturnType<typeof useSearch>;
