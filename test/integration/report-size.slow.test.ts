/**
 * Measurement (not part of `npm test`): a report with 10,000 findings. A 10,050-entry bundle
 * whose first 10,000 events were edited in place gives 10,000 CHAIN_BROKEN findings (plus the
 * root and digest mismatches). Prints the verification time, the report render time, the sizes
 * of the PDF and the attestation, and the time `report verify` takes (re-render included), and
 * checks the PDF stays bounded: a summary and at most MAX_FINDINGS_PRINTED findings on pages,
 * the full list in the attachments.
 *
 * Run with `npm run test:slow` (vitest.slow.config.ts, which includes the *.slow.test.ts files)
 * (the default config excludes slow suites). Numbers are recorded in docs/report-format.md §6.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FINDINGS_PRINTED } from '../../shared/report/verification-document.js';
import { verifyBundle } from '../../electron/engine/verify.js';
import { sealKeyFile, unlockKeyFile } from '../../electron/keys/keyfile.js';
import { createVerificationReport, writeVerificationReport } from '../../electron/report/verification-report.js';
import { verifyReport } from '../../electron/report/verify-report.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../support/fixtures.js';

const N = 10_050;
const TAMPERED = 10_000;
const tmp = makeTempDir('proofdesk-report-size-');
afterAll(() => removeDir(tmp));

describe('a report with 10,000 findings', () => {
  it('stays bounded and renders in seconds', async () => {
    const b = generateBundle(join(tmp, 'bundle'), N, { checkpointEvery: 1000 });
    const path = join(b.dir, 'entries.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let i = 0; i < TAMPERED; i++) lines[i] = lines[i]!.replace('"outcome":"', '"outcome":"~');
    writeFileSync(path, lines.join('\n'));

    let t = performance.now();
    const run = (await verifyBundle({ bundle: b.dir, trusted: [b.logKey.trusted], workers: 2 })).run;
    const verifyMs = performance.now() - t;
    const chain = run.result.findings.filter((f) => f.code === 'CHAIN_BROKEN').length;
    expect(chain).toBe(TAMPERED);

    const ex = testKey('report-size-examiner');
    const key = unlockKeyFile(sealKeyFile(ex.seed, { name: 'Size Test' }, null, '2026-01-01T00:00:00Z'), undefined);
    const input = { result: run.result, examiner: key, caseReference: 'SIZE', startedAt: '2026-11-26T10:00:00.000Z', finishedAt: '2026-11-26T10:00:09.000Z', trustInputs: [] };
    t = performance.now();
    const report = await createVerificationReport(input);
    const firstMs = performance.now() - t;
    t = performance.now();
    const again = await createVerificationReport(input);
    const warmMs = performance.now() - t;
    expect(Buffer.from(again.pdf).equals(Buffer.from(report.pdf))).toBe(true);
    const w = writeVerificationReport(join(tmp, 'report'), report);

    t = performance.now();
    const v = await verifyReport({ input: w.pdf, examinerKey: key.publicKey });
    const checkMs = performance.now() - t;
    expect(v.verdict).toBe('PASS');

    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [w.pdf], { encoding: 'utf8' }))![1]);
    const text = execFileSync('pdftotext', [w.pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const printed = (text.match(/CHAIN_BROKEN entries\.jsonl/g) ?? []).length;
    expect(printed).toBeLessThanOrEqual(MAX_FINDINGS_PRINTED);
    const attachments = execFileSync('pdfdetach', ['-list', w.pdf], { encoding: 'utf8' });
    expect(attachments).toContain('findings.csv');

    const row = (k: string, v: string) => `  ${k.padEnd(34)} ${v}`;
    console.log(
      [
        `report with ${run.result.findings.length} findings (${chain} CHAIN_BROKEN) over ${N} entries`,
        row('verify bundle', `${verifyMs.toFixed(0)} ms`),
        row('create report (first in process)', `${firstMs.toFixed(0)} ms`),
        row('create report (warm)', `${warmMs.toFixed(0)} ms`),
        row('report verify (incl. re-render)', `${checkMs.toFixed(0)} ms`),
        row('PDF', `${report.pdf.length} bytes, ${pages} pages`),
        row('attestation.dsse.json', `${report.attestation.envelopeBytes.length} bytes (payload ${report.attestation.payload.length})`),
        row('findings printed in full', `${Math.min(MAX_FINDINGS_PRINTED, run.result.findings.length)}`),
      ].join('\n'),
    );
    expect(pages).toBeLessThan(60);
  }, 300_000);
});
