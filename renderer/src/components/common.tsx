/** Small building blocks: error boxes, verdict badges, hashes that can be copied, empty states. */
import { type ReactNode, useState } from 'react';
import type { Verdict } from '../../../shared/verdict/result.js';
import { shortHash } from '../format.js';

export function ErrorBox({
  error,
  title,
}: {
  error?: { code: string; message: string; issues?: readonly string[] } | undefined;
  title?: string;
}) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert" data-code={error.code}>
      <strong>{title ?? 'That did not work'}</strong>
      <span>{error.message}</span>
      {error.issues?.length ? (
        <ul>
          {error.issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const VERDICT_TEXT: Record<Verdict, string> = {
  PASS: 'Verified',
  FAIL: 'Problems found',
  INCONCLUSIVE: 'Not fully verifiable',
};

export function VerdictBadge({ verdict, large }: { verdict: Verdict; large?: boolean }) {
  return (
    <span className={`verdict verdict-${verdict.toLowerCase()}${large ? ' verdict-large' : ''}`} data-verdict={verdict}>
      <b>{verdict}</b>
      {large ? <span>{VERDICT_TEXT[verdict]}</span> : null}
    </span>
  );
}

/** A hash: shortened, full value on hover and in the selection, copy button. */
export function Hash({ value, full }: { value: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash">
      <code title={value}>{full ? value : shortHash(value)}</code>
      <button
        type="button"
        className="link small"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => undefined,
          );
          setTimeout(() => setCopied(false), 1200);
        }}
        aria-label="copy"
      >
        {copied ? 'copied' : 'copy'}
      </button>
    </span>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the children the caller passes
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}
