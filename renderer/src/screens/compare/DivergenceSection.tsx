/** Where the exports part: the first divergent entry, with the entries around it from each side. */
import type { DiffResult, EntryView } from '../../../../shared/protocol/ipc.js';
import { num } from '../../format.js';

export function DivergenceSection({ r }: { r: DiffResult }) {
  if (!r.divergence) return null;
  return (
    <section className="panel" data-testid="divergence">
      <h2>
        First divergent entry: <span data-testid="divergent-index">{num(r.divergence.index)}</span>
      </h2>
      <div className="two-col">
        <EntryColumn title={`A: ${r.a.name}`} entries={r.divergence.context.a} at={r.divergence.index} />
        <EntryColumn title={`B: ${r.b.name}`} entries={r.divergence.context.b} at={r.divergence.index} />
      </div>
    </section>
  );
}

function EntryColumn({ title, entries, at }: { title: string; entries: readonly EntryView[]; at: number }) {
  return (
    <div>
      <h3>{title}</h3>
      <ol className="diff-entries">
        {entries.map((e) => (
          <li key={e.index} className={e.index === at ? 'divergent' : ''}>
            <span className="muted small">entry {num(e.index)}</span>
            <pre className="raw">{e.text ?? '(not UTF-8)'}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
