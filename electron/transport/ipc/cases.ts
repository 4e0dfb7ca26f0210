/** cases.*: create/open the case file, import evidence into it, trust keys, read the journal. */
import type { Backend } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function caseHandlers(
  b: Backend,
): AreaHandlers<
  | 'cases.create'
  | 'cases.open'
  | 'cases.close'
  | 'cases.current'
  | 'cases.importEvidence'
  | 'cases.trustKey'
  | 'cases.journal'
> {
  const changed = () => b.emit({ type: 'case.changed', caseId: b.cases.open?.caseId ?? null });
  return {
    'cases.create': async (a) => {
      const v = await b.cases.create(a.dir, a.title, a.reference);
      changed();
      return v;
    },
    'cases.open': async (a) => {
      const v = await b.cases.openDir(a.dir);
      changed();
      return v;
    },
    'cases.close': () => {
      const closed = b.cases.close();
      changed();
      return { closed };
    },
    'cases.current': () => (b.cases.open ? b.cases.view() : null),
    'cases.importEvidence': async (a) => {
      const caseId = b.cases.require().caseId;
      // Copied, hashed and inspected in a worker; progress goes out as events.
      const r = await b.cases.importEvidence(a.path, a.label, (p) =>
        b.emit({
          type: 'case.progress',
          caseId,
          task: 'import',
          path: a.path,
          bytesDone: p.bytesDone,
          bytesTotal: p.bytesTotal,
        }),
      );
      changed();
      return { evidence: r.evidence, duplicate: r.duplicate, ...(r.bundle ? { bundle: r.bundle } : {}) };
    },
    'cases.trustKey': async (a) => {
      const k = await b.cases.trustKey('path' in a.key ? a.key.path : a.key.text.trim(), {
        ...(a.role !== undefined ? { role: a.role } : {}),
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
