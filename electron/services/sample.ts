/**
 * The sample bundle shipped in resources/samples with its published keys, and the DEMO examiner
 * key: demo material made by scripts/make-sample.ts from fixed, public seeds, never to be
 * trusted for anything real. `proofdesk demo` verifies the sample; the app offers it.
 */
import { join } from 'node:path';
import { resourcePath } from '../platform/paths.js';

export const SAMPLE = {
  bundle: () => resourcePath('samples', 'sample-bundle'),
  logKey: () => resourcePath('samples', 'sample-log.vkey'),
  witnessKey: () => resourcePath('samples', 'sample-witness.vkey'),
  sourceKey: () => resourcePath('samples', 'sample-source.pub'),
};

/** The DEMO examiner key (resources/demo/README.md): unencrypted, from a public seed. */
export const DEMO_EXAMINER = {
  key: () => resourcePath('demo', 'demo-examiner.key'),
  publicKey: () => resourcePath('demo', 'demo-examiner.pub'),
};
/** Where the demo writes its signed report, relative to the working directory (git-ignored). */
export const DEMO_REPORT_DIR = join('out', 'demo-report');
