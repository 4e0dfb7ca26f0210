/**
 * The incident reasoning on simulated exports: a log of entries (seq, content, prev) whose
 * chain and sequence facts are computed exactly as the workers compute them, tampered the way
 * an attacker would, at positions drawn from a seeded generator. Hashes are stand-ins (the
 * reasoning only compares them); the engine-level tamper suite uses real bundles.
 */
import { describe, expect, it } from 'vitest';
import {
  type EntryFacts,
  entryIncidents,
  hexDistance,
  type Incident,
  runsOf,
} from '../../../../shared/verdict/entry-incidents.js';
import { prng } from '../../../support/fixtures.js';

interface SimEntry {
  readonly seq: number;
  readonly body: string;
  readonly prev: string;
}

/** A stand-in for SHA-256 that is 64 hex digits and changes everywhere when its input changes. */
function h(s: string): string {
  let out = '';
  let x = 2166136261;
  for (let k = 0; k < 8; k++) {
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    x = Math.imul(x ^ k, 2246822519) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out;
}

const leaf = (e: SimEntry) => h(`${e.seq}|${e.body}|${e.prev}`);
const link = (e: SimEntry) => h(`${e.prev}:${leaf(e)}`);
const GENESIS = h('genesis');

function makeLog(n: number): SimEntry[] {
  const out: SimEntry[] = [];
  let prev = GENESIS;
  for (let i = 0; i < n; i++) {
    const e = { seq: i, body: `event-${i}`, prev };
    out.push(e);
    prev = link(e);
  }
  return out;
}

/** Chain and sequence facts as the workers compute them (range-verifier.ts). */
function factsOf(entries: readonly SimEntry[], provenPrefix = 0, extra: Partial<EntryFacts> = {}): EntryFacts {
  const breaks: EntryFacts['breaks'][number][] = [];
  const seqSteps: EntryFacts['seqSteps'][number][] = [];
  let expected = GENESIS;
  let lastSeq = -1;
  entries.forEach((e, i) => {
    if (e.prev !== expected) breaks.push({ index: i, expected, actual: e.prev });
    expected = link(e);
    if (e.seq !== lastSeq + 1) seqSteps.push({ index: i, expected: lastSeq + 1, actual: e.seq });
    lastSeq = e.seq;
  });
  return {
    entryCount: entries.length,
    firstSeq: 0,
    breaks,
    seqSteps,
    timeRegressions: [],
    entryErrors: [],
    seqUnknown: [],
    provenPrefix,
    ...extra,
  };
}

const summary = (xs: readonly Incident[]) =>
  xs.map((x) => ({
    kind: x.kind,
    from: x.entries.from,
    to: x.entries.to,
    ...(x.seq ? { seq: [x.seq.from, x.seq.to] } : {}),
  }));

function relink(entries: SimEntry[], from: number): void {
  for (let i = Math.max(1, from); i < entries.length; i++)
    entries[i] = { ...(entries[i] as SimEntry), prev: link(entries[i - 1] as SimEntry) };
}

describe('entryIncidents on simulated exports', () => {
  const N = 3000;
  const rand = prng(20261206);
  const positions = Array.from({ length: 12 }, () => 5 + Math.floor(rand() * (N - 20)));

  it('an intact log has no incidents', () => {
    expect(entryIncidents(factsOf(makeLog(N)))).toEqual([]);
  });

  it.each(positions)('names the altered entry, not its successor (entry %i)', (p) => {
    const log = makeLog(N);
    log[p] = { ...(log[p] as SimEntry), body: 'tampered' };
    expect(summary(entryIncidents(factsOf(log)))).toEqual([{ kind: 'ENTRY_ALTERED', from: p, to: p + 1 }]);
  });

  it.each(positions)('names an entry whose own prev was edited by one digit (entry %i)', (p) => {
    const log = makeLog(N);
    const e = log[p] as SimEntry;
    log[p] = { ...e, prev: (e.prev[0] === 'a' ? 'b' : 'a') + e.prev.slice(1) };
    const out = entryIncidents(factsOf(log));
    expect(summary(out)).toEqual([{ kind: 'ENTRY_ALTERED', from: p, to: p + 1 }]);
    expect(out[0]?.detail.prevChanged).toBe(true);
  });

  it('a block of altered entries is one incident with its exact range', () => {
    const log = makeLog(N);
    for (let i = 1000; i < 1007; i++) log[i] = { ...(log[i] as SimEntry), body: `x${i}` };
    expect(summary(entryIncidents(factsOf(log)))).toEqual([{ kind: 'ENTRY_ALTERED', from: 1000, to: 1007 }]);
  });

  it('the first entry, altered', () => {
    const log = makeLog(N);
    log[0] = { ...(log[0] as SimEntry), body: 'x' };
    expect(summary(entryIncidents(factsOf(log)))).toEqual([{ kind: 'ENTRY_ALTERED', from: 0, to: 1 }]);
  });

  it.each(positions)('removed entries: the place and the seq values (at %i)', (p) => {
    const log = makeLog(N);
    log.splice(p, 3);
    expect(summary(entryIncidents(factsOf(log)))).toEqual([
      { kind: 'ENTRIES_REMOVED', from: p, to: p, seq: [p, p + 3] },
    ]);
  });

  it('a removal hidden by relinking the next entry: removed, and that entry altered', () => {
    const log = makeLog(N);
    log.splice(500, 1);
    log[500] = { ...(log[500] as SimEntry), prev: link(log[499] as SimEntry) };
    expect(summary(entryIncidents(factsOf(log)))).toEqual([
      { kind: 'ENTRIES_REMOVED', from: 500, to: 500, seq: [500, 501] },
      { kind: 'ENTRY_ALTERED', from: 500, to: 501 },
    ]);
  });

  it.each(positions)('an inserted forgery that links correctly (at %i)', (p) => {
    const log = makeLog(N);
    const forged = { seq: p - 1, body: 'forged', prev: link(log[p - 1] as SimEntry) };
    log.splice(p, 0, forged);
    expect(summary(entryIncidents(factsOf(log)))).toEqual([
      { kind: 'ENTRIES_INSERTED', from: p, to: p + 1, seq: [p - 1, p] },
    ]);
  });

  it('a duplicated line is named a duplicate when its bytes repeat an entry', () => {
    const log = makeLog(N);
    log.splice(901, 0, log[900] as SimEntry);
    const facts = factsOf(log, 0, { sameEntry: (a, b) => leaf(log[a] as SimEntry) === leaf(log[b] as SimEntry) });
    const out = entryIncidents(facts);
    expect(summary(out)).toEqual([{ kind: 'ENTRIES_DUPLICATED', from: 901, to: 902, seq: [900, 901] }]);
    expect(out[0]?.detail.duplicateOf).toEqual([900]);
  });

  it.each(positions)('two neighbours swapped are out of order (at %i)', (p) => {
    const log = makeLog(N);
    [log[p], log[p + 1]] = [log[p + 1] as SimEntry, log[p] as SimEntry];
    expect(summary(entryIncidents(factsOf(log)))).toEqual([
      { kind: 'ENTRIES_REORDERED', from: p, to: p + 2, seq: [p, p + 2] },
    ]);
  });

  it('a shuffled window is one reordering', () => {
    const log = makeLog(N);
    const w = log.slice(700, 705);
    log.splice(700, 5, w[3] as SimEntry, w[0] as SimEntry, w[4] as SimEntry, w[1] as SimEntry, w[2] as SimEntry);
    const out = summary(entryIncidents(factsOf(log)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'ENTRIES_REORDERED' });
    expect(out[0]?.from).toBeGreaterThanOrEqual(700);
    expect(out[0]?.to).toBeLessThanOrEqual(705);
  });

  it('an entry moved far away: where it went and where it came from', () => {
    const log = makeLog(N);
    const [moved] = log.splice(300, 1);
    log.splice(2000, 0, moved as SimEntry);
    const out = entryIncidents(factsOf(log));
    expect(summary(out)).toEqual([{ kind: 'ENTRIES_REORDERED', from: 2000, to: 2001, seq: [300, 301] }]);
    expect(out[0]?.detail.movedFrom).toBe(300);
    expect(out[0]?.position).toBe(300);
  });

  it('an edited seq is an altered entry, with the seq it should have', () => {
    const log = makeLog(N);
    log[600] = { ...(log[600] as SimEntry), seq: 650 };
    const out = entryIncidents(factsOf(log));
    expect(summary(out)).toEqual([{ kind: 'ENTRY_ALTERED', from: 600, to: 601 }]);
    expect(out[0]?.detail.seqChanged).toEqual({ expected: 600, actual: 650 });
  });

  it('independent tamperings are each found, in order', () => {
    const log = makeLog(N);
    log[2500] = { ...(log[2500] as SimEntry), body: 'x' };
    [log[1500], log[1501]] = [log[1501] as SimEntry, log[1500] as SimEntry];
    log.splice(800, 2);
    log[100] = { ...(log[100] as SimEntry), body: 'y' };
    expect(summary(entryIncidents(factsOf(log)))).toEqual([
      { kind: 'ENTRY_ALTERED', from: 100, to: 101 },
      { kind: 'ENTRIES_REMOVED', from: 800, to: 800, seq: [800, 802] },
      { kind: 'ENTRIES_REORDERED', from: 1498, to: 1500, seq: [1500, 1502] },
      { kind: 'ENTRY_ALTERED', from: 2498, to: 2499 },
    ]);
  });

  it('a relinked rewrite leaves no entry-level trace (the roots must show it)', () => {
    const log = makeLog(N);
    log[1234] = { ...(log[1234] as SimEntry), body: 'rewritten' };
    relink(log, 1235);
    expect(entryIncidents(factsOf(log))).toEqual([]);
  });

  it('a break inside the proven prefix is a defect of the log, not of the copy', () => {
    const log = makeLog(N);
    log[50] = { ...(log[50] as SimEntry), prev: h('wrong') };
    relink(log, 51);
    const out = entryIncidents(factsOf(log, 100));
    expect(summary(out)).toEqual([{ kind: 'LOG_DEFECT', from: 50, to: 51 }]);
    expect(out[0]?.detail.defect).toBe('chain');
  });

  it('a break right after the proven prefix blames the entry after it', () => {
    const log = makeLog(N);
    log[100] = { ...(log[100] as SimEntry), prev: h('anything') };
    relink(log, 101);
    // Entry 99 is proven; the break at 100 can only be entry 100's own prev.
    expect(summary(entryIncidents(factsOf(log, 100)))).toEqual([{ kind: 'ENTRY_ALTERED', from: 100, to: 101 }]);
  });

  it("a seq gap inside the proven prefix is the log's own gap", () => {
    const log = makeLog(N).map((e) => (e.seq >= 40 ? { ...e, seq: e.seq + 2 } : e));
    // Rebuild the chain so that it is intact: the log itself skipped two numbers.
    relink(log, 0);
    const out = entryIncidents(factsOf(log, 100));
    expect(summary(out)).toEqual([{ kind: 'LOG_DEFECT', from: 40, to: 41, seq: [40, 42] }]);
  });

  it('many scattered alterations are each located exactly', () => {
    const log = makeLog(N);
    const r = prng(7);
    const picked = [...new Set(Array.from({ length: 200 }, () => 1 + Math.floor(r() * (N - 2))))].sort((a, b) => a - b);
    for (const p of picked) log[p] = { ...(log[p] as SimEntry), body: `t${p}` };
    const blamed = entryIncidents(factsOf(log)).flatMap((x) => x.blamed);
    expect(blamed).toEqual(picked);
  });

  it('hostile input: every entry anomalous is bounded and does not throw', () => {
    const n = 20000;
    const log: SimEntry[] = Array.from({ length: n }, (_, i) => ({
      seq: (i * 7919) % n,
      body: `b${i}`,
      prev: h(`p${i}`),
    }));
    const t0 = Date.now();
    const out = entryIncidents(factsOf(log));
    expect(out.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('helpers', () => {
  it('hexDistance counts differing digits', () => {
    expect(hexDistance('abcd', 'abce')).toBe(1);
    expect(hexDistance('abcd', undefined)).toBe(64);
    expect(hexDistance('ab', 'abc')).toBe(64);
  });
  it('runsOf groups consecutive indexes', () => {
    expect(runsOf([1, 2, 3, 7, 9, 10])).toEqual([
      { from: 1, to: 4 },
      { from: 7, to: 8 },
      { from: 9, to: 11 },
    ]);
  });
});
