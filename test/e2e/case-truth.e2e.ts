/**
 * The case as the single source of truth, in real Chromium against the real services: a case
 * created with the examiner's name; a file that is not a bundle stored only when the examiner
 * says so; keys trusted through the confirmation dialog; two runs; the verdict always the
 * selected bundle's; a reload restores everything (bundles, runs, the entry browser, a report
 * preview); the journal's subjects as the CLI prints them, times in UTC (or labelled local time);
 * a key untrusted with a reason changes the next run; the integrity check and the export; a
 * comparison in the case, journaled, its proof of misbehaviour kept and its attestation signed,
 * with no error flashing at its end; closing the case leaves nothing of it behind; reopening
 * shows it all again.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { makeTempDir, removeDir, testKey } from '../support/fixtures.js';
import { type ForkedPair, writeForkedPair } from './fixtures.js';
import {
  type App,
  expectOnlyLocalRequests,
  importBundle,
  importSample,
  launchApp,
  SAMPLE_BUNDLE,
  startVerify,
} from './support.js';

let app: App;
let tmp: string;
let tampered: string;
let fork: ForkedPair;
let keyFile: string;
const caseDir = () => join(tmp, 'case');

/** Records the text of every alert that appears on the page, however briefly. */
async function watchAlerts(): Promise<void> {
  await app.page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __alerts: string[] }).__alerts = seen;
    new MutationObserver(() => {
      for (const el of Array.from(document.querySelectorAll('[role="alert"]'))) seen.push(el.textContent ?? '');
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}
const alertsSeen = () => app.page.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts);

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-truth-');
  tampered = join(tmp, 'tampered-bundle');
  cpSync(SAMPLE_BUNDLE, tampered, { recursive: true });
  const file = join(tampered, 'entries.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[700] = lines[700]!.replace(/"outcome":"(success|denied)"/, (_m, o: string) =>
    o === 'success' ? '"outcome":"denied"' : '"outcome":"success"',
  );
  writeFileSync(file, lines.join('\n'));
  writeFileSync(join(tmp, 'notes.jsonl'), '{"note":"not a bundle"}\n');
  fork = writeForkedPair(join(tmp, 'fork'));
  const examiner = testKey('e2e-truth-examiner', 'erin');
  keyFile = join(tmp, 'erin.key');
  writeKeyFile(
    keyFile,
    sealKeyFile(examiner.seed, { name: 'Erin Examiner', keyName: 'erin' }, null, '2026-11-01T00:00:00Z'),
  );
  app = await launchApp({ workers: 2, viewport: { width: 1440, height: 900 } });
}, 180_000);

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

async function verdictShown(): Promise<string | null> {
  return app.page.getByTestId('run-result').locator('[data-verdict]').first().getAttribute('data-verdict');
}

describe('the case is the source of truth', () => {
  it('creates a case with the examiner named, and records the examiner in the journal', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.locator('input[name="case-title"]').fill('Truth');
    await page.locator('input[name="case-dir"]').fill(caseDir());
    // No examiner, no case.
    await page.locator('input[name="case-examiner"]').fill('');
    await expect(page.getByTestId('create-case').isDisabled()).resolves.toBe(true);
    await page.locator('input[name="case-examiner"]').fill('Erin Examiner');
    await page.getByTestId('create-case').click();
    await expect(page.getByTestId('case-examiner').textContent()).resolves.toBe('Erin Examiner');
    const created = page.getByTestId('case-journal').locator('tr[data-action="case.created"]');
    await expect(created.locator('td').nth(2).textContent()).resolves.toBe('Erin Examiner');
    // Times carry their date and their zone.
    await expect(created.locator('td').nth(1).textContent()).resolves.toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
  });

  it('stores a file that is not a bundle only when the examiner says so', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    await page.locator('input[name="bundle-path"]').fill(join(tmp, 'notes.jsonl'));
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await page.getByTestId('not-a-bundle').waitFor();
    await app.shot('20-not-a-bundle');
    await page.locator('[data-screen="cases"]').click();
    await expect(page.getByTestId('case-evidence').count()).resolves.toBe(0);
    await expect(page.getByTestId('case-journal').locator('tr[data-action="evidence.imported"]').count()).resolves.toBe(
      0,
    );
    await page.locator('[data-screen="import"]').click();
    await page.locator('input[name="bundle-path"]').fill(join(tmp, 'notes.jsonl'));
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await page.getByTestId('store-as-other').click();
    await page.getByRole('status').filter({ hasText: 'stored as other evidence' }).waitFor();
    await page.locator('[data-screen="cases"]').click();
    await expect(
      page.getByTestId('case-evidence').locator('tbody tr td:nth-child(2)').allTextContents(),
    ).resolves.toEqual(['other']);
  });

  it('trusts keys only through the dialog that shows the fingerprint, role and log', async () => {
    const { page } = app;
    await importSample(page, { inCase: true });
    await importBundle(page, tampered);
    const rows = page.getByTestId('keys-table').locator('tbody tr');
    await expect(rows.locator('[data-testid="key-roles"]').allTextContents()).resolves.toEqual([
      'log',
      'witness',
      'entry',
    ]);
    await expect(rows.locator('td:nth-child(3)').allTextContents()).resolves.toEqual([
      'demo.proofdesk.example/audit',
      'demo.proofdesk.example/audit',
      'demo.proofdesk.example/audit',
    ]);
    // The card names the evidence digest, the same the case table shows.
    const digest = await page
      .getByTestId('bundle-card')
      .first()
      .getByTestId('evidence-digest')
      .getAttribute('data-digest');
    await page.locator('[data-screen="cases"]').click();
    await expect(
      page.getByTestId('case-evidence').locator('tr[data-evidence-id="2"]').textContent(),
    ).resolves.toContain(digest!.slice(0, 12));
    await app.shot('21-case-keys');
  });

  it('verifies both bundles; the verdict shown is always the selected bundle’s', async () => {
    const { page } = app;
    await page.locator('[data-screen="verify"]').click();
    await page.locator('select[name="bundle"]').selectOption('ev:2');
    await watchAlerts();
    const pass = await startVerify(page);
    await expect(verdictShown()).resolves.toBe('PASS');
    await page.locator('select[name="bundle"]').selectOption('ev:6');
    // Another bundle selected: no verdict of the first one under its name.
    await expect(page.getByTestId('run-result').count()).resolves.toBe(0);
    await startVerify(page);
    await expect(verdictShown()).resolves.toBe('FAIL');
    expect((await alertsSeen()).filter((t) => /could not be verified|ended without a result/.test(t))).toEqual([]);
    // Picking the PASS run among the other runs selects its bundle too.
    await page.getByTestId('earlier-runs').locator(`[data-run-key="${pass.runId}"]`).click();
    await expect(verdictShown()).resolves.toBe('PASS');
    await expect(page.locator('select[name="bundle"]').inputValue()).resolves.toBe('ev:2');
    // Picking a run on Entries and coming back: the selector follows the run.
    await page.locator('[data-screen="entries"]').click();
    const runSelect = page.locator('select[name="entries-run"]');
    const failKey = await runSelect.locator('option').filter({ hasText: 'FAIL' }).getAttribute('value');
    await runSelect.selectOption(failKey!);
    await page.locator('[data-screen="verify"]').click();
    await expect(page.locator('select[name="bundle"]').inputValue()).resolves.toBe('ev:6');
    await expect(verdictShown()).resolves.toBe('FAIL');
  });

  it('a reload restores everything: bundles, runs, the entry browser and a report preview', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('navigation', { name: 'screens' }).waitFor();
    await page.locator('[data-screen="verify"]').click();
    await expect(page.locator('select[name="bundle"] option:not([disabled])').count()).resolves.toBe(2);
    await expect(page.getByTestId('earlier-runs').locator('li').count()).resolves.toBe(2);
    await page.getByTestId('earlier-runs').locator('li').filter({ hasText: 'FAIL' }).locator('button').click();
    await expect(verdictShown()).resolves.toBe('FAIL');
    await page.getByTestId('show-first-problem').click();
    const detail = page.getByTestId('entry-detail');
    await detail.and(page.locator('[data-index="700"]')).waitFor();
    await expect(detail.getByTestId('entry-cause').getAttribute('data-cause')).resolves.toBe('ENTRY_ALTERED');
    await page.locator('[data-screen="reports"]').click();
    await page.getByTestId('report-preview').waitFor();
    // The one evidence digest: the case's (its journal's) is the report's page 1.
    await page.locator('[data-screen="cases"]').click();
    const digest = await page
      .getByTestId('case-evidence')
      .locator('tr[data-evidence-id="6"] code')
      .first()
      .getAttribute('title');
    await page.locator('[data-screen="reports"]').click();
    const runSelect = page.locator('select[name="report-run"]');
    await runSelect.selectOption(
      (await runSelect.locator('option').filter({ hasText: 'tampered-bundle' }).getAttribute('value'))!,
    );
    await expect.poll(() => page.getByTestId('report-preview').textContent()).toContain(digest!);
    await app.shot('22-reload-restored');
  });

  it('shows the journal as the CLI does (path, digest, size), and in a labelled local time on request', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    const imported = page
      .getByTestId('case-journal')
      .locator('tr[data-action="evidence.imported"]')
      .filter({ hasText: 'bundle' })
      .first();
    await expect(imported.getByTestId('journal-subject').textContent()).resolves.toMatch(
      /^evidence:2 bundle [0-9a-f]{16}… \d+ B from .*sample-bundle$/,
    );
    await page.locator('select[name="zone"]').selectOption('local');
    await expect(imported.locator('td').nth(1).textContent()).resolves.toMatch(/ UTC[+−]\d{2}:\d{2} \(.+\)$/);
    await page.locator('select[name="zone"]').selectOption('UTC');
  });

  it('untrusts a key with a reason: journaled, and the next run no longer counts its signatures', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.getByTestId('case-keys').locator('tbody tr').nth(2).getByTestId('revoke-key').click();
    const dialog = page.getByTestId('revoke-dialog');
    await expect(dialog.getByTestId('confirm-revoke').isDisabled()).resolves.toBe(true);
    await dialog.locator('textarea[name="revoke-reason"]').fill('imported by mistake: not the operator’s key');
    await app.shot('23-revoke-dialog');
    await dialog.getByTestId('confirm-revoke').click();
    await dialog.waitFor({ state: 'detached' });
    const revoked = page.getByTestId('case-journal').locator('tr[data-action="key.revoked"]');
    await expect(revoked.getByTestId('journal-subject').textContent()).resolves.toContain('imported by mistake');
    await expect(page.getByTestId('case-keys').locator('tbody tr').nth(2).getAttribute('data-status')).resolves.toBe(
      'untrusted',
    );
    await page.locator('[data-screen="verify"]').click();
    await page.locator('select[name="bundle"]').selectOption('ev:2');
    await startVerify(page);
    await expect(verdictShown()).resolves.not.toBe('PASS');
  });

  it('checks the integrity of the case and exports it', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.getByTestId('check-case').click();
    await expect(page.getByTestId('case-check').getAttribute('data-ok')).resolves.toBe('true');
    await app.shot('24-case-check');
    await page.getByTestId('export-case').click();
    await page.locator('input[name="export-path"]').fill(join(tmp, 'truth-export.tar'));
    await page.getByTestId('export-dialog').getByRole('button', { name: 'Export' }).click();
    await page.getByTestId('export-done').waitFor();
    expect(existsSync(join(tmp, 'truth-export.tar'))).toBe(true);
    await page.getByTestId('export-done').getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('case-journal').locator('tr[data-action="case.exported"]').waitFor();
  });

  it('compares in the case: the case trust store, journaled, the proof kept, the attestation signed; no error flashes', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    await importBundle(page, fork.a);
    await importBundle(page, fork.b);
    await page.locator('input[name="key-path"]').fill(fork.logKey);
    await page.getByRole('button', { name: 'Review and trust…' }).click();
    await page
      .getByTestId('trust-dialog')
      .locator('select[name="trust-origin"]')
      .selectOption('audit.example.com/prod');
    await page.getByTestId('trust-dialog').locator('button[type="submit"]').click();
    await page.getByTestId('trust-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-screen="compare"]').click();
    const ids = await page
      .locator('select[name="compare-a"] option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
    const idOf = (name: string) => ids.find(([, t]) => t?.includes(name))![0]!;
    await page.locator('select[name="compare-a"]').selectOption(idOf('export-a'));
    await page.locator('select[name="compare-b"]').selectOption(idOf('export-b'));
    await expect(page.getByTestId('compare-trust').textContent()).resolves.toContain('audit.example.com/prod');
    await watchAlerts();
    await page.getByTestId('start-compare').click();
    const result = page.getByTestId('compare-result');
    await result.waitFor();
    await expect(result.getAttribute('data-verdict')).resolves.toBe('FORKED');
    expect((await alertsSeen()).filter((t) => /could not be compared/.test(t))).toEqual([]);
    await expect(page.getByTestId('compare-proofs').textContent()).resolves.toMatch(/misbehaviour-\d+-\d+\.proof/);
    await page.locator('input[name="diff-examiner-key"]').fill(keyFile);
    await page.locator('input[name="diff-attestation"]').fill(join(tmp, 'divergence.dsse.json'));
    await page.getByTestId('sign-divergence').click();
    await page.locator('input[name="passphrase"]').press('Enter');
    await page.getByTestId('divergence-signed').waitFor();
    expect(existsSync(join(tmp, 'divergence.dsse.json'))).toBe(true);
    await app.shot('25-compare-in-case');
    await page.locator('[data-screen="cases"]').click();
    const journal = page.getByTestId('case-journal');
    await journal.locator('tr[data-action="report.signed"]').waitFor();
    const kinds = await page.getByTestId('case-runs').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(kinds).toContain('compare');
  });

  it('closing the case leaves nothing of it: no bundles, runs, keys or compares', async () => {
    const { page } = app;
    await page.getByTestId('close-case').click();
    await page.getByTestId('nav-case').filter({ hasText: 'No case open' }).waitFor();
    for (const [screen, probe] of [
      ['verify', 'No bundle yet'],
      ['entries', 'Nothing to browse yet'],
      ['compare', 'Two bundles needed'],
      ['reports', 'No finished run'],
    ] as const) {
      await page.locator(`[data-screen="${screen}"]`).click();
      await page.getByText(probe).first().waitFor();
    }
    await page.locator('[data-screen="import"]').click();
    await expect(page.getByTestId('bundle-card').count()).resolves.toBe(0);
    await expect(page.getByTestId('keys-table').count()).resolves.toBe(0);
  });

  it('reopens the case: its runs open again from the Case screen', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.locator('input[name="open-dir"]').fill(caseDir());
    await page.locator('input[name="open-examiner"]').fill('Erin Examiner');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByTestId('case-runs').waitFor();
    console.log(`reopen of the case: ${Date.now() - t0} ms to the case screen`);
    await page.getByTestId('case-runs').locator('tr[data-run-id="1"]').getByTestId('open-run').click();
    await expect(verdictShown()).resolves.toBe('PASS');
    await app.shot('26-reopened-run');
  });

  it('is drawn at 1024 and 1440 px, in light and dark', async () => {
    const { page } = app;
    for (const [width, height] of [
      [1024, 768],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const theme of ['light', 'dark'] as const) {
        await page.locator('select[name="theme"]').selectOption(theme);
        for (const screen of ['cases', 'import', 'verify', 'compare', 'reports'] as const) {
          await page.locator(`[data-screen="${screen}"]`).click();
          await app.shot(`27-${screen}-${width}-${theme}`);
        }
      }
    }
    await page.locator('select[name="theme"]').selectOption('light');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
