/**
 * The diagnosis on real bundles: events shaped like real audit logs (Kubernetes audit events,
 * CloudTrail records, application logs that carry their own nested `seq` and `time`), sealed
 * by the reference exporter, tampered as an attacker would at positions drawn from a seeded
 * generator, with the manifest refreshed (and, for rewrites, the chain relinked as an insider
 * would). Each case asserts the first cause, its exact entries or seq values, the honest
 * coverage counts and the headline.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../electron/verify/verify.js';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { AUDIT_EVENT_KINDS, type AuditEventKind, auditEvent, auditTs } from '../support/audit-events.js';
import { makeTempDir, prng, removeDir, testKey } from '../support/fixtures.js';
import { copyBundle, readLines, rechain, refreshManifest, writeLines } from '../support/tamper.js';

const N = 2_000;
const EVERY = 100;
const ORIGIN = 'audit.example.com/prod';
const log = testKey('diagnosis-log', ORIGIN);
let tmp: string;
const bases = new Map<AuditEventKind, string>();
let serial = 0;

beforeAll(() => {
  tmp = makeTempDir('proofdesk-diagnosis-');
  for (const kind of AUDIT_EVENT_KINDS) {
    const dir = join(tmp, `base-${kind}`);
    const w = new BundleWriter({
      dir,
      origin: ORIGIN,
      logKey: { name: log.name, seed: log.seed },
      checkpointEvery: EVERY,
      created: '2026-11-01T00:00:00Z',
    });
    for (let i = 0; i < N; i++) w.append(auditEvent(kind, i), auditTs(i), {});
    w.finish({ seal: true });
    bases.set(kind, dir);
  }
});
afterAll(() => removeDir(tmp));

async function run(
  dir: string,
  opts: { trusted?: (typeof log.trusted)[]; workers?: number } = {},
): Promise<VerificationResult> {
  // Small chunks put worker boundaries all over the file, so causes straddle them.
  return (await verify(dir, { trusted: opts.trusted ?? [log.trusted], workers: opts.workers ?? 2, chunkBytes: 50_000 }))
    .run.result;
}

function tampered(kind: AuditEventKind, edit: (lines: string[]) => string[], opts: { relink?: boolean } = {}): string {
  const dir = copyBundle(bases.get(kind) as string, join(tmp, `case-${serial++}`));
  writeLines(dir, edit(readLines(dir)));
  if (opts.relink) rechain(dir, ORIGIN);
  refreshManifest(dir);
  return dir;
}

/** Changes one value inside the event, keeping the line valid JSON (an examiner's worst case: it still looks right). */
function alter(line: string): string {
  const o = JSON.parse(line) as { event: Record<string, unknown> };
  const keys = Object.keys(o.event);
  const k = keys[keys.length - 1] as string;
  o.event[k] = `${JSON.stringify(o.event[k])}-tampered`;
  return JSON.stringify(o);
}

const rand = prng(12_062_026);
const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
/** Positions away from the ends and from checkpoint boundaries' neighbours only by chance. */
const POSITIONS = Array.from({ length: 4 }, () => pick(10, N - 10));
const kindAt = (k: number) => AUDIT_EVENT_KINDS[k % AUDIT_EVENT_KINDS.length] as AuditEventKind;

const cause0 = (r: VerificationResult) => r.diagnosis[0];
const reason = (r: VerificationResult, why: string) =>
  r.coverage.ranges.filter((g) => g.reason === why).reduce((n, g) => n + g.to - g.from, 0);

describe('an intact export', () => {
  it.each(AUDIT_EVENT_KINDS)('%s: PASS, no cause, a headline that says all entries are verified', async (kind) => {
    const r = await run(bases.get(kind) as string);
    expect(r.verdict).toBe('PASS');
    expect(r.diagnosis).toEqual([]);
    expect(r.headline).toBe(`All 2,000 entries are verified: they match the log's signed checkpoint of size 2,000.`);
  });
});

describe('one altered entry', () => {
  it.each(POSITIONS.map((p, k) => [p, kindAt(k)] as const))(
    'entry %i (%s): named exactly, 1 failed, the rest of its checkpoint range no longer proven',
    async (p, kind) => {
      const r = await run(tampered(kind, (l) => l.map((x, i) => (i === p ? alter(x) : x))));
      expect(r.verdict).toBe('FAIL');
      expect(cause0(r)).toMatchObject({ cause: 'ENTRY_ALTERED', entries: { from: p, to: p + 1 } });
      expect(r.diagnosis).toHaveLength(1);
      expect(r.coverage.failed).toBe(1);
      const proven = Math.floor(p / EVERY) * EVERY;
      expect(r.coverage.verified).toBe(proven);
      expect(reason(r, 'ROOT_NO_LONGER_MATCHES')).toBe(N - proven - 1);
      expect(r.coverage.ranges.find((g) => g.status === 'failed')).toMatchObject({
        from: p,
        to: p + 1,
        reason: 'ENTRY_CHANGED',
      });
      expect(r.headline).toContain(`Entry ${p.toLocaleString('en-US')} was altered`);
      // Every finding is under the cause: the break at the next entry, the roots, the manifest.
      const under = new Set(r.diagnosis.flatMap((c) => c.findings));
      const unexplained = r.findings.filter((f, i) => f.severity === 'error' && !under.has(i));
      expect(unexplained).toEqual([]);
      expect(r.findings[0]?.code).toBe('CHAIN_BROKEN');
    },
  );

  it('its own prev changed by one digit: still that entry', async () => {
    const p = POSITIONS[0] as number;
    const r = await run(
      tampered('k8s', (l) =>
        l.map((x, i) =>
          i === p ? x.replace(/"prev":"(.)/, (_m, c: string) => `"prev":"${c === 'a' ? 'b' : 'a'}`) : x,
        ),
      ),
    );
    expect(cause0(r)).toMatchObject({ cause: 'ENTRY_ALTERED', entries: { from: p, to: p + 1 } });
    expect(r.coverage.failed).toBe(1);
  });

  it('the last entry: located by the signed roots to its checkpoint range', async () => {
    const r = await run(tampered('applog', (l) => l.map((x, i) => (i === N - 1 ? alter(x) : x))));
    expect(cause0(r)).toMatchObject({ cause: 'HISTORY_REWRITTEN', entries: { from: N - EVERY, to: N } });
    expect(r.coverage.failed).toBe(0);
  });
});

describe('entries removed, inserted, duplicated, reordered', () => {
  it.each(POSITIONS.map((p, k) => [p, kindAt(k + 1)] as const))(
    'one line deleted at %i (%s): the place and its seq, not the end of the log',
    async (p, kind) => {
      const r = await run(tampered(kind, (l) => l.filter((_x, i) => i !== p)));
      expect(cause0(r)).toMatchObject({
        cause: 'ENTRIES_REMOVED',
        entries: { from: p, to: p },
        seq: { from: p, to: p + 1 },
      });
      // The last checkpoint now commits beyond the entries: a consequence of the removal, not a truncation.
      expect(r.diagnosis.map((c) => c.cause)).not.toContain('LOG_TRUNCATED');
      expect(r.coverage.failed).toBe(0);
      expect(r.headline).toContain(
        `between entries ${(p - 1).toLocaleString('en-US')} and ${p.toLocaleString('en-US')}`,
      );
    },
  );

  it('a block of 25 lines deleted', async () => {
    const p = POSITIONS[1] as number;
    const r = await run(tampered('cloudtrail', (l) => [...l.slice(0, p), ...l.slice(p + 25)]));
    expect(cause0(r)).toMatchObject({
      cause: 'ENTRIES_REMOVED',
      entries: { from: p, to: p },
      seq: { from: p, to: p + 25 },
    });
  });

  it('a forged entry inserted with a correct link', async () => {
    const p = POSITIONS[2] as number;
    const r = await run(
      tampered('k8s', (l) => {
        const o = JSON.parse(l[p] as string) as { event: { verb: string } };
        o.event.verb = 'delete';
        return [...l.slice(0, p + 1), JSON.stringify(o), ...l.slice(p + 1)];
      }),
    );
    expect(cause0(r)).toMatchObject({
      cause: 'ENTRIES_INSERTED',
      entries: { from: p + 1, to: p + 2 },
      seq: { from: p, to: p + 1 },
    });
    expect(r.coverage.failed).toBe(1);
  });

  it('a line duplicated', async () => {
    const p = POSITIONS[3] as number;
    const r = await run(tampered('applog', (l) => [...l.slice(0, p + 1), l[p] as string, ...l.slice(p + 1)]));
    expect(cause0(r)).toMatchObject({ cause: 'ENTRIES_DUPLICATED', entries: { from: p + 1, to: p + 2 } });
    expect(r.coverage.failed).toBe(1);
  });

  it('two neighbours swapped', async () => {
    const p = POSITIONS[0] as number;
    const r = await run(
      tampered('cloudtrail', (l) =>
        l.map((x, i) => (i === p ? (l[p + 1] as string) : i === p + 1 ? (l[p] as string) : x)),
      ),
    );
    expect(cause0(r)).toMatchObject({ cause: 'ENTRIES_REORDERED', entries: { from: p, to: p + 2 } });
    expect(r.coverage.failed).toBe(2);
  });
});

describe('cut short, rewritten, wrong key', () => {
  it('the last 150 entries cut off, checkpoints kept: LOG_TRUNCATED names the missing seq values', async () => {
    const r = await run(tampered('k8s', (l) => l.slice(0, N - 150)));
    expect(cause0(r)).toMatchObject({ cause: 'LOG_TRUNCATED', seq: { from: N - 150, to: N } });
    expect(r.coverage.failed).toBe(0);
    expect(r.coverage.verified).toBe(1_800);
    expect(reason(r, 'ROOT_NO_LONGER_MATCHES')).toBe(50);
    expect(r.headline).toMatch(/^The export was cut short/);
  });

  it.each(POSITIONS.slice(0, 2))(
    'an entry rewritten at %i and the chain relinked: located between the last matching and the first mismatching checkpoint',
    async (p) => {
      const r = await run(tampered('applog', (l) => l.map((x, i) => (i === p ? alter(x) : x)), { relink: true }));
      const from = Math.floor(p / EVERY) * EVERY;
      expect(cause0(r)).toMatchObject({ cause: 'HISTORY_REWRITTEN', entries: { from, to: from + EVERY } });
      expect(r.coverage.failed).toBe(0);
      expect(r.coverage.verified).toBe(from);
    },
  );

  it('a wrong trusted key: INCONCLUSIVE, and the signer seen is named', async () => {
    const other = testKey('not-the-log', ORIGIN);
    const r = await run(bases.get('k8s') as string, { trusted: [other.trusted] });
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(cause0(r)).toMatchObject({ cause: 'NO_TRUSTED_SIGNER', signers: [{ name: ORIGIN }] });
    expect(r.diagnosis).toHaveLength(1);
    expect(r.coverage).toMatchObject({ verified: 0, failed: 0, unverifiable: N });
    expect(r.headline).toMatch(/^No checkpoint is signed by a key you trusted/);
  });

  it('a wrong key and an altered entry: the alteration first, FAIL', async () => {
    const other = testKey('not-the-log', ORIGIN);
    const p = POSITIONS[1] as number;
    const r = await run(
      tampered('k8s', (l) => l.map((x, i) => (i === p ? alter(x) : x))),
      { trusted: [other.trusted] },
    );
    expect(r.verdict).toBe('FAIL');
    expect(r.diagnosis.map((c) => c.cause)).toEqual(['ENTRY_ALTERED', 'NO_TRUSTED_SIGNER']);
  });
});

describe('several independent tamperings', () => {
  it('each is listed with its own range, in order of place', async () => {
    const r = await run(
      tampered('cloudtrail', (l) => {
        const out = l.map((x, i) => (i === 150 || i === 1_700 ? alter(x) : x));
        return [...out.slice(0, 900), ...out.slice(903)];
      }),
    );
    expect(r.diagnosis.map((c) => [c.cause, c.entries?.from])).toEqual([
      ['ENTRY_ALTERED', 150],
      ['ENTRIES_REMOVED', 900],
      ['ENTRY_ALTERED', 1_697],
    ]);
    expect(r.coverage.failed).toBe(2);
  });
});

describe('the same diagnosis for any worker count', () => {
  it('1, 2 and 3 workers with chunk boundaries everywhere', async () => {
    const dir = tampered('applog', (l) => {
      const out = l.map((x, i) => (i === 333 ? alter(x) : x));
      return [...out.slice(0, 1_000), out[1_001] as string, out[1_000] as string, ...out.slice(1_002)];
    });
    const results = await Promise.all([1, 2, 3].map((w) => run(dir, { workers: w })));
    const strip = (r: VerificationResult) => ({
      headline: r.headline,
      diagnosis: r.diagnosis,
      coverage: r.coverage,
      findings: r.findings,
    });
    expect(strip(results[1] as VerificationResult)).toEqual(strip(results[0] as VerificationResult));
    expect(strip(results[2] as VerificationResult)).toEqual(strip(results[0] as VerificationResult));
  });
});
