/** Starting a verification of the selected bundle, with the case's trust store or the keys ticked. */
import { useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { type ImportedBundle, type ImportedKey, useWorkspace } from '../../state.js';

function startRequest(bundle: ImportedBundle, caseId: string | undefined, keys: readonly ImportedKey[]) {
  return caseId !== undefined
    ? // The case's trust store (windows and revocations included) is the trust material.
      { bundle: { evidenceId: String(bundle.evidenceId) }, keys: [], caseId }
    : { bundle: { path: bundle.info.path }, keys: keys.map((k) => k.ref), expectDigest: bundle.info.digest };
}

export function useVerifyStart(bundle: ImportedBundle | undefined, inCase: boolean, keys: readonly ImportedKey[]) {
  const { w, dispatch } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  const [starting, setStarting] = useState(false);
  const start = async () => {
    if (!bundle) return;
    setErr(undefined);
    setStarting(true);
    dispatch({ type: 'run.starting' });
    try {
      const { runId } = await call('verify.start', startRequest(bundle, inCase ? w.case!.caseId : undefined, keys));
      dispatch({ type: 'run.started', view: await call('verify.get', { runId }) });
    } catch (e) {
      setErr(asIpcError(e));
    } finally {
      setStarting(false);
    }
  };
  return { err, starting, start };
}
