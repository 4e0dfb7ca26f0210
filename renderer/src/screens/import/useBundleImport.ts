/**
 * The bundle side of the import screen: a typed path, the last error, and, in a case, what is not
 * a bundle waiting for the examiner's decision.
 */
import { type FormEvent, useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { baseName } from '../../format.js';
import { useWorkspace } from '../../state.js';
import type { Busy } from './useKeyImport.js';

/** Something that is not a bundle, waiting for the examiner's decision (in a case). */
export interface NotBundle {
  readonly path: string;
  readonly why: string;
}

/**
 * Detects what a path holds before a case stores it: only a bundle goes into the locker without
 * asking. Returns why it is not a bundle, or undefined for a bundle; throws when nothing is there.
 */
async function notBundleIn(path: string): Promise<NotBundle | undefined> {
  const k = await call('paths.classify', { path });
  if (k.kind === 'missing') throw Object.assign(new Error(`not found: ${path}`), {});
  if (k.kind === 'bundle') return undefined;
  let why = 'it has no readable bundle manifest';
  try {
    await call('evidence.inspect', { path });
  } catch (e) {
    why = asIpcError(e).message;
  }
  return { path, why };
}

export function useBundleImport(setBusy: (b: Busy) => void) {
  const { w, dispatch } = useWorkspace();
  const [path, setPath] = useState('');
  const [err, setErr] = useState<IpcError>();
  const [notBundle, setNotBundle] = useState<NotBundle>();
  const [stored, setStored] = useState<string>();

  const importBundle = async (p: string) => {
    setErr(undefined);
    setNotBundle(undefined);
    setStored(undefined);
    setBusy('bundle');
    try {
      if (w.case) {
        const nb = await notBundleIn(p);
        if (nb) {
          setNotBundle(nb);
          return;
        }
        const r = await call('cases.importEvidence', { path: p, kind: 'bundle' });
        dispatch({ type: 'bundle.select', id: `ev:${r.evidence.id}` });
        if (r.duplicate) setStored(`${baseName(p)} is already evidence #${r.evidence.id} of this case (same digest).`);
      } else {
        const info = await call('evidence.inspect', { path: p });
        dispatch({ type: 'bundle.add', bundle: info });
      }
      setPath('');
    } catch (e) {
      setErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const storeAsOther = async () => {
    if (!notBundle) return;
    setBusy('bundle');
    try {
      const r = await call('cases.importEvidence', { path: notBundle.path, kind: 'other' });
      setStored(`${baseName(notBundle.path)} is stored as other evidence #${r.evidence.id}.`);
      setNotBundle(undefined);
      setPath('');
    } catch (e) {
      setErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void importBundle(path.trim());
  };

  return { path, setPath, err, setErr, notBundle, setNotBundle, stored, importBundle, storeAsOther, submit };
}

export type BundleImport = ReturnType<typeof useBundleImport>;
