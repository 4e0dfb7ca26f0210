/** reports.*: preview, sign (examiner key file + passphrase) and check signed reports. */

import { resolveKey } from '../../services/keys.js';
import { checkReport, previewReport, signReport } from '../../services/reports.js';
import type { Backend } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function reportHandlers(b: Backend): AreaHandlers<'reports.preview' | 'reports.sign' | 'reports.verify'> {
  return {
    'reports.preview': (a) => previewReport(b.runs.record(a.runId), b.cases),
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
    'reports.verify': (a) => checkReport(a.path, resolveKey(a.examinerKey), b.tasks),
  };
}
