/**
 * Verify: pick a bundle and see the keys that will be trusted, run, watch every stage live
 * (with the import into the case before and the search index after), cancel. The verdict shown
 * is always the selected bundle's: its newest run, or the earlier run picked for it. The
 * verdict and the headline come first, then what the evidence shows (the diagnosis: each cause
 * with its entries and the findings under it, linked to the entry browser), then coverage and
 * checks.
 */
import { useState } from 'react';
import type { RunStage, RunView } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { Empty, ErrorBox } from '../components/common.js';
import { baseName, bytes, duration, num } from '../format.js';
import { bundlesOf, runKey, runsOf, useRunView, useWorkspace } from '../state.js';
import { EarlierRuns } from './verify/EarlierRuns.js';
import { ResultView } from './verify/ResultView.js';
import { BundlePicker, CaseTrustField, LocalTrustField } from './verify/RunSetup.js';
import { useVerifyStart } from './verify/useVerifyStart.js';

export { causeEntry } from './verify/causes.js';

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

function stageIndex(stage: RunStage): number {
  return STAGES.findIndex((s) => s.id === (stage === 'open' ? 'digest' : stage));
}

export function VerifyScreen() {
  const { w } = useWorkspace();
  const bundles = bundlesOf(w);
  const bundle = bundles.find((b) => b.id === w.selectedBundle);
  const keys = w.keys.filter((k) => k.use);
  const runs = runsOf(w);
  const currentItem = runs.find((r) => r.key === w.currentRun);
  // The verdict shown belongs to the bundle in the selector, never to another one.
  const shownKey = currentItem && currentItem.bundleId === bundle?.id ? currentItem.key : undefined;
  const current = useRunView(shownKey);
  const inCase = w.case !== undefined && bundle?.evidenceId !== undefined;
  const { err, starting, start } = useVerifyStart(bundle, inCase, keys);
  const origin = bundle?.info.origin;
  const caseKeys = (w.case?.keys ?? []).filter((k) => k.origin === null || k.origin === origin);
  const demoWithReal = !inCase && keys.some((k) => k.demo) && keys.some((k) => !k.demo);

  return (
    <section className="screen" aria-labelledby="verify-title">
      <header className="screen-head">
        <h1 id="verify-title">Verify</h1>
      </header>
      <section className="panel run-setup">
        {bundles.length === 0 ? (
          <NoBundle />
        ) : (
          <div className="setup-grid">
            <BundlePicker bundles={bundles} />
            {w.case ? (
              <CaseTrustField origin={origin} caseKeys={caseKeys} />
            ) : (
              <LocalTrustField keys={keys} demoWithReal={demoWithReal} />
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

      <EarlierRuns runs={runs} shownKey={shownKey} />
    </section>
  );
}

function NoBundle() {
  const { dispatch } = useWorkspace();
  return (
    <Empty title="No bundle yet">
      <p>
        Import a bundle first.{' '}
        <button type="button" className="link" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
          Go to Import
        </button>
      </p>
    </Empty>
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
