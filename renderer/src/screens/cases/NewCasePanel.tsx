/** The "New case" panel of the Case screen: title, reference, examiner and folder, then `cases.create`. */
import { type FormEvent, useState } from 'react';
import type { IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError, ErrorBox, Field } from '../../components/common.js';
import { useWorkspace } from '../../state.js';
import { remember, rememberedExaminer } from './examiner.js';

function useNewCase() {
  const { dispatch } = useWorkspace();
  const [dir, setDir] = useState('');
  const [title, setTitle] = useState('');
  const [reference, setReference] = useState('');
  const [examiner, setExaminer] = useState(rememberedExaminer);
  const [err, setErr] = useState<IpcError>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    try {
      const view = await call('cases.create', {
        dir: dir.trim(),
        title: title.trim(),
        examiner: examiner.trim(),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      remember(examiner.trim());
      dispatch({ type: 'case', view });
    } catch (x) {
      setErr(asIpcError(x));
    }
  };
  const ready = Boolean(dir.trim() && title.trim() && examiner.trim());
  return { dir, setDir, title, setTitle, reference, setReference, examiner, setExaminer, err, create, ready };
}

export function NewCasePanel() {
  const f = useNewCase();
  return (
    <section className="panel" aria-labelledby="new-case-h">
      <h2 id="new-case-h">New case</h2>
      <form onSubmit={(e) => void f.create(e)} className="stack">
        <Field label="Title">
          <input
            name="case-title"
            value={f.title}
            onChange={(e) => f.setTitle(e.target.value)}
            placeholder="Audit of ACME prod logs, Q4"
          />
        </Field>
        <Field label="Reference (optional)">
          <input
            name="case-reference"
            value={f.reference}
            onChange={(e) => f.setReference(e.target.value)}
            placeholder="ISO-27001-2026-017"
          />
        </Field>
        <Field label="Examiner" hint="your name as the custody journal records it for every action">
          <input
            name="case-examiner"
            value={f.examiner}
            onChange={(e) => f.setExaminer(e.target.value)}
            placeholder="Erin Examiner, Example Audit LLP"
            autoComplete="name"
          />
        </Field>
        <Field label="Folder for the case" hint="a new or empty folder">
          <input
            name="case-dir"
            value={f.dir}
            onChange={(e) => f.setDir(e.target.value)}
            placeholder="/cases/acme-q4"
            spellCheck={false}
          />
        </Field>
        <div>
          <button type="submit" className="primary" disabled={!f.ready} data-testid="create-case">
            Create case
          </button>
        </div>
      </form>
      <ErrorBox error={f.err} title="Case not created" />
    </section>
  );
}
