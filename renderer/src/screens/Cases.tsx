/**
 * The case: create or open a case folder (naming the examiner the custody journal records);
 * its evidence with their digests, the trusted keys (revocable), every run and comparison
 * (each opens again), the reports, and the hash-chained custody journal. The integrity check
 * and the export of `proofdesk case verify` / `case export` are here too.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type {
  CaseCheckView,
  CaseExportView,
  CaseKeyView,
  CaseRunView,
  IpcError,
  JournalRowView,
} from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { asIpcError, digestLabel, ErrorBox, Field, Hash, Modal, VerdictBadge, When } from '../components/common.js';
import { grantStatus, RevokeDialog } from '../components/Trust.js';
import { bytes, duration, num, shortHash } from '../format.js';
import { useWorkspace } from '../state.js';

const EXAMINER_KEY = 'proofdesk-examiner';

function rememberedExaminer(): string {
  try {
    return localStorage.getItem(EXAMINER_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(name: string): void {
  try {
    localStorage.setItem(EXAMINER_KEY, name);
  } catch {
    // storage unavailable: asked again next time
  }
}

export function CasesScreen() {
  const { w } = useWorkspace();
  return w.case ? <OpenCase /> : <NoCase />;
}

function NoCase() {
  const { w, dispatch } = useWorkspace();
  const [dir, setDir] = useState('');
  const [title, setTitle] = useState('');
  const [reference, setReference] = useState('');
  const [examiner, setExaminer] = useState(rememberedExaminer);
  const [openDir, setOpenDir] = useState('');
  const [openExaminer, setOpenExaminer] = useState(rememberedExaminer);
  const [err, setErr] = useState<IpcError>();
  const [openErr, setOpenErr] = useState<IpcError>();
  // A case the desktop asked to open (a second launch, a folder opened from the system).
  useEffect(() => {
    const r = w.openRequest;
    if (r) setOpenDir(r.path);
  }, [w.openRequest]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    try {
      const view = await call('cases.create', {
        dir: dir.trim(),
        title: title.trim(),
        examiner: examiner.trim(),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      remember(examiner.trim());
      dispatch({ type: 'case', view });
    } catch (x) {
      setErr(asIpcError(x));
    }
  };
  const open = async (e: FormEvent) => {
    e.preventDefault();
    setOpenErr(undefined);
    try {
      const view = await call('cases.open', { dir: openDir.trim(), examiner: openExaminer.trim() });
      remember(openExaminer.trim());
      dispatch({ type: 'open.done' });
      dispatch({ type: 'case', view });
    } catch (x) {
      setOpenErr(asIpcError(x));
    }
  };
  return (
    <div className="screen">
      <header className="screen-head">
        <h1>Case</h1>
        <p className="lede">
          A case is one folder: the evidence you import (copied, never changed), the keys you trust, every run and
          report, and a hash-chained journal of each action, with who did it and when (UTC).
        </p>
      </header>
      <div className="two-col">
        <section className="panel" aria-labelledby="new-case-h">
          <h2 id="new-case-h">New case</h2>
          <form onSubmit={(e) => void create(e)} className="stack">
            <Field label="Title">
              <input
                name="case-title"
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                placeholder="Audit of ACME prod logs, Q4"
              />
            </Field>
            <Field label="Reference (optional)">
              <input
                name="case-reference"
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                placeholder="ISO-27001-2026-017"
              />
            </Field>
            <Field label="Examiner" hint="your name as the custody journal records it for every action">
              <input
                name="case-examiner"
                value={examiner}
                onChange={(e) => setExaminer(e.target.value)}
                placeholder="Erin Examiner, Example Audit LLP"
                autoComplete="name"
              />
            </Field>
            <Field label="Folder for the case" hint="a new or empty folder">
              <input
                name="case-dir"
                value={dir}
                onChange={(e) => setDir(e.target.value)}
                placeholder="/cases/acme-q4"
                spellCheck={false}
              />
            </Field>
            <div>
              <button
                type="submit"
                className="primary"
                disabled={!dir.trim() || !title.trim() || !examiner.trim()}
                data-testid="create-case"
              >
                Create case
              </button>
            </div>
          </form>
          <ErrorBox error={err} title="Case not created" />
        </section>
        <section className="panel" aria-labelledby="open-case-h">
          <h2 id="open-case-h">Open a case</h2>
          <form onSubmit={(e) => void open(e)} className="stack">
            <Field label="Case folder">
              <input
                name="open-dir"
                value={openDir}
                onChange={(e) => setOpenDir(e.target.value)}
                placeholder="/cases/acme-q4"
                spellCheck={false}
              />
            </Field>
            <Field label="Examiner" hint="who acts in the case from now on">
              <input
                name="open-examiner"
                value={openExaminer}
                onChange={(e) => setOpenExaminer(e.target.value)}
                autoComplete="name"
              />
            </Field>
            <div>
              <button type="submit" className="primary" disabled={!openDir.trim() || !openExaminer.trim()}>
                Open case
              </button>
            </div>
          </form>
          <ErrorBox error={openErr} title="Case not opened" />
          <p className="muted small">
            You can also work without a case: import, verify and browse; nothing is recorded.
          </p>
        </section>
      </div>
    </div>
  );
}

function evidenceDigestOf(container: 'file' | 'directory', bundleContainer?: 'directory' | 'tar') {
  return container === 'directory' ? 'tree' : bundleContainer === 'tar' ? 'archive' : 'file';
}

function OpenCase() {
  const { w, dispatch } = useWorkspace();
  const c = w.case!;
  const [journal, setJournal] = useState<readonly JournalRowView[]>();
  const [err, setErr] = useState<IpcError>();
  const [revoking, setRevoking] = useState<CaseKeyView>();
  const [check, setCheck] = useState<CaseCheckView | 'running'>();
  const [checkErr, setCheckErr] = useState<IpcError>();
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    let live = true;
    call('cases.journal', { limit: 500 }).then(
      (j) => live && setJournal(j),
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [c.head.seq]);
  const evidenceName = (id: number) => c.evidence.find((e) => e.id === id)?.name ?? `#${id}`;
  const runInputs = (r: CaseRunView) =>
    r.kind === 'diff'
      ? ['old', 'new']
          .map((role) => r.inputs.find((i) => i.role === role))
          .map((i, k) => `${k === 0 ? 'A' : 'B'}: ${i ? evidenceName(i.evidenceId) : '?'}`)
          .join(' · ')
      : r.evidenceIds.map(evidenceName).join(', ');
  const openRun = (r: CaseRunView) => {
    if (r.kind === 'diff') {
      dispatch({ type: 'compare.select', key: r.appRunId });
      dispatch({ type: 'goto', screen: 'compare' });
    } else {
      dispatch({ type: 'run.select', runId: r.appRunId });
      dispatch({ type: 'goto', screen: 'verify' });
    }
  };
  const runCheck = async () => {
    setCheck('running');
    setCheckErr(undefined);
    try {
      setCheck(await call('cases.check', {}));
    } catch (x) {
      setCheck(undefined);
      setCheckErr(asIpcError(x));
    }
  };
  return (
    <div className="screen" data-testid="case-open">
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
        <div className="actions">
          <button type="button" className="primary" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
            Import evidence…
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void runCheck()}
            disabled={check === 'running'}
            data-testid="check-case"
          >
            {check === 'running' ? 'Checking…' : 'Check integrity'}
          </button>
          <button type="button" className="secondary" onClick={() => setExporting(true)} data-testid="export-case">
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
      </header>
      <ErrorBox error={err} />
      <ErrorBox error={checkErr} title="The case could not be checked" />
      {check && check !== 'running' ? <CheckResult r={check} onClose={() => setCheck(undefined)} /> : null}
      {exporting ? <ExportDialog onClose={() => setExporting(false)} /> : null}
      <section className="panel">
        <h2>Evidence ({c.evidence.length})</h2>
        {c.evidence.length === 0 ? <p className="muted">Nothing imported yet.</p> : null}
        {c.evidence.length ? (
          <table className="table" data-testid="case-evidence">
            <thead>
              <tr>
                <th>#</th>
                <th>Kind</th>
                <th>Name</th>
                <th>Evidence digest</th>
                <th>Size</th>
                <th>Imported</th>
              </tr>
            </thead>
            <tbody>
              {c.evidence.map((e) => (
                <tr key={e.id} data-evidence-id={e.id}>
                  <td>{e.id}</td>
                  <td>{e.kind}</td>
                  <td title={e.originalPath}>
                    {e.name}
                    <div className="muted small wrap-anywhere">{e.originalPath}</div>
                  </td>
                  <td>
                    <Hash value={e.digest} />
                    <div className="muted small">{digestLabel(evidenceDigestOf(e.container, e.bundle?.container))}</div>
                  </td>
                  <td>
                    {bytes(e.size)}
                    {e.container === 'directory' ? <div className="muted small">{num(e.fileCount)} files</div> : null}
                  </td>
                  <td className="small">
                    <When t={e.importedAt} />
                    <div className="muted">by {e.importedBy}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="panel">
        <h2>Trusted keys ({c.keys.length})</h2>
        {c.keys.length === 0 ? (
          <p className="muted">No key trusted yet: import the log's public key on Import.</p>
        ) : (
          <table className="table small" data-testid="case-keys">
            <thead>
              <tr>
                <th>Key</th>
                <th>Fingerprint</th>
                <th>Role</th>
                <th>For</th>
                <th>Valid</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {c.keys.map((k) => {
                const st = grantStatus(k);
                return (
                  <tr key={k.id} data-fingerprint={k.fingerprint} data-status={st.text.split(' ')[0]}>
                    <td>
                      <b>{k.keyName ?? k.label}</b>
                      <div className="muted">
                        trusted <When t={k.trustedAt} /> by {k.trustedBy}
                      </div>
                    </td>
                    <td>
                      <Hash value={k.fingerprint} />
                    </td>
                    <td>{k.role}</td>
                    <td>{k.origin ?? 'any log'}</td>
                    <td>
                      {k.validFrom || k.validUntil ? `${k.validFrom ?? '−∞'} … ${k.validUntil ?? '+∞'}` : 'always'}
                    </td>
                    <td>
                      <span className={`status status-${st.tone}`}>{st.text}</span>
                      {k.revocationReason ? <div className="muted">{k.revocationReason}</div> : null}
                    </td>
                    <td>
                      {!k.revokedAt ? (
                        <button type="button" className="link" onClick={() => setRevoking(k)} data-testid="revoke-key">
                          Revoke…
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {revoking ? (
        <RevokeDialog k={revoking} onDone={() => setRevoking(undefined)} onCancel={() => setRevoking(undefined)} />
      ) : null}
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
                <tr key={r.id} data-run-id={r.id}>
                  <td>{r.id}</td>
                  <td>{r.kind === 'diff' ? 'compare' : 'verify'}</td>
                  <td>{runInputs(r)}</td>
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
                      <button type="button" className="link" onClick={() => openRun(r)} data-testid="open-run">
                        Open →
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="panel">
        <h2>Custody journal</h2>
        <p className="muted small">
          Every action in this case, each row hash-chained to the one before it. Times in{' '}
          {w.zone === 'UTC' ? 'UTC' : 'local time (the journal stores UTC)'}.
        </p>
        <table className="table small" data-testid="case-journal">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Who</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Row hash</th>
            </tr>
          </thead>
          <tbody>
            {(journal ?? []).map((j) => (
              <tr key={j.seq} data-action={j.action}>
                <td>{j.seq}</td>
                <td className="nowrap">
                  <When t={j.at} />
                </td>
                <td>{j.actor}</td>
                <td>
                  <code>{j.action}</code>
                </td>
                <td className="small" data-testid="journal-subject">
                  {j.subject ? <code>{j.subject}</code> : null} <span className="wrap-anywhere">{j.summary}</span>
                </td>
                <td>
                  <code title={j.hash}>{shortHash(j.hash, 8)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** A report's files; the PDF can be opened in the system's viewer (desktop app). */
export function ReportFiles({ files }: { files: ReadonlyArray<{ role: string; path: string }> }) {
  const { w } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  const pdf = files.find((f) => f.role === 'pdf');
  return (
    <div className="muted">
      {files.map((f) => (
        <div key={f.role} className="mono wrap-anywhere" title={f.path}>
          {f.role}: {f.path}
        </div>
      ))}
      {pdf && w.app?.features.openFiles ? (
        <button
          type="button"
          className="link small"
          onClick={() => void call('files.open', { path: pdf.path }).catch((e) => setErr(asIpcError(e)))}
        >
          Open PDF
        </button>
      ) : null}
      <ErrorBox error={err} title="Not opened" />
    </div>
  );
}

function CheckResult({ r, onClose }: { r: CaseCheckView; onClose: () => void }) {
  const errors = r.problems.filter((p) => p.severity === 'error');
  return (
    <section
      className={`panel verdict-panel verdict-bg-${r.ok ? 'pass' : 'fail'}`}
      data-testid="case-check"
      data-ok={String(r.ok)}
    >
      <span className={`verdict verdict-large verdict-${r.ok ? 'pass' : 'fail'}`}>
        <b>{r.ok ? 'INTACT' : 'BROKEN'}</b>
        <span>{r.ok ? 'The case checks out' : `${errors.length} problem${errors.length === 1 ? '' : 's'}`}</span>
      </span>
      <div>
        <p className="verdict-sentence">
          {r.ok
            ? 'Every journal row links to the one before it, every record matches its row, every stored file and report has its recorded digest.'
            : 'The case was changed outside Proofdesk, or something it records is missing.'}
        </p>
        <p className="muted small">
          Journal {num(r.journalRows)} rows (head <Hash value={r.head.hash} />) · {num(r.evidence.items)} evidence
          items, {num(r.evidence.files)} files, {bytes(r.evidence.bytes)} re-hashed · {num(r.reports)} reports · in{' '}
          {duration(r.elapsedMs)}
        </p>
        {r.problems.length ? (
          <ul className="findings compact">
            {r.problems.map((p, k) => (
              <li key={k} className={`finding sev-${p.severity}`} data-code={p.code}>
                <code className="code">{p.code}</code> <span className="muted small">{p.where}</span> {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        <button type="button" className="link small" onClick={onClose}>
          Hide
        </button>
      </div>
    </section>
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const [out, setOut] = useState('');
  const [withIndex, setWithIndex] = useState(false);
  const [busy, setBusy] = useState(false);
  const [res, setRes] = useState<CaseExportView>();
  const [err, setErr] = useState<IpcError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(undefined);
    try {
      setRes(await call('cases.export', { out: out.trim(), withIndex }));
    } catch (x) {
      setErr(asIpcError(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Export the case" onClose={onClose} testId="export-dialog">
      {res ? (
        <div className="stack" data-testid="export-done">
          <p>
            Exported {num(res.files)} files to <span className="mono">{res.path}</span> ({bytes(res.size)}).
          </p>
          <dl className="facts">
            <dt>SHA-256 of the archive</dt>
            <dd>
              <Hash value={res.sha256} full />
            </dd>
            <dt>Journal head</dt>
            <dd>
              row {res.journalHead.seq} <Hash value={res.journalHead.hash} />
            </dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <p className="muted small">
            One tar archive: the case database (a consistent snapshot ending with the export's own journal row) and the
            evidence locker byte for byte. Unpacked anywhere, <code>proofdesk case verify</code> checks it.
          </p>
          <Field label="Archive to write (.tar, must not exist)">
            <input
              name="export-path"
              value={out}
              onChange={(e) => setOut(e.target.value)}
              placeholder="/media/usb/acme-q4.tar"
              spellCheck={false}
            />
          </Field>
          <label className="chip">
            <input type="checkbox" checked={withIndex} onChange={(e) => setWithIndex(e.target.checked)} /> include the
            search index (large; it can be rebuilt)
          </label>
          <ErrorBox error={err} title="Not exported" />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !out.trim().endsWith('.tar')}>
              {busy ? 'Exporting…' : 'Export'}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
