/** The aligned entry diff (its first 200 operations) and the comparison's own findings. */
import type { DiffResult } from '../../../../shared/protocol/ipc.js';
import { num } from '../../format.js';

type EntryDiff = NonNullable<DiffResult['entryDiff']>;
type EntryOp = EntryDiff['ops'][number];

/** The fields a changed entry differs in, and how far they were compared. */
function changedFields(o: EntryOp): string {
  return o.op === 'changed'
    ? `${o.fields.join(', ')}${o.representationOnly ? ' (representation only)' : ''}${o.fieldsDepthLimit !== undefined ? ` (compared to depth ${o.fieldsDepthLimit})` : ''}`
    : '';
}

export function EntryDiffSection({ d }: { d: EntryDiff | undefined }) {
  if (!d) return null;
  return (
    <section className="panel">
      <h2>Entry diff (aligned by {d.alignBy})</h2>
      <p className="muted small">
        {num(d.counts.equal)} equal · {num(d.counts.changed)} changed · {num(d.counts.relinked)} re-linked only ·{' '}
        {num(d.counts.removed)} removed · {num(d.counts.inserted)} inserted
      </p>
      <table className="table small" data-testid="entry-diff">
        <thead>
          <tr>
            <th>Change</th>
            <th>A entry</th>
            <th>B entry</th>
            <th>Fields</th>
          </tr>
        </thead>
        <tbody>
          {d.ops.slice(0, 200).map((o, k) => (
            <tr key={k} data-op={o.op}>
              <td>{o.op}</td>
              <td>{'a' in o ? num(o.a.index) : ''}</td>
              <td>{'b' in o ? num(o.b.index) : ''}</td>
              <td className="mono">{changedFields(o)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CompareFindings({ findings }: { findings: DiffResult['findings'] }) {
  if (!findings.length) return null;
  return (
    <section className="panel">
      <h2>Findings of the comparison</h2>
      <ul className="findings compact">
        {findings.map((f, k) => (
          <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
            <code className="code">{f.code}</code> {f.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
