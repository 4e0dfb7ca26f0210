/** Small building blocks: error boxes, verdict badges, hashes that can be copied, empty states. */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../shared/protocol/ipc.js';
import type { Verdict } from '../../../shared/verdict/result.js';
import { CallError } from '../api.js';
import { shortHash } from '../format.js';
import { useWorkspace } from '../state.js';
import { formatTime } from '../time.js';

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

/** A time with its date and its zone named (UTC unless the examiner chose local time). */
export function When({ t, ms }: { t: string | number; ms?: boolean }) {
  const { w } = useWorkspace();
  const text = formatTime(t, w.zone, ms ? { ms: true } : {});
  return (
    <time dateTime={typeof t === 'number' ? new Date(t).toISOString() : t} className="when">
      {text}
    </time>
  );
}

/** What an evidence digest is the digest of, in words (the same words on every screen and in the report). */
export function digestLabel(of: 'archive' | 'tree' | 'file'): string {
  return of === 'archive'
    ? 'SHA-256 of the archive'
    : of === 'tree'
      ? 'tree digest of the folder’s files (proofdesk-tree-v1)'
      : 'SHA-256 of the file';
}

/** Asks for a passphrase at the moment of signing; it goes to the main process only, and is not kept. */
export function PassphraseDialog({
  onSubmit,
  onCancel,
  title = 'Passphrase of the examiner key',
}: {
  onSubmit: (p: string | undefined) => void;
  onCancel: () => void;
  title?: string;
}) {
  const [p, setP] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape from anywhere in the dialog cancels it; the form inside holds the controls
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pp-h"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit(p === '' ? undefined : p);
        }}
      >
        <h2 id="pp-h">{title}</h2>
        <p className="muted small">
          Used once to unlock the key for this signature; it is not stored. Leave empty for an unencrypted key.
        </p>
        <input
          ref={ref}
          type="password"
          name="passphrase"
          value={p}
          onChange={(e) => setP(e.target.value)}
          autoComplete="off"
        />
        <div className="actions">
          <button type="submit" className="primary">
            Sign
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

/** A modal with a title and free content (the content holds its own form and buttons). */
export function Modal({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape from anywhere in the dialog closes it; the content holds the controls
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="modal-h" data-testid={testId}>
        <h2 id="modal-h">{title}</h2>
        {children}
      </div>
    </div>
  );
}

export const asIpcError = (e: unknown): IpcError =>
  e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String((e as Error)?.message ?? e) };
