/** What differs between the two exports: each cause of the comparison's diagnosis, in order. */
import { CAUSE_LABELS } from '../../../../shared/present/labels.js';
import type { DiffResult } from '../../../../shared/protocol/ipc.js';

export function DiffDiagnosis({ diagnosis }: { diagnosis: DiffResult['diagnosis'] }) {
  if (!diagnosis.length) return null;
  return (
    <section className="panel" aria-labelledby="diff-diagnosis-h">
      <h2 id="diff-diagnosis-h">What differs</h2>
      <ol className="causes" data-testid="diff-diagnosis">
        {diagnosis.map((c, k) => (
          <li key={k} className={`cause sev-${c.severity}`} data-cause={c.cause}>
            <div className="cause-head">
              <span className="cause-n">{k + 1}</span>
              <b className="cause-label">{CAUSE_LABELS[c.cause]}</b>
            </div>
            <p className="cause-text">{c.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
