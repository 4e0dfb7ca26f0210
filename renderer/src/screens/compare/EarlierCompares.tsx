/** The comparisons recorded in the case, newest first; each opens again. */
import { type CaseRunView, type CaseView, caseRunKey } from '../../../../shared/protocol/ipc.js';
import { When } from '../../components/common.js';
import { useWorkspace } from '../../state.js';

function evidenceName(c: CaseView, id: number | undefined): string {
  return c.evidence.find((e) => e.id === id)?.name ?? `#${id ?? '?'}`;
}

export function EarlierCompares() {
  const { w } = useWorkspace();
  const earlier = (w.case?.runs ?? []).filter((r) => r.kind === 'diff').reverse();
  if (!earlier.length) return null;
  return (
    <section aria-labelledby="earlier-compares-h">
      <h2 id="earlier-compares-h">Comparisons in this case</h2>
      <ul className="run-list" data-testid="earlier-compares">
        {earlier.map((r) => (
          <EarlierCompare key={r.id} c={w.case!} r={r} />
        ))}
      </ul>
    </section>
  );
}

function EarlierCompare({ c, r }: { c: CaseView; r: CaseRunView }) {
  const { dispatch } = useWorkspace();
  const key = caseRunKey(c.caseId, r.id);
  const ins = ['old', 'new'].map((role) => r.inputs.find((i) => i.role === role)?.evidenceId);
  return (
    <li>
      <button type="button" className="link" onClick={() => dispatch({ type: 'compare.select', key })}>
        #{r.id} A: {evidenceName(c, ins[0])} · B: {evidenceName(c, ins[1])}
      </button>{' '}
      <span className="tag">{r.verdict ?? r.status}</span>{' '}
      <span className="muted small">
        <When t={r.startedAt} /> · {r.startedBy}
      </span>
    </li>
  );
}
