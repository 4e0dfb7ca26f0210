/**
 * cases.*: create/open/close the case file, import evidence into it, trust and revoke keys,
 * read the journal, check its integrity and export it. Closing or switching a case lets go of
 * everything of it the backend holds (forgetCase).
 */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Backend, forgetCase } from './backend.js';
import type { AreaHandlers } from './handler.js';

type ImportArgs = Parameters<AreaHandlers<'cases.importEvidence'>['cases.importEvidence']>[0];

/** Copied, hashed and inspected in a worker; progress goes out as events. */
async function importWithProgress(b: Backend, a: ImportArgs) {
  const caseId = b.cases.require().caseId;
  const r = await b.cases.importEvidence(
    a.path,
    a.label,
    (p) =>
      b.emit({
        type: 'case.progress',
        caseId,
        task: 'import',
        path: a.path,
        bytesDone: p.bytesDone,
        bytesTotal: p.bytesTotal,
      }),
    a.kind,
  );
  return { evidence: r.evidence, duplicate: r.duplicate, ...(r.bundle ? { bundle: r.bundle } : {}) };
}

export function caseHandlers(
  b: Backend,
): AreaHandlers<
  | 'cases.create'
  | 'cases.open'
  | 'cases.close'
  | 'cases.current'
  | 'cases.importEvidence'
  | 'cases.trustKey'
  | 'cases.revokeKey'
  | 'cases.journal'
  | 'cases.check'
  | 'cases.export'
> {
  const changed = () => b.emit({ type: 'case.changed', caseId: b.cases.open?.caseId ?? null });
  return {
    'cases.create': async (a) => {
      await forgetCase(b);
      const v = await b.cases.create(a.dir, a.title, a.reference, a.examiner);
      changed();
      return v;
    },
    'cases.open': async (a) => {
      await forgetCase(b);
      const v = await b.cases.openDir(a.dir, a.examiner);
      changed();
      return v;
    },
    'cases.close': async () => {
      await forgetCase(b);
      const closed = b.cases.close();
      changed();
      return { closed };
    },
    'cases.current': () => (b.cases.open ? b.cases.view() : null),
    'cases.importEvidence': async (a) => {
      const r = await importWithProgress(b, a);
      changed();
      return r;
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
    'cases.revokeKey': async (a) => {
      if (a.reason.trim() === '') throw new ProofdeskError('USAGE', 'say why the key is no longer trusted');
      const k = await b.cases.revokeKey(a.fingerprint, a.revokedAt, a.reason.trim());
      changed();
      return k;
    },
    'cases.journal': (a) => b.cases.journal(a.fromSeq, a.limit),
    'cases.check': () => b.cases.check(),
    'cases.export': async (a) => {
      const r = await b.cases.export(a.out, a.withIndex ?? false);
      changed();
      return r;
    },
  };
}
