import { useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError, ErrorBox } from '../../components/common.js';
import { useWorkspace } from '../../state.js';

/** A report's files; the PDF can be opened in the system's viewer (desktop app). */
export function ReportFiles({ files }: { files: ReadonlyArray<{ role: string; path: string }> }) {
  const { w } = useWorkspace();
  const [err, setErr] = useState<IpcError>();
  const pdf = files.find((f) => f.role === 'pdf');
  return (
    <div className="muted">
      {files.map((f) => (
        <div key={f.role} className="mono wrap-anywhere" title={f.path}>
          {f.role}: {f.path}
        </div>
      ))}
      {pdf && w.app?.features.openFiles ? (
        <button
          type="button"
          className="link small"
          onClick={() => void call('files.open', { path: pdf.path }).catch((e) => setErr(asIpcError(e)))}
        >
          Open PDF
        </button>
      ) : null}
      <ErrorBox error={err} title="Not opened" />
    </div>
  );
}
