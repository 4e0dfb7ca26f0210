/** The case's trusted keys: role, scope, validity window and status, each revocable while in force. */
import type { CaseKeyView } from '../../../../shared/protocol/ipc.js';
import { Hash, When } from '../../components/common.js';
import { grantStatus } from '../../components/Trust.js';

export function KeysSection({ keys, onRevoke }: { keys: readonly CaseKeyView[]; onRevoke: (k: CaseKeyView) => void }) {
  return (
    <section className="panel">
      <h2>Trusted keys ({keys.length})</h2>
      {keys.length === 0 ? (
        <p className="muted">No key trusted yet: import the log's public key on Import.</p>
      ) : (
        <table className="table small" data-testid="case-keys">
          <thead>
            <tr>
              <th>Key</th>
              <th>Fingerprint</th>
              <th>Role</th>
              <th>For</th>
              <th>Valid</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <KeyRow key={k.id} k={k} onRevoke={onRevoke} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function validity(k: CaseKeyView): string {
  return k.validFrom || k.validUntil ? `${k.validFrom ?? '−∞'} … ${k.validUntil ?? '+∞'}` : 'always';
}

function KeyRow({ k, onRevoke }: { k: CaseKeyView; onRevoke: (k: CaseKeyView) => void }) {
  const st = grantStatus(k);
  return (
    <tr data-fingerprint={k.fingerprint} data-status={st.text.split(' ')[0]}>
      <td>
        <b>{k.keyName ?? k.label}</b>
        <div className="muted">
          trusted <When t={k.trustedAt} /> by {k.trustedBy}
        </div>
      </td>
      <td>
        <Hash value={k.fingerprint} />
      </td>
      <td>{k.role}</td>
      <td>{k.origin ?? 'any log'}</td>
      <td>{validity(k)}</td>
      <td>
        <span className={`status status-${st.tone}`}>{st.text}</span>
        {k.revocationReason ? <div className="muted">{k.revocationReason}</div> : null}
      </td>
      <td>
        {!k.revokedAt ? (
          <button type="button" className="link" onClick={() => onRevoke(k)} data-testid="revoke-key">
            Revoke…
          </button>
        ) : null}
      </td>
    </tr>
  );
}
