/** The case's runs (newest first) with their reports; a finished run opens again on Verify or Compare. */
import type { CaseRunView, CaseView } from '../../../../shared/protocol/ipc.js';
import { VerdictBadge, When } from '../../components/common.js';
import { duration } from '../../format.js';
import { useWorkspace } from '../../state.js';
import { ReportFiles } from './ReportFiles.js';

function evidenceName(c: CaseView, id: number): string {
  return c.evidence.find((e) => e.id === id)?.name ?? `#${id}`;
}

/** What a run was of: a comparison's A and B, or a verification's evidence. */
function runInputs(c: CaseView, r: CaseRunView): string {
  return r.kind === 'diff'
    ? ['old', 'new']
        .map((role) => r.inputs.find((i) => i.role === role))
        .map((i, k) => `${k === 0 ? 'A' : 'B'}: ${i ? evidenceName(c, i.evidenceId) : '?'}`)
        .join(' · ')
    : r.evidenceIds.map((id) => evidenceName(c, id)).join(', ');
}

function useOpenRun() {
  const { dispatch } = useWorkspace();
  return (r: CaseRunView) => {
    if (r.kind === 'diff') {
      dispatch({ type: 'compare.select', key: r.appRunId });
      dispatch({ type: 'goto', screen: 'compare' });
    } else {
      dispatch({ type: 'run.select', runId: r.appRunId });
      dispatch({ type: 'goto', screen: 'verify' });
    }
  };
}

export function RunsSection({ c }: { c: CaseView }) {
  const openRun = useOpenRun();
  return (
    <section className="panel">
      <h2>
        Runs ({c.runs.length}) and reports ({c.reports.length})
      </h2>
      {c.runs.length === 0 ? <p className="muted">No run yet: verify or compare evidence of the case.</p> : null}
      {c.runs.length ? (
        <table className="table small" data-testid="case-runs">
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Of</th>
              <th>Result</th>
              <th>Started</th>
              <th>Reports</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...c.runs].reverse().map((r) => (
              <RunRow key={r.id} c={c} r={r} onOpen={openRun} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RunRow({ c, r, onOpen }: { c: CaseView; r: CaseRunView; onOpen: (r: CaseRunView) => void }) {
  return (
    <tr data-run-id={r.id}>
      <td>{r.id}</td>
      <td>{r.kind === 'diff' ? 'compare' : 'verify'}</td>
      <td>{runInputs(c, r)}</td>
      <td>
        {r.verdict === 'PASS' || r.verdict === 'FAIL' || r.verdict === 'INCONCLUSIVE' ? (
          <VerdictBadge verdict={r.verdict} />
        ) : (
          <span className="tag">{r.verdict ?? r.status}</span>
        )}
        {r.error ? <div className="muted">{r.error}</div> : null}
      </td>
      <td>
        <When t={r.startedAt} />
        <div className="muted">
          by {r.startedBy}
          {r.finishedAt ? ` · ${duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt))}` : ''}
        </div>
      </td>
      <td>
        {c.reports
          .filter((p) => p.runId === r.id)
          .map((p) => (
            <div key={p.id}>
              #{p.id} <When t={p.signedAt} /> by {p.signedBy}
              <ReportFiles files={p.files} />
            </div>
          ))}
      </td>
      <td>
        {r.status === 'finished' ? (
          <button type="button" className="link" onClick={() => onOpen(r)} data-testid="open-run">
            Open →
          </button>
        ) : null}
      </td>
    </tr>
  );
}
