/** Importing a bundle: drop, choose or type its path; in a case, decide about what is not a bundle. */
import type { DragEvent } from 'react';
import { ErrorBox, Field } from '../../components/common.js';
import { baseName } from '../../format.js';
import { DropZone } from './DropZone.js';
import type { BundleImport, NotBundle } from './useBundleImport.js';
import type { Busy } from './useKeyImport.js';

export function BundlePanel({
  bundle,
  busy,
  onDrop,
  onChoose,
}: {
  bundle: BundleImport;
  busy: Busy;
  onDrop: (e: DragEvent) => void;
  onChoose: () => void;
}) {
  return (
    <section className="panel" aria-labelledby="bundle-h">
      <h2 id="bundle-h">Evidence bundle</h2>
      <DropZone testId="bundle-drop" onDrop={onDrop} onChoose={onChoose}>
        Drop a bundle folder or .tar archive here
      </DropZone>
      <form onSubmit={bundle.submit} className="inline-form">
        <Field label="or its path">
          <input
            name="bundle-path"
            value={bundle.path}
            onChange={(e) => bundle.setPath(e.target.value)}
            placeholder="/evidence/export-2026-11 or …/export.tar"
            spellCheck={false}
          />
        </Field>
        <button type="submit" className="primary" disabled={!bundle.path.trim() || busy !== undefined}>
          {busy === 'bundle' ? 'Importing…' : 'Import bundle'}
        </button>
      </form>
      <ErrorBox error={bundle.err} title="Bundle not imported" />
      {bundle.notBundle ? (
        <NotBundleNotice
          notBundle={bundle.notBundle}
          busy={busy}
          onStore={() => void bundle.storeAsOther()}
          onDismiss={() => bundle.setNotBundle(undefined)}
        />
      ) : null}
      {bundle.stored ? (
        <p className="small notice-ok" role="status">
          {bundle.stored}
        </p>
      ) : null}
    </section>
  );
}

/** Nothing was stored: the examiner decides whether the case keeps it as other evidence. */
function NotBundleNotice({
  notBundle,
  busy,
  onStore,
  onDismiss,
}: {
  notBundle: NotBundle;
  busy: Busy;
  onStore: () => void;
  onDismiss: () => void;
}) {
  return (
    <div className="panel notice-warn" role="alertdialog" data-testid="not-a-bundle">
      <b>{baseName(notBundle.path)} is not a bundle</b>
      <p className="small">{notBundle.why}</p>
      <p className="small">
        Nothing was stored. Keep it in the case anyway as other evidence (copied into the locker by its digest and
        journaled)?
      </p>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={onStore}
          disabled={busy !== undefined}
          data-testid="store-as-other"
        >
          Store as other evidence
        </button>
        <button type="button" className="link" onClick={onDismiss}>
          Do not store it
        </button>
      </div>
    </div>
  );
}
