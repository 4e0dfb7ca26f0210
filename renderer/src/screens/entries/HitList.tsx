/** The search's hits: the count, how long it took, and each hit with its status, terms marked. */
import { useEffect } from 'react';
import type { EntryRow, QueryHitView } from '../../../../shared/protocol/ipc.js';
import { num } from '../../format.js';
import { STATUS_TEXT } from './coverage.js';
import { Highlight } from './Highlight.js';
import type { Hits } from './types.js';

/** Hits whose rows are asked for when they carry no line of their own. */
const ROWS_WANTED = 200;

/** A hit with the fields of the browser's row, when it carries none itself (a scan outside a case). */
function withRow(h0: QueryHitView, row: EntryRow | undefined): QueryHitView {
  return row
    ? {
        ...h0,
        seq: row.seq ?? null,
        ts: row.ts ?? null,
        actor: row.actor ?? null,
        action: row.action ?? null,
        target: row.target ?? null,
        line: row.summary,
      }
    : h0;
}

export function HitList({
  hits,
  selected,
  onPick,
  onMore,
  searching,
  total,
  rowOf,
  want,
}: {
  hits: Hits;
  selected: number;
  onPick: (i: number) => void;
  onMore: () => void;
  searching: boolean;
  total: number;
  /** The browser's row of an entry, for hits that carry no fields (a scan outside a case). */
  rowOf: (i: number) => EntryRow | undefined;
  /** Asks for the rows of entries [first, last]. */
  want: (first: number, last: number) => void;
}) {
  useEffect(() => {
    for (const h of hits.list.slice(0, ROWS_WANTED)) if (!h.line && !rowOf(h.index)) want(h.index, h.index);
  });
  return (
    <div className="hit-list" data-testid="hit-list" data-total={hits.total} data-shown={hits.list.length}>
      <HitSummary hits={hits} total={total} />
      <ol className="hits">
        {hits.list.map((h0) => (
          <HitItem
            key={h0.index}
            h={withRow(h0, h0.line ? undefined : rowOf(h0.index))}
            terms={hits.highlight}
            selected={h0.index === selected}
            onPick={onPick}
          />
        ))}
      </ol>
      {hits.more ? (
        <button type="button" className="link small" onClick={onMore} disabled={searching}>
          More hits…
        </button>
      ) : null}
    </div>
  );
}

function HitSummary({ hits, total }: { hits: Hits; total: number }) {
  const n = hits.total ?? hits.list.length;
  return (
    <p className="small hit-summary" role="status" data-testid="hit-summary">
      <b data-testid="hit-count">{num(n)}</b> {n === 1 ? 'entry matches' : 'entries match'}
      {hits.scanned !== undefined ? ` so far (searched ${num(hits.scanned)} of ${num(total)})` : ''}
      {hits.elapsedMs !== undefined ? <span className="muted"> · {Math.round(hits.elapsedMs)} ms</span> : null}
      {hits.total !== undefined && hits.list.length < hits.total ? (
        <span className="muted"> · showing {num(hits.list.length)}</span>
      ) : null}
    </p>
  );
}

function HitItem({
  h,
  terms,
  selected,
  onPick,
}: {
  h: QueryHitView;
  terms: readonly string[];
  selected: boolean;
  onPick: (i: number) => void;
}) {
  return (
    <li className={selected ? 'selected' : ''} data-index={h.index} data-status={h.status}>
      <button type="button" className="hit" onClick={() => onPick(h.index)}>
        <span className={`status st-${h.status}`}>{STATUS_TEXT[h.status]}</span>
        <span className="c-index">#{num(h.index)}</span>
        {h.ts ? <span className="c-ts">{h.ts}</span> : null}
        {h.actor ? (
          <span className="hit-field">
            <Highlight text={h.actor} terms={terms} />
          </span>
        ) : null}
        {h.action ? (
          <span className="hit-field">
            <Highlight text={h.action} terms={terms} />
          </span>
        ) : null}
        {h.findings.length ? <span className="flag">{h.findings.join(', ')}</span> : null}
        {h.line ? (
          <span className="hit-line">
            <Highlight text={h.line} terms={terms} />
          </span>
        ) : null}
      </button>
    </li>
  );
}
