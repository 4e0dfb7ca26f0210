/** The import screen's heading: what importing does here (in a case or not) and the sample. */
import { useWorkspace } from '../../state.js';
import type { Busy } from './useKeyImport.js';

export function ImportHead({ busy, onSample }: { busy: Busy; onSample: () => void }) {
  const { w } = useWorkspace();
  return (
    <header className="screen-head">
      <h1 id="import-title">Import evidence and keys</h1>
      <p className="lede">
        Bundles are only read, never changed. Keys shipped inside a bundle are never trusted: import the keys you trust
        here.
        {w.case ? (
          <>
            {' '}
            Imports go into the case <b>{w.case.title}</b>: each item is copied into its evidence locker by its digest
            and journaled; keys are trusted in the case once you confirm them.
          </>
        ) : (
          ' No case is open: imports are kept for this session only.'
        )}
      </p>
      {w.app?.sample ? (
        <button
          type="button"
          className="secondary"
          onClick={onSample}
          disabled={busy !== undefined}
          data-testid="import-sample"
        >
          Use the bundled sample{w.case ? '' : ' (DEMO keys)'}
        </button>
      ) : null}
    </header>
  );
}
