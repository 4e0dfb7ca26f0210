/**
 * Reports: preview what a signed report will say, sign it with the examiner's key (the
 * passphrase is asked for at the moment of signing and sent only to the main process), and
 * check a report someone else sent: whether it is authentic (signed by the key given and
 * unchanged), signed by a different key (never read as an alteration), or altered — shown
 * beside, and as prominently as, the verdict the report attests; optionally verify the
 * evidence again and compare.
 */
import { type FormEvent, useState } from 'react';
import type { BundleRef, IpcError, KeyRef, ReportCheckView } from '../../../shared/protocol/ipc.js';
import type { Verdict } from '../../../shared/verdict/result.js';
import { call } from '../api.js';
import {
  asIpcError,
  Empty,
  ErrorBox,
  Field,
  Hash,
  PassphraseDialog,
  VerdictBadge,
  When,
} from '../components/common.js';
import { baseName, shortHash } from '../format.js';
import { bundlesOf, runsOf, useWorkspace } from '../state.js';
import { ReportFiles } from './Cases.js';
import { OpenPdf } from './reports/OpenPdf.js';
import { PreviewPane, RunSelect, SignedReport, SignFields } from './reports/SignParts.js';
import { useSignReport } from './reports/useSignReport.js';

const asErr = asIpcError;

const CHECK_LABELS: Readonly<Record<string, string>> = {
  'detached-signature': 'The PDF’s detached signature (report.pdf.sig) is by the examiner key',
  attachment: 'The PDF carries its signed attestation',
  envelope: 'The attestation is a well-formed DSSE envelope',
  'dsse-signature': 'The attestation is signed by the examiner key',
  statement: 'The signed statement is well-formed and names this key',
  render: 'The PDF is exactly what the attestation renders to',
  rerun: 'Verifying the evidence again gives the attested result',
  'case-anchor': 'The case journal still holds the row the signature anchors',
};

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

const ATTESTED_TEXT: Record<Verdict, string> = {
  PASS: 'The evidence verified',
  FAIL: 'Problems were found in the evidence',
  INCONCLUSIVE: 'The evidence could not be fully verified',
};

function CheckSection() {
  const { w } = useWorkspace();
  const [path, setPath] = useState('');
  const [examinerKey, setExaminerKey] = useState('');
  const [rerun, setRerun] = useState(false);
  const [rerunBundle, setRerunBundle] = useState('');
  const [res, setRes] = useState<ReportCheckView>();
  const [err, setErr] = useState<IpcError>();
  const [busy, setBusy] = useState(false);
  const bundles = bundlesOf(w);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    setRes(undefined);
    setBusy(true);
    try {
      const b = bundles.find((x) => x.id === rerunBundle);
      const bundle: BundleRef | undefined = b
        ? b.evidenceId !== undefined
          ? { evidenceId: String(b.evidenceId) }
          : { path: b.info.path }
        : undefined;
      const keys: KeyRef[] = w.case ? [] : w.keys.filter((k) => k.use).map((k) => k.ref);
      setRes(
        await call('reports.verify', {
          path: path.trim(),
          examinerKey: { path: examinerKey.trim() },
          ...(rerun && bundle ? { rerun: { bundle, keys } } : {}),
        }),
      );
    } catch (x) {
      setErr(asErr(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="check-h">
      <h2 id="check-h">Check a report you received</h2>
      <p className="muted small">
        Checks the PDF's detached signature, the signed attestation inside it, and that the PDF is exactly what the
        attestation renders to; optionally verifies the evidence again and compares the result with the attested one.
      </p>
      <form onSubmit={(e) => void check(e)} className="stack">
        <div className="inline-form wrap">
          <Field label="Report PDF, attestation, or their folder">
            <input
              name="check-path"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/incoming/report"
              spellCheck={false}
            />
          </Field>
          <Field label="Examiner's public key file" hint="obtained from the examiner, never from the report">
            <input
              name="check-key"
              value={examinerKey}
              onChange={(e) => setExaminerKey(e.target.value)}
              placeholder="/keys/examiner.pub"
              spellCheck={false}
            />
          </Field>
        </div>
        <div className="inline-form wrap">
          <label className="chip">
            <input type="checkbox" name="check-rerun" checked={rerun} onChange={(e) => setRerun(e.target.checked)} />{' '}
            Verify the evidence again
          </label>
          {rerun ? (
            <label className="field compact">
              <span className="field-label">Evidence</span>
              <select name="rerun-bundle" value={rerunBundle} onChange={(e) => setRerunBundle(e.target.value)}>
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
          {rerun ? (
            <span className="muted small">
              {w.case
                ? "with the case's trusted keys for the bundle's log"
                : `with the ${w.keys.filter((k) => k.use).length} key(s) ticked on Import`}
            </span>
          ) : null}
          <button
            type="submit"
            className="primary"
            disabled={!path.trim() || !examinerKey.trim() || busy || (rerun && !rerunBundle)}
            data-testid="check-report"
          >
            {busy ? 'Checking…' : 'Check report'}
          </button>
        </div>
      </form>
      <ErrorBox error={err} title="Report not checked" />
      {res ? <CheckResult res={res} /> : null}
    </section>
  );
}

const AUTH: Record<
  ReportCheckView['authenticity'],
  { label: string; tone: 'ok' | 'other' | 'bad' | 'unknown'; text: string }
> = {
  authentic: {
    label: 'Authentic',
    tone: 'ok',
    text: 'Signed by this examiner key and unchanged since it was signed.',
  },
  'other-key': {
    label: 'Signed by another key',
    tone: 'other',
    text: 'The key you gave did not sign this report. Nothing shows it was changed: check it with the key it names.',
  },
  altered: {
    label: 'Altered',
    tone: 'bad',
    text: 'A signature of this key no longer matches: the report was changed after it was signed.',
  },
  undetermined: {
    label: 'Not determined',
    tone: 'unknown',
    text: 'No readable signed attestation: the report could not be checked.',
  },
};

function CheckResult({ res }: { res: ReportCheckView }) {
  const a = AUTH[res.authenticity];
  return (
    <div className="result" data-testid="report-check" data-verdict={res.verdict} data-authenticity={res.authenticity}>
      <div className="check-pair">
        <section className={`panel auth-panel auth-${a.tone}`} data-testid="report-authenticity">
          <span className="field-label">Signature</span>
          <span className={`auth-badge auth-${a.tone}`}>{a.label}</span>
          <p className="small">{a.text}</p>
          {res.signer ? (
            <p className="small" data-testid="report-signer">
              The report names examiner key{res.signer.fingerprints.length === 1 ? '' : 's'}{' '}
              {res.signer.fingerprints.map((f) => (
                <Hash key={f} value={f} />
              ))}
              ; you checked it against <Hash value={res.examinerKey} />.
            </p>
          ) : (
            <p className="muted small">
              Examiner key <Hash value={res.examinerKey} /> · {baseName(res.input)}
            </p>
          )}
        </section>
        <section
          className={`panel attested-panel${res.attested ? ` verdict-bg-${res.attested.verdict.toLowerCase()}` : ''}`}
          data-testid="report-attested"
          data-attested={res.attested?.verdict}
        >
          <span className="field-label">What the report attests</span>
          {res.attested ? (
            <>
              <VerdictBadge verdict={res.attested.verdict} large />
              <p className="small">
                <b>{ATTESTED_TEXT[res.attested.verdict]}</b>: {res.attested.bundle} ({res.attested.origin},{' '}
                {res.attested.entryCount.toLocaleString('en-US')} entries), verified by {res.attested.examiner} at{' '}
                <When t={res.attested.timeVerified} />
                {res.attested.caseReference ? `, case ${res.attested.caseReference}` : ''}.
              </p>
              {res.attested.case ? (
                <p className="muted small">
                  Signed in case {shortHash(res.attested.case.caseId, 8)}
                  {res.attested.case.runId !== undefined ? `, run #${res.attested.case.runId}` : ''}, anchoring journal
                  row {res.attested.case.journalHead.seq}.
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted small">
              {res.authenticity === 'other-key'
                ? 'Not shown: what the report says counts only once its signature is verified with the key it names.'
                : 'Unknown: the attestation could not be verified.'}
            </p>
          )}
          {res.attested && res.authenticity === 'altered' ? (
            <p className="small warn-text">
              This is what the signed attestation says; the report around it was changed after signing and cannot be
              relied on.
            </p>
          ) : null}
          {res.rerun ? (
            <p className="small" data-testid="report-rerun" data-verdict={res.rerun.verdict}>
              Verified again: <VerdictBadge verdict={res.rerun.verdict} />{' '}
              {res.rerun.differences === 0
                ? 'the same result as attested.'
                : `${res.rerun.differences} difference${res.rerun.differences === 1 ? '' : 's'} from the attested result.`}
            </p>
          ) : null}
          {res.pdf ? <OpenPdf path={res.pdf} /> : null}
        </section>
      </div>
      <table className="table small">
        <tbody>
          {res.checks.map((c) => (
            <tr key={c.id} data-check={c.id} data-status={c.status}>
              <td className="narrow">
                <span className={`status status-${c.status}`}>{c.status}</span>
              </td>
              <td>{CHECK_LABELS[c.id] ?? c.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {res.findings.length ? (
        <ul className="findings compact">
          {res.findings.map((f, k) => (
            <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
              <code className="code">{f.code}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
