/**
 * `tsx bench/gen-logs.ts <shape> [n]`: writes (once) a deterministic test input under bench/cache/
 * for the issue-16 measurements (bench/issue-16-plan.md). Shapes:
 *
 *   synthetic   the bench's own bundle (same bytes and path as bench/run.ts: plain-<n>/bundle)
 *   signed      the same events, each with an Ed25519 entry signature (bench/run.ts: signed-<n>/bundle);
 *               also writes the source key as source.pub (`--entry-key`)
 *   k8s | cloudtrail | applog
 *               bundles of events shaped like real audit logs (test/support/audit-events.ts):
 *               audit-<shape>-<n>/bundle
 *   tiles       a C2SP tlog-tiles log of n entries (about 300-byte JSON lines) written by
 *               Proofdesk's tiled-log writer, whose output is byte-identical to Go's: tiles-<n>/log
 *
 * Prints the directory and the verifier key file (`--trust`) on stdout as JSON.
 */

import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundleWriter } from '../electron/write/bundle-writer.js';
import { TiledLogWriter } from '../electron/write/tiles-writer.js';
import { utf8 } from '../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, encodePkcs8Pem, encodeSpkiPem, keyFingerprint } from '../shared/keys/keys.js';
import { AUDIT_EVENT_KINDS, type AuditEventKind, auditEvent, auditTs } from '../test/support/audit-events.js';
import { prng, syntheticEvent, syntheticTs, testKey } from '../test/support/fixtures.js';

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(ROOT, 'bench', 'cache');
// The same keys and origin as bench/run.ts, so its cached bundles and these are interchangeable.
const ORIGIN = 'bench.proofdesk.example/log';
const CHECKPOINT_EVERY = 65_536;
const log = testKey('bench-log', ORIGIN);
const source = testKey('bench-source', 'bench-source');
const TILES_ORIGIN = 'bench.proofdesk.example/tiles';
const tilesKey = testKey('bench-tiles', TILES_ORIGIN);

/** bench/run.ts's benchEvent: event i padded so that an entry line is about 300 bytes. */
function benchEvent(i: number, rand: () => number): Record<string, unknown> {
  const e = syntheticEvent(i, rand);
  const line = JSON.stringify({ seq: i, ts: syntheticTs(i), prev: '0'.repeat(64), event: e });
  return { ...e, detail: 'x'.repeat(Math.max(0, 300 - line.length - 12)) };
}

function vkeyFile(name: string, key: ReturnType<typeof testKey>): string {
  mkdirSync(CACHE, { recursive: true });
  const p = join(CACHE, name);
  writeFileSync(p, encodeNoteVerifierKey(key.name, key.publicKey) + '\n');
  return p;
}

function once(dir: string, make: () => void): void {
  if (existsSync(join(dir, '.complete'))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  make();
  writeFileSync(join(dir, '.complete'), `${Date.now() - t0} ms\n`);
}

function bundle(shape: 'synthetic' | 'signed' | AuditEventKind, n: number): string {
  const dir = join(
    CACHE,
    shape === 'synthetic' ? `plain-${n}` : shape === 'signed' ? `signed-${n}` : `audit-${shape}-${n}`,
  );
  once(dir, () => {
    const w = new BundleWriter({
      dir: join(dir, 'bundle'),
      origin: ORIGIN,
      logKey: { name: log.name, seed: log.seed },
      checkpointEvery: CHECKPOINT_EVERY,
      created: '2026-11-01T00:00:00Z',
    });
    if (shape === 'synthetic' || shape === 'signed') {
      const rand = prng(7);
      const key = createPrivateKey(encodePkcs8Pem(source.seed));
      const signer = {
        fingerprint: keyFingerprint(source.publicKey),
        sign: (m: Uint8Array) => cryptoSign(null, m, key),
      };
      for (let i = 0; i < n; i++) w.append(benchEvent(i, rand), syntheticTs(i), shape === 'signed' ? { signer } : {});
    } else {
      for (let i = 0; i < n; i++) w.append(auditEvent(shape, i), auditTs(i));
    }
    w.finish();
  });
  return join(dir, 'bundle');
}

function tiles(n: number): string {
  const dir = join(CACHE, `tiles-${n}`);
  once(dir, () => {
    const w = new TiledLogWriter({
      dir: join(dir, 'log'),
      layout: 'tlog-tiles',
      origin: TILES_ORIGIN,
      signers: [{ name: tilesKey.name, seed: tilesKey.seed }],
    });
    const rand = prng(11);
    for (let i = 0; i < n; i++)
      w.append(utf8(JSON.stringify({ seq: i, ts: syntheticTs(i), event: benchEvent(i, rand) })));
    w.checkpoint();
  });
  return join(dir, 'log');
}

const [shape = '', nArg] = process.argv.slice(2);
const n = nArg ? Number(nArg) : 1_000_000;
if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`bad size ${nArg}`);
if (shape === 'tiles') {
  process.stdout.write(JSON.stringify({ dir: tiles(n), vkey: vkeyFile('tiles.vkey', tilesKey) }) + '\n');
} else if (shape === 'synthetic' || shape === 'signed' || (AUDIT_EVENT_KINDS as readonly string[]).includes(shape)) {
  const sourcePem = join(CACHE, 'source.pub');
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(sourcePem, encodeSpkiPem(source.publicKey));
  process.stdout.write(
    JSON.stringify({
      dir: bundle(shape as 'synthetic' | 'signed' | AuditEventKind, n),
      vkey: vkeyFile('log.vkey', log),
      entryKey: sourcePem,
    }) + '\n',
  );
} else {
  process.stderr.write(`usage: tsx bench/gen-logs.ts synthetic|signed|${AUDIT_EVENT_KINDS.join('|')}|tiles [n]\n`);
  process.exit(2);
}
