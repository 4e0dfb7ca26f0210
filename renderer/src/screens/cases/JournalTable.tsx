/** The custody journal: every action in the case, each row hash-chained to the one before it. */
import type { JournalRowView } from '../../../../shared/protocol/ipc.js';
import { When } from '../../components/common.js';
import { shortHash } from '../../format.js';
import { useWorkspace } from '../../state.js';

export function JournalSection({ journal }: { journal: readonly JournalRowView[] | undefined }) {
  const { w } = useWorkspace();
  return (
    <section className="panel">
      <h2>Custody journal</h2>
      <p className="muted small">
        Every action in this case, each row hash-chained to the one before it. Times in{' '}
        {w.zone === 'UTC' ? 'UTC' : 'local time (the journal stores UTC)'}.
      </p>
      <table className="table small" data-testid="case-journal">
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Who</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Row hash</th>
          </tr>
        </thead>
        <tbody>
          {(journal ?? []).map((j) => (
            <JournalRow key={j.seq} j={j} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function JournalRow({ j }: { j: JournalRowView }) {
  return (
    <tr data-action={j.action}>
      <td>{j.seq}</td>
      <td className="nowrap">
        <When t={j.at} />
      </td>
      <td>{j.actor}</td>
      <td>
        <code>{j.action}</code>
      </td>
      <td className="small" data-testid="journal-subject">
        {j.subject ? <code>{j.subject}</code> : null} <span className="wrap-anywhere">{j.summary}</span>
      </td>
      <td>
        <code title={j.hash}>{shortHash(j.hash, 8)}</code>
      </td>
    </tr>
  );
}
