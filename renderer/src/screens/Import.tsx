/**
 * Import: bundles (directory or .tar) and keys, by drag and drop, file dialog, typed path or
 * pasted key text. Shows what was detected before anything is verified: the evidence digest
 * (the one the case journal and the report name) and what the manifest claims. Nothing is
 * modified: the backend only reads.
 *
 * In a case, what is not a bundle is never stored unasked: the examiner decides whether it is
 * kept as other evidence. A key is trusted only after the examiner confirms its fingerprint,
 * role, origin and window (TrustDialog); trusted keys are revoked, not removed.
 */
import { RevokeDialog, TrustDialog } from '../components/Trust.js';
import { bundlesOf, useWorkspace } from '../state.js';
import { BundlePanel } from './import/BundlePanel.js';
import { BundlesSection } from './import/BundlesSection.js';
import { ImportHead } from './import/ImportHead.js';
import { KeyPanel } from './import/KeyPanel.js';
import { KeysSection } from './import/KeysSection.js';
import { useImportScreen } from './import/useImportScreen.js';

export function ImportScreen() {
  const { w } = useWorkspace();
  const { busy, bundle, key, revoking, setRevoking, importSample, choose, drop } = useImportScreen();
  return (
    <section className="screen" aria-labelledby="import-title">
      <ImportHead busy={busy} onSample={() => void importSample()} />

      <div className="two-col">
        <BundlePanel
          bundle={bundle}
          busy={busy}
          onDrop={(e) => void drop('bundle', e)}
          onChoose={() => void choose('bundle')}
        />
        <KeyPanel keyImport={key} busy={busy} onDrop={(e) => void drop('key', e)} onChoose={() => void choose('key')} />
      </div>

      {key.confirm ? (
        <TrustDialog
          keyRef={key.confirm.ref}
          info={key.confirm.info}
          onDone={() => key.setConfirm(undefined)}
          onCancel={() => key.setConfirm(undefined)}
        />
      ) : null}
      {revoking ? (
        <RevokeDialog k={revoking} onDone={() => setRevoking(undefined)} onCancel={() => setRevoking(undefined)} />
      ) : null}

      <BundlesSection bundles={bundlesOf(w)} />
      <KeysSection onRevoke={setRevoking} />
    </section>
  );
}
