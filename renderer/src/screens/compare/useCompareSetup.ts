/** The Compare screen's state: the two exports picked, the keys that will be trusted, and starting the comparison. */
import { useEffect, useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { bundlesOf, type ImportedBundle, type ImportedKey, useWorkspace } from '../../state.js';

/** In a case, the case's evidence and trust store; otherwise the files and the keys ticked. */
function startRequest(A: ImportedBundle, B: ImportedBundle, caseId: string | undefined, keys: readonly ImportedKey[]) {
  return caseId !== undefined && A.evidenceId !== undefined && B.evidenceId !== undefined
    ? {
        a: { evidenceId: String(A.evidenceId) },
        b: { evidenceId: String(B.evidenceId) },
        keys: [],
        caseId,
      }
    : { a: { path: A.info.path }, b: { path: B.info.path }, keys: keys.map((k) => k.ref) };
}

/** A comparison of the case picked elsewhere (the Case screen's run list), not yet loaded. */
function useSelectedCompare(setErr: (e: IpcError) => void) {
  const { w, dispatch } = useWorkspace();
  useEffect(() => {
    const key = w.currentCompare;
    if (!key || w.compares[key]) return;
    let live = true;
    void call('compare.get', { jobId: key }).then(
      (view) => live && dispatch({ type: 'compare.view', view, select: true }),
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [w.currentCompare, w.compares, dispatch]);
}

export function useCompareSetup() {
  const { w, dispatch } = useWorkspace();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [err, setErr] = useState<IpcError>();
  const keys = w.keys.filter((k) => k.use);
  const bundles = bundlesOf(w);
  const job = w.currentCompare ? w.compares[w.currentCompare] : undefined;
  const A = bundles.find((x) => x.id === a);
  const B = bundles.find((x) => x.id === b);
  const inCase = w.case !== undefined;
  const origin = A?.info.origin;
  const caseKeys = (w.case?.keys ?? []).filter((k) => !k.revokedAt && (k.origin === null || k.origin === origin));
  useSelectedCompare(setErr);
  const start = async () => {
    setErr(undefined);
    if (!A || !B) return;
    try {
      const { jobId } = await call('compare.start', startRequest(A, B, inCase ? w.case!.caseId : undefined, keys));
      dispatch({ type: 'compare.view', view: await call('compare.get', { jobId }), select: true });
    } catch (e) {
      setErr(asIpcError(e));
    }
  };
  const canStart =
    a && b && a !== b && (inCase ? caseKeys.length !== 0 : keys.length !== 0) && job?.state !== 'running';
  return { a, setA, b, setB, err, keys, bundles, job, inCase, origin, caseKeys, start, canStart: Boolean(canStart) };
}

export type CompareSetup = ReturnType<typeof useCompareSetup>;
