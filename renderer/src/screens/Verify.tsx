/**
 * Verify: pick a bundle and see the keys that will be trusted, run, watch every stage live
 * (with the import into the case before and the search index after), cancel. The verdict shown
 * is always the selected bundle's: its newest run, or the earlier run picked for it. The
 * verdict and the headline come first, then what the evidence shows (the diagnosis: each cause
 * with its entries and the findings under it, linked to the entry browser), then coverage and
 * checks.
 */
import type { RunView } from '../../../shared/protocol/ipc.js';
import { Empty, ErrorBox } from '../components/common.js';
import { baseName } from '../format.js';
import { bundlesOf, runKey, runsOf, useRunView, useWorkspace } from '../state.js';
import { EarlierRuns } from './verify/EarlierRuns.js';
import { ProgressPanel } from './verify/ProgressPanel.js';
import { ResultView } from './verify/ResultView.js';
import { BundlePicker, CaseTrustField, LocalTrustField } from './verify/RunSetup.js';
import { useVerifyStart } from './verify/useVerifyStart.js';

export { causeEntry } from './verify/causes.js';

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
