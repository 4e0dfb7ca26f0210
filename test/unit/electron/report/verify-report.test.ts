/**
 * `report verify` reads the report in pieces: a signed report with 500 MB appended is judged
 * (the detached signature fails, the attachment is still found, the PDF no longer matches its
 * rendering) in a real process whose peak memory stays far below the file's size.
 */
import { copyFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportVerification } from '../../../../electron/report/verify-report.js';
import { cliBounded } from '../../../support/bounded.js';
import { caseCli } from '../../../support/cli.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';
import { REPO_ROOT } from '../../../support/vectors.js';

const tmp = makeTempDir('proofdesk-report-append-');
const { cli } = caseCli(() => tmp);
afterAll(() => removeDir(tmp));
const SAMPLES = join(REPO_ROOT, 'resources', 'samples');

beforeAll(async () => {
  expect((await cli(['keygen', '--out', 'ex', '--name', 'Ex', '--no-passphrase'])).code).toBe(0);
  const r = await cli([
    'verify',
    join(SAMPLES, 'sample-bundle'),
    '--trust',
    join(SAMPLES, 'sample-log.vkey'),
    '--witness',
    join(SAMPLES, 'sample-witness.vkey'),
    '--entry-key',
    join(SAMPLES, 'sample-source.pub'),
    '--report',
    'r',
    '--examiner-key',
    'ex.key',
  ]);
  expect(r.code, r.err).toBe(0);
});

describe('report verify of a report with 500 MB appended', () => {
  it('judges it in bounded memory', async () => {
    const big = join(tmp, 'big.pdf');
    copyFileSync(join(tmp, 'r', 'report.pdf'), big);
    copyFileSync(join(tmp, 'r', 'report.pdf.sig'), `${big}.sig`);
    const size = statSync(big).size;
    // Sparse: 500 MB to read, none of it written to disk.
    truncateSync(big, size + 500 * 1024 * 1024);
    const r = await cliBounded(['report', 'verify', big, '--key', join(tmp, 'ex.pub'), '--json'], {
      timeoutMs: 120_000,
    });
    expect(r.timedOut, `${r.ms} ms`).toBe(false);
    expect(r.code, r.stderr).toBe(1);
    const v = JSON.parse(r.stdout) as ReportVerification;
    expect(v.input.size).toBe(size + 500 * 1024 * 1024);
    expect(Object.fromEntries(v.checks.map((c) => [c.id, c.status]))).toMatchObject({
      'detached-signature': 'fail',
      attachment: 'pass',
      envelope: 'pass',
      'dsse-signature': 'pass',
      statement: 'pass',
    });
    expect(v.findings.map((f) => f.code)).toContain('REPORT_SIGNATURE_INVALID');
    console.log(`report verify, 500 MB appended: ${r.ms} ms, peak ${r.maxRssMiB} MiB`);
    expect(r.maxRssMiB).toBeLessThan(450);
  });
});
