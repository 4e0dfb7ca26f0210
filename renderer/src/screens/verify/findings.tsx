/** One finding as the examiner reads it: severity, code, where it is, the message and any expected/actual. */
import type { Finding } from '../../../../shared/verdict/findings.js';
import { Hash } from '../../components/common.js';
import { num } from '../../format.js';

export function locationText(f: Finding): string {
  const l = f.location;
  const parts: string[] = [];
  if (l.file) parts.push(l.file);
  if (l.entry !== undefined) parts.push(`entry ${num(l.entry)}`);
  if (l.offset !== undefined) parts.push(`byte ${num(l.offset)}`);
  if (l.checkpointSize !== undefined) parts.push(`checkpoint of size ${num(l.checkpointSize)}`);
  if (l.range) parts.push(`entries ${num(l.range[0])}–${num(l.range[1] - 1)}`);
  if (l.path) parts.push(l.path);
  return parts.join(' · ');
}

export function FindingItem({ f, onOpen }: { f: Finding; onOpen: (i: number) => void }) {
  return (
    <li className={`finding sev-${f.severity}`} data-code={f.code}>
      <div className="finding-head">
        <span className={`sev sev-${f.severity}`}>{f.severity}</span>
        <code className="code">{f.code}</code>
        <span className="muted small">{locationText(f)}</span>
        {f.location.entry !== undefined ? (
          <button
            type="button"
            className="link"
            onClick={() => onOpen(f.location.entry!)}
            data-testid="finding-entry-link"
          >
            Show entry {num(f.location.entry)} →
          </button>
        ) : null}
      </div>
      <p>{f.message}</p>
      {f.evidence?.expected !== undefined || f.evidence?.actual !== undefined ? (
        <dl className="evidence">
          {f.evidence?.expected !== undefined ? (
            <>
              <dt>expected</dt>
              <dd>
                <Hash value={String(f.evidence.expected)} full />
              </dd>
            </>
          ) : null}
          {f.evidence?.actual !== undefined ? (
            <>
              <dt>actual</dt>
              <dd>
                <Hash value={String(f.evidence.actual)} full />
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </li>
  );
}
