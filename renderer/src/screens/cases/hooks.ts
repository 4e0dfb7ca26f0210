/** State and effects of the open case's screen: its custody journal and its integrity check. */
import { useEffect, useState } from 'react';
import type { CaseCheckView, IpcError, JournalRowView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';

/** The journal's newest rows, fetched again whenever the journal's head moves. */
export function useJournal(headSeq: number) {
  const [journal, setJournal] = useState<readonly JournalRowView[]>();
  const [err, setErr] = useState<IpcError>();
  useEffect(() => {
    let live = true;
    call('cases.journal', { limit: 500 }).then(
      (j) => live && setJournal(j),
      (e) => live && setErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [headSeq]);
  return { journal, err };
}

/** `proofdesk case verify` from the screen: 'running' while it runs, then its result until hidden. */
export function useCaseCheck() {
  const [check, setCheck] = useState<CaseCheckView | 'running'>();
  const [checkErr, setCheckErr] = useState<IpcError>();
  const runCheck = async () => {
    setCheck('running');
    setCheckErr(undefined);
    try {
      setCheck(await call('cases.check', {}));
    } catch (x) {
      setCheck(undefined);
      setCheckErr(asIpcError(x));
    }
  };
  const hideCheck = () => setCheck(undefined);
  return { check, checkErr, runCheck, hideCheck };
}
