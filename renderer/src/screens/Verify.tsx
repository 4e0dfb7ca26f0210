/**
 * Verify: pick a bundle and the keys to trust, run, watch every stage live, cancel. The verdict
 * and the headline come first, then what the evidence shows (the diagnosis: each cause with its
 * entries and the findings under it, linked to the entry browser), then coverage and checks.
 */
import { useState } from 'react';
import {
  CAUSE_LABELS,
  CHECK_LABELS,
  CHECK_STATUS_LABELS,
  COVERAGE_REASON_LABELS,
} from '../../../shared/present/labels.js';
import type { IpcError, RunProgress, RunView } from '../../../shared/protocol/ipc.js';
import type { Cause } from '../../../shared/verdict/cause.js';
import type { Finding } from '../../../shared/verdict/findings.js';
import type { CoverageReason, VerificationResult } from '../../../shared/verdict/result.js';
import { CallError, call } from '../api.js';
import { Empty, ErrorBox, Hash, VerdictBadge } from '../components/common.js';
import { baseName, bytes, duration, num } from '../format.js';
import { useWorkspace } from '../state.js';

const STAGES: ReadonlyArray<{ id: RunProgress['stage']; label: string }> = [
  { id: 'scan', label: 'Index lines' },
  { id: 'verify', label: 'Verify entries' },
  { id: 'merge', label: 'Roots and signatures' },
  { id: 'done', label: 'Done' },
];

export function VerifyScreen() {
  const { w, dispatch } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  const [starting, setStarting] = useState(false);
  const bundle = w.bundles.find((b) => b.id === w.selectedBundle);
  const keys = w.keys.filter((k) => k.use);
  const current = w.currentRun ? w.runs[w.currentRun] : undefined;

  const start = async () => {
    if (!bundle) return;
    setErr(undefined);
    setStarting(true);
    dispatch({ type: 'run.starting' });
    try {
      const inCase = w.case !== undefined && bundle.evidenceId !== undefined;
      const { runId } = await call(
        'verify.start',
        inCase
          ? // The case's trust store (windows and revocations included) is the trust material.
            { bundle: { evidenceId: String(bundle.evidenceId) }, keys: [], caseId: w.case!.caseId }
          : { bundle: { path: bundle.info.path }, keys: keys.map((k) => k.ref) },
      );
      dispatch({ type: 'run.started', view: await call('verify.get', { runId }) });
    } catch (e) {
      setErr(e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String(e) });
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="screen" aria-labelledby="verify-title">
      <header className="screen-head">
        <h1 id="verify-title">Verify</h1>
      </header>
      <section className="panel run-setup">
        {w.bundles.length === 0 ? (
          <Empty title="No bundle yet">
            <p>
              Import a bundle first.{' '}
              <button type="button" className="link" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
                Go to Import
              </button>
            </p>
          </Empty>
        ) : (
          <div className="setup-grid">
            <label className="field">
              <span className="field-label">Bundle</span>
              <select
                value={w.selectedBundle ?? ''}
                onChange={(e) => dispatch({ type: 'bundle.select', id: e.target.value })}
                name="bundle"
              >
                <option value="" disabled>
                  choose a bundle
                </option>
                {w.bundles.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.info.name} — {num(b.info.entryCount)} entries
                  </option>
                ))}
              </select>
            </label>
            {w.case && bundle?.evidenceId !== undefined ? (
              <div className="field">
                <span className="field-label">Trusted keys</span>
                <span>
                  the trust store of case <b>{w.case.title}</b> ({w.case.keys.length} key
                  {w.case.keys.length === 1 ? '' : 's'}); the run is recorded in the case
                </span>
              </div>
            ) : (
              <div className="field">
                <span className="field-label">
                  Trusted keys ({keys.length} of {w.keys.length})
                </span>
                <div className="key-chips">
                  {w.keys.length === 0 ? (
                    <span className="muted">none imported — nothing can be verified without one</span>
                  ) : null}
                  {w.keys.map((k) => (
                    <label key={k.id} className={`chip${k.use ? ' on' : ''}`}>
                      <input
                        type="checkbox"
                        checked={k.use}
                        onChange={() => dispatch({ type: 'key.toggle', id: k.id })}
                      />
                      {k.info.name ?? baseName(k.info.label)}{' '}
                      <span className="muted small">({k.info.roles.join(', ')})</span>
                    </label>
                  ))}
                </div>
              </div>
            )}
            <div className="actions">
              <button
                type="button"
                className="primary big"
                onClick={() => void start()}
                disabled={
                  !bundle ||
                  (keys.length === 0 && !(w.case && bundle.evidenceId !== undefined)) ||
                  starting ||
                  current?.state === 'running'
                }
                data-testid="start-verify"
              >
                {starting ? 'Starting…' : 'Verify'}
              </button>
            </div>
          </div>
        )}
        <ErrorBox error={err} title="Verification could not start" />
      </section>

      {current ? <RunPanel view={current} /> : null}

      {w.runOrder.length > 1 ? (
        <section aria-labelledby="runs-h">
          <h2 id="runs-h">Earlier runs</h2>
          <ul className="run-list">
            {w.runOrder
              .filter((id) => id !== w.currentRun)
              .map((id) => w.runs[id]!)
              .map((r) => (
                <li key={r.runId}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => dispatch({ type: 'run.select', runId: r.runId })}
                  >
                    {baseName(r.bundle)}
                  </button>{' '}
                  {r.run ? <VerdictBadge verdict={r.run.result.verdict} /> : <span className="tag">{r.state}</span>}{' '}
                  <span className="muted small">{new Date(r.startedAt).toLocaleTimeString()}</span>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

function RunPanel({ view }: { view: RunView }) {
  if (view.state === 'running') return <ProgressPanel view={view} />;
  if (view.state === 'cancelled')
    return (
      <section className="panel notice" data-testid="run-cancelled" data-run-id={view.runId} role="status">
        <h2>Cancelled</h2>
        <p>The run of {baseName(view.bundle)} was stopped; nothing was judged. The evidence was not changed.</p>
      </section>
    );
  if (view.state === 'failed' || !view.run)
    return (
      <ErrorBox
        error={view.error ?? { code: 'INTERNAL', message: 'the run ended without a result' }}
        title="The bundle could not be verified"
      />
    );
  return <ResultView view={view} result={view.run.result} />;
}

function ProgressPanel({ view }: { view: RunView }) {
  const p = view.progress;
  const [cancelling, setCancelling] = useState(false);
  const total = p?.entriesTotal;
  const pct = p
    ? total
      ? (100 * p.entriesDone) / Math.max(1, total)
      : (100 * p.bytesDone) / Math.max(1, p.bytesTotal)
    : 0;
  const stageIdx = p ? STAGES.findIndex((s) => s.id === p.stage) : -1;
  const maxWorker = Math.max(1, ...(p?.perWorker.map((x) => x.entries) ?? [1]));
  return (
    <section
      className="panel progress"
      aria-labelledby="progress-h"
      data-testid="run-progress"
      data-run-id={view.runId}
    >
      <header className="row-between">
        <h2 id="progress-h">Verifying {baseName(view.bundle)}</h2>
        <button
          type="button"
          className="danger"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            void call('verify.cancel', { runId: view.runId }).catch(() => setCancelling(false));
          }}
          data-testid="cancel-run"
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </header>
      <ol className="stages">
        {STAGES.map((s, i) => (
          <li key={s.id} className={i < stageIdx ? 'done' : i === stageIdx ? 'active' : ''}>
            {s.label}
          </li>
        ))}
      </ol>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <div style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <dl className="stats">
        <dt>Entries</dt>
        <dd>
          {num(p?.entriesDone ?? 0)}
          {total !== undefined ? ` of ${num(total)}` : ''}
        </dd>
        <dt>Speed</dt>
        <dd>{num(Math.round(p?.entriesPerSecond ?? 0))} entries/s</dd>
        <dt>Bytes</dt>
        <dd>
          {bytes(p?.bytesDone ?? 0)} of {bytes(p?.bytesTotal ?? 0)}
        </dd>
        <dt>Time left</dt>
        <dd>{p?.etaMs !== undefined ? `about ${duration(p.etaMs)}` : 'estimating…'}</dd>
        <dt>Elapsed</dt>
        <dd>{duration(p?.elapsedMs ?? 0)}</dd>
      </dl>
      {p?.perWorker.length ? (
        <div className="workers">
          {[...p.perWorker]
            .sort((a, b) => a.worker - b.worker)
            .map((wk) => (
              <div key={wk.worker} className="worker">
                <span>worker {wk.worker + 1}</span>
                <div className="bar thin">
                  <div style={{ width: `${((100 * wk.entries) / maxWorker).toFixed(1)}%` }} />
                </div>
                <span className="muted small">{num(wk.entries)} entries in current job</span>
              </div>
            ))}
        </div>
      ) : null}
    </section>
  );
}

/** The result's own headline: the same sentence the CLI prints and the PDF carries on page 1. */
function verdictSentence(r: VerificationResult): string {
  return r.headline;
}

function locationText(f: Finding): string {
  const l = f.location;
  const parts: string[] = [];
  if (l.file) parts.push(l.file);
  if (l.entry !== undefined) parts.push(`entry ${num(l.entry)}`);
  if (l.offset !== undefined) parts.push(`byte ${num(l.offset)}`);
  if (l.checkpointSize !== undefined) parts.push(`checkpoint of size ${num(l.checkpointSize)}`);
  if (l.range) parts.push(`entries ${num(l.range[0])}–${num(l.range[1] - 1)}`);
  if (l.path) parts.push(l.path);
  return parts.join(' · ');
}

/** The entry a cause points at, to open in the entry browser. */
export function causeEntry(c: Cause, r: VerificationResult): number | undefined {
  if (c.entries && c.entries.to > c.entries.from) return c.entries.from;
  if (c.entries && c.entries.from < r.bundle.entryCount) return c.entries.from;
  for (const i of c.findings) {
    const e = r.findings[i]?.location.entry;
    if (e !== undefined) return e;
  }
  return undefined;
}

/** Where a cause is, in a few words. */
function causePlace(c: Cause): string {
  const parts: string[] = [];
  if (c.entries) {
    parts.push(
      c.entries.from === c.entries.to
        ? `before entry ${num(c.entries.from)}`
        : c.entries.to - c.entries.from === 1
          ? `entry ${num(c.entries.from)}`
          : `entries ${num(c.entries.from)}–${num(c.entries.to - 1)}`,
    );
  }
  if (c.seq)
    parts.push(c.seq.to - c.seq.from === 1 ? `seq ${num(c.seq.from)}` : `seq ${num(c.seq.from)}–${num(c.seq.to - 1)}`);
  return parts.join(' · ');
}

function FindingItem({ f, onOpen }: { f: Finding; onOpen: (i: number) => void }) {
  return (
    <li className={`finding sev-${f.severity}`} data-code={f.code}>
      <div className="finding-head">
        <span className={`sev sev-${f.severity}`}>{f.severity}</span>
        <code className="code">{f.code}</code>
        <span className="muted small">{locationText(f)}</span>
        {f.location.entry !== undefined ? (
          <button
            type="button"
            className="link"
            onClick={() => onOpen(f.location.entry!)}
            data-testid="finding-entry-link"
          >
            Show entry {num(f.location.entry)} →
          </button>
        ) : null}
      </div>
      <p>{f.message}</p>
      {f.evidence?.expected !== undefined || f.evidence?.actual !== undefined ? (
        <dl className="evidence">
          {f.evidence?.expected !== undefined ? (
            <>
              <dt>expected</dt>
              <dd>
                <Hash value={String(f.evidence.expected)} full />
              </dd>
            </>
          ) : null}
          {f.evidence?.actual !== undefined ? (
            <>
              <dt>actual</dt>
              <dd>
                <Hash value={String(f.evidence.actual)} full />
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </li>
  );
}

const MAX_FINDINGS_PER_CAUSE = 50;

function CauseItem({
  cause: c,
  k,
  result: r,
  onOpen,
}: {
  cause: Cause;
  k: number;
  result: VerificationResult;
  onOpen: (i: number) => void;
}) {
  const [open, setOpen] = useState(k === 0);
  const entry = causeEntry(c, r);
  const findings = c.findings.map((i) => r.findings[i]).filter((f): f is Finding => f !== undefined);
  return (
    <li className={`cause sev-${c.severity}`} data-cause={c.cause} data-testid="cause">
      <div className="cause-head">
        <span className="cause-n">{k + 1}</span>
        <b className="cause-label">{CAUSE_LABELS[c.cause]}</b>
        <span className="muted small">{causePlace(c)}</span>
        {entry !== undefined ? (
          <button
            type="button"
            className="link"
            onClick={() => onOpen(entry)}
            data-testid="cause-entry-link"
            data-entry={entry}
          >
            Show entry {num(entry)} →
          </button>
        ) : null}
      </div>
      <p className="cause-text">{c.text}</p>
      {findings.length ? (
        <button type="button" className="link small" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide' : 'Show'} the {findings.length === 1 ? 'finding' : `${num(findings.length)} findings`} that
          show it
        </button>
      ) : null}
      {open && findings.length ? (
        <ul className="findings" data-testid="findings">
          {findings.slice(0, MAX_FINDINGS_PER_CAUSE).map((f, i) => (
            <FindingItem key={i} f={f} onOpen={onOpen} />
          ))}
          {findings.length > MAX_FINDINGS_PER_CAUSE ? (
            <li className="muted small">
              {num(findings.length - MAX_FINDINGS_PER_CAUSE)} more: the entry browser lists every entry with a finding.
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

function reasonCounts(r: VerificationResult): Array<[CoverageReason, number]> {
  const m = new Map<CoverageReason, number>();
  for (const g of r.coverage.ranges) m.set(g.reason, (m.get(g.reason) ?? 0) + (g.to - g.from));
  return [...m.entries()];
}

function ResultView({ view, result: r }: { view: RunView; result: VerificationResult }) {
  const { dispatch } = useWorkspace();
  const [showInfo, setShowInfo] = useState(false);
  const under = new Set(r.diagnosis.flatMap((c) => c.findings));
  const others = r.findings.filter((f, i) => !under.has(i) && f.severity !== 'info');
  const infos = r.findings.filter((f, i) => !under.has(i) && f.severity === 'info');
  const open = (index: number) => dispatch({ type: 'entry.open', runId: view.runId, index });
  const first = r.diagnosis[0];
  const firstEntry = first ? causeEntry(first, r) : undefined;
  return (
    <div className="result" data-testid="run-result" data-run-id={view.runId}>
      <section className={`panel verdict-panel verdict-bg-${r.verdict.toLowerCase()}`} aria-live="polite">
        <VerdictBadge verdict={r.verdict} large />
        <div>
          <p className="verdict-sentence" data-testid="headline">
            {verdictSentence(r)}
          </p>
          <p className="muted small">
            {r.bundle.name} · origin {r.bundle.origin} · {num(r.bundle.entryCount)} entries ·{' '}
            {view.run ? `${duration(view.run.stats.elapsedMs)}, ${view.run.stats.workers} workers` : ''}
          </p>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => dispatch({ type: 'entry.open', runId: view.runId, index: firstEntry ?? 0 })}
          disabled={!view.browsable}
          data-testid="show-first-problem"
        >
          {firstEntry !== undefined && first
            ? `Show entry ${num(firstEntry)} (${CAUSE_LABELS[first.cause].toLowerCase()})`
            : 'Browse entries'}
        </button>
      </section>

      {r.diagnosis.length ? (
        <section className="panel" aria-labelledby="diagnosis-h">
          <h2 id="diagnosis-h">What the evidence shows</h2>
          <ol className="causes" data-testid="diagnosis">
            {r.diagnosis.map((c, k) => (
              <CauseItem key={k} cause={c} k={k} result={r} onOpen={open} />
            ))}
          </ol>
        </section>
      ) : null}

      <div className="two-col">
        <section className="panel" aria-labelledby="cov-h">
          <h2 id="cov-h">What still stands</h2>
          <CoverageBar result={r} />
          <dl className="stats" data-testid="coverage-stats">
            {reasonCounts(r).map(([reason, n]) => (
              <div key={reason} className="stat-row" data-reason={reason}>
                <dt>{COVERAGE_REASON_LABELS[reason]}</dt>
                <dd>{num(n)}</dd>
              </div>
            ))}
          </dl>
          <h3>Checkpoints</h3>
          <table className="table small">
            <thead>
              <tr>
                <th>Size</th>
                <th>Signature</th>
                <th>Root</th>
              </tr>
            </thead>
            <tbody>
              {r.checkpoints.map((c, k) => (
                <tr key={`${c.file}#${k}`}>
                  <td>{c.size !== undefined ? num(c.size) : '?'}</td>
                  <td>{c.status}</td>
                  <td>{c.rootStatus === 'match' ? 'matches' : c.rootStatus}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="checks-h">
          <h2 id="checks-h">Checks</h2>
          <table className="table checks">
            <tbody>
              {r.checks.map((c) => (
                <tr key={c.id} data-check={c.id} data-status={c.status}>
                  <td className="narrow">
                    <span className={`status status-${c.status}`}>{CHECK_STATUS_LABELS[c.status]}</span>
                  </td>
                  <td>{CHECK_LABELS[c.id]}</td>
                  <td className="muted small">
                    {Object.entries(c.counts)
                      .map(([k, v]) => `${k} ${num(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      {others.length ? (
        <section className="panel" aria-labelledby="findings-h">
          <h2 id="findings-h">Other findings ({num(others.length)})</h2>
          <ul className="findings" data-testid="findings">
            {others.slice(0, 500).map((f, k) => (
              <FindingItem key={k} f={f} onOpen={open} />
            ))}
          </ul>
        </section>
      ) : null}
      {infos.length ? (
        <p>
          <button type="button" className="link" onClick={() => setShowInfo(!showInfo)}>
            {showInfo ? 'Hide' : 'Show'} {infos.length} informational note{infos.length === 1 ? '' : 's'}
          </button>
        </p>
      ) : null}
      {showInfo ? (
        <ul className="findings">
          {infos.map((f, k) => (
            <li key={k} className="finding sev-info">
              <code className="code">{f.code}</code> <span className="muted small">{locationText(f)}</span>
              <p>{f.message}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {Object.keys(r.findingsOmitted).length ? (
        <p className="muted small">
          More findings were counted but not listed (over the per-code limit); the result lists how many of each.
        </p>
      ) : null}
    </div>
  );
}

function CoverageBar({ result: r }: { result: VerificationResult }) {
  const n = Math.max(1, r.bundle.entryCount);
  return (
    <div className="coverage-bar" role="img" aria-label="coverage by entry range">
      {r.coverage.ranges.map((c) => (
        <div
          key={c.from}
          className={`cov-${c.status} why-${c.reason.toLowerCase().replace(/_/g, '-')}`}
          style={{ width: `${Math.max(0.3, (100 * (c.to - c.from)) / n)}%` }}
          title={`${COVERAGE_REASON_LABELS[c.reason]}: entries ${num(c.from)}–${num(c.to - 1)}`}
        />
      ))}
    </div>
  );
}
