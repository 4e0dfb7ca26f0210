/** reports.*: preview, sign (examiner key file + passphrase) and check signed reports. */

import { openBundle } from '../../platform/bundle-source.js';
import { resolveKey, resolveKeys } from '../../services/keys.js';
import { checkReport, previewReport, signReport } from '../../services/reports.js';
import { readManifest } from '../../verify/bundle/manifest-reader.js';
import { type Backend, bundlePath } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function reportHandlers(b: Backend): AreaHandlers<'reports.preview' | 'reports.sign' | 'reports.verify'> {
  return {
    'reports.preview': (a) => previewReport(b.runs.record(a.runId), b.cases, b.tasks),
    'reports.sign': async (a) => {
      const r = await signReport(b.runs.record(a.runId), {
        keyPath: a.keyPath,
        ...(a.passphrase !== undefined ? { passphrase: a.passphrase } : {}),
        outDir: a.outDir,
        cases: b.cases,
        tasks: b.tasks,
      });
      if (r.caseReportId !== undefined) b.emit({ type: 'case.changed', caseId: b.cases.open?.caseId ?? null });
      return r;
    },
    'reports.verify': (a) => {
      const rerun = a.rerun;
      if (!rerun) return checkReport(a.path, resolveKey(a.examinerKey), b.tasks);
      // Evidence of the open case is verified again with the case's trust for its origin, as a run of the case would be.
      const bundle = bundlePath(b, rerun.bundle);
      const trusted = 'evidenceId' in rerun.bundle ? b.cases.trustedFor(bundleOrigin(bundle)) : resolveKeys(rerun.keys);
      return checkReport(a.path, resolveKey(a.examinerKey), b.tasks, { bundle, trusted });
    },
  };
}

function bundleOrigin(path: string): string {
  return readManifest(openBundle(path)).manifest.origin;
}
