/** The open case's heading: what the case is, who acts in this window, the journal's head, and the case's actions. */
import type { CaseView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { Hash, When } from '../../components/common.js';
import { num } from '../../format.js';
import { useWorkspace } from '../../state.js';

export function CaseHeader({
  c,
  checking,
  onCheck,
  onExport,
}: {
  c: CaseView;
  checking: boolean;
  onCheck: () => void;
  onExport: () => void;
}) {
  return (
    <header className="screen-head row-between">
      <div>
        <h1 data-testid="case-title">{c.title}</h1>
        <p className="muted">
          {c.reference ? <>Reference {c.reference} · </> : null}
          created <When t={c.createdAt} /> by {c.createdBy} · <span className="mono small">{c.dir}</span>
        </p>
        <p className="small">
          Examiner in this window: <b data-testid="case-examiner">{c.examiner}</b>
          <span className="muted"> · journal: {num(c.head.seq)} rows, head </span>
          <Hash value={c.head.hash} />
        </p>
      </div>
      <CaseActions checking={checking} onCheck={onCheck} onExport={onExport} />
    </header>
  );
}

function CaseActions({
  checking,
  onCheck,
  onExport,
}: {
  checking: boolean;
  onCheck: () => void;
  onExport: () => void;
}) {
  const { dispatch } = useWorkspace();
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
        Import evidence…
      </button>
      <button type="button" className="secondary" onClick={onCheck} disabled={checking} data-testid="check-case">
        {checking ? 'Checking…' : 'Check integrity'}
      </button>
      <button type="button" className="secondary" onClick={onExport} data-testid="export-case">
        Export…
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => void call('cases.close', {}).then(() => dispatch({ type: 'case', view: null }))}
        data-testid="close-case"
      >
        Close case
      </button>
    </div>
  );
}
