/**
 * diagnose() on findings and checkpoint reports made by hand: the causes that do not need a
 * real bundle to show (trust, equivocation, truncation, rewrites narrowed by proofs, ordering).
 * The engine-level cases are in test/integration/diagnosis.test.ts and tamper.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVERAGE_REASON_LABELS } from '../../../../shared/present/labels.js';
import { CAUSE_CODES } from '../../../../shared/verdict/cause.js';
import { compareCauses, type DiagnosisInput, diagnose } from '../../../../shared/verdict/diagnosis.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import type { CheckpointReport } from '../../../../shared/verdict/result.js';
import { REPO_ROOT } from '../../../support/vectors.js';

const H = (c: string) => c.repeat(64);

function cp(
  size: number,
  rootStatus: CheckpointReport['rootStatus'],
  status: CheckpointReport['status'] = 'trusted',
): CheckpointReport {
  return {
    file: `checkpoints/${size}`,
    origin: 'o',
    size,
    rootHash: H('a'),
    status,
    rootStatus,
    signatures: [
      { name: 'o', keyId: '0a0b0c0d', kind: 'log', status: status === 'trusted' ? 'verified' : 'unknown-key' },
    ],
  };
}

function input(p: Partial<DiagnosisInput>): DiagnosisInput {
  return {
    entryCount: 1000,
    findings: [],
    omitted: {},
    checkpoints: [],
    proofs: [],
    entriesFile: 'entries.jsonl',
    firstSeq: 0,
    ...p,
  };
}

const rootMismatch = (size: number) =>
  finding('ROOT_MISMATCH', { file: `checkpoints/${size}`, checkpointSize: size, range: [0, size] }, 'm', {
    expected: H('a'),
    actual: H('b'),
  });

describe('diagnose', () => {
  it('no trusted signer: the signers seen are named, with what to do', () => {
    const cps = [cp(500, 'not-checked', 'untrusted'), cp(1000, 'not-checked', 'untrusted')];
    const f = cps.map((c) => finding('KEY_UNTRUSTED', { file: c.file, checkpointSize: c.size }, 'no trusted log key'));
    const d = diagnose(input({ checkpoints: cps, findings: f }));
    expect(d.causes.map((c) => [c.cause, c.severity, c.signers])).toEqual([
      ['NO_TRUSTED_SIGNER', 'warning', [{ name: 'o', keyId: '0a0b0c0d' }]],
    ]);
    expect(d.causes[0]!.text).toContain(
      "If this is the log's key, trust it; otherwise these checkpoints are not the log's.",
    );
    expect(d.causes[0]!.refs).toEqual(f);
  });

  it('a root that disagrees with a larger matching one is equivocation by the log', () => {
    const d = diagnose(input({ checkpoints: [cp(400, 'mismatch'), cp(800, 'match')], findings: [rootMismatch(400)] }));
    expect(d.causes.map((c) => c.cause)).toEqual(['CHECKPOINTS_CONFLICT']);
    expect(d.provenPrefix).toBe(800);
    expect(d.noLongerProven).toEqual([]);
  });

  it('a mismatch nothing at the entries explains is a rewrite, located between the roots and narrowed by authenticated subtrees', () => {
    const cps = [cp(256, 'match'), cp(512, 'mismatch'), cp(1000, 'mismatch')];
    const f = [rootMismatch(512), rootMismatch(1000)];
    const plain = diagnose(input({ checkpoints: cps, findings: f }));
    expect(plain.causes.map((c) => [c.cause, c.entries])).toEqual([['HISTORY_REWRITTEN', { from: 256, to: 512 }]]);
    expect(plain.noLongerProven).toEqual([{ from: 256, to: 1000 }]);
    const narrowed = diagnose(
      input({
        checkpoints: cps,
        findings: f,
        subtrees: [
          { from: 256, to: 384, matches: true, source: 'proofs/a' },
          { from: 384, to: 448, matches: false, source: 'proofs/a' },
          { from: 384, to: 416, matches: true, source: 'proofs/b' },
        ],
      }),
    );
    expect(narrowed.causes.map((c) => [c.cause, c.entries])).toEqual([['HISTORY_REWRITTEN', { from: 416, to: 448 }]]);
    // Down to one entry, the signed evidence names it.
    const one = diagnose(
      input({
        checkpoints: cps,
        findings: f,
        subtrees: [{ from: 300, to: 301, matches: false, source: 'proofs/e300' }],
      }),
    );
    expect(one.causes.map((c) => [c.cause, c.entries])).toEqual([['ENTRY_ALTERED', { from: 300, to: 301 }]]);
    expect(one.changed).toEqual([{ from: 300, to: 301 }]);
  });

  it('a checkpoint beyond the entries: cut short, unless a removal inside explains the missing entries', () => {
    const beyond = finding(
      'CHECKPOINT_BEYOND_ENTRIES',
      { file: 'checkpoints/1000', checkpointSize: 1000, range: [990, 1000] },
      'b',
    );
    const cut = diagnose(
      input({ entryCount: 990, checkpoints: [cp(500, 'match'), cp(1000, 'beyond-entries')], findings: [beyond] }),
    );
    expect(cut.causes.map((c) => [c.cause, c.seq])).toEqual([['LOG_TRUNCATED', { from: 990, to: 1000 }]]);
    expect(cut.noLongerProven).toEqual([{ from: 500, to: 990 }]);
    const gap: Finding[] = [
      finding('CHAIN_BROKEN', { file: 'entries.jsonl', entry: 700 }, 'c', { expected: H('1'), actual: H('2') }),
      finding('SEQ_GAP', { file: 'entries.jsonl', entry: 700 }, 's', { expected: 700, actual: 710 }),
    ];
    const removed = diagnose(
      input({
        entryCount: 990,
        checkpoints: [cp(500, 'match'), cp(1000, 'beyond-entries')],
        findings: [...gap, beyond],
      }),
    );
    expect(removed.causes.map((c) => [c.cause, c.seq, c.refs.length])).toEqual([
      ['ENTRIES_REMOVED', { from: 700, to: 710 }, 3],
    ]);
  });

  it("causes come most fundamental first: evidence, the log's signatures, changes by place, setup, notes", () => {
    const d = diagnose(
      input({
        checkpoints: [cp(1000, 'match')],
        findings: [
          finding('UNSEALED_ENTRIES', { file: 'entries.jsonl', range: [1000, 1000] }, 'u'),
          finding('KEY_WRONG_ROLE', { file: 'checkpoints/1000', checkpointSize: 1000 }, 'r', {
            fingerprint: H('c'),
            signedAs: 'witness',
            trustedAs: 'log',
          }),
          finding('CHECKPOINT_MALFORMED', { file: 'checkpoints/x' }, 'x'),
        ],
      }),
    );
    expect(d.causes.map((c) => c.cause)).toEqual(['EVIDENCE_UNREADABLE', 'KEY_WRONG_ROLE', 'UNSEALED_TAIL']);
    const sorted = [...d.causes].sort((a, b) => -compareCauses(a, b)).sort(compareCauses);
    expect(sorted).toEqual(d.causes);
  });

  it('every cause it can give is a documented cause code', () => {
    expect(new Set(CAUSE_CODES).size).toBe(CAUSE_CODES.length);
    expect(CAUSE_CODES).toEqual(
      expect.arrayContaining([
        'ENTRY_ALTERED',
        'ENTRIES_REMOVED',
        'ENTRIES_INSERTED',
        'ENTRIES_DUPLICATED',
        'ENTRIES_REORDERED',
        'LOG_TRUNCATED',
        'HISTORY_REWRITTEN',
        'CHECKPOINTS_CONFLICT',
        'NO_TRUSTED_SIGNER',
        'KEY_WRONG_ROLE',
        'UNSEALED_TAIL',
        'EVIDENCE_UNREADABLE',
      ]),
    );
  });
});

describe('diagnose at the scale of a 10-million-entry log', () => {
  it('100,000 checkpoints, 10,000 root mismatches and 10,000 chain breaks: no scan per checkpoint (bounded time)', () => {
    const checkpoints: CheckpointReport[] = [];
    const findings: Finding[] = [];
    for (let size = 100; size <= 10_000_000; size += 100) {
      const mismatch = size > 5_000_000;
      checkpoints.push(cp(size, mismatch ? 'mismatch' : 'match'));
      if (mismatch && findings.length < 10_000) findings.push(rootMismatch(size));
    }
    for (let k = 0; k < 10_000; k++) {
      const e = 5_000_001 + k * 400;
      findings.push(
        finding('CHAIN_BROKEN', { file: 'entries.jsonl', entry: e }, 'b', { expected: H('1'), actual: H('2') }),
      );
    }
    const t0 = Date.now();
    const d = diagnose(input({ entryCount: 10_000_000, checkpoints, findings }));
    const ms = Date.now() - t0;
    expect(d.causes[0]).toMatchObject({ cause: 'ENTRY_ALTERED', entries: { from: 5_000_000, to: 5_000_001 } });
    expect(d.changed).toHaveLength(10_000);
    // Linear work is well under a second here; a scan per checkpoint would take minutes.
    expect(ms).toBeLessThan(15_000);
  });
});

describe('docs/bundle-format.md §7 and §7.1 say the same as the code', () => {
  const spec = readFileSync(join(REPO_ROOT, 'docs', 'bundle-format.md'), 'utf8');
  const section = spec.slice(spec.indexOf('## 7. Coverage and verdict'), spec.indexOf('## 8. Keys'));
  it('the cause table lists exactly the cause codes', () => {
    const table = section.slice(section.indexOf('| cause | severity | meaning |'));
    const listed = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual([...CAUSE_CODES]);
  });
  it('the coverage table lists exactly the coverage reasons, in the order they are applied', () => {
    const listed = [...section.matchAll(/^\| \*{0,2}(?:verified|failed|unverifiable)\*{0,2} \| `([A-Z_]+)` \|/gm)].map(
      (m) => m[1],
    );
    expect([...listed].sort()).toEqual(Object.keys(COVERAGE_REASON_LABELS).sort());
    expect(listed).toEqual([
      'ENTRY_CHANGED',
      'ENTRY_ERRORS',
      'NO_TRUSTED_CHECKPOINT',
      'ROOT_NO_LONGER_MATCHES',
      'SIGNER_NOT_TRUSTED',
      'SIGNATURE_TIME_NOT_ESTABLISHED',
      'SIGNED_ROOT_MATCHES',
    ]);
  });
});
