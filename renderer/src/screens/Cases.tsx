/**
 * The case: create or open a case folder (naming the examiner the custody journal records);
 * its evidence with their digests, the trusted keys (revocable), every run and comparison
 * (each opens again), the reports, and the hash-chained custody journal. The integrity check
 * and the export of `proofdesk case verify` / `case export` are here too.
 */
import { type FormEvent, useState } from 'react';
import type { CaseCheckView, CaseExportView, CaseKeyView, IpcError } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { asIpcError, ErrorBox, Field, Hash, Modal } from '../components/common.js';
import { RevokeDialog } from '../components/Trust.js';
import { bytes, duration, num } from '../format.js';
import { useWorkspace } from '../state.js';
import { CaseHeader } from './cases/CaseHeader.js';
import { EvidenceSection } from './cases/EvidenceTable.js';
import { useCaseCheck, useJournal } from './cases/hooks.js';
import { JournalSection } from './cases/JournalTable.js';
import { KeysSection } from './cases/KeysTable.js';
import { NewCasePanel } from './cases/NewCasePanel.js';
import { OpenCasePanel } from './cases/OpenCasePanel.js';
import { RunsSection } from './cases/RunsTable.js';

export { ReportFiles } from './cases/ReportFiles.js';

export function CasesScreen() {
  const { w } = useWorkspace();
  return w.case ? <OpenCase /> : <NoCase />;
}

function NoCase() {
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
        <NewCasePanel />
        <OpenCasePanel />
      </div>
    </div>
  );
}

function OpenCase() {
  const { w } = useWorkspace();
  const c = w.case!;
  const { journal, err } = useJournal(c.head.seq);
  const { check, checkErr, runCheck, hideCheck } = useCaseCheck();
  const [revoking, setRevoking] = useState<CaseKeyView>();
  const [exporting, setExporting] = useState(false);
  return (
    <div className="screen" data-testid="case-open">
      <CaseHeader
        c={c}
        checking={check === 'running'}
        onCheck={() => void runCheck()}
        onExport={() => setExporting(true)}
      />
      <ErrorBox error={err} />
      <ErrorBox error={checkErr} title="The case could not be checked" />
      {check && check !== 'running' ? <CheckResult r={check} onClose={hideCheck} /> : null}
      {exporting ? <ExportDialog onClose={() => setExporting(false)} /> : null}
      <EvidenceSection evidence={c.evidence} />
      <KeysSection keys={c.keys} onRevoke={setRevoking} />
      {revoking ? (
        <RevokeDialog k={revoking} onDone={() => setRevoking(undefined)} onCancel={() => setRevoking(undefined)} />
      ) : null}
      <RunsSection c={c} />
      <JournalSection journal={journal} />
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
