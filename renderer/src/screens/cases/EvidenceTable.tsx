/** The case's evidence: each item with its evidence digest, size and who imported it when. */
import type { CaseEvidenceView } from '../../../../shared/protocol/ipc.js';
import { digestLabel, Hash, When } from '../../components/common.js';
import { bytes, num } from '../../format.js';

function evidenceDigestOf(container: 'file' | 'directory', bundleContainer?: 'directory' | 'tar') {
  return container === 'directory' ? 'tree' : bundleContainer === 'tar' ? 'archive' : 'file';
}

export function EvidenceSection({ evidence }: { evidence: readonly CaseEvidenceView[] }) {
  return (
    <section className="panel">
      <h2>Evidence ({evidence.length})</h2>
      {evidence.length === 0 ? <p className="muted">Nothing imported yet.</p> : null}
      {evidence.length ? (
        <table className="table" data-testid="case-evidence">
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Name</th>
              <th>Evidence digest</th>
              <th>Size</th>
              <th>Imported</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e) => (
              <EvidenceRow key={e.id} e={e} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function EvidenceRow({ e }: { e: CaseEvidenceView }) {
  return (
    <tr data-evidence-id={e.id}>
      <td>{e.id}</td>
      <td>{e.kind}</td>
      <td title={e.originalPath}>
        {e.name}
        <div className="muted small wrap-anywhere">{e.originalPath}</div>
      </td>
      <td>
        <Hash value={e.digest} />
        <div className="muted small">{digestLabel(evidenceDigestOf(e.container, e.bundle?.container))}</div>
      </td>
      <td>
        {bytes(e.size)}
        {e.container === 'directory' ? <div className="muted small">{num(e.fileCount)} files</div> : null}
      </td>
      <td className="small">
        <When t={e.importedAt} />
        <div className="muted">by {e.importedBy}</div>
      </td>
    </tr>
  );
}
