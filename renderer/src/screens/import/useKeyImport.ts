/**
 * The key side of the import screen: a path or pasted text, the role keys are imported in, and,
 * in a case, the key waiting for the examiner to confirm it (TrustDialog).
 */
import { type FormEvent, useState } from 'react';
import type { IpcError, KeyInfo, KeyRef, KeyRole } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { useWorkspace } from '../../state.js';

/** What the screen is doing: one import at a time. */
export type Busy = 'bundle' | 'key' | 'sample' | undefined;

/** Without a role a key is a log key, or a witness key by its own type: only other roles are sent. */
export function withRole(ref: { path: string } | { text: string }, role: KeyRole): KeyRef {
  return role === 'log' ? ref : { ...ref, role };
}

export function useKeyImport(setBusy: (b: Busy) => void) {
  const { w, dispatch } = useWorkspace();
  const [path, setPath] = useState('');
  const [text, setText] = useState('');
  // The role keys are imported in; a verifier key's own type (log 0x01, witness 0x04) decides for it.
  const [role, setRole] = useState<KeyRole>('log');
  const [err, setErr] = useState<IpcError>();
  const [confirm, setConfirm] = useState<{ ref: KeyRef; info: KeyInfo }>();

  const importKey = async (ref: KeyRef, demo = false) => {
    setErr(undefined);
    setBusy('key');
    try {
      const info = await call('keys.inspect', ref);
      if (w.case) setConfirm({ ref, info });
      else dispatch({ type: 'key.add', ref, info, demo });
      if ('path' in ref) setPath('');
      else setText('');
    } catch (e) {
      setErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void importKey(withRole({ path: path.trim() }, role));
    else if (text.trim()) void importKey(withRole({ text }, role));
  };

  return { path, setPath, text, setText, role, setRole, err, setErr, confirm, setConfirm, importKey, submit };
}

export type KeyImport = ReturnType<typeof useKeyImport>;
