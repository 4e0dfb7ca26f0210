/**
 * Child process for the crash test (case-crash.test.ts): imports one file or directory into a
 * case and announces on stdout when it reaches the requested point. With "block", it then
 * waits (synchronously, inside the import) so that the parent's SIGKILL lands exactly there;
 * without it, the import carries on and the kill lands wherever the copy has got to.
 *
 * argv[2]: JSON { caseDir, source, stage: 'copy' | 'staged' | 'placed' | 'committed', atBytes?, block }
 */
import { writeSync } from 'node:fs';
import { openCase } from '../../electron/case/case.js';
import { importEvidence } from '../../electron/case/evidence.js';

const o = JSON.parse(process.argv[2]!) as {
  caseDir: string;
  source: string;
  stage: string;
  atBytes?: number;
  block: boolean;
};
const cf = openCase(o.caseDir, { actor: 'crash-child' });
let announced = false;
const hold = new Int32Array(new SharedArrayBuffer(4));
importEvidence(cf, o.source, {
  onProgress: (p) => {
    if (announced || p.stage !== o.stage) return;
    if (p.stage === 'copy' && p.bytesDone < (o.atBytes ?? 0)) return;
    announced = true;
    writeSync(1, `STOP ${p.stage}\n`);
    if (o.block) Atomics.wait(hold, 0, 0, 120_000);
  },
});
cf.close();
writeSync(1, 'DONE\n');
