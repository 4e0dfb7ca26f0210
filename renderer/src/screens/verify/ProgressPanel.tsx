/**
 * A run while it goes: every stage (the import into the case before and the search index after
 * in a case), the progress of the current one, its speed and time left, each worker's share,
 * and Cancel.
 */
import { useState } from 'react';
import type { RunProgress, RunStage, RunView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { baseName, bytes, duration, num } from '../../format.js';
import { useWorkspace } from '../../state.js';

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

/** Per cent done of the current stage: by entries once they are counted (the import has none), else by bytes. */
function percentDone(p: RunProgress | undefined): number {
  const total = p?.entriesTotal;
  return p
    ? total && p.stage !== 'import'
      ? (100 * p.entriesDone) / Math.max(1, total)
      : (100 * p.bytesDone) / Math.max(1, p.bytesTotal)
    : 0;
}

export function ProgressPanel({ view }: { view: RunView }) {
  const { w } = useWorkspace();
  const p = view.progress;
  const pct = percentDone(p);
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
        <CancelButton runId={view.runId} />
      </header>
      <StageList current={p?.stage} inCase={view.caseId !== undefined} />
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <div style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <ProgressStats p={p} startedAt={view.startedAt} />
      {p?.perWorker.length ? <WorkerBars perWorker={p.perWorker} /> : null}
    </section>
  );
}

function CancelButton({ runId }: { runId: string }) {
  const [cancelling, setCancelling] = useState(false);
  return (
    <button
      type="button"
      className="danger"
      disabled={cancelling}
      onClick={() => {
        setCancelling(true);
        void call('verify.cancel', { runId }).catch(() => setCancelling(false));
      }}
      data-testid="cancel-run"
    >
      {cancelling ? 'Cancelling…' : 'Cancel'}
    </button>
  );
}

/** The stages, those before the current one done; a case's own stages only in a case. */
function StageList({ current, inCase }: { current: RunStage | undefined; inCase: boolean }) {
  const stageIdx = current ? stageIndex(current) : -1;
  const stages = STAGES.filter((s) => !s.inCase || inCase);
  return (
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
  );
}

function ProgressStats({ p, startedAt }: { p: RunProgress | undefined; startedAt: string }) {
  const total = p?.entriesTotal;
  // Everything the examiner has waited for, not the current stage's own clock.
  const waited = Math.max(0, Date.now() - Date.parse(startedAt));
  return (
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
  );
}

/** Each worker's entries in its current job, as a bar against the busiest worker's. */
function WorkerBars({ perWorker }: { perWorker: RunProgress['perWorker'] }) {
  const maxWorker = Math.max(1, ...perWorker.map((x) => x.entries));
  return (
    <div className="workers">
      {[...perWorker]
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
  );
}
