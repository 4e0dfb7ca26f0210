/** entries.*: the entry browser over a finished run: pages, one entry, search, indexed query, timeline. */
import { queryRun, timelineView } from '../../services/entry-search.js';
import { type Backend, browserFor } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function entriesHandlers(
  b: Backend,
): AreaHandlers<'entries.page' | 'entries.detail' | 'entries.search' | 'entries.query' | 'entries.timeline'> {
  return {
    'entries.page': (a) => browserFor(b, a.runId).page(a.from, a.count),
    'entries.detail': (a) => browserFor(b, a.runId).detail(a.index),
    'entries.search': (a) => browserFor(b, a.runId).search(a.query, a.from, a.limit),
    'entries.query': (a) => {
      const { runId, ...q } = a;
      return queryRun(b.runs.record(runId), b.cases, b.tasks, q);
    },
    'entries.timeline': (a) => {
      const { runId, ...t } = a;
      return timelineView(b.runs.record(runId), b.cases, b.tasks, t);
    },
  };
}
