/**
 * A finished run's result: the verdict and headline first, then the diagnosis (each cause with
 * the findings under it), coverage and checks, then the findings no cause took.
 */
import { useState } from 'react';
import { CAUSE_LABELS } from '../../../../shared/present/labels.js';
import type { RunView } from '../../../../shared/protocol/ipc.js';
import type { Finding } from '../../../../shared/verdict/findings.js';
import type { VerificationResult } from '../../../../shared/verdict/result.js';
import { Hash, VerdictBadge, When } from '../../components/common.js';
import { num } from '../../format.js';
import { runKey, useWorkspace } from '../../state.js';
import { causeEntry, DiagnosisSection } from './causes.js';
import { ChecksSection, CoverageSection } from './coverage.js';
import { Durations } from './durations.js';
import { FindingItem, locationText } from './findings.js';

/** The result's own headline: the same sentence the CLI prints and the PDF carries on page 1. */
function verdictSentence(r: VerificationResult): string {
  return r.headline;
}

/** The findings no cause of the diagnosis lists: problems, and informational notes apart. */
function unexplainedFindings(r: VerificationResult): { others: Finding[]; infos: Finding[] } {
  const under = new Set(r.diagnosis.flatMap((c) => c.findings));
  const others = r.findings.filter((f, i) => !under.has(i) && f.severity !== 'info');
  const infos = r.findings.filter((f, i) => !under.has(i) && f.severity === 'info');
  return { others, infos };
}

export function ResultView({ view, result: r }: { view: RunView; result: VerificationResult }) {
  const { dispatch } = useWorkspace();
  const { others, infos } = unexplainedFindings(r);
  const key = runKey(view);
  const open = (index: number) => dispatch({ type: 'entry.open', runId: key, index });
  return (
    <div className="result" data-testid="run-result" data-run-id={key}>
      {view.changedSinceImport ? <ChangedSinceImport changed={view.changedSinceImport} /> : null}
      <VerdictSummary view={view} r={r} runId={key} />

      <DiagnosisSection r={r} onOpen={open} />

      <div className="two-col">
        <CoverageSection r={r} />
        <ChecksSection r={r} />
      </div>

      <OtherFindings others={others} onOpen={open} />
      <InfoNotes infos={infos} />
      {Object.keys(r.findingsOmitted).length ? (
        <p className="muted small">
          More findings were counted but not listed (over the per-code limit); the result lists how many of each.
        </p>
      ) : null}
    </div>
  );
}

function ChangedSinceImport({ changed }: { changed: NonNullable<RunView['changedSinceImport']> }) {
  return (
    <section className="panel notice-warn" role="alert" data-testid="changed-since-import">
      <b>This bundle changed after you imported it.</b> The run verified what is there now. Evidence digest when
      imported <Hash value={changed.importedDigest} />, now <Hash value={changed.digestNow} />. Import it again (into a
      case, where it cannot change) if this is the evidence you mean.
    </section>
  );
}

/** The verdict, the headline, what was run when, and the way to the first problem's entry. */
function VerdictSummary({ view, r, runId }: { view: RunView; r: VerificationResult; runId: string }) {
  const { dispatch } = useWorkspace();
  const first = r.diagnosis[0];
  const firstEntry = first ? causeEntry(first, r) : undefined;
  return (
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
        onClick={() => dispatch({ type: 'entry.open', runId, index: firstEntry ?? 0 })}
        disabled={!view.browsable}
        data-testid="show-first-problem"
      >
        {firstEntry !== undefined && first
          ? `Show entry ${num(firstEntry)} (${CAUSE_LABELS[first.cause].toLowerCase()})`
          : 'Browse entries'}
      </button>
    </section>
  );
}

function OtherFindings({ others, onOpen }: { others: readonly Finding[]; onOpen: (i: number) => void }) {
  if (!others.length) return null;
  return (
    <section className="panel" aria-labelledby="findings-h">
      <h2 id="findings-h">Other findings ({num(others.length)})</h2>
      <ul className="findings" data-testid="findings">
        {others.slice(0, 500).map((f, k) => (
          <FindingItem key={k} f={f} onOpen={onOpen} />
        ))}
      </ul>
    </section>
  );
}

/** Informational notes, folded away until asked for. */
function InfoNotes({ infos }: { infos: readonly Finding[] }) {
  const [showInfo, setShowInfo] = useState(false);
  return (
    <>
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
    </>
  );
}
