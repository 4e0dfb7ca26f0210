/**
 * The entry browser's selection and the detail of the selected entry. The selection follows
 * focus requests from elsewhere (a finding's link, a timeline bar); the list scrolls to it
 * whenever a jump moves it (each jump a new sequence number, so the same index scrolls again).
 */
import { useCallback, useEffect, useState } from 'react';
import type { EntryDetail, IpcError } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { asIpcError } from '../../components/common.js';
import { useWorkspace } from '../../state.js';
import type { Mode } from './types.js';

export function useSelection(runId: string, total: number) {
  const { w } = useWorkspace();
  const [selected, setSelected] = useState<number>(w.focus?.runId === runId ? w.focus.index : 0);
  const [scrollTo, setScrollTo] = useState<{ index: number; seq: number }>({
    index: w.focus?.runId === runId ? w.focus.index : 0,
    seq: 1,
  });
  const [mode, setMode] = useState<Mode>('all');

  const jump = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(total - 1, index));
      setSelected(i);
      setScrollTo((s) => ({ index: i, seq: s.seq + 1 }));
    },
    [total],
  );

  // Focus requests from elsewhere (a finding's link) after mount.
  useEffect(() => {
    if (w.focus && w.focus.runId === runId) {
      setSelected(w.focus.index);
      setScrollTo((s) => ({ index: w.focus!.index, seq: s.seq + 1 }));
      if (mode !== 'all' && !w.focus.range) setMode('all');
    }
  }, [w.focus, runId]);

  return { selected, setSelected, scrollTo, mode, setMode, jump };
}

/** The selected entry's detail; an answer for an entry no longer selected is dropped. */
export function useEntryDetail(runId: string, selected: number) {
  const [detail, setDetail] = useState<EntryDetail>();
  const [detailErr, setDetailErr] = useState<IpcError>();
  useEffect(() => {
    let live = true;
    setDetailErr(undefined);
    call('entries.detail', { runId, index: selected }).then(
      (d) => live && setDetail(d),
      (e) => live && setDetailErr(asIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [runId, selected]);
  return { detail, detailErr };
}
