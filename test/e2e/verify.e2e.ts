/**
 * The main path through the app in real Chromium against the real services: import the
 * sample bundle and its keys, verify (PASS), open an entry and its inclusion proof; then a
 * tampered copy (FAIL) with a click-through from the finding to the broken entry. Every
 * request the page makes is recorded: none may leave the local host.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import {
  type App,
  expectOnlyLocalRequests,
  importBundle,
  importSample,
  launchApp,
  SAMPLE_BUNDLE,
  SAMPLE_KEYS,
  startVerify,
} from './support.js';

let app: App;
let tmp: string;
let tampered: string;
const TAMPERED_ENTRY = 700;

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-');
  tampered = join(tmp, 'tampered-bundle');
  cpSync(SAMPLE_BUNDLE, tampered, { recursive: true });
  // Change one character inside entry 700's event: still valid JSON, so the only evidence
  // of the edit is cryptographic (digest, chain link of entry 701, Merkle roots).
  const file = join(tampered, 'entries.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  const before = lines[TAMPERED_ENTRY]!;
  lines[TAMPERED_ENTRY] = before.replace(
    /"outcome":"(success|denied)"/,
    (_m, o: string) => `"outcome":"${o === 'success' ? 'denied' : 'success'}"`,
  );
  expect(lines[TAMPERED_ENTRY]).not.toBe(before);
  writeFileSync(file, lines.join('\n'));
  app = await launchApp({ workers: 2 });
});

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

describe('verify in the app', () => {
  it('imports the sample bundle and keys and shows what was detected', async () => {
    const { page } = app;
    await app.shot('01-import-empty');
    await importSample(page);
    const card = page.getByTestId('bundle-card').first();
    await expect(card.getByTestId('entry-count').textContent()).resolves.toContain('1,500');
    await expect(card.textContent()).resolves.toContain('demo.proofdesk.example/audit');
    await expect(page.getByTestId('keys-table').locator('tbody tr').count()).resolves.toBe(3);
    await app.shot('02-import-sample');
    // The same key imported again in another role is a second row, not silently dropped; removing it leaves the first.
    const rows = page.getByTestId('keys-table').locator('tbody tr');
    await page.locator('select[name="key-role"]').selectOption('log');
    await page.locator('input[name="key-path"]').fill(SAMPLE_KEYS[2]!.path);
    await page.getByRole('button', { name: 'Import key' }).click();
    await rows.nth(3).waitFor();
    await expect(rows.locator('[data-testid="key-roles"]').allTextContents()).resolves.toEqual([
      'log',
      'witness',
      'entry',
      'log',
    ]);
    await rows.nth(3).getByRole('button', { name: 'Remove' }).click();
    await expect(rows.locator('[data-testid="key-roles"]').allTextContents()).resolves.toEqual([
      'log',
      'witness',
      'entry',
    ]);
  });

  it('verifies the sample: PASS, with every check listed', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Verify…' }).first().click();
    const { result } = await startVerify(page);
    await expect(result.locator('[data-verdict]').first().getAttribute('data-verdict')).resolves.toBe('PASS');
    await expect(page.locator('[data-check="merkle-roots"]').getAttribute('data-status')).resolves.toBe('pass');
    await expect(page.locator('[data-check="chain"]').getAttribute('data-status')).resolves.toBe('pass');
    await app.shot('03-verify-pass');
  });

  it('browses entries and draws an inclusion proof up to the signed root', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Browse entries' }).click();
    const list = page.getByTestId('entry-list');
    await list.locator('[data-index="0"]').waitFor();
    await list.locator('[data-index="3"]').click();
    const detail = page.getByTestId('entry-detail');
    await detail.and(page.locator('[data-index="3"]')).waitFor();
    await expect(detail.getByTestId('prev-status').getAttribute('data-status')).resolves.toBe('ok');
    const proof = detail.getByTestId('proof-path');
    await expect(proof.getAttribute('data-matches')).resolves.toBe('true');
    // Entry 3 under the 500-entry checkpoint: ceil(log2 500) = 9 proof hashes.
    await expect(proof.locator('.proof-level').count()).resolves.toBe(9);
    await proof.scrollIntoViewIfNeeded();
    await app.shot('04b-inclusion-proof');
    // Keyboard: the list is usable without a mouse.
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await detail.and(page.locator('[data-index="4"]')).waitFor();
    await page.locator('input[name="goto"]').fill('1499');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await detail.and(page.locator('[data-index="1499"]')).waitFor();
    // Outside a case the search reads the entries file: event ids count in base 36, evt-000003f is entry 123.
    await page.locator('input[name="search"]').fill('evt-000003f');
    await page.getByTestId('run-search').click();
    const hits = page.getByTestId('hit-list');
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe('1');
    await hits.locator('[data-index="123"] button').click();
    await detail.and(page.locator('[data-index="123"]')).waitFor();
    // The match is marked in the entry shown.
    await expect(detail.locator('mark').first().textContent()).resolves.toBe('evt-000003f');
    await app.shot('04-entries-proof');
  });

  it('fails a tampered copy: names the altered entry first, and flags it in the entry browser', async () => {
    const { page } = app;
    await page
      .getByRole('button', { name: /Import/ })
      .first()
      .click();
    await page.locator('input[name="bundle-path"]').fill(tampered);
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await page.getByTestId('bundle-card').nth(1).waitFor();
    await page.getByTestId('bundle-card').nth(1).getByRole('button', { name: 'Verify…' }).click();
    // The PASS run's result is still on screen here; startVerify waits for the new run's own.
    const { result } = await startVerify(page);
    await expect(result.locator('[data-verdict]').first().getAttribute('data-verdict')).resolves.toBe('FAIL');
    // The headline names the entry that was changed, not the one where the break shows.
    await expect(result.getByTestId('headline').textContent()).resolves.toMatch(
      new RegExp(`^Entry ${TAMPERED_ENTRY} was altered\\. `),
    );
    const causes = result.getByTestId('diagnosis').getByTestId('cause');
    await expect(causes.first().getAttribute('data-cause')).resolves.toBe('ENTRY_ALTERED');
    // Its findings are listed under it: the break at the next entry, the roots, the manifest.
    const codes = await causes
      .first()
      .locator('[data-code]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(['CHAIN_BROKEN', 'ROOT_MISMATCH', 'MANIFEST_DIGEST_MISMATCH']));
    await expect(
      result.getByTestId('coverage-stats').locator('[data-reason="ROOT_NO_LONGER_MATCHES"]').count(),
    ).resolves.toBe(1);
    await app.shot('05-verify-fail');
    // From the cause to the entry: the altered one, failed, flagged in the list.
    await causes.first().getByTestId('cause-entry-link').click();
    const detail = page.getByTestId('entry-detail');
    await detail.and(page.locator(`[data-index="${TAMPERED_ENTRY}"]`)).waitFor();
    await expect(detail.getByTestId('entry-coverage').textContent()).resolves.toBe('failed');
    await expect(detail.getByTestId('entry-coverage-reason').getAttribute('data-reason')).resolves.toBe(
      'ENTRY_CHANGED',
    );
    await expect(detail.getByTestId('entry-cause').getAttribute('data-cause')).resolves.toBe('ENTRY_ALTERED');
    await expect(page.getByTestId('cause-flag').first().getAttribute('data-cause')).resolves.toBe('ENTRY_ALTERED');
    await app.shot('06-entries-altered');
    // The entry after it, where the chain break shows, is only no longer proven.
    await page.keyboard.press('Alt+3');
    await page.locator('[data-code="CHAIN_BROKEN"]').getByTestId('finding-entry-link').click();
    await detail.and(page.locator(`[data-index="${TAMPERED_ENTRY + 1}"]`)).waitFor();
    await expect(detail.getByTestId('prev-status').getAttribute('data-status')).resolves.toBe('broken');
    await expect(detail.getByTestId('entry-coverage').textContent()).resolves.toBe('unverifiable');
    await expect(detail.getByTestId('entry-coverage-reason').getAttribute('data-reason')).resolves.toBe(
      'ROOT_NO_LONGER_MATCHES',
    );
    await expect(detail.getByTestId('proof-path').getAttribute('data-matches')).resolves.toBe('false');
    await app.shot('06b-entries-broken');
  });

  it('warns when a bundle changed after it was imported (no case keeps it)', async () => {
    const { page } = app;
    const changing = join(tmp, 'changing-bundle');
    cpSync(SAMPLE_BUNDLE, changing, { recursive: true });
    await page.locator('[data-screen="import"]').click();
    await importBundle(page, changing);
    const card = page.getByTestId('bundle-card').nth(2);
    const imported = await card.getByTestId('evidence-digest').getAttribute('data-digest');
    // Changed on disk after the import: one more line in a file the bundle does not list.
    writeFileSync(join(changing, 'notes.txt'), 'added after the import\n');
    await card.getByRole('button', { name: 'Verify…' }).click();
    const { result } = await startVerify(page);
    const warning = result.getByTestId('changed-since-import');
    await warning.waitFor();
    await expect(warning.locator('code').first().getAttribute('title')).resolves.toBe(imported);
    await app.shot('06a-verify-changed-since-import');
    // The unchanged sample: no warning.
    await page.locator('select[name="bundle"]').selectOption({ index: 1 });
    await startVerify(page);
    await expect(page.getByTestId('changed-since-import').count()).resolves.toBe(0);
  });

  it('switches screens from the keyboard and has a dark theme', async () => {
    const { page } = app;
    await page.keyboard.press('Alt+3');
    await expect(page.locator('[data-screen="verify"]').getAttribute('aria-current')).resolves.toBe('page');
    await page.locator('select[name="theme"]').selectOption('dark');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await app.shot('06b-verify-fail-dark');
    await page.keyboard.press('Alt+4');
    await expect(page.locator('[data-screen="entries"]').getAttribute('aria-current')).resolves.toBe('page');
    await app.shot('06c-entries-dark');
    await page.locator('select[name="theme"]').selectOption('light');
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
