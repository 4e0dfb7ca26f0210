/** cases.*: create/open the case file, import evidence into it, trust keys, read the journal. */
import { existsSync, statSync } from 'node:fs';
import { inspectBundle } from '../services/inspect.js';
import type { Backend } from './backend.js';
import type { AreaHandlers } from './router.js';

export function caseHandlers(b: Backend): AreaHandlers<'cases.create' | 'cases.open' | 'cases.close' | 'cases.current' | 'cases.importEvidence' | 'cases.trustKey' | 'cases.journal'> {
  const changed = () => b.emit({ type: 'case.changed', caseId: b.cases.open?.caseId ?? null });
  return {
    'cases.create': (a) => {
      const v = b.cases.create(a.dir, a.title, a.reference);
      changed();
      return v;
    },
    'cases.open': (a) => {
      const v = b.cases.openDir(a.dir);
      changed();
      return v;
    },
    'cases.close': () => {
      const closed = b.cases.close();
      changed();
      return { closed };
    },
    'cases.current': () => (b.cases.open ? b.cases.view() : null),
    'cases.importEvidence': (a) => {
      const r = b.cases.importEvidence(a.path, a.label);
      changed();
      const isBundle = r.evidence.kind === 'bundle' && existsSync(r.stored) && (statSync(r.stored).isDirectory() || statSync(r.stored).isFile());
      return { evidence: r.evidence, duplicate: r.duplicate, ...(isBundle ? { bundle: inspectBundle(r.stored) } : {}) };
    },
    'cases.trustKey': (a) => {
      const k = b.cases.trustKey('path' in a.key ? a.key.path : a.key.text.trim(), {
        ...(a.label !== undefined ? { label: a.label } : {}),
        ...(a.origin !== undefined ? { origin: a.origin } : {}),
        ...(a.validFrom !== undefined ? { validFrom: a.validFrom } : {}),
        ...(a.validUntil !== undefined ? { validUntil: a.validUntil } : {}),
      });
      changed();
      return k;
    },
    'cases.journal': (a) => b.cases.journal(a.fromSeq, a.limit),
  };
}
