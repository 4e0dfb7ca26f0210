/**
 * A case from start to signed report, in real Chromium against the real services: create a
 * case, import the sample bundle and keys into it, verify (PASS, recorded as a run), sign a
 * report with an encrypted examiner key (wrong passphrase first), check the PDF signature
 * with openssl, check the report in the app (valid; then an edited PDF; then without the
 * examiner's key), and read the custody journal.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { encodeSpkiPem, keyFingerprint } from '../../shared/keys/keys.js';
import { makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { flipBits } from '../support/tamper.js';
import {
  type App,
  expectOnlyLocalRequests,
  importBundle,
  importSample,
  launchApp,
  SAMPLE_BUNDLE,
  startVerify,
} from './support.js';

const PASSPHRASE = 'correct horse battery staple';
let app: App;
let tmp: string;
let keyFile: string;
let pubFile: string;
let erinFingerprint: string;
let tampered: string;

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-case-');
  const examiner = testKey('e2e-examiner', 'erin');
  keyFile = join(tmp, 'erin.key');
  pubFile = join(tmp, 'erin.pub');
  writeKeyFile(
    keyFile,
    sealKeyFile(
      examiner.seed,
      { name: 'Erin Examiner', keyName: 'erin', organisation: 'Example Audit LLP' },
      PASSPHRASE,
      '2026-11-01T00:00:00Z',
    ),
  );
  writeFileSync(pubFile, encodeSpkiPem(examiner.publicKey));
  writeFileSync(join(tmp, 'other.pub'), encodeSpkiPem(testKey('e2e-someone-else').publicKey));
  erinFingerprint = keyFingerprint(examiner.publicKey);
  tampered = join(tmp, 'tampered-bundle');
  cpSync(SAMPLE_BUNDLE, tampered, { recursive: true });
  const file = join(tampered, 'entries.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[700] = lines[700]!.replace(/"outcome":"(success|denied)"/, (_m, o: string) =>
    o === 'success' ? '"outcome":"denied"' : '"outcome":"success"',
  );
  writeFileSync(file, lines.join('\n'));
  app = await launchApp({ workers: 2 });
});

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

describe('a case, a run and a signed report', () => {
  it('creates a case', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.locator('input[name="case-title"]').fill('ACME audit log, Q4 2026');
    await page.locator('input[name="case-reference"]').fill('ISO-27001-2026-017');
    await page.locator('input[name="case-examiner"]').fill('Erin Examiner');
    await page.locator('input[name="case-dir"]').fill(join(tmp, 'case'));
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect(page.getByTestId('case-title').textContent()).resolves.toBe('ACME audit log, Q4 2026');
    expect(existsSync(join(tmp, 'case', 'case.sqlite'))).toBe(true);
  });

  it('imports the sample into the case and verifies it as a recorded run', async () => {
    const { page } = app;
    await importSample(page, { inCase: true });
    await page.getByRole('button', { name: 'Verify…' }).first().click();
    const { result } = await startVerify(page);
    await expect(result.locator('[data-verdict]').first().getAttribute('data-verdict')).resolves.toBe('PASS');
    await page.locator('[data-screen="cases"]').click();
    await page.getByTestId('case-runs').locator('[data-verdict="PASS"]').waitFor();
    const actions = await page
      .getByTestId('case-journal')
      .locator('tr[data-action]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const a of ['case.created', 'evidence.imported', 'key.trusted', 'run.started', 'run.finished'])
      expect(actions).toContain(a);
    await expect(page.getByTestId('case-evidence').locator('tbody tr').count()).resolves.toBe(4); // the bundle and three key files
    await app.shot('07-case');
  });

  it('previews and signs a report; a wrong passphrase is refused where it was typed', async () => {
    const { page } = app;
    await page.locator('[data-screen="reports"]').click();
    await page.getByTestId('report-preview').waitFor();
    await page.locator('input[name="examiner-key"]').fill(keyFile);
    await page.locator('input[name="report-dir"]').fill(join(tmp, 'report'));
    await page.getByTestId('sign-report').click();
    await page.locator('input[name="passphrase"]').fill('wrong passphrase');
    await app.shot('08-report-passphrase');
    await page.keyboard.press('Enter');
    await expect(page.locator('[role="alert"]').getAttribute('data-code')).resolves.toBe('PASSPHRASE_WRONG');
    expect(existsSync(join(tmp, 'report', 'report.pdf'))).toBe(false);
    await page.getByTestId('sign-report').click();
    await page.locator('input[name="passphrase"]').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-report').waitFor();
    await app.shot('09-report-signed');
    for (const f of ['report.pdf', 'report.pdf.sig', 'attestation.dsse.json'])
      expect(existsSync(join(tmp, 'report', f))).toBe(true);
  });

  it('writes a PDF whose detached signature openssl accepts', () => {
    const out = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        pubFile,
        '-rawin',
        '-in',
        join(tmp, 'report', 'report.pdf'),
        '-sigfile',
        join(tmp, 'report', 'report.pdf.sig'),
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/Signature Verified Successfully/);
  });

  it('checks a received report: valid, then an edited PDF, then against another key', async () => {
    const { page } = app;
    const check = async (path: string, key: string) => {
      await page.locator('input[name="check-path"]').fill(path);
      await page.locator('input[name="check-key"]').fill(key);
      await page.getByTestId('check-report').click();
      const r = page.getByTestId('report-check');
      await r.waitFor();
      return {
        verdict: await r.getAttribute('data-verdict'),
        authenticity: await r.getAttribute('data-authenticity'),
        codes: await r.locator('[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code'))),
      };
    };
    await expect(check(join(tmp, 'report'), pubFile)).resolves.toEqual({
      verdict: 'PASS',
      authenticity: 'authentic',
      codes: [],
    });
    await page.getByTestId('report-check').scrollIntoViewIfNeeded();
    await app.shot('10-report-check');
    cpSync(join(tmp, 'report'), join(tmp, 'edited'), { recursive: true });
    const pdf = readFileSync(join(tmp, 'edited', 'report.pdf'));
    flipBits(pdf, Math.floor(pdf.length / 2), 0x01);
    writeFileSync(join(tmp, 'edited', 'report.pdf'), pdf);
    const edited = await check(join(tmp, 'edited'), pubFile);
    expect(edited.verdict).toBe('FAIL');
    expect(edited.authenticity).toBe('altered');
    expect(edited.codes).toContain('REPORT_SIGNATURE_INVALID');
    await page.getByTestId('report-check').scrollIntoViewIfNeeded();
    await app.shot('10b-report-check-edited');
    // The right report checked against another key: not verified with that key, but never called
    // altered — the report names the key that signed it (Erin's).
    const wrongKey = await check(join(tmp, 'report'), join(tmp, 'other.pub'));
    expect(wrongKey.verdict).toBe('FAIL');
    expect(wrongKey.authenticity).toBe('other-key');
    expect(wrongKey.codes).toContain('ATTESTATION_SIGNATURE_INVALID');
    await expect(page.getByTestId('report-signer').locator('code').first().getAttribute('title')).resolves.toBe(
      erinFingerprint,
    );
    await expect(page.getByTestId('report-check').textContent()).resolves.not.toMatch(/altered|changed after/i);
    await page.getByTestId('report-check').scrollIntoViewIfNeeded();
    await app.shot('10c-report-check-other-key');
  });

  it('a genuine report of a FAIL run: authentic, attesting FAIL, each in its own colours; re-run gives the same', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    await importBundle(page, tampered);
    await page.locator('[data-screen="verify"]').click();
    await page.locator('select[name="bundle"]').selectOption('ev:5');
    const { runId } = await startVerify(page);
    await page.locator('[data-screen="reports"]').click();
    await page.locator('select[name="report-run"]').selectOption(runId);
    await page.getByTestId('report-preview').waitFor();
    await page.locator('input[name="examiner-key"]').fill(keyFile);
    await page.locator('input[name="report-dir"]').fill(join(tmp, 'fail-report'));
    await page.getByTestId('sign-report').click();
    await page.locator('input[name="passphrase"]').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-report').waitFor();
    await page.locator('input[name="check-path"]').fill(join(tmp, 'fail-report'));
    await page.locator('input[name="check-key"]').fill(pubFile);
    await page.locator('input[name="check-rerun"]').check();
    await page.locator('select[name="rerun-bundle"]').selectOption('ev:5');
    await page.getByTestId('check-report').click();
    const r = page.getByTestId('report-check');
    await r.waitFor();
    await expect(r.getAttribute('data-authenticity')).resolves.toBe('authentic');
    await expect(page.getByTestId('report-attested').getAttribute('data-attested')).resolves.toBe('FAIL');
    await expect(page.getByTestId('report-rerun').getAttribute('data-verdict')).resolves.toBe('FAIL');
    await expect(page.getByTestId('report-rerun').textContent()).resolves.toContain('the same result as attested');
    // As prominent as each other, and never in each other's colour.
    const style = await page.evaluate(() => {
      const auth = document.querySelector('[data-testid="report-authenticity"] .auth-badge')!;
      const verdict = document.querySelector('[data-testid="report-attested"] .verdict')!;
      const a = getComputedStyle(auth);
      const v = getComputedStyle(verdict);
      return {
        authColor: a.color,
        verdictColor: v.color,
        authSize: parseFloat(a.fontSize),
        verdictSize: parseFloat(getComputedStyle(verdict.querySelector('b')!).fontSize),
      };
    });
    expect(style.authColor).not.toBe(style.verdictColor);
    expect(style.authSize).toBeGreaterThanOrEqual(style.verdictSize * 0.75);
    await r.scrollIntoViewIfNeeded();
    await app.shot('10d-report-check-fail-authentic');
    await page.locator('select[name="theme"]').selectOption('dark');
    await app.shot('10e-report-check-fail-authentic-dark');
    await page.locator('select[name="theme"]').selectOption('light');
  });

  it('records both reports in the case journal', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await expect
      .poll(() => page.getByTestId('case-journal').locator('tr[data-action="report.signed"]').count())
      .toBe(2);
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
