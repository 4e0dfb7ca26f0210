/** entries.*: the entry browser over a finished run's index. */
import { type Backend, browserFor } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function entriesHandlers(b: Backend): AreaHandlers<'entries.page' | 'entries.detail' | 'entries.search'> {
  return {
    'entries.page': (a) => browserFor(b, a.runId).page(a.from, a.count),
    'entries.detail': (a) => browserFor(b, a.runId).detail(a.index),
    'entries.search': (a) => browserFor(b, a.runId).search(a.query, a.from, a.limit),
  };
}
