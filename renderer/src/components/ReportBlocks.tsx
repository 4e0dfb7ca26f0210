/** Draws a ReportDocument (shared/report/document.ts) as HTML: the same blocks the PDF is drawn from. */
import { assertNever } from '../../../shared/protocol/ipc.js';
import type { Block, Cell } from '../../../shared/report/document.js';

function cell(c: Cell) {
  if (typeof c === 'string') return c;
  const runs = 'runs' in c ? c.runs : [c];
  return runs.map((r, k) => (
    <div key={k} className={`tone-${r.tone ?? 'neutral'}${r.mono ? ' mono' : ''}${r.muted ? ' muted' : ''}`}>
      {r.bold ? <b>{r.text}</b> : r.text}
    </div>
  ));
}

function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case 'banner':
      return (
        <div className={`rb-banner tone-bg-${b.tone}`}>
          <b>{b.label}</b>
          <p>{b.headline}</p>
          {b.lines.map((l, k) => (
            <p key={k} className="small">
              {l}
            </p>
          ))}
        </div>
      );
    case 'heading':
      return <h3 className="rb-h">{b.text}</h3>;
    case 'subheading':
      return <h4 className="rb-sh">{b.text}</h4>;
    case 'paragraph':
      return <p className={`${b.muted ? 'muted ' : ''}${b.mono ? 'mono' : ''}`}>{b.text}</p>;
    case 'fields':
      return (
        <dl className="facts">
          {b.rows.map((f, k) => (
            <div key={k} className="contents">
              <dt>{f.label}</dt>
              <dd className={`${f.mono ? 'mono ' : ''}tone-${f.tone ?? 'neutral'}`}>{f.value}</dd>
            </div>
          ))}
        </dl>
      );
    case 'table':
      return b.rows.length === 0 ? (
        <p className="muted">{b.empty ?? 'none'}</p>
      ) : (
        <table className="table small">
          <thead>
            <tr>
              {b.columns.map((c, k) => (
                <th key={k}>{c.title}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.rows.slice(0, 200).map((r, k) => (
              <tr key={k}>
                {r.map((c, j) => (
                  <td key={j} className={b.columns[j]?.mono ? 'mono' : ''}>
                    {cell(c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'findings':
      return (
        <ul className="findings compact">
          {b.items.slice(0, 100).map((f, k) => (
            <li
              key={k}
              className={`finding sev-${f.tone === 'fail' ? 'error' : f.tone === 'warn' ? 'warning' : 'info'}`}
            >
              <code className="code">{f.code}</code> <span className="muted small">{f.location}</span>
              <p>{f.message}</p>
            </li>
          ))}
        </ul>
      );
    case 'pageBreak':
      return <hr />;
    default:
      return assertNever(b, 'block');
  }
}

export function ReportBlocks({ title, blocks }: { title: string; blocks: readonly Block[] }) {
  return (
    <article className="report-doc" data-testid="report-preview">
      <h2>{title}</h2>
      {blocks.map((b, k) => (
        <BlockView key={k} b={b} />
      ))}
    </article>
  );
}
