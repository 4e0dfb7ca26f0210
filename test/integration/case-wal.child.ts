/**
 * Child process for the WAL concurrency test (case-wal.test.ts): a verification run written
 * into a case, then its entry index built in many small transactions, then a few imports —
 * all while the parent reads the same case file.
 *
 * argv[2]: JSON { caseDir, bundle, files: string[] }
 */
import { writeSync } from 'node:fs';
import { openCase } from '../../electron/case/case.js';
import { buildEntryIndex } from '../../electron/case/entry-index.js';
import { importEvidence } from '../../electron/case/evidence.js';
import { verifyInCase } from '../../electron/services/case-run.js';

const o = JSON.parse(process.argv[2]!) as { caseDir: string; bundle: string; files: string[] };
const cf = openCase(o.caseDir, { actor: 'writer' });
const out = await verifyInCase(cf, { bundle: o.bundle, workers: 1, index: false });
writeSync(1, `RUN ${out.runId} ${out.run.result.verdict}\n`);
buildEntryIndex(cf, out.evidence.id, { runId: out.runId, batch: 500 });
writeSync(1, 'INDEXED\n');
for (const f of o.files) importEvidence(cf, f, { kind: 'other' });
cf.close();
writeSync(1, 'DONE\n');
