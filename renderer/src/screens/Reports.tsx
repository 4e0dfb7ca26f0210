/**
 * Reports: preview what a signed report will say, sign it with the examiner's key (the
 * passphrase is asked for at the moment of signing and sent only to the main process), and
 * check a report someone else sent.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { IpcError, ReportCheckView, ReportPreview, SignedReportView } from '../../../shared/protocol/ipc.js';
import { CallError, call } from '../api.js';
import { Empty, ErrorBox, Field, Hash, VerdictBadge } from '../components/common.js';
import { ReportBlocks } from '../components/ReportBlocks.js';
import { baseName } from '../format.js';
import { useWorkspace } from '../state.js';

const asErr = (e: unknown): IpcError =>
  e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String(e) };

const CHECK_LABELS: Readonly<Record<string, string>> = {
  'detached-signature': 'The PDF’s detached signature (report.pdf.sig) is by the examiner key',
  attachment: 'The PDF carries its signed attestation',
  envelope: 'The attestation is a well-formed DSSE envelope',
  'dsse-signature': 'The attestation is signed by the examiner key',
  statement: 'The signed statement is well-formed and names this key',
  render: 'The PDF is exactly what the attestation renders to',
  rerun: 'Verifying the evidence again gives the attested result',
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
      <CheckSection />
    </div>
  );
}

function SignSection() {
  const { w } = useWorkspace();
  const done = w.runOrder.map((id) => w.runs[id]!).filter((r) => r.state === 'done' && r.run);
  const [runId, setRunId] = useState('');
  const run = done.find((r) => r.runId === runId) ?? done[0];
  const [preview, setPreview] = useState<ReportPreview>();
  const [keyPath, setKeyPath] = useState('');
  const [outDir, setOutDir] = useState('');
  const [asking, setAsking] = useState(false);
  const [signed, setSigned] = useState<SignedReportView>();
  const [err, setErr] = useState<IpcError>();
  useEffect(() => {
    setPreview(undefined);
    setSigned(undefined);
    if (!run) return;
    let live = true;
    call('reports.preview', { runId: run.runId }).then(
      (p) => live && setPreview(p),
      (e) => live && setErr(asErr(e)),
    );
    return () => {
      live = false;
    };
  }, [run?.runId]);
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
  const sign = async (passphrase: string | undefined) => {
    setAsking(false);
    setErr(undefined);
    try {
      setSigned(
        await call('reports.sign', {
          runId: run.runId,
          keyPath: keyPath.trim(),
          outDir: outDir.trim(),
          ...(passphrase !== undefined ? { passphrase } : {}),
        }),
      );
    } catch (e) {
      setErr(asErr(e));
    }
  };
  return (
    <section className="panel" aria-labelledby="sign-h">
      <h2 id="sign-h">Sign a report</h2>
      <div className="two-col">
        <div className="stack">
          <label className="field">
            <span className="field-label">Run</span>
            <select name="report-run" value={run.runId} onChange={(e) => setRunId(e.target.value)}>
              {done.map((r) => (
                <option key={r.runId} value={r.runId}>
                  {baseName(r.bundle)} — {r.run!.result.verdict} — {new Date(r.startedAt).toLocaleTimeString()}
                </option>
              ))}
            </select>
          </label>
          <Field label="Examiner key file" hint="made by proofdesk keygen (.key)">
            <input
              name="examiner-key"
              value={keyPath}
              onChange={(e) => setKeyPath(e.target.value)}
              placeholder="/keys/examiner.key"
              spellCheck={false}
            />
          </Field>
          <Field
            label="Folder to write the report into"
            hint="report.pdf, report.pdf.sig and attestation.dsse.json; existing files are never replaced"
          >
            <input
              name="report-dir"
              value={outDir}
              onChange={(e) => setOutDir(e.target.value)}
              placeholder="/cases/acme-q4/reports/run-1"
              spellCheck={false}
            />
          </Field>
          <div>
            <button
              type="button"
              className="primary"
              disabled={!keyPath.trim() || !outDir.trim()}
              onClick={() => setAsking(true)}
              data-testid="sign-report"
            >
              Sign report…
            </button>
          </div>
          <ErrorBox error={err} title="Report not signed" />
          {signed ? (
            <div className="panel notice-ok" role="status" data-testid="signed-report">
              <b>Report signed.</b>
              <dl className="facts">
                <dt>Report ID</dt>
                <dd>
                  <Hash value={signed.reportId} />
                </dd>
                <dt>Examiner key</dt>
                <dd>
                  <Hash value={signed.examinerFingerprint} />
                </dd>
                <dt>PDF</dt>
                <dd className="mono small">{signed.pdf}</dd>
                <dt>Attestation</dt>
                <dd className="mono small">{signed.attestation}</dd>
                <dt>Signature of the PDF</dt>
                <dd className="mono small">{signed.signature}</dd>
                {signed.caseReportId !== undefined ? (
                  <>
                    <dt>Case</dt>
                    <dd>recorded as report #{signed.caseReportId}</dd>
                  </>
                ) : null}
              </dl>
            </div>
          ) : null}
        </div>
        <div className="preview-pane">
          {preview ? (
            <ReportBlocks title={`Preview: ${preview.title}`} blocks={preview.blocks} />
          ) : (
            <p className="muted">Preparing the preview…</p>
          )}
        </div>
      </div>
      {asking ? <PassphraseDialog onSubmit={(p) => void sign(p)} onCancel={() => setAsking(false)} /> : null}
    </section>
  );
}

function PassphraseDialog({ onSubmit, onCancel }: { onSubmit: (p: string | undefined) => void; onCancel: () => void }) {
  const [p, setP] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape from anywhere in the dialog cancels it; the form inside holds the controls
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pp-h"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit(p === '' ? undefined : p);
        }}
      >
        <h2 id="pp-h">Passphrase of the examiner key</h2>
        <p className="muted small">
          Used once to unlock the key for this signature; it is not stored. Leave empty for an unencrypted key.
        </p>
        <input
          ref={ref}
          type="password"
          name="passphrase"
          value={p}
          onChange={(e) => setP(e.target.value)}
          autoComplete="off"
        />
        <div className="actions">
          <button type="submit" className="primary">
            Sign
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

function CheckSection() {
  const [path, setPath] = useState('');
  const [examinerKey, setExaminerKey] = useState('');
  const [res, setRes] = useState<ReportCheckView>();
  const [err, setErr] = useState<IpcError>();
  const [busy, setBusy] = useState(false);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    setRes(undefined);
    setBusy(true);
    try {
      setRes(await call('reports.verify', { path: path.trim(), examinerKey: { path: examinerKey.trim() } }));
    } catch (x) {
      setErr(asErr(x));
    } finally {
      setBusy(false);
    }
  };
  const ok = res?.verdict === 'PASS';
  return (
    <section className="panel" aria-labelledby="check-h">
      <h2 id="check-h">Check a report you received</h2>
      <p className="muted small">
        Checks the PDF's detached signature, the signed attestation inside it, and that the PDF is exactly what the
        attestation renders to.
      </p>
      <form onSubmit={(e) => void check(e)} className="inline-form">
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
        <button
          type="submit"
          className="primary"
          disabled={!path.trim() || !examinerKey.trim() || busy}
          data-testid="check-report"
        >
          Check report
        </button>
      </form>
      <ErrorBox error={err} title="Report not checked" />
      {res ? (
        <div className="result" data-testid="report-check" data-verdict={res.verdict}>
          <div className={`panel verdict-panel verdict-bg-${res.verdict.toLowerCase()}`}>
            <VerdictBadge verdict={res.verdict} large />
            <div>
              <p className="verdict-sentence">
                {ok
                  ? 'The report is authentic: signed by this examiner key and unchanged since.'
                  : res.verdict === 'FAIL'
                    ? 'The report is NOT authentic, or was changed after signing.'
                    : 'The report could not be fully checked.'}
              </p>
              {res.attested ? (
                <p className="muted small">
                  It attests verdict {res.attested.verdict} for {res.attested.bundle} ({res.attested.origin},{' '}
                  {res.attested.entryCount.toLocaleString('en-US')} entries), verified by {res.attested.examiner} at{' '}
                  {res.attested.timeVerified}
                  {res.attested.caseReference ? `, case ${res.attested.caseReference}` : ''}.
                </p>
              ) : null}
              <p className="muted small">
                Examiner key <Hash value={res.examinerKey} /> · {baseName(res.input)}
              </p>
            </div>
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
      ) : null}
    </section>
  );
}
