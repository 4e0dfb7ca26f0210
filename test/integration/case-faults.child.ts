/**
 * Child process for case-faults.test.ts: creates a case (`create`) or exports one (`export`)
 * and announces each step on stdout. At the requested step it blocks (synchronously, inside
 * the operation) so that the parent's SIGKILL lands exactly there.
 *
 * argv[2]: JSON { op: 'create' | 'export', dir, out?, stop }
 */
import { writeSync } from 'node:fs';
import { createCase, openCase } from '../../electron/case/case.js';
import { exportCase } from '../../electron/case/export.js';

const o = JSON.parse(process.argv[2]!) as { op: 'create' | 'export'; dir: string; out?: string; stop: string };
const hold = new Int32Array(new SharedArrayBuffer(4));
const step = (s: string) => {
  writeSync(1, `STEP ${s}\n`);
  if (s === o.stop) {
    writeSync(1, 'STOP\n');
    Atomics.wait(hold, 0, 0, 120_000);
  }
};
if (o.op === 'create') {
  createCase(o.dir, { title: 'Interrupted' }, { actor: 'fault-child', onStep: step }).close();
} else {
  const cf = openCase(o.dir, { actor: 'fault-child' });
  exportCase(cf, { out: o.out!, onStep: step });
  cf.close();
}
writeSync(1, 'DONE\n');
