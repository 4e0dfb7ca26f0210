/**
 * Reports: preview what a signed report will say, sign it with the examiner's key (the
 * passphrase is asked for at the moment of signing and sent only to the main process), and
 * check a report someone else sent: whether it is authentic (signed by the key given and
 * unchanged), signed by a different key (never read as an alteration), or altered — shown
 * beside, and as prominently as, the verdict the report attests; optionally verify the
 * evidence again and compare.
 */
import { useState } from 'react';
import { Empty, ErrorBox, Hash, PassphraseDialog, When } from '../components/common.js';
import { runsOf, useWorkspace } from '../state.js';
import { ReportFiles } from './Cases.js';
import { CheckSection } from './reports/CheckSection.js';
import { PreviewPane, RunSelect, SignedReport, SignFields } from './reports/SignParts.js';
import { useSignReport } from './reports/useSignReport.js';

export function ReportsScreen() {
  return (
    <div className="screen">
      <header className="screen-head">
        <h1>Reports</h1>
        <p className="lede">
          A report is an in-toto attestation in a DSSE envelope signed with your examiner key, and a PDF rendered from
          it. Anyone can check the signature with openssl and re-run the verification.
        </p>
      </header>
      <SignSection />
      <CaseReports />
      <CheckSection />
    </div>
  );
}

function CaseReports() {
  const { w } = useWorkspace();
  const c = w.case;
  if (!c || c.reports.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="case-reports-h">
      <h2 id="case-reports-h">Reports of this case ({c.reports.length})</h2>
      <table className="table small" data-testid="case-reports">
        <thead>
          <tr>
            <th>#</th>
            <th>Run</th>
            <th>Signed</th>
            <th>Examiner key</th>
            <th>Files</th>
          </tr>
        </thead>
        <tbody>
          {[...c.reports].reverse().map((p) => (
            <tr key={p.id}>
              <td>{p.id}</td>
              <td>{p.runId ?? '—'}</td>
              <td>
                <When t={p.signedAt} /> by {p.signedBy}
              </td>
              <td>{p.examinerFingerprint ? <Hash value={p.examinerFingerprint} /> : '—'}</td>
              <td>
                <ReportFiles files={p.files} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SignSection() {
  const { w } = useWorkspace();
  const done = runsOf(w).filter((r) => r.state === 'done' && r.verdict !== undefined);
  const [runId, setRunId] = useState('');
  const run = done.find((r) => r.key === runId) ?? done[0];
  const s = useSignReport(run?.key);
  if (!run) {
    return (
      <section className="panel">
        <h2>Sign a report</h2>
        <Empty title="No finished run">
          <p>Verify a bundle first; its result is what the report attests.</p>
        </Empty>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="sign-h">
      <h2 id="sign-h">Sign a report</h2>
      <div className="two-col">
        <div className="stack">
          <RunSelect runs={done} value={run.key} onChange={setRunId} />
          <SignFields s={s} />
          <div>
            <button
              type="button"
              className="primary"
              disabled={!s.keyPath.trim() || !s.outDir.trim()}
              onClick={() => s.setAsking(true)}
              data-testid="sign-report"
            >
              Sign report…
            </button>
          </div>
          <ErrorBox error={s.err} title="Report not signed" />
          {s.signed ? <SignedReport signed={s.signed} /> : null}
        </div>
        <PreviewPane preview={s.preview} />
      </div>
      {s.asking ? <PassphraseDialog onSubmit={(p) => void s.sign(p)} onCancel={() => s.setAsking(false)} /> : null}
    </section>
  );
}
