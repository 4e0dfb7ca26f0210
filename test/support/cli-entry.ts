/**
 * `proofdesk` from source for tests that need a real process (bounded.ts): the same main() as
 * bin/proofdesk.js, without a build. Writes the process's peak RSS (KiB) where the test asks.
 */
import { writeFileSync } from 'node:fs';
import { main } from '../../electron/cli/main.js';

process.on('exit', () => {
  const f = process.env.PROOFDESK_TEST_RSS_FILE;
  if (f) writeFileSync(f, String(process.resourceUsage().maxRSS));
});

await main();
