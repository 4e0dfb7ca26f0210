/**
 * The entry browser: every entry of a finished run (a virtualised list that scales to millions),
 * its parsed fields (time, actor, action, target), and for the selected entry its raw line or
 * pretty-printed JSON, its chain links and its Merkle inclusion proof up to the signed root.
 *
 * Above it, the timeline (entries over time by coverage, silent periods marked) and the search:
 * for a run of the open case, a query over the case's FTS5 index with filters (actor, action,
 * target, time range), the number of hits, and each hit with its status in this run; for a
 * run outside a case, a scan of the entries file that lists every line holding the text. Both
 * can be stopped; matches are highlighted.
 */
import { useMemo } from 'react';
import type { RunView } from '../../../shared/protocol/ipc.js';
import { Empty, ErrorBox } from '../components/common.js';
import { runsOf, useRunView, useWorkspace } from '../state.js';
import { BrowserHead } from './entries/BrowserHead.js';
import { findingEntriesOf } from './entries/coverage.js';
import { DetailPane } from './entries/Detail.js';
import { HitList } from './entries/HitList.js';
import { AllEntries, entryRowCells, FindingIndex } from './entries/ListPane.js';
import { SearchForm } from './entries/SearchForm.js';
import { barQuery } from './entries/search.js';
import { TimelinePanel } from './entries/TimelinePanel.js';
import { GotoForm, ModeTabs } from './entries/Toolbar.js';
import type { TimeSpan } from './entries/types.js';
import { useEntryDetail, useSelection } from './entries/useBrowser.js';
import { useEntryPages } from './entries/useEntryPages.js';
import { useSearch } from './entries/useSearch.js';

export { causeAt } from './entries/coverage.js';
export { Highlight } from './entries/Highlight.js';

export function EntriesScreen() {
  const { w } = useWorkspace();
  const runs = runsOf(w).filter((r) => r.state === 'done');
  const key = (w.currentRun && runs.some((r) => r.key === w.currentRun) ? w.currentRun : undefined) ?? runs[0]?.key;
  const view = useRunView(key);
  if (!key) {
    return (
      <div className="screen">
        <header className="screen-head">
          <h1>Entries</h1>
        </header>
        <Empty title="Nothing to browse yet">
          <p>The entry browser opens the entries of a finished verification run. Verify a bundle first.</p>
        </Empty>
      </div>
    );
  }
  if (!view?.run)
    return (
      <div className="screen">
        <p className="muted">Loading the run…</p>
      </div>
    );
  if (!view.browsable)
    return (
      <div className="screen">
        <header className="screen-head">
          <h1>Entries</h1>
        </header>
        <Empty title="This run's entries cannot be browsed">
          <p>The bundle could not be indexed when it was verified. Verify it again.</p>
        </Empty>
      </div>
    );
  return <Browser key={key} runId={key} view={view} />;
}

function Browser({ runId, view }: { runId: string; view: RunView }) {
  const { w } = useWorkspace();
  const result = view.run!.result;
  const total = result.bundle.entryCount;
  const indexed = view.indexed === true;
  const { selected, setSelected, scrollTo, mode, setMode, jump } = useSelection(runId, total);
  const { detail, detailErr } = useEntryDetail(runId, selected);
  const search = useSearch(runId, result, indexed, setMode);
  const { hits, searching, query } = search;
  const { rowOf, onRange } = useEntryPages(runId);
  const findingEntries = useMemo(() => findingEntriesOf(result), [result]);
  const findingSet = useMemo(() => new Set(findingEntries), [findingEntries]);

  const openBar = (b: TimeSpan) => {
    jump(b.firstIndex);
    if (indexed) void query(barQuery(b, w.zone));
    else setMode('all');
  };
  const renderRow = (i: number) => entryRowCells(i, rowOf(i), result, findingSet.has(i));

  return (
    <div className="screen entries-screen">
      <BrowserHead runId={runId} view={view} />
      <TimelinePanel runId={runId} onOpen={openBar} />
      <SearchForm search={search} indexed={indexed} />
      <ErrorBox error={search.searchErr} title="Search failed" />

      <div className="toolbar">
        <ModeTabs mode={mode} setMode={setMode} total={total} hits={hits} findings={findingEntries.length} />
        <GotoForm
          total={total}
          onGo={(n) => {
            setMode('all');
            jump(n);
          }}
        />
      </div>

      <div className="browser">
        <div className="list-pane">
          {mode === 'all' ? (
            <AllEntries
              total={total}
              selected={selected}
              onSelect={setSelected}
              renderRow={renderRow}
              onRange={onRange}
              scrollTo={scrollTo}
            />
          ) : mode === 'hits' && hits ? (
            <HitList
              hits={hits}
              selected={selected}
              onPick={jump}
              onMore={() => void query({ after: hits.list.at(-1)?.index })}
              searching={searching}
              total={total}
              rowOf={rowOf}
              want={onRange}
            />
          ) : (
            <FindingIndex entries={findingEntries} result={result} selected={selected} onPick={jump} />
          )}
        </div>
        <DetailPane
          selected={selected}
          detail={detail}
          detailErr={detailErr}
          result={result}
          terms={hits?.highlight ?? []}
        />
      </div>
    </div>
  );
}
