import { useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError, ErrorBox } from '../../components/common.js';
import { useWorkspace } from '../../state.js';

/** Opens a PDF in the system's viewer (desktop app only; elsewhere the path is shown). */
export function OpenPdf({ path }: { path: string }) {
  const { w } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  if (!w.app?.features.openFiles) return null;
  return (
    <>
      <button
        type="button"
        className="link small"
        onClick={() => void call('files.open', { path }).catch((e) => setErr(asIpcError(e)))}
        data-testid="open-pdf"
      >
        Open PDF
      </button>
      <ErrorBox error={err} title="Not opened" />
    </>
  );
}
