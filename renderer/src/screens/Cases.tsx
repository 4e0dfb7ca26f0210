/**
 * The case: create or open a case file; its evidence, trusted keys, runs, reports and the
 * hash-chained custody journal of everything done in it.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type { IpcError, JournalRowView } from '../../../shared/protocol/ipc.js';
import { CallError, call } from '../api.js';
import { ErrorBox, Field, Hash, VerdictBadge } from '../components/common.js';
import { bytes, num, shortHash } from '../format.js';
import { useWorkspace } from '../state.js';

const asErr = (e: unknown): IpcError =>
  e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String(e) };

export function CasesScreen() {
  const { w } = useWorkspace();
  return w.case ? <OpenCase /> : <NoCase />;
}

function NoCase() {
  const { dispatch } = useWorkspace();
  const [dir, setDir] = useState('');
  const [title, setTitle] = useState('');
  const [reference, setReference] = useState('');
  const [openDir, setOpenDir] = useState('');
  const [err, setErr] = useState<IpcError>();
  const [openErr, setOpenErr] = useState<IpcError>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    try {
      const view = await call('cases.create', {
        dir: dir.trim(),
        title: title.trim(),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      dispatch({ type: 'case', view });
    } catch (x) {
      setErr(asErr(x));
    }
  };
  const open = async (e: FormEvent) => {
    e.preventDefault();
    setOpenErr(undefined);
    try {
      dispatch({ type: 'case', view: await call('cases.open', { dir: openDir.trim() }) });
    } catch (x) {
      setOpenErr(asErr(x));
    }
  };
  return (
    <div className="screen">
      <header className="screen-head">
        <h1>Case</h1>
        <p className="lede">
          A case is one folder: the evidence you import (copied, never changed), the keys you trust, every run and
          report, and a hash-chained journal of each action.
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
              <button type="submit" className="primary" disabled={!dir.trim() || !title.trim()}>
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
            <div>
              <button type="submit" className="primary" disabled={!openDir.trim()}>
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

function OpenCase() {
  const { w, dispatch } = useWorkspace();
  const c = w.case!;
  const [journal, setJournal] = useState<readonly JournalRowView[]>();
  const [err, setErr] = useState<IpcError>();
  useEffect(() => {
    let live = true;
    call('cases.journal', { limit: 200 }).then(
      (j) => live && setJournal(j),
      (e) => live && setErr(asErr(e)),
    );
    return () => {
      live = false;
    };
  }, [c.head.seq]);
  const evidenceName = (id: number) => c.evidence.find((e) => e.id === id)?.name ?? `#${id}`;
  return (
    <div className="screen" data-testid="case-open">
      <header className="screen-head row-between">
        <div>
          <h1 data-testid="case-title">{c.title}</h1>
          <p className="muted">
            {c.reference ? <>Reference {c.reference} · </> : null}
            created {new Date(c.createdAt).toLocaleString()} · {c.dir}
          </p>
          <p className="muted small">
            Journal: {num(c.head.seq)} entries, head <Hash value={c.head.hash} />
          </p>
        </div>
        <div className="actions">
          <button type="button" className="primary" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
            Import evidence…
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void call('cases.close', {}).then(() => dispatch({ type: 'case', view: null }))}
          >
            Close case
          </button>
        </div>
      </header>
      <ErrorBox error={err} />
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
                <th>SHA-256</th>
                <th>Size</th>
                <th>Imported</th>
              </tr>
            </thead>
            <tbody>
              {c.evidence.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{e.kind}</td>
                  <td title={e.originalPath}>{e.name}</td>
                  <td>
                    <Hash value={e.digest} />
                  </td>
                  <td>{bytes(e.size)}</td>
                  <td className="small">
                    {new Date(e.importedAt).toLocaleString()} by {e.importedBy}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <div className="two-col">
        <section className="panel">
          <h2>Trusted keys ({c.keys.length})</h2>
          {c.keys.length === 0 ? <p className="muted">No key trusted yet: import the log's public key.</p> : null}
          <ul className="plain">
            {c.keys.map((k) => (
              <li key={k.id}>
                <b>{k.keyName ?? k.label}</b> <Hash value={k.fingerprint} />
                <div className="muted small">
                  {`${k.role} key `}
                  {k.origin ? `for ${k.origin}` : 'for any origin'}
                  {k.validFrom || k.validUntil ? ` · valid ${k.validFrom ?? '−∞'} … ${k.validUntil ?? '+∞'}` : ''}
                  {k.revokedAt ? ` · REVOKED ${k.revokedAt}` : ''}
                </div>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel">
          <h2>
            Runs ({c.runs.length}) and reports ({c.reports.length})
          </h2>
          <ul className="plain" data-testid="case-runs">
            {c.runs.map((r) => (
              <li key={r.id}>
                Run #{r.id} {r.kind} of {r.evidenceIds.map(evidenceName).join(' and ')} —{' '}
                {r.verdict === 'PASS' || r.verdict === 'FAIL' || r.verdict === 'INCONCLUSIVE' ? (
                  <VerdictBadge verdict={r.verdict} />
                ) : (
                  <span className="tag">{r.verdict ?? r.status}</span>
                )}{' '}
                <span className="muted small">{new Date(r.startedAt).toLocaleString()}</span>
                {c.reports
                  .filter((p) => p.runId === r.id)
                  .map((p) => (
                    <div key={p.id} className="small">
                      ↳ report #{p.id} signed {new Date(p.signedAt).toLocaleString()} by {p.signedBy}
                    </div>
                  ))}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>Custody journal</h2>
        <p className="muted small">Every action in this case, each row hash-chained to the one before it.</p>
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
                <td>{new Date(j.at).toLocaleString()}</td>
                <td>{j.actor}</td>
                <td>
                  <code>{j.action}</code>
                </td>
                <td className="small">{j.subject ?? ''}</td>
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
