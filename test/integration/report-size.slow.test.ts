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
import { sealKeyFile, unlockKeyFile } from '../../electron/keys/keyfile.js';
import { createVerificationReport, writeVerificationReport } from '../../electron/report/verification-report.js';
import { verifyReport } from '../../electron/report/verify-report.js';
import { verifyBundle } from '../../electron/verify/bundle/verify.js';
import { MAX_FINDINGS_PRINTED } from '../../shared/report/verification-document.js';
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
    const input = {
      result: run.result,
      examiner: key,
      caseReference: 'SIZE',
      startedAt: '2026-11-26T10:00:00.000Z',
      finishedAt: '2026-11-26T10:00:09.000Z',
      trustInputs: [],
    };
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

    const pages = Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [w.pdf], { encoding: 'utf8' }))![1]);
    // -layout keeps each printed line on one text line, and pdftotext ends every page with a form feed.
    const text = execFileSync('pdftotext', ['-layout', w.pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pageTexts = text.split('\f');
    expect(pageTexts.pop()).toBe('');
    // The page count of this fixed input (deterministic bytes, checked above); it changes only with the layout.
    expect(pages).toBe(14);
    expect(pageTexts).toHaveLength(pages);
    pageTexts.forEach((p, i) => {
      expect(p.match(/Page \d+ of \d+/g), `footer of page ${i + 1}`).toEqual([`Page ${i + 1} of ${pages}`]);
    });

    const total = run.result.findings.length;
    expect(total).toBe(TAMPERED + 13); // + MANIFEST_DIGEST_MISMATCH, MANIFEST_SIZE_MISMATCH, 11 ROOT_MISMATCH (one per checkpoint)
    expect(text).toMatch(/Evidence problems found: 10,013 errors\. 10,050 of 10,050 entries failed/);
    expect(text).toMatch(/^ERROR +CHAIN_BROKEN +10,000 /m);
    expect(text).toContain('10,013 findings listed in the attestation; the first 150 are printed here');
    expect(text).toContain('… 9,863 more findings not printed: see findings.csv.');
    // Printed finding items are indented (after the form feed on a page's first line); the summary table's rows are not.
    const findingsSection = text.slice(text.indexOf('\nFindings\n'), text.indexOf('\nCoverage\n'));
    const items = [...findingsSection.matchAll(/^\f? {2}(ERROR|WARNING|INFO) +([A-Z][A-Z0-9_]+) +(\S.*)$/gm)];
    expect(items).toHaveLength(MAX_FINDINGS_PRINTED);
    const byCode = new Map<string, number>();
    for (const m of items) byCode.set(m[2]!, (byCode.get(m[2]!) ?? 0) + 1);
    expect(Object.fromEntries(byCode)).toEqual({
      MANIFEST_DIGEST_MISMATCH: 1,
      MANIFEST_SIZE_MISMATCH: 1,
      ROOT_MISMATCH: 11,
      CHAIN_BROKEN: MAX_FINDINGS_PRINTED - 13,
    });
    // The chain breaks are printed in entry order from the first tampered link (entry 0 keeps its genesis prev).
    const chainEntries = items
      .filter((m) => m[2] === 'CHAIN_BROKEN')
      .map((m) => Number(/entries\.jsonl, entry (\d+),/.exec(m[3]!)?.[1]));
    expect(chainEntries).toEqual(Array.from({ length: MAX_FINDINGS_PRINTED - 13 }, (_, i) => i + 1));
    const printed = items.length;
    const attachments = execFileSync('pdfdetach', ['-list', w.pdf], { encoding: 'utf8' });
    expect(attachments).toContain('findings.csv');
    expect(attachments).toContain('attestation.dsse.json');

    const row = (k: string, v: string) => `  ${k.padEnd(34)} ${v}`;
    console.log(
      [
        `report with ${run.result.findings.length} findings (${chain} CHAIN_BROKEN) over ${N} entries`,
        row('verify bundle', `${verifyMs.toFixed(0)} ms`),
        row('create report (first in process)', `${firstMs.toFixed(0)} ms`),
        row('create report (warm)', `${warmMs.toFixed(0)} ms`),
        row('report verify (incl. re-render)', `${checkMs.toFixed(0)} ms`),
        row('PDF', `${report.pdf.length} bytes, ${pages} pages`),
        row(
          'attestation.dsse.json',
          `${report.attestation.envelopeBytes.length} bytes (payload ${report.attestation.payload.length})`,
        ),
        row('findings printed in full', `${printed}`),
      ].join('\n'),
    );
    expect(pages).toBeLessThan(60);
  }, 300_000);
});
