/**
 * `node --import ./test/support/record-loads.mjs …`: appends the URL of every module the ES module
 * loader loads to the file named by $PROOFDESK_RECORD_LOADS, one per line. The start-up tests run
 * the CLI under it to see which packages a command loads.
 */
import { register } from 'node:module';

const file = process.env.PROOFDESK_RECORD_LOADS;
if (file) register('./record-loads-hooks.mjs', import.meta.url, { data: { file } });
