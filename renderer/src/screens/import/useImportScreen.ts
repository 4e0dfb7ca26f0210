/**
 * The import screen's routes in: the bundled sample, the file dialog, drag and drop and a path the
 * desktop asked to open. Each hands paths (or, for small dropped keys, their text) to the bundle
 * and key imports.
 */
import { type DragEvent, useEffect, useState } from 'react';
import type { CaseKeyView } from '../../../../shared/protocol/ipc.js';
import { call, pathForDroppedFile } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { useWorkspace } from '../../state.js';
import { type BundleImport, useBundleImport } from './useBundleImport.js';
import { type Busy, type KeyImport, useKeyImport, withRole } from './useKeyImport.js';

export type ImportKind = 'bundle' | 'key';

/** Dropped key files this small are read in the window when it cannot see where they live. */
const DROPPED_KEY_TEXT_MAX = 64 * 1024;

async function importPaths(kind: ImportKind, paths: readonly string[], bundle: BundleImport, key: KeyImport) {
  for (const p of paths)
    await (kind === 'bundle' ? bundle.importBundle(p) : key.importKey(withRole({ path: p }, key.role)));
}

async function importDropped(kind: ImportKind, ev: DragEvent, bundle: BundleImport, key: KeyImport) {
  ev.preventDefault();
  const files = [...ev.dataTransfer.files];
  const setErr = kind === 'bundle' ? bundle.setErr : key.setErr;
  if (files.length === 0) return;
  const paths = files.map(pathForDroppedFile);
  if (paths.some((p) => !p)) {
    if (kind === 'key' && files.every((f) => f.size < DROPPED_KEY_TEXT_MAX)) {
      for (const f of files) await key.importKey(withRole({ text: await f.text() }, key.role));
      return;
    }
    setErr({
      code: 'UNAVAILABLE',
      message: 'This window cannot see where a dropped folder lives. Type or paste its path instead.',
    });
    return;
  }
  await importPaths(kind, paths, bundle, key);
}

export function useImportScreen() {
  const { w, dispatch } = useWorkspace();
  const [busy, setBusy] = useState<Busy>();
  const [revoking, setRevoking] = useState<CaseKeyView>();
  const bundle = useBundleImport(setBusy);
  const key = useKeyImport(setBusy);

  // A bundle the desktop asked to open (a second launch, a file opened from the system).
  useEffect(() => {
    const r = w.openRequest;
    if (r && w.screen === 'import') {
      dispatch({ type: 'open.done' });
      void bundle.importBundle(r.path);
    }
  }, [w.openRequest]);

  const importSample = async () => {
    const s = w.app?.sample;
    if (!s) return;
    setBusy('sample');
    await bundle.importBundle(s.bundle);
    if (!w.case) for (const k of s.keys) await key.importKey(withRole({ path: k.path }, k.role), true);
    setBusy(undefined);
  };
  const choose = async (kind: ImportKind) => {
    try {
      const r = await call('dialog.open', { kind });
      await importPaths(kind, r.paths, bundle, key);
    } catch (e) {
      (kind === 'bundle' ? bundle.setErr : key.setErr)(asIpcError(e));
    }
  };
  const drop = (kind: ImportKind, ev: DragEvent) => importDropped(kind, ev, bundle, key);

  return { busy, bundle, key, revoking, setRevoking, importSample, choose, drop };
}
