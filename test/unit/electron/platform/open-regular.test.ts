/**
 * Hostile file-system objects where Proofdesk expects a regular file, on real files:
 *  - a named pipe (mkfifo) given as evidence, key file, archive, report signature or report
 *    file is refused at once with a typed error (or, for a report's signature sidecar, a failed
 *    check) instead of blocking the process; each test has a timeout and a time budget, and
 *    the pipes are released after a few seconds (test/support/hostile-fs.ts) so a regression
 *    fails instead of hanging;
 *  - a bundle file swapped for a symbolic link, or a directory on its path swapped for a link,
 *    after the bundle located it, is never read through the swap — not by the main thread and
 *    not by a worker's reopen; a link inside a bundle directory is a PATH_UNSAFE finding.
 */
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../../electron/case/case.js';
import { detectKind, importEvidence, listEvidence } from '../../../../electron/case/evidence.js';
import { digestFile } from '../../../../electron/case/reports.js';
import { readKeyFile } from '../../../../electron/keys/keyfile.js';
import { openBundle, readRegion } from '../../../../electron/platform/bundle-source.js';
import { forEachLine } from '../../../../electron/platform/line-reader.js';
import { readTarIndex, writeTar } from '../../../../electron/platform/tar.js';
import { fileDigest } from '../../../../electron/report/inputs.js';
import { verifyReport } from '../../../../electron/report/verify-report.js';
import { digestRegion } from '../../../../electron/verify/bundle/range-verifier.js';
import { verifyBundle } from '../../../../electron/verify/bundle/verify.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';
import { makeFifo, PROMPT_MS, stopReleasers, timed } from '../../../support/hostile-fs.js';

const tmp = makeTempDir('proofdesk-hostile-fs-');
afterEach(stopReleasers);
afterAll(() => removeDir(tmp));
let n = 0;

/** A fresh FIFO, made just before use so its releaser fires after the code under test started. */
function fifo(): string {
  const p = join(tmp, `pipe-${n++}`);
  makeFifo(p);
  return p;
}

const NOT_REGULAR = { code: 'INPUT_UNREADABLE', detail: { reason: 'NOT_REGULAR' } };

describe('a named pipe where a regular file is expected is refused at once', { timeout: 20_000 }, () => {
  it('evidence: kind detection and import into a case', async () => {
    const p = fifo();
    const d = await timed(() => detectKind(p));
    expect(d.error).toMatchObject(NOT_REGULAR);
    expect(d.ms).toBeLessThan(PROMPT_MS);

    const cf = createCase(join(tmp, 'case'), { title: 'pipes' }, { actor: 'examiner' });
    try {
      for (const kind of [undefined, 'bundle', 'other'] as const) {
        const q = fifo();
        const r = await timed(() => importEvidence(cf, q, kind ? { kind } : {}));
        expect({ kind, error: r.error }).toMatchObject({ kind, error: { code: 'INPUT_UNREADABLE' } });
        expect(r.ms).toBeLessThan(PROMPT_MS);
      }
      expect(listEvidence(cf)).toEqual([]);
    } finally {
      cf.close();
    }
  });

  it('an examiner key file', async () => {
    const p = fifo();
    const r = await timed(() => readKeyFile(p));
    expect(r.error).toMatchObject(NOT_REGULAR);
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it('an archive to index, and a file whose digest a report or a case records', async () => {
    for (const read of [(p: string) => readTarIndex(p), (p: string) => fileDigest(p), (p: string) => digestFile(p)]) {
      const p = fifo();
      const r = await timed(() => read(p));
      expect(r.error).toMatchObject(NOT_REGULAR);
      expect(r.ms).toBeLessThan(PROMPT_MS);
    }
  });

  it('the detached signature beside a report PDF: a failed check with its reason, not a hang', async () => {
    const pdf = join(tmp, 'report.pdf');
    writeFileSync(pdf, '%PDF-1.7\n% not a real report\n');
    const sig = fifo();
    const r = await timed(() =>
      verifyReport({ input: pdf, examinerKey: testKey('examiner').publicKey, signature: sig }),
    );
    expect(r.error).toBeUndefined();
    expect(r.ms).toBeLessThan(PROMPT_MS);
    const v = r.value as Awaited<ReturnType<typeof verifyReport>>;
    expect(v.verdict).toBe('FAIL');
    expect(v.checks.find((c) => c.id === 'detached-signature')?.status).toBe('fail');
    expect(v.findings.find((f) => f.code === 'REPORT_SIGNATURE_INVALID')?.evidence).toMatchObject({
      reason: 'NOT_REGULAR',
    });
  });
});

describe('a bundle file swapped after it was located is never read through the swap', () => {
  function bundleWith(name: string, files: Record<string, string>): string {
    const dir = join(tmp, name);
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  }

  it('the file itself replaced by a symbolic link to a file outside the bundle', () => {
    const outside = join(tmp, 'secret-1.txt');
    writeFileSync(outside, 'outside secret\n');
    const dir = bundleWith('swap-file', { 'checkpoint.txt': 'inside bytes..\n' });
    const loc = openBundle(dir).locate('checkpoint.txt');
    if (!loc.ok) throw new Error(loc.detail);
    symlinkSync(outside, join(dir, 'new-link'));
    renameSync(join(dir, 'new-link'), join(dir, 'checkpoint.txt'));
    expect(() => readRegion(loc.region, 1024, 'checkpoint.txt')).toThrow(
      expect.objectContaining({ code: 'PATH_UNSAFE', detail: { reason: 'SYMLINK' } }),
    );
    expect(() => digestRegion({ kind: 'digest', region: loc.region })).toThrow(
      expect.objectContaining({ code: 'PATH_UNSAFE' }),
    );
  });

  it('a directory on its path replaced by a link: main-thread reads and worker jobs refuse the other file', () => {
    const same = '{"seq":0}\n{"seq":1}\n';
    const dir = bundleWith('swap-dir', { 'log/entries.jsonl': same });
    const elsewhere = bundleWith('elsewhere', { 'entries.jsonl': same.replace('0', '9') });
    const loc = openBundle(dir).locate('log/entries.jsonl');
    if (!loc.ok) throw new Error(loc.detail);
    renameSync(join(dir, 'log'), join(dir, 'log.old'));
    symlinkSync(elsewhere, join(dir, 'log'));
    const changed = expect.objectContaining({ code: 'INPUT_UNREADABLE', detail: { reason: 'CHANGED' } });
    expect(() => readRegion(loc.region, 1024, 'entries')).toThrow(changed);
    expect(() => digestRegion({ kind: 'digest', region: loc.region })).toThrow(changed);
    expect(() => forEachLine(loc.region, () => undefined)).toThrow(changed);
  });

  it('a tar archive replaced after it was indexed', () => {
    const a = join(tmp, 'a.txt');
    writeFileSync(a, 'first archive\n');
    const tar = join(tmp, 'swap.tar');
    writeTar(tar, [{ name: 'a.txt', source: a }]);
    const loc = openBundle(tar).locate('a.txt');
    if (!loc.ok) throw new Error(loc.detail);
    const b = join(tmp, 'b.txt');
    writeFileSync(b, 'other archive\n');
    writeTar(join(tmp, 'other.tar'), [{ name: 'a.txt', source: b }]);
    renameSync(join(tmp, 'other.tar'), tar);
    expect(() => readRegion(loc.region, 1024, 'a.txt')).toThrow(
      expect.objectContaining({ detail: { reason: 'CHANGED' } }),
    );
  });

  it('a symbolic link inside a bundle directory is a PATH_UNSAFE finding, and is not followed', async () => {
    const g = generateBundle(join(tmp, 'linked'), 40, { checkpointEvery: 20 });
    const manifest = JSON.parse(readFileSync(join(g.dir, 'manifest.json'), 'utf8')) as { checkpoints: string[] };
    const cp = manifest.checkpoints[0]!;
    const copy = join(tmp, 'checkpoint-copy');
    writeFileSync(copy, readFileSync(join(g.dir, cp)));
    renameSync(join(g.dir, cp), join(tmp, 'checkpoint-moved'));
    symlinkSync(copy, join(g.dir, cp));
    const { run } = await verifyBundle({ bundle: g.dir, trusted: [g.logKey.trusted], workers: 1 });
    expect(run.result.findings.filter((f) => f.code === 'PATH_UNSAFE').map((f) => f.location.file)).toEqual([cp]);
    expect(run.result.bundle.files.map((f) => f.path)).not.toContain(cp);
  });
});
