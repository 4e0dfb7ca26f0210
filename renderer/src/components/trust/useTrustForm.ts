/**
 * The trust dialog's choices (role, log origin, validity window, label) and the request that
 * makes the case trust the key with them.
 */
import { type FormEvent, useState } from 'react';
import type { CaseKeyView, IpcError, KeyInfo, KeyRef, KeyRole } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { useWorkspace, type Workspace } from '../../state.js';
import { asIpcError } from '../common.js';
import { utcOf } from './utc.js';

/** The scope value for "any log (every origin)". */
export const ANY_ORIGIN = '*';
/** The scope value for an origin typed by the examiner. */
export const OTHER_ORIGIN = '…';

/** The origins of the case's bundles, each once: the logs a key is most likely trusted for. */
function caseOrigins(w: Workspace): string[] {
  return [...new Set((w.case?.evidence ?? []).flatMap((e) => (e.bundle ? [e.bundle.origin] : [])))];
}

/** The origin a scope choice names: undefined for any log (or an empty typed origin). */
function originOf(scope: string, custom: string): string | undefined {
  return scope === ANY_ORIGIN ? undefined : scope === OTHER_ORIGIN ? custom.trim() || undefined : scope;
}

interface TrustChoices {
  readonly role: KeyRole;
  readonly label: string;
  readonly origin: string | undefined;
  readonly from: string;
  readonly until: string;
}

/** The trustKey request: only the choices made are sent. */
function trustRequest(keyRef: KeyRef, c: TrustChoices) {
  const validFrom = utcOf(c.from);
  const validUntil = utcOf(c.until);
  return {
    key: 'path' in keyRef ? { path: keyRef.path } : 'text' in keyRef ? { text: keyRef.text } : { text: '' },
    role: c.role,
    ...(c.label.trim() ? { label: c.label.trim() } : {}),
    ...(c.origin !== undefined ? { origin: c.origin } : {}),
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
}

export function useTrustForm(keyRef: KeyRef, info: KeyInfo, onDone: (k: CaseKeyView) => void) {
  const { w } = useWorkspace();
  const origins = caseOrigins(w);
  // A verifier key's own type fixes its role; otherwise the examiner chooses.
  const fixedRole = info.name !== undefined && info.roles.length === 1 ? info.roles[0] : undefined;
  const [role, setRole] = useState<KeyRole>(keyRef.role ?? info.roles[0] ?? 'log');
  const [scope, setScope] = useState<string>(origins[0] ?? ANY_ORIGIN);
  const [custom, setCustom] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [label, setLabel] = useState(info.name ?? info.label);
  const [err, setErr] = useState<IpcError>();
  const [busy, setBusy] = useState(false);
  const origin = originOf(scope, custom);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    setBusy(true);
    try {
      onDone(await call('cases.trustKey', trustRequest(keyRef, { role, label, origin, from, until })));
    } catch (x) {
      setErr(asIpcError(x));
    } finally {
      setBusy(false);
    }
  };
  return {
    origins,
    fixedRole,
    role,
    setRole,
    scope,
    setScope,
    custom,
    setCustom,
    from,
    setFrom,
    until,
    setUntil,
    label,
    setLabel,
    err,
    busy,
    origin,
    submit,
  };
}

export type TrustForm = ReturnType<typeof useTrustForm>;
