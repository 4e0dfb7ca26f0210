/** The trust dialog's fields: role, the log it is trusted for, validity window and label. */
import type { KeyRole } from '../../../../shared/protocol/ipc.js';
import { Field } from '../common.js';
import { ANY_ORIGIN, OTHER_ORIGIN, type TrustForm } from './useTrustForm.js';

const ROLE_TEXT: Record<KeyRole, string> = {
  log: 'log key: signs checkpoints',
  witness: 'witness: cosigns checkpoints',
  entry: 'event source: signs entries',
};

export function RoleField({ form }: { form: TrustForm }) {
  return (
    <Field label="Trusted as">
      <select
        name="trust-role"
        value={form.role}
        onChange={(e) => form.setRole(e.target.value as KeyRole)}
        disabled={form.fixedRole !== undefined}
      >
        {(['log', 'witness', 'entry'] as const).map((r) => (
          <option key={r} value={r}>
            {ROLE_TEXT[r]}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function OriginFields({ form }: { form: TrustForm }) {
  return (
    <>
      <Field label="For which log" hint="a key trusted for one log never verifies another">
        <select name="trust-origin" value={form.scope} onChange={(e) => form.setScope(e.target.value)}>
          {form.origins.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          <option value={ANY_ORIGIN}>any log (every origin)</option>
          <option value={OTHER_ORIGIN}>another origin…</option>
        </select>
      </Field>
      {form.scope === OTHER_ORIGIN ? (
        <Field label="Origin">
          <input name="trust-origin-custom" value={form.custom} onChange={(e) => form.setCustom(e.target.value)} />
        </Field>
      ) : null}
    </>
  );
}

export function WindowFields({ form }: { form: TrustForm }) {
  return (
    <div className="two-col tight">
      <Field label="Valid from (UTC, optional)">
        <input
          type="datetime-local"
          step={1}
          name="trust-from"
          value={form.from}
          onChange={(e) => form.setFrom(e.target.value)}
        />
      </Field>
      <Field label="Valid until (UTC, optional)">
        <input
          type="datetime-local"
          step={1}
          name="trust-until"
          value={form.until}
          onChange={(e) => form.setUntil(e.target.value)}
        />
      </Field>
    </div>
  );
}
