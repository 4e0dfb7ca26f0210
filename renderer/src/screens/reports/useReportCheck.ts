/**
 * Checking a report someone sent: the report and examiner key given, whether to verify the
 * evidence again (and which bundle), the result or the error.
 */
import { type FormEvent, useState } from 'react';
import type { BundleRef, IpcError, KeyRef, ReportCheckView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import type { ImportedBundle, Workspace } from '../../state.js';

/** The bundle to verify again, as the backend names it: by evidence in a case, else by path. */
function rerunBundleRef(bundles: readonly ImportedBundle[], id: string): BundleRef | undefined {
  const b = bundles.find((x) => x.id === id);
  return b ? (b.evidenceId !== undefined ? { evidenceId: String(b.evidenceId) } : { path: b.info.path }) : undefined;
}

/** The keys ticked on Import; with a case, none are sent: the case's trust store is the trust. */
function rerunKeys(w: Workspace): KeyRef[] {
  return w.case ? [] : w.keys.filter((k) => k.use).map((k) => k.ref);
}

export function useReportCheck(w: Workspace, bundles: readonly ImportedBundle[]) {
  const [path, setPath] = useState('');
  const [examinerKey, setExaminerKey] = useState('');
  const [rerun, setRerun] = useState(false);
  const [rerunBundle, setRerunBundle] = useState('');
  const [res, setRes] = useState<ReportCheckView>();
  const [err, setErr] = useState<IpcError>();
  const [busy, setBusy] = useState(false);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setErr(undefined);
    setRes(undefined);
    setBusy(true);
    try {
      const bundle = rerunBundleRef(bundles, rerunBundle);
      const keys = rerunKeys(w);
      setRes(
        await call('reports.verify', {
          path: path.trim(),
          examinerKey: { path: examinerKey.trim() },
          ...(rerun && bundle ? { rerun: { bundle, keys } } : {}),
        }),
      );
    } catch (x) {
      setErr(asIpcError(x));
    } finally {
      setBusy(false);
    }
  };
  return {
    path,
    setPath,
    examinerKey,
    setExaminerKey,
    rerun,
    setRerun,
    rerunBundle,
    setRerunBundle,
    res,
    err,
    busy,
    check,
  };
}

export type ReportCheck = ReturnType<typeof useReportCheck>;
