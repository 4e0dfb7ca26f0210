/**
 * The entry search index: field extraction over common audit-log shapes, a query language
 * that cannot inject FTS5 syntax, and queries checked against ground truth computed by
 * reading the entries file directly — on a partly tampered bundle (statuses) and on one whose
 * timestamps go backwards (the slow, exact time path).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseFile, createCase } from '../../../../electron/case/case.js';
import { extractEntryFields } from '../../../../electron/case/entry-fields.js';
import { buildEntryIndex, listEntrySets, loadBlockIndex } from '../../../../electron/case/entry-index.js';
import { importEvidence } from '../../../../electron/case/evidence.js';
import { MAX_PREFIX_TERMS, MAX_QUERY_TERMS, parseQuery, queryEntries } from '../../../../electron/case/query.js';
import { trustKey } from '../../../../electron/case/trust.js';
import { verifyInCase } from '../../../../electron/services/case-run.js';
import { BundleWriter } from '../../../../electron/write/bundle-writer.js';
import {
  type GeneratedBundle,
  generateBundle,
  makeTempDir,
  ORIGIN,
  prng,
  removeDir,
  syntheticEvent,
  testKey,
} from '../../../support/fixtures.js';

const N = 2000;
const TAMPERED = 1234;
const tmp = makeTempDir('proofdesk-query-');
let b: GeneratedBundle;
let cf: CaseFile;
let runId: number;
let lines: string[];
type Entry = { seq: number; ts: string; event: { actor: string; action: string; resource: string; outcome: string } };
let entries: Entry[];

beforeAll(async () => {
  b = generateBundle(join(tmp, 'bundle'), N, { checkpointEvery: 500 });
  // Tamper with one entry after sealing: the checkpoint above it no longer matches.
  const file = join(b.dir, 'entries.jsonl');
  lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  const e = JSON.parse(lines[TAMPERED]!) as Entry;
  e.event.actor = 'mallory@example.com';
  lines[TAMPERED] = JSON.stringify(e);
  writeFileSync(file, lines.join('\n') + '\n');
  entries = lines.map((l) => JSON.parse(l) as Entry);
  cf = createCase(join(tmp, 'case'), { title: 'query test' }, { actor: 'examiner' });
  trustKey(cf, { publicKey: b.logKey.publicKey, keyName: b.logKey.name, label: 'log', origin: ORIGIN });
  const out = await verifyInCase(cf, { bundle: b.dir, workers: 2 });
  runId = out.runId;
});
afterAll(() => {
  cf.close();
  removeDir(tmp);
});

const idx = (pred: (e: Entry, i: number) => boolean) => entries.flatMap((e, i) => (pred(e, i) ? [i] : []));
const ms = (ts: string) => Date.parse(ts);

describe('field extraction', () => {
  it('finds who, what and on what in common audit shapes', () => {
    const f = (event: unknown, extra: Record<string, unknown> = {}) => {
      const x = extractEntryFields({ seq: 1, ts: 't', prev: 'p', event, ...extra });
      return [x.actor, x.action, x.target];
    };
    expect(f({ actor: 'alice', action: 'login', resource: '/a' })).toEqual(['alice', 'login', '/a']);
    expect(f({ userIdentity: { arn: 'arn:aws:iam::1:user/bob' }, eventName: 'DeleteBucket' })).toEqual([
      'arn:aws:iam::1:user/bob',
      'DeleteBucket',
      null,
    ]);
    expect(
      f({
        protoPayload: {
          authenticationInfo: { principalEmail: 'c@x.io' },
          methodName: 'SetIamPolicy',
          resourceName: 'projects/p',
        },
      }),
    ).toEqual(['c@x.io', 'SetIamPolicy', 'projects/p']);
    expect(f({ user: { username: 'system:admin' }, verb: 'delete', objectRef: { resource: 'secrets' } })).toEqual([
      'system:admin',
      'delete',
      'secrets',
    ]);
    expect(f({ actor: { alternateId: 'dave@okta', id: '00u1' }, eventType: 'user.session.start' })).toEqual([
      'dave@okta',
      'user.session.start',
      null,
    ]);
    expect(f({ Actor: 'eve', ACTION: 'Grant' })).toEqual(['eve', 'Grant', null]);
    expect(f('logout', { user: 'frank' })).toEqual(['frank', 'logout', null]);
    expect(f([1, 2, 3])).toEqual([null, null, null]);
    expect(f({ actor: 'x'.repeat(1000) })[0]).toHaveLength(256);
  });

  it('indexes the values of the event but never prev or sig', () => {
    const x = extractEntryFields({
      seq: 1,
      ts: 't',
      prev: 'ab'.repeat(32),
      sig: { sig: 'zz' },
      event: { a: 'one', b: [2, { c: true }] },
      source: 'gw-1',
    });
    expect(x.text).toBe('one 2 true gw-1');
  });
});

describe('query language', () => {
  it('quotes every text term, so FTS5 syntax in input is only text', () => {
    expect(parseQuery('alice@example.com')).toEqual({ fts: '"alice@example.com"', fields: [] });
    expect(parseQuery('foo" OR "bar')).toEqual({ fts: '"foo""" AND "OR" AND """bar"', fields: [] });
    expect(parseQuery('"two words" pre* -not')).toEqual({ fts: '"two words" AND "pre"* NOT "not"', fields: [] });
    expect(parseQuery('actor:svc* action:delete seq:3..9')).toEqual({
      fields: [
        { field: 'actor', value: 'svc', prefix: true },
        { field: 'action', value: 'delete', prefix: false },
      ],
      seq: [3, 9],
    });
    expect(() => parseQuery('-alone')).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    expect(() => parseQuery('seq:9..3')).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    // Odd input runs as a query and returns nothing rather than failing.
    expect(queryEntries(cf, { text: 'NEAR( ^ " : * ) AND' }).hits).toEqual([]);
  });
});

describe('queries against ground truth', () => {
  it('the index is complete, monotonic in time, linked to the run, and the block index is stored', () => {
    const [s] = listEntrySets(cf);
    expect(s).toMatchObject({ state: 'ready', entries: N, tsMonotonic: true, runId });
    const bi = loadBlockIndex(cf, s!.evidenceId)!;
    expect(bi.count).toBe(N);
    expect(bi.blockOffsets.length).toBe(Math.ceil(N / 256));
    expect(bi.blockRoots.length).toBe(Math.floor(N / 256) * 32);
  });

  it('actor and action filters, text terms, prefixes and negation', () => {
    const q = (text: string, extra = {}) => queryEntries(cf, { text, limit: 10_000, count: true, ...extra });
    const bob = q('actor:bob@example.com');
    expect(bob.hits.map((h) => h.entry)).toEqual(idx((e) => e.event.actor === 'bob@example.com'));
    expect(bob.total).toBe(bob.hits.length);
    expect(q('action:delete "svc-backup"').hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.action === 'delete' && e.event.actor === 'svc-backup'),
    );
    expect(q('denied').hits.map((h) => h.entry)).toEqual(idx((e) => e.event.outcome === 'denied'));
    expect(q('actor:svc*').hits.map((h) => h.entry)).toEqual(idx((e) => e.event.actor.startsWith('svc')));
    expect(q('export -success').hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.action === 'export' && e.event.outcome !== 'success'),
    );
    expect(q('seq:100..119').hits.map((h) => h.entry)).toEqual(idx((e) => e.seq >= 100 && e.seq <= 119));
    expect(q('mallory').hits.map((h) => h.entry)).toEqual([TAMPERED]);
  });

  it('target filters, field values given apart (spaces and all), and pages after an entry', () => {
    const q = (o: Parameters<typeof queryEntries>[1]) => queryEntries(cf, { limit: 10_000, count: true, ...o });
    const doc = entries[17]!.event.resource;
    expect(q({ text: `target:${doc}` }).hits.map((h) => h.entry)).toEqual(idx((e) => e.event.resource === doc));
    const prefix = '/projects/42/';
    expect(q({ fields: { target: `${prefix}*` } }).hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.resource.startsWith(prefix)),
    );
    expect(q({ fields: { actor: 'bob@example.com', action: 'read' } }).hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.actor === 'bob@example.com' && e.event.action === 'read'),
    );
    // A value with a space is one value, never split into terms.
    expect(q({ fields: { actor: 'bob@example.com OR alice' } }).hits).toEqual([]);
    const all = idx((e) => e.event.action === 'update');
    const first = q({ text: 'action:update', limit: 10 });
    const next = q({ text: 'action:update', limit: 10, after: first.hits.at(-1)!.entry });
    expect([...first.hits, ...next.hits].map((h) => h.entry)).toEqual(all.slice(0, 20));
    expect(next.total).toBe(all.filter((i) => i > first.hits.at(-1)!.entry).length);
  });

  it('time bounds are inclusive and combine with terms', () => {
    const from = entries[700]!.ts;
    const to = entries[900]!.ts;
    const r = queryEntries(cf, { text: 'action:read', from, to, limit: 10_000, count: true });
    expect(r.hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.action === 'read' && ms(e.ts) >= ms(from) && ms(e.ts) <= ms(to)),
    );
    const all = queryEntries(cf, { from, to, limit: 10_000 });
    expect(all.hits.map((h) => h.entry)).toEqual(idx((_, i) => i >= 700 && i <= 900));
    expect(queryEntries(cf, { from: '2027-01-01' }).hits).toEqual([]);
    expect(queryEntries(cf, { to: '2025-12-31' }).hits).toEqual([]);
    expect(() => queryEntries(cf, { from: 'yesterday' })).toThrowError(
      expect.objectContaining({ code: 'USAGE' }) as Error,
    );
  });

  it('limits say when there is more; every hit carries its line, offset and verification status', () => {
    const r = queryEntries(cf, { text: 'action:update', limit: 5 });
    expect(r.hits).toHaveLength(5);
    expect(r.more).toBe(true);
    const file = readFileSync(join(b.dir, 'entries.jsonl'));
    for (const h of r.hits) {
      expect(h.line).toBe(lines[h.entry]);
      expect(file.subarray(h.byteOffset, h.byteOffset + Buffer.byteLength(h.line)).toString()).toBe(h.line);
      expect(h.ts).toBe(entries[h.entry]!.ts);
      expect(h.runId).toBe(runId);
    }
    // The tampered entry is failed; the rest under the checkpoints that no longer match is no longer proven.
    const t = queryEntries(cf, { text: 'mallory' }).hits[0]!;
    expect(t.status).toBe('failed');
    // Its own line parses and links; the break shows at the next entry, whose prev no longer matches.
    expect(t.findings).toEqual([]);
    const next = queryEntries(cf, { text: `seq:${TAMPERED + 1}` }).hits[0]!;
    expect(next.findings).toEqual(['CHAIN_BROKEN']);
    expect(queryEntries(cf, { text: 'seq:999' }).hits[0]!.status).toBe('verified');
    expect(queryEntries(cf, { text: 'seq:1000' }).hits[0]!.status).toBe('unverifiable');
    // Every checkpoint above the change (1500, 2000) mismatches too: 1000..1999 is no longer proven.
    expect(queryEntries(cf, { text: 'seq:1999' }).hits[0]!.status).toBe('unverifiable');
    expect(queryEntries(cf, { text: `seq:${TAMPERED + 1}` }).hits[0]!.status).toBe('unverifiable');
  });

  it('reuses a complete index, rebuilds to the same rows on request', () => {
    const s = listEntrySets(cf)[0]!;
    const before = cf.db.prepare(`SELECT * FROM derived_entries_${s.id} ORDER BY idx`).all();
    expect(buildEntryIndex(cf, s.evidenceId, { runId }).reused).toBe(true);
    const re = buildEntryIndex(cf, s.evidenceId, { runId, rebuild: true, batch: 333 });
    expect(re.reused).toBe(false);
    expect(cf.db.prepare(`SELECT * FROM derived_entries_${re.set.id} ORDER BY idx`).all()).toEqual(before);
    expect(queryEntries(cf, { text: 'actor:bob@example.com', limit: 10_000 }).hits.map((h) => h.entry)).toEqual(
      idx((e) => e.event.actor === 'bob@example.com'),
    );
  });
});

describe('a bundle whose time goes backwards', () => {
  it('is marked non-monotonic and time bounds still match exactly', () => {
    const dir = join(tmp, 'backwards');
    const key = testKey('log', ORIGIN);
    const w = new BundleWriter({
      dir,
      origin: ORIGIN,
      logKey: { name: key.name, seed: key.seed },
      checkpointEvery: 0,
      created: '2026-11-01T00:00:00Z',
    });
    const rand = prng(7);
    const times: string[] = [];
    for (let i = 0; i < 300; i++) {
      // Every 50th entry jumps an hour back.
      const t = new Date(Date.UTC(2026, 0, 1, 12) + i * 1000 - (i % 50 === 49 ? 3_600_000 : 0)).toISOString();
      times.push(t);
      w.append(syntheticEvent(i, rand), t);
    }
    w.finish();
    const c = createCase(join(tmp, 'case-backwards'), { title: 'backwards' }, { actor: 'examiner' });
    const e = importEvidence(c, dir).evidence;
    const built = buildEntryIndex(c, e.id);
    expect(built.set).toMatchObject({ tsMonotonic: false, runId: null, entries: 300 });
    const from = '2026-01-01T11:00:00Z';
    const to = '2026-01-01T12:00:30Z';
    const r = queryEntries(c, { from, to, limit: 1000 });
    expect(r.hits.map((h) => h.entry)).toEqual(
      times.flatMap((t, i) => (ms(t) >= ms(from) && ms(t) <= ms(to) ? [i] : [])),
    );
    expect(r.hits.every((h) => h.status === 'not-verified')).toBe(true);
    c.close();
  });

  it('seq ranges stay exact when sequence numbers are not contiguous', () => {
    const dir = join(tmp, 'gaps');
    const key = testKey('log', ORIGIN);
    const w = new BundleWriter({
      dir,
      origin: ORIGIN,
      logKey: { name: key.name, seed: key.seed },
      checkpointEvery: 0,
      created: '2026-11-01T00:00:00Z',
    });
    // Raw lines (a real exporter would not write these): seq jumps by 10 after entry 5.
    const seqs = Array.from({ length: 20 }, (_, i) => (i < 5 ? i : i + 10));
    seqs.forEach((seq, i) => {
      w.appendLine(
        JSON.stringify({
          seq,
          ts: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
          prev: '0'.repeat(64),
          event: { actor: 'x', action: 'y' },
        }),
      );
    });
    w.finish();
    const c = createCase(join(tmp, 'case-gaps'), { title: 'gaps' }, { actor: 'examiner' });
    const e = importEvidence(c, dir).evidence;
    expect(buildEntryIndex(c, e.id).set.seqBase).toBeNull();
    expect(queryEntries(c, { text: 'seq:3..16' }).hits.map((h) => h.seq)).toEqual([3, 4, 15, 16]);
    expect(queryEntries(c, { text: 'seq:5..14' }).hits).toEqual([]);
    c.close();
    // A contiguous bundle maps seq ranges straight to entry ranges.
    expect(listEntrySets(cf)[0]!.seqBase).toBe(0);
  });
});

describe('bounded queries', () => {
  it('20,000 prefix terms are refused at once, before SQLite sees them', () => {
    const t = Date.now();
    expect(() => queryEntries(cf, { text: Array(20_000).fill('0*').join(' ') })).toThrow(
      expect.objectContaining({ code: 'USAGE', detail: { reason: 'QUERY_TOO_LARGE' } }),
    );
    expect(Date.now() - t).toBeLessThan(500);
  });

  it(`at most ${MAX_QUERY_TERMS} terms and ${MAX_PREFIX_TERMS} prefix terms; the largest allowed query answers`, () => {
    const words = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
    expect(() => parseQuery(words(MAX_QUERY_TERMS + 1, (i) => `w${i}`))).toThrow(
      expect.objectContaining({ code: 'USAGE', detail: { reason: 'QUERY_TOO_LARGE' } }),
    );
    expect(() => parseQuery(words(MAX_PREFIX_TERMS + 1, (i) => `${i}*`))).toThrow(
      expect.objectContaining({ code: 'USAGE', detail: { reason: 'QUERY_TOO_LARGE' } }),
    );
    const largest = `${words(MAX_PREFIX_TERMS, (i) => `${i}*`)} ${words(MAX_QUERY_TERMS - MAX_PREFIX_TERMS, (i) => `-x${i}`)}`;
    const t = Date.now();
    const r = queryEntries(cf, { text: largest, count: true });
    expect(Date.now() - t).toBeLessThan(5000);
    expect(r.total).toBeGreaterThanOrEqual(0);
  });

  it('a query over its time budget stops with a clear error', () => {
    expect(() => queryEntries(cf, { text: 'login', maxMs: 0 })).toThrow(
      expect.objectContaining({ code: 'USAGE', detail: { reason: 'QUERY_TIMEOUT' } }),
    );
  });
});
