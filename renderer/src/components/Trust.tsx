/**
 * Trust in a case is deliberate and reversible: a key is trusted only after the examiner has
 * seen its fingerprint and name and chosen its role, the log origin it is trusted for and,
 * optionally, a validity window; a trusted key can be revoked (from a time on) or untrusted
 * (as if it had never been trusted), always with a reason. Both are journaled by the case.
 */
import { type FormEvent, useState } from 'react';
import type { CaseKeyView, IpcError, KeyInfo, KeyRef } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { asIpcError, ErrorBox, Field, Hash, Modal } from './common.js';
import { OriginFields, RoleField, WindowFields } from './trust/TrustFields.js';
import { OTHER_ORIGIN, useTrustForm } from './trust/useTrustForm.js';
import { utcOf } from './trust/utc.js';

/** Confirms a key before the case trusts it. */
export function TrustDialog({
  keyRef,
  info,
  onDone,
  onCancel,
}: {
  keyRef: KeyRef;
  info: KeyInfo;
  onDone: (k: CaseKeyView) => void;
  onCancel: () => void;
}) {
  const form = useTrustForm(keyRef, info, onDone);
  return (
    <Modal title="Trust this key in the case?" onClose={onCancel} testId="trust-dialog">
      <form onSubmit={(e) => void form.submit(e)} className="stack">
        <dl className="facts">
          <dt>Key</dt>
          <dd>
            <b>{info.name ?? info.label}</b> <span className="muted small">({info.format})</span>
          </dd>
          <dt>Fingerprint</dt>
          <dd data-testid="trust-fingerprint">
            <Hash value={info.fingerprint} full />
          </dd>
        </dl>
        <p className="muted small">
          Compare the fingerprint with the one the log operator gave you through another channel before you trust it.
        </p>
        <RoleField form={form} />
        <OriginFields form={form} />
        <WindowFields form={form} />
        <Field label="Label">
          <input name="trust-label" value={form.label} onChange={(e) => form.setLabel(e.target.value)} />
        </Field>
        <ErrorBox error={form.err} title="Key not trusted" />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={form.busy || (form.scope === OTHER_ORIGIN && !form.custom.trim())}
          >
            Trust {form.origin ? `for ${form.origin}` : 'for any log'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The beginning of time for a revocation: no signature by the key ever counts. */
export const UNTRUST_FROM = '1970-01-01T00:00:00Z';

/** Revokes (from a time) or untrusts (entirely) a key of the case, with a reason. */
export function RevokeDialog({ k, onDone, onCancel }: { k: CaseKeyView; onDone: () => void; onCancel: () => void }) {
  const [mode, setMode] = useState<'untrust' | 'now' | 'at'>('untrust');
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<IpcError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    const revokedAt =
      mode === 'untrust'
        ? UNTRUST_FROM
        : mode === 'now'
          ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
          : (utcOf(at) ?? '');
    try {
      await call('cases.revokeKey', { fingerprint: k.fingerprint, revokedAt, reason: reason.trim() });
      onDone();
    } catch (x) {
      setErr(asIpcError(x));
    }
  };
  return (
    <Modal title={`Stop trusting ${k.keyName ?? k.label}`} onClose={onCancel} testId="revoke-dialog">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="small">
          <Hash value={k.fingerprint} full />
        </p>
        <fieldset className="choices">
          <label>
            <input type="radio" name="revoke-mode" checked={mode === 'untrust'} onChange={() => setMode('untrust')} />{' '}
            <b>Untrust</b>: trusted by mistake — none of its signatures count, whenever made
          </label>
          <label>
            <input type="radio" name="revoke-mode" checked={mode === 'now'} onChange={() => setMode('now')} />{' '}
            <b>Revoke from now</b>: signatures made before now still count
          </label>
          <label>
            <input type="radio" name="revoke-mode" checked={mode === 'at'} onChange={() => setMode('at')} />{' '}
            <b>Revoke from a time</b> (the key was compromised then)
          </label>
          {mode === 'at' ? (
            <input
              type="datetime-local"
              step={1}
              name="revoke-at"
              value={at}
              onChange={(e) => setAt(e.target.value)}
              aria-label="revoked from (UTC)"
            />
          ) : null}
        </fieldset>
        <Field label="Reason (recorded in the custody journal)">
          <textarea name="revoke-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <p className="muted small">
          Every grant of this key in the case is revoked; the grant itself stays on record. Runs made before keep their
          results; verify again to apply the revocation.
        </p>
        <ErrorBox error={err} title="Not revoked" />
        <div className="actions">
          <button
            type="submit"
            className="danger"
            disabled={!reason.trim() || (mode === 'at' && !at)}
            data-testid="confirm-revoke"
          >
            {mode === 'untrust' ? 'Untrust' : 'Revoke'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A grant's status in words: trusted, revoked from a time, or untrusted. */
export function grantStatus(k: CaseKeyView): { text: string; tone: 'pass' | 'fail' | 'warn' } {
  if (!k.revokedAt) return { text: 'trusted', tone: 'pass' };
  if (k.revokedAt.startsWith('1970-01-01T00:00:00')) return { text: 'untrusted', tone: 'fail' };
  return { text: `revoked from ${k.revokedAt}`, tone: 'warn' };
}
