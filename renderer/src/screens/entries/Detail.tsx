/** The selected entry: its coverage and cause, findings, raw line or JSON, chain links and proof. */
import { useMemo, useState } from 'react';
import { CAUSE_LABELS, COVERAGE_REASON_LABELS } from '../../../../shared/present/labels.js';
import type { EntryDetail, IpcError, LinkStatus } from '../../../../shared/protocol/ipc.js';
import type { VerificationResult } from '../../../../shared/verdict/result.js';
import { ErrorBox, Hash } from '../../components/common.js';
import { ProofPath } from '../../components/ProofPath.js';
import { num } from '../../format.js';
import { causeAt, rangeAt } from './coverage.js';
import { Highlight } from './Highlight.js';

export function DetailPane({
  selected,
  detail,
  detailErr,
  result,
  terms,
}: {
  selected: number;
  detail: EntryDetail | undefined;
  detailErr: IpcError | undefined;
  result: VerificationResult;
  terms: readonly string[];
}) {
  return (
    <aside
      className="detail-pane"
      aria-label={`entry ${selected}`}
      data-testid="entry-detail"
      data-index={detail?.index}
    >
      <ErrorBox error={detailErr} title="Entry not shown" />
      {detail && detail.index === selected ? (
        <Detail d={detail} result={result} terms={terms} />
      ) : (
        <p className="muted">Loading entry {num(selected)}…</p>
      )}
    </aside>
  );
}

const LINK_TEXT: Record<LinkStatus | 'last', string> = {
  ok: 'links correctly',
  broken: 'BROKEN',
  unknown: 'cannot be checked',
  last: 'last entry',
};

function pretty(raw: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return undefined;
  }
}

/** The entry as the verification saw it. */
function Detail({ d, result, terms }: { d: EntryDetail; result: VerificationResult; terms: readonly string[] }) {
  const cause = causeAt(result, d.index);
  const reason = rangeAt(result.coverage.ranges, d.index)?.reason;
  const [view, setView] = useState<'pretty' | 'raw'>('pretty');
  const json = useMemo(() => (d.rawTruncated ? undefined : pretty(d.raw)), [d]);
  const shown = view === 'pretty' && json !== undefined ? json : d.raw;
  return (
    <div className="detail">
      <header className="row-between">
        <h2>Entry {num(d.index)}</h2>
        <span
          className={`status cov-${d.coverage}`}
          data-testid="entry-coverage"
          title={reason ? COVERAGE_REASON_LABELS[reason] : undefined}
        >
          {d.coverage}
        </span>
      </header>
      {reason ? (
        <p className="muted small" data-testid="entry-coverage-reason" data-reason={reason}>
          {COVERAGE_REASON_LABELS[reason]}
        </p>
      ) : null}
      {cause ? (
        <p className="cause-text" data-testid="entry-cause" data-cause={cause.cause}>
          <b>{CAUSE_LABELS[cause.cause]}.</b> {cause.text}
        </p>
      ) : null}
      <p className="muted small">
        byte {num(d.offset)} · {num(d.length)} bytes
      </p>
      {d.findings.length ? (
        <ul className="findings compact">
          {d.findings.map((f, k) => (
            <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
              <code className="code">{f.code}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row-between">
        <h3>{view === 'pretty' && json !== undefined ? 'Entry (pretty-printed JSON)' : 'Raw line'}</h3>
        <span className="segmented small">
          <button type="button" aria-pressed={view === 'pretty'} onClick={() => setView('pretty')} disabled={!json}>
            JSON
          </button>
          <button type="button" aria-pressed={view === 'raw'} onClick={() => setView('raw')} data-testid="show-raw">
            Raw line
          </button>
        </span>
      </div>
      <pre className="raw" data-testid={view === 'pretty' && json !== undefined ? 'pretty-json' : 'raw-line'}>
        <Highlight text={shown} terms={terms} />
        {d.rawTruncated ? '\n… (cut for display; the leaf hash covers the whole line)' : ''}
      </pre>
      {view === 'pretty' && json !== undefined ? (
        <p className="muted small">The leaf hash covers the raw line exactly as stored, not this layout.</p>
      ) : null}
      <h3>Hashes</h3>
      <HashFacts d={d} />
      <h3>Merkle inclusion proof</h3>
      {d.proof ? <ProofPath proof={d.proof} index={d.index} /> : <p className="muted">{d.proofUnavailable}</p>}
    </div>
  );
}

/** The entry's leaf hash and its chain links, as recorded and as expected. */
function HashFacts({ d }: { d: EntryDetail }) {
  return (
    <dl className="facts">
      <dt>Leaf hash</dt>
      <dd>
        <Hash value={d.leafHash} />
      </dd>
      <dt>prev (recorded)</dt>
      <dd>{d.prev ? <Hash value={d.prev} /> : '—'}</dd>
      <dt>prev (expected)</dt>
      <dd>{d.expectedPrev ? <Hash value={d.expectedPrev} /> : '—'}</dd>
      <dt>Link from previous</dt>
      <dd className={`link-${d.prevStatus}`} data-testid="prev-status" data-status={d.prevStatus}>
        {d.index === 0 ? `genesis ${LINK_TEXT[d.prevStatus]}` : LINK_TEXT[d.prevStatus]}
      </dd>
      <dt>Link to next</dt>
      <dd className={`link-${d.nextStatus}`} data-status={d.nextStatus}>
        {LINK_TEXT[d.nextStatus]}
      </dd>
    </dl>
  );
}
