/**
 * Who can read a case: created 0700 (narrower when the umask says so), the database 0600,
 * stored evidence 0400 in 0500 folders whatever the original's mode, and an export that is
 * as private as the case. Cases made with the old modes (0755 case, 0444 files, 0555 folders)
 * still open, take imports, verify and export.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import { importEvidence, storedPathOf } from '../../../../electron/case/evidence.js';
import { exportCase } from '../../../../electron/case/export.js';
import { generateBundle, makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-case-modes-');
afterAll(() => removeDir(tmp));

const mode = (p: string) => statSync(p).mode & 0o777;

function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

/** Every directory and file under `root` with its mode, relative paths. */
function modes(root: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (rel: string) => {
    for (const n of readdirSync(join(root, rel))) {
      const p = rel ? `${rel}/${n}` : n;
      out[p] = mode(join(root, p));
      if (statSync(join(root, p)).isDirectory()) walk(p);
    }
  };
  walk('');
  return out;
}

describe('locker permissions', () => {
  const original = join(tmp, 'private.bin');
  writeFileSync(original, 'only for its owner\n');
  chmodSync(original, 0o600);
  const bundle = generateBundle(join(tmp, 'bundle'), 20, { checkpointEvery: 10 }).dir;

  for (const umask of [0o022, 0o002, 0o077, 0o027]) {
    it(`umask ${umask.toString(8).padStart(3, '0')}: case 0700, database 0600, evidence files 0400 in 0500 folders`, () => {
      const dir = join(tmp, `case-${umask.toString(8)}`, 'nested');
      const cf = withUmask(umask, () => {
        const c = createCase(dir, { title: 'Modes' });
        importEvidence(c, original, { kind: 'other' });
        importEvidence(c, bundle);
        return c;
      });
      try {
        expect(mode(dir)).toBe(0o700 & ~umask);
        expect(mode(join(dir, 'case.sqlite'))).toBe(0o600);
        for (const [p, m] of Object.entries(modes(join(dir, 'evidence')))) {
          expect(m, p).toBe(statSync(join(dir, 'evidence', p)).isDirectory() ? 0o500 : 0o400);
        }
        expect(mode(join(dir, 'evidence'))).toBe(0o700 & ~umask);
        expect(mode(join(dir, 'tmp'))).toBe(0o700 & ~umask);
        // The parent the examiner named is made as usual.
        expect(mode(join(dir, '..'))).toBe(0o777 & ~umask);
      } finally {
        cf.close();
      }
    });
  }

  it('an empty directory given for a new case loses its group and other bits', () => {
    const dir = join(tmp, 'premade');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o775);
    createCase(dir, { title: 'Premade' }).close();
    expect(mode(dir)).toBe(0o700);
  });

  it('an export is 0600 and so are the files tar extracts from it', () => {
    const dir = join(tmp, 'exported');
    const cf = createCase(dir, { title: 'Export' });
    try {
      importEvidence(cf, original, { kind: 'other' });
      const out = join(tmp, 'exported.tar');
      withUmask(0o022, () => exportCase(cf, { out }));
      expect(mode(out)).toBe(0o600);
      const unpack = join(tmp, 'unpacked');
      mkdirSync(unpack);
      execFileSync('tar', ['-xf', out, '-C', unpack, '--no-same-owner']);
      const files = Object.entries(modes(unpack)).filter(([p]) => !statSync(join(unpack, p)).isDirectory());
      expect(files.length).toBeGreaterThan(2);
      for (const [p, m] of files) expect(m, p).toBe(0o600);
    } finally {
      cf.close();
    }
  });

  it('a case with the old modes (0755, 0444 files, 0555 folders) still opens, imports, verifies and exports', () => {
    const dir = join(tmp, 'old-modes');
    const cf = createCase(dir, { title: 'Old' });
    const first = importEvidence(cf, bundle).evidence;
    cf.close();
    const stored = storedPathOf(cf, first);
    execFileSync('chmod', ['-R', 'u+w', join(dir, 'evidence')]);
    execFileSync('find', [join(dir, 'evidence'), '-mindepth', '1', '-type', 'f', '-exec', 'chmod', '0444', '{}', '+']);
    execFileSync('find', [join(dir, 'evidence'), '-mindepth', '1', '-type', 'd', '-exec', 'chmod', '0555', '{}', '+']);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'case.sqlite'), 0o644);
    expect(mode(stored)).toBe(0o555);
    const again = openCase(dir);
    try {
      const second = importEvidence(again, original, { kind: 'other' }).evidence;
      expect(mode(storedPathOf(again, second))).toBe(0o400);
      expect(verifyCase(again).problems).toEqual([]);
      exportCase(again, { out: join(tmp, 'old-modes.tar') });
    } finally {
      again.close();
    }
    // Existing files keep the modes they had: opening a case changes nothing in it.
    expect(mode(stored)).toBe(0o555);
  });
});
