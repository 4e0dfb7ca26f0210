/**
 * The entry-level diff: JSON field differences, the three alignments (seq, a member, content),
 * the shortest edit script they rest on, and the window-end rule.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AlignBy,
  alignEntries,
  type EntryOp,
  entryView,
  parseAlignBy,
  type WindowEntry,
} from '../../../../shared/diff/entries.js';
import { jsonFieldDiff, parseMemberPath } from '../../../../shared/diff/json-diff.js';
import { shortestEdit } from '../../../../shared/diff/myers.js';
import { prng } from '../tlog/merkle/support.js';

function entry(index: number, line: string | Uint8Array): WindowEntry {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  const leafHash = createHash('sha256')
    .update(Buffer.concat([Buffer.of(0), bytes]))
    .digest();
  return { index, offset: index * 100, leafHash, length: bytes.length, bytes };
}

/** A log in the bundle's entry shape; prev is a fake link that changes with position. */
function line(seq: number, event: Record<string, unknown>, prevTag = seq): string {
  return JSON.stringify({
    seq,
    ts: '2026-01-01T00:00:00Z',
    prev: createHash('sha256').update(String(prevTag)).digest('hex'),
    event,
  });
}

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `evt-${i}`, actor: `user${i % 3}`, outcome: 'success' }));

function windowOf(evts: ReadonlyArray<Record<string, unknown>>, from: number, renumber = true): WindowEntry[] {
  return evts.map((e, i) => entry(from + i, line(renumber ? from + i : Number(String(e.id).slice(4)), e, from + i)));
}

const SEQ: AlignBy = { kind: 'seq' };
const ops = (d: { ops: readonly EntryOp[] }) =>
  d.ops.map((o) =>
    o.op === 'changed'
      ? `~${o.a.index}/${o.b.index}:${o.fields.join('|')}`
      : o.op === 'removed'
        ? `-${o.a.index}`
        : `+${o.b.index}`,
  );

describe('jsonFieldDiff', () => {
  it('names the innermost differing member, members on one side only, type and length changes', () => {
    const a = { seq: 1, event: { actor: 'a', tags: ['x', 'y'], n: 1, o: { deep: true } }, 'odd key': 1 };
    const b = { seq: 1, event: { actor: 'b', tags: ['x'], n: '1', o: { deep: true }, added: null }, 'odd key': 2 };
    expect(jsonFieldDiff(a, b).paths).toEqual([
      '$.event.actor',
      '$.event.tags[1]',
      '$.event.n',
      '$.event.added',
      '$["odd key"]',
    ]);
    expect(jsonFieldDiff(a, a).paths).toEqual([]);
    expect(jsonFieldDiff([1, 2], { 0: 1 }).paths).toEqual(['$']);
  });

  it('caps the paths and counts the rest', () => {
    const a = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, -i - 1]));
    expect(jsonFieldDiff(a, b, 4)).toEqual({ paths: ['$.k0', '$.k1', '$.k2', '$.k3'], omitted: 6 });
  });

  it('parses member paths and alignment specs', () => {
    expect(parseMemberPath('event.id')).toEqual(['event', 'id']);
    expect(parseMemberPath('$.event.id')).toEqual(['event', 'id']);
    expect(parseMemberPath('event..id')).toBeUndefined();
    expect(parseMemberPath('')).toBeUndefined();
    expect(parseAlignBy('seq')).toEqual({ kind: 'seq' });
    expect(parseAlignBy('content')).toEqual({ kind: 'content' });
    expect(parseAlignBy('event.id')).toEqual({ kind: 'member', path: ['event', 'id'] });
    expect(parseAlignBy('.')).toBeUndefined();
  });
});

describe('shortestEdit', () => {
  const lcs = (a: string[], b: string[]) => {
    const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--)
      for (let j = b.length - 1; j >= 0; j--)
        t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    return t[0]![0]!;
  };
  it('is a valid and minimal edit script on random sequences', () => {
    const rand = prng(9);
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: Math.floor(rand() * 30) }, () => String(Math.floor(rand() * 5)));
      const b = Array.from({ length: Math.floor(rand() * 30) }, () => String(Math.floor(rand() * 5)));
      const s = shortestEdit(a, b, 1000)!;
      // Replaying the script turns a into b, and it uses exactly n + m − 2·LCS edits.
      const out: string[] = [];
      let ai = 0;
      for (const op of s) {
        if (op.op === 'equal') {
          expect(op.a).toBe(ai);
          expect(a[op.a]).toBe(b[op.b]);
          out.push(a[ai++]!);
        } else if (op.op === 'delete') expect(op.a).toBe(ai++);
        else out.push(b[op.b]!);
      }
      expect(ai).toBe(a.length);
      expect(out).toEqual(b);
      expect(s.filter((o) => o.op !== 'equal').length).toBe(a.length + b.length - 2 * lcs(a, b));
    }
  });
  it('gives up beyond the edit budget', () => {
    expect(shortestEdit(['a', 'b', 'c'], ['x', 'y', 'z'], 5)).toBeUndefined();
    expect(shortestEdit(['a', 'b', 'c'], ['x', 'y', 'z'], 6)).toHaveLength(6);
    expect(shortestEdit([], [], 0)).toEqual([]);
  });
});

describe('alignEntries', () => {
  it('seq: one field changed in place is one changed entry naming the field', () => {
    const ev = events(20);
    const a = windowOf(ev, 100);
    const ev2 = ev.map((e, i) => (i === 0 ? { ...e, outcome: 'denied' } : e));
    const b = windowOf(ev2, 100);
    const d = alignEntries(a, b, { alignBy: SEQ, aComplete: true, bComplete: true });
    expect(ops(d)).toEqual(['~100/100:$.event.outcome']);
    expect(d.counts).toEqual({ equal: 19, changed: 1, relinked: 0, removed: 0, inserted: 0, notCompared: 0 });
    expect(d.ops[0]).toMatchObject({ a: { key: '100' }, b: { key: '100' }, representationOnly: false });
  });

  it('seq: a deleted line that kept the numbering is one removed entry', () => {
    const ev = events(20);
    const a = windowOf(ev, 0);
    const b = a.filter((e) => e.index !== 5).map((e, i) => ({ ...e, index: i }));
    const d = alignEntries(a.slice(5), b.slice(5), { alignBy: SEQ, aComplete: true, bComplete: true });
    expect(ops(d)).toEqual(['-5']);
    expect(d.counts).toMatchObject({ equal: 14, removed: 1, inserted: 0, changed: 0 });
  });

  it('member: an insertion with renumbering is one inserted entry; the shifted rest is only re-linked', () => {
    const ev = events(30);
    const a = windowOf(ev.slice(10), 10);
    const forged = { id: 'evt-forged', actor: 'mallory', outcome: 'success' };
    const b = windowOf([forged, ...ev.slice(10)], 10);
    const byId = alignEntries(a, b, {
      alignBy: { kind: 'member', path: ['event', 'id'] },
      aComplete: true,
      bComplete: true,
    });
    expect(ops(byId)).toEqual(['+10']);
    expect(byId.counts).toMatchObject({ inserted: 1, removed: 0, changed: 0, relinked: 20, equal: 0 });
    expect(byId.relinked).toEqual([{ a: [10, 30], b: [11, 31], fields: ['$.seq', '$.prev'] }]);
    // The same edit aligned by content needs no id member.
    const byContent = alignEntries(a, b, { alignBy: { kind: 'content' }, aComplete: true, bComplete: true });
    expect(ops(byContent)).toEqual(['+10']);
    expect(byContent.counts).toMatchObject({ inserted: 1, relinked: 20 });
    // By seq, every renumbered entry pairs with a different event: the diff says so honestly.
    const bySeq = alignEntries(a, b, { alignBy: SEQ, aComplete: true, bComplete: true });
    expect(bySeq.counts.changed).toBe(20);
    expect(bySeq.counts.inserted).toBe(1);
  });

  it('content: a changed entry between equal ones pairs up by position', () => {
    const ev = events(10);
    const a = windowOf(ev, 0);
    const b = windowOf(
      ev.map((e, i) => (i === 4 ? { ...e, actor: 'mallory' } : e)),
      0,
    );
    const d = alignEntries(a, b, { alignBy: { kind: 'content' }, aComplete: true, bComplete: true });
    expect(ops(d)).toEqual(['~4/4:$.event.actor']);
    expect(d.counts).toMatchObject({ equal: 9, changed: 1 });
  });

  it('content: falls back to positional pairing beyond the edit budget, and says so', () => {
    const a = windowOf(events(10), 0);
    const b = windowOf(
      events(10).map((e) => ({ ...e, outcome: 'x' })),
      0,
    );
    const d = alignEntries(a, b, { alignBy: { kind: 'content' }, aComplete: true, bComplete: true, maxEdits: 4 });
    expect(d.fallback).toBe(true);
    expect(d.counts.changed).toBe(10);
  });

  it('unmatched entries past the last aligned pair are not compared while the other window stops short', () => {
    const ev = events(40);
    const a = windowOf(ev.slice(0, 20), 0);
    const b = windowOf([{ id: 'x', actor: 'm', outcome: 's' }, ...ev.slice(0, 19)], 0);
    const d = alignEntries(a, b, {
      alignBy: { kind: 'member', path: ['event', 'id'] },
      aComplete: false,
      bComplete: false,
    });
    // evt-19 is in A's window only; B's window ended before it, so it is not called removed.
    expect(d.counts).toMatchObject({ inserted: 1, removed: 0, notCompared: 1 });
    const complete = alignEntries(a, b, {
      alignBy: { kind: 'member', path: ['event', 'id'] },
      aComplete: true,
      bComplete: true,
    });
    expect(complete.counts).toMatchObject({ inserted: 1, removed: 1, notCompared: 0 });
  });

  it('handles lines that are not JSON, too large to read, or differ only in representation', () => {
    const a = [entry(0, '{"seq":0,"event":{"a":1,"b":2}}'), entry(1, 'not json'), entry(2, '{"seq":2,"x":1}')];
    const big: WindowEntry = { ...entry(2, '{"seq":2,"x":2}'), bytes: undefined as never };
    delete (big as { bytes?: Uint8Array }).bytes;
    const b = [entry(0, '{"seq":0, "event":{"b":2,"a":1}}'), entry(1, 'not json either'), big];
    const d = alignEntries(a, b, { alignBy: SEQ, aComplete: true, bComplete: true });
    expect(d.ops).toEqual([
      expect.objectContaining({ op: 'changed', fields: [], representationOnly: true }),
      expect.objectContaining({ op: 'removed', a: expect.objectContaining({ index: 1 }) }),
      expect.objectContaining({ op: 'inserted', b: expect.objectContaining({ index: 1 }) }),
      expect.objectContaining({ op: 'removed', a: expect.objectContaining({ index: 2 }) }),
      expect.objectContaining({ op: 'inserted', b: expect.objectContaining({ index: 2 }) }),
    ]);
    expect(entryView(big)).toMatchObject({ index: 2, truncated: true });
    expect(entryView(entry(5, Uint8Array.of(0xff, 0xfe)))).toMatchObject({ index: 5, length: 2, truncated: false });
    expect(entryView(entry(5, 'x'.repeat(50)), 10)).toMatchObject({ text: 'x'.repeat(10), truncated: true });
  });

  it('caps the listed operations and counts the rest', () => {
    const ev = events(50);
    const a = windowOf(ev, 0);
    const b = windowOf(
      ev.map((e) => ({ ...e, outcome: 'denied' })),
      0,
    );
    const d = alignEntries(a, b, { alignBy: SEQ, aComplete: true, bComplete: true, maxOps: 10 });
    expect(d.ops).toHaveLength(10);
    expect(d.opsOmitted).toBe(40);
    expect(d.counts.changed).toBe(50);
  });
});
