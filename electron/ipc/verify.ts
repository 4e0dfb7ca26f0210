/** verify.*: start, watch and cancel runs of the one verification orchestrator. */
import { ProofdeskError } from '../../shared/errors.js';
import { resolveKeys } from '../services/keys.js';
import type { Backend } from './backend.js';
import { verifyInCase } from '../store/case-run.js';
import { bundlePath } from './compare.js';
import type { AreaHandlers } from './router.js';

export function verifyHandlers(b: Backend): AreaHandlers<'verify.start' | 'verify.cancel' | 'verify.get' | 'verify.list'> {
  return {
    'verify.start': (a) => {
      const workers = a.workers ?? b.workers;
      const keyFiles = a.keys.flatMap((k) => ('path' in k ? [k.path] : []));
      if (a.caseId !== undefined || 'evidenceId' in a.bundle) {
        // A run of the case: the case's trust store for the bundle's origin, plus keys given
        // here; the case store imports the bundle (or finds it by digest) and records the run.
        const cf = b.cases.require(a.caseId);
        const bundle = bundlePath(b, a.bundle);
        // Evidence of the case is named by id, so the store does not present it again.
        const ref = 'evidenceId' in a.bundle ? `#${Number(a.bundle.evidenceId)}` : bundle;
        const extraTrust = a.keys.flatMap((k) => ('path' in k ? [k.path] : 'text' in k ? [k.text.trim()] : []));
        const runId = b.runs.start({
          bundle,
          trusted: [],
          keyFiles,
          caseId: cf.caseId,
          runner: async (signal, onProgress) => {
            const out = await verifyInCase(cf, { bundle: ref, extraTrust, signal, onProgress, ...(workers !== undefined ? { workers } : {}) });
            b.emit({ type: 'case.changed', caseId: cf.caseId });
            return { ...out, caseRunId: out.runId };
          },
        });
        return { runId };
      }
      if (a.keys.length === 0) throw new ProofdeskError('USAGE', 'choose at least one trusted key: a bundle cannot verify itself');
      const trusted = resolveKeys(a.keys, b.caseKey);
      const runId = b.runs.start({ bundle: a.bundle.path, trusted, keyFiles, ...(workers !== undefined ? { workers } : {}) });
      return { runId };
    },
    'verify.cancel': (a) => ({ cancelled: b.runs.cancel(a.runId) }),
    'verify.get': (a) => b.runs.view(a.runId),
    'verify.list': () => b.runs.list(),
  };
}
