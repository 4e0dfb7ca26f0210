/**
 * The keys a run may trust: in a case, its grants (revoked, never deleted); outside one, the
 * keys of this session, each ticked or not.
 */
import type { CaseKeyView } from '../../../../shared/protocol/ipc.js';
import { Hash } from '../../components/common.js';
import { grantStatus } from '../../components/Trust.js';
import { baseName } from '../../format.js';
import { type ImportedKey, useWorkspace } from '../../state.js';

export function KeysSection({ onRevoke }: { onRevoke: (k: CaseKeyView) => void }) {
  const { w } = useWorkspace();
  return (
    <section aria-labelledby="keys-h">
      {w.case ? <CaseKeys keys={w.case.keys} onRevoke={onRevoke} /> : <SessionKeys keys={w.keys} />}
    </section>
  );
}

function CaseKeys({ keys, onRevoke }: { keys: readonly CaseKeyView[]; onRevoke: (k: CaseKeyView) => void }) {
  return (
    <>
      <h2 id="keys-h">Keys trusted in this case ({keys.length})</h2>
      <p className="muted small">
        Runs of the case use exactly these grants, each for its log and role. A grant is never deleted: revoke it (from
        a time on) or untrust it (entirely), with a reason the journal keeps.
      </p>
      {keys.length === 0 ? (
        <p className="muted">No key trusted yet. Without a trusted key nothing can be verified.</p>
      ) : (
        <table className="table" data-testid="keys-table">
          <thead>
            <tr>
              <th>Key</th>
              <th>Role</th>
              <th>For</th>
              <th>Fingerprint (SHA-256 of SPKI)</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <CaseKeyRow key={k.id} k={k} onRevoke={onRevoke} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CaseKeyRow({ k, onRevoke }: { k: CaseKeyView; onRevoke: (k: CaseKeyView) => void }) {
  const st = grantStatus(k);
  return (
    <tr data-fingerprint={k.fingerprint}>
      <td>
        <b>{k.keyName ?? k.label}</b>
        {k.keyName ? <div className="muted small">{k.label}</div> : null}
      </td>
      <td data-testid="key-roles">{k.role}</td>
      <td>{k.origin ?? 'any log'}</td>
      <td>
        <Hash value={k.fingerprint} />
      </td>
      <td>
        <span className={`status status-${st.tone}`} data-testid="key-status">
          {st.text}
        </span>
        {k.revocationReason ? <div className="muted small">{k.revocationReason}</div> : null}
      </td>
      <td>
        {!k.revokedAt ? (
          <button type="button" className="link" onClick={() => onRevoke(k)}>
            Revoke…
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function SessionKeys({ keys }: { keys: readonly ImportedKey[] }) {
  return (
    <>
      <h2 id="keys-h">Keys ({keys.length})</h2>
      <p className="muted small">
        Only ticked keys are trusted by a run; Remove forgets a key. DEMO keys (the bundled sample's) are never ticked
        next to a key of yours.
      </p>
      {keys.length === 0 ? (
        <p className="muted">No key imported yet. Without a trusted key nothing can be verified.</p>
      ) : null}
      {keys.length ? (
        <table className="table" data-testid="keys-table">
          <thead>
            <tr>
              <th>Trust</th>
              <th>Key</th>
              <th>Role</th>
              <th>Format</th>
              <th>Fingerprint (SHA-256 of SPKI)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <SessionKeyRow key={k.id} k={k} />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function SessionKeyRow({ k }: { k: ImportedKey }) {
  const { dispatch } = useWorkspace();
  return (
    <tr data-demo={k.demo ? 'true' : undefined}>
      <td>
        <input
          type="checkbox"
          checked={k.use}
          onChange={() => dispatch({ type: 'key.toggle', id: k.id })}
          aria-label={`trust ${k.info.name ?? k.info.label}`}
        />
      </td>
      <td>
        <b>{k.info.name ?? baseName(k.info.label)}</b> {k.demo ? <span className="tag demo">DEMO</span> : null}
        {k.info.name ? <div className="muted small">{k.info.label}</div> : null}
      </td>
      <td data-testid="key-roles">{k.info.roles.join(', ')}</td>
      <td>{k.info.format}</td>
      <td>
        <Hash value={k.info.fingerprint} />
      </td>
      <td>
        <button type="button" className="link" onClick={() => dispatch({ type: 'key.remove', id: k.id })}>
          Remove
        </button>
      </td>
    </tr>
  );
}
