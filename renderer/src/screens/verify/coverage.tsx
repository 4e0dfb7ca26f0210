/** What still stands after the run: coverage by entry range and reason, the checkpoints, and the checks. */
import { CHECK_LABELS, CHECK_STATUS_LABELS, COVERAGE_REASON_LABELS } from '../../../../shared/present/labels.js';
import type { CoverageReason, VerificationResult } from '../../../../shared/verdict/result.js';
import { num } from '../../format.js';

function reasonCounts(r: VerificationResult): Array<[CoverageReason, number]> {
  const m = new Map<CoverageReason, number>();
  for (const g of r.coverage.ranges) m.set(g.reason, (m.get(g.reason) ?? 0) + (g.to - g.from));
  return [...m.entries()];
}

export function CoverageSection({ r }: { r: VerificationResult }) {
  return (
    <section className="panel" aria-labelledby="cov-h">
      <h2 id="cov-h">What still stands</h2>
      <CoverageBar result={r} />
      <dl className="stats" data-testid="coverage-stats">
        {reasonCounts(r).map(([reason, n]) => (
          <div key={reason} className="stat-row" data-reason={reason}>
            <dt>{COVERAGE_REASON_LABELS[reason]}</dt>
            <dd>{num(n)}</dd>
          </div>
        ))}
      </dl>
      <h3>Checkpoints</h3>
      <table className="table small">
        <thead>
          <tr>
            <th>Size</th>
            <th>Signature</th>
            <th>Root</th>
          </tr>
        </thead>
        <tbody>
          {r.checkpoints.map((c, k) => (
            <tr key={`${c.file}#${k}`}>
              <td>{c.size !== undefined ? num(c.size) : '?'}</td>
              <td>{c.status}</td>
              <td>{c.rootStatus === 'match' ? 'matches' : c.rootStatus}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ChecksSection({ r }: { r: VerificationResult }) {
  return (
    <section className="panel" aria-labelledby="checks-h">
      <h2 id="checks-h">Checks</h2>
      <table className="table checks">
        <tbody>
          {r.checks.map((c) => (
            <tr key={c.id} data-check={c.id} data-status={c.status}>
              <td className="narrow">
                <span className={`status status-${c.status}`}>{CHECK_STATUS_LABELS[c.status]}</span>
              </td>
              <td>{CHECK_LABELS[c.id]}</td>
              <td className="muted small">
                {Object.entries(c.counts)
                  .map(([k, v]) => `${k} ${num(v)}`)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CoverageBar({ result: r }: { result: VerificationResult }) {
  const n = Math.max(1, r.bundle.entryCount);
  return (
    <div className="coverage-bar" role="img" aria-label="coverage by entry range">
      {r.coverage.ranges.map((c) => (
        <div
          key={c.from}
          className={`cov-${c.status} why-${c.reason.toLowerCase().replace(/_/g, '-')}`}
          style={{ width: `${Math.max(0.3, (100 * (c.to - c.from)) / n)}%` }}
          title={`${COVERAGE_REASON_LABELS[c.reason]}: entries ${num(c.from)}–${num(c.to - 1)}`}
        />
      ))}
    </div>
  );
}
