/** The runs other than the one shown: earlier runs in this window, or the case's other runs. */
import { VerdictBadge, When } from '../../components/common.js';
import { type RunItem, useWorkspace } from '../../state.js';

export function EarlierRuns({ runs, shownKey }: { runs: readonly RunItem[]; shownKey: string | undefined }) {
  const { w } = useWorkspace();
  if (!runs.filter((r) => r.key !== shownKey).length) return null;
  return (
    <section aria-labelledby="runs-h">
      <h2 id="runs-h">{w.case ? 'Other runs of this case' : 'Earlier runs'}</h2>
      <ul className="run-list" data-testid="earlier-runs">
        {runs
          .filter((r) => r.key !== shownKey)
          .map((r) => (
            <EarlierRun key={r.key} r={r} />
          ))}
      </ul>
    </section>
  );
}

function EarlierRun({ r }: { r: RunItem }) {
  const { dispatch } = useWorkspace();
  return (
    <li>
      <button
        type="button"
        className="link"
        onClick={() => dispatch({ type: 'run.select', runId: r.key })}
        data-run-key={r.key}
      >
        {r.caseRunId !== undefined ? `#${r.caseRunId} ` : ''}
        {r.bundleName}
      </button>{' '}
      {r.verdict === 'PASS' || r.verdict === 'FAIL' || r.verdict === 'INCONCLUSIVE' ? (
        <VerdictBadge verdict={r.verdict} />
      ) : (
        <span className="tag">{r.state}</span>
      )}{' '}
      <span className="muted small">
        <When t={r.startedAt} />
        {r.startedBy ? ` · ${r.startedBy}` : ''}
      </span>
    </li>
  );
}
