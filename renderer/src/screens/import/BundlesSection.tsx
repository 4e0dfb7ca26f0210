/** The bundles imported so far, each with what was detected before anything is verified. */
import { digestLabel, Hash, When } from '../../components/common.js';
import { bytes, num } from '../../format.js';
import { type ImportedBundle, useWorkspace } from '../../state.js';

export function BundlesSection({ bundles }: { bundles: readonly ImportedBundle[] }) {
  return (
    <section aria-labelledby="bundles-h">
      <h2 id="bundles-h">Bundles ({bundles.length})</h2>
      {bundles.length === 0 ? <p className="muted">No bundle imported yet.</p> : null}
      <div className="cards">
        {bundles.map((b) => (
          <BundleCard key={b.id} b={b} />
        ))}
      </div>
    </section>
  );
}

function BundleCard({ b }: { b: ImportedBundle }) {
  const { w, dispatch } = useWorkspace();
  return (
    <article className={`card${w.selectedBundle === b.id ? ' selected' : ''}`} data-testid="bundle-card">
      <header>
        <h3>{b.info.name}</h3>
        <span className="tag">{b.info.container === 'tar' ? 'tar archive' : 'directory'}</span>
        {b.evidenceId !== undefined ? <span className="tag">evidence #{b.evidenceId}</span> : null}
      </header>
      <dl className="facts">
        <dt>Evidence digest</dt>
        <dd data-testid="evidence-digest" data-digest={b.info.digest}>
          <Hash value={b.info.digest} />
          <div className="muted small">{digestLabel(b.info.digestOf)}</div>
        </dd>
        <dt>Format</dt>
        <dd>{b.info.format}</dd>
        <dt>Origin</dt>
        <dd>{b.info.origin}</dd>
        <dt>Entries</dt>
        <dd data-testid="entry-count">
          {num(b.info.entryCount)} <span className="muted small">claimed by the manifest, not yet verified</span>
          {b.info.entriesBytes ? <span className="muted small"> · {bytes(b.info.entriesBytes)}</span> : null}
        </dd>
        <dt>Checkpoints</dt>
        <dd>
          {b.info.checkpoints.length === 0
            ? 'none'
            : b.info.checkpoints.every((c) => c.size === undefined)
              ? `${num(b.info.checkpoints.length)} (claimed)`
              : `${b.info.checkpoints.map((c) => (c.size !== undefined ? num(c.size) : '?')).join(', ')} (claimed sizes)`}
        </dd>
        <dt>Size</dt>
        <dd>
          {bytes(b.info.sizeBytes)}
          {b.info.fileCount !== undefined ? (
            <span className="muted small"> · {num(b.info.fileCount)} files</span>
          ) : null}
        </dd>
        {b.importedAt ? (
          <>
            <dt>Imported</dt>
            <dd className="small">
              <When t={b.importedAt} /> by {b.importedBy}
            </dd>
          </>
        ) : null}
        {b.info.created ? (
          <>
            <dt>Created</dt>
            <dd>{b.info.created} (claimed)</dd>
          </>
        ) : null}
      </dl>
      <footer>
        <span className="muted path" title={b.info.path}>
          {b.info.path}
        </span>
        <button
          type="button"
          className="primary"
          onClick={() => {
            dispatch({ type: 'bundle.select', id: b.id });
            dispatch({ type: 'goto', screen: 'verify' });
          }}
        >
          Verify…
        </button>
        {b.evidenceId === undefined ? (
          <button type="button" className="link" onClick={() => dispatch({ type: 'bundle.remove', id: b.id })}>
            Remove
          </button>
        ) : null}
      </footer>
    </article>
  );
}
