/** The "Open a case" panel of the Case screen: a case folder and the examiner, then `cases.open`. */
import { type FormEvent, useEffect, useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError, ErrorBox, Field } from '../../components/common.js';
import { useWorkspace } from '../../state.js';
import { remember, rememberedExaminer } from './examiner.js';

function useOpenCase() {
  const { w, dispatch } = useWorkspace();
  const [dir, setDir] = useState('');
  const [examiner, setExaminer] = useState(rememberedExaminer);
  const [err, setErr] = useState<IpcError>();
  // A case the desktop asked to open (a second launch, a folder opened from the system).
  useEffect(() => {
    const r = w.openRequest;
    if (r) setDir(r.path);
  }, [w.openRequest]);
  const open = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    try {
      const view = await call('cases.open', { dir: dir.trim(), examiner: examiner.trim() });
      remember(examiner.trim());
      dispatch({ type: 'open.done' });
      dispatch({ type: 'case', view });
    } catch (x) {
      setErr(asIpcError(x));
    }
  };
  return { dir, setDir, examiner, setExaminer, err, open };
}

export function OpenCasePanel() {
  const f = useOpenCase();
  return (
    <section className="panel" aria-labelledby="open-case-h">
      <h2 id="open-case-h">Open a case</h2>
      <form onSubmit={(e) => void f.open(e)} className="stack">
        <Field label="Case folder">
          <input
            name="open-dir"
            value={f.dir}
            onChange={(e) => f.setDir(e.target.value)}
            placeholder="/cases/acme-q4"
            spellCheck={false}
          />
        </Field>
        <Field label="Examiner" hint="who acts in the case from now on">
          <input
            name="open-examiner"
            value={f.examiner}
            onChange={(e) => f.setExaminer(e.target.value)}
            autoComplete="name"
          />
        </Field>
        <div>
          <button type="submit" className="primary" disabled={!f.dir.trim() || !f.examiner.trim()}>
            Open case
          </button>
        </div>
      </form>
      <ErrorBox error={f.err} title="Case not opened" />
      <p className="muted small">You can also work without a case: import, verify and browse; nothing is recorded.</p>
    </section>
  );
}
