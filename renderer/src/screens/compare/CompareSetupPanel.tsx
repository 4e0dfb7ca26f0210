/** Picking the two exports to compare, the keys that will be trusted, and the Compare button. */
import { ErrorBox } from '../../components/common.js';
import { baseName, num } from '../../format.js';
import type { ImportedBundle } from '../../state.js';
import type { CompareSetup } from './useCompareSetup.js';

export function CompareSetupPanel({ s }: { s: CompareSetup }) {
  return (
    <section className="panel">
      <div className="setup-grid">
        <BundleSelect label="Export A (older)" name="compare-a" value={s.a} onChange={s.setA} bundles={s.bundles} />
        <BundleSelect label="Export B (newer)" name="compare-b" value={s.b} onChange={s.setB} bundles={s.bundles} />
        <div className="actions">
          <button
            type="button"
            className="primary big"
            disabled={!s.canStart}
            onClick={() => void s.start()}
            data-testid="start-compare"
          >
            Compare
          </button>
        </div>
      </div>
      <p className="muted small" data-testid="compare-trust">
        <TrustNote s={s} />
      </p>
      <ErrorBox error={s.err} title="Comparison could not start" />
    </section>
  );
}

function BundleSelect({
  label,
  name,
  value,
  onChange,
  bundles,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (id: string) => void;
  bundles: readonly ImportedBundle[];
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">choose</option>
        {bundles.map((x) => (
          <option key={x.id} value={x.id}>
            {x.evidenceId !== undefined ? `#${x.evidenceId} ` : ''}
            {x.info.name} — {num(x.info.entryCount)} entries
          </option>
        ))}
      </select>
    </label>
  );
}

/** Which keys the comparison will trust: the case's for the log, or the ones ticked. */
function TrustNote({ s }: { s: CompareSetup }) {
  return s.inCase ? (
    <>
      Trusted keys: the case's for {s.origin ?? 'the log'} —{' '}
      {s.caseKeys.length
        ? s.caseKeys.map((k) => `${k.keyName ?? k.label} (${k.role})`).join(', ')
        : 'none: trust the log key on Import'}
      . The comparison is recorded in the case.
    </>
  ) : (
    <>
      Trusted keys:{' '}
      {s.keys.length
        ? s.keys.map((k) => k.info.name ?? baseName(k.info.label)).join(', ')
        : 'none ticked (tick them on Import or Verify)'}
    </>
  );
}
