/**
 * Trust and search in real Chromium against the real services (issue 14):
 *   - outside a case, the DEMO sample keys are never ticked next to a key of the examiner's, in
 *     either order of import; a run uses only the ticked keys and its result (the report it
 *     previews) names exactly those;
 *   - entry counts read from the manifest are shown as claims before a run, and the count the
 *     run verified is shown apart, as verified;
 *   - in a case, the entry browser shows the parsed time, actor, action and target of
 *     Kubernetes audit events;
 *   - the trust dialog's validity window: a key trusted until before the log's checkpoints does
 *     not make them count, and a window with an end no witness dates leaves the run
 *     INCONCLUSIVE; the case shows the window;
 *   - the indexed search with a target filter and a time range counts and lists exactly the
 *     entries the generator wrote there; Cancel of an indexed search keeps its late answer off
 *     the screen.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { auditEvent, auditTimeMs, auditTs } from '../support/audit-events.js';
import { generateBundle, makeTempDir, ORIGIN, removeDir, type TestKey, testKey } from '../support/fixtures.js';
import { type App, expectOnlyLocalRequests, importBundle, launchApp, startVerify } from './support.js';

const REAL_COUNT = 1500;
const REAL_EVERY = 500;
const TAMPERED_ENTRY = 700;
const K8S_COUNT = 3000;
const K8S_EVERY = 1000;
const WINDOW_COUNT = 600;
/** The window bundles' logs: one origin each, so each key is trusted for its own log only. */
const BEFORE_ORIGIN = 'audit.example.com/window-before';
const OPEN_ORIGIN = 'audit.example.com/window-open';
/** A validity window that ends a month before the first entry (2026-03-01T00:00:00Z). */
const ENDS_BEFORE = { from: '2025-06-01T00:00:00', until: '2026-02-01T00:00:00' };
/** A window around every entry's time, with an end no witness cosignature dates a checkpoint before. */
const AROUND = { from: '2026-02-01T00:00:00', until: '2026-12-31T23:59:59' };

let app: App;
let tmp: string;
let realLog: TestKey;
let real: { bundle: string; key: string };
let tampered: string;
let k8s: { bundle: string; key: string };
let before: { bundle: string; key: string };
let open: { bundle: string; key: string };

function writeVkey(path: string, k: TestKey): string {
  writeFileSync(path, encodeNoteVerifierKey(k.name, k.publicKey) + '\n');
  return path;
}

/** A bundle of Kubernetes audit events (test/support/audit-events.ts), with its log's key file. */
function writeK8sBundle(name: string, origin: string, count: number, every: number) {
  const log = testKey(`e2e-${name}-log`, origin);
  const dir = join(tmp, name);
  const w = new BundleWriter({
    dir,
    origin,
    logKey: { name: log.name, seed: log.seed },
    checkpointEvery: every,
    created: '2026-11-01T00:00:00Z',
  });
  for (let i = 0; i < count; i++) w.append(auditEvent('k8s', i), auditTs(i));
  w.finish({ seal: true });
  return { bundle: dir, key: writeVkey(join(tmp, `${name}.vkey`), log) };
}

interface K8sFields {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
}

/** What the entry browser should show of k8s event i: user.username, verb, objectRef.resource. */
function k8sFields(i: number): K8sFields {
  const e = auditEvent('k8s', i) as {
    verb: string;
    user: { username: string };
    objectRef: { resource: string };
  };
  return { actor: e.user.username, action: e.verb, target: e.objectRef.resource };
}

beforeAll(async () => {
  tmp = makeTempDir('proofdesk-e2e-trust-search-');
  realLog = testKey('e2e-trust-real-log', ORIGIN);
  const g = generateBundle(join(tmp, 'real-export'), REAL_COUNT, {
    checkpointEvery: REAL_EVERY,
    seed: 21,
    logKey: realLog,
  });
  real = { bundle: g.dir, key: writeVkey(join(tmp, 'real-log.vkey'), realLog) };
  // One character of entry 700 changed: the manifest still claims 1,500 entries; the run can
  // only verify the 500 under the first checkpoint.
  tampered = join(tmp, 'tampered-export');
  cpSync(real.bundle, tampered, { recursive: true });
  const file = join(tampered, 'entries.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  const was = lines[TAMPERED_ENTRY]!;
  lines[TAMPERED_ENTRY] = was.replace(/"outcome":"(success|denied)"/, (_m, o: string) =>
    o === 'success' ? '"outcome":"denied"' : '"outcome":"success"',
  );
  if (lines[TAMPERED_ENTRY] === was) throw new Error('the tampered entry did not change');
  writeFileSync(file, lines.join('\n'));
  k8s = writeK8sBundle('k8s-export', ORIGIN, K8S_COUNT, K8S_EVERY);
  before = writeK8sBundle('window-before-export', BEFORE_ORIGIN, WINDOW_COUNT, 200);
  open = writeK8sBundle('window-open-export', OPEN_ORIGIN, WINDOW_COUNT, 200);
  app = await launchApp({ workers: 2, viewport: { width: 1440, height: 900 } });
}, 180_000);

afterAll(async () => {
  await app?.close();
  removeDir(tmp);
});

const verdictOf = (page: Page) =>
  page.getByTestId('run-result').locator('[data-verdict]').first().getAttribute('data-verdict');

/** The session's key rows on Import: DEMO or not, ticked or not, fingerprint. */
async function sessionKeys(page: Page): Promise<Array<{ demo: boolean; ticked: boolean; fingerprint: string }>> {
  return page
    .getByTestId('keys-table')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        demo: r.getAttribute('data-demo') === 'true',
        ticked: (r.querySelector('input[type="checkbox"]') as HTMLInputElement).checked,
        fingerprint: r.querySelector('code[title]')?.getAttribute('title') ?? '',
      })),
    );
}

/** The names of the keys ticked on the Verify screen (the chips that are on). */
async function verifyChips(page: Page): Promise<{ label: string; on: string[]; demoOn: number }> {
  const field = page.locator('.run-setup .field').filter({ hasText: 'Trusted keys' });
  const label = (await field.locator('.field-label').textContent()) ?? '';
  const on = await field.locator('label.chip.on').allTextContents();
  const demoOn = await field.locator('label.chip.on .tag.demo').count();
  return { label, on, demoOn };
}

/** The fingerprints the report preview lists under "Trusted keys" for the run of `bundleName`. */
async function reportTrustedKeys(page: Page, bundleName: string): Promise<string[]> {
  await page.locator('[data-screen="reports"]').click();
  const runSelect = page.locator('select[name="report-run"]');
  const option = runSelect.locator('option').filter({ hasText: bundleName }).first();
  await runSelect.selectOption((await option.getAttribute('value'))!);
  const preview = page.getByTestId('report-preview');
  await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain(bundleName);
  // Page 1 names the keys trusted for the verification; the trust section lists them again.
  const fingerprints = async (heading: string) =>
    (
      await preview
        .locator(`xpath=.//h3[normalize-space()="${heading}"]/following-sibling::table[1]`)
        .locator('tbody tr td:last-child')
        .allTextContents()
    ).map((t) => t.trim());
  const first = await fingerprints('Keys trusted for this verification');
  expect(await fingerprints('Trusted keys')).toEqual(first);
  return first;
}

describe('outside a case: DEMO keys and claims', () => {
  let demoFingerprints: string[] = [];

  it('ticks the DEMO keys for the sample alone, and unticks them when a real key comes', async () => {
    const { page } = app;
    await page.getByTestId('import-sample').click();
    const rows = page.getByTestId('keys-table').locator('tbody tr');
    await rows.nth(2).waitFor();
    const demo = await sessionKeys(page);
    expect(demo.map((k) => [k.demo, k.ticked])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    demoFingerprints = demo.map((k) => k.fingerprint);
    expect(demoFingerprints.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
    await importBundle(page, real.bundle);
    await page.locator('input[name="key-path"]').fill(real.key);
    await page.getByRole('button', { name: 'Import key' }).click();
    await rows.nth(3).waitFor();
    const keys = await sessionKeys(page);
    expect(keys.filter((k) => k.ticked).map((k) => k.fingerprint)).toEqual([realLog.trusted.fingerprint]);
    expect(keys.filter((k) => k.demo).every((k) => !k.ticked)).toBe(true);
    await app.shot('40-demo-keys-unticked');
    // The Verify screen shows the same set: one of four, no DEMO chip on, no warning.
    await page.getByTestId('bundle-card').nth(1).getByRole('button', { name: 'Verify…' }).click();
    const chips = await verifyChips(page);
    expect(chips.label).toBe('Trusted keys (1 of 4)');
    expect(chips.on).toHaveLength(1);
    expect(chips.on[0]).toContain('(log)');
    expect(chips.demoOn).toBe(0);
    await expect(page.getByText('DEMO keys are ticked next to your own keys').count()).resolves.toBe(0);
    await app.shot('41-verify-trust-real-only');
  });

  it('adds the DEMO keys unticked when a real key is already there', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    const rows = page.getByTestId('keys-table').locator('tbody tr');
    // Forget the DEMO keys, then bring the sample back: its keys come in unticked.
    for (let n = 0; n < 3; n++)
      await rows
        .filter({ has: page.locator('.tag.demo') })
        .first()
        .getByRole('button', { name: 'Remove' })
        .click();
    await expect(rows.count()).resolves.toBe(1);
    await page.getByTestId('import-sample').click();
    await rows.nth(3).waitFor();
    const keys = await sessionKeys(page);
    expect(keys.map((k) => [k.demo, k.ticked])).toEqual([
      [false, true],
      [true, false],
      [true, false],
      [true, false],
    ]);
  });

  it('verifies with the real key only: its run names that key, and the sample does not pass on DEMO keys', async () => {
    const { page } = app;
    await page.locator('[data-screen="verify"]').click();
    await page
      .locator('select[name="bundle"]')
      .selectOption({ label: `real-export — ${REAL_COUNT.toLocaleString('en-US')} entries (claimed)` });
    await startVerify(page);
    await expect(verdictOf(page)).resolves.toBe('PASS');
    // The sample under the same trust: its keys are not trusted, so nothing of it verifies.
    await page.locator('select[name="bundle"]').selectOption({ index: 1 });
    await expect(page.locator('select[name="bundle"] option:checked').textContent()).resolves.toContain(
      'sample-bundle',
    );
    const sample = await startVerify(page);
    await expect(verdictOf(page)).resolves.not.toBe('PASS');
    await expect(
      sample.result.getByTestId('coverage-stats').locator('[data-reason="SIGNED_ROOT_MATCHES"]').count(),
    ).resolves.toBe(0);
    await app.shot('42-sample-without-demo-keys');
    // What the runs trusted, as their results (the reports they preview) name it.
    expect(await reportTrustedKeys(page, 'real-export')).toEqual([realLog.trusted.fingerprint]);
    await app.shot('43-report-trusted-keys');
    const sampleTrust = await reportTrustedKeys(page, 'sample-bundle');
    expect(sampleTrust).toEqual([realLog.trusted.fingerprint]);
    for (const f of demoFingerprints) expect(sampleTrust).not.toContain(f);
  });

  it('labels the manifest’s counts as claims before a run and the verified count apart after it', async () => {
    const { page } = app;
    await page.locator('[data-screen="import"]').click();
    await importBundle(page, tampered);
    const card = page.getByTestId('bundle-card').filter({ hasText: 'tampered-export' });
    await expect(card.getByTestId('entry-count').textContent()).resolves.toMatch(
      /^1,500 claimed by the manifest, not yet verified · /,
    );
    await expect(card.locator('dt:text-is("Checkpoints") + dd').textContent()).resolves.toBe(
      '500, 1,000, 1,500 (claimed sizes)',
    );
    await app.shot('44-import-claims');
    await card.getByRole('button', { name: 'Verify…' }).click();
    await expect(page.locator('select[name="bundle"] option:checked').textContent()).resolves.toBe(
      'tampered-export — 1,500 entries (claimed)',
    );
    // Before the run nothing on the screen says "verified" of this bundle.
    await expect(page.getByTestId('run-result').count()).resolves.toBe(0);
    await app.shot('45-verify-claims-before-run');
    const { result } = await startVerify(page);
    await expect(verdictOf(page)).resolves.toBe('FAIL');
    await expect(result.getByTestId('headline').textContent()).resolves.toContain('500 of 1,500 entries are verified');
    await app.shot('46-verify-verified-count');
    const stats = result.getByTestId('coverage-stats');
    const verified = stats.locator('[data-reason="SIGNED_ROOT_MATCHES"]');
    await expect(verified.locator('dt').textContent()).resolves.toBe('verified');
    await expect(verified.locator('dd').textContent()).resolves.toBe('500');
    await expect(stats.locator('[data-reason="ROOT_NO_LONGER_MATCHES"] dd').textContent()).resolves.toBe('999');
    await expect(stats.locator('[data-reason="ENTRY_CHANGED"] dd').textContent()).resolves.toBe('1');
    // The claim keeps its label after the run: the picker still says "claimed".
    await expect(page.locator('select[name="bundle"] option:checked').textContent()).resolves.toContain('(claimed)');
    await stats.scrollIntoViewIfNeeded();
    await app.shot('46b-verify-coverage-verified');
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});

/** Reads the key file in the trust dialog, sets its log and window, and trusts it. */
async function trustKey(page: Page, key: string, o: { origin: string; from?: string; until?: string }) {
  await page.locator('[data-screen="import"]').click();
  await page.locator('input[name="key-path"]').fill(key);
  await page.getByRole('button', { name: 'Review and trust…' }).click();
  const dialog = page.getByTestId('trust-dialog');
  await dialog.waitFor();
  await dialog.locator('select[name="trust-origin"]').selectOption(o.origin);
  if (o.from) await dialog.locator('input[name="trust-from"]').fill(o.from);
  if (o.until) await dialog.locator('input[name="trust-until"]').fill(o.until);
  return dialog;
}

async function verifyEvidence(page: Page, name: string) {
  await page.locator('[data-screen="verify"]').click();
  const select = page.locator('select[name="bundle"]');
  const value = await select.locator('option').filter({ hasText: name }).getAttribute('value');
  await select.selectOption(value!);
  return startVerify(page);
}

/** The k8s entries whose target is "secrets", dated within [fromMs, toMs]. */
function secretsBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < K8S_COUNT; i++)
    if (k8sFields(i).target === 'secrets' && auditTimeMs(i) >= fromMs && auditTimeMs(i) <= toMs) out.push(i);
  return out;
}

/** An indexed search for target "secrets" between two times typed as the form takes them (UTC). */
async function searchSecrets(page: Page, from: string, to: string): Promise<void> {
  await page.locator('input[name="f-actor"]').fill('');
  await page.locator('input[name="f-target"]').fill('secrets');
  await page.locator('input[name="f-from"]').fill(from);
  await page.locator('input[name="f-to"]').fill(to);
  await page.getByTestId('run-search').click();
}

describe('in a case: fields, windows and search', () => {
  beforeAll(async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    await page.locator('input[name="case-title"]').fill('Trust and search');
    await page.locator('input[name="case-examiner"]').fill('Wanda Window');
    await page.locator('input[name="case-dir"]').fill(join(tmp, 'case'));
    await page.getByTestId('create-case').click();
    await page.getByTestId('case-open').waitFor();
    await page.locator('[data-screen="import"]').click();
    await importBundle(page, k8s.bundle);
    await importBundle(page, before.bundle);
    await importBundle(page, open.bundle);
    const dialog = await trustKey(page, k8s.key, { origin: ORIGIN });
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    const { result } = await verifyEvidence(page, 'k8s-export');
    await expect(result.locator('[data-verdict]').first().getAttribute('data-verdict')).resolves.toBe('PASS');
  }, 180_000);

  it('shows the parsed time, actor, action and target of Kubernetes audit events', async () => {
    const { page } = app;
    await page.getByTestId('show-first-problem').click();
    const list = page.getByTestId('entry-list');
    await expect(page.locator('.vhead').textContent()).resolves.toBe('#seqtime (as recorded)actoractiontarget / event');
    const cells = async (i: number) => {
      const row = list.locator(`[data-index="${i}"]`);
      await row.locator('.c-actor').waitFor();
      return {
        ts: await row.locator('.c-ts').textContent(),
        actor: await row.locator('.c-actor').textContent(),
        action: await row.locator('.c-action').textContent(),
        target: await row.locator('.c-sum').textContent(),
      };
    };
    for (const i of [0, 7]) expect(await cells(i)).toEqual({ ts: auditTs(i), ...k8sFields(i) });
    await app.shot('47-k8s-fields');
    // Far down the list too: the row of entry 2,345 after Go to.
    await page.locator('input[name="goto"]').fill('2345');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await page.getByTestId('entry-detail').and(page.locator('[data-index="2345"]')).waitFor();
    expect(await cells(2345)).toEqual({ ts: auditTs(2345), ...k8sFields(2345) });
  });

  it('searches with a target filter and a time range: the count and the hits are the generator’s', async () => {
    const { page } = app;
    // The end is inclusive to the end of the second the field shows.
    const expected = secretsBetween(Date.UTC(2026, 2, 1, 0, 10, 15), Date.UTC(2026, 2, 1, 0, 25, 30) + 999);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(200);
    await searchSecrets(page, '2026-03-01T00:10:15', '2026-03-01T00:25:30');
    const hits = page.getByTestId('hit-list');
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe(String(expected.length));
    const listed = await hits.locator('li').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-index'))));
    expect(listed).toEqual(expected);
    const statuses = await hits.locator('li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['verified']));
    // Each hit shows its entry's own time, actor and action.
    const first = hits.locator(`li[data-index="${expected[0]}"]`);
    await expect(first.locator('.c-ts').textContent()).resolves.toBe(auditTs(expected[0]!));
    await expect(first.locator('.hit-field').allTextContents()).resolves.toEqual([
      k8sFields(expected[0]!).actor,
      k8sFields(expected[0]!).action,
    ]);
    await expect(page.getByTestId('hits-tab').textContent()).resolves.toBe(`Search: ${expected.length} hits`);
    await app.shot('48-search-target-time');
  });

  it('a time bound typed with 00 seconds (shown as hh:mm:00) ends with that second, not the minute', async () => {
    const { page } = app;
    const expected = secretsBetween(Date.UTC(2026, 2, 1, 0, 10, 0), Date.UTC(2026, 2, 1, 0, 25, 0) + 999);
    await searchSecrets(page, '2026-03-01T00:10:00', '2026-03-01T00:25:00');
    // The field shows seconds (step 1), but its value drops them when they are 0 …
    await expect(page.locator('input[name="f-to"]').inputValue()).resolves.toBe('2026-03-01T00:25');
    // … and search.ts utcTo reads a value without seconds as second 00 (it read the whole minute).
    const hits = page.getByTestId('hit-list');
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe(String(expected.length));
  });

  it('cancels an indexed search: its late answer never replaces the hits shown', async () => {
    const { page } = app;
    const hits = page.getByTestId('hit-list');
    const shown = await hits.getByTestId('hit-count').textContent();
    const actor = k8sFields(0).actor;
    let late = 0;
    for (let i = 0; i < K8S_COUNT; i++) if (k8sFields(i).actor === actor) late++;
    expect(String(late)).not.toBe(shown);
    // The query's request is held until Cancel was clicked: the search is still running then,
    // however fast the index answers.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let sent!: () => void;
    const wasSent = new Promise<void>((r) => {
      sent = r;
    });
    await page.route('**/api/call', async (route) => {
      const body = route.request().postDataJSON() as { channel?: string } | null;
      if (body?.channel !== 'entries.query') return route.continue();
      sent();
      await held;
      return route.continue();
    });
    try {
      await page.locator('input[name="f-target"]').fill('');
      await page.locator('input[name="f-from"]').fill('');
      await page.locator('input[name="f-to"]').fill('');
      await page.locator('input[name="f-actor"]').fill(actor);
      await page.getByTestId('run-search').click();
      await wasSent;
      await expect(page.getByTestId('run-search').textContent()).resolves.toBe('Searching…');
      await app.shot('49-search-running');
      await page.getByTestId('cancel-search').click();
      await page.getByTestId('cancel-search').waitFor({ state: 'detached' });
      await expect(page.getByTestId('run-search').textContent()).resolves.toBe('Search');
      await expect(page.getByTestId('hits-tab').textContent()).resolves.toBe(`Search (stopped): ${shown} hits`);
      const answered = page.waitForResponse(
        (r) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes('"entries.query"'),
      );
      release();
      await answered;
      // Time for a late answer to reach the screen, if it could.
      await page.waitForTimeout(500);
      await expect(hits.getByTestId('hit-count').textContent()).resolves.toBe(shown);
      await expect(page.getByTestId('hits-tab').textContent()).resolves.toBe(`Search (stopped): ${shown} hits`);
      await expect(page.getByTestId('search-form').getByRole('alert').count()).resolves.toBe(0);
      await app.shot('50-search-cancelled');
    } finally {
      release();
      await page.unroute('**/api/call');
    }
    // The same search run again, not cancelled, answers with its own count.
    await page.getByTestId('run-search').click();
    await expect.poll(() => hits.getByTestId('hit-count').textContent()).toBe(late.toLocaleString('en-US'));
  });

  it('a key trusted until before the checkpoints: none of them counts, and the case shows the window', async () => {
    const { page } = app;
    const dialog = await trustKey(page, before.key, { origin: BEFORE_ORIGIN, ...ENDS_BEFORE });
    await app.shot('51-trust-dialog-window');
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    const { result } = await verifyEvidence(page, 'window-before-export');
    await expect(verdictOf(page)).resolves.toBe('FAIL');
    await expect(result.getByTestId('headline').textContent()).resolves.toContain(
      'None of the 600 entries can be verified.',
    );
    // Every checkpoint's signature is named as made outside the window.
    await expect(
      result
        .getByTestId('diagnosis')
        .locator('[data-code]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code'))),
    ).resolves.toEqual(['KEY_NOT_VALID_AT_TIME', 'KEY_NOT_VALID_AT_TIME', 'KEY_NOT_VALID_AT_TIME']);
    const stats = result.getByTestId('coverage-stats');
    await expect(stats.locator('[data-reason="SIGNED_ROOT_MATCHES"]').count()).resolves.toBe(0);
    await expect(stats.locator('[data-reason="NO_TRUSTED_CHECKPOINT"] dd').textContent()).resolves.toBe(
      WINDOW_COUNT.toLocaleString('en-US'),
    );
    const signatures = await result
      .locator('xpath=.//h3[normalize-space()="Checkpoints"]/following-sibling::table[1]')
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(signatures).toEqual(['untrusted', 'untrusted', 'untrusted']);
    await app.shot('52-window-ends-before');
    await page.locator('[data-screen="cases"]').click();
    const row = page
      .getByTestId('case-keys')
      .locator(`tr[data-fingerprint="${testKey('e2e-window-before-export-log', BEFORE_ORIGIN).trusted.fingerprint}"]`);
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe(`${ENDS_BEFORE.from}Z … ${ENDS_BEFORE.until}Z`);
  });

  it('a window no witness dates a checkpoint in: the run is INCONCLUSIVE, signing time not established', async () => {
    const { page } = app;
    const dialog = await trustKey(page, open.key, { origin: OPEN_ORIGIN, ...AROUND });
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    const { result } = await verifyEvidence(page, 'window-open-export');
    await expect(verdictOf(page)).resolves.toBe('INCONCLUSIVE');
    await expect(result.getByTestId('headline').textContent()).resolves.toContain(
      'None of the 600 entries can be verified.',
    );
    await expect(
      result
        .getByTestId('diagnosis')
        .locator('[data-code]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code'))),
    ).resolves.toEqual(['TIME_NOT_ESTABLISHED', 'TIME_NOT_ESTABLISHED', 'TIME_NOT_ESTABLISHED']);
    const stats = result.getByTestId('coverage-stats');
    await expect(stats.locator('[data-reason="SIGNED_ROOT_MATCHES"]').count()).resolves.toBe(0);
    // The checkpoints do not count, so no entry is under a trusted one.
    const unverifiable = await stats
      .locator('.stat-row')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute('data-reason'),
          r.querySelector('dt')?.textContent,
          r.querySelector('dd')?.textContent,
        ]),
      );
    expect(unverifiable).toEqual([['NO_TRUSTED_CHECKPOINT', 'not covered by a trusted checkpoint', '600']]);
    // The case shows the window the key is trusted in.
    await page.locator('[data-screen="cases"]').click();
    const row = page
      .getByTestId('case-keys')
      .locator(`tr[data-fingerprint="${testKey('e2e-window-open-export-log', OPEN_ORIGIN).trusted.fingerprint}"]`);
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe(`${AROUND.from}Z … ${AROUND.until}Z`);
    await app.shot('53-window-inconclusive');
  });

  it('the custody journal’s key.trusted row shows the validity window it was trusted with', async () => {
    const { page } = app;
    await page.locator('[data-screen="cases"]').click();
    const trusted = page
      .getByTestId('case-journal')
      .locator('tr[data-action="key.trusted"]')
      .filter({ hasText: BEFORE_ORIGIN });
    await expect(trusted.getByTestId('journal-subject').textContent()).resolves.toContain(`${ENDS_BEFORE.until}Z`);
    await expect(trusted.getByTestId('journal-subject').textContent()).resolves.toContain(`${ENDS_BEFORE.from}Z`);
  });

  it('made no request to anything but the local host, and logged no error', () => {
    expectOnlyLocalRequests(app);
    expect(app.errors).toEqual([]);
  });
});
