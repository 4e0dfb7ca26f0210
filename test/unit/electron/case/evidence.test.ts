/**
 * The evidence locker on real files: content addressing (checked with openssl), read-only
 * copies, originals untouched, duplicates recognised by digest, bundle directories with their
 * tree digest, refused inputs, and `case verify` catching a modified, missing or extra file.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseFile, createCase, openCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import {
  detectKind,
  evidenceFiles,
  type ImportProgress,
  importEvidence,
  interruptedCopies,
  listEvidence,
  storedPathOf,
  treeDigest,
} from '../../../../electron/case/evidence.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { encodeNoteVerifierKey, encodePkcs8Pem } from '../../../../shared/keys/keys.js';
import { generateBundle, makeTempDir, removeDir, testKey } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-evidence-');
let bundleDir: string;
beforeAll(() => {
  bundleDir = join(tmp, 'bundle');
  generateBundle(bundleDir, 300, { checkpointEvery: 100 });
});
afterAll(() => removeDir(tmp));
let n = 0;

function newCase(): CaseFile {
  return createCase(join(tmp, `case-${n++}`), { title: 'evidence test' }, { actor: 'examiner' });
}

function opensslSha256(path: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-r', path]).toString().slice(0, 64);
}

function verifyRo(dir: string) {
  const ro = openCase(dir, { readonly: true });
  try {
    return verifyCase(ro);
  } finally {
    ro.close();
  }
}

describe('importing a file', () => {
  it('copies it under its SHA-256, read-only, leaves the original untouched and journals it', () => {
    const cf = newCase();
    const src = join(tmp, `exhibit-${n}.bin`);
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    writeFileSync(src, bytes);
    // Nanosecond mtime, set by coreutils: the case records it exactly.
    execFileSync('touch', ['-d', '2026-03-04T05:06:07.089123456Z', src]);
    execFileSync('touch', ['-a', '-d', '2020-01-01T00:00:00Z', src]);
    chmodSync(src, 0o640);
    const before = statSync(src);
    const progress: ImportProgress[] = [];
    const r = importEvidence(cf, src, { kind: 'other', label: 'disk image', onProgress: (p) => progress.push(p) });
    const after = statSync(src); // before this test reads the original itself
    expect(r.duplicate).toBe(false);
    const e = r.evidence;
    expect(e.digest).toBe(opensslSha256(src));
    expect(e.storedPath).toBe(`evidence/${e.digest}/exhibit-${n}.bin`);
    expect(e.size).toBe(bytes.length);
    expect(e.originalMtime).toBe('2026-03-04T05:06:07.089123456Z');
    expect(e.importedBy).toBe('examiner');
    const stored = storedPathOf(cf, e);
    expect(readFileSync(stored).equals(bytes)).toBe(true);
    expect(statSync(stored).mode & 0o777).toBe(0o400);
    expect(statSync(join(cf.dir, 'evidence', e.digest)).mode & 0o777).toBe(0o500);
    // The original: same bytes, same mtime, same mode.
    expect(readFileSync(src).equals(bytes)).toBe(true);
    expect([after.mtimeMs, after.mode, after.size]).toEqual([before.mtimeMs, before.mode, before.size]);
    // Opened with O_NOATIME (we own the file): not even its access time moved.
    expect(after.atimeMs).toBe(Date.parse('2020-01-01T00:00:00Z'));
    expect(progress.map((p) => p.stage).filter((s, i, a) => a.indexOf(s) === i)).toEqual([
      'copy',
      'staged',
      'placed',
      'committed',
    ]);
    expect(readdirSync(join(cf.dir, 'tmp'))).toEqual([]);
    const j = readJournal(cf.db).at(-1)!;
    expect(j.action).toBe('evidence.imported');
    expect(j.details).toMatchObject({
      evidenceId: e.id,
      digest: e.digest,
      size: bytes.length,
      originalPath: src,
      label: 'disk image',
    });
    expect(verifyCase(cf).problems).toEqual([]);
    cf.close();
  });

  it('recognises the same content by digest: no second copy, the presentation is journaled', () => {
    const cf = newCase();
    const a = join(tmp, `a-${n}.txt`);
    const b = join(tmp, `b-${n}.txt`);
    writeFileSync(a, 'the same bytes\n');
    writeFileSync(b, 'the same bytes\n');
    const first = importEvidence(cf, a);
    const second = importEvidence(cf, b);
    expect(second.duplicate).toBe(true);
    expect(second.evidence.id).toBe(first.evidence.id);
    expect(listEvidence(cf)).toHaveLength(1);
    expect(readdirSync(join(cf.dir, 'evidence'))).toEqual([first.evidence.digest]);
    expect(readdirSync(join(cf.dir, 'tmp'))).toEqual([]);
    const last = readJournal(cf.db).at(-1)!;
    expect(last.action).toBe('evidence.presented');
    expect(last.details).toMatchObject({ evidenceId: first.evidence.id, originalPath: b });
    expect(verifyCase(cf).ok).toBe(true);
    cf.close();
  });

  it('detects kinds and refuses private keys, links inside directories and missing paths', () => {
    const k = testKey('detect');
    const vkey = join(tmp, 'log.vkey');
    writeFileSync(vkey, encodeNoteVerifierKey('audit.example.com/prod', k.publicKey) + '\n');
    const priv = join(tmp, 'log.pem');
    writeFileSync(priv, encodePkcs8Pem(k.seed));
    expect(detectKind(vkey)).toBe('key');
    expect(detectKind(bundleDir)).toBe('bundle');
    expect(detectKind(join(bundleDir, 'entries.jsonl'))).toBe('other');
    const cf = newCase();
    expect(() => importEvidence(cf, priv, { kind: 'key' })).toThrowError(
      expect.objectContaining({ code: 'USAGE' }) as Error,
    );
    const withLink = join(tmp, 'with-link');
    mkdirSync(withLink);
    writeFileSync(join(withLink, 'a.txt'), 'a');
    symlinkSync('/etc/passwd', join(withLink, 'b.txt'));
    expect(() => importEvidence(cf, withLink)).toThrowError(
      expect.objectContaining({ code: 'INPUT_MALFORMED' }) as Error,
    );
    expect(() => importEvidence(cf, join(tmp, 'nope'))).toThrowError(
      expect.objectContaining({ code: 'INPUT_UNREADABLE' }) as Error,
    );
    // Refused imports leave nothing behind.
    expect(listEvidence(cf)).toEqual([]);
    expect(readdirSync(join(cf.dir, 'tmp'))).toEqual([]);
    expect(readdirSync(join(cf.dir, 'evidence'))).toEqual([]);
    expect(readJournal(cf.db).map((r) => r.action)).toEqual(['case.created']);
    cf.close();
  });
});

describe('importing a bundle directory', () => {
  it('stores every file under the tree digest and lists each member with its own digest', () => {
    const cf = newCase();
    const r = importEvidence(cf, bundleDir);
    const e = r.evidence;
    expect(e.kind).toBe('bundle');
    expect(e.container).toBe('directory');
    const members = evidenceFiles(cf, e.id);
    expect(members.map((m) => m.path)).toEqual([
      'checkpoints/000000000100.checkpoint',
      'checkpoints/000000000200.checkpoint',
      'checkpoints/000000000300.checkpoint',
      'entries.jsonl',
      'manifest.json',
    ]);
    for (const m of members) expect(m.digest).toBe(opensslSha256(join(bundleDir, m.path)));
    expect(e.fileCount).toBe(5);
    expect(e.size).toBe(members.reduce((s, m) => s + m.size, 0));
    // The tree digest, rebuilt here from its definition.
    const lines = [...members]
      .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
      .map((m) => `${m.path}\0${m.size}\0${m.digest}\n`);
    const listing = join(tmp, `listing-${n}`);
    writeFileSync(listing, 'proofdesk-tree-v1\n' + lines.join(''));
    expect(e.digest).toBe(opensslSha256(listing));
    expect(treeDigest(members)).toBe(e.digest);
    expect(storedPathOf(cf, e)).toBe(join(cf.dir, 'evidence', e.digest, 'bundle'));
    expect(verifyCase(cf).problems).toEqual([]);
    cf.close();
  });
});

describe('case verify on the locker', () => {
  function caseWithBundle(): { dir: string; digest: string; stored: string } {
    const cf = newCase();
    const e = importEvidence(cf, bundleDir).evidence;
    const out = { dir: cf.dir, digest: e.digest, stored: storedPathOf(cf, e) };
    cf.close();
    return out;
  }

  it('finds a modified evidence file (one flipped byte) with expected and actual digests', () => {
    const c = caseWithBundle();
    const f = join(c.stored, 'entries.jsonl');
    chmodSync(f, 0o644);
    const b = readFileSync(f);
    const original = opensslSha256(f);
    b[1000] = b[1000]! ^ 0x01;
    writeFileSync(f, b);
    const r = verifyRo(c.dir);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.location.id, p.location.path])).toEqual([
      ['EVIDENCE_MODIFIED', 1, `evidence/${c.digest}/bundle/entries.jsonl`],
    ]);
    expect(r.problems[0]!.expected).toBe(original);
    expect(r.problems[0]!.actual).toBe(opensslSha256(f));
  });

  it('finds a missing file and an added file', () => {
    const c = caseWithBundle();
    chmodSync(join(c.stored, 'checkpoints'), 0o755);
    rmSync(join(c.stored, 'checkpoints', '000000000200.checkpoint'));
    writeFileSync(join(c.stored, 'checkpoints', 'extra.checkpoint'), 'planted');
    const r = verifyRo(c.dir);
    expect(r.problems.map((p) => [p.code, p.location.path]).sort()).toEqual([
      ['EVIDENCE_MISSING', `evidence/${c.digest}/bundle/checkpoints/000000000200.checkpoint`],
      ['EVIDENCE_UNEXPECTED_FILE', `evidence/${c.digest}/bundle/checkpoints/extra.checkpoint`],
    ]);
  });

  it('reports what it does not know in the locker, and recovery leaves it alone', () => {
    const c = caseWithBundle();
    writeFileSync(join(c.dir, 'evidence', 'planted.txt'), 'not from an import');
    const r = verifyRo(c.dir);
    expect(r.problems.map((p) => [p.code, p.severity, p.location.path])).toEqual([
      ['EVIDENCE_UNEXPECTED_FILE', 'error', 'evidence/planted.txt'],
    ]);
    openCase(c.dir, { actor: 'x' }).close();
    expect(existsSync(join(c.dir, 'evidence', 'planted.txt'))).toBe(true);
  });

  it('a copy placed by an import not yet committed is a note to a reader, from one listing of the locker', () => {
    const cf = newCase();
    const src = join(tmp, `live-${n}.bin`);
    writeFileSync(src, 'an import another process is committing');
    let seen: ReturnType<typeof verifyRo> | undefined;
    let fromListing: string[] = [];
    importEvidence(cf, src, {
      onProgress: (p) => {
        if (p.stage !== 'placed') return;
        // Inside the importer's write transaction: the copy is in the locker, its rows are not.
        seen = verifyRo(cf.dir);
        const ro = openCase(cf.dir, { readonly: true });
        try {
          // Classified from the listing given, not from a second look at the directory.
          fromListing = interruptedCopies(ro, [p.digest, 'f'.repeat(64)]);
          expect(interruptedCopies(ro, [])).toEqual([]);
        } finally {
          ro.close();
        }
      },
    });
    const digest = listEvidence(cf)[0]!.digest;
    expect(seen!.problems.map((p) => [p.code, p.severity, p.location.path])).toEqual([
      ['LEFTOVER_UNRECORDED', 'info', `evidence/${digest}`],
    ]);
    expect(fromListing).toEqual([digest, 'f'.repeat(64)]);
    expect(verifyCase(cf).problems).toEqual([]);
    expect(interruptedCopies(cf)).toEqual([]);
    cf.close();
  });

  it('finds a whole item gone', () => {
    const c = caseWithBundle();
    chmodSync(join(c.dir, 'evidence', c.digest), 0o755);
    removeDir(join(c.dir, 'evidence', c.digest));
    const r = verifyRo(c.dir);
    expect(r.problems.map((p) => p.code)).toEqual(['EVIDENCE_MISSING']);
    expect(existsSync(join(c.dir, 'evidence'))).toBe(true);
  });
});
