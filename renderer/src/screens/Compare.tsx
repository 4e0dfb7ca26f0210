/**
 * Compare two exports of one log: the divergence verdict first, then where the exports part
 * (first divergent entry, the entries around it side by side, the aligned entry diff), and
 * for a fork the two signed checkpoints that cannot both be true, side by side.
 *
 * In a case, the comparison is a run of the case: the case's trust store decides, the run is
 * journaled, a proof of misbehaviour (or of consistency) is kept as evidence, and the signed
 * divergence attestation can be made and recorded. Earlier comparisons of the case open again.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { CAUSE_LABELS } from '../../../shared/present/labels.js';
import {
  type CheckpointRef,
  type CompareView,
  caseRunKey,
  type DiffResult,
  type DiffVerdict,
  type EntryView,
  type IpcError,
} from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { asIpcError, Empty, ErrorBox, Field, Hash, PassphraseDialog, When } from '../components/common.js';
import { baseName, num } from '../format.js';
import { bundlesOf, useWorkspace } from '../state.js';
import { formatTime } from '../time.js';

const VERDICT: Record<DiffVerdict, { tone: 'pass' | 'fail' | 'inconclusive'; title: string }> = {
  IDENTICAL: { tone: 'pass', title: 'Identical' },
  B_EXTENDS_A: { tone: 'pass', title: 'B extends A consistently' },
  A_EXTENDS_B: { tone: 'pass', title: 'A extends B consistently' },
  TRUNCATED: { tone: 'fail', title: 'Truncated' },
  REWRITTEN: { tone: 'fail', title: 'The entries differ' },
  FORKED: { tone: 'fail', title: 'Forked: the log signed two histories' },
};

/** The comparison's own headline: the same sentence `proofdesk diff` prints. */
function explain(r: DiffResult): string {
  return r.headline;
}

export function CompareScreen() {
  const { w, dispatch } = useWorkspace();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [err, setErr] = useState<IpcError>();
  const keys = w.keys.filter((k) => k.use);
  const bundles = bundlesOf(w);
  const job = w.currentCompare ? w.compares[w.currentCompare] : undefined;
  const A = bundles.find((x) => x.id === a);
  const B = bundles.find((x) => x.id === b);
  const inCase = w.case !== undefined;
  const origin = A?.info.origin;
  const caseKeys = (w.case?.keys ?? []).filter((k) => !k.revokedAt && (k.origin === null || k.origin === origin));
  // A comparison of the case picked elsewhere (the Case screen's run list), not yet loaded.
  useEffect(() => {
    const key = w.currentCompare;
    if (!key || w.compares[key]) return;
    let live = true;
    void call('compare.get', { jobId: key }).then(
      (view) => live && dispatch({ type: 'compare.view', view, select: true }),
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [w.currentCompare, w.compares, dispatch]);
  const start = async () => {
    setErr(undefined);
    if (!A || !B) return;
    try {
      const { jobId } = await call(
        'compare.start',
        inCase && A.evidenceId !== undefined && B.evidenceId !== undefined
          ? {
              a: { evidenceId: String(A.evidenceId) },
              b: { evidenceId: String(B.evidenceId) },
              keys: [],
              caseId: w.case!.caseId,
            }
          : { a: { path: A.info.path }, b: { path: B.info.path }, keys: keys.map((k) => k.ref) },
      );
      dispatch({ type: 'compare.view', view: await call('compare.get', { jobId }), select: true });
    } catch (e) {
      setErr(asIpcError(e));
    }
  };
  const earlier = (w.case?.runs ?? []).filter((r) => r.kind === 'diff').reverse();
  const name = (id: number | undefined) => w.case?.evidence.find((e) => e.id === id)?.name ?? `#${id ?? '?'}`;
  return (
    <div className="screen">
      <header className="screen-head">
        <h1>Compare two exports</h1>
        <p className="lede">
          Is one export a consistent extension of the other, or was history truncated, rewritten or forked? Both are
          verified first; then their Merkle trees are compared.
        </p>
      </header>
      {bundles.length < 2 ? (
        <Empty title="Two bundles needed">
          <p>Import two exports of the same log first.</p>
        </Empty>
      ) : (
        <section className="panel">
          <div className="setup-grid">
            <label className="field">
              <span className="field-label">Export A (older)</span>
              <select name="compare-a" value={a} onChange={(e) => setA(e.target.value)}>
                <option value="">choose</option>
                {bundles.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.evidenceId !== undefined ? `#${x.evidenceId} ` : ''}
                    {x.info.name} — {num(x.info.entryCount)} entries
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Export B (newer)</span>
              <select name="compare-b" value={b} onChange={(e) => setB(e.target.value)}>
                <option value="">choose</option>
                {bundles.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.evidenceId !== undefined ? `#${x.evidenceId} ` : ''}
                    {x.info.name} — {num(x.info.entryCount)} entries
                  </option>
                ))}
              </select>
            </label>
            <div className="actions">
              <button
                type="button"
                className="primary big"
                disabled={
                  !a ||
                  !b ||
                  a === b ||
                  (inCase ? caseKeys.length === 0 : keys.length === 0) ||
                  job?.state === 'running'
                }
                onClick={() => void start()}
                data-testid="start-compare"
              >
                Compare
              </button>
            </div>
          </div>
          <p className="muted small" data-testid="compare-trust">
            {inCase ? (
              <>
                Trusted keys: the case's for {origin ?? 'the log'} —{' '}
                {caseKeys.length
                  ? caseKeys.map((k) => `${k.keyName ?? k.label} (${k.role})`).join(', ')
                  : 'none: trust the log key on Import'}
                . The comparison is recorded in the case.
              </>
            ) : (
              <>
                Trusted keys:{' '}
                {keys.length
                  ? keys.map((k) => k.info.name ?? baseName(k.info.label)).join(', ')
                  : 'none ticked (tick them on Import or Verify)'}
              </>
            )}
          </p>
          <ErrorBox error={err} title="Comparison could not start" />
        </section>
      )}
      {job ? <CompareResult job={job} /> : null}
      {earlier.length ? (
        <section aria-labelledby="earlier-compares-h">
          <h2 id="earlier-compares-h">Comparisons in this case</h2>
          <ul className="run-list" data-testid="earlier-compares">
            {earlier.map((r) => {
              const key = caseRunKey(w.case!.caseId, r.id);
              const ins = ['old', 'new'].map((role) => r.inputs.find((i) => i.role === role)?.evidenceId);
              return (
                <li key={r.id}>
                  <button type="button" className="link" onClick={() => dispatch({ type: 'compare.select', key })}>
                    #{r.id} A: {name(ins[0])} · B: {name(ins[1])}
                  </button>{' '}
                  <span className="tag">{r.verdict ?? r.status}</span>{' '}
                  <span className="muted small">
                    <When t={r.startedAt} /> · {r.startedBy}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function CompareResult({ job }: { job: CompareView }) {
  if (job.state === 'running') {
    const p = job.progress;
    const text = !p
      ? 'starting…'
      : p.stage === 'verify'
        ? `verifying export ${p.side}: ${num(p.verify.entriesDone)}${p.verify.entriesTotal ? ` of ${num(p.verify.entriesTotal)}` : ''} entries`
        : p.stage === 'compare'
          ? 'comparing the two trees…'
          : 'done';
    return (
      <section className="panel" role="status" data-testid="compare-progress">
        <div className="row-between">
          <span>{text}</span>
          <button type="button" className="danger" onClick={() => void call('compare.cancel', { jobId: job.jobId })}>
            Cancel
          </button>
        </div>
      </section>
    );
  }
  if (job.state === 'cancelled') return <section className="panel notice">The comparison was cancelled.</section>;
  if (job.state === 'failed')
    return (
      <ErrorBox
        error={job.error ?? { code: 'INTERNAL', message: 'no result' }}
        title="The exports could not be compared"
      />
    );
  // Finished, the result on its way: not an error.
  if (!job.run)
    return (
      <section className="panel" role="status" data-testid="compare-finishing">
        Finishing…
      </section>
    );
  const r = job.run.result;
  const v = VERDICT[r.verdict];
  return (
    <div className="result" data-testid="compare-result" data-verdict={r.verdict}>
      <section className={`panel verdict-panel verdict-bg-${v.tone}`}>
        <span className={`verdict verdict-large verdict-${v.tone}`}>
          <b>{r.verdict.replace(/_/g, ' ')}</b>
          <span>{v.title}</span>
        </span>
        <div>
          <p className="verdict-sentence">{explain(r)}</p>
          <p className="muted small">
            A: {r.a.name} ({num(r.a.entryCount)} entries, {r.a.verification.verdict}) · B: {r.b.name} (
            {num(r.b.entryCount)} entries, {r.b.verification.verdict}) · origin {r.origin}
          </p>
          <p className="muted small">
            {job.caseRunId !== undefined ? `Run #${job.caseRunId} of the case · ` : ''}compared{' '}
            <When t={job.startedAt} />
          </p>
        </div>
      </section>
      {job.proofs?.length ? (
        <p className="small notice-ok" data-testid="compare-proofs">
          Kept as evidence of the case:{' '}
          {job.proofs.map((p) => (
            <span key={p.evidenceId} className="tag">
              #{p.evidenceId} {p.label}
            </span>
          ))}
        </p>
      ) : null}
      <SignAttestation job={job} />
      {r.diagnosis.length ? (
        <section className="panel" aria-labelledby="diff-diagnosis-h">
          <h2 id="diff-diagnosis-h">What differs</h2>
          <ol className="causes" data-testid="diff-diagnosis">
            {r.diagnosis.map((c, k) => (
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
      ) : null}
      {r.forks.length ? (
        <section className="panel" data-testid="fork">
          <h2>The two signed checkpoints that contradict each other</h2>
          {r.forks.map((f, k) =>
            f.kind === 'same-size' ? (
              // Same size: show export A's on the left, B's on the right.
              <div key={k} className="two-col fork">
                {[f.smaller, f.larger]
                  .sort((x, y) => (x.side < y.side ? -1 : 1))
                  .map((c, j) => (
                    <CheckpointCard
                      key={j}
                      c={c}
                      label={`checkpoint of size ${num(c.size)}`}
                      note={j === 1 ? 'Same size as the other, different root: both cannot be true.' : undefined}
                    />
                  ))}
              </div>
            ) : (
              <div key={k} className="two-col fork">
                <CheckpointCard c={f.smaller} label="smaller checkpoint" />
                <CheckpointCard
                  c={f.larger}
                  label="larger checkpoint"
                  note={`Its first ${num(f.smaller.size)} entries have root ${f.prefixRoot?.slice(0, 16) ?? '?'}…, not the smaller checkpoint's root: the larger tree does not extend the smaller one.`}
                />
              </div>
            ),
          )}
          {r.misbehaviour ? (
            <p className="muted small">
              {job.proofs?.length
                ? 'The proof of misbehaviour is kept as evidence of the case (checkable with proofdesk check-proof).'
                : 'A proof of misbehaviour is in the result (checkable with proofdesk check-proof); compare in a case to keep it as evidence.'}
            </p>
          ) : null}
        </section>
      ) : null}
      {r.divergence ? (
        <section className="panel" data-testid="divergence">
          <h2>
            First divergent entry: <span data-testid="divergent-index">{num(r.divergence.index)}</span>
          </h2>
          <div className="two-col">
            <EntryColumn title={`A: ${r.a.name}`} entries={r.divergence.context.a} at={r.divergence.index} />
            <EntryColumn title={`B: ${r.b.name}`} entries={r.divergence.context.b} at={r.divergence.index} />
          </div>
        </section>
      ) : null}
      {r.entryDiff ? (
        <section className="panel">
          <h2>Entry diff (aligned by {r.entryDiff.alignBy})</h2>
          <p className="muted small">
            {num(r.entryDiff.counts.equal)} equal · {num(r.entryDiff.counts.changed)} changed ·{' '}
            {num(r.entryDiff.counts.relinked)} re-linked only · {num(r.entryDiff.counts.removed)} removed ·{' '}
            {num(r.entryDiff.counts.inserted)} inserted
          </p>
          <table className="table small" data-testid="entry-diff">
            <thead>
              <tr>
                <th>Change</th>
                <th>A entry</th>
                <th>B entry</th>
                <th>Fields</th>
              </tr>
            </thead>
            <tbody>
              {r.entryDiff.ops.slice(0, 200).map((o, k) => (
                <tr key={k} data-op={o.op}>
                  <td>{o.op}</td>
                  <td>{'a' in o ? num(o.a.index) : ''}</td>
                  <td>{'b' in o ? num(o.b.index) : ''}</td>
                  <td className="mono">
                    {o.op === 'changed'
                      ? `${o.fields.join(', ')}${o.representationOnly ? ' (representation only)' : ''}${o.fieldsDepthLimit !== undefined ? ` (compared to depth ${o.fieldsDepthLimit})` : ''}`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {r.findings.length ? (
        <section className="panel">
          <h2>Findings of the comparison</h2>
          <ul className="findings compact">
            {r.findings.map((f, k) => (
              <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
                <code className="code">{f.code}</code> {f.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function CheckpointCard({ c, label, note }: { c: CheckpointRef; label: string; note?: string }) {
  return (
    <div className="card checkpoint-card" data-side={c.side}>
      <header>
        <h3>
          Export {c.side}: {label}
        </h3>
      </header>
      <dl className="facts">
        <dt>File</dt>
        <dd>{c.file}</dd>
        <dt>Tree size</dt>
        <dd>{num(c.size)}</dd>
        <dt>Signed root</dt>
        <dd>
          <Hash value={c.rootHash} full />
        </dd>
      </dl>
      {note ? <p className="small">{note}</p> : null}
    </div>
  );
}

function EntryColumn({ title, entries, at }: { title: string; entries: readonly EntryView[]; at: number }) {
  return (
    <div>
      <h3>{title}</h3>
      <ol className="diff-entries">
        {entries.map((e) => (
          <li key={e.index} className={e.index === at ? 'divergent' : ''}>
            <span className="muted small">entry {num(e.index)}</span>
            <pre className="raw">{e.text ?? '(not UTF-8)'}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The signed divergence attestation (`proofdesk diff --sign-key --attestation`), recorded in the case when in one. */
function SignAttestation({ job }: { job: CompareView }) {
  const { w } = useWorkspace();
  const [keyPath, setKeyPath] = useState('');
  const [out, setOut] = useState('');
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<{ path: string; caseReportId?: number }>();
  const [err, setErr] = useState<IpcError>();
  const sign = async (passphrase: string | undefined) => {
    setAsking(false);
    setErr(undefined);
    try {
      setDone(
        await call('compare.sign', {
          jobId: job.jobId,
          keyPath: keyPath.trim(),
          out: out.trim(),
          ...(passphrase !== undefined ? { passphrase } : {}),
        }),
      );
    } catch (e) {
      setErr(asIpcError(e));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsking(true);
  };
  return (
    <section className="panel" aria-labelledby="sign-diff-h">
      <h2 id="sign-diff-h">Signed divergence attestation</h2>
      {done ? (
        <p className="notice-ok small" role="status" data-testid="divergence-signed">
          Signed: <span className="mono">{done.path}</span>
          {done.caseReportId !== undefined ? ` · recorded as report #${done.caseReportId} of the case` : ''}.
        </p>
      ) : (
        <form onSubmit={submit} className="inline-form wrap">
          <Field label="Examiner key file">
            <input
              name="diff-examiner-key"
              value={keyPath}
              onChange={(e) => setKeyPath(e.target.value)}
              placeholder="/keys/examiner.key"
              spellCheck={false}
            />
          </Field>
          <Field label="Attestation file to write" hint="a new file (DSSE, in-toto); never overwritten">
            <input
              name="diff-attestation"
              value={out}
              onChange={(e) => setOut(e.target.value)}
              placeholder={`/cases/divergence-${formatTime(job.startedAt, w.zone).slice(0, 10)}.dsse.json`}
              spellCheck={false}
            />
          </Field>
          <button
            type="submit"
            className="primary"
            disabled={!keyPath.trim() || !out.trim()}
            data-testid="sign-divergence"
          >
            Sign attestation…
          </button>
        </form>
      )}
      <ErrorBox error={err} title="Attestation not signed" />
      {asking ? <PassphraseDialog onSubmit={(p) => void sign(p)} onCancel={() => setAsking(false)} /> : null}
    </section>
  );
}
