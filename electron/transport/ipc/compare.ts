/**
 * compare.*: two exports of one log through the diff engine. In a case, the comparison is a
 * run of the case (recorded, journaled, with the case's trust store and its proof files kept
 * as evidence), done in a worker; its divergence attestation can be signed and recorded.
 */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { resolveKeys, trustArgsOfRefs } from '../../services/keys.js';
import { signDivergence } from '../../services/reports.js';
import { type Backend, bundlePath } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function compareHandlers(
  b: Backend,
): AreaHandlers<'compare.start' | 'compare.cancel' | 'compare.get' | 'compare.sign'> {
  return {
    'compare.start': (a) => {
      const workers = b.workers;
      if (a.caseId !== undefined) {
        const caseRef = b.cases.ref(a.caseId);
        const caseId = b.cases.require(a.caseId).caseId;
        // Evidence of the case is named by id, so the store does not present it again.
        const ref = (r: typeof a.a) => ('evidenceId' in r ? `#${Number(r.evidenceId)}` : r.path);
        const extraTrust = trustArgsOfRefs(a.keys);
        const jobId = b.compares.start({
          a: bundlePath(b, a.a),
          b: bundlePath(b, a.b),
          trusted: [],
          caseId,
          runner: async (signal, onProgress) => {
            try {
              const out = await b.tasks.run(
                'case.diff',
                {
                  ...caseRef,
                  a: ref(a.a),
                  b: ref(a.b),
                  cwd: process.cwd(),
                  extraTrust,
                  ...(workers !== undefined ? { workers } : {}),
                  ...(a.alignBy ? { alignBy: a.alignBy } : {}),
                },
                { signal, onProgress },
              );
              return { run: out.run, caseRunId: out.runId, proofs: out.proofs };
            } finally {
              b.emit({ type: 'case.changed', caseId });
            }
          },
        });
        return { jobId };
      }
      if (a.keys.length === 0)
        throw new ProofdeskError('USAGE', 'choose at least one trusted key: exports cannot vouch for themselves');
      const jobId = b.compares.start({
        a: bundlePath(b, a.a),
        b: bundlePath(b, a.b),
        trusted: resolveKeys(a.keys),
        ...(a.alignBy ? { alignBy: a.alignBy } : {}),
        ...(workers !== undefined ? { workers } : {}),
      });
      return { jobId };
    },
    'compare.cancel': (a) => ({ cancelled: b.compares.cancel(a.jobId) }),
    'compare.get': (a) => b.compares.view(a.jobId),
    'compare.sign': async (a) => {
      const r = await signDivergence(b.compares.record(a.jobId), {
        keyPath: a.keyPath,
        ...(a.passphrase !== undefined ? { passphrase: a.passphrase } : {}),
        out: a.out,
        cases: b.cases,
        tasks: b.tasks,
      });
      if (r.caseReportId !== undefined) b.emit({ type: 'case.changed', caseId: b.cases.open?.caseId ?? null });
      return r;
    },
  };
}
