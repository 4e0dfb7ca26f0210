/** Verify's setup: the bundle, the keys that will be trusted (the case's, or the ones ticked). */
import type { CaseKeyView } from '../../../../shared/protocol/ipc.js';
import { grantStatus } from '../../components/Trust.js';
import { baseName, num } from '../../format.js';
import { type ImportedBundle, type ImportedKey, useWorkspace } from '../../state.js';

export function BundlePicker({ bundles }: { bundles: readonly ImportedBundle[] }) {
  const { w, dispatch } = useWorkspace();
  return (
    <label className="field">
      <span className="field-label">Bundle</span>
      <select
        value={w.selectedBundle ?? ''}
        onChange={(e) => dispatch({ type: 'bundle.select', id: e.target.value })}
        name="bundle"
      >
        <option value="" disabled>
          choose a bundle
        </option>
        {bundles.map((b) => (
          <option key={b.id} value={b.id}>
            {b.evidenceId !== undefined ? `#${b.evidenceId} ` : ''}
            {b.info.name} — {num(b.info.entryCount)} entries (claimed)
          </option>
        ))}
      </select>
    </label>
  );
}

/** In a case, the case's keys for the bundle's log decide; revoked ones are shown as such. */
export function CaseTrustField({ origin, caseKeys }: { origin: string | undefined; caseKeys: readonly CaseKeyView[] }) {
  const { dispatch } = useWorkspace();
  return (
    <div className="field" data-testid="trust-used">
      <span className="field-label">Trusted keys: the case's, for {origin ?? 'the bundle'}'s log</span>
      <div className="key-chips">
        {caseKeys.length === 0 ? (
          <span className="muted">
            none for this log —{' '}
            <button type="button" className="link" onClick={() => dispatch({ type: 'goto', screen: 'import' })}>
              trust its key
            </button>
          </span>
        ) : null}
        {caseKeys.map((k) => (
          <span key={k.id} className={`chip${k.revokedAt ? ' off' : ' on'}`} data-fingerprint={k.fingerprint}>
            {k.keyName ?? k.label} <span className="muted small">({k.role})</span>
            {k.revokedAt ? <span className="muted small"> {grantStatus(k).text}</span> : null}
          </span>
        ))}
      </div>
      <span className="muted small">the run is recorded in the case</span>
    </div>
  );
}

/** Without a case, the keys imported in this window, each ticked on or off. */
export function LocalTrustField({ keys, demoWithReal }: { keys: readonly ImportedKey[]; demoWithReal: boolean }) {
  const { w, dispatch } = useWorkspace();
  return (
    <div className="field">
      <span className="field-label">
        Trusted keys ({keys.length} of {w.keys.length})
      </span>
      <div className="key-chips">
        {w.keys.length === 0 ? (
          <span className="muted">none imported — nothing can be verified without one</span>
        ) : null}
        {w.keys.map((k) => (
          <label key={k.id} className={`chip${k.use ? ' on' : ''}`}>
            <input type="checkbox" checked={k.use} onChange={() => dispatch({ type: 'key.toggle', id: k.id })} />
            {k.info.name ?? baseName(k.info.label)} <span className="muted small">({k.info.roles.join(', ')})</span>
            {k.demo ? <span className="tag demo">DEMO</span> : null}
          </label>
        ))}
      </div>
      {demoWithReal ? (
        <span className="warn-text small" role="note">
          DEMO keys are ticked next to your own keys: untick them unless this is the sample.
        </span>
      ) : null}
    </div>
  );
}
