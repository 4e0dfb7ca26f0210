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
    case 'timeline':
      return <TimelineBlock b={b} />;
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

/** The report's timeline block as the PDF draws it: stacked bars by class, silences hatched, UTC ticks. */
function TimelineBlock({ b }: { b: Extract<Block, { kind: 'timeline' }> }) {
  const W = 600;
  const H = 90;
  const n = Math.max(1, b.bars.length);
  const bw = W / n;
  const max = Math.max(1, ...b.bars.map((c) => c[0] + c[1] + c[2] + c[3]));
  const spanMs = n * b.bucketMs;
  const cls = ['tl-verified', 'tl-failed', 'tl-nlp-bar', 'tl-unverifiable'] as const;
  return (
    <svg
      viewBox={`0 0 ${W} ${H + 14}`}
      className="rb-timeline"
      role="img"
      aria-label="entries over time"
      data-testid="report-timeline"
    >
      {b.silences.map(([t0, t1]) => {
        const xa = Math.max(0, Math.min(1, (t0 - b.from) / spanMs)) * W;
        const xb = Math.max(0, Math.min(1, (t1 - b.from) / spanMs)) * W;
        return <rect key={t0} x={xa} y={0} width={Math.max(1, xb - xa)} height={H} className="tl-silence" />;
      })}
      {b.bars.map((c, k) => {
        let y = H;
        return (
          <g key={k}>
            {c.map((count, j) => {
              if (!count) return null;
              const h = Math.max(0.7, ((H - 3) * count) / max);
              y -= h;
              return (
                <rect key={j} x={k * bw + 0.25} y={y} width={Math.max(0.4, bw - 0.5)} height={h} className={cls[j]} />
              );
            })}
          </g>
        );
      })}
      {b.ticks.map(([k, label]) => (
        <text key={k} x={k * bw + 2} y={H + 11} className="tl-tick">
          {label}
        </text>
      ))}
    </svg>
  );
}
