/**
 * Recorded reports live in the case: their files are copied to reports/<digest>/<name>
 * (read-only), the journal names the copies and the originals, identical bytes are kept once,
 * and a copy left by an interrupted recording is information for case verify and removed by
 * the next writable open, like an interrupted import.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { recordReport } from '../../../../electron/case/reports.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-reports-');
afterAll(() => removeDir(tmp));
const sha = (b: string) => createHash('sha256').update(b).digest('hex');

describe('recorded reports', () => {
  it('are copied into the case, read-only; the original may then go', () => {
    const dir = join(tmp, 'case');
    const cf = createCase(dir, { title: 'Reports' });
    try {
      writeFileSync(join(tmp, 'report.pdf'), 'pdf bytes');
      writeFileSync(join(tmp, 'same.sig'), 'pdf bytes');
      const rec = recordReport(cf, {
        files: [
          { role: 'pdf', path: join(tmp, 'report.pdf') },
          { role: 'signature', path: join(tmp, 'same.sig') },
        ],
      });
      const d = sha('pdf bytes');
      expect(rec.files.map((f) => [f.role, f.path])).toEqual([
        ['pdf', `reports/${d}/report.pdf`],
        ['signature', `reports/${d}/report.pdf`],
      ]);
      expect(readdirSync(join(dir, 'reports'))).toEqual([d]);
      expect(statSync(join(dir, 'reports', d)).mode & 0o777).toBe(0o500);
      expect(statSync(join(dir, 'reports', d, 'report.pdf')).mode & 0o777).toBe(0o400);
      expect(readJournal(cf.db).at(-1)!.details).toMatchObject({
        files: [
          { role: 'pdf', originalPath: join(tmp, 'report.pdf') },
          { role: 'signature', originalPath: join(tmp, 'same.sig') },
        ],
      });
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      rmSync(join(tmp, 'report.pdf'));
      expect(verifyCase(cf).problems).toEqual([]);
    } finally {
      cf.close();
    }
  });

  it('a copy an interrupted recording left is information, then removed by the next writable open', () => {
    const dir = join(tmp, 'case');
    const digest = sha('left behind');
    mkdirSync(join(dir, 'reports', digest));
    writeFileSync(join(dir, 'reports', digest, 'x.pdf'), 'left behind');
    chmodSync(join(dir, 'reports', digest), 0o500);
    const ro = openCase(dir, { readonly: true });
    try {
      expect(verifyCase(ro).problems.map((p) => [p.code, p.location.path])).toEqual([
        ['LEFTOVER_UNRECORDED', `reports/${digest}`],
      ]);
    } finally {
      ro.close();
    }
    const cf = openCase(dir);
    try {
      expect(readdirSync(join(dir, 'reports'))).not.toContain(digest);
      expect(readJournal(cf.db).at(-1)).toMatchObject({
        action: 'case.recovered',
        details: { removedUnrecorded: [`reports/${digest}`] },
      });
      expect(readFileSync(join(dir, 'reports', sha('pdf bytes'), 'report.pdf'), 'utf8')).toBe('pdf bytes');
    } finally {
      cf.close();
    }
  });
});
