/**
 * Recovery never deletes through a link. A case directory is evidence someone may hand over:
 * its evidence/ or tmp/ may be a symbolic link into another case, and what recovery would
 * remove (a dead importer's staging directory, an interrupted copy) may be a link or hold one.
 * Opening such a case for writing is refused with PATH_UNSAFE, nothing anywhere is removed,
 * and the case is not opened; a genuine leftover is still removed and journaled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCase, openCase } from '../../../../electron/case/case.js';
import { importEvidence } from '../../../../electron/case/evidence.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-recovery-links-');
afterAll(() => removeDir(tmp));
let n = 0;

/** A pid that has just exited: its staging directories are a dead importer's. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

function stagingName(): string {
  return `import-${hostname()}-${deadPid()}-${'ab12cd34ef56'}`;
}

/** A case holding one imported file; returns its directory and the evidence entry name. */
function caseWithEvidence(): { dir: string; entry: string } {
  const dir = join(tmp, `case-${n++}`);
  const cf = createCase(dir, { title: 'other case' }, { actor: 'examiner' });
  const src = join(tmp, `exhibit-${n}.txt`);
  writeFileSync(src, `exhibit ${n}\n`);
  importEvidence(cf, src);
  cf.close();
  return { dir, entry: readdirSync(join(dir, 'evidence'))[0]! };
}

function emptyCase(): string {
  const dir = join(tmp, `case-${n++}`);
  createCase(dir, { title: 'handed over' }, { actor: 'examiner' }).close();
  return dir;
}

const unsafe = (reason: string) => expect.objectContaining({ code: 'PATH_UNSAFE', detail: { reason } });

describe('recovery refuses links instead of deleting through them', () => {
  it("evidence/ linked to another case's locker: refused, the other case's evidence stays", () => {
    const other = caseWithEvidence();
    const dir = emptyCase();
    rmSync(join(dir, 'evidence'), { recursive: true });
    symlinkSync(join(other.dir, 'evidence'), join(dir, 'evidence'));
    expect(() => openCase(dir, { actor: 'examiner' })).toThrow(unsafe('LOCKER_LINK'));
    expect(readdirSync(join(other.dir, 'evidence'))).toEqual([other.entry]);
    // The other case is whole, and the refused one still opens read-only to be examined.
    openCase(other.dir, { actor: 'examiner' }).close();
    openCase(dir, { readonly: true }).close();
  });

  it("tmp/ linked to a directory holding what looks like a dead importer's staging: refused, kept", () => {
    const elsewhere = join(tmp, `elsewhere-${n++}`);
    const name = stagingName();
    mkdirSync(join(elsewhere, name), { recursive: true });
    writeFileSync(join(elsewhere, name, 'keep.txt'), "not the case's to delete\n");
    const dir = emptyCase();
    rmSync(join(dir, 'tmp'), { recursive: true });
    symlinkSync(elsewhere, join(dir, 'tmp'));
    expect(() => openCase(dir, { actor: 'examiner' })).toThrow(unsafe('LOCKER_LINK'));
    expect(existsSync(join(elsewhere, name, 'keep.txt'))).toBe(true);
  });

  it('a staging entry that is a link, and an interrupted copy holding a link or a FIFO: refused, nothing removed', () => {
    const target = join(tmp, `target-${n++}`);
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'keep\n');

    const a = emptyCase();
    symlinkSync(target, join(a, 'tmp', stagingName()));
    expect(() => openCase(a, { actor: 'examiner' })).toThrow(unsafe('RECOVERY_LINK'));
    expect(readdirSync(join(a, 'tmp'))).toHaveLength(1);

    const b = emptyCase();
    const copy = join(b, 'evidence', 'c'.repeat(64));
    mkdirSync(copy);
    symlinkSync(join(target, 'keep.txt'), join(copy, 'exhibit.txt'));
    expect(() => openCase(b, { actor: 'examiner' })).toThrow(unsafe('RECOVERY_LINK'));
    expect(existsSync(join(copy, 'exhibit.txt'))).toBe(true);

    const c = emptyCase();
    const copyC = join(c, 'evidence', 'd'.repeat(64));
    mkdirSync(copyC);
    spawnSync('mkfifo', [join(copyC, 'pipe')]);
    // A genuine leftover beside it is not removed either: recovery checks everything first.
    const genuine = join(c, 'tmp', stagingName());
    mkdirSync(genuine);
    writeFileSync(join(genuine, 'partial.bin'), 'partial');
    expect(() => openCase(c, { actor: 'examiner' })).toThrow(unsafe('RECOVERY_FOREIGN'));
    expect(existsSync(join(copyC, 'pipe'))).toBe(true);
    expect(existsSync(join(genuine, 'partial.bin'))).toBe(true);
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it('a genuine leftover (dead staging, interrupted copy) is still removed and journaled', () => {
    const dir = emptyCase();
    const staging = stagingName();
    mkdirSync(join(dir, 'tmp', staging, 'bundle'), { recursive: true });
    writeFileSync(join(dir, 'tmp', staging, 'bundle', 'entries.jsonl'), '{}\n');
    const copy = 'e'.repeat(64);
    mkdirSync(join(dir, 'evidence', copy));
    writeFileSync(join(dir, 'evidence', copy, 'exhibit.bin'), 'copied');
    const cf = openCase(dir, { actor: 'examiner' });
    try {
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      expect(readdirSync(join(dir, 'evidence'))).toEqual([]);
      expect(readJournal(cf.db).at(-1)).toMatchObject({
        action: 'case.recovered',
        details: { removedStaging: [staging], removedUnrecorded: [copy] },
      });
    } finally {
      cf.close();
    }
  });

  it('an import into a case whose tmp/ became a link is refused before anything is written', () => {
    const dir = emptyCase();
    const cf = openCase(dir, { actor: 'examiner' });
    try {
      const elsewhere = join(tmp, `elsewhere-${n++}`);
      mkdirSync(elsewhere);
      renameSync(join(dir, 'tmp'), join(dir, 'tmp.old'));
      symlinkSync(elsewhere, join(dir, 'tmp'));
      const src = join(tmp, `exhibit-${n++}.txt`);
      writeFileSync(src, 'exhibit\n');
      expect(() => importEvidence(cf, src)).toThrow(unsafe('LOCKER_LINK'));
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      cf.close();
    }
  });
});
