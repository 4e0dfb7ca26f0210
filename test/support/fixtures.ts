/**
 * Deterministic test fixtures: keys derived from fixed labels, events from a seeded PRNG, and
 * bundles written by the reference exporter. Same inputs, same bytes, on every machine.
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleWriter, type BundleWriterOptions } from '../../electron/write/bundle-writer.js';
import { publicKeyFromSeed } from '../../shared/crypto/ed25519.js';
import { keyFingerprint } from '../../shared/keys/keys.js';
import type { KeyRole, TrustedKey } from '../../shared/keys/trust.js';

export function seedFor(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`proofdesk-test-key:${label}`).digest());
}

export interface TestKey {
  readonly name: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly trusted: TrustedKey;
}

/** A key from a fixed label; `trusted` holds it in `role` (a log key unless said otherwise). */
export function testKey(label: string, name = label, role: KeyRole = 'log'): TestKey {
  const seed = seedFor(label);
  const publicKey = publicKeyFromSeed(seed);
  return {
    name,
    seed,
    publicKey,
    trusted: { publicKey, fingerprint: keyFingerprint(publicKey), roles: [role], name, label },
  };
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTORS = [
  'alice@example.com',
  'bob@example.com',
  'carol@example.com',
  'svc-backup',
  'svc-deploy',
  'dave@example.com',
];
const ACTIONS = ['login', 'logout', 'read', 'update', 'delete', 'grant', 'revoke', 'export'];

/** Event i of a deterministic stream (about 200–300 bytes once wrapped as an entry). */
export function syntheticEvent(i: number, rand: () => number): Record<string, unknown> {
  return {
    id: `evt-${i.toString(36).padStart(7, '0')}`,
    actor: ACTORS[Math.floor(rand() * ACTORS.length)],
    action: ACTIONS[Math.floor(rand() * ACTIONS.length)],
    resource: `/projects/${Math.floor(rand() * 500)}/documents/${Math.floor(rand() * 100000)}`,
    ip: `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
    outcome: rand() < 0.97 ? 'success' : 'denied',
  };
}

/** The ts of entry i: one second apart from a fixed start, with millisecond jitter kept monotonic. */
export function syntheticTs(i: number): string {
  return new Date(Date.UTC(2026, 0, 1) + i * 1000 + (i % 997)).toISOString();
}

export interface GeneratedBundle {
  readonly dir: string;
  readonly logKey: TestKey;
  readonly count: number;
}

export const ORIGIN = 'audit.example.com/prod';

export function makeTempDir(prefix = 'proofdesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a deterministic bundle of `count` entries into `dir`. */
export function generateBundle(
  dir: string,
  count: number,
  opts: Partial<Omit<BundleWriterOptions, 'dir'>> & {
    seed?: number;
    signEntriesWith?: TestKey;
    logKey?: TestKey;
    seal?: boolean;
  } = {},
): GeneratedBundle {
  const logKey = opts.logKey ?? testKey('log', ORIGIN);
  const w = new BundleWriter({
    dir,
    origin: opts.origin ?? ORIGIN,
    logKey: { name: logKey.name, seed: logKey.seed },
    checkpointEvery: opts.checkpointEvery ?? 0,
    created: '2026-11-01T00:00:00Z',
    ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
    ...(opts.shipLogKey ? { shipLogKey: true } : {}),
  });
  const rand = prng(opts.seed ?? 1);
  for (let i = 0; i < count; i++) {
    w.append(
      syntheticEvent(i, rand),
      syntheticTs(i),
      opts.signEntriesWith ? { signer: opts.signEntriesWith.seed } : {},
    );
  }
  w.finish({ seal: opts.seal ?? true });
  return { dir, logKey, count };
}
