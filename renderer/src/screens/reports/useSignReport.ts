/** Signing a report of one run: its preview (fetched again when the run changes), the key and folder, the result. */
import { useEffect, useState } from 'react';
import type { IpcError, ReportPreview, SignedReportView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';

export function useSignReport(runKey: string | undefined) {
  const [preview, setPreview] = useState<ReportPreview>();
  const [keyPath, setKeyPath] = useState('');
  const [outDir, setOutDir] = useState('');
  const [asking, setAsking] = useState(false);
  const [signed, setSigned] = useState<SignedReportView>();
  const [err, setErr] = useState<IpcError>();
  // Another run: its own preview, and nothing signed or failed yet.
  useEffect(() => {
    setPreview(undefined);
    setSigned(undefined);
    setErr(undefined);
    if (!runKey) return;
    let live = true;
    call('reports.preview', { runId: runKey }).then(
      (p) => live && setPreview(p),
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [runKey]);
  const sign = async (passphrase: string | undefined) => {
    if (!runKey) return;
    setAsking(false);
    setErr(undefined);
    try {
      setSigned(
        await call('reports.sign', {
          runId: runKey,
          keyPath: keyPath.trim(),
          outDir: outDir.trim(),
          ...(passphrase !== undefined ? { passphrase } : {}),
        }),
      );
    } catch (e) {
      setErr(asIpcError(e));
    }
  };
  return { preview, keyPath, setKeyPath, outDir, setOutDir, asking, setAsking, signed, err, sign };
}

export type SignReport = ReturnType<typeof useSignReport>;
