/** The list pane's views of every entry (virtualised) and of the entries with findings. */
import type { ReactNode } from 'react';
import { CAUSE_LABELS } from '../../../../shared/present/labels.js';
import type { EntryRow } from '../../../../shared/protocol/ipc.js';
import type { VerificationResult } from '../../../../shared/verdict/result.js';
import { VirtualList, type VirtualListProps } from '../../components/VirtualList.js';
import { num } from '../../format.js';
import { causeAt, STATUS_TEXT, statusAt } from './coverage.js';

const ROW_H = 30;
/** Entries the findings index lists at most. */
const FINDING_INDEX_MAX = 2000;

/** The cells of entry i's row; its fields once its page has arrived. Called for every row drawn. */
export function entryRowCells(
  i: number,
  row: EntryRow | undefined,
  result: VerificationResult,
  hasFinding: boolean,
): ReactNode {
  const st = statusAt(result.coverage.ranges, i);
  return (
    <>
      <span className={`dot st-${st}`} title={STATUS_TEXT[st]} />
      <span className="c-index">{num(i)}</span>
      {row ? (
        <>
          <span className="c-seq">{row.seq ?? '—'}</span>
          <span className="c-ts">{row.ts ?? '—'}</span>
          <span className="c-actor" title={row.actor}>
            {row.actor ?? ''}
          </span>
          <span className="c-action" title={row.action}>
            {row.action ?? ''}
          </span>
          <span className={`c-sum${row.parses ? '' : ' bad'}`} title={row.summary}>
            {row.target ?? row.summary}
          </span>
        </>
      ) : (
        <span className="c-sum muted">…</span>
      )}
      <RowFlag result={result} i={i} hasFinding={hasFinding} />
    </>
  );
}

function RowFlag({ result, i, hasFinding }: { result: VerificationResult; i: number; hasFinding: boolean }) {
  const cause = causeAt(result, i);
  if (cause)
    return (
      <span className="flag flag-cause" data-testid="cause-flag" data-cause={cause.cause}>
        {cause.entries && cause.entries.from === cause.entries.to
          ? 'removed before'
          : CAUSE_LABELS[cause.cause].toLowerCase()}
      </span>
    );
  return hasFinding ? <span className="flag">finding</span> : null;
}

export function AllEntries(
  props: Pick<VirtualListProps, 'total' | 'selected' | 'onSelect' | 'renderRow' | 'onRange' | 'scrollTo'>,
) {
  return (
    <>
      <div className="vhead">
        <span />
        <span className="c-index">#</span>
        <span className="c-seq">seq</span>
        <span className="c-ts">time (as recorded)</span>
        <span className="c-actor">actor</span>
        <span className="c-action">action</span>
        <span className="c-sum">target / event</span>
      </div>
      <VirtualList
        total={props.total}
        rowHeight={ROW_H}
        selected={props.selected}
        onSelect={props.onSelect}
        renderRow={props.renderRow}
        onRange={props.onRange}
        scrollTo={props.scrollTo}
        label="entries"
      />
    </>
  );
}

/** What the findings index says of entry i: the diagnosis's cause, then its findings' codes. */
function findingSummary(result: VerificationResult, i: number): string {
  return [
    ...(causeAt(result, i) ? [CAUSE_LABELS[causeAt(result, i)!.cause]] : []),
    ...result.findings.filter((f) => f.location.entry === i).map((f) => f.code),
  ].join(', ');
}

export function FindingIndex({
  entries,
  result,
  selected,
  onPick,
}: {
  entries: readonly number[];
  result: VerificationResult;
  selected: number;
  onPick: (i: number) => void;
}) {
  return (
    <ul className="finding-index" data-testid="finding-index">
      {entries.length === 0 ? <li className="muted">No entry has an error finding.</li> : null}
      {entries.slice(0, FINDING_INDEX_MAX).map((i) => (
        <li key={i}>
          <button type="button" className={`link${i === selected ? ' selected' : ''}`} onClick={() => onPick(i)}>
            entry {num(i)}: {findingSummary(result, i)}
          </button>
        </li>
      ))}
    </ul>
  );
}
