/** The diagnosis's causes: each with its place, a link to its entry, and the findings that show it. */
import { useState } from 'react';
import { CAUSE_LABELS } from '../../../../shared/present/labels.js';
import type { Cause } from '../../../../shared/verdict/cause.js';
import type { Finding } from '../../../../shared/verdict/findings.js';
import type { VerificationResult } from '../../../../shared/verdict/result.js';
import { num } from '../../format.js';
import { FindingItem } from './findings.js';

/** The entry a cause points at, to open in the entry browser. */
export function causeEntry(c: Cause, r: VerificationResult): number | undefined {
  if (c.entries && c.entries.to > c.entries.from) return c.entries.from;
  if (c.entries && c.entries.from < r.bundle.entryCount) return c.entries.from;
  for (const i of c.findings) {
    const e = r.findings[i]?.location.entry;
    if (e !== undefined) return e;
  }
  return undefined;
}

/** Where a cause is, in a few words. */
function causePlace(c: Cause): string {
  const parts: string[] = [];
  if (c.entries) {
    parts.push(
      c.entries.from === c.entries.to
        ? `before entry ${num(c.entries.from)}`
        : c.entries.to - c.entries.from === 1
          ? `entry ${num(c.entries.from)}`
          : `entries ${num(c.entries.from)}–${num(c.entries.to - 1)}`,
    );
  }
  if (c.seq)
    parts.push(c.seq.to - c.seq.from === 1 ? `seq ${num(c.seq.from)}` : `seq ${num(c.seq.from)}–${num(c.seq.to - 1)}`);
  return parts.join(' · ');
}

const MAX_FINDINGS_PER_CAUSE = 50;

function CauseItem({
  cause: c,
  k,
  result: r,
  onOpen,
}: {
  cause: Cause;
  k: number;
  result: VerificationResult;
  onOpen: (i: number) => void;
}) {
  const [open, setOpen] = useState(k === 0);
  const entry = causeEntry(c, r);
  const findings = c.findings.map((i) => r.findings[i]).filter((f): f is Finding => f !== undefined);
  return (
    <li className={`cause sev-${c.severity}`} data-cause={c.cause} data-testid="cause">
      <div className="cause-head">
        <span className="cause-n">{k + 1}</span>
        <b className="cause-label">{CAUSE_LABELS[c.cause]}</b>
        <span className="muted small">{causePlace(c)}</span>
        {entry !== undefined ? (
          <button
            type="button"
            className="link"
            onClick={() => onOpen(entry)}
            data-testid="cause-entry-link"
            data-entry={entry}
          >
            Show entry {num(entry)} →
          </button>
        ) : null}
      </div>
      <p className="cause-text">{c.text}</p>
      {findings.length ? (
        <button type="button" className="link small" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide' : 'Show'} the {findings.length === 1 ? 'finding' : `${num(findings.length)} findings`} that
          show it
        </button>
      ) : null}
      {open && findings.length ? (
        <ul className="findings" data-testid="findings">
          {findings.slice(0, MAX_FINDINGS_PER_CAUSE).map((f, i) => (
            <FindingItem key={i} f={f} onOpen={onOpen} />
          ))}
          {findings.length > MAX_FINDINGS_PER_CAUSE ? (
            <li className="muted small">
              {num(findings.length - MAX_FINDINGS_PER_CAUSE)} more: the entry browser lists every entry with a finding.
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

export function DiagnosisSection({ r, onOpen }: { r: VerificationResult; onOpen: (i: number) => void }) {
  if (!r.diagnosis.length) return null;
  return (
    <section className="panel" aria-labelledby="diagnosis-h">
      <h2 id="diagnosis-h">What the evidence shows</h2>
      <ol className="causes" data-testid="diagnosis">
        {r.diagnosis.map((c, k) => (
          <CauseItem key={k} cause={c} k={k} result={r} onOpen={onOpen} />
        ))}
      </ol>
    </section>
  );
}
