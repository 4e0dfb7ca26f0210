/**
 * Verify: pick a bundle and see the keys that will be trusted, run, watch every stage live
 * (with the import into the case before and the search index after), cancel. The verdict shown
 * is always the selected bundle's: its newest run, or the earlier run picked for it. The
 * verdict and the headline come first, then what the evidence shows (the diagnosis: each cause
 * with its entries and the findings under it, linked to the entry browser), then coverage and
 * checks.
 */
import { useState } from 'react';
import {
  CAUSE_LABELS,
  CHECK_LABELS,
  CHECK_STATUS_LABELS,
  COVERAGE_REASON_LABELS,
} from '../../../shared/present/labels.js';
import type { IpcError, RunStage, RunView } from '../../../shared/protocol/ipc.js';
import type { Cause } from '../../../shared/verdict/cause.js';
import type { Finding } from '../../../shared/verdict/findings.js';
import type { CoverageReason, VerificationResult } from '../../../shared/verdict/result.js';
import { call } from '../api.js';
import { asIpcError, Empty, ErrorBox, Hash, VerdictBadge, When } from '../components/common.js';
import { grantStatus } from '../components/Trust.js';
import { baseName, bytes, duration, num } from '../format.js';
import { bundlesOf, runKey, runsOf, useRunView, useWorkspace } from '../state.js';

/** The stages as the examiner waits through them; 'open' and 'digest' are shown as one. */
const STAGES: ReadonlyArray<{ id: RunStage; label: string; inCase?: boolean }> = [
  { id: 'import', label: 'Copy into the case', inCase: true },
  { id: 'digest', label: 'Open and digest' },
  { id: 'scan', label: 'Index lines' },
  { id: 'verify', label: 'Verify entries' },
  { id: 'merge', label: 'Roots and signatures' },
  { id: 'index', label: 'Build the search index', inCase: true },
  { id: 'done', label: 'Done' },
];

const STAGE_NAMES: Record<RunStage, string> = {
  import: 'copy into the case',
  open: 'open',
  digest: 'open and digest',
  scan: 'index lines',
  verify: 'verify entries',
  merge: 'roots and signatures',
  index: 'search index',
  done: 'done',
};

function stageIndex(stage: RunStage): number {
  return STAGES.findIndex((s) => s.id === (stage === 'open' ? 'digest' : stage));
}

export function VerifyScreen() {
  const { w, dispatch } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  const [starting, setStarting] = useState(false);
  const bundles = bundlesOf(w);
  const bundle = bundles.find((b) => b.id === w.selectedBundle);
  const keys = w.keys.filter((k) => k.use);
  const runs = runsOf(w);
  const currentItem = runs.find((r) => r.key === w.currentRun);
  // The verdict shown belongs to the bundle in the selector, never to another one.
  const shownKey = currentItem && currentItem.bundleId === bundle?.id ? currentItem.key : undefined;
  const current = useRunView(shownKey);
  const inCase = w.case !== undefined && bundle?.evidenceId !== undefined;
  const origin = bundle?.info.origin;
  const caseKeys = (w.case?.keys ?? []).filter((k) => k.origin === null || k.origin === origin);

  const start = async () => {
    if (!bundle) return;
    setErr(undefined);
    setStarting(true);
    dispatch({ type: 'run.starting' });
    try {
      const { runId } = await call(
        'verify.start',
        inCase
          ? // The case's trust store (windows and revocations included) is the trust material.
            { bundle: { evidenceId: String(bundle.evidenceId) }, keys: [], caseId: w.case!.caseId }
          : { bundle: { path: bundle.info.path }, keys: keys.map((k) => k.ref), expectDigest: bundle.info.digest },
      );
      dispatch({ type: 'run.started', view: await call('verify.get', { runId }) });
    } catch (e) {
      setErr(asIpcError(e));
    } finally {
      setStarting(false);
    }
  };

  const demoWithReal = !inCase && keys.some((k) => k.demo) && keys.some((k) => !k.demo);

  return (
    <section className="screen" aria-labelledby="verify-title">
      <header className="screen-head">
        <h1 id="verify-title">Verify</h1>
      </header>
      <section className="panel run-setup">
        {bundles.length === 0 ? (
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
                {bundles.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.evidenceId !== undefined ? `#${b.evidenceId} ` : ''}
                    {b.info.name} — {num(b.info.entryCount)} entries (claimed)
                  </option>
                ))}
              </select>
            </label>
            {w.case ? (
              <div className="field" data-testid="trust-used">
                <span className="field-label">Trusted keys: the case's, for {origin ?? 'the bundle'}'s log</span>
                <div className="key-chips">
                  {caseKeys.length === 0 ? (
                    <span className="muted">
                      none for this log —{' '}
                      <button
                        type="button"
                        className="link"
                        onClick={() => dispatch({ type: 'goto', screen: 'import' })}
                      >
                        trust its key
                      </button>
                    </span>
                  ) : null}
                  {caseKeys.map((k) => (
                    <span key={k.id} className={`chip${k.revokedAt ? ' off' : ' on'}`} data-fingerprint={k.fingerprint}>
                      {k.keyName ?? k.label} <span className="muted small">({k.role})</span>
                      {k.revokedAt ? <span className="muted small"> {grantStatus(k).text}</span> : null}
                    </span>
                  ))}
                </div>
                <span className="muted small">the run is recorded in the case</span>
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
                      {k.demo ? <span className="tag demo">DEMO</span> : null}
                    </label>
                  ))}
                </div>
                {demoWithReal ? (
                  <span className="warn-text small" role="note">
                    DEMO keys are ticked next to your own keys: untick them unless this is the sample.
                  </span>
                ) : null}
              </div>
            )}
            <div className="actions">
              <button
                type="button"
                className="primary big"
                onClick={() => void start()}
                disabled={!bundle || (keys.length === 0 && !inCase) || starting || current?.state === 'running'}
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

      {runs.filter((r) => r.key !== shownKey).length ? (
        <section aria-labelledby="runs-h">
          <h2 id="runs-h">{w.case ? 'Other runs of this case' : 'Earlier runs'}</h2>
          <ul className="run-list" data-testid="earlier-runs">
            {runs
              .filter((r) => r.key !== shownKey)
              .map((r) => (
                <li key={r.key}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => dispatch({ type: 'run.select', runId: r.key })}
                    data-run-key={r.key}
                  >
                    {r.caseRunId !== undefined ? `#${r.caseRunId} ` : ''}
                    {r.bundleName}
                  </button>{' '}
                  {r.verdict === 'PASS' || r.verdict === 'FAIL' || r.verdict === 'INCONCLUSIVE' ? (
                    <VerdictBadge verdict={r.verdict} />
                  ) : (
                    <span className="tag">{r.state}</span>
                  )}{' '}
                  <span className="muted small">
                    <When t={r.startedAt} />
                    {r.startedBy ? ` · ${r.startedBy}` : ''}
                  </span>
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
      <section className="panel notice" data-testid="run-cancelled" data-run-id={runKey(view)} role="status">
        <h2>Cancelled</h2>
        <p>The run of {baseName(view.bundle)} was stopped; nothing was judged. The evidence was not changed.</p>
      </section>
    );
  if (view.state === 'failed')
    return (
      <ErrorBox
        error={view.error ?? { code: 'INTERNAL', message: 'the run ended without a result' }}
        title="The bundle could not be verified"
      />
    );
  // Finished, the result on its way: not an error.
  if (!view.run)
    return (
      <section className="panel" role="status">
        Finishing…
      </section>
    );
  return <ResultView view={view} result={view.run.result} />;
}

function ProgressPanel({ view }: { view: RunView }) {
  const { w } = useWorkspace();
  const p = view.progress;
  const [cancelling, setCancelling] = useState(false);
  const total = p?.entriesTotal;
  const pct = p
    ? total && p.stage !== 'import'
      ? (100 * p.entriesDone) / Math.max(1, total)
      : (100 * p.bytesDone) / Math.max(1, p.bytesTotal)
    : 0;
  const stageIdx = p ? stageIndex(p.stage) : -1;
  const stages = STAGES.filter((s) => !s.inCase || view.caseId !== undefined);
  const maxWorker = Math.max(1, ...(p?.perWorker.map((x) => x.entries) ?? [1]));
  // Everything the examiner has waited for, not the current stage's own clock.
  const waited = Math.max(0, Date.now() - Date.parse(view.startedAt));
  return (
    <section
      className="panel progress"
      aria-labelledby="progress-h"
      data-testid="run-progress"
      data-run-id={view.runId}
      data-stage={p?.stage}
    >
      <header className="row-between">
        <h2 id="progress-h">
          Verifying {view.evidenceId !== undefined && w.case ? `#${view.evidenceId} ` : ''}
          {baseName(view.bundle)}
        </h2>
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
        {stages.map((s) => {
          const i = STAGES.indexOf(s);
          return (
            <li key={s.id} className={i < stageIdx ? 'done' : i === stageIdx ? 'active' : ''} data-stage={s.id}>
              {s.label}
            </li>
          );
        })}
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
        <dt>Stage time left</dt>
        <dd>{p?.etaMs !== undefined ? `about ${duration(p.etaMs)}` : 'estimating…'}</dd>
        <dt>Elapsed in all</dt>
        <dd>{duration(waited)}</dd>
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

/** How long the run took in all, and by stage: what the examiner waited for. */
function Durations({ view }: { view: RunView }) {
  const total =
    view.finishedAt !== undefined
      ? Date.parse(view.finishedAt) - Date.parse(view.startedAt)
      : view.run?.stats.elapsedMs;
  if (total === undefined) return null;
  const stages = (view.stages ?? []).filter((s) => s.stage !== 'done' && s.ms >= 1);
  return (
    <span data-testid="run-duration" data-ms={Math.round(total)}>
      {duration(total)} in all
      {stages.length ? ` (${stages.map((s) => `${STAGE_NAMES[s.stage]} ${duration(s.ms)}`).join(', ')})` : ''}
    </span>
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
  const key = runKey(view);
  const open = (index: number) => dispatch({ type: 'entry.open', runId: key, index });
  const first = r.diagnosis[0];
  const firstEntry = first ? causeEntry(first, r) : undefined;
  return (
    <div className="result" data-testid="run-result" data-run-id={key}>
      {view.changedSinceImport ? (
        <section className="panel notice-warn" role="alert" data-testid="changed-since-import">
          <b>This bundle changed after you imported it.</b> The run verified what is there now. Evidence digest when
          imported <Hash value={view.changedSinceImport.importedDigest} />, now{' '}
          <Hash value={view.changedSinceImport.digestNow} />. Import it again (into a case, where it cannot change) if
          this is the evidence you mean.
        </section>
      ) : null}
      <section className={`panel verdict-panel verdict-bg-${r.verdict.toLowerCase()}`} aria-live="polite">
        <VerdictBadge verdict={r.verdict} large />
        <div>
          <p className="verdict-sentence" data-testid="headline">
            {verdictSentence(r)}
          </p>
          <p className="muted small">
            {view.caseRunId !== undefined ? `Run #${view.caseRunId} of the case · ` : ''}
            {r.bundle.name} · origin {r.bundle.origin} · {num(r.bundle.entryCount)} entries · started{' '}
            <When t={view.startedAt} /> · <Durations view={view} />
            {view.run && view.run.stats.workers > 0 ? `, ${view.run.stats.workers} workers` : ''}
          </p>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => dispatch({ type: 'entry.open', runId: key, index: firstEntry ?? 0 })}
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
