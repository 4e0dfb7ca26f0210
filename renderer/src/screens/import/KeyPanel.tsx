/** Importing a key: drop, choose, type its path or paste it, in the role it is trusted as. */
import type { DragEvent } from 'react';
import type { KeyRole } from '../../../../shared/protocol/ipc.js';
import { ErrorBox, Field } from '../../components/common.js';
import { useWorkspace } from '../../state.js';
import { DropZone } from './DropZone.js';
import type { Busy, KeyImport } from './useKeyImport.js';

export function KeyPanel({
  keyImport: key,
  busy,
  onDrop,
  onChoose,
}: {
  keyImport: KeyImport;
  busy: Busy;
  onDrop: (e: DragEvent) => void;
  onChoose: () => void;
}) {
  const { w } = useWorkspace();
  return (
    <section className="panel" aria-labelledby="key-h">
      <h2 id="key-h">{w.case ? 'Trust a key in this case' : 'Trusted keys'}</h2>
      <DropZone testId="key-drop" onDrop={onDrop} onChoose={onChoose}>
        Drop key files here (PEM, OpenSSH, note verifier key, raw)
      </DropZone>
      <form onSubmit={key.submit} className="inline-form">
        <Field label="key file path">
          <input
            name="key-path"
            value={key.path}
            onChange={(e) => key.setPath(e.target.value)}
            placeholder="/keys/log.vkey"
            spellCheck={false}
          />
        </Field>
        <Field label="or paste the key">
          <textarea
            name="key-text"
            rows={2}
            value={key.text}
            onChange={(e) => key.setText(e.target.value)}
            placeholder="origin+1234abcd+AX… or -----BEGIN PUBLIC KEY-----"
            spellCheck={false}
          />
        </Field>
        <Field label="trusted as">
          <select name="key-role" value={key.role} onChange={(e) => key.setRole(e.target.value as KeyRole)}>
            <option value="log">log key: signs checkpoints (default)</option>
            <option value="witness">witness: cosigns checkpoints</option>
            <option value="entry">event source: signs entries</option>
          </select>
        </Field>
        <button
          type="submit"
          className="primary"
          disabled={(!key.path.trim() && !key.text.trim()) || busy !== undefined}
        >
          {w.case ? 'Review and trust…' : 'Import key'}
        </button>
      </form>
      <ErrorBox error={key.err} title="Key not imported" />
    </section>
  );
}
