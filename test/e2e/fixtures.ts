/**
 * Bundles for the end-to-end suite, written by the reference exporter from fixed seeds:
 * two exports of one log that fork (both signed by the log key) and a large bundle for
 * cancelling a long run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundleWriter } from '../../electron/write/bundle-writer.js';
import { encodeNoteVerifierKey } from '../../shared/keys/keys.js';
import { generateBundle, ORIGIN, prng, syntheticEvent, syntheticTs, testKey } from '../support/fixtures.js';

export interface ForkedPair {
  readonly a: string;
  readonly b: string;
  /** The log's verifier key file. */
  readonly logKey: string;
  /** Index of the first entry the exports disagree on. */
  readonly forkAt: number;
}

/**
 * Two exports of one log: the same first `forkAt` entries, then different ones, each side
 * signed by the same log key at every `every` entries. The checkpoints of size > forkAt
 * contradict each other: a fork (equivocation).
 */
export function writeForkedPair(dir: string, count = 1500, forkAt = 1000, every = 500): ForkedPair {
  const log = testKey('e2e-fork-log', ORIGIN);
  const writer = (name: string) =>
    new BundleWriter({
      dir: join(dir, name),
      origin: ORIGIN,
      logKey: { name: log.name, seed: log.seed },
      checkpointEvery: every,
      created: '2026-11-01T00:00:00Z',
    });
  const wa = writer('export-a');
  const wb = writer('export-b');
  const ra = prng(7);
  const rb = prng(7);
  const rfork = prng(99);
  for (let i = 0; i < count; i++) {
    const ea = syntheticEvent(i, ra);
    const eb = syntheticEvent(i, rb);
    wa.append(ea, syntheticTs(i));
    wb.append(i < forkAt ? eb : syntheticEvent(i, rfork), syntheticTs(i));
  }
  wa.finish();
  wb.finish();
  const logKey = join(dir, 'log.vkey');
  writeFileSync(logKey, encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
  return { a: join(dir, 'export-a'), b: join(dir, 'export-b'), logKey, forkAt };
}

/** A bundle large enough that verifying it with one worker takes seconds. */
export function writeLargeBundle(dir: string, count: number): { bundle: string; logKey: string } {
  const g = generateBundle(join(dir, 'large-export'), count, { checkpointEvery: 100_000, seed: 5 });
  const logKey = join(dir, 'large-log.vkey');
  writeFileSync(logKey, encodeNoteVerifierKey(g.logKey.name, g.logKey.publicKey) + '\n');
  return { bundle: g.dir, logKey };
}

/**
 * A log with a silence: `count` entries one second apart, except that from entry `gapAt` on
 * every time is `gapMs` later (nothing was logged for that long). The events are the
 * deterministic stream of syntheticEvent(i, prng(seed)), so a test can count them itself.
 */
export function writeSilentBundle(
  dir: string,
  o: { count: number; gapAt: number; gapMs: number; seed: number; every?: number },
): { bundle: string; logKey: string; events: Array<Record<string, unknown>>; start: number } {
  const log = testKey('e2e-silent-log', ORIGIN);
  const w = new BundleWriter({
    dir: join(dir, 'silent-export'),
    origin: ORIGIN,
    logKey: { name: log.name, seed: log.seed },
    checkpointEvery: o.every ?? 2000,
    created: '2026-11-01T00:00:00Z',
  });
  const rand = prng(o.seed);
  const start = Date.UTC(2026, 2, 1, 8, 0, 0);
  const events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < o.count; i++) {
    const e = syntheticEvent(i, rand);
    events.push(e);
    w.append(e, new Date(start + i * 1000 + (i >= o.gapAt ? o.gapMs : 0)).toISOString());
  }
  w.finish();
  const logKey = join(dir, 'silent-log.vkey');
  writeFileSync(logKey, encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
  return { bundle: join(dir, 'silent-export'), logKey, events, start };
}
