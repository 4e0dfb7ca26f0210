/**
 * Check a report someone sent: the report and the examiner's key (obtained from the examiner,
 * never from the report), optionally the evidence to verify again; then the result.
 */
import { ErrorBox, Field } from '../../components/common.js';
import { bundlesOf, type ImportedBundle, useWorkspace, type Workspace } from '../../state.js';
import { CheckResult } from './CheckResult.js';
import { type ReportCheck, useReportCheck } from './useReportCheck.js';

export function CheckSection() {
  const { w } = useWorkspace();
  const bundles = bundlesOf(w);
  const s = useReportCheck(w, bundles);
  return (
    <section className="panel" aria-labelledby="check-h">
      <h2 id="check-h">Check a report you received</h2>
      <p className="muted small">
        Checks the PDF's detached signature, the signed attestation inside it, and that the PDF is exactly what the
        attestation renders to; optionally verifies the evidence again and compares the result with the attested one.
      </p>
      <form onSubmit={(e) => void s.check(e)} className="stack">
        <ReportInputs s={s} />
        <div className="inline-form wrap">
          <RerunFields s={s} w={w} bundles={bundles} />
          <button
            type="submit"
            className="primary"
            disabled={!s.path.trim() || !s.examinerKey.trim() || s.busy || (s.rerun && !s.rerunBundle)}
            data-testid="check-report"
          >
            {s.busy ? 'Checking…' : 'Check report'}
          </button>
        </div>
      </form>
      <ErrorBox error={s.err} title="Report not checked" />
      {s.res ? <CheckResult res={s.res} /> : null}
    </section>
  );
}

function ReportInputs({ s }: { s: ReportCheck }) {
  return (
    <div className="inline-form wrap">
      <Field label="Report PDF, attestation, or their folder">
        <input
          name="check-path"
          value={s.path}
          onChange={(e) => s.setPath(e.target.value)}
          placeholder="/incoming/report"
          spellCheck={false}
        />
      </Field>
      <Field label="Examiner's public key file" hint="obtained from the examiner, never from the report">
        <input
          name="check-key"
          value={s.examinerKey}
          onChange={(e) => s.setExaminerKey(e.target.value)}
          placeholder="/keys/examiner.pub"
          spellCheck={false}
        />
      </Field>
    </div>
  );
}

/** The choice to verify the evidence again; once made, the bundle and the keys it will use. */
function RerunFields({ s, w, bundles }: { s: ReportCheck; w: Workspace; bundles: readonly ImportedBundle[] }) {
  return (
    <>
      <label className="chip">
        <input type="checkbox" name="check-rerun" checked={s.rerun} onChange={(e) => s.setRerun(e.target.checked)} />{' '}
        Verify the evidence again
      </label>
      {s.rerun ? (
        <label className="field compact">
          <span className="field-label">Evidence</span>
          <select name="rerun-bundle" value={s.rerunBundle} onChange={(e) => s.setRerunBundle(e.target.value)}>
            <option value="">choose the bundle the report is about</option>
            {bundles.map((b) => (
              <option key={b.id} value={b.id}>
                {b.evidenceId !== undefined ? `#${b.evidenceId} ` : ''}
                {b.info.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {s.rerun ? (
        <span className="muted small">
          {w.case
            ? "with the case's trusted keys for the bundle's log"
            : `with the ${w.keys.filter((k) => k.use).length} key(s) ticked on Import`}
        </span>
      ) : null}
    </>
  );
}
