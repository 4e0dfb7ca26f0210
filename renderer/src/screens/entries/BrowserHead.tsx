/** The browser's heading: the run shown, and the other finished runs to switch to. */
import type { RunView } from '../../../../shared/protocol/ipc.js';
import { VerdictBadge, When } from '../../components/common.js';
import { num } from '../../format.js';
import { runsOf, useWorkspace } from '../../state.js';
import { formatTime } from '../../time.js';

export function BrowserHead({ runId, view }: { runId: string; view: RunView }) {
  const { w, dispatch } = useWorkspace();
  const result = view.run!.result;
  const runs = runsOf(w).filter((r) => r.state === 'done');
  return (
    <header className="screen-head row-between">
      <div>
        <h1>Entries</h1>
        <p className="muted">
          {view.caseRunId !== undefined ? `Run #${view.caseRunId} · ` : ''}
          {result.bundle.name} · {num(result.bundle.entryCount)} entries · <VerdictBadge verdict={result.verdict} /> ·
          verified <When t={view.startedAt} />
        </p>
      </div>
      {runs.length > 1 ? (
        <label className="field compact">
          <span className="field-label">Run</span>
          <select
            name="entries-run"
            value={runId}
            onChange={(e) => dispatch({ type: 'run.select', runId: e.target.value })}
          >
            {runs.map((r) => (
              <option key={r.key} value={r.key}>
                {r.caseRunId !== undefined ? `#${r.caseRunId} ` : ''}
                {r.bundleName} — {r.verdict ?? r.state} — {formatTime(r.startedAt, w.zone)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </header>
  );
}
